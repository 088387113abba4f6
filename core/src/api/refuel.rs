//! 3.2.21-3.2.23 The channel's own add-ons (refuel packs): create (`SBO_add_packageRefuel/v1`),
//! query (`SBO_query_packageRefuel/v1`), delete (`SBO_del_packageRefuel/v1`).

use super::common::Extra;
use crate::error::Result;
use crate::operation::{Operation, OperationKind, TokenPolicy};
use crate::units::{DataUnit, DataVolume};
use crate::validate;
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------------
// 3.2.21 add_refuel_package
// ---------------------------------------------------------------------------------------------

/// Request of 3.2.21: create an add-on of a given size; the platform names it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct AddRefuelPackageRequest {
    /// `flowValue`: the add-on's volume in MB, a positive whole number sent as a string.
    #[serde(rename = "flowValue", deserialize_with = "crate::lenient::string")]
    pub flow_value: String,
}

impl AddRefuelPackageRequest {
    /// An add-on of `megabytes` MB.
    pub fn new(megabytes: u64) -> Self {
        Self { flow_value: megabytes.to_string() }
    }
}

impl Operation for AddRefuelPackageRequest {
    const NAME: &'static str = "add_refuel_package";
    const PATH: &'static str = "SBO_add_packageRefuel/v1";
    const SECTION: &'static str = "3.2.21";
    const KIND: OperationKind = OperationKind::Command;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = AddRefuelPackageResponse;

    fn validate(&self) -> Result<()> {
        validate::required("flowValue", &self.flow_value)?;
        validate::max_len("flowValue", &self.flow_value, 256)?;
        validate::positive_integer("flowValue", &self.flow_value)
    }
}

/// Answer of 3.2.21.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct AddRefuelPackageResponse {
    /// `data`: the created add-on.
    #[serde(
        rename = "data",
        default,
        deserialize_with = "crate::lenient::opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub refuel_pack: Option<RefuelPackInfo>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `RefuelPackInfo` (not tabled; fields from the example): the add-on just created.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct RefuelPackInfo {
    /// `id`: the add-on ID (`R2403071521207715011`).
    #[serde(rename = "id", default, deserialize_with = "crate::lenient::string")]
    pub refueling_id: String,
    /// `name`: the name the platform gave it (`40960MB add-on`).
    #[serde(rename = "name", default, deserialize_with = "crate::lenient::string")]
    pub name: String,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------------------------
// 3.2.22 query_refuel_packages
// ---------------------------------------------------------------------------------------------

/// Request of 3.2.22: one page of the channel's add-ons. Both fields are optional; the
/// platform defaults to page 1 of 10.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct QueryRefuelPackagesRequest {
    /// `pageNo`: page number, from 1 (sent as a string).
    #[serde(
        rename = "pageNo",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub page_no: Option<String>,
    /// `pageSize`: entries per page (sent as a string).
    #[serde(
        rename = "pageSize",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub page_size: Option<String>,
}

impl QueryRefuelPackagesRequest {
    /// The first page at the platform's default size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Page `page_no` (from 1) of `page_size` entries.
    pub fn page(page_no: u32, page_size: u32) -> Self {
        Self { page_no: Some(page_no.to_string()), page_size: Some(page_size.to_string()) }
    }
}

impl Operation for QueryRefuelPackagesRequest {
    const NAME: &'static str = "query_refuel_packages";
    const PATH: &'static str = "SBO_query_packageRefuel/v1";
    const SECTION: &'static str = "3.2.22";
    const KIND: OperationKind = OperationKind::Query;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = QueryRefuelPackagesResponse;

    fn validate(&self) -> Result<()> {
        for (field, value) in [("pageNo", &self.page_no), ("pageSize", &self.page_size)] {
            if let Some(v) = validate::present(value) {
                validate::max_len(field, v, 10)?;
                validate::positive_integer(field, v)?;
            }
        }
        Ok(())
    }
}

/// Answer of 3.2.22.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct QueryRefuelPackagesResponse {
    /// `data`: the add-ons of the page.
    #[serde(rename = "data", default, deserialize_with = "crate::lenient::vec")]
    pub refuel_packs: Vec<RefuelPack>,
    /// `count` (not tabled; seen in the example): presumably the total number of add-ons.
    #[serde(
        rename = "count",
        default,
        deserialize_with = "crate::lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub count: Option<i64>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl QueryRefuelPackagesResponse {
    /// The add-on with this ID.
    pub fn find(&self, refueling_id: &str) -> Option<&RefuelPack> {
        self.refuel_packs.iter().find(|p| p.refueling_id.trim() == refueling_id.trim())
    }
}

crate::wire_enum! {
    /// Unit of an add-on's volume (`flowUnit`).
    pub enum FlowUnit: int {
        /// `1`: megabytes (the only value 3.2.22 documents).
        Megabytes = "1",
        /// `2`: gigabytes (documented for the same field in 3.2.2).
        Gigabytes = "2",
    }
}

/// `RefuelPack`: one of the channel's add-ons.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct RefuelPack {
    /// `id`: the add-on ID.
    #[serde(rename = "id", default, deserialize_with = "crate::lenient::string")]
    pub refueling_id: String,
    /// `name`: its name.
    #[serde(rename = "name", default, deserialize_with = "crate::lenient::string")]
    pub name: String,
    /// `flowValue`: its volume, in `flowUnit`s.
    #[serde(
        rename = "flowValue",
        default,
        deserialize_with = "crate::lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub flow_value: Option<i64>,
    /// `flowUnit`: the unit of `flowValue` (the example sends it as the string `"1"`).
    #[serde(
        rename = "flowUnit",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub flow_unit: Option<FlowUnit>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl RefuelPack {
    /// The volume with its unit; a missing unit is read as MB, the only documented one here.
    /// `None` without a value or with an undocumented unit.
    pub fn volume(&self) -> Option<DataVolume> {
        let value = self.flow_value? as f64;
        let unit = match self.flow_unit.as_ref().unwrap_or(&FlowUnit::Megabytes) {
            FlowUnit::Megabytes => DataUnit::Megabytes,
            FlowUnit::Gigabytes => DataUnit::Gigabytes,
            FlowUnit::Unknown(_) => return None,
        };
        Some(DataVolume { value, unit })
    }
}

// ---------------------------------------------------------------------------------------------
// 3.2.23 delete_refuel_package
// ---------------------------------------------------------------------------------------------

/// Request of 3.2.23: delete one of the channel's add-ons.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct DeleteRefuelPackageRequest {
    /// `refuelId`: the add-on ID.
    #[serde(rename = "refuelId", deserialize_with = "crate::lenient::string")]
    pub refueling_id: String,
}

impl DeleteRefuelPackageRequest {
    /// Delete the add-on with this ID.
    pub fn new(refueling_id: impl Into<String>) -> Self {
        Self { refueling_id: refueling_id.into() }
    }
}

impl Operation for DeleteRefuelPackageRequest {
    const NAME: &'static str = "delete_refuel_package";
    const PATH: &'static str = "SBO_del_packageRefuel/v1";
    const SECTION: &'static str = "3.2.23";
    const KIND: OperationKind = OperationKind::Command;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = DeleteRefuelPackageResponse;

    fn validate(&self) -> Result<()> {
        validate::required("refuelId", &self.refueling_id)?;
        validate::max_len("refuelId", &self.refueling_id, 256)
    }
}

/// Answer of 3.2.23: only the status, which the envelope consumes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct DeleteRefuelPackageResponse {
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_uses_the_unit() {
        let p: RefuelPack = serde_json::from_str(r#"{"id":"R1","flowValue":"2","flowUnit":"2"}"#).unwrap();
        assert_eq!(p.volume().map(|v| v.as_megabytes()), Some(2048.0));
        let p: RefuelPack = serde_json::from_str(r#"{"id":"R1","flowValue":500}"#).unwrap();
        assert_eq!(p.volume(), Some(DataVolume::megabytes(500.0)));
        let p: RefuelPack = serde_json::from_str(r#"{"flowValue":500,"flowUnit":9}"#).unwrap();
        assert_eq!(p.volume(), None);
    }

    #[test]
    fn positive_integers_only() {
        assert!(validate::positive_integer("f", "40960").is_ok());
        for bad in ["", "0", "00", "-1", "1.5", "1e3", "abc"] {
            assert!(validate::positive_integer("f", bad).is_err(), "{bad}");
        }
    }
}
