//! Money and data volumes as typed values (sdk-rules 11).
//!
//! Prices travel as strings of integer cents ("分"); volumes as MB strings with two decimals
//! (`"300.00"`), except 3.2.16 which reports bytes. Floating point never touches money here.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An amount of money in integer cents (the smallest unit) with its currency code as the
/// platform sends it (`USD`, or possibly ISO numeric such as `840`; spec §4 item 10).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, cmi_derive::Model)]
pub struct Money {
    /// Amount in cents.
    pub cents: i64,
    /// Currency code as received.
    pub currency: String,
}

impl Money {
    /// Builds an amount.
    pub fn new(cents: i64, currency: impl Into<String>) -> Self {
        Self { cents, currency: currency.into() }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.cents < 0 { "-" } else { "" };
        let abs = self.cents.unsigned_abs();
        write!(f, "{sign}{}.{:02} {}", abs / 100, abs % 100, self.currency)
    }
}

/// The unit a data volume is expressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DataUnit {
    /// Bytes (3.2.16 `qtavalue`).
    Bytes,
    /// Megabytes, 1 MB = 1024 × 1024 bytes (most interfaces).
    Megabytes,
    /// Gigabytes, 1 GB = 1024 MB (add-on `flowUnit` 2).
    Gigabytes,
}

/// A data volume with its unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DataVolume {
    /// The amount as the platform reported it.
    pub value: f64,
    /// Its unit.
    pub unit: DataUnit,
}

impl DataVolume {
    /// A volume in megabytes.
    pub fn megabytes(value: f64) -> Self {
        Self { value, unit: DataUnit::Megabytes }
    }

    /// A volume in bytes.
    pub fn bytes(value: f64) -> Self {
        Self { value, unit: DataUnit::Bytes }
    }

    /// The same volume in bytes.
    pub fn as_bytes(&self) -> f64 {
        match self.unit {
            DataUnit::Bytes => self.value,
            DataUnit::Megabytes => self.value * 1_048_576.0,
            DataUnit::Gigabytes => self.value * 1_073_741_824.0,
        }
    }

    /// The same volume in megabytes.
    pub fn as_megabytes(&self) -> f64 {
        self.as_bytes() / 1_048_576.0
    }
}

impl fmt::Display for DataVolume {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.unit {
            DataUnit::Bytes => write!(f, "{} B", self.value),
            DataUnit::Megabytes => write!(f, "{:.2} MB", self.value),
            DataUnit::Gigabytes => write!(f, "{:.2} GB", self.value),
        }
    }
}

/// `with` module for `Option<DataVolume>` fields carried as MB strings (`"300.00"`).
pub mod mb {
    use super::*;

    /// Encodes as a two-decimal MB string.
    pub fn serialize<S: Serializer>(v: &Option<DataVolume>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.collect_str(&format_args!("{:.2}", v.as_megabytes())),
            None => s.serialize_none(),
        }
    }

    /// Decodes a number or numeric string in MB; empty or unreadable becomes `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DataVolume>, D::Error> {
        Ok(crate::lenient::opt_f64(d)?.map(DataVolume::megabytes))
    }
}

/// `with` module for `Option<DataVolume>` fields carried as a byte count string.
pub mod bytes {
    use super::*;

    /// Encodes as an integer byte string.
    pub fn serialize<S: Serializer>(v: &Option<DataVolume>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.collect_str(&format_args!("{:.0}", v.as_bytes())),
            None => s.serialize_none(),
        }
    }

    /// Decodes a number or numeric string in bytes.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DataVolume>, D::Error> {
        Ok(crate::lenient::opt_f64(d)?.map(DataVolume::bytes))
    }
}

/// `with` module for `Option<i64>` cents carried as strings (`"500"`).
pub mod cents {
    use super::*;

    /// Encodes as a string of digits.
    pub fn serialize<S: Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
        crate::lenient::opt_i64_as_string(v, s)
    }

    /// Decodes a number or numeric string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        crate::lenient::opt_i64(d)
    }
}

/// A price as the API's `PriceInfo` carries it (spec §1.5): currency, cents, optional unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default, cmi_derive::Model)]
pub struct PriceInfo {
    /// `currencyCode`: currency as received.
    #[serde(rename = "currencyCode", default, deserialize_with = "crate::lenient::string")]
    pub currency_code: String,
    /// `price`: amount in cents.
    #[serde(rename = "price", default, with = "cents")]
    pub price_cents: Option<i64>,
    /// `unit`: the unit label (documented as "cents").
    #[serde(
        rename = "unit",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub unit: Option<String>,
}

impl PriceInfo {
    /// The price as [`Money`], when an amount was given.
    pub fn money(&self) -> Option<Money> {
        self.price_cents.map(|c| Money::new(c, self.currency_code.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_displays_without_floats() {
        assert_eq!(Money::new(12345, "USD").to_string(), "123.45 USD");
        assert_eq!(Money::new(-5, "HKD").to_string(), "-0.05 HKD");
    }

    #[test]
    fn price_info_is_lenient() {
        let p: PriceInfo = serde_json::from_str(r#"{"currencyCode":840,"price":500,"unit":"cents"}"#).unwrap();
        assert_eq!(p.money(), Some(Money::new(500, "840")));
        assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"currencyCode":"840","price":"500","unit":"cents"}"#);
    }
}
