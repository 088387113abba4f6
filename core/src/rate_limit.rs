//! An optional client-side rate limit, so a busy client stays under the platform's QPS limit
//! (`9000004`, HTTP 429) instead of tripping it. The limiter is a trait so that a fleet of
//! workers can share one budget (the `cmi-fleet` crate implements it on Redis).

use crate::transport::{BoxFuture, MaybeSend, MaybeSync};
use std::fmt;
use std::sync::Mutex;

/// Decides how long a call must wait before it may be sent.
pub trait RateLimiter: MaybeSend + MaybeSync + 'static {
    /// Reserves a slot for one call at `now_ms` (Unix milliseconds) and returns how many
    /// milliseconds to wait before sending; `0` to send at once.
    fn reserve<'a>(&'a self, operation: &'a str, now_ms: i64) -> BoxFuture<'a, u64>;
}

/// A process-local limiter: the generic cell rate algorithm (GCRA) with a burst allowance.
pub struct LocalRateLimiter {
    /// Milliseconds between calls at the steady rate.
    interval_ms: f64,
    /// How far ahead of the steady schedule a burst may run.
    tolerance_ms: f64,
    /// Theoretical arrival time of the next call, Unix ms.
    tat: Mutex<f64>,
}

impl fmt::Debug for LocalRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalRateLimiter").field("per_second", &(1000.0 / self.interval_ms)).finish()
    }
}

impl LocalRateLimiter {
    /// At most `per_second` calls per second on average, with bursts of up to `burst` calls.
    /// A non-positive rate is read as 1 call per second.
    pub fn new(per_second: f64, burst: u32) -> Self {
        let per_second = if per_second.is_finite() && per_second > 0.0 { per_second } else { 1.0 };
        let interval_ms = 1000.0 / per_second;
        Self { interval_ms, tolerance_ms: interval_ms * burst.max(1) as f64 - interval_ms, tat: Mutex::new(0.0) }
    }

    /// The wait for a call at `now_ms`, reserving its slot.
    pub fn reserve_at(&self, now_ms: i64) -> u64 {
        let now = now_ms as f64;
        let mut tat = self.tat.lock().unwrap_or_else(|p| p.into_inner());
        let start = tat.max(now);
        let wait = (start - self.tolerance_ms - now).max(0.0);
        *tat = start + self.interval_ms;
        wait.ceil() as u64
    }
}

impl RateLimiter for LocalRateLimiter {
    fn reserve<'a>(&'a self, _operation: &'a str, now_ms: i64) -> BoxFuture<'a, u64> {
        let wait = self.reserve_at(now_ms);
        Box::pin(async move { wait })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_calls_after_the_burst() {
        let l = LocalRateLimiter::new(10.0, 3);
        let waits: Vec<u64> = (0..6).map(|_| l.reserve_at(1_000)).collect();
        assert_eq!(waits, vec![0, 0, 0, 100, 200, 300]);
        // After a quiet second the burst is available again.
        assert_eq!(l.reserve_at(3_000), 0);
    }
}
