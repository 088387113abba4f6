//! One tokio runtime per process, and the hand-back of async results to asyncio.
//!
//! Async calls run as tokio tasks. A finished call schedules `resolve(future, value, failed)`
//! on the future's event loop with `loop.call_soon_threadsafe`: directly from the tokio worker
//! when nothing else is being handed back, otherwise through a channel to one hand-back
//! thread, which takes the GIL once per batch (so busy workers do not wait for it).
//! Resolving the future ourselves (instead of through pyo3-async-runtimes) lets us stop
//! handing back before the interpreter finalizes: an earlier version aborted at shutdown when a tokio thread waited for the GIL while CPython
//! was finalizing. The `atexit` hook [`shutdown`] sets `CLOSING` and waits, with the GIL
//! released, until no hand-back is in progress; after that none starts.

use crate::convert::to_py;
use crate::errors;
use cmi_core::Error;
use pyo3::prelude::*;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use tokio::runtime::Runtime;

/// The process's runtime. Two workers are plenty: the work is waiting on sockets.
pub fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("cmi-datacard")
            .enable_all()
            .build()
            .expect("a tokio runtime must start: without one no call can run")
    })
}

/// How an async call ended.
pub enum Outcome {
    Ok(Value),
    Err(Error),
    Panicked,
}

/// One finished call waiting to be handed to its event loop.
pub struct Handback {
    pub event_loop: Py<PyAny>,
    pub future: Py<PyAny>,
    pub resolve: Py<PyAny>,
    pub outcome: Outcome,
}

static CLOSING: AtomicBool = AtomicBool::new(false);
static IN_PROGRESS: AtomicUsize = AtomicUsize::new(0);
/// Items sent to the hand-back thread and not yet delivered.
static QUEUED: AtomicUsize = AtomicUsize::new(0);

fn sender() -> &'static Mutex<Sender<Handback>> {
    static SENDER: OnceLock<Mutex<Sender<Handback>>> = OnceLock::new();
    SENDER.get_or_init(|| {
        let (tx, rx) = channel();
        std::thread::Builder::new()
            .name("cmi-datacard-handback".into())
            .spawn(move || handback_loop(rx))
            .expect("the hand-back thread must start: without it no async call can finish");
        Mutex::new(tx)
    })
}

/// Hands a finished call to its event loop (dropped once the interpreter is closing). When no
/// other hand-back is queued or running, the calling tokio worker delivers it at once (one
/// thread hop less, which is most of the latency of a lone call); otherwise it joins the
/// hand-back thread's next batch, so that busy workers do not queue up for the GIL.
pub fn hand_back(item: Handback) {
    if CLOSING.load(Ordering::SeqCst) {
        return;
    }
    if QUEUED.load(Ordering::SeqCst) == 0 && IN_PROGRESS.load(Ordering::SeqCst) == 0 {
        deliver_batch(vec![item]);
        return;
    }
    QUEUED.fetch_add(1, Ordering::SeqCst);
    // A poisoned lock only means another sender panicked mid-send; the channel is intact.
    let tx = sender().lock().unwrap_or_else(|p| p.into_inner());
    if tx.send(item).is_err() {
        QUEUED.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Starts the hand-back thread before the first call, so that no tokio worker creates it.
pub fn start() {
    let _ = sender();
}

fn handback_loop(rx: Receiver<Handback>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < 256 {
            match rx.try_recv() {
                Ok(item) => batch.push(item),
                Err(_) => break,
            }
        }
        let n = batch.len();
        deliver_batch(batch);
        QUEUED.fetch_sub(n, Ordering::SeqCst);
    }
}

/// Delivers `batch` under one GIL acquisition, unless the interpreter is closing.
fn deliver_batch(mut batch: Vec<Handback>) {
    // Announce the hand-back before checking CLOSING: either `shutdown` sees the count and
    // waits for us, or we see CLOSING and never touch the interpreter.
    IN_PROGRESS.fetch_add(1, Ordering::SeqCst);
    if !CLOSING.load(Ordering::SeqCst) {
        Python::attach(|py| {
            for item in batch.drain(..) {
                deliver(py, item);
            }
        });
    }
    IN_PROGRESS.fetch_sub(1, Ordering::SeqCst);
    // Items left over (interpreter closing) are dropped here without the GIL; pyo3 defers
    // their reference counts, which is harmless at exit.
    drop(batch);
}

fn deliver(py: Python<'_>, item: Handback) {
    let (value, failed) = match &item.outcome {
        Outcome::Ok(v) => match to_py(py, v) {
            Ok(obj) => (obj, false),
            Err(e) => (e.into_value(py).into_bound(py).into_any(), true),
        },
        Outcome::Err(e) => match errors::exception(py, e) {
            Ok(exc) => (exc, true),
            Err(err) => (err.into_value(py).into_bound(py).into_any(), true),
        },
        Outcome::Panicked => (errors::panic_error().into_value(py).into_bound(py).into_any(), true),
    };
    // A closed loop raises RuntimeError: nobody is waiting any more, so it is dropped.
    let _ = item
        .event_loop
        .bind(py)
        .call_method1("call_soon_threadsafe", (item.resolve.bind(py), item.future.bind(py), value, failed));
}

/// The `atexit` hook: stop handing back, then wait (GIL released) for a hand-back in progress.
#[pyfunction]
pub fn shutdown(py: Python<'_>) {
    CLOSING.store(true, Ordering::SeqCst);
    py.detach(|| {
        let mut waited = 0;
        while IN_PROGRESS.load(Ordering::SeqCst) > 0 && waited < 5_000 {
            std::thread::sleep(Duration::from_millis(1));
            waited += 1;
        }
    });
}
