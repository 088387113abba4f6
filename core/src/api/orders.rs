//! 3.2.5 Create order (`APP_createOrder_SBO/v1`), 3.2.12 Unsubscribe
//! (`SBO_channel_unsubscribe/v1`).

use super::common::{Ext, Extra, SendLanguage};
use crate::datetime::Date;
use crate::error::{Error, Result};
use crate::guard::{CardTargets, SpendItem};
use crate::operation::{Operation, OperationKind, TokenPolicy};
use crate::units::Money;
use crate::validate;
use serde::de::Deserializer;
use serde::{Deserialize, Serialize};

crate::wire_enum! {
    /// What an order buys: the wire flag `is_Refuel`, whose codes are inverted (`0` means
    /// "is an add-on"). Use the variants, never the raw codes.
    pub enum PurchaseKind: str {
        /// `0`: an add-on (refuel pack) on top of the card's active bundle; needs `refuelingId`.
        AddOn = "0",
        /// `1`: a bundle; needs `dataBundleId`.
        Bundle = "1",
    }
}

// `wire_enum!` (shared) fixes the derive list, so `#[derive(Default)]` is not available here.
#[allow(clippy::derivable_impls)]
impl Default for PurchaseKind {
    /// A bundle purchase, the common case.
    fn default() -> Self {
        Self::Bundle
    }
}

/// Longest `transactionCode` the platform stores.
pub const TRANSACTION_CODE_MAX_LEN: usize = 32;

/// Request of 3.2.5: buy a bundle or an add-on for a card. This spends the channel's deposit.
///
/// Build it with [`CreateOrderRequest::bundle`] or [`CreateOrderRequest::add_on`], which set
/// `is_Refuel` and the matching ID together. Set a `transactionCode` so a repeated request
/// is refused (`1000162`) instead of buying twice.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct CreateOrderRequest {
    /// `thirdOrderId` (mandatory): the partner's own order ID (≤ 200 characters).
    #[serde(rename = "thirdOrderId", deserialize_with = "crate::lenient::string")]
    pub third_order_id: String,
    /// `includeCard`: `0` = no physical card included, the only documented value (default).
    #[serde(rename = "includeCard", default, deserialize_with = "crate::lenient::i64")]
    pub include_card: i64,
    /// `is_Refuel`: bundle or add-on; always sent, as `"1"` or `"0"`.
    #[serde(rename = "is_Refuel")]
    pub purchase_kind: PurchaseKind,
    /// `refuelingId`: the add-on to buy (≤ 20 characters); required for add-ons, refused on
    /// bundle orders.
    #[serde(
        rename = "refuelingId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub refueling_id: Option<String>,
    /// `dataBundleId`: the bundle to buy (≤ 20 characters); required for bundles. On add-on
    /// orders production clients send the parent bundle here.
    #[serde(
        rename = "dataBundleId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub data_bundle_id: Option<String>,
    /// `quantity` (mandatory, > 0): copies to buy. For add-ons only 1 or the number of days
    /// the bundle has left is accepted (`1000095`).
    #[serde(rename = "quantity", deserialize_with = "crate::lenient::i64")]
    pub quantity: i64,
    /// `ICCID` (upper-case key here only): the card to buy for. Optional in one transcription,
    /// mandatory in the other, so it is always sent.
    #[serde(rename = "ICCID", deserialize_with = "crate::lenient::id_string")]
    pub iccid: String,
    /// `sendLang`: language of the purchase SMS.
    #[serde(
        rename = "sendLang",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_enum"
    )]
    pub send_lang: Option<SendLanguage>,
    /// `setActiveTime`: designated activation date (`YYYYMMDD`), for bundles with
    /// activation mode 1; `1000087` when outside the allowed range.
    #[serde(
        rename = "setActiveTime",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_date_strict"
    )]
    pub set_active_time: Option<Date>,
    /// `transactionCode`: the idempotency key (≤ 32 characters of `A-Z a-z 0-9 - _`). The
    /// platform refuses a code it has seen before (`1000162`) and processes one request per
    /// code at a time (`1000154`).
    #[serde(
        rename = "transactionCode",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub transaction_code: Option<String>,
}

/// A designated date: blank is absent, anything else must be a real date, so a typo never
/// silently drops the activation date.
fn opt_date_strict<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Date>, D::Error> {
    match crate::lenient::opt_string(d)? {
        None => Ok(None),
        Some(raw) => Date::parse(&raw)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("setActiveTime must be a date YYYYMMDD, got {raw:?}"))),
    }
}

/// The deterministic `transactionCode` of an idempotency key: the first 128 bits of its
/// SHA-256 as 32 upper-case hex characters (the field's maximum length). The same key always
/// gives the same code; different keys collide with negligible probability.
pub fn transaction_code_for(idempotency_key: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(idempotency_key.as_bytes());
    crate::clock::hex_upper(&digest[..16])
}

impl CreateOrderRequest {
    /// An order of `quantity` copies of the bundle `data_bundle_id` for the card `iccid`.
    pub fn bundle(
        third_order_id: impl Into<String>,
        iccid: impl Into<String>,
        data_bundle_id: impl Into<String>,
        quantity: i64,
    ) -> Self {
        Self {
            data_bundle_id: Some(data_bundle_id.into()),
            ..Self::new(third_order_id, iccid, PurchaseKind::Bundle, quantity)
        }
    }

    /// An order of the add-on `refueling_id` for the card `iccid`, which must have an active
    /// bundle. `quantity` is 1 or the number of days the bundle has left. Production clients
    /// also name the parent bundle: see [`CreateOrderRequest::with_data_bundle_id`].
    pub fn add_on(
        third_order_id: impl Into<String>,
        iccid: impl Into<String>,
        refueling_id: impl Into<String>,
        quantity: i64,
    ) -> Self {
        Self {
            refueling_id: Some(refueling_id.into()),
            ..Self::new(third_order_id, iccid, PurchaseKind::AddOn, quantity)
        }
    }

    /// The mandatory fields only; prefer [`CreateOrderRequest::bundle`] or
    /// [`CreateOrderRequest::add_on`], which also set the ID the kind needs.
    pub fn new(third_order_id: impl Into<String>, iccid: impl Into<String>, kind: PurchaseKind, quantity: i64) -> Self {
        Self {
            third_order_id: third_order_id.into(),
            include_card: 0,
            purchase_kind: kind,
            refueling_id: None,
            data_bundle_id: None,
            quantity,
            iccid: iccid.into(),
            send_lang: None,
            set_active_time: None,
            transaction_code: None,
        }
    }

    /// Sets `dataBundleId` (on an add-on order: the parent bundle).
    pub fn with_data_bundle_id(mut self, data_bundle_id: impl Into<String>) -> Self {
        self.data_bundle_id = Some(data_bundle_id.into());
        self
    }

    /// Sets the SMS language.
    pub fn with_send_lang(mut self, lang: SendLanguage) -> Self {
        self.send_lang = Some(lang);
        self
    }

    /// Sets the designated activation date.
    pub fn with_set_active_time(mut self, date: Date) -> Self {
        self.set_active_time = Some(date);
        self
    }

    /// Sets the idempotency key `transactionCode`.
    pub fn with_transaction_code(mut self, code: impl Into<String>) -> Self {
        self.transaction_code = Some(code.into());
        self
    }

    /// Sets `transactionCode` derived from your own idempotency key (an order id, a checkout
    /// session id...) with [`transaction_code_for`], so a retry of the same purchase carries the
    /// same code and the platform refuses a second charge (`1000162`).
    pub fn with_idempotency_key(self, key: &str) -> Self {
        self.with_transaction_code(transaction_code_for(key))
    }

    /// Whether this buys an add-on.
    pub fn is_add_on(&self) -> bool {
        self.purchase_kind == PurchaseKind::AddOn
    }
}

/// Checks a `transactionCode`: non-blank (a blank code silently disables the duplicate
/// check), at most 32 characters, and only characters every storage keeps intact.
pub fn validate_transaction_code(code: &str) -> Result<()> {
    const FIELD: &str = "transactionCode";
    if code.trim().is_empty() {
        return Err(Error::validation(
            FIELD,
            "is blank, which disables the duplicate check; omit it or set a real code",
        ));
    }
    validate::max_len(FIELD, code, TRANSACTION_CODE_MAX_LEN)?;
    if let Some(c) = code.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return Err(Error::validation(FIELD, format!("contains {c:?}; only letters, digits, '-' and '_' are allowed")));
    }
    Ok(())
}

impl Operation for CreateOrderRequest {
    const NAME: &'static str = "create_order";
    const PATH: &'static str = "APP_createOrder_SBO/v1";
    const SECTION: &'static str = "3.2.5";
    const KIND: OperationKind = OperationKind::Spend;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = CreateOrderResponse;

    fn cards(&self) -> CardTargets<'_> {
        CardTargets::one(Some(&self.iccid), &[])
    }

    fn spend_item(&self) -> Option<SpendItem> {
        Some(SpendItem {
            data_bundle_id: self.data_bundle_id.clone(),
            refueling_id: self.refueling_id.clone(),
            quantity: self.quantity,
        })
    }

    fn validate(&self) -> Result<()> {
        validate::required("thirdOrderId", &self.third_order_id)?;
        validate::max_len("thirdOrderId", &self.third_order_id, 200)?;
        // Channel accounts may only buy bundles and add-ons (1000081); 0 is the only
        // documented value.
        if self.include_card != 0 {
            return Err(Error::validation("includeCard", "must be 0 (no physical card)"));
        }
        let filled = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.trim().is_empty());
        match &self.purchase_kind {
            PurchaseKind::Bundle => {
                if !filled(&self.data_bundle_id) {
                    return Err(Error::validation("dataBundleId", "is required for a bundle order (is_Refuel = 1)"));
                }
                if filled(&self.refueling_id) {
                    return Err(Error::validation(
                        "refuelingId",
                        "is only for add-on orders; is_Refuel = 1 buys a bundle (0 buys an add-on)",
                    ));
                }
            }
            PurchaseKind::AddOn => {
                if !filled(&self.refueling_id) {
                    return Err(Error::validation("refuelingId", "is required for an add-on order (is_Refuel = 0)"));
                }
            }
            PurchaseKind::Unknown(raw) => {
                return Err(Error::validation("is_Refuel", format!("is {raw:?}; must be 1 (bundle) or 0 (add-on)")));
            }
        }
        if let Some(id) = &self.data_bundle_id {
            validate::max_len("dataBundleId", id, 20)?;
        }
        if let Some(id) = &self.refueling_id {
            validate::max_len("refuelingId", id, 20)?;
        }
        validate::positive("quantity", self.quantity)?;
        validate::required("ICCID", &self.iccid)?;
        validate::iccid("ICCID", &self.iccid)?;
        if let Some(SendLanguage::Unknown(raw)) = &self.send_lang {
            return Err(Error::validation("sendLang", format!("is {raw:?}; must be 1, 2 or 3")));
        }
        match &self.transaction_code {
            Some(code) => validate_transaction_code(code),
            None => Ok(()),
        }
    }
}

/// Answer of 3.2.5.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
#[serde(from = "RawCreateOrderResponse")]
pub struct CreateOrderResponse {
    /// `orderID`: the platform's order ID (what 3.2.12 takes as `orderId`).
    #[serde(rename = "orderID")]
    pub order_id: String,
    /// `totalAmount` (the example spells it `toatlAmount`): amount charged, presumably in
    /// cents like every other amount (spec §4 item 10); see [`CreateOrderResponse::total`].
    #[serde(rename = "totalAmount", skip_serializing_if = "Option::is_none")]
    pub total_amount: Option<i64>,
    /// `quantity`: copies bought.
    #[serde(rename = "quantity", skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    /// `price`: unit price in cents.
    #[serde(rename = "price", with = "crate::units::cents", skip_serializing_if = "Option::is_none")]
    pub price: Option<i64>,
    /// `currency`: currency of `totalAmount` and `price`.
    #[serde(rename = "currency", skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// `ext`: extension fields.
    #[serde(rename = "ext", skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub ext: Ext,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer as received. Both spellings of the amount and of the order ID get their own
/// field, so an answer carrying both decodes instead of failing as a "duplicate field": a
/// decode failure here would hide an order that was paid for.
#[derive(Deserialize)]
struct RawCreateOrderResponse {
    #[serde(rename = "orderID", default, deserialize_with = "crate::lenient::opt_string")]
    order_id: Option<String>,
    #[serde(rename = "orderId", default, deserialize_with = "crate::lenient::opt_string")]
    order_id_lower: Option<String>,
    #[serde(rename = "totalAmount", default, deserialize_with = "crate::lenient::opt_i64")]
    total_amount: Option<i64>,
    #[serde(rename = "toatlAmount", default, deserialize_with = "crate::lenient::opt_i64")]
    toatl_amount: Option<i64>,
    #[serde(rename = "quantity", default, deserialize_with = "crate::lenient::opt_i64")]
    quantity: Option<i64>,
    #[serde(rename = "price", default, deserialize_with = "crate::lenient::opt_i64")]
    price: Option<i64>,
    #[serde(rename = "currency", default, deserialize_with = "crate::lenient::opt_string")]
    currency: Option<String>,
    #[serde(rename = "ext", default)]
    ext: Ext,
    #[serde(flatten)]
    extra: Extra,
}

impl From<RawCreateOrderResponse> for CreateOrderResponse {
    fn from(r: RawCreateOrderResponse) -> Self {
        Self {
            order_id: r.order_id.or(r.order_id_lower).unwrap_or_default(),
            total_amount: r.total_amount.or(r.toatl_amount),
            quantity: r.quantity,
            price: r.price,
            currency: r.currency.map(|c| c.trim().to_owned()),
            ext: r.ext,
            extra: r.extra,
        }
    }
}

impl CreateOrderResponse {
    /// The amount charged with its currency; `None` when either is missing.
    pub fn total(&self) -> Option<Money> {
        Some(Money::new(self.total_amount?, self.currency.clone()?))
    }

    /// The unit price with its currency; `None` when either is missing.
    pub fn unit_price(&self) -> Option<Money> {
        Some(Money::new(self.price?, self.currency.clone()?))
    }
}

/// Request of 3.2.12: cancel a whole order and refund the channel. Only completed,
/// not-yet-activated bundle orders of the current month can be cancelled.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct UnsubscribeOrderRequest {
    /// `orderId` (lower-case `Id` here): the platform order ID (≤ 32 characters). Wins when
    /// both IDs are given.
    #[serde(
        rename = "orderId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub order_id: Option<String>,
    /// `thirdOrderId`: the partner's order ID (≤ 200 characters).
    #[serde(
        rename = "thirdOrderId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub third_order_id: Option<String>,
}

impl UnsubscribeOrderRequest {
    /// Cancels the order with this platform order ID (`orderID` of 3.2.5).
    pub fn by_order_id(order_id: impl Into<String>) -> Self {
        Self { order_id: Some(order_id.into()), third_order_id: None }
    }

    /// Cancels the order with this partner order ID (`thirdOrderId` of 3.2.5).
    pub fn by_third_order_id(third_order_id: impl Into<String>) -> Self {
        Self { order_id: None, third_order_id: Some(third_order_id.into()) }
    }
}

impl Operation for UnsubscribeOrderRequest {
    const NAME: &'static str = "unsubscribe_order";
    const PATH: &'static str = "SBO_channel_unsubscribe/v1";
    const SECTION: &'static str = "3.2.12";
    const KIND: OperationKind = OperationKind::Command;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = UnsubscribeOrderResponse;

    fn cards(&self) -> CardTargets<'_> {
        // Orders name no card: an ICCID allow-list cannot vouch for them.
        CardTargets::Unverifiable
    }

    fn validate(&self) -> Result<()> {
        validate::one_of(&[("orderId", self.order_id.as_deref()), ("thirdOrderId", self.third_order_id.as_deref())])?;
        if let Some(id) = &self.order_id {
            validate::max_len("orderId", id, 32)?;
        }
        if let Some(id) = &self.third_order_id {
            validate::max_len("thirdOrderId", id, 200)?;
        }
        Ok(())
    }
}

/// Answer of 3.2.12: success carries only `code` and `msg`, which the envelope reads.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct UnsubscribeOrderResponse {
    /// `ext`: extension fields (none documented).
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_give_stable_valid_codes() {
        let a = transaction_code_for("checkout-42");
        assert_eq!(a, transaction_code_for("checkout-42"));
        assert_ne!(a, transaction_code_for("checkout-43"));
        assert_eq!(a.len(), TRANSACTION_CODE_MAX_LEN);
        let req = CreateOrderRequest::bundle("42", "8985234200000000001", "D1", 1).with_idempotency_key("checkout-42");
        assert_eq!(req.transaction_code.as_deref(), Some(a.as_str()));
        req.validate().unwrap();
    }

    fn wire(r: &CreateOrderRequest) -> serde_json::Value {
        serde_json::to_value(r).unwrap()
    }

    #[test]
    fn the_inverted_flag_follows_the_constructor() {
        let b = CreateOrderRequest::bundle("o1", "8985234200000000001", "D1", 1);
        assert_eq!(wire(&b)["is_Refuel"], "1");
        assert!(b.validate().is_ok());
        let a = CreateOrderRequest::add_on("o1", "8985234200000000001", "R1", 1).with_data_bundle_id("D1");
        assert_eq!(wire(&a)["is_Refuel"], "0");
        assert!(a.is_add_on() && a.validate().is_ok());

        // The classic mistake: an add-on ID on a bundle order.
        let mut wrong = b.clone();
        wrong.refueling_id = Some("R1".into());
        assert_eq!(wrong.validate().unwrap_err().field(), Some("refuelingId"));
    }

    #[test]
    fn transaction_codes() {
        assert!(validate_transaction_code("a1B2-c3_d4").is_ok());
        assert!(validate_transaction_code(&"x".repeat(32)).is_ok());
        assert!(validate_transaction_code(&"x".repeat(33)).is_err());
        assert!(validate_transaction_code("  ").is_err());
        assert!(validate_transaction_code("a b").is_err());
        assert!(validate_transaction_code("é").is_err());
    }

    #[test]
    fn a_bad_activation_date_is_refused_on_decode() {
        let base =
            r#""thirdOrderId":"o","is_Refuel":"1","dataBundleId":"D","quantity":1,"ICCID":"8985234200000000001""#;
        let bad = format!("{{{base},\"setActiveTime\":\"20240230\"}}");
        assert!(serde_json::from_str::<CreateOrderRequest>(&bad).unwrap_err().to_string().contains("setActiveTime"));
        let blank = format!("{{{base},\"setActiveTime\":\"\"}}");
        assert_eq!(serde_json::from_str::<CreateOrderRequest>(&blank).unwrap().set_active_time, None);
    }

    #[test]
    fn a_20_digit_iccid_sent_as_a_number_is_refused_not_rounded() {
        let body =
            r#"{"thirdOrderId":"o","is_Refuel":"1","dataBundleId":"D","quantity":1,"ICCID":89852342000000000012}"#;
        assert!(serde_json::from_str::<CreateOrderRequest>(body).is_err());
    }

    #[test]
    fn both_amount_spellings_decode() {
        let r: CreateOrderResponse =
            serde_json::from_str(r#"{"orderID":"1","totalAmount":500,"toatlAmount":"500","currency":"USD"}"#).unwrap();
        assert_eq!(r.total(), Some(Money::new(500, "USD")));
        assert_eq!(r.unit_price(), None);
    }
}
