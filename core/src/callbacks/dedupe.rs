//! In-memory dedupe of handled events for [`CallbackReceiver::handle`](super::CallbackReceiver::handle):
//! a bounded set of the [`dedupe_key`](super::ParsedNotification::dedupe_key)s whose handler
//! succeeded, plus the keys being handled right now.
//!
//! It lives in one process. A receiver running several processes or hosts must keep handled
//! keys in a store they share (a database unique key, Redis `SET NX`) instead.

use super::replay::{Fingerprint, RecentSet, fingerprint, lock};
use std::collections::HashSet;
use std::sync::Mutex;

/// Handled and in-flight event keys. Thread-safe.
#[derive(Debug)]
pub(crate) struct Dedupe {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Keys whose handler succeeded; bounded, oldest forgotten first.
    handled: RecentSet,
    /// Keys whose handler is running. Bounded by the number of concurrent requests: each entry
    /// is removed when its [`Claim`] is dropped.
    in_flight: HashSet<Fingerprint>,
}

/// What [`Dedupe::claim`] found.
#[derive(Debug)]
pub(crate) enum Claim<'a> {
    /// First delivery (or a retry after a failed handler): run the handler.
    Fresh(ClaimGuard<'a>),
    /// The handler already succeeded for this event.
    Handled,
    /// Another request is handling this event right now.
    InFlight,
}

/// The right to handle one event. Dropped without [`ClaimGuard::complete`] (the handler
/// failed, panicked or its future was dropped), it frees the key for a redelivery.
#[derive(Debug)]
pub(crate) struct ClaimGuard<'a> {
    dedupe: &'a Dedupe,
    key: Fingerprint,
    handled: bool,
}

impl ClaimGuard<'_> {
    /// Records that the handler succeeded.
    pub(crate) fn complete(mut self) {
        self.handled = true;
    }
}

impl Drop for ClaimGuard<'_> {
    fn drop(&mut self) {
        let mut state = lock(&self.dedupe.state);
        state.in_flight.remove(&self.key);
        if self.handled {
            // Handled keys never expire; only the capacity bound forgets them.
            state.handled.insert(self.key, i64::MAX, 0);
        }
    }
}

impl Dedupe {
    /// Remembers up to `capacity` handled keys.
    pub(crate) fn new(capacity: usize) -> Self {
        Self { state: Mutex::new(State { handled: RecentSet::new(capacity), in_flight: HashSet::new() }) }
    }

    /// Looks `key` up and, when it is neither handled nor in flight, claims it.
    pub(crate) fn claim(&self, key: &str) -> Claim<'_> {
        let key = fingerprint(key.as_bytes());
        let mut state = lock(&self.state);
        if state.handled.contains(&key, 0) {
            Claim::Handled
        } else if !state.in_flight.insert(key) {
            Claim::InFlight
        } else {
            Claim::Fresh(ClaimGuard { dedupe: self, key, handled: false })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completed_claims_are_remembered_and_failed_ones_freed() {
        let d = Dedupe::new(10);
        let Claim::Fresh(g) = d.claim("a") else { panic!("fresh") };
        assert!(matches!(d.claim("a"), Claim::InFlight));
        drop(g); // handler failed
        let Claim::Fresh(g) = d.claim("a") else { panic!("freed after failure") };
        g.complete();
        assert!(matches!(d.claim("a"), Claim::Handled));
        assert!(matches!(d.claim("b"), Claim::Fresh(_)));
    }

    #[test]
    fn capacity_forgets_the_oldest_handled_key() {
        let d = Dedupe::new(2);
        for key in ["a", "b", "c"] {
            let Claim::Fresh(g) = d.claim(key) else { panic!("fresh") };
            g.complete();
        }
        assert!(matches!(d.claim("a"), Claim::Fresh(_)));
        assert!(matches!(d.claim("c"), Claim::Handled));
    }
}
