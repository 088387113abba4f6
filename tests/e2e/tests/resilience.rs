//! Resilience against the sandbox over loopback: exactly-once orders through lost answers and
//! "being processed", the retry hook and budget, the rate limiter, the guard and the redacted
//! hooks.

use cmi_core::api::catalogue::QueryDataBundlesRequest;
use cmi_core::api::orders::CreateOrderRequest;
use cmi_core::guard::{Guard, SpendLimit};
use cmi_core::retry::{RetryEvent, RetryPolicy};
use cmi_core::{Client, Config, ErrorKind, OrderOutcome};
use cmi_sandbox::{Fault, Sandbox, SandboxHandle, demo};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

async fn sandbox() -> SandboxHandle {
    Sandbox::builder().start().await.expect("sandbox starts")
}

fn config(sb: &SandboxHandle) -> Config {
    let mut c = Config::new(sb.base_url(), sb.app_key(), sb.app_secret());
    c.attempt_timeout_ms = 1_000;
    c.total_timeout_ms = 10_000;
    c
}

fn order(third: &str, iccid: &str) -> CreateOrderRequest {
    CreateOrderRequest::bundle(third, iccid, demo::BUNDLE_HK_DAILY, 1)
}

fn orders_for(sb: &SandboxHandle, third: &str) -> usize {
    sb.state().orders.iter().filter(|o| o.third_order_id == third).count()
}

#[tokio::test]
async fn a_lost_answer_is_reconciled_not_charged_twice() {
    let sb = sandbox().await;
    let client = Client::new(config(&sb)).unwrap();
    let before = sb.state().deposit.amount_cents;
    // The platform creates the order, then the connection drops before the answer.
    sb.fault(Fault::drop_connection().on("create_order").times(1).after()).unwrap();
    let outcome = client.create_order_once(&order("SHOP-1", demo::ICCID_STOCK[0]), "checkout-1").await;
    assert!(matches!(outcome, OrderOutcome::AlreadyCreated { .. }), "{outcome:?}");
    assert!(outcome.order_id().is_some(), "order id found on the card: {outcome:?}");
    assert_eq!(orders_for(&sb, "SHOP-1"), 1);
    assert_eq!(sb.state().deposit.amount_cents, before - 500, "charged exactly once");

    // The same checkout again, later: the duplicate code resolves to the existing order.
    let again = client.create_order_once(&order("SHOP-1", demo::ICCID_STOCK[0]), "checkout-1").await;
    assert!(matches!(again, OrderOutcome::AlreadyCreated { .. }), "{again:?}");
    assert_eq!(sb.state().deposit.amount_cents, before - 500);
}

#[tokio::test]
async fn a_request_lost_before_the_platform_saw_it_is_resent_once() {
    let sb = sandbox().await;
    let client = Client::new(config(&sb)).unwrap();
    // Dropped before processing: the platform never saw it; reconciliation says "absent".
    sb.fault(Fault::drop_connection().on("create_order").times(1)).unwrap();
    let outcome = client.create_order_once(&order("SHOP-2", demo::ICCID_STOCK[1]), "checkout-2").await;
    assert!(matches!(outcome, OrderOutcome::Created(_)), "{outcome:?}");
    assert_eq!(orders_for(&sb, "SHOP-2"), 1);
    assert_eq!(sb.stats().calls_of("query_quota"), 1, "asked before resending");
}

#[tokio::test]
async fn being_processed_is_reconciled() {
    let sb = sandbox().await;
    let client = Client::new(config(&sb)).unwrap();
    sb.fault(Fault::return_code("1000154").on("create_order").times(1).after()).unwrap();
    let outcome = client.create_order_once(&order("SHOP-3", demo::ICCID_STOCK[2]), "checkout-3").await;
    assert!(outcome.is_success(), "{outcome:?}");
    assert_eq!(orders_for(&sb, "SHOP-3"), 1);
}

#[tokio::test]
async fn refusals_are_final_and_unreachable_platforms_are_unknown() {
    let sb = sandbox().await;
    let client = Client::new(config(&sb)).unwrap();
    let outcome = client
        .create_order_once(
            &CreateOrderRequest::bundle("SHOP-5", demo::ICCID_STOCK[3], demo::BUNDLE_TH_OFF_SALE, 1),
            "c5",
        )
        .await;
    assert!(matches!(outcome, OrderOutcome::Failed(_)), "{outcome:?}");
    assert_eq!(orders_for(&sb, "SHOP-5"), 0);

    // Every answer lost, and the platform unreachable for the check: unknown, with advice.
    sb.fault(Fault::drop_connection().on("*").times(50)).unwrap();
    let unknown = client.create_order_once(&order("SHOP-6", demo::ICCID_STOCK[4]), "checkout-6").await;
    match unknown {
        OrderOutcome::Unknown { check, third_order_id, .. } => {
            assert_eq!(third_order_id, "SHOP-6");
            assert!(check.contains("same idempotency key"), "{check}");
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
}

#[tokio::test]
async fn retries_call_the_hook_and_honour_the_budget() {
    let sb = sandbox().await;
    let events: Arc<Mutex<Vec<RetryEvent>>> = Arc::default();
    let seen = events.clone();
    let policy =
        RetryPolicy::default().max_retries(3).budget(2).on_retry(move |e| seen.lock().unwrap().push(e.clone()));
    let client = Client::builder(config(&sb)).retry_policy(policy).build().unwrap();
    client.access_token().await.unwrap();
    sb.fault(Fault::http_status(503).on("query_data_bundles").times(2)).unwrap();
    client.query_data_bundles(&QueryDataBundlesRequest::default()).await.unwrap();
    {
        let events = events.lock().unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].status, Some(503));
        assert_eq!(events[0].operation, "query_data_bundles");
    }
    // The budget (2 retries) is spent: the next failure is not retried.
    sb.fault(Fault::http_status(503).on("query_data_bundles").times(1)).unwrap();
    let err = client.query_data_bundles(&QueryDataBundlesRequest::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HttpStatus);
    assert_eq!(client.retry_budget_remaining(), 0);
}

#[tokio::test]
async fn the_rate_limit_paces_calls() {
    let sb = sandbox().await;
    let client = Client::builder(config(&sb)).rate_limit(20.0, 1).build().unwrap();
    client.access_token().await.unwrap();
    let started = Instant::now();
    for _ in 0..6 {
        client.query_data_bundles(&QueryDataBundlesRequest::default()).await.unwrap();
    }
    // 6 calls at 20/s with no burst: at least 5 intervals of 50 ms.
    assert!(started.elapsed() >= Duration::from_millis(240), "{:?}", started.elapsed());
}

#[tokio::test]
async fn the_guard_refuses_before_sending() {
    let sb = sandbox().await;
    let read_only = Client::builder(config(&sb)).guard(Guard::new().read_only(true)).build().unwrap();
    let err = read_only.create_order(&order("G-1", demo::ICCID_STOCK[0])).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Refused);
    read_only.query_data_bundles(&QueryDataBundlesRequest::default()).await.unwrap();

    let allow = Client::builder(config(&sb))
        .guard(Guard::new().allow_iccids(|i| i == demo::ICCID_STOCK[0]).allow_operations(["create_order"]))
        .build()
        .unwrap();
    assert!(
        allow.create_order(&order("G-2", demo::ICCID_STOCK[1])).await.unwrap_err().to_string().contains("allow-list")
    );
    assert_eq!(
        allow.query_data_bundles(&QueryDataBundlesRequest::default()).await.unwrap_err().kind(),
        ErrorKind::Refused
    );

    let dry = Client::builder(config(&sb)).guard(Guard::new().dry_run(true)).build().unwrap();
    let err = dry.create_order(&order("G-3", demo::ICCID_STOCK[0])).await.unwrap_err();
    assert!(err.to_string().contains("dry run"), "{err}");
    assert_eq!(sb.stats().calls_of("create_order"), 0, "nothing was sent");

    // Spend ceilings, priced from the catalogue: HK daily is USD 5.00.
    let limit = SpendLimit { currency: "USD".into(), per_call_cents: Some(1_000), per_day_cents: Some(1_200) };
    let capped = Client::builder(config(&sb)).guard(Guard::new().spend_limit(limit)).build().unwrap();
    capped.create_order(&order("G-4", demo::ICCID_STOCK[0])).await.unwrap();
    capped.create_order(&order("G-5", demo::ICCID_STOCK[1])).await.unwrap();
    let err = capped.create_order(&order("G-6", demo::ICCID_STOCK[2])).await.unwrap_err();
    assert!(err.to_string().contains("daily limit"), "{err}");
    let big = CreateOrderRequest::bundle("G-7", demo::ICCID_STOCK[3], demo::BUNDLE_ASIA, 1);
    assert!(capped.create_order(&big).await.unwrap_err().to_string().contains("per-call limit"));
    assert_eq!(capped.spent_today_cents(), 1_000);
    assert_eq!(sb.stats().calls_of("create_order"), 2);
}

#[tokio::test]
async fn hooks_see_redacted_bodies_only() {
    let sb = sandbox().await;
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let (req_seen, resp_seen) = (seen.clone(), seen.clone());
    let client = Client::builder(config(&sb))
        .on_request(move |r| req_seen.lock().unwrap().push(format!("{} {}", r.operation, r.body)))
        .on_response(move |r| resp_seen.lock().unwrap().push(format!("{} {:?} {}", r.operation, r.code, r.body)))
        .build()
        .unwrap();
    let token = client.access_token().await.unwrap();
    client.query_data_bundles(&QueryDataBundlesRequest::default()).await.unwrap();
    let seen = seen.lock().unwrap().join("\n");
    assert!(seen.contains("query_data_bundles"), "{seen}");
    assert!(seen.contains(r#""accessToken":"***""#), "{seen}");
    assert!(!seen.contains(token.expose()), "token leaked to a hook");
    assert!(!seen.contains(demo_secret()), "secret leaked to a hook");
}

fn demo_secret() -> &'static str {
    cmi_sandbox::DEMO_APP_SECRET
}
