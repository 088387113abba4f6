//! 3.2.24 Apps linked to the channel (`SBO_channel_app/v1`), 3.2.25 Countries linked to the
//! channel (`APP_getCountryGroupInfo_SBO/v1`).

use super::common::{Extra, YesNo};
use crate::error::{Error, Result};
use crate::operation::{Operation, OperationKind, TokenPolicy};
use crate::validate;
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------------
// 3.2.24 query_channel_apps
// ---------------------------------------------------------------------------------------------

/// Request of 3.2.24: the directional apps the channel may use, with their speed templates
/// (the IDs feed `appId`, `upccTemplateId` and `noLimitTemplateId` of 3.2.18).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct QueryChannelAppsRequest {
    /// `appName`: only apps with this name (≤ 10 characters).
    #[serde(
        rename = "appName",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub app_name: Option<String>,
}

impl QueryChannelAppsRequest {
    /// Every app linked to the channel.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only apps named `app_name`.
    pub fn by_name(app_name: impl Into<String>) -> Self {
        Self { app_name: Some(app_name.into()) }
    }
}

impl Operation for QueryChannelAppsRequest {
    const NAME: &'static str = "query_channel_apps";
    const PATH: &'static str = "SBO_channel_app/v1";
    const SECTION: &'static str = "3.2.24";
    const KIND: OperationKind = OperationKind::Query;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = QueryChannelAppsResponse;

    fn validate(&self) -> Result<()> {
        match validate::present(&self.app_name) {
            Some(v) => validate::max_len("appName", v, 10),
            None => Ok(()),
        }
    }
}

/// Answer of 3.2.24.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct QueryChannelAppsResponse {
    /// `data`: the apps.
    #[serde(rename = "data", default, deserialize_with = "crate::lenient::vec")]
    pub apps: Vec<ChannelApp>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl QueryChannelAppsResponse {
    /// The app with this name, compared case-insensitively after trimming.
    pub fn find_by_name(&self, app_name: &str) -> Option<&ChannelApp> {
        self.apps.iter().find(|a| a.app_name.trim().eq_ignore_ascii_case(app_name.trim()))
    }
}

/// `PackageDirectionalDTO`: one directional app.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct ChannelApp {
    /// `id`: the app ID (a 19-digit string such as `1760202564336353280`).
    #[serde(rename = "id", default, deserialize_with = "crate::lenient::string")]
    pub app_id: String,
    /// `appName`: its name.
    #[serde(rename = "appName", default, deserialize_with = "crate::lenient::string")]
    pub app_name: String,
    /// `appUpccInfo`: the speed templates usable for it.
    #[serde(rename = "appUpccInfo", default, deserialize_with = "crate::lenient::vec")]
    pub app_upcc_info: Vec<AppUpccInfo>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ChannelApp {
    /// The template with this ID.
    pub fn template(&self, upcc_template_id: &str) -> Option<&AppUpccInfo> {
        self.app_upcc_info.iter().find(|t| t.upcc_template_id.trim() == upcc_template_id.trim())
    }
}

crate::wire_enum! {
    /// Unit of a template's `rate` (`unit`).
    pub enum RateUnit: str {
        /// `1`: kb/s.
        KilobitsPerSecond = "1",
        /// `2`: mb/s.
        MegabitsPerSecond = "2",
    }
}

/// `AppUpccInfo`: one speed template of an app.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct AppUpccInfo {
    /// `upccTemplateId`: the template ID.
    #[serde(rename = "upccTemplateId", default, deserialize_with = "crate::lenient::string")]
    pub upcc_template_id: String,
    /// `templateName`: its name (may be mis-decoded Chinese, kept as sent).
    #[serde(rename = "templateName", default, deserialize_with = "crate::lenient::string")]
    pub template_name: String,
    /// `templateDesc`: its description, exactly as sent (a trailing `\n` included).
    #[serde(rename = "templateDesc", default, deserialize_with = "crate::lenient::string")]
    pub template_description: String,
    /// `rate`: the speed, in `unit`s (`0` blocks the app).
    #[serde(
        rename = "rate",
        default,
        deserialize_with = "crate::lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub rate: Option<i64>,
    /// `unit`: the unit of `rate`.
    #[serde(
        rename = "unit",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub unit: Option<RateUnit>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------------------------
// 3.2.25 query_country_groups
// ---------------------------------------------------------------------------------------------

/// Request of 3.2.25: the countries the channel's card pools cover, with the usage tiers
/// available in each (input for `mccList` and `packageConsumptions` of 3.2.18).
///
/// `Default` leaves `isSupportedHotspots` unset, which validation refuses: use
/// [`QueryCountryGroupsRequest::new`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, cmi_derive::Model)]
pub struct QueryCountryGroupsRequest {
    /// `isSupportedHotspots`: countries for hotspot-capable (`1`) or other (`2`) bundles; a
    /// String on the wire here.
    #[serde(rename = "isSupportedHotspots")]
    pub is_supported_hotspots: YesNo,
}

impl Default for QueryCountryGroupsRequest {
    fn default() -> Self {
        Self { is_supported_hotspots: YesNo::from_wire("") }
    }
}

impl QueryCountryGroupsRequest {
    /// Countries for bundles with (`YesNo::Yes`) or without hotspot support.
    pub fn new(is_supported_hotspots: YesNo) -> Self {
        Self { is_supported_hotspots }
    }
}

impl Operation for QueryCountryGroupsRequest {
    const NAME: &'static str = "query_country_groups";
    const PATH: &'static str = "APP_getCountryGroupInfo_SBO/v1";
    const SECTION: &'static str = "3.2.25";
    const KIND: OperationKind = OperationKind::Query;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = QueryCountryGroupsResponse;

    fn validate(&self) -> Result<()> {
        validate::required("isSupportedHotspots", self.is_supported_hotspots.as_wire())?;
        if !self.is_supported_hotspots.is_known() {
            return Err(Error::validation("isSupportedHotspots", "must be 1 (yes) or 2 (no)"));
        }
        Ok(())
    }
}

/// Answer of 3.2.25, normalised.
///
/// The table names the list `data`, the example `cardPoolMccDTOS`; either decodes into
/// `countries`, which re-encodes as `data`. When both carry entries, `data` wins and
/// `cardPoolMccDTOS` is kept as received in `extra`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
#[serde(from = "RawQueryCountryGroupsResponse")]
pub struct QueryCountryGroupsResponse {
    /// `data` (table) / `cardPoolMccDTOS` (example): the countries.
    #[serde(rename = "data")]
    pub countries: Vec<CardPoolMcc>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Both documented keys of 3.2.25 before normalisation (serde `alias` would refuse an answer
/// that carries both).
#[derive(Deserialize)]
struct RawQueryCountryGroupsResponse {
    #[serde(rename = "data", default)]
    data: Option<serde_json::Value>,
    #[serde(rename = "cardPoolMccDTOS", default)]
    card_pool_mcc_dtos: Option<serde_json::Value>,
    #[serde(flatten)]
    extra: Extra,
}

/// Reads the list under `key`; a node that is present but unreadable is kept in `extra`.
fn take_countries(extra: &mut Extra, key: &str, node: Option<serde_json::Value>) -> Vec<CardPoolMcc> {
    let Some(node) = node else { return Vec::new() };
    match crate::lenient::vec::<_, CardPoolMcc>(node.clone()) {
        Ok(list) => list,
        Err(_) => {
            extra.insert(key.to_owned(), node);
            Vec::new()
        }
    }
}

impl From<RawQueryCountryGroupsResponse> for QueryCountryGroupsResponse {
    fn from(raw: RawQueryCountryGroupsResponse) -> Self {
        let mut extra = raw.extra;
        let data = take_countries(&mut extra, "data", raw.data);
        let countries = if data.is_empty() {
            take_countries(&mut extra, "cardPoolMccDTOS", raw.card_pool_mcc_dtos)
        } else {
            let other = raw.card_pool_mcc_dtos.filter(|v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()));
            if let Some(other) = other {
                extra.insert("cardPoolMccDTOS".to_owned(), other);
            }
            data
        };
        Self { countries, extra }
    }
}

impl QueryCountryGroupsResponse {
    /// The country with this MCC (compared after trimming).
    pub fn find(&self, mcc: &str) -> Option<&CardPoolMcc> {
        self.countries.iter().find(|c| c.mcc.trim() == mcc.trim())
    }

    /// The well-formed MCCs (3 digits), ready for `mccList` of 3.2.18. Corrupt values such as
    /// the spec example's `338$$$$$$` are left out; they stay visible in `countries`.
    pub fn mcc_list(&self) -> Vec<String> {
        self.countries
            .iter()
            .map(|c| c.mcc.trim())
            .filter(|m| validate::mcc("mcc", m).is_ok())
            .map(str::to_owned)
            .collect()
    }
}

/// `CardPoolMccDTO`: one country of the channel's card pools.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct CardPoolMcc {
    /// `mcc`: country code, kept as sent and not validated (the spec example has `338$$$$$$`).
    #[serde(rename = "mcc", default, deserialize_with = "crate::lenient::string")]
    pub mcc: String,
    /// `countryName`: the country's name.
    #[serde(rename = "countryName", default, deserialize_with = "crate::lenient::string")]
    pub country_name: String,
    /// `consumption`: the usage tiers available there.
    #[serde(rename = "consumption", default, deserialize_with = "crate::lenient::vec")]
    pub consumption: Vec<MccTier>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl CardPoolMcc {
    /// The tier volumes in MB, in answer order, skipping tier-less (`null`) rows.
    pub fn tiers_mb(&self) -> Vec<i64> {
        self.consumption.iter().filter_map(|t| t.consumption).collect()
    }
}

/// `MccInfoDTO`: one usage tier of a country.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct MccTier {
    /// `consumption`: the tier's volume in MB; `None` when the country has no tiers.
    #[serde(
        rename = "consumption",
        default,
        deserialize_with = "crate::lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub consumption: Option<i64>,
    /// `is_only_supported_hotspots` (table) / `isOnlySupportedHotspots` (example): `1` the
    /// country can only be used by hotspot-capable bundles, `2` by any bundle.
    #[serde(
        rename = "is_only_supported_hotspots",
        alias = "isOnlySupportedHotspots",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_only_supported_hotspots: Option<YesNo>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl MccTier {
    /// Whether only hotspot-capable bundles may use the country.
    pub fn hotspot_only(&self) -> bool {
        self.is_only_supported_hotspots == Some(YesNo::Yes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn either_key_and_both_spellings() {
        let a: QueryCountryGroupsResponse = serde_json::from_str(
            r#"{"cardPoolMccDTOS":[{"mcc":"454","countryName":"Hong Kong","consumption":[{"consumption":500,"isOnlySupportedHotspots":"1"}]}]}"#,
        )
        .unwrap();
        let b: QueryCountryGroupsResponse = serde_json::from_str(
            r#"{"data":[{"mcc":"454","countryName":"Hong Kong","consumption":[{"consumption":"500","is_only_supported_hotspots":1}]}]}"#,
        )
        .unwrap();
        assert_eq!(a, b);
        assert!(a.countries[0].consumption[0].hotspot_only());
        assert_eq!(a.find("454").map(|c| c.tiers_mb()), Some(vec![500]));
    }

    #[test]
    fn both_keys_keep_the_second_in_extra() {
        let r: QueryCountryGroupsResponse =
            serde_json::from_str(r#"{"data":[{"mcc":"454"}],"cardPoolMccDTOS":[{"mcc":"342"}]}"#).unwrap();
        assert_eq!(r.mcc_list(), vec!["454".to_owned()]);
        assert_eq!(r.extra["cardPoolMccDTOS"][0]["mcc"], "342");
        let r: QueryCountryGroupsResponse =
            serde_json::from_str(r#"{"data":[],"cardPoolMccDTOS":[{"mcc":"338$$$$$$"},{"mcc":"342"}]}"#).unwrap();
        assert_eq!(r.countries.len(), 2);
        assert_eq!(r.mcc_list(), vec!["342".to_owned()]);
        assert!(r.extra.is_empty());
    }

    #[test]
    fn template_description_keeps_its_newline() {
        let r: QueryChannelAppsResponse = serde_json::from_str(
            r#"{"data":{"id":1760202564336353280,"appName":"YouTube","appUpccInfo":{"upccTemplateId":"P1","templateDesc":"g\n","rate":"10","unit":2}}}"#,
        )
        .unwrap();
        let app = r.find_by_name("youtube").unwrap();
        assert_eq!(app.app_id, "1760202564336353280");
        let t = app.template("P1").unwrap();
        assert_eq!(t.template_description, "g\n");
        assert_eq!((t.rate, t.unit.clone()), (Some(10), Some(RateUnit::MegabitsPerSecond)));
    }
}
