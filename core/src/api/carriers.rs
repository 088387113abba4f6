//! 3.2.7 Carriers (`APP_queryCarrier_SBO/v1`).

use super::common::{Ext, Extra, Language};
use crate::error::{Error, Result};
use crate::operation::{Operation, OperationKind, TokenPolicy};
use crate::validate;
use serde::{Deserialize, Serialize};

/// Request of 3.2.7: the countries and operators (with APN) configured on the platform.
///
/// `Default` leaves `language` unset (an empty code), which [`Operation::validate`] refuses:
/// use [`QueryCarriersRequest::new`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, cmi_derive::Model)]
pub struct QueryCarriersRequest {
    /// `language`: language of the names in the answer.
    #[serde(rename = "language")]
    pub language: Language,
    /// `mcc`: only this country.
    #[serde(
        rename = "mcc",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub mcc: Option<String>,
    /// `continent`: only this continent, named in the chosen language.
    #[serde(
        rename = "continent",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub continent: Option<String>,
    /// `ext`: extension properties.
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
}

impl Default for QueryCarriersRequest {
    fn default() -> Self {
        Self { language: Language::from_wire(""), mcc: None, continent: None, ext: Ext::new() }
    }
}

impl QueryCarriersRequest {
    /// All carriers, names in `language`.
    pub fn new(language: Language) -> Self {
        Self { language, ..Self::default() }
    }

    /// Only the carriers of one country.
    pub fn with_mcc(mut self, mcc: impl Into<String>) -> Self {
        self.mcc = Some(mcc.into());
        self
    }
}

impl Operation for QueryCarriersRequest {
    const NAME: &'static str = "query_carriers";
    const PATH: &'static str = "APP_queryCarrier_SBO/v1";
    const SECTION: &'static str = "3.2.7";
    const KIND: OperationKind = OperationKind::Query;
    const TOKEN: TokenPolicy = TokenPolicy::Optional;
    type Response = QueryCarriersResponse;

    fn validate(&self) -> Result<()> {
        validate::required("language", self.language.as_wire())?;
        if !self.language.is_known() {
            return Err(Error::validation(
                "language",
                "must be 0 (simplified Chinese), 1 (traditional Chinese) or 2 (English)",
            ));
        }
        validate::optional("mcc", self.mcc.as_deref(), validate::mcc)
    }
}

/// Answer of 3.2.7.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct QueryCarriersResponse {
    /// `stateList`: one entry per country and operator.
    #[serde(rename = "stateList", default, deserialize_with = "crate::lenient::vec")]
    pub state_list: Vec<Carrier>,
    /// `ext`: extension properties.
    #[serde(rename = "ext", default, skip_serializing_if = "Ext::is_empty")]
    pub ext: Ext,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl QueryCarriersResponse {
    /// The operators of one country (compared after trimming).
    pub fn by_mcc<'a>(&'a self, mcc: &'a str) -> impl Iterator<Item = &'a Carrier> + 'a {
        self.state_list.iter().filter(move |c| c.mcc.trim() == mcc.trim())
    }
}

/// `Carrier`: one operator in one country.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct Carrier {
    /// `country`: country name.
    #[serde(rename = "country", default, deserialize_with = "crate::lenient::string")]
    pub country: String,
    /// `continent`: continent name.
    #[serde(rename = "continent", default, deserialize_with = "crate::lenient::string")]
    pub continent: String,
    /// `carrier`: operator name.
    #[serde(rename = "carrier", default, deserialize_with = "crate::lenient::string")]
    pub carrier: String,
    /// `isHot`: popular-country flag; its values are not documented, so it is kept as sent.
    #[serde(rename = "isHot", default, deserialize_with = "crate::lenient::string")]
    pub is_hot: String,
    /// `imageUrl`: picture of the country.
    #[serde(
        rename = "imageUrl",
        default,
        deserialize_with = "crate::lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_url: Option<String>,
    /// `APN` (upper-case key): the access point name to configure.
    #[serde(rename = "APN", default, deserialize_with = "crate::lenient::string")]
    pub apn: String,
    /// `mcc`: country code.
    #[serde(rename = "mcc", default, deserialize_with = "crate::lenient::string")]
    pub mcc: String,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}
