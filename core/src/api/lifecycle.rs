//! 3.2.3 Activate a bundle (`APP_activeDataBundle_SBO/v1`), 3.2.9 Early release of bundles
//! (`SBO_package_end/v1`).

use super::common::{Ext, Extra};
use crate::error::{Error, Result};
use crate::guard::CardTargets;
use crate::operation::{Operation, OperationKind, TokenPolicy};
use crate::validate;
use serde::{Deserialize, Serialize};

/// Request of 3.2.3: activate a bundle the card has already bought (also re-use a bundle
/// activated before). The card is named by one of `hImsi`, `msisdn`, `iccid`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct ActivateDataBundleRequest {
    /// `hImsi`: the card's home IMSI (6-15 digits).
    #[serde(
        rename = "hImsi",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_id_string"
    )]
    pub h_imsi: Option<String>,
    /// `msisdn`: the card's phone number (≤ 20 digits).
    #[serde(
        rename = "msisdn",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_id_string"
    )]
    pub msisdn: Option<String>,
    /// `iccid`: the card's ICCID (18-20 digits).
    #[serde(
        rename = "iccid",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_id_string"
    )]
    pub iccid: Option<String>,
    /// `dataBundleId` (mandatory): the bought bundle to activate (≤ 20 characters).
    #[serde(rename = "dataBundleId", deserialize_with = "crate::lenient::string")]
    pub data_bundle_id: String,
    /// `mcc` (mandatory): the country to activate in. What to pass for a multi-country bundle
    /// is not documented; pass the country the card is in (3.2.4 `mobileCountryCode`).
    #[serde(rename = "mcc", deserialize_with = "crate::lenient::string")]
    pub mcc: String,
    /// `ext`: extension parameters.
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
}

impl ActivateDataBundleRequest {
    /// Activation of `data_bundle_id` in `mcc`; name the card with one of the `with_*` methods.
    pub fn new(data_bundle_id: impl Into<String>, mcc: impl Into<String>) -> Self {
        Self { data_bundle_id: data_bundle_id.into(), mcc: mcc.into(), ..Self::default() }
    }

    /// Activation on the card with this ICCID.
    pub fn for_iccid(iccid: impl Into<String>, data_bundle_id: impl Into<String>, mcc: impl Into<String>) -> Self {
        Self::new(data_bundle_id, mcc).with_iccid(iccid)
    }

    /// Names the card by ICCID.
    pub fn with_iccid(mut self, iccid: impl Into<String>) -> Self {
        self.iccid = Some(iccid.into());
        self
    }

    /// Names the card by home IMSI.
    pub fn with_h_imsi(mut self, h_imsi: impl Into<String>) -> Self {
        self.h_imsi = Some(h_imsi.into());
        self
    }

    /// Names the card by MSISDN.
    pub fn with_msisdn(mut self, msisdn: impl Into<String>) -> Self {
        self.msisdn = Some(msisdn.into());
        self
    }
}

impl Operation for ActivateDataBundleRequest {
    const NAME: &'static str = "activate_data_bundle";
    const PATH: &'static str = "APP_activeDataBundle_SBO/v1";
    const SECTION: &'static str = "3.2.3";
    const KIND: OperationKind = OperationKind::Command;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = ActivateDataBundleResponse;

    fn cards(&self) -> CardTargets<'_> {
        CardTargets::one(self.iccid.as_deref(), &[self.h_imsi.as_deref(), self.msisdn.as_deref()])
    }

    fn validate(&self) -> Result<()> {
        validate::one_of(&[
            ("hImsi", self.h_imsi.as_deref()),
            ("msisdn", self.msisdn.as_deref()),
            ("iccid", self.iccid.as_deref()),
        ])?;
        validate::optional("hImsi", self.h_imsi.as_deref(), validate::imsi)?;
        validate::optional("msisdn", self.msisdn.as_deref(), validate::msisdn)?;
        validate::optional("iccid", self.iccid.as_deref(), validate::iccid)?;
        validate::required("dataBundleId", &self.data_bundle_id)?;
        validate::max_len("dataBundleId", &self.data_bundle_id, 20)?;
        validate::required("mcc", &self.mcc)?;
        validate::mcc("mcc", &self.mcc)
    }
}

/// Answer of 3.2.3: success carries nothing but the status (and possibly `ext`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct ActivateDataBundleResponse {
    /// `ext`: extension fields.
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Request of 3.2.9: end the in-use bundle on one or many cards before its natural end.
/// Cards that fail are listed in the answer's `errorList`; the call itself still succeeds.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct EndPackageRequest {
    /// `iccidPackageList` (mandatory, not empty): the cards and bundles to end.
    #[serde(rename = "iccidPackageList", default, deserialize_with = "crate::lenient::vec")]
    pub iccid_package_list: Vec<IccidPackage>,
}

impl EndPackageRequest {
    /// A release of these card/bundle pairs.
    pub fn new(iccid_package_list: Vec<IccidPackage>) -> Self {
        Self { iccid_package_list }
    }

    /// Adds one card/bundle pair.
    pub fn with(mut self, item: IccidPackage) -> Self {
        self.iccid_package_list.push(item);
        self
    }
}

/// One card and bundle of 3.2.9 (`IccidPackage`): the card by `iccid` or `imsi`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct IccidPackage {
    /// `iccid`: the card's ICCID.
    #[serde(
        rename = "iccid",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_id_string"
    )]
    pub iccid: Option<String>,
    /// `imsi`: the card's home IMSI.
    #[serde(
        rename = "imsi",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_id_string"
    )]
    pub imsi: Option<String>,
    /// `packageid` (mandatory; lower-case `id` on the wire): the bundle ID, the
    /// `dataBundleId` of other interfaces.
    #[serde(rename = "packageid", default, deserialize_with = "crate::lenient::string")]
    pub data_bundle_id: String,
}

impl IccidPackage {
    /// The bundle `data_bundle_id` on the card with this ICCID.
    pub fn by_iccid(iccid: impl Into<String>, data_bundle_id: impl Into<String>) -> Self {
        Self { iccid: Some(iccid.into()), imsi: None, data_bundle_id: data_bundle_id.into() }
    }

    /// The bundle `data_bundle_id` on the card with this home IMSI.
    pub fn by_imsi(imsi: impl Into<String>, data_bundle_id: impl Into<String>) -> Self {
        Self { iccid: None, imsi: Some(imsi.into()), data_bundle_id: data_bundle_id.into() }
    }
}

impl Operation for EndPackageRequest {
    const NAME: &'static str = "end_package";
    const PATH: &'static str = "SBO_package_end/v1";
    const SECTION: &'static str = "3.2.9";
    const KIND: OperationKind = OperationKind::Command;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = EndPackageResponse;

    fn cards(&self) -> CardTargets<'_> {
        CardTargets::many(self.iccid_package_list.iter().map(|p| (p.iccid.as_deref(), p.imsi.is_some())))
    }

    fn validate(&self) -> Result<()> {
        if self.iccid_package_list.is_empty() {
            return Err(Error::validation("iccidPackageList", "is required and must not be empty"));
        }
        for (i, item) in self.iccid_package_list.iter().enumerate() {
            let field = |name: &str| format!("iccidPackageList[{i}].{name}");
            let (iccid, imsi, package) = (field("iccid"), field("imsi"), field("packageid"));
            validate::one_of(&[(&iccid, item.iccid.as_deref()), (&imsi, item.imsi.as_deref())])?;
            validate::optional(&iccid, item.iccid.as_deref(), validate::iccid)?;
            validate::optional(&imsi, item.imsi.as_deref(), validate::imsi)?;
            validate::required(&package, &item.data_bundle_id)?;
            validate::max_len(&package, &item.data_bundle_id, 20)?;
        }
        Ok(())
    }
}

/// Answer of 3.2.9. Success of the call does not mean every card was released: check
/// [`EndPackageResponse::failures`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct EndPackageResponse {
    /// `errorList`: the items that failed (empty when all succeeded).
    #[serde(
        rename = "errorList",
        default,
        deserialize_with = "crate::lenient::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub error_list: Vec<Parameter>,
    /// `ext`: extension fields.
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl EndPackageResponse {
    /// Whether every requested item was released.
    pub fn all_released(&self) -> bool {
        self.error_list.is_empty()
    }

    /// The failures as `(card, reason)` pairs. `card` is `parameterName` as sent: the spec
    /// says it names the card ("ICCID" or "imsi") without saying whether it holds that word
    /// or the card's number, so both are passed through unchanged.
    pub fn failures(&self) -> impl Iterator<Item = (&str, &str)> {
        self.error_list.iter().map(|p| (p.parameter_name.as_str(), p.parameter_value.as_str()))
    }

    /// The failure reason reported for this card (ICCID or IMSI), if `parameterName` holds
    /// the card's number.
    pub fn failure_for(&self, card: &str) -> Option<&str> {
        let card = card.trim();
        self.error_list.iter().find(|p| p.parameter_name.trim() == card).map(|p| p.parameter_value.as_str())
    }
}

/// A name/value pair (`Parameter`), used by 3.2.9 to report one failed item.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct Parameter {
    /// `parameterName`: which card failed (see [`EndPackageResponse::failures`]).
    #[serde(rename = "parameterName", default, deserialize_with = "crate::lenient::string")]
    pub parameter_name: String,
    /// `parameterValue`: the failure reason.
    #[serde(rename = "parameterValue", default, deserialize_with = "crate::lenient::string")]
    pub parameter_value: String,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_package_names_the_failing_item() {
        let req = EndPackageRequest::default()
            .with(IccidPackage::by_iccid("8985234200000000001", "D1"))
            .with(IccidPackage { iccid: None, imsi: Some(" ".into()), data_bundle_id: "D2".into() });
        assert_eq!(req.validate().unwrap_err().field(), Some("iccidPackageList[1].iccid|iccidPackageList[1].imsi"));

        let req = EndPackageRequest::new(vec![IccidPackage::by_imsi("454120381956774", "")]);
        assert_eq!(req.validate().unwrap_err().field(), Some("iccidPackageList[0].packageid"));
        assert_eq!(EndPackageRequest::default().validate().unwrap_err().field(), Some("iccidPackageList"));
    }

    #[test]
    fn failures_are_listed() {
        let r: EndPackageResponse =
            serde_json::from_str(r#"{"errorList":{"parameterName":"8985234200000000001","parameterValue":"no"}}"#)
                .unwrap();
        assert!(!r.all_released());
        assert_eq!(r.failure_for("8985234200000000001"), Some("no"));
        assert_eq!(r.failures().collect::<Vec<_>>(), [("8985234200000000001", "no")]);
    }
}
