//! Every fault kind of the sandbox against the real client: HTTP 5xx and 429, delays past the
//! attempt timeout, dropped connections, the retryable return codes 1000154 and 9000004,
//! expired tokens and clock skew. Queries are retried within `max_retries`; money-moving and
//! other commands are not, and the tests show what the caller sees and how to reconcile.

mod support;

use cmi_core::api::orders::CreateOrderRequest;
use cmi_core::api::subscriptions::QuerySubscribedBundlesRequest;
use cmi_core::api::upcc::QueryUpccTemplatesRequest;
use cmi_core::api::usage::QueryQuotaRequest;
use cmi_core::api::{Language, lifecycle::ActivateDataBundleRequest};
use cmi_core::{OrderOutcome, TimeoutPhase};
use std::time::{Duration, Instant};
use support::*;

/// A cheap query that needs a token.
async fn ping(c: &Client) -> Result<usize, Error> {
    c.query_upcc_templates(&QueryUpccTemplatesRequest::new()).await.map(|r| r.upcc_template.len())
}

const PING: &str = "query_upcc_templates";
const ORDER: &str = "create_order";
const DEPOSIT: i64 = 100_000;

fn order(third: &str, txn: &str) -> CreateOrderRequest {
    CreateOrderRequest::bundle(third, demo::ICCID_ESIM, demo::BUNDLE_HK_DAILY, 1).with_transaction_code(txn)
}

/// The orders the sandbox holds with this partner order id.
fn orders_named(sb: &SandboxHandle, third: &str) -> usize {
    sb.state().orders.iter().filter(|o| o.third_order_id == third).count()
}

#[tokio::test]
async fn http_5xx_is_retried_for_queries_within_max_retries() {
    let sb = sandbox().await;
    let c = client(&sb); // max_retries 2
    ping(&c).await.unwrap();

    sb.fault(Fault::http_status(503).on(PING).times(2)).unwrap();
    assert_eq!(ping(&c).await.unwrap(), 5, "two 503s, then an answer");
    assert_eq!(sb.stats().calls_of(PING), 1 + 3);
    assert!(sb.faults().is_empty(), "the budget is spent");

    sb.fault(Fault::http_status(500).on(PING).times(3)).unwrap();
    let e = ping(&c).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::HttpStatus, "{e}");
    assert!(matches!(e, Error::HttpStatus { status: 500, retry_after_ms: None, .. }), "{e:?}");
    assert_eq!(e.category(), Category::Transient);
    assert!(e.retryable());
    assert_eq!(sb.stats().calls_of(PING), 4 + 3, "one try and two retries");

    // A client that may not retry gives up at once.
    let strict = client_with(&sb, |cfg| cfg.max_retries = 0);
    sb.fault(Fault::http_status(502).on(PING).times(1)).unwrap();
    assert!(matches!(ping(&strict).await, Err(Error::HttpStatus { status: 502, .. })));
    assert_eq!(sb.stats().calls_of(PING), 7 + 1);
}

#[tokio::test]
async fn http_5xx_on_a_command_is_not_retried() {
    let sb = sandbox().await;
    let c = client(&sb);
    sb.fault(Fault::http_status(503).on(ORDER).times(1)).unwrap();
    let e = c.create_order(&order("f-503", "tx-503")).await.unwrap_err();
    assert!(matches!(e, Error::HttpStatus { status: 503, .. }), "{e:?}");
    assert_eq!(sb.stats().calls_of(ORDER), 1, "a money-moving call is never repeated by the client");
    assert_eq!(orders_named(&sb, "f-503"), 0, "the fault struck before processing");
    assert_eq!(sb.state().deposit.amount_cents, DEPOSIT);
    // The caller may repeat it: the transaction code makes that safe.
    c.create_order(&order("f-503", "tx-503")).await.unwrap();
    assert_eq!(orders_named(&sb, "f-503"), 1);

    sb.fault(Fault::http_status(500).on("activate_data_bundle").times(1)).unwrap();
    let activate = ActivateDataBundleRequest::for_iccid(demo::ICCID_PENDING, demo::BUNDLE_CN_3GB, "460");
    assert!(matches!(c.activate_data_bundle(&activate).await, Err(Error::HttpStatus { status: 500, .. })));
    assert_eq!(sb.stats().calls_of("activate_data_bundle"), 1);
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_is_a_configuration_error() {
    // A 3xx from the API means the base URL is wrong; following it would re-send the signed
    // request (a POST turned GET) to wherever `Location` points.
    let sb = sandbox().await;
    let c = client(&sb);
    ping(&c).await.unwrap();
    sb.fault(Fault::http_status(302).on(PING).times(1)).unwrap();
    let e = ping(&c).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config, "{e:?}");
    assert!(!e.retryable());
    assert!(e.to_string().contains("redirect (HTTP 302)") && e.to_string().contains("baseUrl"), "{e}");
    assert_eq!(sb.stats().calls_of(PING), 2, "not retried, not followed");

    // Not carried out, so an exactly-once order fails at once: no resend, no reconciling.
    sb.fault(Fault::http_status(301).on(ORDER).times(1)).unwrap();
    let asked = sb.stats().calls_of("query_quota");
    let outcome = c.create_order_once(&order("f-301", "tx-301"), "f-301").await;
    assert!(matches!(&outcome, OrderOutcome::Failed(e) if e.kind() == ErrorKind::Config), "{outcome:?}");
    assert_eq!(sb.stats().calls_of(ORDER), 1);
    assert_eq!(sb.stats().calls_of("query_quota"), asked);
    assert_eq!(orders_named(&sb, "f-301"), 0);
}

#[tokio::test]
async fn http_429_waits_for_retry_after() {
    let sb = sandbox().await;
    let c = client(&sb);
    ping(&c).await.unwrap();

    sb.fault(Fault::too_many_requests(1).on(PING).times(1)).unwrap();
    let t = Instant::now();
    assert_eq!(ping(&c).await.unwrap(), 5);
    assert!(t.elapsed() >= Duration::from_millis(1000), "Retry-After: 1 is honoured ({:?})", t.elapsed());
    assert_eq!(sb.stats().calls_of(PING), 3);

    sb.fault(Fault::too_many_requests(2).on(ORDER).times(1)).unwrap();
    let t = Instant::now();
    let e = c.create_order(&order("f-429", "tx-429")).await.unwrap_err();
    assert!(t.elapsed() < Duration::from_millis(1000), "commands are not retried, so no wait");
    assert!(matches!(e, Error::HttpStatus { status: 429, retry_after_ms: Some(2000), .. }), "{e:?}");
    assert_eq!(e.category(), Category::Throttled);
    assert!(e.retryable());
    assert_eq!(sb.stats().calls_of(ORDER), 1);
}

#[tokio::test]
async fn a_delay_past_the_attempt_timeout_is_a_timeout() {
    let sb = sandbox().await;
    let quick = |retries| {
        client_with(&sb, move |cfg| {
            cfg.attempt_timeout_ms = 300;
            cfg.max_retries = retries;
        })
    };
    let once = quick(0);
    ping(&once).await.unwrap();
    sb.fault(Fault::delay(Duration::from_millis(1500)).on(PING).times(1)).unwrap();
    let t = Instant::now();
    let e = ping(&once).await.unwrap_err();
    assert!(matches!(e, Error::Timeout { phase: TimeoutPhase::Attempt, .. }), "{e:?}");
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.retryable());
    assert!(t.elapsed() < Duration::from_millis(1200), "gave up at the attempt deadline ({:?})", t.elapsed());

    // With retries, the next attempt gets through.
    let retrying = quick(2);
    sb.fault(Fault::delay(Duration::from_millis(1500)).on(PING).times(1)).unwrap();
    assert_eq!(ping(&retrying).await.unwrap(), 5);

    // The whole-call deadline caps the retries.
    let capped = client_with(&sb, |cfg| {
        cfg.attempt_timeout_ms = 300;
        cfg.total_timeout_ms = 500;
        cfg.max_retries = 5;
    });
    ping(&capped).await.unwrap();
    sb.fault(Fault::delay(Duration::from_millis(1500)).on(PING)).unwrap();
    let t = Instant::now();
    assert_eq!(ping(&capped).await.unwrap_err().kind(), ErrorKind::Timeout);
    assert!(t.elapsed() < Duration::from_millis(1200), "{:?}", t.elapsed());
    sb.clear_faults();
}

#[tokio::test]
async fn an_order_whose_answer_times_out_is_not_repeated_and_is_found_by_reconciling() {
    let sb = sandbox().await;
    let c = client_with(&sb, |cfg| cfg.attempt_timeout_ms = 300);
    // Processed (the deposit is charged), but the answer comes too late.
    sb.fault(Fault::delay(Duration::from_millis(1000)).on(ORDER).after().times(1)).unwrap();
    let e = c.create_order(&order("f-late", "tx-late")).await.unwrap_err();
    assert!(matches!(e, Error::Timeout { phase: TimeoutPhase::Attempt, .. }), "{e:?}");
    assert_eq!(sb.stats().calls_of(ORDER), 1, "not repeated");
    assert_eq!(orders_named(&sb, "f-late"), 1, "yet the order exists");
    assert_eq!(sb.state().deposit.amount_cents, DEPOSIT - 500);

    // Reconcile: the partner's order id finds it; repeating with the same transaction code
    // is refused as already created, never bought twice.
    let subs = c
        .query_subscribed_bundles(&QuerySubscribedBundlesRequest::by_iccid(demo::ICCID_ESIM, Language::English))
        .await
        .unwrap();
    assert_eq!(subs.user_data_bundles.len(), 1);
    assert!(c.query_quota(&QueryQuotaRequest::by_third_order_id("f-late")).await.unwrap().quota_list.len() == 1);
    tokio::time::sleep(Duration::from_millis(800)).await; // the late answer has left by now
    assert_api(c.create_order(&order("f-late", "tx-late")).await, "1000162");
    assert_eq!(sb.state().deposit.amount_cents, DEPOSIT - 500);
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error_retried_only_for_queries() {
    let sb = sandbox().await;
    let c = client(&sb);
    ping(&c).await.unwrap();

    sb.fault(Fault::drop_connection().on(PING).times(1)).unwrap();
    assert_eq!(ping(&c).await.unwrap(), 5);
    assert_eq!(sb.stats().calls_of(PING), 3);

    sb.fault(Fault::drop_connection().on(PING).times(3)).unwrap();
    let e = ping(&c).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e:?}");
    assert_eq!(e.category(), Category::Transient);
    assert_eq!(sb.stats().calls_of(PING), 6);

    // Before processing: nothing happened. After: the order exists though the caller saw an error.
    sb.fault(Fault::drop_connection().on(ORDER).times(1)).unwrap();
    assert_eq!(c.create_order(&order("f-drop1", "tx-drop1")).await.unwrap_err().kind(), ErrorKind::Transport);
    assert_eq!(orders_named(&sb, "f-drop1"), 0);
    sb.fault(Fault::drop_connection().on(ORDER).after().times(1)).unwrap();
    assert_eq!(c.create_order(&order("f-drop2", "tx-drop2")).await.unwrap_err().kind(), ErrorKind::Transport);
    assert_eq!(orders_named(&sb, "f-drop2"), 1);
    assert_eq!(sb.stats().calls_of(ORDER), 2, "neither was repeated");
    assert_api(c.create_order(&order("f-drop2", "tx-drop2")).await, "1000162");
}

#[tokio::test]
async fn return_code_9000004_is_throttling_and_retried_for_queries() {
    let sb = sandbox().await;
    let c = client(&sb);
    ping(&c).await.unwrap();
    sb.fault(Fault::return_code("9000004").on(PING).times(1)).unwrap();
    assert_eq!(ping(&c).await.unwrap(), 5);
    assert_eq!(sb.stats().calls_of(PING), 3);

    sb.fault(Fault::return_code("9000004").on(PING).times(3)).unwrap();
    let e = assert_api(ping(&c).await, "9000004");
    assert_eq!(e.category(), Category::Throttled);
    assert!(e.retryable());
    assert_eq!(sb.stats().calls_of(PING), 6);

    sb.fault(Fault::return_code("9000004").on(ORDER).times(1)).unwrap();
    assert_api(c.create_order(&order("f-qps", "tx-qps")).await, "9000004");
    assert_eq!(sb.stats().calls_of(ORDER), 1);
}

#[tokio::test]
async fn return_code_1000154_on_an_order_is_surfaced_and_reconciled() {
    let sb = sandbox().await;
    let c = client(&sb);
    // "Being processed" before processing: nothing bought; repeating succeeds.
    sb.fault(Fault::return_code("1000154").on(ORDER).times(1)).unwrap();
    let e = assert_api(c.create_order(&order("f-154a", "tx-154a")).await, "1000154");
    assert_eq!(e.category(), Category::Transient);
    assert!(e.retryable());
    assert_eq!(sb.stats().calls_of(ORDER), 1, "never repeated by the client");
    assert_eq!(orders_named(&sb, "f-154a"), 0);
    c.create_order(&order("f-154a", "tx-154a")).await.unwrap();

    // After processing: bought; the repeat says so with 1000162 and nothing is charged twice.
    sb.fault(Fault::return_code("1000154").on(ORDER).after().times(1)).unwrap();
    assert_api(c.create_order(&order("f-154b", "tx-154b")).await, "1000154");
    assert_eq!(orders_named(&sb, "f-154b"), 1);
    assert_api(c.create_order(&order("f-154b", "tx-154b")).await, "1000162");
    assert_eq!(sb.state().deposit.amount_cents, DEPOSIT - 1000);

    // For a query, 1000154 is transient and retried.
    sb.fault(Fault::return_code("1000154").on(PING).times(1)).unwrap();
    assert_eq!(ping(&c).await.unwrap(), 5);
}

#[tokio::test]
async fn faults_on_every_operation_also_hit_the_token_request() {
    let sb = sandbox().await;
    let c = client(&sb);
    sb.fault(Fault::http_status(503).times(1)).unwrap();
    assert_eq!(ping(&c).await.unwrap(), 5, "the token request is retried like a query");
    let stats = sb.stats();
    assert_eq!((stats.calls_of("get_access_token"), stats.token_issues, stats.calls_of(PING)), (2, 1, 1));
}

#[tokio::test]
async fn expire_tokens_as_a_fault() {
    let sb = sandbox().await;
    let c = client(&sb);
    ping(&c).await.unwrap();
    assert_eq!(sb.fault(Fault::expire_tokens()).unwrap(), 0, "acts at once, not stored");
    assert!(sb.faults().is_empty());
    assert_eq!(ping(&c).await.unwrap(), 5);
    let stats = sb.stats();
    assert_eq!((stats.token_issues, stats.calls_of(PING)), (2, 3));
}

#[tokio::test]
async fn the_client_measures_clock_skew_from_date_and_signs_with_it() {
    for skew in [900i64, -1200] {
        let sb = sandbox().await;
        sb.fault(Fault::clock_skew(skew)).unwrap();
        let c = client(&sb);
        assert_eq!(c.clock_skew_ms(), 0);
        assert_eq!(ping(&c).await.unwrap(), 5, "one refused Created, then a corrected one");
        let measured = c.clock_skew_ms();
        assert!((measured - skew * 1000).abs() <= 1500, "skew {skew} s, measured {measured} ms");
        let stats = sb.stats();
        assert_eq!(stats.calls_of("get_access_token"), 2, "1000004 once, then the corrected retry");
        assert_eq!(stats.token_issues, 1);
        assert_eq!(stats.calls_of(PING), 1, "signed right the first time once the skew is known");
        ping(&c).await.unwrap();
        assert_eq!(sb.stats().calls_of(PING), 2);
        // The token's expiry is on the platform's clock too: it stays cached.
        assert_eq!(sb.stats().token_issues, 1);
    }
}

#[tokio::test]
async fn skew_within_the_wsse_window_needs_no_correction() {
    let sb = sandbox().await;
    sb.fault(Fault::clock_skew(240)).unwrap();
    let c = client(&sb);
    ping(&c).await.unwrap();
    assert_eq!(c.clock_skew_ms(), 0);
    assert_eq!(sb.stats().calls_of("get_access_token"), 1);
}

#[tokio::test]
async fn a_skew_that_appears_or_goes_mid_session_is_measured_again() {
    let sb = sandbox().await;
    let c = client(&sb);
    ping(&c).await.unwrap();
    assert_eq!(c.clock_skew_ms(), 0);

    // The platform's clock jumps ahead while a token is cached.
    sb.fault(Fault::clock_skew(1800)).unwrap();
    assert_eq!(ping(&c).await.unwrap(), 5);
    assert!((c.clock_skew_ms() - 1_800_000).abs() <= 1500, "{}", c.clock_skew_ms());

    // And back: the stale correction is refused once, measured again, and the call succeeds.
    sb.clear_faults();
    assert_eq!(ping(&c).await.unwrap(), 5);
    assert!(c.clock_skew_ms().abs() <= 1500, "{}", c.clock_skew_ms());
}

#[tokio::test]
async fn an_order_refused_at_authentication_is_resent_once_and_bought_once() {
    let sb = sandbox().await;
    let c = client(&sb);
    ping(&c).await.unwrap();

    // An expired token (1000008) and a skewed clock (1000004) are refused before the order
    // is looked at, so resending it is safe: it is bought exactly once.
    sb.expire_tokens();
    c.create_order(&order("f-auth1", "tx-auth1")).await.unwrap();
    assert_eq!(sb.stats().calls_of(ORDER), 2);
    sb.fault(Fault::clock_skew(-900)).unwrap();
    c.create_order(&order("f-auth2", "tx-auth2")).await.unwrap();
    assert_eq!(sb.stats().calls_of(ORDER), 4);
    assert_eq!((orders_named(&sb, "f-auth1"), orders_named(&sb, "f-auth2")), (1, 1));
    assert_eq!(sb.state().deposit.amount_cents, DEPOSIT - 1000);
}

#[tokio::test]
async fn a_retry_after_beyond_the_deadline_fails_at_once() {
    let sb = sandbox().await;
    let c = client_with(&sb, |cfg| cfg.total_timeout_ms = 3000);
    ping(&c).await.unwrap();
    sb.fault(Fault::too_many_requests(30).on(PING).times(1)).unwrap();
    let t = Instant::now();
    let e = ping(&c).await.unwrap_err();
    assert!(matches!(e, Error::HttpStatus { status: 429, retry_after_ms: Some(30_000), .. }), "{e:?}");
    assert!(t.elapsed() < Duration::from_millis(1000), "no pointless wait ({:?})", t.elapsed());
    assert_eq!(sb.stats().calls_of(PING), 2);
}

#[tokio::test]
async fn a_stopped_platform_is_a_transient_transport_error() {
    let sb = sandbox().await;
    let c = client(&sb);
    ping(&c).await.unwrap();
    sb.shutdown().await;
    let e = ping(&c).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e:?}");
    assert_eq!(e.category(), Category::Transient);
    assert!(e.retryable());
}

#[tokio::test]
async fn every_retry_is_signed_afresh() {
    // Faults in the `after` phase strike once the sandbox has checked the WSSE headers and
    // remembered the nonce, so a retry that reused them would be refused with 1000003.
    let sb = sandbox().await;
    let c = client(&sb);
    ping(&c).await.unwrap();
    sb.fault(Fault::http_status(503).on(PING).after().times(1)).unwrap();
    assert_eq!(ping(&c).await.unwrap(), 5);
    sb.fault(Fault::return_code("9000004").on(PING).after().times(1)).unwrap();
    assert_eq!(ping(&c).await.unwrap(), 5);
    sb.fault(Fault::drop_connection().on(PING).after().times(1)).unwrap();
    assert_eq!(ping(&c).await.unwrap(), 5);
    assert_eq!(sb.stats().calls_of(PING), 1 + 2 * 3);
}

#[tokio::test]
async fn a_token_refused_again_after_the_refresh_is_surfaced() {
    for code in ["1000008", "1000009"] {
        let sb = sandbox().await;
        let c = client(&sb);
        sb.fault(Fault::return_code(code).on(PING)).unwrap();
        let e = assert_code(ping(&c).await, code, ErrorKind::Auth);
        assert!(!e.retryable());
        let stats = sb.stats();
        assert_eq!(stats.calls_of(PING), 2, "{code}: refresh once, retry once");
        assert_eq!(stats.token_issues, 2, "{code}");
    }
}
