//! Authentication: 3.2.1 `get_access_token` as a diagnostic call, WSSE failures, and the
//! token lifecycle (single flight on a cold client, refresh once after expiry, short TTLs,
//! a shared token store) counted by the sandbox.

mod support;

use cmi_core::api::GetAccessTokenRequest;
use cmi_core::api::upcc::QueryUpccTemplatesRequest;
use cmi_core::{MemoryTokenStore, TokenStore};
use cmi_sandbox::{OTHER_APP_KEY, OTHER_APP_SECRET};
use std::sync::Arc;
use std::time::Duration;
use support::*;

/// A cheap query that needs a token.
async fn ping(c: &Client) -> Result<usize, Error> {
    c.query_upcc_templates(&QueryUpccTemplatesRequest::new()).await.map(|r| r.upcc_template.len())
}

const PING: &str = "query_upcc_templates";

#[tokio::test]
async fn get_access_token_answers_a_jwt_with_its_expiry() {
    let sb = sandbox().await;
    let c = client(&sb);
    let r = c.get_access_token(&GetAccessTokenRequest::new(DEMO_APP_KEY)).await.unwrap();
    let token = r.access_token.clone().expect("accessToken");
    assert_eq!(token.expose().split('.').count(), 3, "header.payload.signature");
    let expires = r.expire_time.expect("expireTime").unix_seconds();
    let now = DateTime::from_unix(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64,
    );
    assert!((expires - now.unix_seconds() - 600).abs() <= 5, "the default TTL is 10 minutes");
    assert!(!format!("{r:?}").contains(token.expose()), "Debug never prints the token");
    assert_eq!(sb.stats().token_issues, 1);

    // The diagnostic call does not fill the cache: the first business call fetches its own.
    assert_eq!(c.token_requests(), 0);
    assert_eq!(ping(&c).await.unwrap(), 5);
    assert_eq!((c.token_requests(), sb.stats().token_issues), (1, 2));
    let cached = c.access_token().await.unwrap();
    assert_ne!(cached, token, "every issue is a new token");
    assert_eq!(sb.stats().token_issues, 2, "access_token() serves the cached token");
}

#[tokio::test]
async fn token_requests_the_platform_refuses() {
    let sb = sandbox().await;
    let c = client(&sb);
    // Another channel's key in the body while signing with ours.
    let e =
        assert_code(c.get_access_token(&GetAccessTokenRequest::new(OTHER_APP_KEY)).await, "1000002", ErrorKind::Auth);
    assert_eq!(e.category(), Category::Auth);
    assert!(!e.retryable());
    // A key the platform does not know.
    let unknown = GetAccessTokenRequest::new("ffffffffffffffffffffffffffffffff");
    assert_code(c.get_access_token(&unknown).await, "1000006", ErrorKind::Auth);
    // An account type other than the channel's 106.
    let mut wrong_type = GetAccessTokenRequest::new(DEMO_APP_KEY);
    wrong_type.account_type = "107".into();
    let e = assert_api(c.get_access_token(&wrong_type).await, "1000007");
    assert!(e.description().contains("type"), "{e}");
    assert_eq!(sb.stats().calls_of("get_access_token"), 3, "auth failures are not retried");
    assert_eq!(sb.stats().token_issues, 0);

    let before = sb.stats();
    assert_refused_locally(c.get_access_token(&GetAccessTokenRequest::new("")).await, "id", &sb, &before);
}

#[tokio::test]
async fn wrong_credentials_fail_once_with_an_auth_error_that_hides_the_secret() {
    let sb = sandbox().await;
    let c = client_with(&sb, |cfg| cfg.app_secret = cmi_core::Secret::new("wrong-secret-value"));
    let e = assert_code(ping(&c).await, "1000001", ErrorKind::Auth);
    assert!(!e.to_string().contains("wrong-secret-value") && !format!("{e:?}").contains("wrong-secret-value"));
    let stats = sb.stats();
    assert_eq!((stats.total_calls, stats.calls_of("get_access_token"), stats.token_issues), (1, 1, 0));

    let stranger =
        Client::new(Config::new(sb.base_url(), "00000000000000000000000000000000", DEMO_APP_SECRET)).unwrap();
    assert_code(ping(&stranger).await, "1000006", ErrorKind::Auth);

    // The other channel's own credentials work, and its token is its own.
    let other = Client::new(Config::new(sb.base_url(), OTHER_APP_KEY, OTHER_APP_SECRET)).unwrap();
    assert_eq!(ping(&other).await.unwrap(), 5);
    assert_eq!(sb.stats().token_issues, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cold_client_fetches_one_token_for_a_hundred_concurrent_calls() {
    let sb = sandbox().await;
    let c = client(&sb);
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let c = c.clone();
        calls.spawn(async move { ping(&c).await });
    }
    let mut ok = 0;
    while let Some(r) = calls.join_next().await {
        assert_eq!(r.expect("task").expect("call"), 5);
        ok += 1;
    }
    assert_eq!(ok, 100);
    let stats = sb.stats();
    assert_eq!(stats.token_issues, 1, "single flight");
    assert_eq!(stats.calls_of("get_access_token"), 1);
    assert_eq!(stats.calls_of(PING), 100, "no call was rejected and repeated");
    assert_eq!(c.token_requests(), 1);
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_the_call_succeeds() {
    let sb = sandbox().await;
    let c = client(&sb);
    ping(&c).await.unwrap();
    assert_eq!(sb.stats().token_issues, 1);

    sb.expire_tokens();
    assert_eq!(ping(&c).await.unwrap(), 5);
    let stats = sb.stats();
    assert_eq!(stats.token_issues, 2);
    assert_eq!(stats.calls_of(PING), 3, "one refused with 1000008, then repeated once");

    // The same through the fault API.
    assert_eq!(sb.fault(Fault::expire_tokens()).unwrap(), 0);
    ping(&c).await.unwrap();
    assert_eq!(sb.stats().token_issues, 3);

    // Forgetting the token locally fetches a new one without a refused call.
    c.invalidate_token().await;
    ping(&c).await.unwrap();
    let stats = sb.stats();
    assert_eq!((stats.token_issues, stats.calls_of(PING)), (4, 6));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_callers_holding_an_expired_token_share_one_refresh() {
    let sb = sandbox().await;
    let c = client(&sb);
    ping(&c).await.unwrap();
    sb.expire_tokens();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let c = c.clone();
        calls.spawn(async move { ping(&c).await });
    }
    while let Some(r) = calls.join_next().await {
        r.expect("task").expect("every call succeeds after the refresh");
    }
    assert_eq!(sb.stats().token_issues, 2, "one refresh for all of them");
}

#[tokio::test]
async fn a_short_token_ttl_is_refreshed_before_it_runs_out() {
    let sb = builder().token_ttl(Duration::from_secs(2)).start().await.unwrap();
    let c = client(&sb);
    ping(&c).await.unwrap();
    ping(&c).await.unwrap();
    assert_eq!(sb.stats().token_issues, 1, "still fresh: reused");
    tokio::time::sleep(Duration::from_millis(2200)).await;
    ping(&c).await.unwrap();
    let stats = sb.stats();
    assert_eq!(stats.token_issues, 2);
    assert_eq!(stats.calls_of(PING), 3, "refreshed ahead of expiry: no call was refused");
}

#[tokio::test]
async fn clients_sharing_a_token_store_share_the_token() {
    let sb = sandbox().await;
    let store: Arc<dyn TokenStore> = Arc::new(MemoryTokenStore::new());
    let a = Client::builder(config(&sb)).token_store_arc(store.clone()).build().unwrap();
    let b = Client::builder(config(&sb)).token_store_arc(store).build().unwrap();
    ping(&a).await.unwrap();
    ping(&b).await.unwrap();
    assert_eq!(sb.stats().token_issues, 1);
    assert_eq!((a.token_requests(), b.token_requests()), (1, 0));
}

#[tokio::test]
async fn a_token_answer_without_a_token_is_an_auth_error() {
    let sb = sandbox().await;
    let c = client(&sb);
    // A success code and nothing else.
    sb.fault(Fault::return_code("0000000").on("get_access_token").times(1)).unwrap();
    let e = ping(&c).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e:?}");
    assert_eq!(e.category(), Category::Auth);
    assert!(e.to_string().contains("accessToken"), "{e}");
    assert_eq!(sb.stats().calls_of(PING), 0, "no call without a token");
    // The next call gets a real one.
    assert_eq!(ping(&c).await.unwrap(), 5);
}
