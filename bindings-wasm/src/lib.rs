//! WebAssembly binding of `cmi-core` for the npm package `cmi-datacard`.
//!
//! The exported surface is deliberately low-level and string-based: `js/` wraps it in the
//! typed `Client`, `CmiError`, `parseNotification` and the relay. Requests, answers and
//! errors cross the boundary as JSON text, because `JSON.parse` in JavaScript is fast and
//! text keeps the glue (and the module) smaller than building JavaScript objects from Rust.
//! Every API rule stays in the core; this crate converts options, errors and the transport.

// dlmalloc, Rust's default on wasm32, checks every freed size against the chunk and spends a
// tenth of a call's time in the module allocating and freeing; talc is faster and smaller.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

mod error;
#[cfg(target_arch = "wasm32")]
mod pending;
#[cfg(target_arch = "wasm32")]
mod tasks;
// The transport awaits JavaScript promises, whose futures are not `Send`; the core asks for
// `Send` futures on native targets, so the client half only exists on wasm32 (natively the
// crate still compiles, for `cargo clippy --workspace`, with options, errors and callbacks).
#[cfg(target_arch = "wasm32")]
mod token_store;
#[cfg(target_arch = "wasm32")]
mod transport;

use cmi_core::reflect::Case;
use cmi_core::{Client, Config, Error};
use serde_json::Value;
#[cfg(target_arch = "wasm32")]
use token_store::{JsTokenStore, StoreHost};
#[cfg(target_arch = "wasm32")]
use transport::{Host, JsTransport};
use wasm_bindgen::prelude::*;

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
extern "C" {
    /// The package's resolver of one call (`js/client.js`), `(ok, text) => ...`. Called
    /// without `js_sys::Function`'s exception guard and with the text passed as a string
    /// rather than a `JsValue`: it is the package's own function, and it does not throw.
    pub type Done;

    #[wasm_bindgen(method)]
    fn call(this: &Done, this_arg: &JsValue, ok: bool, text: &str);
}

/// A client of the CMI API (the core's `Client` behind the JavaScript wrapper).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub struct Core {
    client: Client,
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
impl Core {
    /// Builds a client from options JSON (`baseUrl`, `appKey`, `appSecret`, and optionally
    /// `connectTimeoutMs`, `attemptTimeoutMs`, `totalTimeoutMs`, `maxRetries`,
    /// `allowInsecureHttp`, `tokenMarginMs`), the transport host and, for a fleet sharing one
    /// token, the shared store's host (`js/token-store.js`). Throws error JSON.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str, host: Host, store: Option<StoreHost>) -> Result<Core, JsValue> {
        let config = config_from_json(options).map_err(|e| error::to_js(&e))?;
        let mut builder = Client::builder(config).transport(JsTransport::new(host));
        if let Some(store) = store {
            builder = builder.token_store(JsTokenStore::new(store));
        }
        let client = builder.build().map_err(|e| error::to_js(&e))?;
        Ok(Core { client })
    }

    /// Sends operation `name` (any spelling) with a JSON request body, then calls
    /// `done(true, answerJson)` or `done(false, errorJson)`. A callback rather than a returned
    /// promise: `js/client.js` makes the one promise the caller sees, and wasm-bindgen's
    /// promise glue cost more per call than the rest of the boundary.
    pub fn call(&self, name: String, body: String, done: Done) {
        let client = self.client.clone();
        tasks::spawn(async move {
            let (ok, text) = match invoke(&client, &name, &body).await {
                Ok(text) => (true, text),
                Err(e) => (false, error::to_json(&e)),
            };
            done.call(&JsValue::UNDEFINED, ok, &text);
        });
    }

    /// Forgets the cached access token, so the next call fetches a new one; then calls
    /// `done()`.
    #[wasm_bindgen(js_name = invalidateToken)]
    pub fn invalidate_token(&self, done: js_sys::Function) {
        let client = self.client.clone();
        tasks::spawn(async move {
            client.invalidate_token().await;
            let _ = done.call0(&JsValue::UNDEFINED);
        });
    }

    /// How many access tokens this client has requested.
    #[wasm_bindgen(js_name = tokenRequests)]
    pub fn token_requests(&self) -> f64 {
        self.client.token_requests() as f64
    }
}

/// One call: body text to answer text, in the camelCase surface (operations.md); the core
/// converts both ways and validates (an unknown field is a validation error naming it).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
async fn invoke(client: &Client, name: &str, body: &str) -> Result<String, Error> {
    client.call_surface_text(name, body, Case::Camel).await
}

/// Reads the options JSON into a core `Config`; an unknown key is a configuration error, so a
/// misspelt option does not silently fall back to its default.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn config_from_json(text: &str) -> Result<Config, Error> {
    let value: Value = serde_json::from_str(text).map_err(|e| Error::config(e.to_string()))?;
    let Value::Object(map) = value else { return Err(Error::config("options must be an object")) };
    let text = |k: &str| map.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    let mut config = Config::new(text("baseUrl"), text("appKey"), text("appSecret"));
    config.binding = "wasm".into();
    for (key, v) in &map {
        let number = || v.as_u64().ok_or_else(|| Error::config(format!("`{key}` must be a whole number")));
        match key.as_str() {
            "baseUrl" | "appKey" | "appSecret" => {
                if !v.is_string() {
                    return Err(Error::config(format!("`{key}` must be a string")));
                }
            }
            "connectTimeoutMs" => config.connect_timeout_ms = number()?,
            "attemptTimeoutMs" => config.attempt_timeout_ms = number()?,
            "totalTimeoutMs" => config.total_timeout_ms = number()?,
            "maxRetries" => config.max_retries = number()? as u32,
            "tokenMarginMs" => config.token_margin_ms = number()? as i64,
            "allowInsecureHttp" => {
                config.allow_insecure_http =
                    v.as_bool().ok_or_else(|| Error::config(format!("`{key}` must be true or false")))?
            }
            _ => return Err(Error::config(format!("unknown option `{key}`"))),
        }
    }
    Ok(config)
}

/// Reads a callback body from CMI (3.2.15-3.2.17). `headers` are `name: value` lines. Returns
/// JSON `{kind, dedupeKey, event, ack, failureAck}` (the acks as the exact body text to
/// reply with, `failureAck` carrying `failure_message`); throws error JSON.
#[wasm_bindgen(js_name = parseNotification)]
pub fn parse_notification(headers: &str, body: &[u8], failure_message: &str) -> Result<String, JsValue> {
    let parsed = cmi_core::callbacks::parse_notification(&header_lines(headers), body).map_err(|e| error::to_js(&e))?;
    // Written as text like a call's answer (no surface tree); the acknowledgements as the
    // exact bytes to answer with, not as parsed JSON.
    let string = |s: String| Value::String(s).to_string();
    let text = |b: Vec<u8>| string(String::from_utf8_lossy(&b).into_owned());
    Ok(format!(
        r#"{{"kind":{},"dedupeKey":{},"event":{},"ack":{},"failureAck":{}}}"#,
        string(Case::Camel.apply(parsed.kind().as_str())),
        string(parsed.dedupe_key()),
        cmi_core::reflect::notification_event_text(&parsed, Case::Camel),
        text(parsed.ack_body()),
        text(parsed.failure_ack_body(failure_message)),
    ))
}

/// `name: value` lines (how headers cross the boundary, both ways) as pairs.
fn header_lines(text: &str) -> Vec<(String, String)> {
    text.lines().filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())).collect()
}

/// The WSSE `PasswordDigest` of a nonce, `Created` text and secret (for the shared vectors).
#[wasm_bindgen(js_name = wsseDigest)]
pub fn wsse_digest(nonce: &str, created: &str, secret: &str) -> String {
    cmi_core::wsse::password_digest(nonce, created, secret)
}
