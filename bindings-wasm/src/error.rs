//! Errors cross into JavaScript as JSON text; `js/errors.js` turns it into a `CmiError`.

use cmi_core::Error;
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;

/// The error as JSON: `kind`, `message`, `description`, `category`, `retryable`, and when they
/// apply `code`, `meaning`, `field`, `operation`, `status`, `retryAfterMs`.
pub fn to_json(e: &Error) -> String {
    let mut m = Map::new();
    m.insert("kind".into(), e.kind().as_str().into());
    m.insert("message".into(), e.to_string().into());
    m.insert("description".into(), e.description().into());
    m.insert("category".into(), e.category().as_str().into());
    m.insert("retryable".into(), e.retryable().into());
    if let Some(api) = e.api() {
        m.insert("code".into(), api.code.clone().into());
        m.insert("operation".into(), api.operation.into());
        if let Some(meaning) = api.meaning {
            m.insert("meaning".into(), meaning.into());
        }
    }
    if let Some(field) = e.field() {
        m.insert("field".into(), field.into());
    }
    match e {
        Error::Transport { operation, .. } | Error::Decode { operation, .. } | Error::Refused { operation, .. } => {
            m.insert("operation".into(), (*operation).into());
        }
        Error::Timeout { operation, .. } => {
            m.insert("operation".into(), (*operation).into());
        }
        Error::HttpStatus { operation, status, retry_after_ms } => {
            m.insert("operation".into(), (*operation).into());
            m.insert("status".into(), (*status).into());
            if let Some(ms) = retry_after_ms {
                m.insert("retryAfterMs".into(), (*ms).into());
            }
        }
        _ => {}
    }
    Value::Object(m).to_string()
}

/// The error as the value a rejected promise or a thrown exception carries.
pub fn to_js(e: &Error) -> JsValue {
    JsValue::from_str(&to_json(e))
}
