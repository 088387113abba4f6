//! eSIM helpers an app needs around 3.2.13 (install the profile) and 3.2.6 + 3.2.8 (what is
//! left on the card). The rules are the core's; this file only shapes the answers.

use crate::client::CmiClient;
use crate::error::CmiError;
use cmi_core::api::common::Language;
use cmi_core::api::esim::{EsimCardInfo, QueryEsimCardInfoRequest};
use cmi_core::api::subscriptions::QuerySubscribedBundlesRequest;
use cmi_core::api::usage::QueryQuotaRequest;
use cmi_core::datetime::DateTime;
use cmi_core::validate;

/// What an app needs to install an eSIM profile.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EsimActivation {
    /// The card's ICCID.
    pub iccid: String,
    /// The activation string `LPA:1$<smdpAddress>$<activationCode>` (GSMA SGP.22).
    pub lpa: String,
    /// The text to encode in the QR code (the LPA string).
    pub qr_payload: String,
    /// The SM-DP+ address, for manual entry.
    pub smdp_address: String,
    /// The activation code (matching ID), for manual entry.
    pub activation_code: String,
    /// The profile's state (`released`, `installed`, ...), as the platform reports it.
    pub state: Option<String>,
    /// Whether the profile already sits on a device (installed, enabled or disabled).
    pub on_device: bool,
}

/// One bundle in use on a card.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ActiveBundle {
    /// The bundle's catalogue ID.
    pub data_bundle_id: String,
    /// Its name (English, else the first given).
    pub name: Option<String>,
    /// The child-order ID (`subscriptionKey`).
    pub subscription_key: Option<String>,
    /// When it expires, ISO-8601 UTC.
    pub expire_time: Option<String>,
    /// Data left in MB, as 3.2.6 reports it.
    pub remaining_mb: Option<f64>,
    /// Time left, as the platform's text ("x hours y minutes z seconds").
    pub remain_time: Option<String>,
    /// Days left, for per-day bundles.
    pub remainder_days: Option<i64>,
}

/// A card's bundles in use and its remaining data.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CardSummary {
    /// The card's ICCID.
    pub iccid: String,
    /// Bundles in use now (status activated, not expired); empty when none is.
    pub active_bundles: Vec<ActiveBundle>,
    /// Remaining high-speed MB of the bundle in use (3.2.8), when one reports a quota.
    pub remaining_mb: Option<f64>,
    /// Total high-speed MB, allowance plus add-ons (3.2.8).
    pub total_mb: Option<f64>,
    /// High-speed MB used (3.2.8).
    pub used_mb: Option<f64>,
}

fn info_from_parts(smdp_address: String, activation_code: String) -> EsimCardInfo {
    EsimCardInfo { smdp_address, activation_code, ..EsimCardInfo::default() }
}

/// Builds `LPA:1$<smdpAddress>$<activationCode>`, the QR payload of an eSIM profile; refuses
/// empty parts and parts with `$` or whitespace (a `Validation` error naming the field).
#[uniffi::export]
pub fn lpa_string(smdp_address: String, activation_code: String) -> Result<String, CmiError> {
    Ok(info_from_parts(smdp_address, activation_code).lpa_string()?)
}

/// Checks an ICCID (18 to 20 digits); throws a `Validation` error naming `iccid` otherwise.
#[uniffi::export]
pub fn validate_iccid(iccid: String) -> Result<(), CmiError> {
    Ok(validate::iccid("iccid", &iccid)?)
}

/// Checks an EID (32 digits); throws a `Validation` error naming `eid` otherwise.
#[uniffi::export]
pub fn validate_eid(eid: String) -> Result<(), CmiError> {
    Ok(validate::eid("eid", &eid)?)
}

fn now() -> DateTime {
    use std::time::{SystemTime, UNIX_EPOCH};
    DateTime::from_unix(SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64))
}

#[uniffi::export(async_runtime = "tokio")]
impl CmiClient {
    /// Reads the card's eSIM profile (3.2.13) and returns the LPA string and QR payload.
    pub async fn esim_activation(&self, iccid: String) -> Result<EsimActivation, CmiError> {
        let answer = self.inner.query_esim_card_info(&QueryEsimCardInfoRequest::new(iccid.clone())).await?;
        let lpa = answer.lpa_string()?;
        let info = answer.card_info.unwrap_or_default();
        Ok(EsimActivation {
            iccid,
            qr_payload: lpa.clone(),
            lpa,
            smdp_address: info.smdp_address.trim().to_owned(),
            activation_code: info.activation_code.trim().to_owned(),
            on_device: info.state.as_ref().is_some_and(|s| s.is_on_device()),
            state: info.state.map(|s| s.as_wire().to_owned()),
        })
    }

    /// The card's bundles in use (3.2.6) and, when one is in use, its remaining data (3.2.8).
    pub async fn card_summary(&self, iccid: String) -> Result<CardSummary, CmiError> {
        let bundles = self
            .inner
            .query_subscribed_bundles(&QuerySubscribedBundlesRequest::by_iccid(iccid.clone(), Language::English))
            .await?;
        let active: Vec<ActiveBundle> = bundles
            .active(now())
            .into_iter()
            .map(|b| ActiveBundle {
                data_bundle_id: b.data_bundle_id.clone(),
                name: b.name_in("en").map(str::to_owned),
                subscription_key: b.subscription_key.clone(),
                expire_time: b.expire_time.map(|t| t.to_iso_utc()),
                remaining_mb: b.remain_flow.map(|v| v.as_megabytes()),
                remain_time: b.remain_time.clone(),
                remainder_days: b.remainder_days,
            })
            .collect();
        let (mut remaining_mb, mut total_mb, mut used_mb) = (None, None, None);
        // 3.2.8 answers an error for a card with nothing in use; ask only when something is.
        if !active.is_empty() {
            let quota = self.inner.query_quota(&QueryQuotaRequest::by_iccid(iccid.clone())).await?;
            remaining_mb = quota.remaining_mb();
            total_mb = quota.total_mb();
            used_mb = quota.used_mb();
        }
        Ok(CardSummary { iccid, active_bundles: active, remaining_mb, total_mb, used_mb })
    }
}
