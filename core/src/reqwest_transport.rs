//! The built-in transport: reqwest with rustls (ring provider) natively, the platform `fetch`
//! on wasm32.

use crate::error::{Error, Result};
use crate::transport::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};
use std::time::Duration;

/// Settings of the built-in transport.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReqwestOptions {
    /// Deadline for establishing a connection (native only; fetch has none).
    pub connect_timeout_ms: u64,
    /// Extra trusted CA certificates, PEM (native only). Verification is never switched off.
    pub extra_ca_pem: Option<String>,
    /// An HTTP(S) proxy for every call (native only).
    pub proxy: Option<String>,
}

impl Default for ReqwestOptions {
    fn default() -> Self {
        Self { connect_timeout_ms: 10_000, extra_ca_pem: None, proxy: None }
    }
}

/// [`Transport`] on reqwest.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// Builds the transport.
    pub fn new(options: &ReqwestOptions) -> Result<Self> {
        Ok(Self { client: build_client(options)? })
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn build_client(options: &ReqwestOptions) -> Result<reqwest::Client> {
    // reqwest is built without a bundled crypto provider; ring is ours. An application that
    // installed its own provider first keeps it.
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    let mut b = reqwest::Client::builder()
        .connect_timeout(Duration::from_millis(options.connect_timeout_ms))
        .pool_idle_timeout(Duration::from_secs(60))
        .tcp_nodelay(true)
        // The client turns a redirect into an error (see `client::call`); following it would
        // re-send the signed request elsewhere.
        .redirect(reqwest::redirect::Policy::none());
    if let Some(pem) = &options.extra_ca_pem {
        for cert in reqwest::Certificate::from_pem_bundle(pem.as_bytes())
            .map_err(|e| Error::config(format!("extra CA bundle is not PEM: {e}")))?
        {
            b = b.add_root_certificate(cert);
        }
    }
    b = match &options.proxy {
        Some(p) => b.proxy(reqwest::Proxy::all(p).map_err(|e| Error::config(format!("proxy: {e}")))?),
        None => b,
    };
    b.build().map_err(|e| Error::config(format!("HTTP client: {e}")))
}

#[cfg(target_arch = "wasm32")]
fn build_client(_options: &ReqwestOptions) -> Result<reqwest::Client> {
    reqwest::Client::builder().build().map_err(|e| Error::config(format!("HTTP client: {e}")))
}

fn classify(e: reqwest::Error) -> TransportError {
    // reqwest's Display names the URL, never headers or body, so it is safe to keep.
    if e.is_timeout() {
        return TransportError::Timeout;
    }
    #[cfg(not(target_arch = "wasm32"))]
    if e.is_connect() {
        return TransportError::Connect(e.without_url().to_string());
    }
    TransportError::Io(e.without_url().to_string())
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let method = reqwest::Method::from_bytes(request.method.as_bytes())
                .map_err(|_| TransportError::Io("bad method".into()))?;
            let mut b = self.client.request(method, &request.url).timeout(Duration::from_millis(request.timeout_ms));
            for (k, v) in &request.headers {
                b = b.header(k.as_str(), v.as_str());
            }
            let resp = b.body(request.body).send().await.map_err(classify)?;
            let status = resp.status().as_u16();
            let headers = resp
                .headers()
                .iter()
                .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_owned(), v.to_owned())))
                .collect();
            let body = resp.bytes().await.map_err(classify)?.to_vec();
            Ok(HttpResponse { status, headers, body })
        })
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn sleep(&self, millis: u64) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep(Duration::from_millis(millis)))
    }

    #[cfg(target_arch = "wasm32")]
    fn sleep(&self, millis: u64) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            let promise = js_sys::Promise::new(&mut |resolve, _reject| {
                let global = js_sys::global();
                let set_timeout = js_sys::Reflect::get(&global, &"setTimeout".into())
                    .ok()
                    .and_then(|f| wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok());
                match set_timeout {
                    Some(f) => {
                        let _ = f.call2(&global, &resolve, &(millis as f64).into());
                    }
                    None => {
                        let _ = resolve.call0(&global);
                    }
                }
            });
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        })
    }
}
