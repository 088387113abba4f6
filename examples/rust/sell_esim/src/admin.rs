//! The simulator's admin API (`/_sandbox/*`, see sandbox/README.md), reached through the
//! SDK's own HTTP transport so the example needs no second HTTP client. It stands in for
//! the world: here, time passing while the traveller uses data.

use cmi_core::reqwest_transport::{ReqwestOptions, ReqwestTransport};
use cmi_core::{HttpRequest, Transport};

/// A sandbox's admin API at `base_url`.
#[derive(Debug, Clone)]
pub struct SandboxAdmin {
    base_url: String,
    transport: ReqwestTransport,
}

impl SandboxAdmin {
    /// The admin API of the sandbox serving `base_url`.
    pub fn new(base_url: &str) -> Result<Self, cmi_core::Error> {
        let transport = ReqwestTransport::new(&ReqwestOptions::default())?;
        Ok(Self { base_url: base_url.trim_end_matches('/').to_owned(), transport })
    }

    /// Whether `base_url` is a sandbox (its health check answers).
    pub async fn is_sandbox(&self) -> bool {
        self.send("GET", "health", Vec::new()).await.is_ok()
    }

    /// Moves the sandbox's business clock forward: bundles activate and cards use data.
    pub async fn advance_days(&self, days: u64) -> Result<serde_json::Value, String> {
        let body = serde_json::json!({ "seconds": days * 86_400 }).to_string().into_bytes();
        self.send("POST", "clock/advance", body).await
    }

    async fn send(&self, method: &'static str, path: &str, body: Vec<u8>) -> Result<serde_json::Value, String> {
        let request = HttpRequest {
            method,
            url: format!("{}/_sandbox/{path}", self.base_url),
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body,
            timeout_ms: 10_000,
        };
        let response = self.transport.send(request).await.map_err(|e| format!("sandbox admin API: {e}"))?;
        if response.status != 200 {
            return Err(format!("sandbox admin API /_sandbox/{path}: HTTP {}", response.status));
        }
        serde_json::from_slice(&response.body).map_err(|e| format!("sandbox admin API /_sandbox/{path}: {e}"))
    }
}
