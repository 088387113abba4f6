//! The shared token store: the core's [`TokenStore`] over the user's JavaScript `tokenStore`
//! (Redis through the `redis` npm client, or anything with `get`/`set`/`lock`), reached through
//! `js/token-store.js`, which gives every store call a deadline and never rejects.
//!
//! The store only ever sees key names from the core ([`cmi_core::token::store_key`], a
//! fingerprint) and the token record ([`CachedToken::to_record`], the format every binding
//! shares); the app secret never crosses. Every token read or written is also kept in a local
//! copy, which answers whenever the store fails or is too slow, so a failing store never fails
//! a call.

use crate::pending::Pending;
use cmi_core::transport::BoxFuture;
use cmi_core::{CachedToken, MemoryTokenStore, Refresh, Secret, TokenStore};
use std::cell::Cell;
use wasm_bindgen::prelude::*;

/// Lifetime of the refresh lock: if its holder dies, another worker fetches after this, and a
/// waiting worker stops waiting after it (the fleet crate's default).
const LOCK_TTL_MS: f64 = 10_000.0;
/// How often a waiting worker looks for the stored token.
const LOCK_POLL_MS: f64 = 20.0;

#[wasm_bindgen]
extern "C" {
    /// The JavaScript side of the store (see `js/token-store.js`). Every method reports under
    /// its `id` ([`crate::pending`]) exactly once, within the store deadline, failures included.
    pub type StoreHost;

    /// Reports the record under `key` as the body with status 1 (`""` when there is none), or
    /// status 0 on failure.
    #[wasm_bindgen(method)]
    fn get(this: &StoreHost, id: u32, key: &str);

    /// Stores `record` under `key` for `ttl_ms`; reports 1 when it worked, else 0.
    #[wasm_bindgen(method)]
    fn set(this: &StoreHost, id: u32, key: &str, record: &str, ttl_ms: f64);

    /// Takes the lock `key` for `ttl_ms` if free; reports 1 (taken), 0 (held by another) or
    /// -1 (failure).
    #[wasm_bindgen(method)]
    fn lock(this: &StoreHost, id: u32, key: &str, ttl_ms: f64);

    /// Releases the lock `key` (reports whatever happens).
    #[wasm_bindgen(method)]
    fn unlock(this: &StoreHost, id: u32, key: &str);

    /// Removes the record under `key` (reports whatever happens).
    #[wasm_bindgen(method)]
    fn remove(this: &StoreHost, id: u32, key: &str);

    /// Reports after `ms` milliseconds.
    #[wasm_bindgen(method)]
    fn sleep(this: &StoreHost, id: u32, ms: f64);
}

/// What a store read found.
enum Read {
    /// The store failed or was too slow.
    Failed,
    /// Nothing (or a record that is not one of ours, treated as nothing).
    Empty,
    /// A token.
    Token(CachedToken),
}

/// A [`TokenStore`] over a JavaScript store, with a local copy to fall back on.
pub struct JsTokenStore {
    host: StoreHost,
    local: MemoryTokenStore,
    /// Set when the local copy answered for a failed store: the next read that finds the store
    /// empty offers the local token to it (only then, so that a token another worker just
    /// invalidated is never put back).
    seed: Cell<bool>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// How long the store keeps a token: until it expires (local clock), at least a second.
fn ttl_ms(t: &CachedToken) -> f64 {
    (t.expires_at_ms as f64 - now_ms()).max(1000.0)
}

fn lock_key(key: &str) -> String {
    format!("{key}:lock")
}

impl JsTokenStore {
    /// Wraps the host object.
    pub fn new(host: StoreHost) -> Self {
        Self { host, local: MemoryTokenStore::new(), seed: Cell::new(false) }
    }

    async fn read(&self, key: &str) -> Read {
        let v = Pending::start(|id| self.host.get(id, key)).await;
        if v.status != 1.0 {
            return Read::Failed;
        }
        std::str::from_utf8(&v.body).ok().and_then(CachedToken::from_record).map_or(Read::Empty, Read::Token)
    }

    async fn write(&self, key: &str, t: &CachedToken) -> bool {
        Pending::start(|id| self.host.set(id, key, &t.to_record(), ttl_ms(t))).await.status == 1.0
    }

    /// The fleet-wide single flight: a token another worker stored, else the lock (fetch with
    /// a lease), else wait and look again; any store failure means fetching without the lock.
    async fn fetch_wait(&self, key: &str, now: i64) -> Refresh {
        let lock = lock_key(key);
        // `now` is the client's platform time; later polls keep its offset.
        let offset = now as f64 - now_ms();
        let give_up = now_ms() + LOCK_TTL_MS + LOCK_POLL_MS;
        loop {
            let fresh = |t: &CachedToken| t.is_fresh((now_ms() + offset) as i64, 0);
            match self.read(key).await {
                Read::Failed => return Refresh::Fetch { lease: None },
                Read::Token(t) if fresh(&t) => {
                    self.local.put(key, t.clone()).await;
                    return Refresh::Stored(t);
                }
                _ => {}
            }
            match Pending::start(|id| self.host.lock(id, &lock, LOCK_TTL_MS)).await.status {
                1.0 => {
                    // The holder before us may have stored its token and released the lock
                    // between our read and our lock: look once more before fetching.
                    if let Read::Token(t) = self.read(key).await {
                        if fresh(&t) {
                            Pending::start(|id| self.host.unlock(id, &lock)).await;
                            self.local.put(key, t.clone()).await;
                            return Refresh::Stored(t);
                        }
                    }
                    return Refresh::Fetch { lease: Some(lock) };
                }
                0.0 => {}
                _ => return Refresh::Fetch { lease: None },
            }
            if now_ms() >= give_up {
                return Refresh::Fetch { lease: None };
            }
            Pending::start(|id| self.host.sleep(id, LOCK_POLL_MS)).await;
        }
    }
}

impl TokenStore for JsTokenStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<CachedToken>> {
        Box::pin(async move {
            match self.read(key).await {
                Read::Failed => {
                    self.seed.set(true);
                    self.local.get(key).await
                }
                Read::Token(t) => {
                    self.seed.set(false);
                    if self.local.get(key).await.as_ref() != Some(&t) {
                        self.local.put(key, t.clone()).await;
                    }
                    Some(t)
                }
                Read::Empty => {
                    // The store is back but empty: offer the local copy instead of fetching a
                    // new token that would replace it.
                    if !self.seed.replace(false) {
                        return None;
                    }
                    let t = self.local.get(key).await.filter(|t| t.is_fresh(now_ms() as i64, 0))?;
                    self.write(key, &t).await;
                    Some(t)
                }
            }
        })
    }

    fn put<'a>(&'a self, key: &'a str, token: CachedToken) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            self.local.put(key, token.clone()).await;
            self.write(key, &token).await;
        })
    }

    fn invalidate<'a>(&'a self, key: &'a str, rejected: &'a Secret) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            self.local.invalidate(key, rejected).await;
            // Compare, then delete: a token another worker already stored stays.
            if let Read::Token(t) = self.read(key).await {
                if &t.token == rejected {
                    Pending::start(|id| self.host.remove(id, key)).await;
                }
            }
        })
    }

    fn begin_refresh<'a>(&'a self, key: &'a str, now_ms: i64) -> BoxFuture<'a, Refresh> {
        Box::pin(self.fetch_wait(key, now_ms))
    }

    fn end_refresh<'a>(&'a self, key: &'a str, lease: Option<String>, token: Option<CachedToken>) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            if let Some(t) = token {
                self.put(key, t).await;
            }
            // The token is stored before the lock goes, so the next holder finds it.
            if let Some(lock) = lease {
                Pending::start(|id| self.host.unlock(id, &lock)).await;
            }
        })
    }
}
