//! Test helpers: a hand-written signing client over real loopback HTTP (cmi_core::wsse, not
//! the SDK client) and a tiny callback receiver.
#![allow(dead_code)]

use bytes::Bytes;
use cmi_core::wsse::{created, sign};
use cmi_core::{NonceSource, OsNonce, Secret};
use cmi_sandbox::{SandboxHandle, ops};
use http_body_util::{BodyExt, Full};
use hyper::HeaderMap;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_owned()
    }
}

/// A client signing every request with fresh WSSE headers.
pub struct Client {
    pub base: String,
    pub key: String,
    pub secret: Secret,
    pub token: Option<String>,
    http: HyperClient<HttpConnector, Full<Bytes>>,
}

impl Client {
    pub fn new(sb: &SandboxHandle) -> Self {
        Self::with(&sb.base_url(), sb.app_key(), sb.app_secret())
    }

    pub fn with(base: &str, key: &str, secret: &str) -> Self {
        Self {
            base: base.to_owned(),
            key: key.to_owned(),
            secret: Secret::new(secret),
            token: None,
            http: HyperClient::builder(TokioExecutor::new()).build(HttpConnector::new()),
        }
    }

    /// Fresh WSSE headers created at `unix`.
    pub fn wsse_at(&self, unix: i64) -> Vec<(&'static str, String)> {
        let h = sign(&self.key, &self.secret, &OsNonce.nonce(), &created(unix));
        vec![("Authorization", h.authorization.to_owned()), ("X-WSSE", h.x_wsse.expose().to_owned())]
    }

    pub async fn raw(&self, method: &str, path: &str, headers: &[(&str, String)], body: Vec<u8>) -> Resp {
        let mut req = hyper::Request::builder().method(method).uri(format!("{}{}", self.base, path));
        req = req.header("Content-Type", "application/json").header("Accept", "application/json");
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        let resp = self.http.request(req.body(Full::new(Bytes::from(body))).unwrap()).await.expect("HTTP");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp.into_body().collect().await.expect("body").to_bytes();
        Resp { status, headers, body }
    }

    /// POST /aep/<path> signed now, body as given (no token added).
    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        let h = self.wsse_at(unix_now());
        self.raw("POST", &format!("/aep/{path}"), &h, serde_json::to_vec(body).unwrap()).await
    }

    /// 3.2.1; keeps the token.
    pub async fn login(&mut self) -> Value {
        let r = self.post("APP_getAccessToken_SBO/v1", &json!({"id": self.key, "type": "106"})).await;
        let v = r.json();
        assert_eq!(v["code"], "0000000", "{v}");
        self.token = v["accessToken"].as_str().map(str::to_owned);
        v
    }

    /// Calls an operation by canonical name with the token added (logging in first).
    pub async fn op(&mut self, name: &str, body: Value) -> Value {
        self.op_resp(name, body).await.json()
    }

    pub async fn op_resp(&mut self, name: &str, mut body: Value) -> Resp {
        if self.token.is_none() {
            self.login().await;
        }
        if let Some(o) = body.as_object_mut() {
            o.insert("accessToken".into(), json!(self.token));
        }
        let path = ops::OPS[ops::by_name(name).expect("operation")].path;
        self.post(path, &body).await
    }

    pub async fn admin_get(&self, path: &str) -> Value {
        self.raw("GET", &format!("/_sandbox/{path}"), &[], Vec::new()).await.json()
    }

    pub async fn admin_post(&self, path: &str, body: Value) -> Resp {
        self.raw("POST", &format!("/_sandbox/{path}"), &[], serde_json::to_vec(&body).unwrap()).await
    }
}

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Value,
}

/// A callback receiver on loopback that refuses (HTTP 500) the first `fail_first` requests
/// and acknowledges the rest as the spec says.
pub struct Receiver {
    pub url: String,
    pub got: Arc<Mutex<Vec<Received>>>,
    pub attempts: Arc<Mutex<u32>>,
}

impl Receiver {
    pub async fn start(fail_first: u32) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/cmi/notify", listener.local_addr().unwrap());
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let attempts: Arc<Mutex<u32>> = Arc::default();
        let (g, a) = (got.clone(), attempts.clone());
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let (g, a) = (g.clone(), a.clone());
                tokio::spawn(async move {
                    let svc = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                        let (g, a) = (g.clone(), a.clone());
                        async move {
                            let path = req.uri().path().to_owned();
                            let headers = req.headers().clone();
                            let body = req.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
                            let n = {
                                let mut a = a.lock().unwrap();
                                *a += 1;
                                *a
                            };
                            let (status, answer) = if n <= fail_first {
                                (500, json!({"error": "try again"}))
                            } else {
                                let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                                let ack = if path.ends_with("/handleDownloadProgressInfo") {
                                    json!({"header": {"functionExecutionStatus": {"status": "Executed-Success",
                                        "statusCodeData": {"subjectCode": "0", "reasonCode": "0", "message": "success"}},
                                        "iccid": body["iccid"]}})
                                } else {
                                    json!({"code": "0", "msg": "Success", "description": "Success"})
                                };
                                g.lock().unwrap().push(Received { path, headers, body });
                                (200, ack)
                            };
                            let mut r = hyper::Response::new(Full::new(Bytes::from(answer.to_string())));
                            *r.status_mut() = hyper::StatusCode::from_u16(status).unwrap();
                            Ok::<_, std::convert::Infallible>(r)
                        }
                    });
                    let _ =
                        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), svc).await;
                });
            }
        });
        Self { url, got, attempts }
    }

    pub fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Waits until `pred` holds on what was received (up to 10 s).
    pub async fn wait_for(&self, pred: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        for _ in 0..200 {
            let r = self.received();
            if pred(&r) {
                return r;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("timed out waiting; got {:#?}", self.received());
    }
}

/// Business time the test sandboxes start at: 2025-06-10T12:00:00Z (mid-day, mid-month).
pub fn test_start() -> i64 {
    cmi_core::datetime::DateTime::parse("20250610120000").map(|d| d.unix_seconds()).unwrap_or(0)
}

/// A sandbox with fast callback retries, its business clock pinned to [`test_start`].
pub async fn sandbox() -> SandboxHandle {
    cmi_sandbox::Sandbox::builder()
        .callback_retry(8, Duration::from_millis(50))
        .start_at(test_start())
        .start()
        .await
        .expect("start")
}

/// POSTs over a raw TCP socket and returns every byte the server sent before closing.
pub async fn raw_tcp_post(url: &str, headers: &[(&str, String)], body: &[u8]) -> Vec<u8> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut s = tokio::net::TcpStream::connect(host).await.expect("connect");
    let mut req = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
    out
}
