//! Runs the module's calls: the future of each `Core` call is polled at once when the call
//! starts, and again when something wakes it, which is nearly always [`crate::pending`]'s
//! `hostDone`, already a call into the module.
//!
//! wasm-bindgen-futures' `spawn_local` instead polls in a microtask it queues through
//! JavaScript's `queueMicrotask`, on spawning and on every wake: two more trips across the
//! boundary a call, and in Node each queued microtask is an async resource of its own.
//!
//! Wakes that happen while a task is being polled (a host reporting at once, a token fetch
//! releasing the calls that waited for it) only queue the task: it is polled after the poll
//! in progress returns, so no task is ever polled inside another's poll, and no lock or
//! `RefCell` the waking code still holds is met again by the woken one.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::mem::ManuallyDrop;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, RawWaker, RawWakerVTable, Waker};

// The wakers below hold an `Rc`, which is only sound while the module has one thread.
#[cfg(target_feature = "atomics")]
compile_error!("cmi-wasm's task runner is single-threaded: build without the atomics target feature");

struct Task {
    /// `None` once the future has completed.
    future: RefCell<Option<Pin<Box<dyn Future<Output = ()>>>>>,
    /// Whether the task is in the queue already (a second wake before its poll adds nothing).
    queued: Cell<bool>,
}

thread_local! {
    static QUEUE: RefCell<VecDeque<Rc<Task>>> = const { RefCell::new(VecDeque::new()) };
    static RUNNING: Cell<bool> = const { Cell::new(false) };
}

/// Starts `future` now: it runs until it first waits, inside this call.
pub fn spawn(future: impl Future<Output = ()> + 'static) {
    schedule(Rc::new(Task { future: RefCell::new(Some(Box::pin(future))), queued: Cell::new(false) }));
}

/// Queues `task`, and polls the queue empty unless a poll further up the stack is doing so.
fn schedule(task: Rc<Task>) {
    if task.queued.replace(true) {
        return;
    }
    QUEUE.with(|q| q.borrow_mut().push_back(task));
    if RUNNING.with(|r| r.replace(true)) {
        return;
    }
    while let Some(task) = QUEUE.with(|q| q.borrow_mut().pop_front()) {
        task.queued.set(false);
        poll(&task);
    }
    RUNNING.with(|r| r.set(false));
}

fn poll(task: &Rc<Task>) {
    let mut slot = task.future.borrow_mut();
    let Some(future) = slot.as_mut() else { return };
    let waker = waker(task);
    if future.as_mut().poll(&mut Context::from_waker(&waker)).is_ready() {
        *slot = None;
    }
}

fn waker(task: &Rc<Task>) -> Waker {
    let data = Rc::into_raw(Rc::clone(task)).cast::<()>();
    // SAFETY: `data` is an `Rc<Task>` given up by `into_raw`, which VTABLE's functions take
    // back exactly once per waker (`wake`, `drop`) or leave counted (`wake_by_ref`, `clone`).
    unsafe { Waker::from_raw(RawWaker::new(data, &VTABLE)) }
}

const VTABLE: RawWakerVTable = RawWakerVTable::new(clone_waker, wake, wake_by_ref, drop_waker);

unsafe fn clone_waker(data: *const ()) -> RawWaker {
    // SAFETY: `data` came from `Rc::into_raw` in `waker` and is still counted.
    unsafe { Rc::increment_strong_count(data.cast::<Task>()) };
    RawWaker::new(data, &VTABLE)
}

unsafe fn wake(data: *const ()) {
    // SAFETY: as in `clone_waker`; this takes the waker's count back.
    schedule(unsafe { Rc::from_raw(data.cast::<Task>()) });
}

unsafe fn wake_by_ref(data: *const ()) {
    // SAFETY: as in `clone_waker`; the waker keeps its count.
    let task = ManuallyDrop::new(unsafe { Rc::from_raw(data.cast::<Task>()) });
    schedule(Rc::clone(&task));
}

unsafe fn drop_waker(data: *const ()) {
    // SAFETY: as in `wake`.
    drop(unsafe { Rc::from_raw(data.cast::<Task>()) });
}
