//! When and how long to retry (sdk-rules 15).
//!
//! Only queries, the token call and keyed writes are ever repeated; a write without an
//! idempotency key could be applied twice. Waits use exponential backoff with full jitter,
//! never shorter than the platform's `Retry-After`. A per-client retry budget stops a fleet of
//! callers from multiplying load on a platform that is already failing: each retry spends
//! from it and each first-attempt success refills it a little.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// What a retry hook is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryEvent {
    /// The operation being retried.
    pub operation: &'static str,
    /// The attempt that just failed (1 = the first).
    pub attempt: u32,
    /// Why: the error's kind (`http_status`, `timeout`, `api`, ...).
    pub kind: &'static str,
    /// The platform's code, when there was one.
    pub code: Option<String>,
    /// The HTTP status, when there was one.
    pub status: Option<u16>,
    /// How long the client waits before the next attempt.
    pub wait_ms: u64,
}

/// A hook called before every retry (for metrics or logs). It sees no request data.
pub type RetryHook = Arc<dyn Fn(&RetryEvent) + Send + Sync>;

/// Retry settings of a client.
#[derive(Clone)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries of one call at most (the client's `max_retries` setting).
    pub max_retries: u32,
    /// First backoff window in milliseconds; it doubles per retry.
    pub base_ms: u64,
    /// Largest backoff window in milliseconds.
    pub cap_ms: u64,
    /// Budget capacity in retries; `0` disables the budget.
    pub budget: u32,
    /// Called before each retry.
    pub on_retry: Option<RetryHook>,
}

impl fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("max_retries", &self.max_retries)
            .field("base_ms", &self.base_ms)
            .field("cap_ms", &self.cap_ms)
            .field("budget", &self.budget)
            .field("on_retry", &self.on_retry.as_ref().map(|_| "<hook>"))
            .finish()
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { max_retries: 2, base_ms: 200, cap_ms: 5_000, budget: 50, on_retry: None }
    }
}

impl RetryPolicy {
    /// Sets how many times one call may be retried.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// Sets the budget capacity in retries (`0`: unlimited).
    pub fn budget(mut self, retries: u32) -> Self {
        self.budget = retries;
        self
    }

    /// Sets the first backoff window and its ceiling, in milliseconds.
    pub fn backoff(mut self, base_ms: u64, cap_ms: u64) -> Self {
        self.base_ms = base_ms;
        self.cap_ms = cap_ms.max(base_ms);
        self
    }

    /// Sets the hook called before each retry.
    pub fn on_retry(mut self, hook: impl Fn(&RetryEvent) + Send + Sync + 'static) -> Self {
        self.on_retry = Some(Arc::new(hook));
        self
    }

    /// The wait before retry number `retry` (0-based): full jitter over the exponential
    /// window, at least `retry_after_ms`. `random` is a uniformly random `u32`.
    pub fn backoff_ms(&self, retry: u32, retry_after_ms: Option<u64>, random: u32) -> u64 {
        let window = self.cap_ms.min(self.base_ms.saturating_mul(1u64 << retry.min(20)));
        let jitter = if window == 0 { 0 } else { random as u64 % (window + 1) };
        jitter.max(retry_after_ms.unwrap_or(0))
    }
}

/// Tenths of a retry: a retry costs 10, a first-attempt success refunds 1, so a client
/// may retry at most one call in ten once its initial budget is spent.
const RETRY_COST: u32 = 10;
const SUCCESS_REFUND: u32 = 1;

/// The shared retry budget of one client.
#[derive(Debug)]
pub struct RetryBudget {
    capacity: u32,
    tokens: AtomicU32,
}

impl RetryBudget {
    /// A full budget of `retries` retries; `0` means unlimited.
    pub fn new(retries: u32) -> Self {
        let capacity = retries.saturating_mul(RETRY_COST);
        Self { capacity, tokens: AtomicU32::new(capacity) }
    }

    /// Takes the cost of one retry; `false` when the budget is spent.
    pub fn try_spend(&self) -> bool {
        if self.capacity == 0 {
            return true;
        }
        self.tokens.fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(RETRY_COST)).is_ok()
    }

    /// Refills a little after a call that succeeded at its first attempt.
    pub fn refund(&self) {
        if self.capacity == 0 {
            return;
        }
        let _ = self.tokens.fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
            (t < self.capacity).then(|| (t + SUCCESS_REFUND).min(self.capacity))
        });
    }

    /// Retries left.
    pub fn remaining(&self) -> u32 {
        if self.capacity == 0 { u32::MAX } else { self.tokens.load(Ordering::Acquire) / RETRY_COST }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_jittered_capped_and_respects_retry_after() {
        let p = RetryPolicy::default();
        assert!(p.backoff_ms(0, None, u32::MAX) <= 200);
        assert!(p.backoff_ms(10, None, u32::MAX) <= 5_000);
        assert_eq!(p.backoff_ms(0, Some(3_000), 0), 3_000);
        assert_eq!(p.backoff_ms(0, None, 0), 0);
    }

    #[test]
    fn budget_spends_and_refills() {
        let b = RetryBudget::new(2);
        assert!(b.try_spend());
        assert!(b.try_spend());
        assert!(!b.try_spend());
        for _ in 0..10 {
            b.refund();
        }
        assert_eq!(b.remaining(), 1);
        assert!(b.try_spend());
        let unlimited = RetryBudget::new(0);
        assert!((0..1000).all(|_| unlimited.try_spend()));
    }
}
