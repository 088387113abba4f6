//! 3.2.1 Get access token (`APP_getAccessToken_SBO/v1`).

use super::common::Extra;
use crate::datetime::{self, DateTime};
use crate::error::Result;
use crate::operation::{Operation, OperationKind, TokenPolicy};
use crate::secret::Secret;
use crate::validate;
use serde::{Deserialize, Serialize};

/// Request of 3.2.1. The client sends it for you; it is public for diagnostics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, cmi_derive::Model)]
pub struct GetAccessTokenRequest {
    /// `id`: the app key (the WSSE Username).
    #[serde(rename = "id", deserialize_with = "crate::lenient::string")]
    pub id: String,
    /// `type`: account type; `106` = channel, the only documented value. Sent as the string
    /// `"106"` as in the spec's example and most clients.
    #[serde(rename = "type", deserialize_with = "crate::lenient::string")]
    pub account_type: String,
}

impl GetAccessTokenRequest {
    /// The channel account type.
    pub const CHANNEL: &'static str = "106";

    /// A token request for a channel app key.
    pub fn new(app_key: impl Into<String>) -> Self {
        Self { id: app_key.into(), account_type: Self::CHANNEL.to_owned() }
    }
}

/// Answer of 3.2.1.
#[derive(Clone, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct GetAccessTokenResponse {
    /// `accessToken`: a JWT without expiry; never printed.
    #[serde(rename = "accessToken", default, with = "secret_text")]
    pub access_token: Option<Secret>,
    /// `expireTime`: absolute expiry, UTC (`YYYYMMDDHHMMSS`).
    #[serde(
        rename = "expireTime",
        default,
        deserialize_with = "datetime::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub expire_time: Option<DateTime>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl std::fmt::Debug for GetAccessTokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GetAccessTokenResponse")
            .field("access_token", &self.access_token.as_ref().map(|_| "***"))
            .field("expire_time", &self.expire_time)
            .field("extra", &self.extra)
            .finish()
    }
}

/// Token text in and out of JSON. Serializing writes the token: only the CLI's diagnostic
/// output and the token stores do that, by explicit request.
mod secret_text {
    use crate::secret::Secret;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => s.serialize_str(t.expose()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
        Ok(crate::lenient::opt_string(d)?.map(Secret::new))
    }
}

impl Operation for GetAccessTokenRequest {
    const NAME: &'static str = "get_access_token";
    const PATH: &'static str = "APP_getAccessToken_SBO/v1";
    const SECTION: &'static str = "3.2.1";
    const KIND: OperationKind = OperationKind::Auth;
    const TOKEN: TokenPolicy = TokenPolicy::None;
    type Response = GetAccessTokenResponse;

    fn validate(&self) -> Result<()> {
        validate::required("id", &self.id)?;
        validate::max_len("id", &self.id, 64)?;
        validate::required("type", &self.account_type)
    }
}
