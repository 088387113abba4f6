//! The HTTP transport: the core's [`Transport`] implemented by a JavaScript host object
//! (`js/host.js`), which calls the platform `fetch` or the user's own.
//!
//! Only strings cross the boundary: the request headers as `name: value` lines and the body as
//! text one way, status, header lines and body text the other. That keeps the glue small and
//! avoids building JavaScript objects from Rust.
//!
//! A request does not come back as a promise: the host hands its outcome to
//! [`transport_done`] under the request's id, which wakes the waiting future. Awaiting a
//! promise from Rust costs two wasm-bindgen closures and a `then` per request, which profiles
//! showed as a tenth of the package's own time per call.

use cmi_core::transport::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// The JavaScript side of the transport (see `js/host.js`).
    pub type Host;

    /// Starts one request; the host reports its outcome to [`transport_done`] with `id`,
    /// exactly once.
    #[wasm_bindgen(method)]
    fn send(this: &Host, id: u32, url: &str, headers: &str, body: &str, timeout_ms: f64);

    /// Resolves after `ms` milliseconds.
    #[wasm_bindgen(method)]
    fn sleep(this: &Host, ms: f64) -> js_sys::Promise;
}

/// What the host reported for one request.
struct Reply {
    status: f64,
    headers: String,
    body: String,
}

/// A request in flight: its outcome once reported, or the task to wake when it is.
#[derive(Default)]
struct Slot {
    reply: Option<Reply>,
    waker: Option<Waker>,
}

/// The requests in flight, by id. A list searched from the end: a few dozen entries at a
/// time, and less code than a map.
#[derive(Default)]
struct Table {
    next_id: u32,
    slots: Vec<(u32, Slot)>,
}

impl Table {
    fn get_mut(&mut self, id: u32) -> Option<&mut Slot> {
        self.slots.iter_mut().rev().find(|(i, _)| *i == id).map(|(_, s)| s)
    }

    fn remove(&mut self, id: u32) {
        if let Some(at) = self.slots.iter().rposition(|(i, _)| *i == id) {
            self.slots.swap_remove(at);
        }
    }
}

thread_local! {
    // wasm32 runs one thread; ids wrap after 2^32 requests, long after any is still waiting.
    static IN_FLIGHT: RefCell<Table> = const { RefCell::new(Table { next_id: 0, slots: Vec::new() }) };
}

/// Called by the host when request `id` ends: its HTTP status (0 when no response arrived),
/// response headers as `name: value` lines (for status 0 the failure kind: `timeout`,
/// `connect` or `io`) and body text (for status 0, what failed). An id no one waits for any
/// more (the call was dropped) is ignored.
#[wasm_bindgen(js_name = transportDone)]
pub fn transport_done(id: u32, status: f64, headers: String, body: String) {
    let waker = IN_FLIGHT.with(|f| {
        let mut f = f.borrow_mut();
        let slot = f.get_mut(id)?;
        slot.reply = Some(Reply { status, headers, body });
        slot.waker.take()
    });
    if let Some(w) = waker {
        w.wake();
    }
}

/// The outcome of request `id`, once [`transport_done`] reports it.
struct InFlight {
    id: u32,
}

impl InFlight {
    fn register() -> Self {
        let id = IN_FLIGHT.with(|f| {
            let mut f = f.borrow_mut();
            let id = f.next_id;
            f.next_id = id.wrapping_add(1);
            f.slots.push((id, Slot::default()));
            id
        });
        Self { id }
    }
}

impl Future for InFlight {
    type Output = Reply;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Reply> {
        IN_FLIGHT.with(|f| {
            let mut f = f.borrow_mut();
            let Some(slot) = f.get_mut(self.id) else {
                // Unreachable: the slot lives until this future completes or is dropped.
                return Poll::Ready(Reply { status: 0.0, headers: "io".into(), body: "request lost".into() });
            };
            match slot.reply.take() {
                Some(reply) => {
                    f.remove(self.id);
                    Poll::Ready(reply)
                }
                None => {
                    slot.waker = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        IN_FLIGHT.with(|f| f.borrow_mut().remove(self.id));
    }
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
            let in_flight = InFlight::register();
            self.host.send(in_flight.id, &request.url, &headers, &body, request.timeout_ms as f64);
            let reply = in_flight.await;
            if reply.status == 0.0 {
                return Err(match reply.headers.as_str() {
                    "timeout" => TransportError::Timeout,
                    "connect" => TransportError::Connect(reply.body),
                    _ => TransportError::Io(reply.body),
                });
            }
            let headers = reply
                .headers
                .lines()
                .filter_map(|line| line.split_once(':'))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect();
            Ok(HttpResponse { status: reply.status as u16, headers, body: reply.body.into_bytes() })
        })
    }

    fn sleep(&self, millis: u64) -> BoxFuture<'_, ()> {
        let promise = self.host.sleep(millis as f64);
        Box::pin(async move {
            let _ = JsFuture::from(promise).await;
        })
    }
}
