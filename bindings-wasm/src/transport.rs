//! The HTTP transport: the core's [`Transport`] implemented by a JavaScript host object
//! (`js/host.js`), which calls the platform `fetch` or the user's own.
//!
//! Only strings cross the boundary: the request headers as `name: value` lines and the body as
//! text one way, status, header lines and body text the other. That keeps the glue small and
//! avoids building JavaScript objects from Rust.

use cmi_core::transport::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// The JavaScript side of the transport (see `js/host.js`).
    pub type Host;

    /// Sends one request; resolves to a [`Reply`] (never rejects).
    #[wasm_bindgen(method)]
    fn send(this: &Host, url: &str, headers: &str, body: &str, timeout_ms: f64) -> js_sys::Promise;

    /// Resolves after `ms` milliseconds.
    #[wasm_bindgen(method)]
    fn sleep(this: &Host, ms: f64) -> js_sys::Promise;

    /// What [`Host::send`] resolves to.
    type Reply;

    /// The HTTP status, or 0 when no response arrived.
    #[wasm_bindgen(method, getter)]
    fn status(this: &Reply) -> f64;

    /// Response headers as `name: value` lines; for status 0, the failure kind
    /// (`timeout`, `connect` or `io`).
    #[wasm_bindgen(method, getter)]
    fn headers(this: &Reply) -> String;

    /// The body text; for status 0, what failed.
    #[wasm_bindgen(method, getter)]
    fn body(this: &Reply) -> String;
}

/// A [`Transport`] backed by a JavaScript [`Host`].
pub struct JsTransport {
    host: Host,
}

impl JsTransport {
    /// Wraps the host object.
    pub fn new(host: Host) -> Self {
        Self { host }
    }
}

impl Transport for JsTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let mut headers = String::with_capacity(256);
            for (k, v) in &request.headers {
                headers.push_str(k);
                headers.push_str(": ");
                headers.push_str(v);
                headers.push('\n');
            }
            // The core always sends JSON it encoded itself, so the body is UTF-8.
            let body = String::from_utf8_lossy(&request.body);
            let promise = self.host.send(&request.url, &headers, &body, request.timeout_ms as f64);
            let reply: Reply = JsFuture::from(promise)
                .await
                .map_err(|_| TransportError::Io("the fetch host rejected".into()))?
                .unchecked_into();
            let status = reply.status();
            if status == 0.0 {
                let message = reply.body();
                return Err(match reply.headers().as_str() {
                    "timeout" => TransportError::Timeout,
                    "connect" => TransportError::Connect(message),
                    _ => TransportError::Io(message),
                });
            }
            let headers = reply
                .headers()
                .lines()
                .filter_map(|line| line.split_once(':'))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect();
            Ok(HttpResponse { status: status as u16, headers, body: reply.body().into_bytes() })
        })
    }

    fn sleep(&self, millis: u64) -> BoxFuture<'_, ()> {
        let promise = self.host.sleep(millis as f64);
        Box::pin(async move {
            let _ = JsFuture::from(promise).await;
        })
    }
}
