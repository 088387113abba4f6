//! The foreign-implementable HTTP transport: an app routes the SDK's calls through OkHttp or
//! URLSession (its own proxies, certificate pinning, metrics) by implementing
//! [`HttpTransport`]. Without one the client uses the core's reqwest (rustls) transport.

use cmi_core::TransportError as CoreTransportError;
use cmi_core::transport::{BoxFuture, HttpRequest as CoreRequest, HttpResponse as CoreResponse};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// One header.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpHeader {
    /// Header name.
    pub name: String,
    /// Header value.
    pub value: String,
}

/// One request to send. An object rather than a record so that its `toString()` /
/// `description` cannot print the `X-WSSE` header or the body, which carry the digest,
/// nonce and access token.
#[derive(uniffi::Object)]
#[uniffi::export(Display)]
pub struct HttpRequest {
    inner: CoreRequest,
}

#[uniffi::export]
impl HttpRequest {
    /// Always `POST` for this API.
    pub fn method(&self) -> String {
        self.inner.method.to_owned()
    }
    /// Absolute URL.
    pub fn url(&self) -> String {
        self.inner.url.clone()
    }
    /// Header names and values (send them all; `X-WSSE` carries the signature).
    pub fn headers(&self) -> Vec<HttpHeader> {
        self.inner.headers.iter().map(|(n, v)| HttpHeader { name: n.clone(), value: v.clone() }).collect()
    }
    /// The JSON body.
    pub fn body(&self) -> Vec<u8> {
        self.inner.body.clone()
    }
    /// The deadline of this attempt, in milliseconds; the SDK also enforces it.
    pub fn timeout_ms(&self) -> u64 {
        self.inner.timeout_ms
    }
}

impl fmt::Display for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The core's Debug hides X-WSSE and the body.
        write!(f, "{:?}", self.inner)
    }
}

/// One response, whatever its status. A redirect is returned as it came (turn off the HTTP
/// stack's redirect following, e.g. OkHttp's `followRedirects(false)`): the SDK makes a 3xx a
/// configuration error rather than re-sending a signed request elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Header names and values.
    pub headers: Vec<HttpHeader>,
    /// The body.
    pub body: Vec<u8>,
}

/// Why a request got no HTTP response (Kotlin `TransportException`, Swift `TransportError`).
/// Any other exception a transport throws reads as `Io`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
pub enum TransportError {
    /// The connection could not be established.
    Connect {
        /// What failed.
        reason: String,
    },
    /// Connecting took longer than the connect deadline.
    ConnectTimeout,
    /// The attempt took longer than its deadline.
    Timeout,
    /// The connection broke, or another I/O failure.
    Io {
        /// What failed.
        reason: String,
    },
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", CoreTransportError::from(self.clone()))
    }
}

impl std::error::Error for TransportError {}

impl From<uniffi::UnexpectedUniFFICallbackError> for TransportError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Io { reason: e.reason }
    }
}

impl From<TransportError> for CoreTransportError {
    fn from(e: TransportError) -> Self {
        match e {
            TransportError::Connect { reason } => Self::Connect(reason),
            TransportError::ConnectTimeout => Self::ConnectTimeout,
            TransportError::Timeout => Self::Timeout,
            TransportError::Io { reason } => Self::Io(reason),
        }
    }
}

/// Sends the SDK's HTTP requests; implement it in Kotlin or Swift to use the app's HTTP
/// stack. Return every response whatever its status (the SDK reads non-2xx itself); throw
/// a `TransportError` only when no response arrived.
#[uniffi::export(with_foreign)]
#[async_trait::async_trait]
pub trait HttpTransport: Send + Sync {
    /// Sends one request.
    async fn send(&self, request: Arc<HttpRequest>) -> Result<HttpResponse, TransportError>;
}

/// Adapts a foreign [`HttpTransport`] to the core's `Transport`. It enforces the attempt
/// deadline itself (a foreign stack may not) and provides the timer for retry back-off.
pub(crate) struct ForeignTransport(pub(crate) Arc<dyn HttpTransport>);

impl cmi_core::Transport for ForeignTransport {
    fn send(&self, request: CoreRequest) -> BoxFuture<'_, Result<CoreResponse, CoreTransportError>> {
        Box::pin(async move {
            let deadline = Duration::from_millis(request.timeout_ms.max(1));
            let request = Arc::new(HttpRequest { inner: request });
            match tokio::time::timeout(deadline, self.0.send(request)).await {
                Err(_) => Err(CoreTransportError::Timeout),
                Ok(Err(e)) => Err(e.into()),
                Ok(Ok(r)) => Ok(CoreResponse {
                    status: r.status,
                    headers: r.headers.into_iter().map(|h| (h.name, h.value)).collect(),
                    body: r.body,
                }),
            }
        })
    }

    fn sleep(&self, millis: u64) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep(Duration::from_millis(millis)))
    }
}
