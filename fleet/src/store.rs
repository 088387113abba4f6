//! The Redis-backed token store with its fleet-wide single flight and local fallback.

use crate::FleetOptions;
use crate::conn::Conn;
use crate::scripts::{ACQUIRE, INVALIDATE, RELEASE};
use cmi_core::transport::BoxFuture;
use cmi_core::{CachedToken, MemoryTokenStore, NonceSource, OsNonce, Refresh, Secret, TokenStore};
use redis::AsyncCommands;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A [`TokenStore`] shared by a fleet through Redis. Every token read or written is also
/// kept in a local copy, which answers while Redis is away; a fetch is single flight across
/// the fleet (a lock taken with `SET NX PX` holding a random lease).
pub struct RedisTokenStore {
    conn: Arc<Conn>,
    prefix: String,
    local: MemoryTokenStore,
    lock_ttl: Duration,
    lock_poll: Duration,
    /// Set when the local copy answered for an away Redis: the next read that finds Redis
    /// empty offers the local token to the fleet (only then, so that a token another worker
    /// just invalidated is never put back).
    seed: AtomicBool,
}

impl fmt::Debug for RedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenStore").field("prefix", &self.prefix).finish_non_exhaustive()
    }
}

fn unix_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// How long Redis keeps a token: until it expires (local clock), at least a second.
fn ttl_ms(t: &CachedToken) -> i64 {
    (t.expires_at_ms - unix_ms()).max(1000)
}

impl RedisTokenStore {
    pub(crate) fn new(conn: Arc<Conn>, options: &FleetOptions) -> Self {
        Self {
            conn,
            prefix: options.key_prefix.clone(),
            local: MemoryTokenStore::new(),
            lock_ttl: options.lock_ttl,
            lock_poll: options.lock_poll,
            seed: AtomicBool::new(false),
        }
    }

    fn keys(&self, key: &str) -> (String, String) {
        (format!("{}{key}", self.prefix), format!("{}{key}:lock", self.prefix))
    }

    async fn fetch_wait(&self, key: &str, now_ms: i64) -> Refresh {
        let (token_key, lock_key) = self.keys(key);
        let lock_ms = self.lock_ttl.as_millis().max(1) as u64;
        // Waiting longer than a lock lives means its holder is gone and nobody took over.
        let give_up = Instant::now() + self.lock_ttl + self.lock_poll;
        let lease = OsNonce.nonce();
        // `now_ms` is the client's platform time; later polls keep its offset.
        let offset = now_ms - unix_ms();
        loop {
            let now = unix_ms() + offset;
            let answer = self
                .conn
                .run("refresh lock", |mut c| {
                    let (t, l, lease) = (token_key.clone(), lock_key.clone(), lease.clone());
                    async move {
                        ACQUIRE
                            .key(t)
                            .key(l)
                            .arg(lease)
                            .arg(lock_ms)
                            .arg(now)
                            .invoke_async::<(i64, String)>(&mut c)
                            .await
                    }
                })
                .await;
            match answer {
                None => return Refresh::Fetch { lease: None },
                Some((1, record)) => {
                    if let Some(t) = CachedToken::from_record(&record) {
                        self.local.put(key, t.clone()).await;
                        return Refresh::Stored(t);
                    }
                    // Unreadable (a foreign writer): fetch without the lock.
                    return Refresh::Fetch { lease: None };
                }
                Some((2, _)) => return Refresh::Fetch { lease: Some(lease) },
                Some(_) => {}
            }
            if Instant::now() >= give_up {
                tracing::warn!("fleet: waited a whole lock lifetime for another worker's token; fetching one");
                return Refresh::Fetch { lease: None };
            }
            tokio::time::sleep(self.lock_poll).await;
        }
    }
}

impl TokenStore for RedisTokenStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<CachedToken>> {
        Box::pin(async move {
            let (token_key, _) = self.keys(key);
            let k = token_key.clone();
            let stored = self.conn.run("get token", |mut c| async move { c.get::<_, Option<String>>(k).await }).await;
            match stored {
                // Redis is away: the local copy answers.
                None => {
                    self.seed.store(true, Ordering::Relaxed);
                    self.local.get(key).await
                }
                Some(Some(record)) => {
                    self.seed.store(false, Ordering::Relaxed);
                    let t = CachedToken::from_record(&record)?;
                    if self.local.get(key).await.as_ref() != Some(&t) {
                        self.local.put(key, t.clone()).await;
                    }
                    Some(t)
                }
                Some(None) => {
                    // Redis came back empty: offer the local copy to the fleet instead of
                    // fetching a new token that would replace it.
                    if !self.seed.swap(false, Ordering::Relaxed) {
                        return None;
                    }
                    let t = self.local.get(key).await.filter(|t| t.is_fresh(unix_ms(), 0))?;
                    let (record, ttl) = (t.to_record(), ttl_ms(&t));
                    let stored = self
                        .conn
                        .run("seed token", |mut c| async move {
                            redis::cmd("SET")
                                .arg(token_key)
                                .arg(record)
                                .arg("NX")
                                .arg("PX")
                                .arg(ttl)
                                .query_async::<Option<String>>(&mut c)
                                .await
                        })
                        .await;
                    match stored {
                        // Another worker seeded first: read theirs on the next call.
                        Some(None) => None,
                        _ => Some(t),
                    }
                }
            }
        })
    }

    fn put<'a>(&'a self, key: &'a str, token: CachedToken) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let (token_key, _) = self.keys(key);
            let (record, ttl) = (token.to_record(), ttl_ms(&token) as u64);
            self.local.put(key, token).await;
            self.conn
                .run("put token", |mut c| async move { c.pset_ex::<_, _, ()>(token_key, record, ttl).await })
                .await;
        })
    }

    fn invalidate<'a>(&'a self, key: &'a str, rejected: &'a Secret) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            self.local.invalidate(key, rejected).await;
            let (token_key, _) = self.keys(key);
            let rejected = rejected.expose().to_owned();
            self.conn
                .run("invalidate token", |mut c| async move {
                    INVALIDATE.key(token_key).arg(rejected).invoke_async::<i64>(&mut c).await
                })
                .await;
        })
    }

    fn begin_refresh<'a>(&'a self, key: &'a str, now_ms: i64) -> BoxFuture<'a, Refresh> {
        Box::pin(self.fetch_wait(key, now_ms))
    }

    fn end_refresh<'a>(&'a self, key: &'a str, lease: Option<String>, token: Option<CachedToken>) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let Some(lease) = lease else {
                // Fetched without the fleet's lock (Redis away): store it as usual.
                if let Some(t) = token {
                    self.put(key, t).await;
                }
                return;
            };
            let (token_key, lock_key) = self.keys(key);
            let (record, ttl) = match &token {
                Some(t) => (t.to_record(), ttl_ms(t)),
                None => (String::new(), 0),
            };
            if let Some(t) = token {
                self.local.put(key, t).await;
            }
            let held = self
                .conn
                .run("release lock", |mut c| async move {
                    RELEASE
                        .key(token_key)
                        .key(lock_key)
                        .arg(lease)
                        .arg(record)
                        .arg(ttl)
                        .invoke_async::<i64>(&mut c)
                        .await
                })
                .await;
            if held == Some(0) {
                tracing::warn!("fleet: refresh lock expired before the token came; the fleet keeps its newer token");
            }
        })
    }
}
