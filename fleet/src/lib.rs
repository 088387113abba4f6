//! # cmi-fleet
//!
//! Fleet mode: many worker processes behave like one careful client of the CMI platform.
//! They share one access token (a Redis-backed [`TokenStore`](cmi_core::TokenStore) with a
//! fleet-wide single flight for refresh, so one worker fetches while the others wait for the
//! stored token) and one rate budget (a Redis-backed [`RateLimiter`](cmi_core::rate_limit::RateLimiter),
//! GCRA in one Lua script on Redis's clock). When Redis is unreachable or slow every
//! operation falls back to process-local state with a `tracing` warning and the calls keep
//! working; Redis is probed again after [`FleetOptions::retry_after`] and used again once it
//! answers. See `docs/fleet.md`.
//!
//! ```no_run
//! # fn demo(config: cmi_core::Config) -> cmi_core::Result<()> {
//! let fleet = cmi_fleet::Fleet::new("redis://127.0.0.1:6379/0", cmi_fleet::FleetOptions::default())?;
//! let client = cmi_core::Client::builder(config.clone())
//!     .token_store(fleet.token_store())
//!     .rate_limiter(std::sync::Arc::new(fleet.rate_limiter(&config.base_url, &config.app_key, 20.0, 1)))
//!     .build()?;
//! # Ok(()) }
//! ```
//!
//! Redis keys (prefix [`FleetOptions::key_prefix`], default `cmi-fleet:`) name a credential
//! only by a fingerprint of base URL and app key ([`cmi_core::token::store_key`]); the app
//! secret never leaves the process. What is stored: `<prefix>cmi-token:<fp>` = the token
//! record ([`cmi_core::CachedToken::to_record`]) expiring with the token,
//! `<prefix>cmi-token:<fp>:lock` = a refresh lease (random fencing value, short TTL),
//! `<prefix>cmi-rate:<fp>` = the limiter's theoretical arrival time.

mod conn;
mod limiter;
mod scripts;
mod store;

pub use limiter::RedisRateLimiter;
pub use store::RedisTokenStore;

use cmi_core::{Client, ClientBuilder, Config, Error};
use conn::Conn;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Settings of fleet mode. `Default` gives the values documented on each field.
#[derive(Debug, Clone)]
pub struct FleetOptions {
    /// Prepended to every Redis key (default `cmi-fleet:`), so fleets can share a Redis.
    pub key_prefix: String,
    /// Longest wait for one Redis operation (default 150 ms); a slower answer counts as a
    /// failure and the call goes on with local state.
    pub op_timeout: Duration,
    /// Longest wait to connect (default 300 ms).
    pub connect_timeout: Duration,
    /// After a failure, how long to use local state only before probing Redis again
    /// (default 1 s): a Redis that is down costs one timeout per period, not one per call.
    pub retry_after: Duration,
    /// Lifetime of the refresh lock (default 10 s): if its holder dies, another worker
    /// fetches after this. Waiting workers give up waiting after it and fetch themselves.
    pub lock_ttl: Duration,
    /// How often a waiting worker looks for the stored token (default 20 ms).
    pub lock_poll: Duration,
    /// How many workers share the budget, to divide the rate by while Redis is down (default
    /// 1: each worker alone keeps the whole budget, so a degraded fleet may exceed it; set
    /// it to the fleet size to stay under it).
    pub workers: u32,
}

impl Default for FleetOptions {
    fn default() -> Self {
        Self {
            key_prefix: "cmi-fleet:".into(),
            op_timeout: Duration::from_millis(150),
            connect_timeout: Duration::from_millis(300),
            retry_after: Duration::from_secs(1),
            lock_ttl: Duration::from_secs(10),
            lock_poll: Duration::from_millis(20),
            workers: 1,
        }
    }
}

/// A connection to the fleet's Redis, from which token stores and rate limiters are made.
/// Cheap to clone; the connection is opened on first use (inside a Tokio runtime) and
/// re-opened after failures, so creating a `Fleet` never fails because Redis is down.
#[derive(Clone)]
pub struct Fleet {
    conn: Arc<Conn>,
    options: FleetOptions,
}

impl fmt::Debug for Fleet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may hold a password: never shown.
        f.debug_struct("Fleet")
            .field("key_prefix", &self.options.key_prefix)
            .field("healthy", &self.is_healthy())
            .finish()
    }
}

impl Fleet {
    /// A fleet on `url`: `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS
    /// (rustls, system roots). Only the URL is checked here (`Error::Config` if it is not a
    /// Redis URL); the connection is made on first use.
    pub fn new(url: &str, options: FleetOptions) -> Result<Self, Error> {
        Ok(Self { conn: Arc::new(Conn::new(url, &options)?), options })
    }

    /// The options in use.
    pub fn options(&self) -> &FleetOptions {
        &self.options
    }

    /// A token store sharing tokens through this fleet's Redis, with a local copy to fall
    /// back on.
    pub fn token_store(&self) -> RedisTokenStore {
        RedisTokenStore::new(self.conn.clone(), &self.options)
    }

    /// A limiter of the credential (`base_url`, `app_key`) to `per_second` calls per second
    /// across the fleet, bursts of `burst` calls (1 = evenly spaced).
    pub fn rate_limiter(&self, base_url: &str, app_key: &str, per_second: f64, burst: u32) -> RedisRateLimiter {
        RedisRateLimiter::new(self.conn.clone(), &self.options, base_url, app_key, per_second, burst)
    }

    /// `builder` with this fleet's token store, and its rate limiter when `per_second` is
    /// given (bursts of 1).
    pub fn apply(&self, builder: ClientBuilder, config: &Config, per_second: Option<f64>) -> ClientBuilder {
        let builder = builder.token_store(self.token_store());
        match per_second {
            Some(r) => builder.rate_limiter(Arc::new(self.rate_limiter(&config.base_url, &config.app_key, r, 1))),
            None => builder,
        }
    }

    /// A client of `config` in fleet mode (built-in transport).
    pub fn client(&self, config: Config, per_second: Option<f64>) -> Result<Client, Error> {
        let builder = Client::builder(config.clone());
        self.apply(builder, &config, per_second).build()
    }

    /// Whether the last Redis operation succeeded (false while running on local state).
    pub fn is_healthy(&self) -> bool {
        self.conn.is_healthy()
    }
}
