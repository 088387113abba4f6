//! Throughput of the sandbox on a cheap query (3.2.14 with a template filter), over real
//! loopback HTTP/1.1 keep-alive connections, every request freshly WSSE-signed (new nonce,
//! digest) and carrying the token. Server and load generator share one 2-worker Tokio
//! runtime, so the figure is what 2 cores do in all (a lower bound for the server alone).
//!
//! `cargo bench -p cmi-sandbox --bench throughput` (env: `BENCH_SECS`, default 5;
//! `BENCH_CONNS`, default 32). Not a test: it prints calls/second and exits.

use bytes::Bytes;
use cmi_core::wsse::{created, sign};
use cmi_core::{NonceSource, OsNonce, Secret};
use cmi_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, Sandbox};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

fn request(host: &str, path: &str, body: &Bytes, secret: &Secret) -> hyper::Request<Full<Bytes>> {
    let h = sign(DEMO_APP_KEY, secret, &OsNonce.nonce(), &created(now()));
    hyper::Request::post(format!("/aep/{path}"))
        .header("Host", host)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .header("Authorization", h.authorization)
        .header("X-WSSE", h.x_wsse.expose())
        .body(Full::new(body.clone()))
        .expect("request")
}

async fn connect(addr: std::net::SocketAddr) -> hyper::client::conn::http1::SendRequest<Full<Bytes>> {
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let (send, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.expect("handshake");
    tokio::spawn(conn);
    send
}

async fn run() {
    let secs = env("BENCH_SECS", 5);
    let conns = env("BENCH_CONNS", 32);
    let sb = Sandbox::builder().start().await.expect("start");
    let addr = sb.addr();
    let host = addr.to_string();
    let secret = Secret::new(DEMO_APP_SECRET);

    // One token for the whole run.
    let mut s = connect(addr).await;
    let body = Bytes::from(json!({"id": DEMO_APP_KEY, "type": "106"}).to_string());
    let resp = s.send_request(request(&host, "APP_getAccessToken_SBO/v1", &body, &secret)).await.expect("token");
    let v: Value = serde_json::from_slice(&resp.into_body().collect().await.expect("body").to_bytes()).expect("json");
    let token = v["accessToken"].as_str().expect("token").to_owned();
    let body = Bytes::from(json!({"accessToken": token, "templateId": "P23061314267445"}).to_string());

    let ok = Arc::new(AtomicU64::new(0));
    let bad = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let (ok, bad, body, host, secret) = (ok.clone(), bad.clone(), body.clone(), host.clone(), secret.clone());
        tasks.push(tokio::spawn(async move {
            let mut send = connect(addr).await;
            while Instant::now() < deadline {
                let resp = match send.send_request(request(&host, "SBO_queryUpccTemplate/v1", &body, &secret)).await {
                    Ok(r) => r,
                    Err(_) => {
                        bad.fetch_add(1, Ordering::Relaxed);
                        send = connect(addr).await;
                        continue;
                    }
                };
                let status = resp.status();
                let bytes = resp.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
                const OK: &[u8] = br#""code":"0000000""#;
                let good = status == 200 && bytes.windows(OK.len()).any(|w| w == OK);
                if good { &ok } else { &bad }.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let (ok, bad) = (ok.load(Ordering::Relaxed), bad.load(Ordering::Relaxed));
    let stats = sb.stats();
    println!(
        "cmi-sandbox throughput: {:.0} calls/s (query_upcc_templates, {ok} ok, {bad} failed, {conns} connections, {elapsed:.1} s, 2 worker threads shared by server and client; server counted {} calls, {} token issue)",
        ok as f64 / elapsed,
        stats.calls_of("query_upcc_templates"),
        stats.token_issues
    );
    sb.shutdown().await;
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    rt.block_on(run());
}
