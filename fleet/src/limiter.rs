//! The fleet-wide rate limiter: GCRA in one Lua script on Redis's clock.

use crate::FleetOptions;
use crate::conn::Conn;
use crate::scripts::GCRA;
use cmi_core::rate_limit::{LocalRateLimiter, RateLimiter};
use cmi_core::transport::BoxFuture;
use std::fmt;
use std::sync::Arc;

/// A [`RateLimiter`] whose budget (calls per second per credential) is shared by every
/// worker using the same Redis and prefix. While Redis is away a local limiter at the rate
/// divided by [`FleetOptions::workers`] paces the calls.
pub struct RedisRateLimiter {
    conn: Arc<Conn>,
    key: String,
    interval_ms: f64,
    tolerance_ms: f64,
    local: LocalRateLimiter,
}

impl fmt::Debug for RedisRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisRateLimiter")
            .field("key", &self.key)
            .field("per_second", &(1000.0 / self.interval_ms))
            .finish_non_exhaustive()
    }
}

impl RedisRateLimiter {
    pub(crate) fn new(
        conn: Arc<Conn>,
        options: &FleetOptions,
        base_url: &str,
        app_key: &str,
        per_second: f64,
        burst: u32,
    ) -> Self {
        let per_second = if per_second.is_finite() && per_second > 0.0 { per_second } else { 1.0 };
        let interval_ms = 1000.0 / per_second;
        // The same fingerprint as the token's key: neither base URL nor app key shows.
        let fp = cmi_core::token::store_key(base_url, app_key);
        let fp = fp.strip_prefix("cmi-token:").unwrap_or(&fp);
        Self {
            conn,
            key: format!("{}cmi-rate:{fp}", options.key_prefix),
            interval_ms,
            tolerance_ms: interval_ms * (burst.max(1) - 1) as f64,
            local: LocalRateLimiter::new(per_second / options.workers.max(1) as f64, burst),
        }
    }
}

impl RateLimiter for RedisRateLimiter {
    fn reserve<'a>(&'a self, _operation: &'a str, now_ms: i64) -> BoxFuture<'a, u64> {
        Box::pin(async move {
            let (key, interval, tolerance) = (self.key.clone(), self.interval_ms, self.tolerance_ms);
            let wait = self
                .conn
                .run("rate limit", |mut c| async move {
                    GCRA.key(key).arg(interval).arg(tolerance).invoke_async::<i64>(&mut c).await
                })
                .await;
            match wait {
                Some(w) => w.max(0) as u64,
                None => self.local.reserve_at(now_ms),
            }
        })
    }
}
