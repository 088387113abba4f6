//! # cmi-sandbox
//!
//! A stateful HTTP simulator of the CMI / CMLink Global Data Card Platform API V4.2 for
//! tests and demos. It serves the 22 outbound interfaces at their exact paths
//! (`POST /aep/<path>`) with the spec's authentication (WSSE + access token), return codes,
//! business rules and a deterministic demo dataset ([`demo`]); simulated time that an admin
//! call advances (activations, usage, expiry); partner callbacks (3.2.15-3.2.17) with
//! retries; and faults on demand. It works on `serde_json::Value`, independent of the SDK's
//! typed models, so it referees the wire format.
//!
//! ```no_run
//! # async fn demo() -> Result<(), cmi_sandbox::Error> {
//! use cmi_sandbox::{Fault, Sandbox};
//! let sb = Sandbox::builder().start().await?;
//! println!("{}", sb.base_url()); // http://127.0.0.1:PORT
//! sb.fault(Fault::http_status(503).on("create_order").times(1))?;
//! sb.advance_clock(std::time::Duration::from_secs(3 * 86_400));
//! sb.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Choices where the spec is ambiguous are documented on the modules: [`clock`] (two
//! clocks), [`auth`] (WSSE order and HTTP 401), [`callbacks`] (URLs, acknowledgement,
//! retries), [`faults`] (JSON forms), [`quota`] (usage model), [`admin`] (routes).
#![warn(missing_docs)]

pub mod admin;
pub mod auth;
pub mod callbacks;
pub mod clock;
pub mod dataset;
pub mod error;
pub mod faults;
pub mod handlers;
pub mod ops;
pub mod qps;
pub mod quota;
pub mod req;
pub mod server;
pub mod shapes;
pub mod state;

pub use admin::{AdvanceReport, CardView, DepositView, OrderView, StateSnapshot, Stats, SubscriptionView};
pub use callbacks::{Delivery, DeliveryState, Registration};
pub use dataset::demo;
pub use faults::{Fault, FaultKind, Phase, ShapeVariant, StoredFault};
pub use handlers::esim::EsimAction;
pub use qps::PolicyView;

use auth::{Credential, Credentials, NonceCache, Tokens};
use callbacks::{Callbacks, RetryPolicy};
use cmi_core::{NonceSource, OsNonce};
use serde_json::Value;
use server::{AuthState, Config, Counters, Shared, lock};
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// App key of the demo channel (fixed, documented, the same in every binding's tests).
pub const DEMO_APP_KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
/// App secret of the demo channel.
pub const DEMO_APP_SECRET: &str = "demo-secret-7Hq2Lx9Vn4Rb";
/// App key of a second channel, owner of [`demo::ICCID_FOREIGN`].
pub const OTHER_APP_KEY: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
/// App secret of the second channel.
pub const OTHER_APP_SECRET: &str = "other-secret-3Kp8Wz5Mc1Td";

/// Errors of the Rust API.
#[derive(Debug)]
pub enum Error {
    /// Binding or serving failed.
    Io(std::io::Error),
    /// An argument was refused (unknown ICCID, bad URL, unknown operation, ...).
    Invalid(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => write!(f, "sandbox I/O error: {e}"),
            Self::Invalid(m) => write!(f, "sandbox: {m}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io(e) => Some(e),
            Self::Invalid(_) => None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
}

/// Result of the Rust API.
pub type Result<T> = std::result::Result<T, Error>;

/// Entry point: `Sandbox::builder()...start().await`.
#[derive(Debug)]
pub struct Sandbox;

impl Sandbox {
    /// A builder with the defaults: free port on 127.0.0.1, token TTL 10 minutes, WSSE
    /// window ±10 minutes, seed 0, demo deposit USD 1,000.00, nonce cache of 262,144,
    /// callbacks retried up to 8 times from a 1 s backoff.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }
}

/// Options of a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxBuilder {
    port: u16,
    token_ttl: Duration,
    wsse_window: Duration,
    seed: u64,
    nonce_capacity: usize,
    callback_attempts: u32,
    callback_backoff: Duration,
    start_at: Option<i64>,
    deposit_cents: i64,
    policy: PolicyView,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        Self {
            port: 0,
            token_ttl: Duration::from_secs(600),
            wsse_window: Duration::from_secs(600),
            seed: 0,
            nonce_capacity: 262_144,
            callback_attempts: 8,
            callback_backoff: Duration::from_secs(1),
            start_at: None,
            deposit_cents: dataset::DEMO_DEPOSIT_CENTS,
            policy: PolicyView::default(),
        }
    }
}

impl SandboxBuilder {
    /// Port on 127.0.0.1; 0 (default) picks a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }
    /// Lifetime of access tokens (default 10 minutes; whole seconds, at least 1).
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }
    /// Accepted distance of WSSE `Created` from the sandbox clock (default 10 minutes).
    pub fn wsse_window(mut self, window: Duration) -> Self {
        self.wsse_window = window;
        self
    }
    /// Seed of generated values (order ids, usage rates). Default 0.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Size of the nonce replay cache (default 262,144).
    pub fn nonce_capacity(mut self, n: usize) -> Self {
        self.nonce_capacity = n;
        self
    }
    /// Callback delivery attempts (default 8) and first backoff (default 1 s, doubling).
    pub fn callback_retry(mut self, attempts: u32, backoff: Duration) -> Self {
        self.callback_attempts = attempts.max(1);
        self.callback_backoff = backoff;
        self
    }
    /// Starts the business clock at this Unix time instead of now (it then runs in real
    /// time from there).
    pub fn start_at(mut self, unix_seconds: i64) -> Self {
        self.start_at = Some(unix_seconds);
        self
    }

    /// The demo channel's deposit at start (default USD 1,000.00 = 100000 cents); kept by
    /// `reset`.
    pub fn deposit_cents(mut self, cents: i64) -> Self {
        self.deposit_cents = cents;
        self
    }

    /// Revoke-on-reissue: a newly issued token revokes the older ones of its credential
    /// (their next use answers `1000008`). Off by default.
    pub fn revoke_on_reissue(mut self, on: bool) -> Self {
        self.policy.revoke_on_reissue = on;
        self
    }

    /// Refuses with `9000004` a call of a credential that already had `per_second` accepted
    /// calls within the last second (0 = no limit, the default).
    pub fn qps_limit(mut self, per_second: u32) -> Self {
        self.policy.qps_limit = (per_second > 0).then_some(per_second);
        self
    }

    /// Builds the dataset, binds 127.0.0.1 and serves on the current Tokio runtime.
    pub async fn start(self) -> Result<SandboxHandle> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await?;
        let addr = listener.local_addr()?;
        let cfg = Config {
            token_ttl: self.token_ttl.as_secs().max(1) as i64,
            wsse_window: self.wsse_window.as_secs() as i64,
            seed: self.seed,
            demo_key: DEMO_APP_KEY.into(),
            demo_secret: DEMO_APP_SECRET.into(),
            other_key: OTHER_APP_KEY.into(),
            other_secret: OTHER_APP_SECRET.into(),
            deposit_cents: self.deposit_cents,
        };
        let offset = self.start_at.map(|t| t - clock::real_now()).unwrap_or(0);
        let clock = clock::SimClock::new(offset);
        let world = cfg.build_world(clock.now());
        let creds: Credentials = world
            .channels
            .iter()
            .enumerate()
            .map(|(i, c)| {
                (c.app_key.clone(), Credential { channel: i, secret: c.secret.clone(), user_id: c.user_id.clone() })
            })
            .collect();
        let mut key = [0u8; 32];
        for chunk in key.chunks_mut(16) {
            let hex = OsNonce.nonce();
            for (i, b) in chunk.iter_mut().enumerate() {
                *b = u8::from_str_radix(hex.get(i * 2..i * 2 + 2).unwrap_or("00"), 16).unwrap_or(0);
            }
        }
        let (tx, rx) = watch::channel(false);
        let policy = RetryPolicy { max_attempts: self.callback_attempts, backoff: self.callback_backoff };
        let shared = Arc::new(Shared {
            callbacks: Arc::new(Callbacks::new(&creds, policy, rx)),
            cfg,
            clock,
            creds,
            auth: Mutex::new(AuthState { nonces: NonceCache::new(self.nonce_capacity), tokens: Tokens::new(key) }),
            world: Mutex::new(world),
            faults: Mutex::new(Default::default()),
            any_fault: Default::default(),
            counters: Counters::default(),
            policy: qps::Policy::new(self.policy),
            qps: Mutex::new(Default::default()),
            shutdown: tx,
        });
        let task = tokio::spawn(server::run(listener, shared.clone()));
        tracing::info!("cmi-sandbox listening on http://{addr}");
        Ok(SandboxHandle { shared, addr, task: Some(task) })
    }
}

/// A running sandbox. Dropping it stops the server.
pub struct SandboxHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxHandle").field("addr", &self.addr).finish_non_exhaustive()
    }
}

impl SandboxHandle {
    /// `http://127.0.0.1:PORT` (the client appends `/aep/...`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// The bound port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }
    /// The demo channel's app key ([`DEMO_APP_KEY`]).
    pub fn app_key(&self) -> &str {
        &self.shared.cfg.demo_key
    }
    /// The demo channel's app secret ([`DEMO_APP_SECRET`]).
    pub fn app_secret(&self) -> &str {
        &self.shared.cfg.demo_secret
    }
    /// The three shell-ready lines `CMI_BASE_URL=…`, `CMI_APP_KEY=…`, `CMI_APP_SECRET=…`.
    pub fn env_lines(&self) -> String {
        format!(
            "CMI_BASE_URL={}\nCMI_APP_KEY={}\nCMI_APP_SECRET={}\n",
            self.base_url(),
            self.app_key(),
            self.app_secret()
        )
    }

    /// Adds a fault; returns its id (0 for `expire_tokens`, which acts at once).
    pub fn fault(&self, fault: Fault) -> Result<u64> {
        admin::add_fault(&self.shared, fault).map_err(Error::Invalid)
    }
    /// Removes every fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
        self.shared.any_fault.store(false, std::sync::atomic::Ordering::Relaxed);
    }
    /// The active faults with their remaining counts.
    pub fn faults(&self) -> Vec<StoredFault> {
        lock(&self.shared.faults).list()
    }
    /// Expires every access token issued so far.
    pub fn expire_tokens(&self) {
        admin::expire_tokens(&self.shared)
    }

    /// Moves the business clock forward (whole seconds): bundles activate (mode 2/3 on the
    /// location update every attached card makes, mode 1 on their designated date), usage
    /// accrues and is notified (3.2.16), bundles expire.
    pub fn advance_clock(&self, by: Duration) -> AdvanceReport {
        admin::advance(&self.shared, by.as_secs().min(admin::MAX_ADVANCE_SECONDS as u64) as i64)
    }
    /// Business time, Unix seconds.
    pub fn now(&self) -> i64 {
        self.shared.clock.now()
    }

    /// Registers the demo channel's callback URL (3.2.15, 3.2.16, and 3.2.17 under
    /// `/gsma/rsp2/es2plus/handleDownloadProgressInfo`). Plain `http://` only.
    pub fn register_callback_url(&self, url: &str) -> Result<()> {
        self.register_callbacks(DEMO_APP_KEY, Registration { url: url.to_owned(), esim_url: None })
    }
    /// Registers the demo channel's URLs with a separate eSIM base URL.
    pub fn register_callback_urls(&self, url: &str, esim_url: &str) -> Result<()> {
        self.register_callbacks(DEMO_APP_KEY, Registration { url: url.to_owned(), esim_url: Some(esim_url.to_owned()) })
    }
    /// Registers the URLs of any channel by app key.
    pub fn register_callbacks(&self, app_key: &str, reg: Registration) -> Result<()> {
        let ch = admin::channel_of(&self.shared, Some(app_key)).map_err(Error::Invalid)?;
        self.shared.callbacks.register(ch, reg).map_err(Error::Invalid)
    }
    /// The delivery log, oldest first (the last 1000).
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.callbacks.deliveries()
    }

    /// A card's location update to `mcc`; returns how many bundles it activated.
    pub fn set_location(&self, iccid: &str, mcc: &str) -> Result<usize> {
        admin::set_location(&self.shared, iccid, mcc).map_err(Error::Invalid)
    }
    /// A simulated eSIM device action; returns the 3.2.17 bodies queued.
    pub fn esim_action(&self, iccid: &str, action: EsimAction) -> Result<Vec<Value>> {
        admin::esim(&self.shared, iccid, action, None, None).map_err(Error::Invalid)
    }
    /// Sets the demo channel's deposit, cents.
    pub fn set_deposit(&self, cents: i64) -> DepositView {
        admin::set_deposit(&self.shared, 0, cents)
    }

    /// The fleet switches now (revoke-on-reissue, QPS limit).
    pub fn policy(&self) -> PolicyView {
        self.shared.policy.view()
    }
    /// Replaces the fleet switches while serving.
    pub fn set_policy(&self, policy: PolicyView) {
        self.shared.policy.set(policy)
    }

    /// Call counters.
    pub fn stats(&self) -> Stats {
        admin::stats(&self.shared)
    }
    /// The state view: deposit, cards, orders.
    pub fn state(&self) -> StateSnapshot {
        admin::snapshot(&self.shared)
    }
    /// Back to the start state (registrations and policy kept).
    pub fn reset(&self) {
        admin::reset(&self.shared)
    }

    /// Stops the server and pending callback retries.
    pub async fn shutdown(mut self) {
        let _ = self.shared.shutdown.send(true);
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        let _ = self.shared.shutdown.send(true);
    }
}

/// Serves until Ctrl-C: prints the three shell-ready lines (`CMI_BASE_URL=…`,
/// `CMI_APP_KEY=…`, `CMI_APP_SECRET=…`) first on stdout, then blocks. For `cmi sandbox
/// [--port N]`.
pub async fn serve_forever(builder: SandboxBuilder) -> Result<()> {
    use std::io::Write as _;
    let sb = builder.start().await?;
    {
        let mut out = std::io::stdout().lock();
        out.write_all(sb.env_lines().as_bytes())?;
        out.flush()?;
    }
    tokio::signal::ctrl_c().await?;
    sb.shutdown().await;
    Ok(())
}
