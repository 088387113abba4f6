//! Fleet mode against the sandbox in revoke-on-reissue mode, with a real `redis-server` and
//! 8 worker processes (this binary run again, see `common/workers.rs`).

mod common;

use cmi_core::Config;
use cmi_fleet::{Fleet, FleetOptions};
use cmi_sandbox::{Sandbox, demo};
use common::redis_server::{RedisServer, available};
use common::workers::{Workers, errors, spec, sum};
use serde_json::json;
use std::time::Duration;

/// The multi-process tests run one at a time: they measure rates.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The worker side (does nothing unless started as a worker).
#[test]
fn worker_entry() {
    common::workers::run_if_worker();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_cold_workers_make_one_token_request_and_no_auth_failure() {
    if !available("eight_cold_workers_make_one_token_request_and_no_auth_failure") {
        return;
    }
    let _serial = SERIAL.lock().await;
    let redis = RedisServer::start();
    let sb = Sandbox::builder().revoke_on_reissue(true).start().await.unwrap();
    let mut workers = Workers::spawn(8, &spec(&sb.base_url(), &redis.url(), "t1:", 100, 100, None)).await;
    workers.go().await;
    let results = workers.finish().await;
    assert_eq!(errors(&results), Vec::<String>::new());
    assert_eq!(sum(&results, "ok"), 800);
    let stats = sb.stats();
    assert_eq!(stats.token_issues, 1, "one token request for the fleet: {results:?}");
    assert_eq!(sum(&results, "token_requests"), 1);
    assert_eq!(stats.token_rejections, 0);
    assert_eq!(stats.calls_of("query_quota"), 800);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fleet_rate_limit_holds_across_eight_workers() {
    if !available("a_fleet_rate_limit_holds_across_eight_workers") {
        return;
    }
    let _serial = SERIAL.lock().await;
    const N: u32 = 100;
    let redis = RedisServer::start();
    // The sandbox refuses beyond N + 10%: a refusal would show the limit leaking.
    let sb = Sandbox::builder().revoke_on_reissue(true).qps_limit(N + N / 10).start().await.unwrap();
    let mut workers = Workers::spawn(8, &spec(&sb.base_url(), &redis.url(), "t2:", 40, 20, Some(f64::from(N)))).await;
    let started = std::time::Instant::now();
    workers.go().await;
    let results = workers.finish().await;
    let secs = started.elapsed().as_secs_f64();
    eprintln!("fleet rate limit {N}/s: {:.2} s, sandbox stats {:?}", secs, sb.stats());
    assert_eq!(errors(&results), Vec::<String>::new());
    assert_eq!(sum(&results, "ok"), 320);
    let stats = sb.stats();
    assert!(stats.peak_qps <= u64::from(N + N / 10), "peak {} calls/s over a limit of {N}", stats.peak_qps);
    assert_eq!(stats.qps_rejections, 0);
    assert_eq!(stats.token_issues, 1);
    // 321 calls at 100/s cannot take much less than 3.2 s.
    assert!(secs > 2.9, "the calls took only {secs:.2} s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_redis_mid_run_loses_no_call() {
    if !available("killing_redis_mid_run_loses_no_call") {
        return;
    }
    let _serial = SERIAL.lock().await;
    let mut redis = RedisServer::start();
    let sb = Sandbox::builder().revoke_on_reissue(true).start().await.unwrap();
    // 800 calls at 200/s: about 4 s, Redis dies after 1 s.
    let mut workers = Workers::spawn(8, &spec(&sb.base_url(), &redis.url(), "t3:", 100, 16, Some(200.0))).await;
    workers.go().await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = sb.stats().calls_of("query_quota");
    redis.kill();
    let results = workers.finish().await;
    eprintln!("Redis killed after {before} calls; sandbox stats {:?}", sb.stats());
    assert!((50..700).contains(&before), "Redis was killed mid-run ({before} calls done)");
    assert_eq!(errors(&results), Vec::<String>::new());
    assert_eq!(sum(&results, "ok"), 800);
    assert!(results.iter().all(|r| r["healthy"] == json!(false)), "workers noticed: {results:?}");
    let stats = sb.stats();
    assert_eq!(stats.token_issues, 1, "the workers kept the shared token locally");
    assert_eq!(stats.token_rejections, 0);
}

fn config(sb: &cmi_sandbox::SandboxHandle) -> Config {
    Config::new(sb.base_url(), sb.app_key(), sb.app_secret())
}

async fn quota(client: &cmi_core::Client) -> cmi_core::Result<serde_json::Value> {
    client.call_json("query_quota", json!({"iccid": demo::ICCID_ACTIVE})).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn falls_back_to_local_state_and_recovers_when_redis_returns() {
    if !available("falls_back_to_local_state_and_recovers_when_redis_returns") {
        return;
    }
    let mut redis = RedisServer::start();
    let sb = Sandbox::builder().revoke_on_reissue(true).start().await.unwrap();
    let options =
        FleetOptions { retry_after: Duration::from_millis(100), key_prefix: "t4:".into(), ..Default::default() };
    let fleet = Fleet::new(&redis.url(), options).unwrap();
    let client = fleet.client(config(&sb), Some(1000.0)).unwrap();
    quota(&client).await.unwrap();
    assert!(fleet.is_healthy());

    let port = redis.port();
    redis.kill();
    for _ in 0..5 {
        quota(&client).await.unwrap();
    }
    assert!(!fleet.is_healthy());

    // Back, empty: the local token is offered to the fleet rather than a new one fetched.
    // The connection is re-opened by the first probe after it, so allow a few periods.
    let redis = RedisServer::start_on(port);
    let back = std::time::Instant::now();
    while !fleet.is_healthy() {
        assert!(back.elapsed() < Duration::from_secs(5), "still on local state 5 s after Redis returned");
        tokio::time::sleep(Duration::from_millis(50)).await;
        quota(&client).await.unwrap();
    }
    quota(&client).await.unwrap();
    assert_eq!(sb.stats().token_issues, 1);
    let mut c = redis::Client::open(redis.url()).unwrap().get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS").arg("t4:*").query_async(&mut c).await.unwrap();
    let fp = cmi_core::token::store_key(&sb.base_url(), sb.app_key());
    assert!(keys.contains(&format!("t4:{fp}")), "token seeded back: {keys:?}");
    assert!(keys.iter().all(|k| !k.contains(sb.app_key()) && !k.contains(&sb.base_url())), "{keys:?}");
    let record: String = redis::cmd("GET").arg(format!("t4:{fp}")).query_async(&mut c).await.unwrap();
    assert!(!record.contains(sb.app_secret()));
}

#[tokio::test]
async fn without_any_redis_the_client_works_on_local_state() {
    let sb = Sandbox::builder().start().await.unwrap();
    // Nothing listens on this port.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let fleet = Fleet::new(&format!("redis://127.0.0.1:{port}"), FleetOptions::default()).unwrap();
    let client = fleet.client(config(&sb), Some(500.0)).unwrap();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let c = client.clone();
            async move { quota(&c).await }
        })
        .collect();
    for r in tokio_join_all(calls).await {
        r.unwrap();
    }
    assert!(!fleet.is_healthy());
    assert_eq!(client.token_requests(), 1, "the local single flight still holds");
    assert!(!format!("{fleet:?}").contains(&port.to_string()), "the URL (maybe with a password) is not shown");
}

#[test]
fn refuses_what_is_not_a_redis_url() {
    let e = Fleet::new("http://127.0.0.1:6379", FleetOptions::default()).unwrap_err();
    assert_eq!(e.kind(), cmi_core::ErrorKind::Config);
    let e = Fleet::new("redis://:hunter2@[bad", FleetOptions::default()).unwrap_err();
    assert!(!e.to_string().contains("hunter2"));
    assert!(Fleet::new("rediss://:pw@127.0.0.1:6380/2", FleetOptions::default()).is_ok());
}

async fn tokio_join_all<F: std::future::Future + Send + 'static>(futures: Vec<F>) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}
