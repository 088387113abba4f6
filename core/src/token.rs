//! Access-token caching (sdk-rules 5-7).
//!
//! Tokens live in a pluggable [`TokenStore`] under a key derived from the base URL and app
//! key (never the secret), so a fleet of workers can share one token. The client refreshes
//! through a single-flight lock: however many calls find the cache empty, one token request
//! goes out and the rest wait for its result.

use crate::secret::Secret;
use crate::transport::{BoxFuture, MaybeSend, MaybeSync};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

/// A token with its absolute expiry.
#[derive(Clone, PartialEq, Eq)]
pub struct CachedToken {
    /// The token.
    pub token: Secret,
    /// When to stop using it, in Unix milliseconds: the platform's `expireTime` less a
    /// safety margin.
    pub expires_at_ms: i64,
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken").field("token", &"***").field("expires_at_ms", &self.expires_at_ms).finish()
    }
}

impl CachedToken {
    /// Whether the token is still usable at `now_ms`, keeping `margin_ms` in hand.
    pub fn is_fresh(&self, now_ms: i64, margin_ms: i64) -> bool {
        now_ms < self.expires_at_ms - margin_ms
    }

    /// The record a shared store keeps: `{"v":1,"token":"…","expires_at_ms":N}`. One format
    /// for every binding's store, so workers in different languages share one token. It
    /// carries the token itself: store it only where the token may live (never log it).
    pub fn to_record(&self) -> String {
        serde_json::json!({"v": 1, "token": self.token.expose(), "expires_at_ms": self.expires_at_ms}).to_string()
    }

    /// Reads a record written by [`CachedToken::to_record`]; `None` if it is not one (a
    /// foreign or damaged value is treated as no token).
    pub fn from_record(record: &str) -> Option<Self> {
        let v: serde_json::Value = serde_json::from_str(record).ok()?;
        if v.get("v")?.as_u64()? != 1 {
            return None;
        }
        let token = v.get("token")?.as_str().filter(|t| !t.is_empty())?;
        Some(Self { token: Secret::new(token), expires_at_ms: v.get("expires_at_ms")?.as_i64()? })
    }
}

/// What a store answers a caller that found no fresh token ([`TokenStore::begin_refresh`]).
#[derive(Debug)]
pub enum Refresh {
    /// Fetch a token, then report it (or the failure) to [`TokenStore::end_refresh`] with
    /// this lease: a fencing value of a shared store's lock, `None` when there is no lock.
    Fetch {
        /// The lease to hand back.
        lease: Option<String>,
    },
    /// Another worker stored this token while we waited: use it instead of fetching.
    Stored(CachedToken),
}

/// Where tokens are kept between calls.
pub trait TokenStore: MaybeSend + MaybeSync + 'static {
    /// The token stored under `key`, if any.
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<CachedToken>>;
    /// Stores a token under `key`.
    fn put<'a>(&'a self, key: &'a str, token: CachedToken) -> BoxFuture<'a, ()>;
    /// Removes the token under `key` if it is still `rejected`, so that a token another
    /// worker already refreshed is not thrown away.
    fn invalidate<'a>(&'a self, key: &'a str, rejected: &'a Secret) -> BoxFuture<'a, ()>;

    /// Called (under the client's own single-flight lock) before a token is fetched for
    /// `key`, so that a store shared by many processes can make the fetch fleet-wide single
    /// flight: take a lock and answer [`Refresh::Fetch`], or wait for the worker holding it
    /// and answer [`Refresh::Stored`] with the token it stored (fresh at `now_ms`). The
    /// default answers `Fetch` at once: the process-local single flight is all there is.
    fn begin_refresh<'a>(&'a self, key: &'a str, now_ms: i64) -> BoxFuture<'a, Refresh> {
        let _ = (key, now_ms);
        Box::pin(async { Refresh::Fetch { lease: None } })
    }

    /// Ends a refresh begun with [`TokenStore::begin_refresh`]: stores `token` when the fetch
    /// succeeded (`None` when it failed) and releases the `lease`. The default stores it
    /// with [`TokenStore::put`].
    fn end_refresh<'a>(&'a self, key: &'a str, lease: Option<String>, token: Option<CachedToken>) -> BoxFuture<'a, ()> {
        let _ = lease;
        Box::pin(async move {
            if let Some(t) = token {
                self.put(key, t).await;
            }
        })
    }
}

/// The default store: process memory.
#[derive(Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<HashMap<String, CachedToken>>,
}

impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MemoryTokenStore")
    }
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, CachedToken>> {
        // A panic while holding this lock cannot leave the map inconsistent (single inserts
        // and removes), so a poisoned lock is still usable.
        self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl TokenStore for MemoryTokenStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<CachedToken>> {
        let v = self.map().get(key).cloned();
        Box::pin(async move { v })
    }

    fn put<'a>(&'a self, key: &'a str, token: CachedToken) -> BoxFuture<'a, ()> {
        self.map().insert(key.to_owned(), token);
        Box::pin(async {})
    }

    fn invalidate<'a>(&'a self, key: &'a str, rejected: &'a Secret) -> BoxFuture<'a, ()> {
        let mut map = self.map();
        if map.get(key).is_some_and(|t| &t.token == rejected) {
            map.remove(key);
        }
        drop(map);
        Box::pin(async {})
    }
}

/// The store key of a credential: a fingerprint of base URL and app key, so key names in a
/// shared store reveal neither.
pub fn store_key(base_url: &str, app_key: &str) -> String {
    let mut h = Sha256::new();
    h.update(base_url.as_bytes());
    h.update([0]);
    h.update(app_key.as_bytes());
    let d = h.finalize();
    format!("cmi-token:{}", crate::clock::hex_upper(&d[..12]).to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalidate_only_removes_the_rejected_token() {
        let store = MemoryTokenStore::new();
        let key = store_key("https://h", "k");
        assert!(!key.contains('k') || key.starts_with("cmi-token:"));
        let t1 = CachedToken { token: Secret::new("one"), expires_at_ms: 10 };
        let fut = async {
            store.put(&key, t1.clone()).await;
            store.invalidate(&key, &Secret::new("two")).await;
            assert_eq!(store.get(&key).await, Some(t1.clone()));
            store.invalidate(&key, &Secret::new("one")).await;
            assert_eq!(store.get(&key).await, None);
        };
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(fut);
        assert!(format!("{t1:?}").contains("***"));
    }

    #[test]
    fn records_round_trip_and_refuse_foreign_values() {
        let t = CachedToken { token: Secret::new("tok\"en"), expires_at_ms: 1_733_000_000_123 };
        assert_eq!(CachedToken::from_record(&t.to_record()), Some(t));
        for bad in
            ["", "x", "{}", r#"{"v":2,"token":"a","expires_at_ms":1}"#, r#"{"v":1,"token":"","expires_at_ms":1}"#]
        {
            assert_eq!(CachedToken::from_record(bad), None, "{bad}");
        }
    }
}
