//! What every interface declares about itself: name, path, kind, token rule, request
//! validation and wire encoding. The client is generic over this trait, so adding an
//! interface means adding a model, not client code.

use crate::error::{Error, Result};
use crate::guard::{CardTargets, SpendItem};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// How an operation touches the platform; drives retry and guard decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationKind {
    /// The token call (3.2.1).
    Auth,
    /// Reads only; safe to retry.
    Query,
    /// Changes state; retried only when keyed.
    Command,
    /// Spends the channel's deposit (3.2.5); idempotent only through `transactionCode`.
    Spend,
}

impl OperationKind {
    /// Lower-case name: `auth`, `query`, `command`, `spend`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Auth => "auth",
            Self::Query => "query",
            Self::Command => "command",
            Self::Spend => "spend",
        }
    }
}

/// Whether the body carries `accessToken` (spec §1.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenPolicy {
    /// Never (3.2.1).
    None,
    /// Always.
    Required,
    /// The table omits it and clients differ (3.2.7, 3.2.10): sent when
    /// [`Config::token_on_optional`](crate::Config) is set, which is the default.
    Optional,
}

/// One outbound interface of the API.
pub trait Operation: Serialize + Send + Sync {
    /// Canonical snake_case name (`create_order`).
    const NAME: &'static str;
    /// Path after `/aep/` (`APP_createOrder_SBO/v1`).
    const PATH: &'static str;
    /// Spec section (`3.2.5`).
    const SECTION: &'static str;
    /// What the call does.
    const KIND: OperationKind;
    /// Whether it carries the token.
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    /// The typed answer.
    type Response: DeserializeOwned + Serialize + std::fmt::Debug + Send + 'static;

    /// Checks the request before any network call (sdk-rules 12).
    fn validate(&self) -> Result<()>;

    /// The cards the request targets, for the guard's ICCID allow-list.
    fn cards(&self) -> CardTargets<'_> {
        CardTargets::None
    }

    /// What the request buys, for the guard's spend ceilings (3.2.5 only).
    fn spend_item(&self) -> Option<SpendItem> {
        None
    }

    /// The JSON body: the request's fields with `accessToken` first when given. `options`
    /// selects between documented wire variants where the spec is ambiguous.
    fn encode(&self, token: Option<&str>, options: &WireOptions) -> Result<Vec<u8>> {
        let _ = options;
        encode_with_token(self, token)
    }
}

/// Choices between documented wire variants of requests (spec §3 item 5). The defaults are
/// the best current reading of the spec.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct WireOptions {
    /// 3.2.10: send the bare JSON array of the en transcription instead of the zh
    /// `{"querySIMInfoVOList": [...]}` object (which also carries `accessToken`).
    pub sim_info_bare_array: bool,
}

#[derive(Serialize)]
struct WithToken<'a, T: ?Sized> {
    #[serde(rename = "accessToken", skip_serializing_if = "Option::is_none")]
    access_token: Option<&'a str>,
    #[serde(flatten)]
    body: &'a T,
}

/// Serializes `body` as a JSON object with `accessToken` added in front.
pub fn encode_with_token<T: Serialize + ?Sized>(body: &T, token: Option<&str>) -> Result<Vec<u8>> {
    serde_json::to_vec(&WithToken { access_token: token, body })
        .map_err(|e| Error::validation("(body)", format!("cannot encode request: {e}")))
}
