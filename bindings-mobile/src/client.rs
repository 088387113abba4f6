//! `CmiClient`: the SDK client as a uniffi object. Every method is `suspend` in Kotlin and
//! `async throws` in Swift; the futures run on a tokio runtime (uniffi's `tokio` support),
//! which the built-in reqwest transport needs.

use crate::error::CmiError;
use crate::transport::{ForeignTransport, HttpTransport};
use cmi_core::{Client, Config, Secret};
use std::sync::Arc;

/// Optional settings; every field has the core's default.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ClientOptions {
    /// Deadline for establishing a connection (built-in transport).
    #[uniffi(default = 10000)]
    pub connect_timeout_ms: u64,
    /// Deadline of one HTTP attempt.
    #[uniffi(default = 30000)]
    pub attempt_timeout_ms: u64,
    /// Deadline of a whole call, retries and token refresh included.
    #[uniffi(default = 60000)]
    pub total_timeout_ms: u64,
    /// How many times a retryable failure of a query is retried.
    #[uniffi(default = 2)]
    pub max_retries: u32,
    /// Permit plain `http://` to hosts other than loopback (never in production).
    #[uniffi(default = false)]
    pub allow_insecure_http: bool,
    /// An HTTP(S) proxy for every call (built-in transport).
    #[uniffi(default = None)]
    pub proxy: Option<String>,
    /// Extra trusted CA certificates, PEM (built-in transport).
    #[uniffi(default = None)]
    pub extra_ca_pem: Option<String>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout_ms: 10_000,
            attempt_timeout_ms: 30_000,
            total_timeout_ms: 60_000,
            max_retries: 2,
            allow_insecure_http: false,
            proxy: None,
            extra_ca_pem: None,
        }
    }
}

/// The CMI Global Data Card Platform client. Share one per app: it caches the access token
/// and keeps connections.
#[derive(uniffi::Object)]
pub struct CmiClient {
    pub(crate) inner: Client,
}

fn build(
    mut config: Config,
    options: Option<ClientOptions>,
    transport: Option<Arc<dyn HttpTransport>>,
) -> Result<Arc<CmiClient>, CmiError> {
    let o = options.unwrap_or_default();
    config.connect_timeout_ms = o.connect_timeout_ms;
    config.attempt_timeout_ms = o.attempt_timeout_ms;
    config.total_timeout_ms = o.total_timeout_ms;
    config.max_retries = o.max_retries;
    config.allow_insecure_http = o.allow_insecure_http;
    config.proxy = o.proxy;
    config.extra_ca_pem = o.extra_ca_pem;
    config.binding = "mobile".to_owned();
    let mut builder = Client::builder(config);
    if let Some(t) = transport {
        builder = builder.transport(ForeignTransport(t));
    }
    Ok(Arc::new(CmiClient { inner: builder.build()? }))
}

#[uniffi::export]
impl CmiClient {
    /// A client for `baseUrl` (`https://host:port`) with the app key and secret. Without a
    /// `transport` it uses the built-in one (reqwest with rustls).
    #[uniffi::constructor(default(options = None, transport = None))]
    pub fn new(
        base_url: String,
        app_key: String,
        app_secret: String,
        options: Option<ClientOptions>,
        transport: Option<Arc<dyn HttpTransport>>,
    ) -> Result<Arc<Self>, CmiError> {
        build(Config::new(base_url, app_key, Secret::new(app_secret)), options, transport)
    }

    /// A client from `CMI_BASE_URL`, `CMI_APP_KEY`, `CMI_APP_SECRET` (and the optional
    /// `CMI_TIMEOUT_MS`, `CMI_MAX_RETRIES`) of the process environment.
    #[uniffi::constructor(default(transport = None))]
    pub fn from_env(transport: Option<Arc<dyn HttpTransport>>) -> Result<Arc<Self>, CmiError> {
        let config = Config::from_env()?;
        let options = ClientOptions {
            attempt_timeout_ms: config.attempt_timeout_ms,
            total_timeout_ms: config.total_timeout_ms,
            max_retries: config.max_retries,
            ..ClientOptions::default()
        };
        build(config, Some(options), transport)
    }

    /// How many access tokens this client has requested (diagnostics).
    pub fn token_requests(&self) -> u64 {
        self.inner.token_requests()
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl CmiClient {
    /// Sends `operation` (any spelling: `queryQuota`, `query_quota`) with a JSON body in
    /// the platform's wire field names and returns the answer as wire JSON. The typed methods
    /// are the normal route; this one is for diagnostics and for fields an older SDK lacks.
    pub async fn call_json(&self, operation: String, body_json: String) -> Result<String, CmiError> {
        let body = serde_json::from_str(&body_json)
            .map_err(|e| cmi_core::Error::validation("(body)", format!("not JSON: {e}")))?;
        let answer = self.inner.call_json(&operation, body).await?;
        Ok(answer.to_string())
    }

    /// Forgets the cached access token; the next call fetches a new one.
    pub async fn invalidate_token(&self) {
        self.inner.invalidate_token().await
    }
}
