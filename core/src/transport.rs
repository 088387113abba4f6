//! The HTTP boundary: plain request and response values and an async [`Transport`] trait.
//!
//! Bindings plug in their platform's HTTP stack (fetch, OkHttp, URLSession) or a test double;
//! the core never names a runtime. On native targets futures are `Send` so a client can be
//! shared across threads; on wasm32 they are not, because JavaScript values are not.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// `Send` on native targets, nothing on wasm32.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + ?Sized> MaybeSend for T {}
/// `Send` on native targets, nothing on wasm32.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSend for T {}

/// `Sync` on native targets, nothing on wasm32.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSync: Sync {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Sync + ?Sized> MaybeSync for T {}
/// `Sync` on native targets, nothing on wasm32.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSync {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSync for T {}

/// A boxed future, `Send` on native targets.
#[cfg(not(target_arch = "wasm32"))]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
/// A boxed future, `Send` on native targets.
#[cfg(target_arch = "wasm32")]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// One HTTP request. `Debug` hides the `X-WSSE` header and the body, which carry the digest,
/// nonce and access token.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Always `POST` for this API.
    pub method: &'static str,
    /// Absolute URL.
    pub url: String,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: Vec<u8>,
    /// The deadline of this attempt, in milliseconds.
    pub timeout_ms: u64,
}

impl HttpRequest {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| if k.eq_ignore_ascii_case("x-wsse") { (k.as_str(), "***") } else { (k.as_str(), v.as_str()) })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

/// One HTTP response.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// Finds a header case-insensitively.
pub fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// Why a request got no HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// The connection could not be established.
    Connect(String),
    /// Connecting took longer than the connect deadline.
    ConnectTimeout,
    /// The attempt took longer than its deadline.
    Timeout,
    /// The connection broke, or another I/O failure.
    Io(String),
    /// The platform answered with a redirect, which a transport must not follow (a signed
    /// request re-sent elsewhere); for an HTTP stack that reports the redirect without its
    /// status. One that hands back the 3xx response needs no variant: the client reads it.
    Redirect,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Connect(m) => write!(f, "cannot connect: {m}"),
            Self::ConnectTimeout => f.write_str("connect timeout"),
            Self::Timeout => f.write_str("timeout"),
            Self::Io(m) => write!(f, "I/O: {m}"),
            Self::Redirect => f.write_str("redirect (not followed)"),
        }
    }
}

impl std::error::Error for TransportError {}

/// Sends HTTP requests. Implement it to route calls through your own HTTP stack.
///
/// The implementation enforces `request.timeout_ms` and its own connect deadline, and never
/// logs the `X-WSSE` header or the body.
pub trait Transport: MaybeSend + MaybeSync + 'static {
    /// Sends one request and returns the response, whatever its status.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;

    /// Waits `millis` milliseconds; used between retries. The default does not wait, for
    /// transports without a timer.
    fn sleep(&self, millis: u64) -> BoxFuture<'_, ()> {
        let _ = millis;
        Box::pin(async {})
    }
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        (**self).send(request)
    }
    fn sleep(&self, millis: u64) -> BoxFuture<'_, ()> {
        (**self).sleep(millis)
    }
}
