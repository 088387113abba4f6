//! 3.2.2 Query data bundles (`app_getDataBundle_SBO/v1`): the catalogue the channel can sell.

use super::common::{CooperationMode, DeductionModel, DialectInfo, Ext, Extra, LimitType, YesNo, pick_text};
use crate::datetime::DateTime;
use crate::error::Result;
use crate::operation::{Operation, OperationKind, TokenPolicy};
use crate::units::{DataVolume, Money, PriceInfo};
use crate::validate;
use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

crate::wire_enum! {
    /// Catalogue status of a bundle (`status` of `DataBundle`, and the request filter).
    pub enum BundleStatus: int {
        /// `1`: normal, on sale.
        Normal = "1",
        /// `2`: off sale: no new purchases, existing subscriptions keep working (reversible).
        OffSale = "2",
        /// `3`: cancelled (soft delete).
        Cancelled = "3",
    }
}

crate::wire_enum! {
    /// When billing of a bundle starts (`activationMode`).
    pub enum ActivationMode: str {
        /// `1`: on the reserved date or at the first usage record.
        ReservedDateOrFirstUse = "1",
        /// `2`: when the IMSI's Location Update is received.
        LocationUpdate = "2",
        /// `3`: when H-IMSI + V-IMSI usage passes a threshold.
        UsageThreshold = "3",
    }
}

crate::wire_enum! {
    /// Length unit of a bundle's validity (`periodType`); `period` counts these units.
    pub enum PeriodType: int {
        /// `0`: 24-hour periods.
        Hours24 = "0",
        /// `1`: natural (calendar) days.
        NaturalDay = "1",
        /// `2`: natural (calendar) months.
        NaturalMonth = "2",
        /// `3`: natural (calendar) years.
        NaturalYear = "3",
    }
}

crate::wire_enum! {
    /// Unit of an add-on's volume (`flowUnit` / `flowUnight`).
    pub enum FlowUnit: str {
        /// `1`: megabytes.
        Megabytes = "1",
        /// `2`: gigabytes.
        Gigabytes = "2",
    }
}

/// Request of 3.2.2: list the bundles the channel can sell.
///
/// The partner-ID field is not modelled: the spec spells it three ways (`partnerId`,
/// `Partners`, `Partner`) and it is optional, so it is never sent (spec §4 item 11).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, cmi_derive::Model)]
pub struct QueryDataBundlesRequest {
    /// `dataBundleId`: only this bundle (≤ 20 characters).
    #[serde(
        rename = "dataBundleId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub data_bundle_id: Option<String>,
    /// `dataBundleName`: filter by name (≤ 20 characters).
    #[serde(
        rename = "dataBundleName",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub data_bundle_name: Option<String>,
    /// `Group_id`: bundle group (≤ 32 characters). The wire key is spelled exactly so.
    #[serde(
        rename = "Group_id",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub group_id: Option<String>,
    /// `language`: ISO-639 code (`en`, `zh`) of the texts wanted. Unlike 3.2.6 this interface
    /// documents ISO codes, so it is free text here.
    #[serde(
        rename = "language",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub language: Option<String>,
    /// `country`: ISO-3166 code (`CN`, `US`, `HK` = traditional Chinese).
    #[serde(
        rename = "country",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub country: Option<String>,
    /// `mcc`: only bundles usable in this country (3 digits).
    #[serde(
        rename = "mcc",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub mcc: Option<String>,
    /// `status`: catalogue status filter; external callers pass [`BundleStatus::Normal`].
    /// The spec's example misspells the key `stauts`, accepted on decode.
    #[serde(
        rename = "status",
        alias = "stauts",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_enum"
    )]
    pub status: Option<BundleStatus>,
    /// `currency`: currencies wanted (`["USD"]`). A bare string is read as a one-item list;
    /// the list is always sent.
    #[serde(
        rename = "currency",
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::lenient::vec"
    )]
    pub currency: Vec<String>,
    /// `beginIndex`: start of the page, default 0. Whether the platform reads it as a row
    /// offset (the spec) or a page number (two production clients) is unconfirmed (spec §4
    /// item 8).
    #[serde(
        rename = "beginIndex",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_i64"
    )]
    pub begin_index: Option<i64>,
    /// `count`: page size, default 50.
    #[serde(
        rename = "count",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_i64"
    )]
    pub count: Option<i64>,
    /// `cooperationMode` (mandatory): the channel's contract mode; it must match the contract
    /// or the catalogue comes back empty or refused.
    #[serde(rename = "cooperationMode")]
    pub cooperation_mode: CooperationMode,
    /// `ext`: extension parameters (control only, not stored by CMI).
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
}

impl Default for QueryDataBundlesRequest {
    /// The whole catalogue for a consignment channel (`cooperationMode` `1`, what the public
    /// production clients send); A2Z channels set [`CooperationMode::A2z`].
    fn default() -> Self {
        Self::new(CooperationMode::Consignment)
    }
}

impl QueryDataBundlesRequest {
    /// The whole catalogue for a channel with this contract mode.
    pub fn new(cooperation_mode: CooperationMode) -> Self {
        Self {
            data_bundle_id: None,
            data_bundle_name: None,
            group_id: None,
            language: None,
            country: None,
            mcc: None,
            status: None,
            currency: Vec::new(),
            begin_index: None,
            count: None,
            cooperation_mode,
            ext: Ext::new(),
        }
    }

    /// Sets the page (`beginIndex`, `count`).
    pub fn with_page(mut self, begin_index: i64, count: i64) -> Self {
        self.begin_index = Some(begin_index);
        self.count = Some(count);
        self
    }
}

impl Operation for QueryDataBundlesRequest {
    const NAME: &'static str = "query_data_bundles";
    const PATH: &'static str = "app_getDataBundle_SBO/v1";
    const SECTION: &'static str = "3.2.2";
    const KIND: OperationKind = OperationKind::Query;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = QueryDataBundlesResponse;

    fn validate(&self) -> Result<()> {
        validate::required("cooperationMode", self.cooperation_mode.as_wire())?;
        validate::max_len("cooperationMode", self.cooperation_mode.as_wire(), 1)?;
        if let Some(id) = &self.data_bundle_id {
            validate::max_len("dataBundleId", id, 20)?;
        }
        if let Some(name) = &self.data_bundle_name {
            validate::max_len("dataBundleName", name, 20)?;
        }
        if let Some(group) = &self.group_id {
            validate::max_len("Group_id", group, 32)?;
        }
        validate::optional("mcc", self.mcc.as_deref(), validate::mcc)?;
        for (i, c) in self.currency.iter().enumerate() {
            let field = format!("currency[{i}]");
            validate::required(&field, c)?;
            validate::max_len(&field, c, 20)?;
        }
        validate::paging(self.begin_index, self.count)
    }
}

/// Answer of 3.2.2.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct QueryDataBundlesResponse {
    /// `dataBundles`: the bundles of this page (empty is normal).
    #[serde(rename = "dataBundles", default, deserialize_with = "crate::lenient::vec")]
    pub data_bundles: Vec<DataBundle>,
    /// `ext`: extension fields.
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl QueryDataBundlesResponse {
    /// The bundle with this ID, if it is on this page.
    pub fn find(&self, data_bundle_id: &str) -> Option<&DataBundle> {
        self.data_bundles.iter().find(|b| b.id == data_bundle_id.trim())
    }

    /// The bundles that may be used in the country `mcc`.
    pub fn covering_mcc<'a>(&'a self, mcc: &'a str) -> impl Iterator<Item = &'a DataBundle> + 'a {
        self.data_bundles.iter().filter(move |b| b.covers_mcc(mcc))
    }

    /// The bundles on sale ([`BundleStatus::Normal`]).
    pub fn on_sale(&self) -> impl Iterator<Item = &DataBundle> {
        self.data_bundles.iter().filter(|b| b.status == Some(BundleStatus::Normal))
    }
}

/// A bundle (package) of the catalogue (`DataBundle`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct DataBundle {
    /// `id`: bundle ID, the `dataBundleId` of other interfaces.
    #[serde(rename = "id", default, deserialize_with = "crate::lenient::string")]
    pub id: String,
    /// `name`: the name per language; see [`DataBundle::name_in`].
    #[serde(rename = "name", default, deserialize_with = "crate::lenient::vec")]
    pub name: Vec<DialectInfo>,
    /// `desc`: the description per language; see [`DataBundle::description_in`].
    #[serde(rename = "desc", default, deserialize_with = "crate::lenient::vec")]
    pub desc: Vec<DialectInfo>,
    /// `cardPools`: card-pool ID → networks the bundle may use in that pool. The spec's
    /// example draws it as a flat `{mcc, mnc}` object or a list; those shapes are read into
    /// the pool [`DataBundle::UNNAMED_POOL`].
    #[serde(rename = "cardPools", default, deserialize_with = "card_pools")]
    pub card_pools: BTreeMap<String, Vec<NetCapability>>,
    /// `status`: catalogue status.
    #[serde(
        rename = "status",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<BundleStatus>,
    /// `activationMode`: when billing starts.
    #[serde(
        rename = "activationMode",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub activation_mode: Option<ActivationMode>,
    /// `type`: whether the data limit applies per cycle or per day.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub limit_type: Option<LimitType>,
    /// `periodType`: the unit `period` counts.
    #[serde(
        rename = "periodType",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub period_type: Option<PeriodType>,
    /// `period`: how many `periodType` units the bundle lasts (e.g. 7 days).
    #[serde(
        rename = "period",
        default,
        deserialize_with = "crate::lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub period: Option<i64>,
    /// `imgurl`: cover image URL.
    #[serde(
        rename = "imgurl",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub img_url: Option<String>,
    /// `priceInfo`: selling price per currency, in cents; see [`DataBundle::price_in`].
    #[serde(
        rename = "priceInfo",
        default,
        deserialize_with = "crate::lenient::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub price_info: Vec<PriceInfo>,
    /// `refuelingPackage`: add-ons that can be bought on top of this bundle.
    #[serde(
        rename = "refuelingPackage",
        default,
        deserialize_with = "crate::lenient::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub refueling_packages: Vec<RefuelingPackage>,
    /// `createTime`: UTC.
    #[serde(
        rename = "createTime",
        default,
        deserialize_with = "crate::datetime::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub create_time: Option<DateTime>,
    /// `expireTime`: end of sale, UTC.
    #[serde(
        rename = "expireTime",
        default,
        deserialize_with = "crate::datetime::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub expire_time: Option<DateTime>,
    /// `lastModifyTime`: UTC.
    #[serde(
        rename = "lastModifyTime",
        default,
        deserialize_with = "crate::datetime::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_modify_time: Option<DateTime>,
    /// `originalPriceInfo`: list (pre-discount) price per currency, in cents.
    #[serde(
        rename = "originalPriceInfo",
        default,
        deserialize_with = "crate::lenient::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub original_price_info: Vec<PriceInfo>,
    /// `ext`: extension fields; the documented keys have typed accessors
    /// ([`DataBundle::is_promotional`], [`DataBundle::deduction_model`], ...).
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
    /// Fields the spec does not list (the documented `ext` keys land here when the platform
    /// sends them at the top level; the accessors look in both places).
    #[serde(flatten)]
    pub extra: Extra,
}

impl DataBundle {
    /// The `cardPools` key under which capabilities without a pool ID are kept.
    pub const UNNAMED_POOL: &'static str = "";

    /// The name in `language` (ISO-639, e.g. `en`), else English, else the first.
    pub fn name_in(&self, language: &str) -> Option<&str> {
        pick_text(&self.name, language)
    }

    /// The description in `language`, else English, else the first.
    pub fn description_in(&self, language: &str) -> Option<&str> {
        pick_text(&self.desc, language)
    }

    /// The selling price in `currency` (case-insensitive), if the bundle is priced in it.
    pub fn price_in(&self, currency: &str) -> Option<Money> {
        price_in(&self.price_info, currency)
    }

    /// The original (list) price in `currency`.
    pub fn original_price_in(&self, currency: &str) -> Option<Money> {
        price_in(&self.original_price_info, currency)
    }

    /// Whether any card pool of the bundle lists the country `mcc`.
    pub fn covers_mcc(&self, mcc: &str) -> bool {
        let mcc = mcc.trim();
        self.card_pools.values().flatten().any(|n| n.mcc.trim() == mcc)
    }

    /// Every country code the bundle covers, sorted and without repeats.
    pub fn mccs(&self) -> BTreeSet<&str> {
        self.card_pools.values().flatten().map(|n| n.mcc.trim()).filter(|m| !m.is_empty()).collect()
    }

    /// The add-on with this ID.
    pub fn refueling_package(&self, refueling_id: &str) -> Option<&RefuelingPackage> {
        self.refueling_packages.iter().find(|r| r.refueling_id == refueling_id.trim())
    }

    /// A documented extension key, read from `ext` first and then from the top level, since
    /// where the platform puts them is unconfirmed (spec §4 item 15). Blank is absent.
    pub fn ext_value(&self, key: &str) -> Option<String> {
        let from_ext = self.ext.get(key).map(|v| v.trim().to_owned());
        let from_top = || match self.extra.get(key)? {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Null => None,
            other => Some(other.to_string()),
        };
        from_ext.filter(|v| !v.is_empty()).or_else(|| from_top().filter(|v| !v.is_empty()))
    }

    /// `isPromotionalPackage`: whether this is a promotional bundle (`1`) or not (`0`); `None`
    /// when absent or not one of those codes.
    pub fn is_promotional(&self) -> Option<bool> {
        match self.ext_value("isPromotionalPackage")?.as_str() {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        }
    }

    /// `purchasesCount`: how many copies one may buy (promotional bundles only).
    pub fn purchases_count(&self) -> Option<i64> {
        crate::lenient::parse_i64(&self.ext_value("purchasesCount")?)
    }

    /// `discount`: the discount as a percentage of the original price.
    pub fn discount_percent(&self) -> Option<f64> {
        crate::lenient::parse_f64(self.ext_value("discount")?.trim_end_matches('%').trim())
    }

    /// `deductionModel`: standard or binding.
    pub fn deduction_model(&self) -> Option<DeductionModel> {
        self.ext_value("deductionModel").map(|v| DeductionModel::from_wire(&v))
    }

    /// `cooperationMode`: the contract mode the bundle is sold under.
    pub fn cooperation_mode(&self) -> Option<CooperationMode> {
        self.ext_value("cooperationMode").map(|v| CooperationMode::from_wire(&v))
    }

    /// `priority`: the bundle's priority as sent.
    pub fn priority(&self) -> Option<String> {
        self.ext_value("priority")
    }

    /// `deductionUrl`: the charging URL.
    pub fn deduction_url(&self) -> Option<String> {
        self.ext_value("deductionUrl")
    }
}

fn price_in(prices: &[PriceInfo], currency: &str) -> Option<Money> {
    let currency = currency.trim();
    prices.iter().find(|p| p.currency_code.trim().eq_ignore_ascii_case(currency)).and_then(PriceInfo::money)
}

/// Reads `cardPools` in every documented shape: the tabled map `{poolId: [NetCapability]}`
/// (a lone object per pool accepted), the example's flat `{mcc, mnc}`, or a bare list. The
/// last two carry no pool ID and are kept under [`DataBundle::UNNAMED_POOL`]. Unreadable
/// entries are skipped rather than failing the whole catalogue.
fn card_pools<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<BTreeMap<String, Vec<NetCapability>>, D::Error> {
    fn capabilities(v: Value) -> Vec<NetCapability> {
        let items = match v {
            Value::Array(items) => items,
            obj @ Value::Object(_) => vec![obj],
            _ => Vec::new(),
        };
        items.into_iter().filter_map(|i| serde_json::from_value(i).ok()).collect()
    }

    let mut out = BTreeMap::new();
    match Value::deserialize(d)? {
        Value::Object(map) if map.get("mcc").is_some_and(|m| !m.is_object() && !m.is_array()) => {
            out.insert(DataBundle::UNNAMED_POOL.to_owned(), capabilities(Value::Object(map)));
        }
        Value::Object(map) => {
            for (pool, v) in map {
                out.insert(pool, capabilities(v));
            }
        }
        list @ Value::Array(_) => {
            let caps = capabilities(list);
            if !caps.is_empty() {
                out.insert(DataBundle::UNNAMED_POOL.to_owned(), caps);
            }
        }
        _ => {}
    }
    Ok(out)
}

/// A network a bundle may use (`NetCapability`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct NetCapability {
    /// `mcc`: country code.
    #[serde(rename = "mcc", default, deserialize_with = "crate::lenient::string")]
    pub mcc: String,
    /// `mnc`: operator network code; absent means any network of the country.
    #[serde(
        rename = "mnc",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub mnc: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An add-on (refuel pack) linked to a bundle (`RefuelingPackage`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct RefuelingPackage {
    /// `refuelingID`: add-on ID, what 3.2.5 takes as `refuelingId`.
    #[serde(rename = "refuelingID", alias = "refuelingId", default, deserialize_with = "crate::lenient::string")]
    pub refueling_id: String,
    /// `nameCN`: simplified-Chinese name.
    #[serde(
        rename = "nameCN",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name_cn: Option<String>,
    /// `nameTW`: traditional-Chinese name.
    #[serde(
        rename = "nameTW",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name_tw: Option<String>,
    /// `nameEN`: English name.
    #[serde(
        rename = "nameEN",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name_en: Option<String>,
    /// `flowValue` (spelled `flowVrange` in the example and the en table): the volume, in
    /// `flow_unit`; see [`RefuelingPackage::volume`].
    #[serde(
        rename = "flowValue",
        alias = "flowVrange",
        default,
        deserialize_with = "crate::lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub flow_value: Option<i64>,
    /// `flowUnit` (spelled `flowUnight` in the example and the en table): MB or GB.
    #[serde(
        rename = "flowUnit",
        alias = "flowUnight",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub flow_unit: Option<FlowUnit>,
    /// `hkd`: price in HKD cents.
    #[serde(rename = "hkd", default, with = "crate::units::cents", skip_serializing_if = "Option::is_none")]
    pub hkd: Option<i64>,
    /// `usd`: price in USD cents.
    #[serde(rename = "usd", default, with = "crate::units::cents", skip_serializing_if = "Option::is_none")]
    pub usd: Option<i64>,
    /// `cny`: price in CNY cents.
    #[serde(rename = "cny", default, with = "crate::units::cents", skip_serializing_if = "Option::is_none")]
    pub cny: Option<i64>,
    /// `createTime`: UTC.
    #[serde(
        rename = "createTime",
        default,
        deserialize_with = "crate::datetime::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub create_time: Option<DateTime>,
    /// `isOrderingAllowed`: whether the add-on can be bought now.
    #[serde(
        rename = "isOrderingAllowed",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_ordering_allowed: Option<YesNo>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl RefuelingPackage {
    /// The price in `HKD`, `USD` or `CNY` (case-insensitive); `None` for other currencies.
    pub fn price_in(&self, currency: &str) -> Option<Money> {
        let code = currency.trim().to_ascii_uppercase();
        let cents = match code.as_str() {
            "HKD" => self.hkd,
            "USD" => self.usd,
            "CNY" => self.cny,
            _ => None,
        }?;
        Some(Money::new(cents, code))
    }

    /// The volume with its unit; `None` when the value or a known unit is missing.
    pub fn volume(&self) -> Option<DataVolume> {
        let value = self.flow_value? as f64;
        match self.flow_unit.as_ref()? {
            FlowUnit::Megabytes => Some(DataVolume::megabytes(value)),
            FlowUnit::Gigabytes => Some(DataVolume { value, unit: crate::units::DataUnit::Gigabytes }),
            FlowUnit::Unknown(_) => None,
        }
    }

    /// The name for an ISO-639 language (`zh` with country `TW`/`HK` picks traditional
    /// Chinese), else English, else any name given.
    pub fn name_in(&self, language: &str, country: Option<&str>) -> Option<&str> {
        let traditional = country.is_some_and(|c| c.eq_ignore_ascii_case("TW") || c.eq_ignore_ascii_case("HK"));
        let wanted = match language.trim().to_ascii_lowercase().as_str() {
            "zh" if traditional => &self.name_tw,
            "zh" => &self.name_cn,
            _ => &self.name_en,
        };
        wanted.as_deref().or(self.name_en.as_deref()).or(self.name_cn.as_deref()).or(self.name_tw.as_deref())
    }

    /// Whether the add-on can be bought now (`isOrderingAllowed` = 1).
    pub fn is_orderable(&self) -> bool {
        self.is_ordering_allowed == Some(YesNo::Yes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(json: &str) -> DataBundle {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn card_pools_in_every_shape() {
        let map = bundle(r#"{"cardPools":{"P1":[{"mcc":"454","mnc":"12"}],"P2":{"mcc":460}}}"#);
        assert_eq!(map.card_pools.len(), 2);
        assert!(map.covers_mcc("460") && map.covers_mcc(" 454 ") && !map.covers_mcc("452"));
        assert_eq!(map.mccs().into_iter().collect::<Vec<_>>(), ["454", "460"]);

        let flat = bundle(r#"{"cardPools":{"mcc":"454","mnc":"12"}}"#);
        assert_eq!(flat.card_pools[DataBundle::UNNAMED_POOL][0].mnc.as_deref(), Some("12"));

        let list = bundle(r#"{"cardPools":[{"mcc":"454"},{"mcc":"452"},7]}"#);
        assert_eq!(list.card_pools[DataBundle::UNNAMED_POOL].len(), 2);

        assert!(bundle(r#"{"cardPools":null}"#).card_pools.is_empty());
        assert!(bundle(r#"{"cardPools":""}"#).card_pools.is_empty());
    }

    #[test]
    fn ext_keys_are_read_from_ext_or_top_level() {
        let inside = bundle(r#"{"ext":{"isPromotionalPackage":"1","purchasesCount":"3","deductionModel":"2"}}"#);
        assert_eq!(inside.is_promotional(), Some(true));
        assert_eq!(inside.purchases_count(), Some(3));
        assert_eq!(inside.deduction_model(), Some(DeductionModel::Binding));

        let top = bundle(r#"{"isPromotionalPackage":0,"discount":"85","cooperationMode":"2","ext":{"priority":""}}"#);
        assert_eq!(top.is_promotional(), Some(false));
        assert_eq!(top.discount_percent(), Some(85.0));
        assert_eq!(top.cooperation_mode(), Some(CooperationMode::A2z));
        assert_eq!(top.priority(), None);
        assert_eq!(top.purchases_count(), None);
    }

    #[test]
    fn prices_and_volumes() {
        let b = bundle(r#"{"priceInfo":[{"currencyCode":"HKD","price":"3900"},{"currencyCode":"USD","price":500}]}"#);
        assert_eq!(b.price_in("usd"), Some(Money::new(500, "USD")));
        assert_eq!(b.price_in("CNY"), None);

        let r: RefuelingPackage =
            serde_json::from_str(r#"{"refuelingID":"R1","flowVrange":"2","flowUnight":2,"usd":"100"}"#).unwrap();
        assert_eq!(r.volume().map(|v| v.as_megabytes()), Some(2048.0));
        assert_eq!(r.price_in("usd"), Some(Money::new(100, "USD")));
        assert_eq!(r.price_in("HKD"), None);
    }

    #[test]
    fn identifiers_too_large_for_an_exact_number_are_refused() {
        #[derive(Deserialize)]
        struct Probe {
            #[serde(default, deserialize_with = "crate::lenient::opt_id_string")]
            iccid: Option<String>,
        }
        let ok: Probe = serde_json::from_str(r#"{"iccid":8985234200000000001}"#).unwrap();
        assert_eq!(ok.iccid.as_deref(), Some("8985234200000000001"));
        assert!(serde_json::from_str::<Probe>(r#"{"iccid":89852342000000000012}"#).is_err());
        assert_eq!(serde_json::from_str::<Probe>(r#"{"iccid":" "}"#).unwrap().iccid, None);
    }

    #[test]
    fn status_filter_is_read_from_the_typo_and_sent_as_a_number() {
        let r: QueryDataBundlesRequest =
            serde_json::from_str(r#"{"stauts":"1","cooperationMode":1,"currency":"USD"}"#).unwrap();
        assert_eq!(r.status, Some(BundleStatus::Normal));
        assert_eq!(r.currency, ["USD"]);
        let wire = serde_json::to_value(&r).unwrap();
        assert_eq!(wire, serde_json::json!({"status":1,"cooperationMode":"1","currency":["USD"]}));
    }
}
