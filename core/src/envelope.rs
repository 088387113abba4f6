//! The response envelope: `code` and a description sit at the top level beside the payload
//! (spec §1.3). This module splits them off, decides success (sdk-rules 9) and decodes the
//! payload leniently.

use crate::codes;
use crate::error::{Error, Result, scrub};
use crate::operation::Operation;
use serde_json::{Map, Value};

/// The status part of an answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Status {
    /// `code` as sent (numbers are read as their digits).
    pub code: String,
    /// The first non-empty of `description`, `msg` and `decsription`.
    pub description: String,
}

impl Status {
    /// Whether `code` is all zeros.
    pub fn is_success(&self) -> bool {
        codes::is_success(&self.code)
    }
}

/// Keys that belong to the envelope, not to the payload.
const DESCRIPTION_KEYS: [&str; 3] = ["description", "msg", "decsription"];

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Splits a JSON object answer into its status and the remaining payload fields.
pub fn split(operation: &'static str, body: &[u8]) -> Result<(Status, Map<String, Value>)> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Error::Decode { operation, message: format!("not JSON ({e}); {} bytes", body.len()) })?;
    let Value::Object(mut map) = value else {
        return Err(Error::Decode { operation, message: "the answer is not a JSON object".into() });
    };
    let code = map.remove("code").map(|v| text(&v)).unwrap_or_default();
    let mut description = String::new();
    for k in DESCRIPTION_KEYS {
        if let Some(v) = map.remove(k) {
            let t = text(&v);
            if description.is_empty() && !t.is_empty() {
                description = t;
            }
        }
    }
    if code.trim().is_empty() {
        return Err(Error::Decode { operation, message: "the answer has no `code`".into() });
    }
    Ok((Status { code: code.trim().to_owned(), description }, map))
}

/// Decodes an answer of `Op`: a typed payload on success, a typed error otherwise. Text from
/// the platform is scrubbed of `secrets` before it enters an error.
pub fn decode<Op: Operation>(body: &[u8], secrets: &[&str]) -> Result<Op::Response> {
    let (status, payload) = split(Op::NAME, body)?;
    if !status.is_success() {
        return Err(Error::from_code(Op::NAME, scrub(&status.code, secrets), scrub(&status.description, secrets)));
    }
    serde_json::from_value(Value::Object(payload))
        .map_err(|e| Error::Decode { operation: Op::NAME, message: scrub(&e.to_string(), secrets) })
}
