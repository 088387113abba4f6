//! 3.2.13 eSIM card info (`SBO_queryEsimCardInfo/v1`).

use super::common::Extra;
use crate::datetime::DateTime;
use crate::error::{Error, Result};
use crate::guard::CardTargets;
use crate::operation::{Operation, OperationKind, TokenPolicy};
use crate::validate;
use serde::{Deserialize, Deserializer, Serialize};

/// Request of 3.2.13: the eSIM profile data of a card (for its QR code) and its install state.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct QueryEsimCardInfoRequest {
    /// `iccid`: the eSIM's ICCID.
    #[serde(rename = "iccid", deserialize_with = "crate::lenient::string")]
    pub iccid: String,
}

impl QueryEsimCardInfoRequest {
    /// eSIM info of the card with this ICCID.
    pub fn new(iccid: impl Into<String>) -> Self {
        Self { iccid: iccid.into() }
    }
}

impl Operation for QueryEsimCardInfoRequest {
    const NAME: &'static str = "query_esim_card_info";
    const PATH: &'static str = "SBO_queryEsimCardInfo/v1";
    const SECTION: &'static str = "3.2.13";
    const KIND: OperationKind = OperationKind::Query;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = QueryEsimCardInfoResponse;

    fn cards(&self) -> CardTargets<'_> {
        CardTargets::one(Some(&self.iccid), &[])
    }

    fn validate(&self) -> Result<()> {
        validate::required("iccid", &self.iccid)?;
        validate::iccid("iccid", &self.iccid)
    }
}

/// Answer of 3.2.13, normalised.
///
/// The example and production clients carry the profile under `data`, the table under
/// `cardInfo`; both decode into `card_info`, which re-encodes as `data`. If an answer carries
/// both, `data` wins and `cardInfo` is kept as received in `extra`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
#[serde(from = "RawQueryEsimCardInfoResponse")]
pub struct QueryEsimCardInfoResponse {
    /// `data` (example) / `cardInfo` (table): the profile.
    #[serde(rename = "data", skip_serializing_if = "Option::is_none")]
    pub card_info: Option<EsimCardInfo>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Both documented keys of 3.2.13 before normalisation (serde `alias` would refuse an answer
/// that carries both).
#[derive(Deserialize)]
struct RawQueryEsimCardInfoResponse {
    #[serde(rename = "data", default)]
    data: Option<serde_json::Value>,
    #[serde(rename = "cardInfo", default)]
    card_info: Option<serde_json::Value>,
    #[serde(flatten)]
    extra: Extra,
}

/// Reads an [`EsimCardInfo`] node leniently: an object, a one-item list, `null` or `""`.
fn card_info_of(v: serde_json::Value) -> Option<EsimCardInfo> {
    crate::lenient::opt_object::<_, EsimCardInfo>(v).ok().flatten()
}

/// Reads the node under `key`; one that is present but unreadable is kept in `extra` rather
/// than dropped (`null` and `""` count as absent).
fn take_card_info(extra: &mut Extra, key: &str, node: Option<serde_json::Value>) -> Option<EsimCardInfo> {
    let node = node?;
    let info = card_info_of(node.clone());
    let blank = node.is_null() || node.as_str().is_some_and(|s| s.trim().is_empty());
    if info.is_none() && !blank {
        extra.insert(key.to_owned(), node);
    }
    info
}

impl From<RawQueryEsimCardInfoResponse> for QueryEsimCardInfoResponse {
    fn from(raw: RawQueryEsimCardInfoResponse) -> Self {
        let mut extra = raw.extra;
        let card_info = match take_card_info(&mut extra, "data", raw.data) {
            Some(d) => {
                if let Some(other) = raw.card_info {
                    extra.insert("cardInfo".to_owned(), other);
                }
                Some(d)
            }
            None => take_card_info(&mut extra, "cardInfo", raw.card_info),
        };
        Self { card_info, extra }
    }
}

impl QueryEsimCardInfoResponse {
    /// The LPA activation string of the profile; see [`EsimCardInfo::lpa_string`].
    pub fn lpa_string(&self) -> Result<String> {
        match &self.card_info {
            Some(info) => info.lpa_string(),
            None => Err(Error::validation("data", "the answer carries no eSIM card info")),
        }
    }
}

crate::wire_enum! {
    /// eSIM profile state (`state`). The spec does not enumerate it; these are the values a
    /// production client handles. Read it with [`EsimState::parse`], which ignores case and
    /// accepts `enable` / `disable`; the field decoder does so.
    pub enum EsimState: str {
        /// `released`: ready to be downloaded (the QR code can be used).
        Released = "released",
        /// `downloaded`: the device downloaded the profile.
        Downloaded = "downloaded",
        /// `installed`: installed on the device.
        Installed = "installed",
        /// `enabled` (also `enable`): installed and switched on.
        Enabled = "enabled",
        /// `disabled` (also `disable`): installed and switched off.
        Disabled = "disabled",
        /// `deleted`: removed from the device.
        Deleted = "deleted",
    }
}

impl EsimState {
    /// Reads a state case-insensitively, mapping `enable` / `disable` to their `-d` forms. An
    /// undocumented value is kept as received (original case) in `Unknown`.
    pub fn parse(text: &str) -> Self {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        let canonical = match lower.as_str() {
            "enable" => "enabled",
            "disable" => "disabled",
            other => other,
        };
        match Self::from_wire(canonical) {
            Self::Unknown(_) => Self::Unknown(t.to_owned()),
            known => known,
        }
    }

    /// Whether the profile sits on a device (installed, enabled or disabled).
    pub fn is_on_device(&self) -> bool {
        matches!(self, Self::Installed | Self::Enabled | Self::Disabled)
    }
}

/// `deserialize_with` for the optional `state`, through [`EsimState::parse`].
fn opt_state<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<EsimState>, D::Error> {
    Ok(crate::lenient::opt_string(d)?.as_deref().map(EsimState::parse))
}

/// `EsimCardInfo`: one eSIM profile.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct EsimCardInfo {
    /// `eid`: EID of the eUICC holding the profile (empty until installed).
    #[serde(rename = "eid", default, deserialize_with = "crate::lenient::string")]
    pub eid: String,
    /// `activationCode`: the activation code (matching ID).
    #[serde(rename = "activationCode", default, deserialize_with = "crate::lenient::string")]
    pub activation_code: String,
    /// `smdpAddress`: the SM-DP+ address.
    #[serde(rename = "smdpAddress", default, deserialize_with = "crate::lenient::string")]
    pub smdp_address: String,
    /// `installDevice`: the device that installed it.
    #[serde(
        rename = "installDevice",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub install_device: Option<String>,
    /// `installCount`: number of installs (number or numeric string).
    #[serde(
        rename = "installCount",
        default,
        deserialize_with = "crate::lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub install_count: Option<i64>,
    /// `installTime`: when it was installed, `yyyy-MM-dd HH:mm:ss`; the zone is not stated.
    #[serde(
        rename = "installTime",
        default,
        deserialize_with = "crate::datetime::opt",
        serialize_with = "crate::datetime::ser_opt_dashed",
        skip_serializing_if = "Option::is_none"
    )]
    pub install_time: Option<DateTime>,
    /// `updateTime`: last change, `yyyy-MM-dd HH:mm:ss`; the zone is not stated.
    #[serde(
        rename = "updateTime",
        default,
        deserialize_with = "crate::datetime::opt",
        serialize_with = "crate::datetime::ser_opt_dashed",
        skip_serializing_if = "Option::is_none"
    )]
    pub update_time: Option<DateTime>,
    /// `state`: profile state, read case-insensitively.
    #[serde(rename = "state", default, deserialize_with = "opt_state", skip_serializing_if = "Option::is_none")]
    pub state: Option<EsimState>,
    /// `downloadUrl`: download URL; production clients render the QR code from it, so it is
    /// likely the full LPA string already.
    #[serde(rename = "downloadUrl", default, deserialize_with = "crate::lenient::string")]
    pub download_url: String,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Checks one part of an activation code: present, without `$` (the separator) or whitespace.
fn lpa_part<'a>(field: &str, value: &'a str) -> Result<&'a str> {
    let v = value.trim();
    validate::required(field, v)?;
    if v.contains('$') || v.chars().any(char::is_whitespace) {
        return Err(Error::validation(field, "must not contain `$` or whitespace"));
    }
    Ok(v)
}

impl EsimCardInfo {
    /// The activation string for the QR code (GSMA SGP.22): `downloadUrl` when it already is one
    /// (`LPA:1$<address>$<code>...`, prefix case-insensitive), otherwise
    /// `LPA:1$<smdpAddress>$<activationCode>` built from checked parts. Fails with a validation
    /// error naming the field when neither gives a usable string.
    pub fn lpa_string(&self) -> Result<String> {
        let url = self.download_url.trim();
        if let Some(rest) = url.get(..4).filter(|p| p.eq_ignore_ascii_case("LPA:")).and(url.get(4..)) {
            let mut parts = rest.split('$');
            let ok = parts.next() == Some("1")
                && parts.next().is_some_and(|a| !a.is_empty())
                && parts.next().is_some_and(|c| !c.is_empty())
                && !url.chars().any(char::is_whitespace);
            if !ok {
                return Err(Error::validation("downloadUrl", "is not an LPA:1$<address>$<code> string"));
            }
            return Ok(url.to_owned());
        }
        let address = lpa_part("smdpAddress", &self.smdp_address)?;
        let code = lpa_part("activationCode", &self.activation_code)?;
        Ok(format!("LPA:1${address}${code}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_is_case_insensitive() {
        assert_eq!(EsimState::parse("ENABLE"), EsimState::Enabled);
        assert_eq!(EsimState::parse(" Disabled "), EsimState::Disabled);
        assert_eq!(EsimState::parse("Released"), EsimState::Released);
        assert_eq!(EsimState::parse("Paused"), EsimState::Unknown("Paused".into()));
        assert!(EsimState::Enabled.is_on_device());
        assert!(!EsimState::Released.is_on_device());
    }

    #[test]
    fn lpa_string_prefers_a_complete_download_url() {
        let mut info = EsimCardInfo {
            smdp_address: "smdp.example.com".into(),
            activation_code: "ABC-123".into(),
            ..EsimCardInfo::default()
        };
        assert_eq!(info.lpa_string().unwrap(), "LPA:1$smdp.example.com$ABC-123");
        info.download_url = "LPA:1$other.example.com$XYZ".into();
        assert_eq!(info.lpa_string().unwrap(), "LPA:1$other.example.com$XYZ");
        info.download_url = "lpa:1$$".into();
        assert_eq!(info.lpa_string().unwrap_err().field(), Some("downloadUrl"));
        info.download_url = "https://example.com/profile".into();
        info.activation_code = "AB$C".into();
        assert_eq!(info.lpa_string().unwrap_err().field(), Some("activationCode"));
        info.smdp_address = " ".into();
        assert_eq!(info.lpa_string().unwrap_err().field(), Some("smdpAddress"));
        assert_eq!(QueryEsimCardInfoResponse::default().lpa_string().unwrap_err().field(), Some("data"));
    }

    #[test]
    fn both_keys_present_keeps_the_other_in_extra() {
        let r: QueryEsimCardInfoResponse =
            serde_json::from_str(r#"{"data":{"eid":"1"},"cardInfo":{"eid":"2"}}"#).unwrap();
        assert_eq!(r.card_info.as_ref().map(|c| c.eid.as_str()), Some("1"));
        assert_eq!(r.extra["cardInfo"]["eid"], "2");
        let again: QueryEsimCardInfoResponse = serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
        assert_eq!(again, r);
    }
}
