//! Observability: what request and response hooks see, with secrets removed.
//!
//! Every call also runs inside a `tracing` span `cmi.call` (fields `operation`, `attempt`,
//! `code`, `status`, `latency_ms`); hooks are for audit trails and metrics that need the
//! bodies. A hook never sees the `X-WSSE` header, the app secret or an access token: bodies
//! are re-encoded with every `accessToken` value replaced by `"***"`.

use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// One attempt as sent, redacted.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestRecord {
    /// The operation.
    pub operation: &'static str,
    /// Attempt number, from 1.
    pub attempt: u32,
    /// The URL.
    pub url: String,
    /// The JSON body with `accessToken` redacted.
    pub body: Value,
}

/// One answer as received, redacted.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseRecord {
    /// The operation.
    pub operation: &'static str,
    /// Attempt number, from 1.
    pub attempt: u32,
    /// HTTP status, or `None` when no answer arrived.
    pub status: Option<u16>,
    /// The platform's `code`, when the body had one.
    pub code: Option<String>,
    /// The JSON body with `accessToken` redacted (`Null` when not JSON or no answer).
    pub body: Value,
    /// Time from sending to the answer (or failure), in milliseconds.
    pub latency_ms: u64,
    /// The failure, when the attempt failed.
    pub error: Option<String>,
}

/// A hook receiving requests.
pub type RequestHook = Arc<dyn Fn(&RequestRecord) + Send + Sync>;
/// A hook receiving responses.
pub type ResponseHook = Arc<dyn Fn(&ResponseRecord) + Send + Sync>;

/// The hooks of a client.
#[derive(Clone, Default)]
pub struct Hooks {
    /// Called before each attempt is sent.
    pub on_request: Option<RequestHook>,
    /// Called after each attempt.
    pub on_response: Option<ResponseHook>,
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("on_request", &self.on_request.is_some())
            .field("on_response", &self.on_response.is_some())
            .finish()
    }
}

/// Keys whose values are secrets wherever they appear in a body.
const SECRET_KEYS: [&str; 1] = ["accessToken"];

/// Parses a JSON body and replaces every secret value, at any depth, with `"***"`.
pub fn redact_body(body: &[u8]) -> Value {
    let mut v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    redact(&mut v);
    v
}

fn redact(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if SECRET_KEYS.contains(&k.as_str()) && !val.is_null() {
                    *val = Value::String("***".into());
                } else {
                    redact(val);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tokens_are_redacted_at_any_depth() {
        let v = redact_body(br#"{"accessToken":"eyJ","a":[{"accessToken":"x"}],"id":"k"}"#);
        assert_eq!(v, json!({"accessToken":"***","a":[{"accessToken":"***"}],"id":"k"}));
        assert_eq!(redact_body(b"not json"), Value::Null);
    }
}
