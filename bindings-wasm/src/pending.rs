//! Host operations (an HTTP request, a timer, a token-store call) that end in JavaScript and
//! report back by id through [`host_done`], which wakes the waiting future.
//!
//! Awaiting a JavaScript promise from Rust (`JsFuture`) costs two wasm-bindgen closures and a
//! `then` per await, which profiles showed as about a tenth of the package's own time per call;
//! a table of ids costs a lookup, and a little less code.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::*;

/// What the host reported for one operation.
pub struct Reply {
    /// A number whose meaning is the operation's.
    pub status: f64,
    /// First text (response headers for a request).
    pub headers: String,
    /// Second text (the body for a request), as bytes: a response body arrives as the bytes
    /// received ([`host_response`]), the rest as text.
    pub body: Vec<u8>,
}

/// An operation in flight: its outcome once reported, or the task to wake when it is.
#[derive(Default)]
struct Slot {
    reply: Option<Reply>,
    waker: Option<Waker>,
}

/// The operations in flight, by id. A list searched from the end: a few dozen entries at a
/// time, and less code than a map.
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

/// Called by a host when operation `id` ends, with what it reports (each operation says what
/// its number and two texts mean). An id no one waits for any more (the call was dropped) is
/// ignored.
#[wasm_bindgen(js_name = hostDone)]
pub fn host_done(id: u32, status: f64, headers: String, body: String) {
    report(id, Reply { status, headers, body: body.into_bytes() });
}

/// [`host_done`] for an HTTP response that arrived, its body the bytes received: decoding them
/// into a JavaScript string only for the glue to encode it back, a character at a time, into
/// the module cost more than the rest of the body's way in.
#[wasm_bindgen(js_name = hostResponse)]
pub fn host_response(id: u32, status: f64, headers: String, body: Vec<u8>) {
    report(id, Reply { status, headers, body });
}

fn report(id: u32, reply: Reply) {
    let waker = IN_FLIGHT.with(|f| {
        let mut f = f.borrow_mut();
        let slot = f.get_mut(id)?;
        slot.reply = Some(reply);
        slot.waker.take()
    });
    if let Some(w) = waker {
        w.wake();
    }
}

/// The outcome of one host operation, once [`host_done`] reports it.
pub struct Pending {
    id: u32,
}

impl Pending {
    /// Starts a host operation: registers a new id, then hands it to `begin`, which calls the
    /// host. The table is not borrowed during `begin`, so a host may report at once.
    pub fn start(begin: impl FnOnce(u32)) -> Self {
        let id = IN_FLIGHT.with(|f| {
            let mut f = f.borrow_mut();
            let id = f.next_id;
            f.next_id = id.wrapping_add(1);
            f.slots.push((id, Slot::default()));
            id
        });
        begin(id);
        Self { id }
    }
}

impl Future for Pending {
    type Output = Reply;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Reply> {
        IN_FLIGHT.with(|f| {
            let mut f = f.borrow_mut();
            let Some(slot) = f.get_mut(self.id) else {
                // Unreachable: the slot lives until this future completes or is dropped.
                return Poll::Ready(Reply { status: 0.0, headers: "io".into(), body: b"request lost".to_vec() });
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

impl Drop for Pending {
    fn drop(&mut self) {
        IN_FLIGHT.with(|f| f.borrow_mut().remove(self.id));
    }
}
