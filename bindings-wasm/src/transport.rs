//! The HTTP transport: the core's [`Transport`] implemented by a JavaScript host object
//! (`js/host.js`), which calls the platform `fetch` or the user's own.
//!
//! Only strings cross the boundary: the request headers as `name: value` lines and the body as
//! text one way, status, header lines and body text the other. That keeps the glue small and
//! avoids building JavaScript objects from Rust.
//!
//! A request does not come back as a promise: the host reports its outcome under the
//! request's id ([`crate::pending`]).

use crate::pending::Pending;
use cmi_core::transport::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The JavaScript side of the transport (see `js/host.js`).
    pub type Host;

    /// Starts one request; the host reports it under `id`: a response through
    /// [`crate::pending::host_response`] (the HTTP status, response headers as `name: value`
    /// lines, the body's bytes), no response through [`crate::pending::host_done`] (status 0,
    /// the failure kind `timeout`, `connect`, `io` or `redirect`, and what failed).
    #[wasm_bindgen(method)]
    fn send(this: &Host, id: u32, url: &str, headers: &str, body: &str, timeout_ms: f64);

    /// Reports `id` after `ms` milliseconds.
    #[wasm_bindgen(method)]
    fn sleep(this: &Host, id: u32, ms: f64);
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
            let reply =
                Pending::start(|id| self.host.send(id, &request.url, &headers, &body, request.timeout_ms as f64)).await;
            if reply.status == 0.0 {
                let what = || String::from_utf8_lossy(&reply.body).into_owned();
                return Err(match reply.headers.as_str() {
                    "timeout" => TransportError::Timeout,
                    "connect" => TransportError::Connect(what()),
                    "redirect" => TransportError::Redirect,
                    _ => TransportError::Io(what()),
                });
            }
            let headers = crate::header_lines(&reply.headers);
            Ok(HttpResponse { status: reply.status as u16, headers, body: reply.body })
        })
    }

    fn sleep(&self, millis: u64) -> BoxFuture<'_, ()> {
        let pending = Pending::start(|id| self.host.sleep(id, millis as f64));
        Box::pin(async move {
            pending.await;
        })
    }
}
