//! The shared Redis connection with its timeouts and the switch to local state.
//!
//! Every Redis operation goes through [`Conn::run`]: it is skipped while Redis is known to
//! be away, bounded by the operation timeout, and a failure marks Redis away for
//! `retry_after`. After that one caller probes again (the others stay local meanwhile), and
//! the first success brings everyone back. Transitions are logged once, not per call.

use crate::FleetOptions;
use cmi_core::Error;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::future::Future;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{Duration, Instant};

pub(crate) struct Conn {
    client: redis::Client,
    manager: OnceLock<ConnectionManager>,
    op_timeout: Duration,
    connect_timeout: Duration,
    retry_after_ms: i64,
    /// Milliseconds since `epoch` until which Redis is not tried; 0 = healthy.
    down_until: AtomicI64,
    healthy: AtomicBool,
    epoch: Instant,
}

impl Conn {
    pub(crate) fn new(url: &str, options: &FleetOptions) -> Result<Self, Error> {
        // The parse error may quote the URL (and its password): not passed on.
        let client = redis::Client::open(url)
            .map_err(|_| Error::config("fleet: not a Redis URL (expected redis://host[:port][/db] or rediss://...)"))?;
        if matches!(client.get_connection_info().addr(), redis::ConnectionAddr::TcpTls { .. }) {
            // rustls needs a process-wide crypto provider; ring, as the core uses. An
            // already installed one is kept.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        Ok(Self {
            client,
            manager: OnceLock::new(),
            op_timeout: options.op_timeout,
            connect_timeout: options.connect_timeout,
            retry_after_ms: options.retry_after.as_millis().max(1) as i64,
            down_until: AtomicI64::new(0),
            healthy: AtomicBool::new(true),
            epoch: Instant::now(),
        })
    }

    pub(crate) fn is_healthy(&self) -> bool {
        self.healthy.load(Ordering::Relaxed)
    }

    fn now_ms(&self) -> i64 {
        self.epoch.elapsed().as_millis() as i64
    }

    /// Whether this caller may use Redis now: always while healthy; while away, only the one
    /// caller that claims the probe once `retry_after` has passed.
    fn may_try(&self) -> bool {
        let until = self.down_until.load(Ordering::Relaxed);
        if until == 0 {
            return true;
        }
        let now = self.now_ms();
        now >= until
            && self
                .down_until
                .compare_exchange(until, now + self.retry_after_ms, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
    }

    fn failed(&self, what: &'static str, why: &str) {
        self.down_until.store(self.now_ms() + self.retry_after_ms, Ordering::Relaxed);
        if self.healthy.swap(false, Ordering::Relaxed) {
            tracing::warn!(
                operation = what,
                error = why,
                "fleet: Redis unavailable, using local token cache and rate limiter"
            );
        }
    }

    fn succeeded(&self) {
        if self.down_until.load(Ordering::Relaxed) != 0 {
            self.down_until.store(0, Ordering::Relaxed);
        }
        if !self.healthy.swap(true, Ordering::Relaxed) {
            tracing::info!("fleet: Redis is back, sharing tokens and rate budget again");
        }
    }

    fn manager(&self) -> Result<ConnectionManager, String> {
        if let Some(m) = self.manager.get() {
            return Ok(m.clone());
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.connect_timeout))
            .set_response_timeout(Some(self.op_timeout))
            .set_number_of_retries(1)
            .set_min_delay(Duration::from_millis(10))
            .set_max_delay(Duration::from_millis(100));
        let m = ConnectionManager::new_lazy_with_config(self.client.clone(), config).map_err(|e| e.to_string())?;
        Ok(self.manager.get_or_init(|| m).clone())
    }

    /// Runs `op` on Redis; `None` when Redis is away, failed or was too slow (the caller then
    /// uses local state).
    pub(crate) async fn run<T, F, Fut>(&self, what: &'static str, op: F) -> Option<T>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        if !self.may_try() {
            return None;
        }
        let first = self.manager.get().is_none();
        let conn = match self.manager() {
            Ok(c) => c,
            Err(e) => {
                self.failed(what, &e);
                return None;
            }
        };
        // A first connection may take up to the connect timeout, an answer the op timeout.
        let limit = if self.is_healthy() && !first { self.op_timeout } else { self.op_timeout + self.connect_timeout };
        match tokio::time::timeout(limit, op(conn)).await {
            Ok(Ok(v)) => {
                self.succeeded();
                Some(v)
            }
            Ok(Err(e)) => {
                self.failed(what, &e.to_string());
                None
            }
            Err(_) => {
                self.failed(what, "timed out");
                None
            }
        }
    }
}
