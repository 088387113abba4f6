//! The records and enums of every request and answer, and one client method per operation,
//! generated in the build from the core's reflection schema (see build/codegen.rs). This
//! file holds only what the generated code uses: volumes, JSON values, and the one call path
//! (`Client::call_surface` with camelCase surface JSON).

use crate::client::CmiClient;
use crate::error::CmiError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Unit of a [`DataVolume`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum, Serialize, Deserialize)]
pub enum DataUnit {
    /// Bytes.
    Bytes,
    /// Megabytes (the platform's MB, 1024 × 1024 bytes).
    Megabytes,
    /// Gigabytes.
    Gigabytes,
}

/// A data volume with its unit, as the platform states it.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record, Serialize, Deserialize)]
pub struct DataVolume {
    /// The amount.
    pub value: f64,
    /// The unit of `value`.
    pub unit: DataUnit,
}

/// Any JSON value, carried as its JSON text (Kotlin and Swift see a `String`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Json(pub String);

uniffi::custom_newtype!(Json, String);

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v: serde_json::Value =
            serde_json::from_str(&self.0).map_err(|e| serde::ser::Error::custom(format!("not JSON: {e}")))?;
        v.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Json(serde_json::Value::deserialize(d)?.to_string()))
    }
}

/// Reads an enum's surface value: its variant name, or an undocumented wire value (a string,
/// or a number on numeric fields) kept as text.
pub(crate) fn scalar_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    })
}

impl CmiClient {
    /// Sends `operation` with a typed request and reads the typed answer, both in the
    /// core's camelCase surface JSON.
    pub(crate) async fn call_typed<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        operation: &'static str,
        request: &Req,
    ) -> Result<Resp, CmiError> {
        let body =
            serde_json::to_value(request).map_err(|e| cmi_core::Error::validation("(request)", e.to_string()))?;
        let answer = self.inner.call_surface(operation, body, cmi_core::reflect::Case::Camel).await?;
        serde_json::from_value(answer).map_err(|e| {
            // Names the operation; the message is serde's (a field path, never a value).
            CmiError::from(cmi_core::Error::Decode { operation, message: e.to_string() })
        })
    }
}

include!(concat!(env!("OUT_DIR"), "/models.rs"));

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn enums_read_variant_names_and_keep_undocumented_values() {
        assert_eq!(serde_json::from_value::<YesNo>(json!("Yes")).ok(), Some(YesNo::Yes));
        let odd: YesNo = serde_json::from_value(json!("7")).expect("raw string");
        assert_eq!(odd, YesNo::Unknown { raw: "7".into() });
        assert_eq!(serde_json::to_value(&odd).ok(), Some(json!("7")));
        let num: YesNo = serde_json::from_value(json!(3)).expect("raw number");
        assert_eq!(num, YesNo::Unknown { raw: "3".into() });
    }

    #[test]
    fn requests_serialize_in_camel_case_without_absent_optionals() {
        let r = QueryQuotaRequest {
            iccid: Some("89852342024000000021".into()),
            h_imsi: None,
            begin_date: None,
            end_date: None,
            child_order_id: None,
            third_order_id: None,
            ext: Default::default(),
        };
        assert_eq!(serde_json::to_value(&r).ok(), Some(json!({"iccid": "89852342024000000021", "ext": {}})));
        let v = DataVolume { value: 1.5, unit: DataUnit::Gigabytes };
        assert_eq!(serde_json::to_value(v).ok(), Some(json!({"value": 1.5, "unit": "Gigabytes"})));
    }
}
