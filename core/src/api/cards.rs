//! 3.2.4 H-IMSI location and state (`APP_HIMSI_TERMSTATE_SBO/v1`), 3.2.10 SIM info
//! (`SBO_query_SIMInfo/v1`).

use super::common::{Ext, Extra};
use crate::datetime::{Date, DateTime};
use crate::error::{Error, Result};
use crate::guard::CardTargets;
use crate::operation::{Operation, OperationKind, TokenPolicy, WireOptions, encode_with_token};
use crate::validate;
use serde::de::Deserializer;
use serde::{Deserialize, Serialize, Serializer};

/// Request of 3.2.4: where a card is and its home IMSI. The card is named by `imsi` or
/// `iccid`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct QueryHimsiStateRequest {
    /// `imsi`: the card's home IMSI (6-15 digits).
    #[serde(
        rename = "imsi",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_id_string"
    )]
    pub imsi: Option<String>,
    /// `iccid`: the card's ICCID (18-20 digits).
    #[serde(
        rename = "iccid",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_id_string"
    )]
    pub iccid: Option<String>,
    /// `ext`: extension parameters.
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
}

impl QueryHimsiStateRequest {
    /// The card with this ICCID.
    pub fn by_iccid(iccid: impl Into<String>) -> Self {
        Self { iccid: Some(iccid.into()), ..Self::default() }
    }

    /// The card with this home IMSI.
    pub fn by_imsi(imsi: impl Into<String>) -> Self {
        Self { imsi: Some(imsi.into()), ..Self::default() }
    }
}

impl Operation for QueryHimsiStateRequest {
    const NAME: &'static str = "query_himsi_state";
    const PATH: &'static str = "APP_HIMSI_TERMSTATE_SBO/v1";
    const SECTION: &'static str = "3.2.4";
    const KIND: OperationKind = OperationKind::Query;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = QueryHimsiStateResponse;

    fn cards(&self) -> CardTargets<'_> {
        CardTargets::one(self.iccid.as_deref(), &[self.imsi.as_deref()])
    }

    fn validate(&self) -> Result<()> {
        validate::one_of(&[("imsi", self.imsi.as_deref()), ("iccid", self.iccid.as_deref())])?;
        validate::optional("imsi", self.imsi.as_deref(), validate::imsi)?;
        validate::optional("iccid", self.iccid.as_deref(), validate::iccid)
    }
}

/// Answer of 3.2.4.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct QueryHimsiStateResponse {
    /// `imsi` (the spec's example spells it `imsa`): the card's home IMSI.
    #[serde(rename = "imsi", alias = "imsa", default, deserialize_with = "crate::lenient::string")]
    pub imsi: String,
    /// `msisdn`: the card's phone number.
    #[serde(
        rename = "msisdn",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub msisdn: Option<String>,
    /// `mobileCountryCode`: MCC of the country the card is in now; absent when unknown.
    #[serde(
        rename = "mobileCountryCode",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub mobile_country_code: Option<String>,
    /// `ext`: extension fields.
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Request of 3.2.10: state of one or many cards.
///
/// The two spec transcriptions disagree on the body: an object
/// `{"querySIMInfoVOList": [...]}` (zh, plus `accessToken`; the default) or the bare array
/// (en, without token), chosen with [`WireOptions::sim_info_bare_array`]. Both shapes are
/// accepted when a request is decoded.
#[derive(Debug, Clone, PartialEq, Default, Serialize, cmi_derive::Model)]
pub struct QuerySimInfoRequest {
    /// `querySIMInfoVOList` (mandatory, not empty): the cards asked for.
    #[serde(rename = "querySIMInfoVOList")]
    pub items: Vec<SimQuery>,
}

impl QuerySimInfoRequest {
    /// A query for these cards.
    pub fn new(items: Vec<SimQuery>) -> Self {
        Self { items }
    }

    /// Adds a card.
    pub fn with(mut self, item: SimQuery) -> Self {
        self.items.push(item);
        self
    }
}

impl<'de> Deserialize<'de> for QuerySimInfoRequest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wrapped {
            #[serde(rename = "querySIMInfoVOList", default, deserialize_with = "crate::lenient::vec")]
            items: Vec<SimQuery>,
        }
        let value = serde_json::Value::deserialize(d)?;
        let items =
            if value.is_array() { crate::lenient::vec(value) } else { Wrapped::deserialize(value).map(|w| w.items) };
        items.map(|items| Self { items }).map_err(serde::de::Error::custom)
    }
}

/// One card of 3.2.10 (`QuerySIMInfoVO`), by `imsi` or `iccid`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct SimQuery {
    /// `imsi`: the card's home IMSI.
    #[serde(
        rename = "imsi",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_id_string"
    )]
    pub imsi: Option<String>,
    /// `iccid`: the card's ICCID.
    #[serde(
        rename = "iccid",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_id_string"
    )]
    pub iccid: Option<String>,
}

impl SimQuery {
    /// The card with this ICCID.
    pub fn by_iccid(iccid: impl Into<String>) -> Self {
        Self { imsi: None, iccid: Some(iccid.into()) }
    }

    /// The card with this home IMSI.
    pub fn by_imsi(imsi: impl Into<String>) -> Self {
        Self { imsi: Some(imsi.into()), iccid: None }
    }
}

impl Operation for QuerySimInfoRequest {
    const NAME: &'static str = "query_sim_info";
    const PATH: &'static str = "SBO_query_SIMInfo/v1";
    const SECTION: &'static str = "3.2.10";
    const KIND: OperationKind = OperationKind::Query;
    const TOKEN: TokenPolicy = TokenPolicy::Optional;
    type Response = QuerySimInfoResponse;

    fn cards(&self) -> CardTargets<'_> {
        CardTargets::many(self.items.iter().map(|q| (q.iccid.as_deref(), q.imsi.is_some())))
    }

    fn validate(&self) -> Result<()> {
        if self.items.is_empty() {
            return Err(Error::validation("querySIMInfoVOList", "is required and must not be empty"));
        }
        for (i, item) in self.items.iter().enumerate() {
            let (imsi, iccid) = (format!("querySIMInfoVOList[{i}].imsi"), format!("querySIMInfoVOList[{i}].iccid"));
            validate::one_of(&[(&imsi, item.imsi.as_deref()), (&iccid, item.iccid.as_deref())])?;
            validate::optional(&imsi, item.imsi.as_deref(), validate::imsi)?;
            validate::optional(&iccid, item.iccid.as_deref(), validate::iccid)?;
        }
        Ok(())
    }

    /// The zh object form with the token by default; with
    /// [`WireOptions::sim_info_bare_array`] the en form: the bare array, which has no place
    /// for a token.
    fn encode(&self, token: Option<&str>, options: &WireOptions) -> Result<Vec<u8>> {
        if options.sim_info_bare_array {
            serde_json::to_vec(&self.items)
                .map_err(|e| Error::validation("(body)", format!("cannot encode request: {e}")))
        } else {
            encode_with_token(self, token)
        }
    }
}

crate::wire_enum! {
    /// State of a primary card (`HImsi.status`).
    pub enum CardStatus: int {
        /// `0`: normal.
        Normal = "0",
        /// `1`: suspended.
        Suspended = "1",
        /// `3`: deregistered (cancelled).
        Deregistered = "3",
    }
}

crate::wire_enum! {
    /// How bundles on a card are activated (`serviceUsageMode`).
    pub enum ServiceUsageMode: str {
        /// `0`: manual activation (call 3.2.3).
        Manual = "0",
        /// `1`: automatic activation.
        Automatic = "1",
    }
}

crate::wire_enum! {
    /// Identity document type of a real-name rule (`certificatesType`).
    pub enum CertificateType: str {
        /// `1`: passport.
        Passport = "1",
        /// `2`: Hong Kong / Macau travel permit.
        HkMacauTravelPermit = "2",
        /// `3`: Hong Kong identity card.
        HongKongId = "3",
        /// `4`: Macau identity card.
        MacauId = "4",
    }
}

crate::wire_enum! {
    /// Real-name authentication state (`authStatus`).
    pub enum AuthStatus: str {
        /// `1`: awaiting authentication.
        Awaiting = "1",
        /// `2`: authentication in progress.
        InProgress = "2",
        /// `3`: passed.
        Passed = "3",
        /// `4`: failed.
        Failed = "4",
        /// `5`: the document has expired.
        DocumentExpired = "5",
    }
}

/// Answer of 3.2.10.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct QuerySimInfoResponse {
    /// `himsis`: one entry per card found. The spec notes that only the IMSI and the status
    /// are reliably filled in.
    #[serde(rename = "himsis", default, deserialize_with = "crate::lenient::vec")]
    pub himsis: Vec<HImsi>,
    /// `ext`: extension fields.
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl QuerySimInfoResponse {
    /// The card with this ICCID.
    pub fn find_by_iccid(&self, iccid: &str) -> Option<&HImsi> {
        let iccid = iccid.trim();
        self.himsis.iter().find(|h| h.iccid.as_deref().map(str::trim) == Some(iccid))
    }

    /// The card with this home IMSI.
    pub fn find_by_imsi(&self, imsi: &str) -> Option<&HImsi> {
        let imsi = imsi.trim();
        self.himsis.iter().find(|h| h.h_imsi.trim() == imsi)
    }
}

/// A primary card (`HImsi`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct HImsi {
    /// `hImsi`: the card's home IMSI.
    #[serde(rename = "hImsi", default, deserialize_with = "crate::lenient::string")]
    pub h_imsi: String,
    /// `msisdn`: the card's phone number (often not filled in).
    #[serde(
        rename = "msisdn",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub msisdn: Option<String>,
    /// `iccid`: the card's ICCID (often not filled in).
    #[serde(
        rename = "iccid",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub iccid: Option<String>,
    /// `status`: the card's state.
    #[serde(
        rename = "status",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<CardStatus>,
    /// `cardHlrId` (the example spells it `cardHlrID`): the HLR the card belongs to.
    #[serde(
        rename = "cardHlrId",
        alias = "cardHlrID",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub card_hlr_id: Option<String>,
    /// `cardOtaId`: the OTA platform the card belongs to.
    #[serde(
        rename = "cardOtaId",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub card_ota_id: Option<String>,
    /// `createTime`: UTC.
    #[serde(
        rename = "createTime",
        default,
        deserialize_with = "crate::datetime::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub create_time: Option<DateTime>,
    /// `expireTime`: UTC.
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
    /// `serviceUsageMode`: manual or automatic bundle activation.
    #[serde(
        rename = "serviceUsageMode",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_usage_mode: Option<ServiceUsageMode>,
    /// `realRuleList`: real-name rules that apply; empty means none is needed.
    #[serde(
        rename = "realRuleList",
        default,
        deserialize_with = "crate::lenient::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub real_rules: Vec<RealRule>,
    /// `ext`: extension fields.
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HImsi {
    /// Whether the card is in normal state.
    pub fn is_normal(&self) -> bool {
        self.status == Some(CardStatus::Normal)
    }

    /// Whether bundles must be activated by hand (3.2.3).
    pub fn needs_manual_activation(&self) -> bool {
        self.service_usage_mode == Some(ServiceUsageMode::Manual)
    }

    /// The real-name rule covering the country `mcc`, if any.
    pub fn real_rule_for(&self, mcc: &str) -> Option<&RealRule> {
        let mcc = mcc.trim();
        self.real_rules.iter().find(|r| r.mcc.iter().any(|m| m.trim() == mcc))
    }
}

/// A real-name registration rule (`realRule`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct RealRule {
    /// `ruleID`: rule code.
    #[serde(rename = "ruleID", default, deserialize_with = "crate::lenient::string")]
    pub rule_id: String,
    /// `name`: rule name.
    #[serde(rename = "name", default, deserialize_with = "crate::lenient::string")]
    pub name: String,
    /// `mcc`: the countries the rule covers (a lone code is read as a one-item list).
    #[serde(rename = "mcc", default, deserialize_with = "crate::lenient::vec")]
    pub mcc: Vec<String>,
    /// `certificatesType`: the identity document used.
    #[serde(
        rename = "certificatesType",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub certificates_type: Option<CertificateType>,
    /// `certificatesTime`: the document's expiry date (`YYYY-MM-DD` on the wire and when
    /// encoded; `YYYYMMDD` also read).
    #[serde(
        rename = "certificatesTime",
        default,
        deserialize_with = "crate::datetime::opt_date",
        serialize_with = "ser_opt_iso_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub certificates_time: Option<Date>,
    /// `authStatus`: the authentication state.
    #[serde(
        rename = "authStatus",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub auth_status: Option<AuthStatus>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl RealRule {
    /// Whether authentication under this rule has passed.
    pub fn is_passed(&self) -> bool {
        self.auth_status == Some(AuthStatus::Passed)
    }
}

/// Encodes a date as `YYYY-MM-DD`, the wire form of `certificatesTime`.
fn ser_opt_iso_date<S: Serializer>(v: &Option<Date>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match v {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sim_info_request_reads_both_shapes_and_writes_both() {
        let obj: QuerySimInfoRequest =
            serde_json::from_str(r#"{"querySIMInfoVOList":{"iccid":"8985234200000000001"}}"#).unwrap();
        let arr: QuerySimInfoRequest = serde_json::from_str(r#"[{"iccid":"8985234200000000001"}]"#).unwrap();
        assert_eq!(obj, arr);

        let wrapped = obj.encode(Some("T"), &WireOptions::default()).unwrap();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&wrapped).unwrap(),
            serde_json::json!({"accessToken":"T","querySIMInfoVOList":[{"iccid":"8985234200000000001"}]})
        );
        let bare = obj.encode(Some("T"), &WireOptions { sim_info_bare_array: true }).unwrap();
        assert_eq!(bare, br#"[{"iccid":"8985234200000000001"}]"#);
    }

    #[test]
    fn certificate_date_keeps_its_dashed_form() {
        let r: RealRule =
            serde_json::from_str(r#"{"ruleID":"R","name":"n","mcc":"454","certificatesTime":"2030-01-31"}"#).unwrap();
        assert_eq!(r.certificates_time, Date::new(2030, 1, 31));
        assert_eq!(r.mcc, ["454"]);
        assert_eq!(serde_json::to_value(&r).unwrap()["certificatesTime"], "2030-01-31");
    }
}
