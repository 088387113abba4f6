//! The fault matrix (docs/reliability.md): every fault kind the sandbox injects, against a
//! query, a keyed write (an exactly-once order) and the callback path. For each cell the test
//! states what the client must do, and checks that nothing is lost or bought twice.

use cmi_core::api::orders::CreateOrderRequest;
use cmi_core::api::usage::QueryQuotaRequest;
use cmi_core::callbacks::{CallbackReceiver, VerifyOptions};
use cmi_core::{Client, Config, OrderOutcome, Secret, SystemClock};
use cmi_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, DeliveryState, Fault, Sandbox, SandboxHandle, ShapeVariant, demo};
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the client must make of a fault.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// The call succeeds (after retries, refresh or reconciliation).
    Success,
    /// The order exists, created by an attempt whose answer was lost.
    AlreadyCreated,
}

struct Cell {
    name: &'static str,
    fault: fn() -> Fault,
    query: Expect,
    order: Expect,
}

const MATRIX: &[Cell] = &[
    Cell {
        name: "HTTP 500 before processing",
        fault: || Fault::http_status(500).times(1),
        query: Expect::Success,
        order: Expect::Success,
    },
    Cell {
        name: "HTTP 503 after processing",
        fault: || Fault::http_status(503).times(1).after(),
        query: Expect::Success,
        order: Expect::AlreadyCreated,
    },
    Cell {
        name: "HTTP 429 + Retry-After",
        fault: || Fault::too_many_requests(1).times(1),
        query: Expect::Success,
        order: Expect::Success,
    },
    Cell {
        name: "9000004 QPS limit",
        fault: || Fault::return_code("9000004").times(1),
        query: Expect::Success,
        order: Expect::Success,
    },
    Cell {
        name: "delay beyond the attempt timeout",
        fault: || Fault::delay(Duration::from_millis(1_500)).times(1),
        query: Expect::Success,
        order: Expect::AlreadyCreated,
    },
    Cell {
        name: "connection dropped before processing",
        fault: || Fault::drop_connection().times(1),
        query: Expect::Success,
        order: Expect::Success,
    },
    Cell {
        name: "connection dropped after processing",
        fault: || Fault::drop_connection().times(1).after(),
        query: Expect::Success,
        order: Expect::AlreadyCreated,
    },
    Cell {
        name: "1000154 being processed",
        fault: || Fault::return_code("1000154").times(1).after(),
        query: Expect::Success,
        order: Expect::AlreadyCreated,
    },
    Cell { name: "tokens expired", fault: Fault::expire_tokens, query: Expect::Success, order: Expect::Success },
    Cell {
        name: "clock skew 15 minutes",
        fault: || Fault::clock_skew(900),
        query: Expect::Success,
        order: Expect::Success,
    },
    Cell {
        name: "answer shape: msg key",
        fault: || Fault::shape(ShapeVariant::MsgKey),
        query: Expect::Success,
        order: Expect::Success,
    },
    Cell {
        name: "answer shape: numbers as strings",
        fault: || Fault::shape(ShapeVariant::NumbersAsStrings),
        query: Expect::Success,
        order: Expect::Success,
    },
];

async fn start() -> (SandboxHandle, Client) {
    let sb = Sandbox::builder().start().await.unwrap();
    let mut cfg = Config::new(sb.base_url(), sb.app_key(), sb.app_secret());
    cfg.attempt_timeout_ms = 1_000;
    cfg.total_timeout_ms = 15_000;
    let client = Client::new(cfg).unwrap();
    client.access_token().await.unwrap();
    (sb, client)
}

fn targeted(cell: &Cell, op: &str) -> Fault {
    let f = (cell.fault)();
    // Token expiry and skew act on every call; the rest hit only the operation under test.
    if matches!(f.kind, cmi_sandbox::FaultKind::ExpireTokens | cmi_sandbox::FaultKind::ClockSkew { .. }) {
        f
    } else {
        f.on(op)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_survive_every_fault() {
    for cell in MATRIX {
        let (sb, client) = start().await;
        sb.fault(targeted(cell, "query_quota")).unwrap();
        let answer = client.query_quota(&QueryQuotaRequest::by_iccid(demo::ICCID_ACTIVE)).await;
        assert_eq!(cell.query, Expect::Success);
        let answer = answer.unwrap_or_else(|e| panic!("query under `{}`: {e}", cell.name));
        assert!(answer.current().is_some(), "query under `{}` lost the quota", cell.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyed_writes_are_never_lost_nor_bought_twice() {
    for (i, cell) in MATRIX.iter().enumerate() {
        let (sb, client) = start().await;
        let before = sb.state().deposit.amount_cents;
        sb.fault(targeted(cell, "create_order")).unwrap();
        let third = format!("MATRIX-{i}");
        let order = CreateOrderRequest::bundle(
            &third,
            demo::ICCID_STOCK[i % demo::ICCID_STOCK.len()],
            demo::BUNDLE_HK_DAILY,
            1,
        );
        let outcome = client.create_order_once(&order, &third).await;
        match (cell.order, &outcome) {
            (Expect::Success, OrderOutcome::Created(_)) => {}
            (Expect::AlreadyCreated, OrderOutcome::AlreadyCreated { .. } | OrderOutcome::Created(_)) => {}
            _ => panic!("order under `{}`: expected {:?}, got {outcome:?}", cell.name, cell.order),
        }
        // Give a delayed request time to land, then count.
        tokio::time::sleep(Duration::from_millis(if cell.name.starts_with("delay") { 700 } else { 0 })).await;
        let state = sb.state();
        let placed = state.orders.iter().filter(|o| o.third_order_id == third).count();
        assert_eq!(placed, 1, "order under `{}` placed {placed} times", cell.name);
        assert_eq!(state.deposit.amount_cents, before - 500, "order under `{}` charged wrongly", cell.name);
    }
}

/// A webhook that fails in the ways a real one does. It verifies every delivery with the
/// SDK's receiver (WSSE against the channel's credentials, replay window, dedupe) and
/// acknowledges only after its handler succeeded.
struct Hook {
    url: String,
    handled: Arc<Mutex<Vec<String>>>,
    requests: Arc<AtomicUsize>,
}

async fn read_request(s: &mut tokio::net::TcpStream) -> Option<(Vec<(String, String)>, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let n = match s.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let headers: Vec<(String, String)> = head
        .split("\r\n")
        .skip(1)
        .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())))
        .collect();
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    while buf.len() < head_end + 4 + len {
        match s.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    Some((headers, buf[head_end + 4..head_end + 4 + len].to_vec()))
}

async fn flaky_hook(mode: &'static str) -> Hook {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let options = VerifyOptions::new()
        .wsse(DEMO_APP_KEY, Secret::new(DEMO_APP_SECRET))
        .replay_protection(SystemClock)
        .allow_ips(["127.0.0.0/8"])
        .dedupe(10_000);
    let receiver = Arc::new(CallbackReceiver::new(options).unwrap());
    let handled: Arc<Mutex<Vec<String>>> = Arc::default();
    let requests = Arc::new(AtomicUsize::new(0));
    let (h, r) = (handled.clone(), requests.clone());
    tokio::spawn(async move {
        while let Ok((mut s, peer)) = listener.accept().await {
            let (h, r, receiver) = (h.clone(), r.clone(), receiver.clone());
            tokio::spawn(async move {
                let Some((headers, body)) = read_request(&mut s).await else { return };
                let nth = r.fetch_add(1, Ordering::SeqCst);
                // Every third request fails in the chosen way; the platform must retry.
                let fail = nth % 3 == 0;
                match mode {
                    "500" if fail => {
                        let _ = s.write_all(b"HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n").await;
                        return;
                    }
                    "drop" if fail => return,
                    _ => {}
                }
                let reply = receiver.handle(Some(peer.ip()), &headers, &body, |event| {
                    if mode == "handler-fails" && fail {
                        return Err("database unavailable");
                    }
                    h.lock().unwrap().push(event.dedupe_key());
                    Ok(())
                });
                let head = format!("HTTP/1.1 {} X\r\nContent-Length: {}\r\n\r\n", reply.status, reply.body.len());
                let _ = s.write_all(head.as_bytes()).await;
                let _ = s.write_all(&reply.body).await;
            });
        }
    });
    Hook { url, handled, requests }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callbacks_are_delivered_once_through_every_receiver_fault() {
    for mode in ["500", "drop", "handler-fails"] {
        let sb = Sandbox::builder().callback_retry(8, Duration::from_millis(20)).start().await.unwrap();
        let hook = flaky_hook(mode).await;
        sb.register_callback_url(&hook.url).unwrap();
        sb.esim_action(demo::ICCID_STOCK[0], cmi_sandbox::EsimAction::Install).unwrap();
        sb.set_location(demo::ICCID_PENDING, "460").unwrap();
        sb.advance_clock(Duration::from_secs(86_400));
        let mut settled = false;
        for _ in 0..250 {
            if sb.deliveries().iter().all(|d| d.state != DeliveryState::Pending) {
                settled = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(settled, "{mode}: deliveries still pending");
        let deliveries = sb.deliveries();
        assert!(deliveries.len() >= 4, "{mode}: {} deliveries", deliveries.len());
        assert!(deliveries.iter().all(|d| d.state == DeliveryState::Delivered), "{mode}: {deliveries:?}");
        let handled = hook.handled.lock().unwrap().clone();
        let unique: HashSet<_> = handled.iter().collect();
        assert_eq!(unique.len(), handled.len(), "{mode}: an event was handled twice");
        assert_eq!(handled.len(), deliveries.len(), "{mode}: every delivery handled once");
        assert!(hook.requests.load(Ordering::SeqCst) > deliveries.len(), "{mode}: the faults forced retries");
    }
}
