//! The client over real loopback HTTP against a scripted server: token single flight,
//! refresh-once on 1000008, skew correction on 1000004, retries, fresh nonces, and that no
//! secret reaches Debug output or errors.

#[path = "support/mini_server.rs"]
mod mini_server;

use cmi_core::error::Result as CmiResult;
use cmi_core::{Client, Config, Error, ErrorKind, Operation, OperationKind, wsse};
use mini_server::{Handler, Request, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const SECRET: &str = "test-secret-value";

/// A query that needs a token, defined here so the test depends on no model.
#[derive(Debug, Serialize, Deserialize)]
struct Probe {
    iccid: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct ProbeAnswer {
    echo: String,
}

impl Operation for Probe {
    const NAME: &'static str = "probe";
    const PATH: &'static str = "PROBE/v1";
    const SECTION: &'static str = "test";
    const KIND: OperationKind = OperationKind::Query;
    type Response = ProbeAnswer;
    fn validate(&self) -> CmiResult<()> {
        cmi_core::validate::iccid("iccid", &self.iccid)
    }
}

/// Same, but a command: never retried on a transient failure.
#[derive(Debug, Serialize, Deserialize)]
struct Command {
    iccid: String,
}

impl Operation for Command {
    const NAME: &'static str = "command";
    const PATH: &'static str = "COMMAND/v1";
    const SECTION: &'static str = "test";
    const KIND: OperationKind = OperationKind::Command;
    type Response = ProbeAnswer;
    fn validate(&self) -> CmiResult<()> {
        Ok(())
    }
}

#[derive(Default)]
struct Platform {
    token_requests: AtomicUsize,
    calls: AtomicUsize,
    nonces: Mutex<HashSet<String>>,
    /// Scripted answers for the next calls to a business path, consumed in order.
    script: Mutex<Vec<Response>>,
    /// Tokens the platform accepts.
    valid: Mutex<HashSet<String>>,
}

fn handler(p: Arc<Platform>) -> Handler {
    Arc::new(move |req: Request| {
        let p = p.clone();
        Box::pin(async move {
            let t = wsse::parse_x_wsse(req.header("x-wsse").unwrap_or_default()).expect("a well-formed X-WSSE");
            assert!(t.digest_matches(&cmi_core::Secret::new(SECRET)), "digest");
            assert!(p.nonces.lock().unwrap().insert(t.nonce.expose().to_owned()), "nonce reused");
            assert!(req.header("user-agent").unwrap_or_default().starts_with("cmi-datacard/"));
            if req.path == "/aep/APP_getAccessToken_SBO/v1" {
                let n = p.token_requests.fetch_add(1, Ordering::SeqCst) + 1;
                assert_eq!(req.json(), json!({"id": KEY, "type": "106"}));
                // Slow enough that concurrent callers pile up behind the single flight.
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                let token = format!("tok-{n}");
                p.valid.lock().unwrap().insert(token.clone());
                return Response::json(
                    json!({"code":"0000000","description":"Success","accessToken":token,"expireTime":"20991231000000"}),
                );
            }
            p.calls.fetch_add(1, Ordering::SeqCst);
            let body = req.json();
            let token = body["accessToken"].as_str().unwrap_or_default().to_owned();
            let scripted = {
                let mut s = p.script.lock().unwrap();
                if s.is_empty() { None } else { Some(s.remove(0)) }
            };
            if let Some(r) = scripted {
                return r;
            }
            if !p.valid.lock().unwrap().contains(&token) {
                return Response::json(json!({"code":"1000008","description":"accessToken check failed"}));
            }
            Response::json(json!({"code":"0","msg":"ok","echo": body["iccid"]}))
        })
    })
}

async fn setup() -> (Arc<Platform>, Client) {
    let p = Arc::new(Platform::default());
    let addr = mini_server::serve(handler(p.clone())).await;
    let mut cfg = Config::new(format!("http://{addr}"), KEY, SECRET);
    cfg.max_retries = 2;
    let client = Client::new(cfg).unwrap();
    (p, client)
}

fn probe() -> Probe {
    Probe { iccid: "8985234200000000001".into() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_concurrent_calls_on_a_cold_client_make_one_token_request() {
    let (p, client) = setup().await;
    let mut tasks = Vec::new();
    for _ in 0..100 {
        let c = client.clone();
        tasks.push(tokio::spawn(async move { c.call(&probe()).await }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().echo, "8985234200000000001");
    }
    assert_eq!(p.token_requests.load(Ordering::SeqCst), 1);
    assert_eq!(p.calls.load(Ordering::SeqCst), 100);
    assert_eq!(client.token_requests(), 1);
}

#[tokio::test]
async fn token_rejected_causes_one_refresh_and_one_retry() {
    let (p, client) = setup().await;
    client.call(&probe()).await.unwrap();
    // The platform forgets the token (as after a server-side expiry).
    p.valid.lock().unwrap().clear();
    client.call(&probe()).await.unwrap();
    assert_eq!(p.token_requests.load(Ordering::SeqCst), 2);
    assert_eq!(p.calls.load(Ordering::SeqCst), 3, "first call, rejected attempt, retry");

    // A platform that keeps rejecting: one refresh, one retry, then the error surfaces.
    p.script.lock().unwrap().extend([
        Response::json(json!({"code":"1000009","description":"expired"})),
        Response::json(json!({"code":"1000009","description":"expired"})),
    ]);
    let err = client.call(&probe()).await.unwrap_err();
    assert_eq!(err.code(), Some("1000009"));
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(p.token_requests.load(Ordering::SeqCst), 3);
    assert_eq!(p.calls.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn clock_skew_is_measured_and_retried_once() {
    let (p, client) = setup().await;
    client.access_token().await.unwrap();
    // The platform's clock reads one hour ahead of ours.
    let ahead = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    let secs = ahead.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let date = imf_fixdate(secs);
    p.script.lock().unwrap().push(
        Response::json(json!({"code":"1000004","description":"Created check failed"})).with_header("Date", &date),
    );
    client.call(&probe()).await.unwrap();
    let skew = client.clock_skew_ms();
    assert!((3_590_000..=3_610_000).contains(&skew), "skew {skew}");
}

#[tokio::test]
async fn queries_retry_transient_failures_commands_do_not() {
    let (p, client) = setup().await;
    client.access_token().await.unwrap();
    p.script.lock().unwrap().extend([
        Response::json(json!({})).with_status(503),
        Response::json(json!({"code":"9000004","description":"QPS"})).with_status(429).with_header("Retry-After", "0"),
    ]);
    assert_eq!(client.call(&probe()).await.unwrap().echo, "8985234200000000001");
    assert_eq!(p.calls.load(Ordering::SeqCst), 3);

    p.script.lock().unwrap().push(Response::json(json!({})).with_status(503));
    let err = client.call(&Command { iccid: "1".into() }).await.unwrap_err();
    assert_eq!(err, Error::HttpStatus { operation: "command", status: 503, retry_after_ms: None });
    assert!(err.retryable());
    assert_eq!(p.calls.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn invalid_input_is_refused_before_any_network_call() {
    let (p, client) = setup().await;
    let err = client.call(&Probe { iccid: "12".into() }).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.field(), Some("iccid"));
    assert_eq!(p.token_requests.load(Ordering::SeqCst) + p.calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn no_secret_in_debug_or_errors() {
    let (p, client) = setup().await;
    let token = client.access_token().await.unwrap();
    let token_text = token.expose().to_owned();
    // A platform that echoes the token and secret in its description.
    p.script.lock().unwrap().push(Response::json(
        json!({"code":"1000052","description": format!("failed for {token_text} with {SECRET}")}),
    ));
    let err = client.call(&probe()).await.unwrap_err();
    let printed = format!("{err} {err:?} {client:?} {:?} {token:?}", client.config());
    for secret in [SECRET, token_text.as_str()] {
        assert!(!printed.contains(secret), "{secret} leaked in {printed}");
    }
    assert!(printed.contains("1000052"));

    // Even a platform that echoes the token as its code cannot put it into an error.
    p.script.lock().unwrap().push(Response::json(json!({"code": token_text.clone(), "description": "odd"})));
    let err = client.call(&probe()).await.unwrap_err();
    assert!(!format!("{err} {err:?}").contains(token_text.as_str()), "token leaked through the code");

    // Transport failures name no secret either.
    let dead = Client::new(Config::new("http://127.0.0.1:9", KEY, SECRET)).unwrap();
    let err = dead.call(&probe()).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Transport | ErrorKind::Timeout), "{err:?}");
    assert!(!format!("{err} {err:?} {dead:?}").contains(SECRET));
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused() {
    let err = Client::new(Config::new("http://203.0.113.7", KEY, SECRET)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
}

fn imf_fixdate(secs: i64) -> String {
    let t = cmi_core::datetime::DateTime::from_unix(secs);
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let weekday = DAYS[(secs.div_euclid(86_400)).rem_euclid(7) as usize];
    format!(
        "{weekday}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        t.date.day,
        MONTHS[t.date.month as usize - 1],
        t.date.year,
        t.hour,
        t.minute,
        t.second
    )
}
