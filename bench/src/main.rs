//! Loopback benchmarks of the Rust SDK, run by `bench/run` (see `bench/README.md`).
//!
//! ```text
//! cmi-bench loopback [--quick] [--concurrency 1,64] [--rounds N] [--seconds S]
//! cmi-bench memory   [--quick] [--calls 10000] [--concurrency 64]
//! cmi-bench sandbox [--port N]  # serves the sandbox, prints its three CMI_* lines (used by the
//!                               # two above, and as `$CMI_BIN sandbox` by the Python benchmark)
//! ```
//!
//! `loopback` compares the SDK client (`Client::query_himsi_state`: sign, encode, send, decode)
//! with a raw reqwest loop that sends one pre-signed, pre-encoded request and only reads the
//! answer's bytes, against the same sandbox. The sandbox runs in a separate process so that it
//! does not share the client's runtime; it is started with a one-entry nonce cache, so the raw
//! loop's replayed nonce is accepted. SDK and raw rounds alternate (the order flips every round)
//! and the reported rate is the median of the rounds, which keeps a noisy machine's drift out of
//! the ratio. Each result is one JSON line on stdout (the contract in `bench/README.md`).
//!
//! `memory` makes the calls with the SDK client only and reports the process's peak resident
//! set (`VmHWM`) after them, and before the first call for reference.

use cmi_core::api::cards::QueryHimsiStateRequest;
use cmi_core::reqwest_transport::{ReqwestOptions, ReqwestTransport};
use cmi_core::transport::{HttpRequest, Transport};
use cmi_core::{Client, Config, Operation, Secret, WireOptions, wsse};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The card every call asks about (an active card of the demo channel).
const ICCID: &str = "89852342024000000021";

/// The per-request deadline of the raw loop: the SDK's default attempt timeout, because a
/// production call without one is no fair peer (it costs a timer per request in both).
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cmd = args.first().map(String::as_str).unwrap_or("");
    let opts = Options::parse(&args[1.min(args.len())..])?;
    match cmd {
        "sandbox" => serve_sandbox(opts.port),
        "loopback" => runtime()?.block_on(loopback(&opts)),
        "memory" => runtime()?.block_on(memory(&opts)),
        _ => Err("usage: cmi-bench loopback|memory|sandbox [--quick] [--concurrency 1,64] [--rounds N] \
                  [--seconds S] [--calls N]"
            .into()),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, BoxError> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

/// Command-line settings; `--quick` shortens everything for a smoke run.
struct Options {
    concurrency: Vec<usize>,
    rounds: usize,
    seconds: f64,
    calls: usize,
    port: u16,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, BoxError> {
        let quick = args.iter().any(|a| a == "--quick");
        let mut o = Options {
            concurrency: vec![1, 64],
            rounds: if quick { 2 } else { 5 },
            seconds: if quick { 0.5 } else { 3.0 },
            calls: 10_000,
            port: 0,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
            match a.as_str() {
                "--quick" => {}
                "--concurrency" => {
                    o.concurrency = value()?.split(',').map(|c| c.trim().parse()).collect::<Result<_, _>>()?;
                }
                "--rounds" => o.rounds = value()?.parse()?,
                "--seconds" => o.seconds = value()?.parse()?,
                "--calls" => o.calls = value()?.parse()?,
                // `cmi-bench sandbox --port N`, as the bindings' benchmarks start `cmi sandbox`.
                "--port" => o.port = value()?.parse()?,
                other => return Err(format!("unknown option {other}").into()),
            }
        }
        if o.concurrency.is_empty() || o.concurrency.contains(&0) || o.rounds == 0 {
            return Err("--concurrency needs positive numbers and --rounds at least 1".into());
        }
        Ok(o)
    }
}

/// `cmi-bench sandbox`: the sandbox until killed, replays allowed (see the module doc).
fn serve_sandbox(port: u16) -> Result<(), BoxError> {
    let builder = cmi_sandbox::Sandbox::builder().port(port).nonce_capacity(1);
    runtime()?.block_on(cmi_sandbox::serve_forever(builder))?;
    Ok(())
}

/// The sandbox child process; killed when dropped.
struct SandboxProcess {
    child: Child,
    base_url: String,
    app_key: String,
    app_secret: String,
}

impl SandboxProcess {
    fn start() -> Result<Self, BoxError> {
        let mut child = Command::new(std::env::current_exe()?)
            .arg("sandbox")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout from the sandbox")?;
        let mut lines = BufReader::new(stdout).lines();
        let mut get = |name: &str| -> Result<String, BoxError> {
            let line = lines.next().ok_or("the sandbox exited early")??;
            let value = line.strip_prefix(name).and_then(|l| l.strip_prefix('='));
            Ok(value.ok_or_else(|| format!("expected {name}=…, got {line}"))?.to_owned())
        };
        let base_url = get("CMI_BASE_URL")?;
        let app_key = get("CMI_APP_KEY")?;
        let app_secret = get("CMI_APP_SECRET")?;
        Ok(Self { child, base_url, app_key, app_secret })
    }

    fn client(&self) -> Result<Client, BoxError> {
        let mut config = Config::new(&self.base_url, &self.app_key, Secret::new(&self.app_secret));
        config.binding = "bench".into();
        Ok(Client::new(config)?)
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One way of making the call.
#[derive(Clone)]
enum Caller {
    /// The whole SDK call.
    Sdk(Arc<Client>),
    /// The core's reqwest transport alone with the pre-signed request: splits the SDK's cost
    /// into its transport layer and the rest (signing, encoding, decoding, the call's rules).
    Transport(Arc<ReqwestTransport>, Arc<RawRequest>),
    /// Raw reqwest with the pre-signed request: the peer.
    Raw(Arc<RawRequest>),
}

/// The pre-signed, pre-encoded request of the raw loop.
struct RawRequest {
    http: reqwest::Client,
    url: String,
    x_wsse: String,
    authorization: &'static str,
    body: Vec<u8>,
}

impl Caller {
    async fn call(&self) -> Result<(), BoxError> {
        match self {
            Caller::Sdk(client) => {
                let answer = client.query_himsi_state(&QueryHimsiStateRequest::by_iccid(ICCID)).await?;
                std::hint::black_box(answer);
            }
            Caller::Transport(t, r) => {
                let resp = t
                    .send(HttpRequest {
                        method: "POST",
                        url: r.url.clone(),
                        headers: vec![
                            ("Content-Type".into(), "application/json".into()),
                            ("Accept".into(), "application/json".into()),
                            ("Authorization".into(), r.authorization.into()),
                            ("X-WSSE".into(), r.x_wsse.clone()),
                        ],
                        body: r.body.clone(),
                        timeout_ms: ATTEMPT_TIMEOUT.as_millis() as u64,
                    })
                    .await
                    .map_err(|e| format!("transport: {e:?}"))?;
                if !(200..300).contains(&resp.status) || !contains(&resp.body) {
                    return Err(format!("transport call failed: HTTP {}", resp.status).into());
                }
            }
            Caller::Raw(r) => {
                let resp = r
                    .http
                    .post(&r.url)
                    .header("Authorization", r.authorization)
                    .header("X-WSSE", &r.x_wsse)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .timeout(ATTEMPT_TIMEOUT)
                    .body(r.body.clone())
                    .send()
                    .await?;
                let status = resp.status();
                let bytes = resp.bytes().await?;
                // Only a well-formed success counts, as for the SDK.
                if !status.is_success() || !contains(&bytes) {
                    return Err(format!("raw call failed: HTTP {status}").into());
                }
            }
        }
        Ok(())
    }
}

/// Whether the answer carries the success code (its key order is the sandbox's business).
fn contains(bytes: &[u8]) -> bool {
    bytes.windows(9).any(|w| w == b"\"0000000\"")
}

/// What one timed run measured.
struct Run {
    calls: usize,
    elapsed: Duration,
    latencies_us: Vec<u32>,
}

/// `concurrency` workers call in a loop until `seconds` have passed.
async fn run(caller: &Caller, concurrency: usize, seconds: f64) -> Result<Run, BoxError> {
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let caller = caller.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(4096);
            while Instant::now() < deadline {
                let t = Instant::now();
                caller.call().await?;
                lat.push(t.elapsed().as_micros().min(u32::MAX as u128) as u32);
            }
            Ok::<_, BoxError>(lat)
        }));
    }
    let mut latencies_us = Vec::new();
    for t in tasks {
        latencies_us.extend(t.await??);
    }
    Ok(Run { calls: latencies_us.len(), elapsed: start.elapsed(), latencies_us })
}

/// Calls made on a fixed count (for warm-up and the memory run).
async fn run_calls(caller: &Caller, concurrency: usize, calls: usize) -> Result<(), BoxError> {
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (caller, next) = (caller.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < calls {
                caller.call().await?;
            }
            Ok::<_, BoxError>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok(())
}

fn percentile_ms(sorted_us: &[u32], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let i = ((sorted_us.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted_us[i]) / 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

/// Rates of the rounds and the pooled latencies of one caller at one concurrency.
#[derive(Default)]
struct Tally {
    rates: Vec<f64>,
    latencies_us: Vec<u32>,
}

impl Tally {
    fn add(&mut self, r: Run) {
        self.rates.push(r.calls as f64 / r.elapsed.as_secs_f64());
        self.latencies_us.extend(r.latencies_us);
    }

    /// (median calls/s, p50 ms, p99 ms)
    fn summary(mut self) -> (f64, f64, f64) {
        self.latencies_us.sort_unstable();
        let l = &self.latencies_us;
        (median(self.rates), percentile_ms(l, 0.50), percentile_ms(l, 0.99))
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

async fn loopback(o: &Options) -> Result<(), BoxError> {
    let sandbox = SandboxProcess::start()?;
    let client = Arc::new(sandbox.client()?);
    // The raw request: signed once, with the SDK's own token and body, sent as-is every time.
    let token = client.access_token().await?;
    let req = QueryHimsiStateRequest::by_iccid(ICCID);
    let body = req.encode(Some(token.expose()), &WireOptions::default())?;
    let created = wsse::created(now_unix()?);
    let headers = wsse::sign(&sandbox.app_key, &Secret::new(&sandbox.app_secret), "bench-raw-nonce", &created);
    let raw = RawRequest {
        http: reqwest::Client::builder().tcp_nodelay(true).pool_idle_timeout(Duration::from_secs(60)).build()?,
        url: format!("{}/aep/{}", sandbox.base_url, QueryHimsiStateRequest::PATH),
        x_wsse: headers.x_wsse.expose().to_owned(),
        authorization: headers.authorization,
        body,
    };
    let raw = Arc::new(raw);
    let transport = Caller::Transport(Arc::new(ReqwestTransport::new(&ReqwestOptions::default())?), raw.clone());
    let sdk = Caller::Sdk(client);
    let raw = Caller::Raw(raw);
    let callers = [("rust", &sdk), ("rust-transport", &transport), ("raw", &raw)];

    for &concurrency in &o.concurrency {
        // Warm every connection pool to this concurrency before timing.
        for (_, c) in &callers {
            run_calls(c, concurrency, concurrency * 20).await?;
        }
        let mut tallies: Vec<Tally> = callers.iter().map(|_| Tally::default()).collect();
        for round in 0..o.rounds {
            // The order rotates every round, so no caller always runs first or last.
            for k in 0..callers.len() {
                let i = (round + k) % callers.len();
                tallies[i].add(run(callers[i].1, concurrency, o.seconds).await?);
            }
        }
        let calls: usize = tallies.iter().map(|t| t.latencies_us.len()).sum();
        let mut summaries: Vec<(f64, f64, f64)> = tallies.into_iter().map(Tally::summary).collect();
        let (peer_rate, peer_p50, peer_p99) = summaries.pop().ok_or("no peer")?;
        for ((surface, _), (rate, p50, p99)) in callers.iter().zip(summaries) {
            let line = json!({
                "surface": surface,
                "peer": "reqwest (raw, pre-signed)",
                "concurrency": concurrency,
                "calls_per_sec": round2(rate),
                "peer_calls_per_sec": round2(peer_rate),
                "ratio": round4(rate / peer_rate),
                "p50_ms": round4(p50),
                "p99_ms": round4(p99),
                "peer_p50_ms": round4(peer_p50),
                "peer_p99_ms": round4(peer_p99),
                "rounds": o.rounds,
                "seconds_per_round": o.seconds,
                "calls": calls,
            });
            println!("{line}");
        }
    }
    Ok(())
}

async fn memory(o: &Options) -> Result<(), BoxError> {
    let sandbox = SandboxProcess::start()?;
    let client = Arc::new(sandbox.client()?);
    let before = peak_rss_mb();
    let concurrency = o.concurrency.last().copied().unwrap_or(64);
    let start = Instant::now();
    run_calls(&Caller::Sdk(client), concurrency, o.calls).await?;
    let elapsed = start.elapsed();
    let line = json!({
        "surface": "rust",
        "kind": "memory",
        "calls": o.calls,
        "concurrency": concurrency,
        "calls_per_sec": round2(o.calls as f64 / elapsed.as_secs_f64()),
        "peak_rss_mb": before.and(peak_rss_mb()).map(round2),
        "start_rss_mb": before.map(round2),
    });
    println!("{line}");
    Ok(())
}

fn now_unix() -> Result<i64, BoxError> {
    Ok(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64)
}

/// `VmHWM` of this process in MiB (Linux); `None` elsewhere.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
