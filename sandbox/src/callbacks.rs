//! Outbound notifications (3.2.15 activation, 3.2.16 usage, 3.2.17 eSIM status) to the URLs
//! partners register, with retries and a delivery log.
//!
//! * 3.2.15 and 3.2.16 are POSTed to the registered `url` itself.
//! * 3.2.17 is POSTed to `<esim_url or url>/gsma/rsp2/es2plus/handleDownloadProgressInfo`
//!   (the suffix is not added again when the URL already ends with it).
//!
//! Headers as in the spec's examples: `Content-Type: application/json;charset=UTF-8`,
//! `Accept: application/json, application/*+json`, the Apache HttpClient user agent, and
//! WSSE (`Authorization` + `X-WSSE`) signed with the receiving channel's own app key and
//! secret over real time. A delivery is acknowledged by HTTP 200 with a body whose `code` is
//! all zeros (3.2.15/3.2.16) or whose `header.functionExecutionStatus.status` is
//! `Executed-Success` (3.2.17). Otherwise it is retried with exponential backoff (base
//! doubling, capped at 60 s) up to `max_attempts` attempts. Each event is delivered by its
//! own task, so events may arrive out of order when one is retried; the notifications of
//! one eSIM action are delivered in order.

use crate::auth::Credentials;
use crate::clock::real_now;
use crate::state::{ChannelId, Event};
use bytes::Bytes;
use cmi_core::{NonceSource, OsNonce};
use http_body_util::{BodyExt, Full};
use hyper::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::watch;

/// The path 3.2.17 is delivered to, under the eSIM base URL.
pub const ESIM_PATH: &str = "/gsma/rsp2/es2plus/handleDownloadProgressInfo";

/// Log entries kept.
const LOG_LIMIT: usize = 1000;

/// Where a channel wants its notifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    /// URL for 3.2.15 and 3.2.16 (plain `http://`).
    pub url: String,
    /// Base URL for 3.2.17; `url` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub esim_url: Option<String>,
}

/// State of one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Not acknowledged yet; attempts continue.
    Pending,
    /// Acknowledged.
    Delivered,
    /// Given up after the last attempt.
    Failed,
}

/// One notification and what happened to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    /// Id, increasing.
    pub id: u64,
    /// `activation` (3.2.15), `usage` (3.2.16) or `esim_status` (3.2.17).
    pub kind: String,
    /// Target URL.
    pub url: String,
    /// The JSON body sent.
    pub body: Value,
    /// Outcome so far.
    pub state: DeliveryState,
    /// Attempts made.
    pub attempts: u32,
    /// HTTP status of the last attempt.
    pub last_status: Option<u16>,
    /// Transport error or refusal reason of the last attempt.
    pub last_error: Option<String>,
}

/// Retry policy.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts in all (≥ 1).
    pub max_attempts: u32,
    /// Wait after the first failure; doubles each time, capped at 60 s.
    pub backoff: Duration,
}

/// The dispatcher.
pub struct Callbacks {
    regs: Mutex<HashMap<ChannelId, Registration>>,
    log: Mutex<VecDeque<Delivery>>,
    next_id: AtomicU64,
    client: Client<HttpConnector, Full<Bytes>>,
    policy: RetryPolicy,
    /// Channel -> (app key, secret), for signing.
    signers: HashMap<ChannelId, (String, cmi_core::Secret)>,
    shutdown: watch::Receiver<bool>,
    rt: tokio::runtime::Handle,
}

impl std::fmt::Debug for Callbacks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Callbacks").field("policy", &self.policy).finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Callbacks {
    /// A dispatcher signing with `creds`, delivering on the current Tokio runtime (call it
    /// from inside one).
    pub fn new(creds: &Credentials, policy: RetryPolicy, shutdown: watch::Receiver<bool>) -> Self {
        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(Some(Duration::from_secs(5)));
        Self {
            regs: Mutex::new(HashMap::new()),
            log: Mutex::new(VecDeque::new()),
            next_id: AtomicU64::new(0),
            client: Client::builder(TokioExecutor::new()).build(connector),
            policy,
            signers: creds.iter().map(|(k, c)| (c.channel, (k.clone(), c.secret.clone()))).collect(),
            shutdown,
            rt: tokio::runtime::Handle::current(),
        }
    }

    /// Registers (replaces) a channel's URLs. Only `http://` URLs can be delivered to.
    pub fn register(&self, channel: ChannelId, reg: Registration) -> Result<(), String> {
        for u in std::iter::once(&reg.url).chain(reg.esim_url.iter()) {
            let uri: hyper::Uri = u.parse().map_err(|e| format!("bad URL {u:?}: {e}"))?;
            if uri.scheme_str() != Some("http") || uri.host().is_none() {
                return Err(format!("callback URL must be http://host[:port]/path, got {u:?}"));
            }
        }
        lock(&self.regs).insert(channel, reg);
        Ok(())
    }

    /// Removes a channel's URLs.
    pub fn unregister(&self, channel: ChannelId) {
        lock(&self.regs).remove(&channel);
    }

    /// A channel's URLs.
    pub fn registration(&self, channel: ChannelId) -> Option<Registration> {
        lock(&self.regs).get(&channel).cloned()
    }

    /// The delivery log, oldest first.
    pub fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.log).iter().cloned().collect()
    }

    /// Empties the log.
    pub fn clear_log(&self) {
        lock(&self.log).clear();
    }

    fn new_entry(&self, kind: &str, url: &str, body: Value) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        let mut log = lock(&self.log);
        if log.len() >= LOG_LIMIT {
            log.pop_front();
        }
        log.push_back(Delivery {
            id,
            kind: kind.to_owned(),
            url: url.to_owned(),
            body,
            state: DeliveryState::Pending,
            attempts: 0,
            last_status: None,
            last_error: None,
        });
        id
    }

    fn update(&self, id: u64, f: impl FnOnce(&mut Delivery)) {
        if let Some(d) = lock(&self.log).iter_mut().rev().find(|d| d.id == id) {
            f(d);
        }
    }

    /// Queues `events` for delivery (from any thread). Events of channels without a
    /// registration are dropped.
    pub fn dispatch(self: &std::sync::Arc<Self>, events: Vec<Event>) {
        for ev in events {
            let (channel, kind, bodies) = match ev {
                Event::Activation { channel, body } => (channel, "activation", vec![body]),
                Event::Usage { channel, body } => (channel, "usage", vec![body]),
                Event::Esim { channel, bodies } => (channel, "esim_status", bodies),
            };
            let Some(reg) = self.registration(channel) else { continue };
            let url = if kind == "esim_status" {
                let base = reg.esim_url.as_deref().unwrap_or(&reg.url);
                if base.ends_with(ESIM_PATH) {
                    base.to_owned()
                } else {
                    format!("{}{ESIM_PATH}", base.trim_end_matches('/'))
                }
            } else {
                reg.url.clone()
            };
            let jobs: Vec<(u64, Value)> =
                bodies.into_iter().map(|b| (self.new_entry(kind, &url, b.clone()), b)).collect();
            let me = self.clone();
            self.rt.spawn(async move {
                for (id, body) in jobs {
                    me.deliver(id, channel, kind, &url, &body).await;
                }
            });
        }
    }

    async fn deliver(&self, id: u64, channel: ChannelId, kind: &str, url: &str, body: &Value) {
        let payload = Bytes::from(serde_json::to_vec(body).unwrap_or_default());
        let mut shutdown = self.shutdown.clone();
        let mut wait = self.policy.backoff;
        for attempt in 1..=self.policy.max_attempts.max(1) {
            let (status, error) = match self.attempt(channel, kind, url, payload.clone()).await {
                Ok(()) => {
                    self.update(id, |d| {
                        d.attempts = attempt;
                        d.state = DeliveryState::Delivered;
                        d.last_status = Some(200);
                        d.last_error = None;
                    });
                    return;
                }
                Err(e) => e,
            };
            let last = attempt >= self.policy.max_attempts.max(1);
            self.update(id, |d| {
                d.attempts = attempt;
                d.last_status = status;
                d.last_error = Some(error);
                if last {
                    d.state = DeliveryState::Failed;
                }
            });
            if last {
                return;
            }
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = shutdown.changed() => return,
            }
            wait = (wait * 2).min(Duration::from_secs(60));
        }
    }

    async fn attempt(
        &self,
        channel: ChannelId,
        kind: &str,
        url: &str,
        payload: Bytes,
    ) -> Result<(), (Option<u16>, String)> {
        let mut req = hyper::Request::post(url)
            .header(CONTENT_TYPE, "application/json;charset=UTF-8")
            .header(ACCEPT, "application/json, application/*+json")
            .header(USER_AGENT, "Apache-HttpClient/4.5.5 (Java/1.8.0_102)");
        if let Some((key, secret)) = self.signers.get(&channel) {
            let h = cmi_core::wsse::sign(key, secret, &OsNonce.nonce(), &cmi_core::wsse::created(real_now()));
            req = req.header(AUTHORIZATION, h.authorization).header("X-WSSE", h.x_wsse.expose());
        }
        let req = req.body(Full::new(payload)).map_err(|e| (None, format!("bad request: {e}")))?;
        let resp = tokio::time::timeout(Duration::from_secs(10), self.client.request(req))
            .await
            .map_err(|_| (None, "timed out".to_owned()))?
            .map_err(|e| (None, format!("transport: {e}")))?;
        let status = resp.status().as_u16();
        let body = tokio::time::timeout(Duration::from_secs(10), resp.into_body().collect())
            .await
            .map_err(|_| (Some(status), "timed out reading the answer".to_owned()))?
            .map_err(|e| (Some(status), format!("transport: {e}")))?
            .to_bytes();
        if status != 200 {
            return Err((Some(status), format!("HTTP {status}")));
        }
        let v: Value = serde_json::from_slice(&body).map_err(|_| (Some(status), "answer is not JSON".to_owned()))?;
        if acknowledged(kind, &v) {
            Ok(())
        } else {
            Err((Some(status), format!("not acknowledged: {}", truncate(&v.to_string(), 200))))
        }
    }
}

fn truncate(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Whether an answer acknowledges a notification of `kind`.
pub fn acknowledged(kind: &str, answer: &Value) -> bool {
    if kind == "esim_status" {
        answer.pointer("/header/functionExecutionStatus/status").and_then(Value::as_str) == Some("Executed-Success")
    } else {
        match answer.get("code") {
            Some(Value::String(c)) => cmi_core::codes::is_success(c),
            Some(Value::Number(n)) => n.as_u64() == Some(0),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn acknowledgements() {
        assert!(acknowledged("activation", &json!({"code": "0", "msg": "Success"})));
        assert!(acknowledged("usage", &json!({"code": "0000000"})));
        assert!(acknowledged("usage", &json!({"code": 0})));
        assert!(!acknowledged("usage", &json!({"code": "1"})));
        assert!(!acknowledged("usage", &json!({})));
        assert!(acknowledged(
            "esim_status",
            &json!({"header": {"functionExecutionStatus": {"status": "Executed-Success"}}})
        ));
        assert!(!acknowledged("esim_status", &json!({"code": "0"})));
    }
}
