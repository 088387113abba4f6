//! What fleet mode costs per call: the same query against the sandbox over loopback, with a
//! local-only client (memory token cache, no limiter) and a fleet client (Redis token store
//! and Redis limiter, its limit far above the rates reached so only the bookkeeping is
//! measured: two Redis round trips per call), at concurrency 1 and 64. Not a test: it
//! asserts nothing.
//!
//! The cost per call is `extra_wall_ms_per_call` (wall time of the run / calls); the latency
//! columns include queueing, so at concurrency 64 their difference is about 64 times it.
//!
//! `cargo bench -p cmi-fleet --bench overhead` prints a table, then one JSON line
//! (`{"bench":"fleet_overhead",...}`). `CMI_FLEET_BENCH_CALLS` sets the calls per run
//! (default 2000). Needs `redis-server` (started on a free port and stopped here).

#[path = "../tests/common/redis_server.rs"]
mod redis_server;

use cmi_core::{Client, Config};
use cmi_fleet::{Fleet, FleetOptions};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Far above anything reached: the limiter is consulted but never waits.
const RATE: f64 = 1_000_000.0;

struct Run {
    wall: Duration,
    latency_sum: Duration,
}

async fn run(client: &Client, calls: u32, concurrency: u32) -> Run {
    let body = json!({"iccid": cmi_sandbox::demo::ICCID_ACTIVE});
    let permits = Arc::new(tokio::sync::Semaphore::new(concurrency as usize));
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(calls as usize);
    for _ in 0..calls {
        let permit = permits.clone().acquire_owned().await.expect("semaphore");
        let (client, body) = (client.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            client.call_json("query_quota", body).await.expect("call");
            drop(permit);
            t.elapsed()
        }));
    }
    let mut latency_sum = Duration::ZERO;
    for t in tasks {
        latency_sum += t.await.expect("task");
    }
    Run { wall: start.elapsed(), latency_sum }
}

fn ms(d: Duration, n: u32) -> f64 {
    d.as_secs_f64() * 1000.0 / f64::from(n)
}

fn main() {
    let calls: u32 = std::env::var("CMI_FLEET_BENCH_CALLS").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    if !redis_server::available("fleet overhead benchmark") {
        println!("{}", json!({"bench": "fleet_overhead", "skipped": "redis-server not found"}));
        return;
    }
    let redis = redis_server::RedisServer::start();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let sb = cmi_sandbox::Sandbox::builder().start().await.expect("sandbox");
        let config = Config::new(sb.base_url(), sb.app_key(), sb.app_secret());
        // The local-only client as users have it by default: memory token cache, no limiter.
        // (The core's LocalRateLimiter rounds any sub-millisecond wait up to 1 ms, which would
        // make the baseline slower than fleet mode at concurrency 1.)
        let local = Client::new(config.clone()).expect("client");
        let fleet = Fleet::new(&redis.url(), FleetOptions::default()).expect("fleet");
        let shared = fleet.client(config, Some(RATE)).expect("client");
        // Warm both (token, connections, scripts loaded).
        run(&local, 50, 8).await;
        run(&shared, 50, 8).await;

        let mut results = Vec::new();
        println!("{:>11} {:>7} {:>16} {:>16} {:>14} {:>14}", "concurrency", "calls", "local ms/call", "fleet ms/call", "extra latency", "extra wall");
        for concurrency in [1u32, 64] {
            // Interleaved rounds, best of two each, so drift on a shared machine hits both.
            let (mut l, mut f): (Option<Run>, Option<Run>) = (None, None);
            for _ in 0..2 {
                let a = run(&local, calls, concurrency).await;
                let b = run(&shared, calls, concurrency).await;
                if l.as_ref().is_none_or(|x| a.wall < x.wall) {
                    l = Some(a);
                }
                if f.as_ref().is_none_or(|x| b.wall < x.wall) {
                    f = Some(b);
                }
            }
            let (l, f) = (l.expect("run"), f.expect("run"));
            let (l_lat, f_lat) = (ms(l.latency_sum, calls), ms(f.latency_sum, calls));
            let (l_wall, f_wall) = (ms(l.wall, calls), ms(f.wall, calls));
            println!(
                "{concurrency:>11} {calls:>7} {l_lat:>16.3} {f_lat:>16.3} {:>14.3} {:>14.3}",
                f_lat - l_lat,
                f_wall - l_wall
            );
            results.push(json!({
                "concurrency": concurrency, "calls": calls,
                "local_latency_ms": l_lat, "fleet_latency_ms": f_lat, "extra_latency_ms": f_lat - l_lat,
                "local_wall_ms_per_call": l_wall, "fleet_wall_ms_per_call": f_wall, "extra_wall_ms_per_call": f_wall - l_wall,
                "local_calls_per_s": f64::from(calls) / l.wall.as_secs_f64(),
                "fleet_calls_per_s": f64::from(calls) / f.wall.as_secs_f64(),
            }));
        }
        assert!(fleet.is_healthy(), "Redis answered throughout");
        println!("{}", json!({"bench": "fleet_overhead", "unit": "ms", "target_extra_ms": 0.3, "results": results}));
        sb.shutdown().await;
    });
}
