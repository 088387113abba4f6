//! 3.2.15 Channel activation notification: CMI tells the partner that a bundle on one of its
//! cards is activated.

use crate::api::common::Extra;
use crate::datetime::DateTime;
use serde::{Deserialize, Serialize};

/// Body of 3.2.15 as CMI sends it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct ActivationNotification {
    /// `iccid`: the card.
    #[serde(rename = "iccid", default, deserialize_with = "crate::lenient::string")]
    pub iccid: String,
    /// `packageId`: the bundle ID, or the flow-pool ID.
    #[serde(rename = "packageId", default, deserialize_with = "crate::lenient::string")]
    pub data_bundle_id: String,
    /// `mcc`: the country it activated in.
    #[serde(
        rename = "mcc",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub mcc: Option<String>,
    /// `cmccNumberProvince`: home province of the card's mainland China number.
    #[serde(
        rename = "cmccNumberProvince",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub cmcc_number_province: Option<String>,
    /// `thirdOrderId`: the partner's order ID.
    #[serde(
        rename = "thirdOrderId",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub third_order_id: Option<String>,
    /// `activeTime`: when the bundle started, UTC (`YYYYMMDDHHmmss`).
    #[serde(
        rename = "activeTime",
        default,
        deserialize_with = "crate::datetime::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub active_time: Option<DateTime>,
    /// `endTime`: when the bundle ends, UTC (`YYYYMMDDHHmmss`).
    #[serde(
        rename = "endTime",
        default,
        deserialize_with = "crate::datetime::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time: Option<DateTime>,
    /// `orderId` (the en table misprints it `rderId`): the platform's total order ID.
    #[serde(rename = "orderId", alias = "rderId", default, deserialize_with = "crate::lenient::string")]
    pub order_id: String,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ActivationNotification {
    /// `activation:<orderId>:<iccid>:<activeTime>`: the same for every delivery of one
    /// activation (times in `YYYYMMDDHHMMSS`).
    pub fn dedupe_key(&self) -> String {
        let active = self.active_time.map(|t| t.to_compact()).unwrap_or_default();
        format!("activation:{}:{}:{active}", self.order_id.trim(), self.iccid.trim())
    }
}

/// The reply to 3.2.15. The table names the text `msg` and the example `description`, so both
/// are sent: `{"code":"0","msg":"Success","description":"Success"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, cmi_derive::Model)]
pub struct ActivationAck {
    /// `code`: `0` success, anything else failure.
    #[serde(rename = "code")]
    pub code: String,
    /// `msg`: text (table spelling).
    #[serde(rename = "msg")]
    pub msg: String,
    /// `description`: the same text (example spelling).
    #[serde(rename = "description")]
    pub description: String,
}

impl ActivationAck {
    /// The success reply.
    pub fn success() -> Self {
        Self { code: "0".into(), msg: "Success".into(), description: "Success".into() }
    }

    /// A failure reply (`code` `1`) carrying `message`.
    pub fn failure(message: &str) -> Self {
        Self { code: "1".into(), msg: message.into(), description: message.into() }
    }

    /// The reply body.
    pub fn to_vec(&self) -> Vec<u8> {
        super::to_json(self)
    }
}
