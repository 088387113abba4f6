//! 3.2.8 Quota (`APP_getSubscriberAllQuota_SBO/v1`), 3.2.11 Usage trajectories
//! (`SBO_query_usingTrajectories/v1`).

use super::common::{Ext, Extra, LimitType, TrajectoryLanguage};
use crate::datetime::Date;
use crate::error::{Error, Result};
use crate::guard::CardTargets;
use crate::operation::{Operation, OperationKind, TokenPolicy};
use crate::units::DataVolume;
use crate::validate;
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------------
// 3.2.8 query_quota
// ---------------------------------------------------------------------------------------------

/// Request of 3.2.8: real-time quota and daily history of the bundle in use.
///
/// Select the card with `himsi` or `iccid`, or narrow to one order with `childOrderId` (when
/// given, the platform uses only it) or `thirdOrderId` (production clients query with it alone).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct QueryQuotaRequest {
    /// `himsi` (lower-case in this interface): the primary card's IMSI.
    #[serde(
        rename = "himsi",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub h_imsi: Option<String>,
    /// `iccid`: the card's ICCID.
    #[serde(
        rename = "iccid",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub iccid: Option<String>,
    /// `beginTime`: first day of the history, `YYYYMMDD` (see [`Self::with_period`]).
    #[serde(
        rename = "beginTime",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub begin_date: Option<String>,
    /// `endTime`: last day of the history, `YYYYMMDD`, not before `beginTime`.
    #[serde(
        rename = "endTime",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub end_date: Option<String>,
    /// `childOrderId`: a child order (the `subscriptionKey` of 3.2.6); when given, the platform
    /// ignores every other selector.
    #[serde(
        rename = "childOrderId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub child_order_id: Option<String>,
    /// `thirdOrderId`: the partner's own order ID.
    #[serde(
        rename = "thirdOrderId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub third_order_id: Option<String>,
    /// `ext`: extension properties (one client sends `{"todayFlow":"2"}`, meaning undocumented).
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
}

impl QueryQuotaRequest {
    /// Quota of the card with this ICCID.
    pub fn by_iccid(iccid: impl Into<String>) -> Self {
        Self { iccid: Some(iccid.into()), ..Self::default() }
    }

    /// Quota of the card with this H-IMSI.
    pub fn by_h_imsi(h_imsi: impl Into<String>) -> Self {
        Self { h_imsi: Some(h_imsi.into()), ..Self::default() }
    }

    /// Quota of one child order (`childOrderId`).
    pub fn by_child_order_id(child_order_id: impl Into<String>) -> Self {
        Self { child_order_id: Some(child_order_id.into()), ..Self::default() }
    }

    /// Quota of the order the partner created under `thirdOrderId`.
    pub fn by_third_order_id(third_order_id: impl Into<String>) -> Self {
        Self { third_order_id: Some(third_order_id.into()), ..Self::default() }
    }

    /// Sets `beginTime` and `endTime` from typed dates (both inclusive).
    pub fn with_period(mut self, begin: Date, end: Date) -> Self {
        self.begin_date = Some(begin.to_compact());
        self.end_date = Some(end.to_compact());
        self
    }
}

impl Operation for QueryQuotaRequest {
    const NAME: &'static str = "query_quota";
    const PATH: &'static str = "APP_getSubscriberAllQuota_SBO/v1";
    const SECTION: &'static str = "3.2.8";
    const KIND: OperationKind = OperationKind::Query;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = QueryQuotaResponse;

    fn cards(&self) -> CardTargets<'_> {
        CardTargets::one(
            self.iccid.as_deref(),
            &[self.h_imsi.as_deref(), self.child_order_id.as_deref(), self.third_order_id.as_deref()],
        )
    }

    fn validate(&self) -> Result<()> {
        let by_order =
            validate::present(&self.child_order_id).is_some() || validate::present(&self.third_order_id).is_some();
        if !by_order {
            validate::one_of(&[("himsi", self.h_imsi.as_deref()), ("iccid", self.iccid.as_deref())])?;
        }
        validate::optional("himsi", self.h_imsi.as_deref(), validate::imsi)?;
        validate::optional("iccid", self.iccid.as_deref(), validate::iccid)?;
        if let Some(v) = validate::present(&self.child_order_id) {
            validate::max_len("childOrderId", v, 50)?;
        }
        if let Some(v) = validate::present(&self.third_order_id) {
            validate::max_len("thirdOrderId", v, 200)?;
        }
        let begin = validate::present(&self.begin_date).map(|v| validate::date("beginTime", v)).transpose()?;
        let end = validate::present(&self.end_date).map(|v| validate::date("endTime", v)).transpose()?;
        if let (Some(b), Some(e)) = (begin, end) {
            if e < b {
                return Err(Error::validation("endTime", "must not be before beginTime"));
            }
        }
        Ok(())
    }
}

/// Answer of 3.2.8, normalised.
///
/// The spec documents two shapes: a `quotaList` of [`QuotaRes`] (the table; what production
/// clients read) and the fields of one `QuotaRes` at the top level (the example). Both decode
/// into `quota_list`; a top-level form becomes one more entry (after any `quotaList` entries)
/// that also takes the top-level `ext`. The typed form always re-encodes as `quotaList`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
#[serde(from = "RawQueryQuotaResponse")]
pub struct QueryQuotaResponse {
    /// `quotaList`: one entry per bundle reported.
    #[serde(rename = "quotaList")]
    pub quota_list: Vec<QuotaRes>,
    /// `ext`: extension properties of the answer (only in the `quotaList` shape; in the
    /// top-level shape `ext` belongs to the entry).
    #[serde(rename = "ext", skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub ext: Ext,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Both documented shapes of 3.2.8, side by side, before normalisation.
#[derive(Deserialize)]
struct RawQueryQuotaResponse {
    #[serde(rename = "quotaList", default, deserialize_with = "crate::lenient::vec")]
    quota_list: Vec<QuotaRes>,
    #[serde(rename = "subscriberQuota", default, deserialize_with = "crate::lenient::opt_object")]
    subscriber_quota: Option<SubscriberQuota>,
    #[serde(rename = "historyQuota", default, deserialize_with = "crate::lenient::vec")]
    history_quota: Vec<HistoryQuota>,
    #[serde(rename = "ext", default)]
    ext: Ext,
    #[serde(flatten)]
    extra: Extra,
}

impl From<RawQueryQuotaResponse> for QueryQuotaResponse {
    fn from(raw: RawQueryQuotaResponse) -> Self {
        let mut quota_list = raw.quota_list;
        let mut ext = raw.ext;
        if raw.subscriber_quota.is_some() || !raw.history_quota.is_empty() {
            quota_list.push(QuotaRes {
                subscriber_quota: raw.subscriber_quota,
                history_quota: raw.history_quota,
                ext: std::mem::take(&mut ext),
                extra: Extra::new(),
            });
        }
        Self { quota_list, ext, extra: raw.extra }
    }
}

impl QueryQuotaResponse {
    /// The real-time quota of the bundle in use: the `subscriberQuota` of the first entry that
    /// carries one (entries without one, history-only entries, are skipped). `None` when no
    /// entry has a real-time quota, e.g. no bundle is in use. When several bundles report a
    /// quota, iterate [`Self::subscriber_quotas`] instead.
    pub fn current(&self) -> Option<&SubscriberQuota> {
        self.subscriber_quotas().next()
    }

    /// Every real-time quota in the answer, in answer order.
    pub fn subscriber_quotas(&self) -> impl Iterator<Item = &SubscriberQuota> {
        self.quota_list.iter().filter_map(|q| q.subscriber_quota.as_ref())
    }

    /// Every daily history row of every entry, in answer order.
    pub fn history(&self) -> impl Iterator<Item = &HistoryQuota> {
        self.quota_list.iter().flat_map(|q| q.history_quota.iter())
    }

    /// Total MB used on `date` (an Asia/Shanghai day, see [`HistoryQuota::date`]): the sum of the
    /// all-traffic rows (no `appName`) of that day; `None` when the day has no such row.
    pub fn used_on_mb(&self, date: Date) -> Option<f64> {
        let rows: Vec<f64> = self
            .history()
            .filter(|h| h.date == Some(date) && h.app_name.is_none())
            .filter_map(|h| h.consumption.map(|v| v.as_megabytes()))
            .collect();
        (!rows.is_empty()).then(|| rows.iter().sum())
    }

    /// Remaining high-speed MB of the [current](Self::current) bundle.
    pub fn remaining_mb(&self) -> Option<f64> {
        self.current().and_then(SubscriberQuota::remaining_mb)
    }

    /// Total high-speed MB (allowance plus add-ons) of the [current](Self::current) bundle.
    pub fn total_mb(&self) -> Option<f64> {
        self.current().and_then(SubscriberQuota::total_mb)
    }

    /// High-speed MB used of the [current](Self::current) bundle.
    pub fn used_mb(&self) -> Option<f64> {
        self.current().and_then(SubscriberQuota::used_mb)
    }
}

/// `QuotaRes`: usage of one bundle.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct QuotaRes {
    /// `subscriberQuota`: the real-time quota of the bundle.
    #[serde(
        rename = "subscriberQuota",
        default,
        deserialize_with = "crate::lenient::opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub subscriber_quota: Option<SubscriberQuota>,
    /// `historyQuota`: usage per day (and per app).
    #[serde(rename = "historyQuota", default, deserialize_with = "crate::lenient::vec")]
    pub history_quota: Vec<HistoryQuota>,
    /// `ext`: extension properties.
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `SubscriberQuota`: the real-time quota of a bundle. Volumes are MB (`"300.00"`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct SubscriberQuota {
    /// `qtavalue`: high-speed allowance for the cycle, or for the day for daily bundles; add-ons
    /// excluded.
    #[serde(rename = "qtavalue", default, with = "crate::units::mb", skip_serializing_if = "Option::is_none")]
    pub allowance: Option<DataVolume>,
    /// `qtabalance`: high-speed volume remaining.
    #[serde(rename = "qtabalance", default, with = "crate::units::mb", skip_serializing_if = "Option::is_none")]
    pub balance: Option<DataVolume>,
    /// `qtaconsumption`: high-speed volume used since activation (today, for daily bundles).
    #[serde(rename = "qtaconsumption", default, with = "crate::units::mb", skip_serializing_if = "Option::is_none")]
    pub consumption: Option<DataVolume>,
    /// `type`: whether the limit applies per cycle or per day.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub limit_type: Option<LimitType>,
    /// `refuelingTotal`: add-on volume bought (activated, or activated today for daily bundles).
    #[serde(rename = "refuelingTotal", default, with = "crate::units::mb", skip_serializing_if = "Option::is_none")]
    pub refueling_total: Option<DataVolume>,
    /// `qtaconsumptionTotal`: everything used, high-speed and throttled.
    #[serde(
        rename = "qtaconsumptionTotal",
        default,
        with = "crate::units::mb",
        skip_serializing_if = "Option::is_none"
    )]
    pub consumption_total: Option<DataVolume>,
    /// `directionalAppFlow`: usage of directional-app groups.
    #[serde(rename = "directionalAppFlow", default, deserialize_with = "crate::lenient::vec")]
    pub directional_app_flow: Vec<DirectionalAppFlow>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl SubscriberQuota {
    /// Remaining high-speed MB (`qtabalance`).
    pub fn remaining_mb(&self) -> Option<f64> {
        self.balance.map(|v| v.as_megabytes())
    }

    /// Total high-speed MB: `qtavalue` plus `refuelingTotal` (a missing add-on total counts as
    /// 0); `None` without `qtavalue`.
    pub fn total_mb(&self) -> Option<f64> {
        let base = self.allowance?.as_megabytes();
        Some(base + self.refueling_total.map_or(0.0, |v| v.as_megabytes()))
    }

    /// High-speed MB used (`qtaconsumption`), the counterpart of [`Self::total_mb`] and
    /// [`Self::remaining_mb`]. Throttled traffic is only in [`Self::used_total_mb`].
    pub fn used_mb(&self) -> Option<f64> {
        self.consumption.map(|v| v.as_megabytes())
    }

    /// Every MB used, high-speed and throttled (`qtaconsumptionTotal`).
    pub fn used_total_mb(&self) -> Option<f64> {
        self.consumption_total.map(|v| v.as_megabytes())
    }
}

/// `DirectionalAppFlow`: usage of one group of directional apps. Volumes are MB.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct DirectionalAppFlow {
    /// `directionalAppTotalFlow`: the group's allowance.
    #[serde(
        rename = "directionalAppTotalFlow",
        default,
        with = "crate::units::mb",
        skip_serializing_if = "Option::is_none"
    )]
    pub total: Option<DataVolume>,
    /// `directionalAppUsedFlow`: what the group used.
    #[serde(
        rename = "directionalAppUsedFlow",
        default,
        with = "crate::units::mb",
        skip_serializing_if = "Option::is_none"
    )]
    pub used: Option<DataVolume>,
    /// `directionalAppName`: the apps of the group.
    #[serde(rename = "directionalAppName", default, deserialize_with = "crate::lenient::string_vec")]
    pub app_names: Vec<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `HistoryQuota`: usage of one day (and, when `appName` is set, of one app on that day).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct HistoryQuota {
    /// `time`: the day, `YYYYMMDD`. Day boundaries appear to be Asia/Shanghai (UTC+8) days: a
    /// production client matches them against the Beijing date; the spec is silent.
    #[serde(
        rename = "time",
        default,
        deserialize_with = "crate::datetime::opt_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub date: Option<Date>,
    /// `qtaconsumption`: volume used that day, MB.
    #[serde(rename = "qtaconsumption", default, with = "crate::units::mb", skip_serializing_if = "Option::is_none")]
    pub consumption: Option<DataVolume>,
    /// `mcc`: country the usage happened in.
    #[serde(rename = "mcc", default, deserialize_with = "crate::lenient::string")]
    pub mcc: String,
    /// `appName`: the app; absent or `null` for the row of all traffic.
    #[serde(
        rename = "appName",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub app_name: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------------------------
// 3.2.11 query_usage_trajectories
// ---------------------------------------------------------------------------------------------

/// Request of 3.2.11: the countries one bundle of one card was used in, in time order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct QueryUsageTrajectoriesRequest {
    /// `imsi`: the primary card's IMSI; one of `imsi` / `iccid` is required.
    #[serde(
        rename = "imsi",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub imsi: Option<String>,
    /// `iccid`: the card's ICCID; one of `imsi` / `iccid` is required.
    #[serde(
        rename = "iccid",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub iccid: Option<String>,
    /// `packageID` (upper-case `ID`): the bundle.
    #[serde(rename = "packageID", deserialize_with = "crate::lenient::string")]
    pub data_bundle_id: String,
    /// `orderID`: the platform order ID (the zh text says "global card ID"; presumably the order).
    #[serde(
        rename = "orderID",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub order_id: Option<String>,
    /// `subscriptionKey`: the child order ID as 3.2.6 returns it (= `childOrderId` of 3.2.8).
    #[serde(
        rename = "subscriptionKey",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub subscription_key: Option<String>,
    /// `language`: language of the country names (note the order differs from 3.2.7).
    #[serde(
        rename = "language",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_enum"
    )]
    pub language: Option<TrajectoryLanguage>,
}

impl QueryUsageTrajectoriesRequest {
    /// Trajectory of bundle `data_bundle_id` on the card with this ICCID.
    pub fn by_iccid(iccid: impl Into<String>, data_bundle_id: impl Into<String>) -> Self {
        Self { iccid: Some(iccid.into()), data_bundle_id: data_bundle_id.into(), ..Self::default() }
    }

    /// Trajectory of bundle `data_bundle_id` on the card with this IMSI.
    pub fn by_imsi(imsi: impl Into<String>, data_bundle_id: impl Into<String>) -> Self {
        Self { imsi: Some(imsi.into()), data_bundle_id: data_bundle_id.into(), ..Self::default() }
    }
}

impl Operation for QueryUsageTrajectoriesRequest {
    const NAME: &'static str = "query_usage_trajectories";
    const PATH: &'static str = "SBO_query_usingTrajectories/v1";
    const SECTION: &'static str = "3.2.11";
    const KIND: OperationKind = OperationKind::Query;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = QueryUsageTrajectoriesResponse;

    fn cards(&self) -> CardTargets<'_> {
        CardTargets::one(self.iccid.as_deref(), &[self.imsi.as_deref(), self.order_id.as_deref()])
    }

    fn validate(&self) -> Result<()> {
        validate::one_of(&[("imsi", self.imsi.as_deref()), ("iccid", self.iccid.as_deref())])?;
        validate::optional("imsi", self.imsi.as_deref(), validate::imsi)?;
        validate::optional("iccid", self.iccid.as_deref(), validate::iccid)?;
        validate::required("packageID", &self.data_bundle_id)?;
        validate::max_len("packageID", &self.data_bundle_id, 20)?;
        if let Some(v) = validate::present(&self.order_id) {
            validate::max_len("orderID", v, 32)?;
        }
        if let Some(v) = validate::present(&self.subscription_key) {
            validate::max_len("subscriptionKey", v, 50)?;
        }
        if self.language.as_ref().is_some_and(|l| !l.is_known()) {
            return Err(Error::validation("language", "must be 0 (Chinese), 1 (English) or 2 (traditional Chinese)"));
        }
        Ok(())
    }
}

/// Answer of 3.2.11.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct QueryUsageTrajectoriesResponse {
    /// `trajectoriesList`: the countries, in time order as sent.
    #[serde(rename = "trajectoriesList", default, deserialize_with = "crate::lenient::vec")]
    pub trajectories_list: Vec<Trajectory>,
    /// `ext`: extension properties.
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl QueryUsageTrajectoriesResponse {
    /// The most recent stay: the entry with the latest `beginTime` (then `useTime`); among equal
    /// dates the one sent last. Chosen by date, not by position, so an answer in reverse order
    /// still gives the right country. `None` for an empty list.
    pub fn latest(&self) -> Option<&Trajectory> {
        self.trajectories_list.iter().max_by_key(|t| (t.begin_date, t.end_date))
    }
}

/// `trajectories`: one stay of the card in one country.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct Trajectory {
    /// `hImsi` (a client sample spells it `himsi`): the primary card's IMSI.
    #[serde(rename = "hImsi", alias = "himsi", default, deserialize_with = "crate::lenient::string")]
    pub h_imsi: String,
    /// `vimsi`: the V-IMSI assigned in that country.
    #[serde(
        rename = "vimsi",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub vimsi: Option<String>,
    /// `mcc`: country code.
    #[serde(rename = "mcc", default, deserialize_with = "crate::lenient::string")]
    pub mcc: String,
    /// `country`: country name in the requested language.
    #[serde(rename = "country", default, deserialize_with = "crate::lenient::string")]
    pub country: String,
    /// `beginTime`: first day, `YYYYMMDD` (zone unstated).
    #[serde(
        rename = "beginTime",
        default,
        deserialize_with = "crate::datetime::opt_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub begin_date: Option<Date>,
    /// `useTime`: last day, `YYYYMMDD` (zone unstated).
    #[serde(
        rename = "useTime",
        default,
        deserialize_with = "crate::datetime::opt_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_date: Option<Date>,
    /// `qtavalue`: volume used, MB.
    #[serde(rename = "qtavalue", default, with = "crate::units::mb", skip_serializing_if = "Option::is_none")]
    pub consumption: Option<DataVolume>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_quota_shapes_normalise_to_one_list() {
        let top: QueryQuotaResponse = serde_json::from_str(
            r#"{"subscriberQuota":{"qtavalue":"300.00","qtabalance":"0.00","qtaconsumption":"300.00","type":"1"},
                "historyQuota":[{"time":"20240308","qtaconsumption":"325.11","mcc":"454","appName":null}],"ext":{"a":"b"}}"#,
        )
        .unwrap();
        assert_eq!(top.quota_list.len(), 1);
        assert_eq!(top.quota_list[0].ext.get("a"), Some("b"));
        assert!(top.ext.is_empty());
        let listed: QueryQuotaResponse = serde_json::from_value(serde_json::to_value(&top).unwrap()).unwrap();
        assert_eq!(listed, top);
        assert_eq!(top.remaining_mb(), Some(0.0));
        assert_eq!(top.used_on_mb(Date::new(2024, 3, 8).unwrap()), Some(325.11));
        assert_eq!(top.used_on_mb(Date::new(2024, 3, 9).unwrap()), None);
    }

    #[test]
    fn current_skips_history_only_entries() {
        let r: QueryQuotaResponse = serde_json::from_str(
            r#"{"quotaList":[{"historyQuota":[]},{"subscriberQuota":{"qtavalue":"1024","refuelingTotal":"512"}}]}"#,
        )
        .unwrap();
        assert_eq!(r.total_mb(), Some(1536.0));
        assert_eq!(r.current().and_then(|q| q.remaining_mb()), None);
        assert_eq!(QueryQuotaResponse::default().current(), None);
    }

    #[test]
    fn latest_is_by_date_not_position() {
        let r: QueryUsageTrajectoriesResponse = serde_json::from_str(
            r#"{"trajectoriesList":[{"mcc":"452","beginTime":"20240110","useTime":"20240112"},
                {"mcc":"454","beginTime":"20240101","useTime":"20240109"}]}"#,
        )
        .unwrap();
        assert_eq!(r.latest().map(|t| t.mcc.as_str()), Some("452"));
    }

    #[test]
    fn blank_enum_is_absent() {
        let q: SubscriberQuota = serde_json::from_str(r#"{"type":""}"#).unwrap();
        assert_eq!(q.limit_type, None);
        let q: SubscriberQuota = serde_json::from_str(r#"{"type":2,"directionalAppName":1}"#).unwrap();
        assert_eq!(q.limit_type, Some(LimitType::PerDay));
    }
}
