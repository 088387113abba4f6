//! The client: signs, authenticates, sends and decodes every operation.
//!
//! One generic call path ([`Client::call`]) serves all interfaces; the named methods
//! (`create_order`, `query_quota`, ...) are thin wrappers over it, so every rule lives in one
//! place: validation before sending, a fresh WSSE header set per attempt, the token cache with
//! single-flight refresh, refresh-once on `1000008`/`1000009`, one skew-corrected retry on
//! `1000004`, and bounded retries of queries.

mod call;
mod httpdate;
mod orders;
pub use orders::OrderOutcome;
pub mod operations;
mod spend;

use crate::clock::{Clock, NonceSource, OsNonce, SystemClock};
use crate::config::Config;
use crate::error::Result;
use crate::guard::Guard;
use crate::observe::{Hooks, RequestRecord, ResponseRecord};
use crate::rate_limit::{LocalRateLimiter, RateLimiter};
use crate::retry::{RetryBudget, RetryPolicy};
use crate::token::{MemoryTokenStore, TokenStore, store_key};
use crate::transport::Transport;
use crate::units::Money;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// The SDK's version, sent in the `User-Agent`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A client of the CMI platform. Cheap to clone (shared state); share one per credential so
/// that all calls use one token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    transport: Arc<dyn Transport>,
    clock: Arc<dyn Clock>,
    nonces: Arc<dyn NonceSource>,
    tokens: Arc<dyn TokenStore>,
    token_key: String,
    refresh: async_lock::Mutex<()>,
    skew_ms: AtomicI64,
    token_requests: AtomicU64,
    user_agent: String,
    retry: RetryPolicy,
    budget: RetryBudget,
    limiter: Option<Arc<dyn RateLimiter>>,
    guard: Guard,
    hooks: Hooks,
    /// Unit prices looked up for the spend guard, by bundle or add-on id.
    prices: Mutex<HashMap<String, Money>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .field("skew_ms", &self.clock_skew_ms())
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`] with non-default parts.
pub struct ClientBuilder {
    config: Config,
    transport: Option<Arc<dyn Transport>>,
    clock: Arc<dyn Clock>,
    nonces: Arc<dyn NonceSource>,
    tokens: Arc<dyn TokenStore>,
    retry: Option<RetryPolicy>,
    limiter: Option<Arc<dyn RateLimiter>>,
    guard: Guard,
    hooks: Hooks,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder").field("config", &self.config).finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Starts from settings.
    pub fn new(config: Config) -> Self {
        Self {
            config,
            transport: None,
            clock: Arc::new(SystemClock),
            nonces: Arc::new(OsNonce),
            tokens: Arc::new(MemoryTokenStore::new()),
            retry: None,
            limiter: None,
            guard: Guard::new(),
            hooks: Hooks::default(),
        }
    }

    /// Retry settings (backoff, budget, `on_retry` hook). Its `max_retries` replaces the
    /// configuration's.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Limits this client to `per_second` calls per second on average, bursts of `burst`.
    pub fn rate_limit(mut self, per_second: f64, burst: u32) -> Self {
        self.limiter = Some(Arc::new(LocalRateLimiter::new(per_second, burst)));
        self
    }

    /// Uses `limiter` (for example one shared by a fleet) to pace calls.
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// Refuses calls that break `guard`'s policy before they are sent.
    pub fn guard(mut self, guard: Guard) -> Self {
        self.guard = guard;
        self
    }

    /// Calls `hook` with every attempt as sent, secrets redacted.
    pub fn on_request(mut self, hook: impl Fn(&RequestRecord) + Send + Sync + 'static) -> Self {
        self.hooks.on_request = Some(Arc::new(hook));
        self
    }

    /// Calls `hook` with every answer or failure, secrets redacted.
    pub fn on_response(mut self, hook: impl Fn(&ResponseRecord) + Send + Sync + 'static) -> Self {
        self.hooks.on_response = Some(Arc::new(hook));
        self
    }

    /// Sends through `transport` instead of the built-in one.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Sends through a shared transport.
    pub fn transport_arc(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Reads time from `clock`.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Reads time from a shared clock.
    pub fn clock_arc(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Draws nonces from `nonces`.
    pub fn nonce_source(mut self, nonces: impl NonceSource) -> Self {
        self.nonces = Arc::new(nonces);
        self
    }

    /// Keeps tokens in `store` (for example one shared by a fleet of workers).
    pub fn token_store(mut self, store: impl TokenStore) -> Self {
        self.tokens = Arc::new(store);
        self
    }

    /// Keeps tokens in a shared store.
    pub fn token_store_arc(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.tokens = store;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client> {
        self.config.validate()?;
        let transport = match self.transport {
            Some(t) => t,
            None => default_transport(&self.config)?,
        };
        let user_agent = format!("cmi-datacard/{VERSION} ({})", self.config.binding);
        let retry = self
            .retry
            .unwrap_or_else(|| RetryPolicy { max_retries: self.config.max_retries, ..RetryPolicy::default() });
        Ok(Client {
            inner: Arc::new(Inner {
                token_key: store_key(&self.config.base_url, &self.config.app_key),
                config: self.config,
                transport,
                clock: self.clock,
                nonces: self.nonces,
                tokens: self.tokens,
                refresh: async_lock::Mutex::new(()),
                skew_ms: AtomicI64::new(0),
                token_requests: AtomicU64::new(0),
                user_agent,
                budget: RetryBudget::new(retry.budget),
                retry,
                limiter: self.limiter,
                guard: self.guard,
                hooks: self.hooks,
                prices: Mutex::new(HashMap::new()),
            }),
        })
    }
}

#[cfg(feature = "reqwest")]
fn default_transport(config: &Config) -> Result<Arc<dyn Transport>> {
    let options = crate::reqwest_transport::ReqwestOptions {
        connect_timeout_ms: config.connect_timeout_ms,
        extra_ca_pem: config.extra_ca_pem.clone(),
        proxy: config.proxy.clone(),
    };
    Ok(Arc::new(crate::reqwest_transport::ReqwestTransport::new(&options)?))
}

#[cfg(not(feature = "reqwest"))]
fn default_transport(_config: &Config) -> Result<Arc<dyn Transport>> {
    Err(crate::error::Error::config(
        "no transport: enable the `reqwest` feature or pass one to ClientBuilder::transport",
    ))
}

impl Client {
    /// A client with the built-in transport.
    pub fn new(config: Config) -> Result<Self> {
        ClientBuilder::new(config).build()
    }

    /// A builder, for a custom transport, clock, nonce source or token store.
    pub fn builder(config: Config) -> ClientBuilder {
        ClientBuilder::new(config)
    }

    /// A client configured from `CMI_BASE_URL`, `CMI_APP_KEY`, `CMI_APP_SECRET` (and the
    /// optional `CMI_TIMEOUT_MS`, `CMI_MAX_RETRIES`).
    pub fn from_env() -> Result<Self> {
        Self::new(Config::from_env()?)
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The measured offset of the platform's clock from ours, in milliseconds (positive:
    /// the platform is ahead). Learned from the `Date` header on a `1000004` answer.
    pub fn clock_skew_ms(&self) -> i64 {
        self.inner.skew_ms.load(Ordering::Relaxed)
    }

    /// How many token requests this client has sent (diagnostics).
    pub fn token_requests(&self) -> u64 {
        self.inner.token_requests.load(Ordering::Relaxed)
    }

    /// The guard's record of what this client spent on the platform's current UTC day, in
    /// cents of the spend limit's currency.
    pub fn spent_today_cents(&self) -> i64 {
        self.inner.guard.spent_on(self.platform_now_ms().div_euclid(86_400_000))
    }

    /// Retries left in this client's retry budget.
    pub fn retry_budget_remaining(&self) -> u32 {
        self.inner.budget.remaining()
    }

    /// Forgets the cached token, so the next call fetches a new one.
    pub async fn invalidate_token(&self) {
        let inner = &self.inner;
        if let Some(t) = inner.tokens.get(&inner.token_key).await {
            inner.tokens.invalidate(&inner.token_key, &t.token).await;
        }
    }

    fn local_now_ms(&self) -> i64 {
        self.inner.clock.now_millis()
    }

    /// Our best estimate of the platform's current time.
    fn platform_now_ms(&self) -> i64 {
        self.local_now_ms() + self.clock_skew_ms()
    }
}
