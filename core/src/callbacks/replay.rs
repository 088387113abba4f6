//! Bounded memory of what the callback receiver has already seen: WSSE nonces inside the
//! replay window, and (through [`RecentSet`]) the dedupe keys of handled events.
//!
//! Keys are kept as SHA-256 fingerprints, so an entry costs the same whatever the sender put in
//! the header or body, and no nonce is held as text.

use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

/// SHA-256 of a key.
pub(crate) type Fingerprint = [u8; 32];

/// The fingerprint of `key`.
pub(crate) fn fingerprint(key: &[u8]) -> Fingerprint {
    Sha256::digest(key).into()
}

/// Locks `m`, using the value even if a thread panicked while holding it: every critical
/// section here leaves the set consistent between single inserts and removals.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A set of at most `capacity` keys with an expiry each, forgetting the oldest inserted first.
/// Not locked itself; its owners put it behind a mutex.
#[derive(Debug)]
pub(crate) struct RecentSet {
    capacity: usize,
    /// Insertion order with the expiry given at insertion.
    order: VecDeque<(Fingerprint, i64)>,
    /// Current expiry of each member.
    members: HashMap<Fingerprint, i64>,
}

impl RecentSet {
    /// An empty set holding up to `capacity` keys (at least one).
    pub(crate) fn new(capacity: usize) -> Self {
        Self { capacity: capacity.max(1), order: VecDeque::new(), members: HashMap::new() }
    }

    /// Whether `key` is a member that has not expired at `now` (expiry is inclusive).
    pub(crate) fn contains(&self, key: &Fingerprint, now: i64) -> bool {
        self.members.get(key).is_some_and(|&expires| expires >= now)
    }

    /// Adds `key` until `expires`, first dropping expired entries at the old end and, when
    /// full, the oldest entry.
    pub(crate) fn insert(&mut self, key: Fingerprint, expires: i64, now: i64) {
        while let Some(&(old, old_expires)) = self.order.front() {
            if old_expires >= now && self.order.len() < self.capacity {
                break;
            }
            self.order.pop_front();
            // A key inserted again after it expired has a newer entry further on: keep it.
            if self.members.get(&old) == Some(&old_expires) {
                self.members.remove(&old);
            }
        }
        self.order.push_back((key, expires));
        self.members.insert(key, expires);
    }

    /// Number of entries held (expired ones included until they are dropped).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }
}

/// The WSSE nonces accepted within the replay window. Thread-safe.
#[derive(Debug)]
pub(crate) struct NonceCache {
    seen: Mutex<RecentSet>,
}

impl NonceCache {
    /// A cache remembering up to `capacity` nonces.
    pub(crate) fn new(capacity: usize) -> Self {
        Self { seen: Mutex::new(RecentSet::new(capacity)) }
    }

    /// Records `nonce` as used until `expires_ms` and returns true, or returns false when it
    /// was already used and has not expired at `now_ms`. Check and record are one step, so of
    /// two concurrent requests with one nonce exactly one gets true.
    pub(crate) fn first_use(&self, nonce: &str, expires_ms: i64, now_ms: i64) -> bool {
        let key = fingerprint(nonce.as_bytes());
        let mut seen = lock(&self.seen);
        if seen.contains(&key, now_ms) {
            return false;
        }
        seen.insert(key, expires_ms, now_ms);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn k(n: u8) -> Fingerprint {
        fingerprint(&[n])
    }

    #[test]
    fn members_expire_inclusively() {
        let mut s = RecentSet::new(10);
        s.insert(k(1), 100, 0);
        assert!(s.contains(&k(1), 100));
        assert!(!s.contains(&k(1), 101));
        assert!(!s.contains(&k(2), 0));
    }

    #[test]
    fn full_set_forgets_the_oldest() {
        let mut s = RecentSet::new(3);
        for n in 1..=4 {
            s.insert(k(n), i64::MAX, 0);
        }
        assert_eq!(s.len(), 3);
        assert!(!s.contains(&k(1), 0), "oldest evicted");
        assert!((2..=4).all(|n| s.contains(&k(n), 0)));
    }

    #[test]
    fn expired_entries_are_dropped_before_live_ones() {
        let mut s = RecentSet::new(2);
        s.insert(k(1), 10, 0);
        s.insert(k(2), 1_000, 0);
        s.insert(k(3), 1_000, 500); // k(1) expired: dropped, k(2) kept
        assert_eq!(s.len(), 2);
        assert!(s.contains(&k(2), 500) && s.contains(&k(3), 500));
    }

    #[test]
    fn reinserted_key_survives_its_stale_entry() {
        let mut s = RecentSet::new(3);
        s.insert(k(1), 10, 0);
        s.insert(k(2), 1_000, 0);
        s.insert(k(1), 2_000, 5); // k(1) still live: both entries kept
        s.insert(k(3), 2_000, 20); // drops the stale k(1)@10 only
        assert!(s.contains(&k(1), 20), "the newer k(1) entry is kept");
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn a_nonce_is_accepted_once_within_its_window() {
        let c = NonceCache::new(100);
        assert!(c.first_use("ABC", 1_000, 0));
        assert!(!c.first_use("ABC", 1_000, 999));
        assert!(c.first_use("abc", 1_000, 0), "nonces are case-sensitive");
        assert!(c.first_use("ABC", 3_000, 1_001), "after its window a nonce is forgotten");
    }

    #[test]
    fn concurrent_uses_of_one_nonce_accept_exactly_one() {
        let c = Arc::new(NonceCache::new(100));
        let accepted = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (c, accepted) = (c.clone(), accepted.clone());
                std::thread::spawn(move || {
                    if c.first_use("SAME", 1_000, 0) {
                        accepted.fetch_add(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        assert_eq!(accepted.load(Ordering::SeqCst), 1);
    }
}
