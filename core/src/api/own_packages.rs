//! 3.2.18-3.2.20 The channel's own bundles: create (`SBO_add_package/v1`), update
//! (`SBO_update_package/v1`), delete (`SBO_del_package/v1`).

use super::common::{Extra, YesNo, YesNoInt};
use crate::error::{Error, Result};
use crate::operation::{Operation, OperationKind, TokenPolicy};
use crate::validate;
use serde::{Deserialize, Deserializer, Serialize};

crate::wire_enum! {
    /// Data-limit type of an own bundle (`flowLimitType`); the same codes as
    /// [`LimitType`](super::common::LimitType) but an Integer on the wire.
    pub enum FlowLimit: int {
        /// `1`: a limit for the whole cycle.
        PerCycle = "1",
        /// `2`: a limit per day.
        PerDay = "2",
    }
}

crate::wire_enum! {
    /// What happens when the limit is reached (`controlLogic`).
    pub enum ControlLogic: int {
        /// `1`: throttle to the no-limit template's speed.
        Throttle = "1",
        /// `2`: release (stop) the bundle.
        Release = "2",
    }
}

crate::wire_enum! {
    /// Unit of `keepPeriod` (`periodUnit`); 1-based, unlike the catalogue's `periodType`.
    pub enum PeriodUnit: str {
        /// `1`: 24 hours from activation.
        Hours24 = "1",
        /// `2`: natural (calendar) day.
        NaturalDay = "2",
        /// `3`: natural (calendar) month.
        NaturalMonth = "3",
        /// `4`: natural (calendar) year.
        NaturalYear = "4",
    }
}

crate::wire_enum! {
    /// Kind of a directional-app rule (`directType`).
    pub enum DirectType: str {
        /// `1`: the apps are throttled.
        Throttled = "1",
        /// `2`: the apps are zero-rated (free).
        ZeroRated = "2",
    }
}

/// `PackageConsumption`: one usage tier, mapping a volume to a UPCC template.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct PackageConsumption {
    /// `consumption`: the tier's volume in MB (an Integer on the wire).
    #[serde(rename = "consumption", deserialize_with = "crate::lenient::i64")]
    pub consumption: i64,
    /// `upccTemplateId`: the speed template of the tier (tabled as Integer, but every value seen
    /// is a string like `P23061314267445`, so it is sent as a string).
    #[serde(rename = "upccTemplateId", deserialize_with = "crate::lenient::string")]
    pub upcc_template_id: String,
}

impl PackageConsumption {
    /// A tier of `consumption_mb` MB at template `upcc_template_id`.
    pub fn new(consumption_mb: i64, upcc_template_id: impl Into<String>) -> Self {
        Self { consumption: consumption_mb, upcc_template_id: upcc_template_id.into() }
    }
}

/// `DirectAppInfo`: a directional-app rule.
///
/// `Default` leaves `directType` unset, which validation refuses: use [`DirectAppInfo::new`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, cmi_derive::Model)]
pub struct DirectAppInfo {
    /// `directType`: throttled or zero-rated.
    #[serde(rename = "directType")]
    pub direct_type: DirectType,
    /// `isUsePackage`: zero-rated mode only: whether the apps go on using the bundle's general
    /// data once their own allowance is used up.
    #[serde(
        rename = "isUsePackage",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_enum"
    )]
    pub is_use_package: Option<YesNo>,
    /// `appDetailInfos`: the apps.
    #[serde(rename = "appDetailInfos", deserialize_with = "crate::lenient::vec")]
    pub app_detail_infos: Vec<AppDetailInfo>,
}

impl Default for DirectAppInfo {
    fn default() -> Self {
        Self { direct_type: DirectType::from_wire(""), is_use_package: None, app_detail_infos: Vec::new() }
    }
}

impl DirectAppInfo {
    /// A rule of `direct_type` for these apps.
    pub fn new(direct_type: DirectType, app_detail_infos: Vec<AppDetailInfo>) -> Self {
        Self { direct_type, is_use_package: None, app_detail_infos }
    }
}

/// `AppDetailInfo`: one app of a directional-app rule.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct AppDetailInfo {
    /// `appId`: the app (an ID from 3.2.24).
    #[serde(rename = "appId", deserialize_with = "crate::lenient::string")]
    pub app_id: String,
    /// `noLimitTemplateId`: zero-rated mode: the template once the app allowance is used up;
    /// throttled mode: the throttle template.
    #[serde(
        rename = "noLimitTemplateId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub no_limit_template_id: Option<String>,
    /// `appConsumption`: the app's usage tiers.
    #[serde(
        rename = "appConsumption",
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::lenient::vec"
    )]
    pub app_consumption: Vec<PackageConsumption>,
}

impl AppDetailInfo {
    /// An app without tiers.
    pub fn new(app_id: impl Into<String>) -> Self {
        Self { app_id: app_id.into(), ..Self::default() }
    }
}

/// `deserialize_with` for optional lists: absent or `null` is `None` (the field is omitted on
/// the wire), anything else is read like [`crate::lenient::vec`].
fn opt_vec<'de, D, T>(d: D) -> std::result::Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(None),
        v => crate::lenient::vec(v).map(Some).map_err(serde::de::Error::custom),
    }
}

/// `deserialize_with` for optional lists of strings, like [`opt_vec`] with the item leniency of
/// `string_vec`.
fn opt_string_vec<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Vec<String>>, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(None),
        v => crate::lenient::string_vec(v).map(Some).map_err(serde::de::Error::custom),
    }
}

fn known_enum(field: &str, known: bool, values: &str) -> Result<()> {
    if known { Ok(()) } else { Err(Error::validation(field, format!("must be {values}"))) }
}

fn check_consumptions(prefix: &str, list: &[PackageConsumption]) -> Result<()> {
    for (i, c) in list.iter().enumerate() {
        validate::positive(&format!("{prefix}[{i}].consumption"), c.consumption)?;
        let field = format!("{prefix}[{i}].upccTemplateId");
        validate::required(&field, &c.upcc_template_id)?;
        validate::max_len(&field, &c.upcc_template_id, 128)?;
    }
    Ok(())
}

fn check_direct_apps(list: &[DirectAppInfo]) -> Result<()> {
    for (i, d) in list.iter().enumerate() {
        let p = format!("directAppInfos[{i}]");
        known_enum(&format!("{p}.directType"), d.direct_type.is_known(), "1 (throttled) or 2 (zero-rated)")?;
        if let Some(u) = &d.is_use_package {
            known_enum(&format!("{p}.isUsePackage"), u.is_known(), "1 (yes) or 2 (no)")?;
        }
        if d.app_detail_infos.is_empty() {
            return Err(Error::validation(format!("{p}.appDetailInfos"), "must list at least one app"));
        }
        for (j, a) in d.app_detail_infos.iter().enumerate() {
            let q = format!("{p}.appDetailInfos[{j}]");
            validate::required(&format!("{q}.appId"), &a.app_id)?;
            if let Some(t) = validate::present(&a.no_limit_template_id) {
                validate::max_len(&format!("{q}.noLimitTemplateId"), t, 128)?;
            }
            check_consumptions(&format!("{q}.appConsumption"), &a.app_consumption)?;
        }
    }
    Ok(())
}

fn check_mccs(list: &[String]) -> Result<()> {
    for (i, m) in list.iter().enumerate() {
        validate::mcc(&format!("mccList[{i}]"), m)?;
    }
    Ok(())
}

fn check_refuels(list: &[String]) -> Result<()> {
    for (i, r) in list.iter().enumerate() {
        validate::required(&format!("refuelList[{i}]"), r)?;
    }
    Ok(())
}

fn check_text(field: &str, value: &str, max: usize) -> Result<()> {
    validate::max_len(field, value, max)
}

// ---------------------------------------------------------------------------------------------
// 3.2.18 add_package
// ---------------------------------------------------------------------------------------------

/// Request of 3.2.18: define a new bundle from UPCC templates, countries, duration, add-ons
/// and directional-app rules.
///
/// `Default` leaves the enumerated fields unset, which validation refuses: start from
/// [`AddPackageRequest::new`], which switches hotspots, add-ons and directional apps off, and
/// turn them on with [`with_hotspots`](Self::with_hotspots), [`with_refuels`](Self::with_refuels)
/// and [`with_direct_apps`](Self::with_direct_apps) so each flag always matches its list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, cmi_derive::Model)]
pub struct AddPackageRequest {
    /// `name`: the bundle's name (≤ 256).
    #[serde(rename = "name", deserialize_with = "crate::lenient::string")]
    pub name: String,
    /// `desc`: its description (≤ 256). Tabled as mandatory, yet the spec's own example sends
    /// `""`, so it is always sent and may be empty.
    #[serde(rename = "desc", default, deserialize_with = "crate::lenient::string")]
    pub description: String,
    /// `keepPeriod`: duration, a number of `periodUnit`s (a positive whole number as a string).
    #[serde(rename = "keepPeriod", deserialize_with = "crate::lenient::string")]
    pub keep_period: String,
    /// `effectiveDay`: days the bundle stays valid after purchase (a positive whole number).
    #[serde(
        rename = "effectiveDay",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub effective_day: Option<String>,
    /// `flowLimitType`: limit per cycle or per day.
    #[serde(rename = "flowLimitType")]
    pub flow_limit_type: FlowLimit,
    /// `controlLogic`: throttle or release when the limit is reached.
    #[serde(rename = "controlLogic")]
    pub control_logic: ControlLogic,
    /// `isSupportedHotspots`: whether hotspot use is allowed (an Integer on the wire).
    #[serde(rename = "isSupportedHotspots")]
    pub is_supported_hotspots: YesNoInt,
    /// `isSupportDirect`: whether directional-app rules apply (a String on the wire).
    #[serde(rename = "isSupportDirect")]
    pub is_support_direct: YesNo,
    /// `packageConsumptions`: usage tiers, each mapped to a speed template.
    #[serde(
        rename = "packageConsumptions",
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::lenient::vec"
    )]
    pub package_consumptions: Vec<PackageConsumption>,
    /// `noLimitTemplateId`: the template after the last tier (or for an unlimited bundle).
    #[serde(rename = "noLimitTemplateId", deserialize_with = "crate::lenient::string")]
    pub no_limit_template_id: String,
    /// `mccList`: the countries (3-digit MCCs), at least one.
    #[serde(rename = "mccList", deserialize_with = "crate::lenient::string_vec")]
    pub mcc_list: Vec<String>,
    /// `supportRefuel`: whether add-ons may be bought (an Integer on the wire).
    #[serde(rename = "supportRefuel")]
    pub support_refuel: YesNoInt,
    /// `refuelList`: add-on IDs offered with the bundle.
    #[serde(
        rename = "refuelList",
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::lenient::string_vec"
    )]
    pub refuel_list: Vec<String>,
    /// `directAppInfos`: directional-app rules.
    #[serde(
        rename = "directAppInfos",
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::lenient::vec"
    )]
    pub direct_app_infos: Vec<DirectAppInfo>,
    /// `periodUnit`: the unit of `keepPeriod`.
    #[serde(
        rename = "periodUnit",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_enum"
    )]
    pub period_unit: Option<PeriodUnit>,
}

impl Default for AddPackageRequest {
    fn default() -> Self {
        Self {
            name: String::new(),
            description: String::new(),
            keep_period: String::new(),
            effective_day: None,
            flow_limit_type: FlowLimit::from_wire(""),
            control_logic: ControlLogic::from_wire(""),
            is_supported_hotspots: YesNoInt::from_wire(""),
            is_support_direct: YesNo::from_wire(""),
            package_consumptions: Vec::new(),
            no_limit_template_id: String::new(),
            mcc_list: Vec::new(),
            support_refuel: YesNoInt::from_wire(""),
            refuel_list: Vec::new(),
            direct_app_infos: Vec::new(),
            period_unit: None,
        }
    }
}

impl AddPackageRequest {
    /// A bundle lasting `keep_period` periods in the countries `mcc_list`, with hotspots,
    /// add-ons and directional apps switched off.
    pub fn new(
        name: impl Into<String>,
        keep_period: u32,
        flow_limit_type: FlowLimit,
        control_logic: ControlLogic,
        no_limit_template_id: impl Into<String>,
        mcc_list: Vec<String>,
    ) -> Self {
        Self {
            name: name.into(),
            keep_period: keep_period.to_string(),
            flow_limit_type,
            control_logic,
            is_supported_hotspots: YesNoInt::No,
            is_support_direct: YesNo::No,
            no_limit_template_id: no_limit_template_id.into(),
            mcc_list,
            support_refuel: YesNoInt::No,
            ..Self::default()
        }
    }

    /// Allows hotspot use.
    pub fn with_hotspots(mut self) -> Self {
        self.is_supported_hotspots = YesNoInt::Yes;
        self
    }

    /// Allows add-ons and offers these (`supportRefuel` = 1).
    pub fn with_refuels(mut self, refueling_ids: Vec<String>) -> Self {
        self.support_refuel = YesNoInt::Yes;
        self.refuel_list = refueling_ids;
        self
    }

    /// Adds directional-app rules (`isSupportDirect` = 1).
    pub fn with_direct_apps(mut self, rules: Vec<DirectAppInfo>) -> Self {
        self.is_support_direct = YesNo::Yes;
        self.direct_app_infos = rules;
        self
    }
}

impl Operation for AddPackageRequest {
    const NAME: &'static str = "add_package";
    const PATH: &'static str = "SBO_add_package/v1";
    const SECTION: &'static str = "3.2.18";
    const KIND: OperationKind = OperationKind::Command;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = AddPackageResponse;

    fn validate(&self) -> Result<()> {
        validate::required("name", &self.name)?;
        check_text("name", &self.name, 256)?;
        check_text("desc", &self.description, 256)?;
        check_text("keepPeriod", &self.keep_period, 128)?;
        validate::positive_integer("keepPeriod", &self.keep_period)?;
        if let Some(v) = validate::present(&self.effective_day) {
            check_text("effectiveDay", v, 128)?;
            validate::positive_integer("effectiveDay", v)?;
        }
        known_enum("flowLimitType", self.flow_limit_type.is_known(), "1 (per cycle) or 2 (per day)")?;
        known_enum("controlLogic", self.control_logic.is_known(), "1 (throttle) or 2 (release)")?;
        known_enum("isSupportedHotspots", self.is_supported_hotspots.is_known(), "1 (yes) or 2 (no)")?;
        known_enum("isSupportDirect", self.is_support_direct.is_known(), "1 (yes) or 2 (no)")?;
        check_consumptions("packageConsumptions", &self.package_consumptions)?;
        validate::required("noLimitTemplateId", &self.no_limit_template_id)?;
        check_text("noLimitTemplateId", &self.no_limit_template_id, 128)?;
        if self.mcc_list.is_empty() {
            return Err(Error::validation("mccList", "must list at least one MCC"));
        }
        check_mccs(&self.mcc_list)?;
        known_enum("supportRefuel", self.support_refuel.is_known(), "1 (yes) or 2 (no)")?;
        check_refuels(&self.refuel_list)?;
        check_direct_apps(&self.direct_app_infos)?;
        if let Some(u) = &self.period_unit {
            known_enum("periodUnit", u.is_known(), "1 (24 h), 2 (day), 3 (month) or 4 (year)")?;
        }
        Ok(())
    }
}

/// Answer of 3.2.18.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct AddPackageResponse {
    /// `data`: the new bundle's ID (`D2403071535388188171`).
    #[serde(rename = "data", default, deserialize_with = "crate::lenient::string")]
    pub data_bundle_id: String,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------------------------
// 3.2.19 update_package
// ---------------------------------------------------------------------------------------------

/// Request of 3.2.19: change one of the channel's own bundles.
///
/// Only `id` and `effectiveDay` are mandatory; every other field is sent only when set. The
/// spec calls modify interfaces "full refresh", yet its example sends only `id`, `keepPeriod`
/// and `effectiveDay`; a list set to `Some(vec![])` is sent as `[]`, `None` is omitted.
/// `flowLimitType`, `controlLogic`, `isSupportedHotspots` and `periodUnit` cannot be changed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct UpdatePackageRequest {
    /// `id`: the bundle to change.
    #[serde(rename = "id", deserialize_with = "crate::lenient::string")]
    pub data_bundle_id: String,
    /// `name`: new name (≤ 256).
    #[serde(
        rename = "name",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub name: Option<String>,
    /// `desc`: new description (≤ 256).
    #[serde(
        rename = "desc",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub description: Option<String>,
    /// `keepPeriod`: new duration (a positive whole number).
    #[serde(
        rename = "keepPeriod",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub keep_period: Option<String>,
    /// `effectiveDay`: days valid after purchase (a positive whole number); mandatory here.
    #[serde(rename = "effectiveDay", deserialize_with = "crate::lenient::string")]
    pub effective_day: String,
    /// `isSupportDirect`: whether directional-app rules apply.
    #[serde(
        rename = "isSupportDirect",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_enum"
    )]
    pub is_support_direct: Option<YesNo>,
    /// `packageConsumptions`: new usage tiers.
    #[serde(
        rename = "packageConsumptions",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_vec"
    )]
    pub package_consumptions: Option<Vec<PackageConsumption>>,
    /// `noLimitTemplateId`: new template after the last tier.
    #[serde(
        rename = "noLimitTemplateId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub no_limit_template_id: Option<String>,
    /// `mccList`: new countries.
    #[serde(rename = "mccList", default, skip_serializing_if = "Option::is_none", deserialize_with = "opt_string_vec")]
    pub mcc_list: Option<Vec<String>>,
    /// `supportRefuel`: whether add-ons may be bought (an Integer on the wire).
    #[serde(
        rename = "supportRefuel",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_enum"
    )]
    pub support_refuel: Option<YesNoInt>,
    /// `refuelList`: new add-on IDs.
    #[serde(
        rename = "refuelList",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_string_vec"
    )]
    pub refuel_list: Option<Vec<String>>,
    /// `directAppInfos`: new directional-app rules.
    #[serde(rename = "directAppInfos", default, skip_serializing_if = "Option::is_none", deserialize_with = "opt_vec")]
    pub direct_app_infos: Option<Vec<DirectAppInfo>>,
}

impl UpdatePackageRequest {
    /// A change of bundle `data_bundle_id` with its (mandatory) validity after purchase.
    pub fn new(data_bundle_id: impl Into<String>, effective_day: u32) -> Self {
        Self { data_bundle_id: data_bundle_id.into(), effective_day: effective_day.to_string(), ..Self::default() }
    }
}

impl Operation for UpdatePackageRequest {
    const NAME: &'static str = "update_package";
    const PATH: &'static str = "SBO_update_package/v1";
    const SECTION: &'static str = "3.2.19";
    const KIND: OperationKind = OperationKind::Command;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = UpdatePackageResponse;

    fn validate(&self) -> Result<()> {
        validate::required("id", &self.data_bundle_id)?;
        check_text("id", &self.data_bundle_id, 256)?;
        if let Some(v) = validate::present(&self.name) {
            check_text("name", v, 256)?;
        }
        if let Some(v) = validate::present(&self.description) {
            check_text("desc", v, 256)?;
        }
        if let Some(v) = validate::present(&self.keep_period) {
            check_text("keepPeriod", v, 128)?;
            validate::positive_integer("keepPeriod", v)?;
        }
        validate::required("effectiveDay", &self.effective_day)?;
        check_text("effectiveDay", &self.effective_day, 128)?;
        validate::positive_integer("effectiveDay", &self.effective_day)?;
        if let Some(v) = &self.is_support_direct {
            known_enum("isSupportDirect", v.is_known(), "1 (yes) or 2 (no)")?;
        }
        if let Some(list) = &self.package_consumptions {
            check_consumptions("packageConsumptions", list)?;
        }
        if let Some(v) = validate::present(&self.no_limit_template_id) {
            check_text("noLimitTemplateId", v, 128)?;
        }
        if let Some(list) = &self.mcc_list {
            check_mccs(list)?;
        }
        if let Some(v) = &self.support_refuel {
            known_enum("supportRefuel", v.is_known(), "1 (yes) or 2 (no)")?;
        }
        if let Some(list) = &self.refuel_list {
            check_refuels(list)?;
        }
        if let Some(list) = &self.direct_app_infos {
            check_direct_apps(list)?;
        }
        Ok(())
    }
}

/// Answer of 3.2.19: only the status, which the envelope consumes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct UpdatePackageResponse {
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------------------------
// 3.2.20 delete_package
// ---------------------------------------------------------------------------------------------

/// Request of 3.2.20: delete one of the channel's own bundles.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct DeletePackageRequest {
    /// `id`: the bundle to delete.
    #[serde(rename = "id", deserialize_with = "crate::lenient::string")]
    pub data_bundle_id: String,
}

impl DeletePackageRequest {
    /// Delete bundle `data_bundle_id`.
    pub fn new(data_bundle_id: impl Into<String>) -> Self {
        Self { data_bundle_id: data_bundle_id.into() }
    }
}

impl Operation for DeletePackageRequest {
    const NAME: &'static str = "delete_package";
    const PATH: &'static str = "SBO_del_package/v1";
    const SECTION: &'static str = "3.2.20";
    const KIND: OperationKind = OperationKind::Command;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = DeletePackageResponse;

    fn validate(&self) -> Result<()> {
        validate::required("id", &self.data_bundle_id)?;
        check_text("id", &self.data_bundle_id, 256)
    }
}

/// Answer of 3.2.20: only the status, which the envelope consumes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct DeletePackageResponse {
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_keeps_flags_and_lists_together() {
        let r = AddPackageRequest::new("n", 10, FlowLimit::PerDay, ControlLogic::Throttle, "P1", vec!["454".into()])
            .with_refuels(vec!["R1".into()]);
        assert_eq!(r.support_refuel, YesNoInt::Yes);
        assert_eq!(r.is_support_direct, YesNo::No);
        assert!(r.validate().is_ok());
        let wire = serde_json::to_value(&r).unwrap();
        assert_eq!(wire["flowLimitType"], 2);
        assert_eq!(wire["isSupportDirect"], "2");
        assert_eq!(wire["supportRefuel"], 1);
        assert!(AddPackageRequest::default().validate().is_err());
    }

    #[test]
    fn update_omits_unset_fields_but_sends_explicit_empty_lists() {
        let mut r = UpdatePackageRequest::new("D1", 100);
        assert_eq!(serde_json::to_value(&r).unwrap(), serde_json::json!({"id":"D1","effectiveDay":"100"}));
        r.refuel_list = Some(Vec::new());
        assert_eq!(serde_json::to_value(&r).unwrap()["refuelList"], serde_json::json!([]));
        let back: UpdatePackageRequest = serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
        assert_eq!(back, r);
    }
}
