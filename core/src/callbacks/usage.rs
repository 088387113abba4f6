//! 3.2.16 Data-usage notification: CMI reports data a card used.

use crate::api::common::Extra;
use crate::datetime::DateTime;
use crate::units::DataVolume;
use serde::{Deserialize, Serialize};

/// Body of 3.2.16 as CMI sends it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct UsageNotification {
    /// `imsi`: the card's IMSI; one of `imsi` / `iccid` is present.
    #[serde(
        rename = "imsi",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub imsi: Option<String>,
    /// `iccid`: the card's ICCID.
    #[serde(
        rename = "iccid",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub iccid: Option<String>,
    /// `qtavalue`: volume used, in **bytes** (unlike the MB of every other interface). Whether
    /// it is this report's usage or a running total is not documented.
    #[serde(rename = "qtavalue", default, with = "crate::units::bytes", skip_serializing_if = "Option::is_none")]
    pub consumption: Option<DataVolume>,
    /// `timestamp`: when the usage was recorded, UTC (`YYYYMMDDHHMMSS`).
    #[serde(
        rename = "timestamp",
        default,
        deserialize_with = "crate::datetime::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub timestamp: Option<DateTime>,
    /// `orderId`: the order (only in the en transcription).
    #[serde(
        rename = "orderId",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub order_id: Option<String>,
    /// `childOrderId`: the child order (only in the en transcription).
    #[serde(
        rename = "childOrderId",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub child_order_id: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl UsageNotification {
    /// The card: the ICCID, else the IMSI.
    pub fn card(&self) -> Option<&str> {
        crate::validate::present(&self.iccid).or_else(|| crate::validate::present(&self.imsi))
    }

    /// `usage:<iccid or imsi>:<timestamp>:<qtavalue>`: the same for every delivery of one report
    /// (time in `YYYYMMDDHHMMSS`, volume in whole bytes).
    pub fn dedupe_key(&self) -> String {
        let ts = self.timestamp.map(|t| t.to_compact()).unwrap_or_default();
        let bytes = self.consumption.map(|v| format!("{:.0}", v.as_bytes())).unwrap_or_default();
        format!("usage:{}:{ts}:{bytes}", self.card().unwrap_or_default())
    }
}

/// The reply to 3.2.16: `{"code":"0","description":"Success"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, cmi_derive::Model)]
pub struct UsageAck {
    /// `code`: `0` success, anything else failure.
    #[serde(rename = "code")]
    pub code: String,
    /// `description`: text.
    #[serde(rename = "description")]
    pub description: String,
}

impl UsageAck {
    /// The success reply.
    pub fn success() -> Self {
        Self { code: "0".into(), description: "Success".into() }
    }

    /// A failure reply (`code` `1`) carrying `message`.
    pub fn failure(message: &str) -> Self {
        Self { code: "1".into(), description: message.into() }
    }

    /// The reply body.
    pub fn to_vec(&self) -> Vec<u8> {
        super::to_json(self)
    }
}
