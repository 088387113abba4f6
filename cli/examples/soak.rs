//! Soak run (docs/reliability.md): N calls through one client at concurrency C against the
//! sandbox with a share of injected faults, then an audit: no duplicate order, no lost
//! order, no lost callback, every call accounted for.
//!
//! ```sh
//! scripts/soak                 # 10,000 calls, concurrency 256, 5 % faults
//! cargo run --release -p cmi-cli --example soak -- 2000 64 0.05
//! ```

use cmi_core::api::catalogue::QueryDataBundlesRequest;
use cmi_core::api::common::Language;
use cmi_core::api::esim::QueryEsimCardInfoRequest;
use cmi_core::api::orders::CreateOrderRequest;
use cmi_core::api::subscriptions::QuerySubscribedBundlesRequest;
use cmi_core::api::usage::QueryQuotaRequest;
use cmi_core::callbacks::parse_notification;
use cmi_core::retry::RetryPolicy;
use cmi_core::{Client, Config, OrderOutcome};
use cmi_sandbox::{DeliveryState, Fault, Sandbox, demo};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

#[derive(Debug)]
enum Done {
    Query(Result<(), String>),
    Order(String, OrderOutcome),
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let calls: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let concurrency: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(256);
    let fault_rate: f64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(0.05);

    let sandbox = Sandbox::builder().callback_retry(12, Duration::from_millis(10)).start().await?;
    sandbox.set_deposit(1_000_000_000);
    let hook = Hook::start(fault_rate).await?;
    sandbox.register_callback_url(&hook.url)?;

    // The fault mix, each a share of `fault_rate`: lost answers before and after processing,
    // 5xx, throttling, "being processed", slow answers past the attempt timeout.
    let share = fault_rate / 7.0;
    for fault in [
        Fault::http_status(503),
        Fault::http_status(500).after(),
        Fault::drop_connection(),
        Fault::drop_connection().after(),
        Fault::too_many_requests(0),
        Fault::return_code("1000154").on("create_order").after(),
        Fault::delay(Duration::from_millis(1_200)),
    ] {
        sandbox.fault(fault.sometimes(share))?;
    }

    let mut config = Config::new(sandbox.base_url(), sandbox.app_key(), sandbox.app_secret());
    config.attempt_timeout_ms = 1_000;
    config.total_timeout_ms = 30_000;
    let client =
        Client::builder(config).retry_policy(RetryPolicy::default().max_retries(4).backoff(20, 500)).build()?;

    let started = Instant::now();
    let gate = Arc::new(Semaphore::new(concurrency));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..calls {
        let (client, gate) = (client.clone(), gate.clone());
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await;
            let card = demo::ICCID_STOCK[i % demo::ICCID_STOCK.len()];
            match i % 5 {
                0 => {
                    let third = format!("SOAK-{i}");
                    let order = CreateOrderRequest::bundle(&third, card, demo::BUNDLE_HK_DAILY, 1);
                    Done::Order(third.clone(), client.create_order_once(&order, &third).await)
                }
                1 => Done::Query(
                    client
                        .query_data_bundles(&QueryDataBundlesRequest::default())
                        .await
                        .map(drop)
                        .map_err(|e| e.kind().as_str().to_owned()),
                ),
                2 => Done::Query(
                    client
                        .query_subscribed_bundles(&QuerySubscribedBundlesRequest::by_iccid(card, Language::English))
                        .await
                        .map(drop)
                        .map_err(|e| e.kind().as_str().to_owned()),
                ),
                3 => Done::Query(
                    client
                        .query_quota(&QueryQuotaRequest::by_iccid(demo::ICCID_ACTIVE))
                        .await
                        .map(drop)
                        .map_err(|e| e.kind().as_str().to_owned()),
                ),
                _ => Done::Query(
                    client
                        .query_esim_card_info(&QueryEsimCardInfoRequest::new(card))
                        .await
                        .map(drop)
                        .map_err(|e| e.kind().as_str().to_owned()),
                ),
            }
        });
    }
    let mut queries_ok = 0usize;
    let mut query_failures: BTreeMap<String, usize> = BTreeMap::new();
    let mut outcomes: HashMap<String, OrderOutcome> = HashMap::new();
    while let Some(done) = tasks.join_next().await {
        match done? {
            Done::Query(Ok(())) => queries_ok += 1,
            Done::Query(Err(kind)) => *query_failures.entry(kind).or_default() += 1,
            Done::Order(third, outcome) => {
                outcomes.insert(third, outcome);
            }
        }
    }
    let elapsed = started.elapsed();

    // Audit with the faults off.
    sandbox.clear_faults();
    let state = sandbox.state();
    let mut placed: HashMap<&str, usize> = HashMap::new();
    for o in &state.orders {
        if o.third_order_id.starts_with("SOAK-") {
            *placed.entry(o.third_order_id.as_str()).or_default() += 1;
        }
    }
    let duplicates = placed.values().filter(|n| **n > 1).count();
    let (mut created, mut already, mut failed, mut unknown, mut lost, mut unknown_placed) = (0, 0, 0, 0, 0, 0);
    for (third, outcome) in &outcomes {
        let exists = placed.contains_key(third.as_str());
        match outcome {
            OrderOutcome::Created(_) => created += 1,
            OrderOutcome::AlreadyCreated { .. } => already += 1,
            OrderOutcome::Failed(_) => failed += 1,
            OrderOutcome::Unknown { .. } => {
                unknown += 1;
                unknown_placed += exists as usize;
            }
        }
        // A success must exist; a failure must not.
        if outcome.is_success() != exists && !matches!(outcome, OrderOutcome::Unknown { .. }) {
            lost += 1;
        }
    }

    // Callbacks: activate everything and let usage accrue, then wait for the deliveries.
    for card in demo::ICCID_STOCK {
        let _ = sandbox.set_location(card, "454");
    }
    sandbox.advance_clock(Duration::from_secs(86_400));
    for _ in 0..1_000 {
        if sandbox.deliveries().iter().all(|d| d.state != DeliveryState::Pending) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let deliveries = sandbox.deliveries();
    let delivered = deliveries.iter().filter(|d| d.state == DeliveryState::Delivered).count();
    let handled = hook.handled.lock().map(|h| h.len()).unwrap_or(0);
    let orders = outcomes.len();
    let queries = calls - orders;
    let accounted = queries_ok + query_failures.values().sum::<usize>() + orders;

    println!("| figure | value |\n|---|---|");
    println!("| calls (orders / queries) | {calls} ({orders} / {queries}) |");
    println!("| concurrency | {concurrency} |");
    println!("| injected fault rate per request | {:.1} % |", fault_rate * 100.0);
    println!("| wall time | {:.1} s ({:.0} calls/s) |", elapsed.as_secs_f64(), calls as f64 / elapsed.as_secs_f64());
    println!("| HTTP requests seen by the platform | {} |", sandbox.stats().total_calls);
    println!(
        "| queries ok / failed | {queries_ok} / {} {:?} |",
        query_failures.values().sum::<usize>(),
        query_failures
    );
    println!(
        "| orders created / already created / failed / unknown | {created} / {already} / {failed} / {unknown} ({unknown_placed} of the unknown exist) |"
    );
    println!("| duplicate orders | {duplicates} |");
    println!("| orders whose outcome disagrees with the platform | {lost} |");
    println!("| callbacks delivered / handled once / sent | {delivered} / {handled} / {} |", deliveries.len());
    println!("| receiver requests (incl. injected failures) | {} |", hook.requests.load(Ordering::SeqCst));
    println!("| calls accounted for | {accounted} of {calls} |");
    sandbox.shutdown().await;

    let ok =
        duplicates == 0 && lost == 0 && accounted == calls && delivered == deliveries.len() && handled == delivered;
    if !ok {
        eprintln!("soak: FAILED");
        std::process::exit(1);
    }
    eprintln!("soak: ok");
    Ok(())
}

/// A webhook that fails a share of requests and handles each event once.
struct Hook {
    url: String,
    handled: Arc<Mutex<HashSet<String>>>,
    requests: Arc<AtomicUsize>,
}

impl Hook {
    async fn start(fail_rate: f64) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/hook", listener.local_addr()?);
        let handled: Arc<Mutex<HashSet<String>>> = Arc::default();
        let requests = Arc::new(AtomicUsize::new(0));
        let (h, r) = (handled.clone(), requests.clone());
        let every = (1.0 / fail_rate.max(0.001)).round().max(2.0) as usize;
        tokio::spawn(async move {
            while let Ok((mut s, _)) = listener.accept().await {
                let (h, r) = (h.clone(), r.clone());
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 8192];
                    loop {
                        let head = loop {
                            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                                let head = String::from_utf8_lossy(&buf[..i]).to_lowercase();
                                let len = head
                                    .lines()
                                    .find_map(|l| l.strip_prefix("content-length:").and_then(|v| v.trim().parse().ok()))
                                    .unwrap_or(0usize);
                                break Some((i + 4, len));
                            }
                            match s.read(&mut chunk).await {
                                Ok(0) | Err(_) => break None,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        };
                        let Some((head_end, len)) = head else { return };
                        while buf.len() < head_end + len {
                            match s.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        }
                        let body: Vec<u8> = buf.drain(..head_end + len).skip(head_end).collect();
                        if r.fetch_add(1, Ordering::SeqCst) % every == 0 {
                            let _ = s.write_all(b"HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n").await;
                            continue;
                        }
                        let Ok(n) = parse_notification(&[], &body) else { return };
                        h.lock().map(|mut h| h.insert(n.dedupe_key())).ok();
                        let ack = n.ack_body();
                        let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", ack.len());
                        if s.write_all(head.as_bytes()).await.is_err() || s.write_all(&ack).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Ok(Self { url, handled, requests })
    }
}
