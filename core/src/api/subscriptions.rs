//! 3.2.6 Subscribed bundles (`APP_getSubedUserDataBundle_SBO/v1`): what a card has bought.

use super::common::{DeductionModel, DialectInfo, Ext, Extra, Language, LimitType, YesNo, pick_text};
use crate::datetime::DateTime;
use crate::error::{Error, Result};
use crate::guard::CardTargets;
use crate::operation::{Operation, OperationKind, TokenPolicy};
use crate::units::{DataVolume, Money, PriceInfo};
use crate::validate;
use serde::{Deserialize, Serialize};

crate::wire_enum! {
    /// The request's `status` filter. Its codes differ from the answer's
    /// [`SubscriptionStatus`]: `3` means "unused" here but "activated" there.
    pub enum SubscriptionFilter: str {
        /// `1`: in use.
        InUse = "1",
        /// `2`: used up.
        Used = "2",
        /// `3`: not used yet.
        Unused = "3",
        /// `4`: expired.
        Expired = "4",
    }
}

crate::wire_enum! {
    /// State of a bought bundle (`UserDataBundle.status`). Its codes differ from the
    /// request's [`SubscriptionFilter`].
    pub enum SubscriptionStatus: int {
        /// `1`: not activated yet.
        NotActivated = "1",
        /// `2`: expired.
        Expired = "2",
        /// `3`: activated (in use).
        Activated = "3",
        /// `99`: refunded.
        Refunded = "99",
    }
}

/// Request of 3.2.6: the bundles bought for a card, named by `hImsi` or `iccid`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, cmi_derive::Model)]
pub struct QuerySubscribedBundlesRequest {
    /// `hImsi`: the card's home IMSI (6-15 digits).
    #[serde(
        rename = "hImsi",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_id_string"
    )]
    pub h_imsi: Option<String>,
    /// `iccid`: the card's ICCID (18-20 digits).
    #[serde(
        rename = "iccid",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_id_string"
    )]
    pub iccid: Option<String>,
    /// `status`: only bundles in this state; absent = all.
    #[serde(
        rename = "status",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_enum"
    )]
    pub status: Option<SubscriptionFilter>,
    /// `language` (mandatory): language of names, descriptions and `remainTime`.
    #[serde(rename = "language")]
    pub language: Language,
    /// `beginIndex`: start of the page, default 0 (row offset or page number: unconfirmed,
    /// spec §4 item 8).
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
    /// `mcc`: only bundles for this country; absent = all.
    #[serde(
        rename = "mcc",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub mcc: Option<String>,
    /// `ext`: extension parameters.
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
}

impl Default for QuerySubscribedBundlesRequest {
    /// No card named yet, texts in English.
    fn default() -> Self {
        Self::new(Language::English)
    }
}

impl QuerySubscribedBundlesRequest {
    /// A query with texts in `language`; name the card with [`Self::by_iccid`] /
    /// [`Self::by_h_imsi`] or the fields.
    pub fn new(language: Language) -> Self {
        Self {
            h_imsi: None,
            iccid: None,
            status: None,
            language,
            begin_index: None,
            count: None,
            mcc: None,
            ext: Ext::new(),
        }
    }

    /// Every bundle of the card with this ICCID.
    pub fn by_iccid(iccid: impl Into<String>, language: Language) -> Self {
        Self { iccid: Some(iccid.into()), ..Self::new(language) }
    }

    /// Every bundle of the card with this home IMSI.
    pub fn by_h_imsi(h_imsi: impl Into<String>, language: Language) -> Self {
        Self { h_imsi: Some(h_imsi.into()), ..Self::new(language) }
    }

    /// Only bundles in this state.
    pub fn with_status(mut self, status: SubscriptionFilter) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets the page (`beginIndex`, `count`).
    pub fn with_page(mut self, begin_index: i64, count: i64) -> Self {
        self.begin_index = Some(begin_index);
        self.count = Some(count);
        self
    }
}

impl Operation for QuerySubscribedBundlesRequest {
    const NAME: &'static str = "query_subscribed_bundles";
    const PATH: &'static str = "APP_getSubedUserDataBundle_SBO/v1";
    const SECTION: &'static str = "3.2.6";
    const KIND: OperationKind = OperationKind::Query;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = QuerySubscribedBundlesResponse;

    fn cards(&self) -> CardTargets<'_> {
        CardTargets::one(self.iccid.as_deref(), &[self.h_imsi.as_deref()])
    }

    fn validate(&self) -> Result<()> {
        validate::one_of(&[("hImsi", self.h_imsi.as_deref()), ("iccid", self.iccid.as_deref())])?;
        validate::optional("hImsi", self.h_imsi.as_deref(), validate::imsi)?;
        validate::optional("iccid", self.iccid.as_deref(), validate::iccid)?;
        validate::required("language", self.language.as_wire())?;
        if let Language::Unknown(raw) = &self.language {
            return Err(Error::validation("language", format!("is {raw:?}; must be 0, 1 or 2")));
        }
        if let Some(SubscriptionFilter::Unknown(raw)) = &self.status {
            return Err(Error::validation("status", format!("is {raw:?}; must be 1, 2, 3 or 4")));
        }
        validate::optional("mcc", self.mcc.as_deref(), validate::mcc)?;
        validate::paging(self.begin_index, self.count)
    }
}

/// Answer of 3.2.6.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct QuerySubscribedBundlesResponse {
    /// `userDataBundles`: the card's bundles (empty is normal). Order is not documented:
    /// use [`QuerySubscribedBundlesResponse::active`], never the first entry.
    #[serde(rename = "userDataBundles", default, deserialize_with = "crate::lenient::vec")]
    pub user_data_bundles: Vec<UserDataBundle>,
    /// `ext`: extension fields.
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl QuerySubscribedBundlesResponse {
    /// The bundles in use at `now` (UTC): status activated and `expireTime` not passed. More
    /// than one can be active; none is normal.
    pub fn active(&self, now: DateTime) -> Vec<&UserDataBundle> {
        self.user_data_bundles.iter().filter(|b| b.is_active_at(now)).collect()
    }

    /// The bundles bought in the platform order `order_id` (`orderID` of 3.2.5); one order
    /// of several copies lists several bundles.
    pub fn find_by_order(&self, order_id: &str) -> Vec<&UserDataBundle> {
        let order_id = order_id.trim();
        self.user_data_bundles.iter().filter(|b| b.order_id.as_deref().map(str::trim) == Some(order_id)).collect()
    }

    /// The bundle with this child-order ID (`subscriptionKey`).
    pub fn find_by_subscription_key(&self, subscription_key: &str) -> Option<&UserDataBundle> {
        let key = subscription_key.trim();
        self.user_data_bundles.iter().find(|b| b.subscription_key.as_deref().map(str::trim) == Some(key))
    }
}

/// A bundle bought for a card (`UserDataBundle`). Times are UTC (the spec gives no format
/// or zone for the 30-character ones; production clients treat them as UTC).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct UserDataBundle {
    /// `bundleDesc`: the description per language.
    #[serde(rename = "bundleDesc", default, deserialize_with = "crate::lenient::vec")]
    pub bundle_desc: Vec<DialectInfo>,
    /// `name`: the name per language.
    #[serde(rename = "name", default, deserialize_with = "crate::lenient::vec")]
    pub name: Vec<DialectInfo>,
    /// `dataBundleId` (the example spells it `dataBundleID`): the bundle's catalogue ID.
    #[serde(rename = "dataBundleId", alias = "dataBundleID", default, deserialize_with = "crate::lenient::string")]
    pub data_bundle_id: String,
    /// `status`: the bundle's state.
    #[serde(
        rename = "status",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<SubscriptionStatus>,
    /// `remainderDays` (the example spells it `remainderDay`): days left, i.e. the days for
    /// which add-ons can be bought; only for activated per-day bundles.
    #[serde(
        rename = "remainderDays",
        alias = "remainderDay",
        default,
        deserialize_with = "crate::lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub remainder_days: Option<i64>,
    /// `orderID`: the platform order ID.
    #[serde(
        rename = "orderID",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub order_id: Option<String>,
    /// `subscriptionKey`: the child-order ID (`childOrderId` of 3.2.8 and 3.2.16).
    #[serde(
        rename = "subscriptionKey",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub subscription_key: Option<String>,
    /// `price`: the price paid, in cents.
    #[serde(
        rename = "price",
        default,
        deserialize_with = "crate::lenient::opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub price: Option<PriceInfo>,
    /// `orderChannel`: the channel the order came through.
    #[serde(
        rename = "orderChannel",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub order_channel: Option<String>,
    /// `createTime`: when ordered, UTC.
    #[serde(
        rename = "createTime",
        default,
        deserialize_with = "crate::datetime::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub create_time: Option<DateTime>,
    /// `expireTime`: when the bundle expires, UTC.
    #[serde(
        rename = "expireTime",
        default,
        deserialize_with = "crate::datetime::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub expire_time: Option<DateTime>,
    /// `endTime`: when the bundle ends, UTC.
    #[serde(
        rename = "endTime",
        default,
        deserialize_with = "crate::datetime::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time: Option<DateTime>,
    /// `activeTime`: when it was activated, UTC.
    #[serde(
        rename = "activeTime",
        default,
        deserialize_with = "crate::datetime::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub active_time: Option<DateTime>,
    /// `setActiveTime`: the activation date the buyer designated (activation mode 1), UTC;
    /// a bare `YYYYMMDD` reads as midnight.
    #[serde(
        rename = "setActiveTime",
        default,
        deserialize_with = "crate::datetime::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub set_active_time: Option<DateTime>,
    /// `isSupportFuelpack`: whether add-ons can be bought for it.
    #[serde(
        rename = "isSupportFuelpack",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_support_fuelpack: Option<YesNo>,
    /// `packageType`: data limit per cycle or per day.
    #[serde(
        rename = "packageType",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub package_type: Option<LimitType>,
    /// `deductionModel`: standard or binding.
    #[serde(
        rename = "deductionModel",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub deduction_model: Option<DeductionModel>,
    /// `remainFlow`: data left, MB; only when activated.
    #[serde(rename = "remainFlow", default, with = "crate::units::mb", skip_serializing_if = "Option::is_none")]
    pub remain_flow: Option<DataVolume>,
    /// `remainTime`: time left as text ("x hours y minutes z seconds", in the request's
    /// language); only when activated.
    #[serde(
        rename = "remainTime",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub remain_time: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl UserDataBundle {
    /// Whether the bundle is in use at `now` (UTC): status activated and `expireTime` not
    /// passed (an absent `expireTime` does not disqualify it).
    pub fn is_active_at(&self, now: DateTime) -> bool {
        self.status == Some(SubscriptionStatus::Activated) && self.expire_time.is_none_or(|e| e > now)
    }

    /// The name in `language` (ISO-639, e.g. `en`), else English, else the first.
    pub fn name_in(&self, language: &str) -> Option<&str> {
        pick_text(&self.name, language)
    }

    /// The description in `language`, else English, else the first.
    pub fn description_in(&self, language: &str) -> Option<&str> {
        pick_text(&self.bundle_desc, language)
    }

    /// The price paid, with its currency.
    pub fn price_money(&self) -> Option<Money> {
        self.price.as_ref()?.money()
    }

    /// Whether add-ons can be bought for it.
    pub fn supports_add_ons(&self) -> bool {
        self.is_support_fuelpack == Some(YesNo::Yes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime {
        DateTime::parse(s).unwrap()
    }

    #[test]
    fn active_is_status_3_and_not_expired() {
        let r: QuerySubscribedBundlesResponse = serde_json::from_str(
            r#"{"userDataBundles":[
                {"dataBundleId":"A","status":1,"orderID":"O1"},
                {"dataBundleId":"B","status":"3","expireTime":"20240301000000","orderID":"O1"},
                {"dataBundleId":"C","status":3,"expireTime":"20240401000000","orderID":"O2"},
                {"dataBundleId":"D","status":3}
            ]}"#,
        )
        .unwrap();
        let ids = |v: Vec<&UserDataBundle>| v.into_iter().map(|b| b.data_bundle_id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(r.active(at("20240315120000"))), ["C", "D"]);
        assert_eq!(ids(r.active(at("20240215120000"))), ["B", "C", "D"]);
        assert_eq!(ids(r.find_by_order("O1")), ["A", "B"]);
        assert!(r.find_by_order("O9").is_empty());
    }

    #[test]
    fn filter_and_status_codes_are_distinct_types() {
        let req = QuerySubscribedBundlesRequest::by_iccid("8985234200000000001", Language::English)
            .with_status(SubscriptionFilter::Unused);
        let wire = serde_json::to_value(&req).unwrap();
        assert_eq!(wire, serde_json::json!({"iccid":"8985234200000000001","status":"3","language":"2"}));
        assert!(req.validate().is_ok());
    }
}
