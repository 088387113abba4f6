//! Shared helpers of the end-to-end tests: a sandbox per test (free port, business clock
//! pinned), the real `cmi_core::Client` pointed at it with the demo credentials, and small
//! assertions on typed errors and on the sandbox's call counters.
#![allow(dead_code, unused_imports)]

pub use cmi_core::datetime::DateTime;
pub use cmi_core::{Category, Client, Config, Error, ErrorKind};
pub use cmi_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, Fault, Sandbox, SandboxBuilder, SandboxHandle, Stats, demo};
use std::time::Duration;

/// Business time every sandbox starts at: 2025-06-10T12:00:00Z, mid-day and mid-month, so
/// that day- and month-bound rules (daily quotas, 3.2.12's "same month") never straddle a
/// boundary during a test, whatever the real date.
pub fn start_at() -> i64 {
    DateTime::new(2025, 6, 10, 12, 0, 0).expect("date").unix_seconds()
}

/// The builder every test starts from: free port, pinned business clock, fast callback retries.
pub fn builder() -> SandboxBuilder {
    Sandbox::builder().start_at(start_at()).callback_retry(6, Duration::from_millis(50))
}

/// A sandbox with the defaults of [`builder`].
pub async fn sandbox() -> SandboxHandle {
    builder().start().await.expect("sandbox starts")
}

/// Settings for the demo channel on `sb` (plain http to 127.0.0.1 needs no insecure flag).
pub fn config(sb: &SandboxHandle) -> Config {
    Config::new(sb.base_url(), DEMO_APP_KEY, DEMO_APP_SECRET)
}

/// The real client with the built-in (reqwest) transport and default settings.
pub fn client(sb: &SandboxHandle) -> Client {
    Client::new(config(sb)).expect("client builds")
}

/// The real client with adjusted settings.
pub fn client_with(sb: &SandboxHandle, adjust: impl FnOnce(&mut Config)) -> Client {
    let mut c = config(sb);
    adjust(&mut c);
    Client::new(c).expect("client builds")
}

/// Business time of the sandbox as a typed UTC instant.
pub fn business_now(sb: &SandboxHandle) -> DateTime {
    DateTime::from_unix(sb.now())
}

/// Asserts a platform error with this code and kind, and returns it.
#[track_caller]
pub fn assert_code(result: Result<impl std::fmt::Debug, Error>, code: &str, kind: ErrorKind) -> Error {
    let e = result.expect_err(&format!("expected code {code}"));
    assert_eq!(e.code(), Some(code), "{e}");
    assert_eq!(e.kind(), kind, "{e}");
    let api = e.api().expect("a platform error");
    assert!(api.meaning.is_some(), "code {code} has a documented meaning: {e}");
    e
}

/// Asserts a business-rule (or other [`ErrorKind::Api`]) error with this code.
#[track_caller]
pub fn assert_api(result: Result<impl std::fmt::Debug, Error>, code: &str) -> Error {
    assert_code(result, code, ErrorKind::Api)
}

/// Asserts that the request was refused before sending with a validation error naming
/// `field`, and that the sandbox saw no call since `before` (not even a token request).
#[track_caller]
pub fn assert_refused_locally(
    result: Result<impl std::fmt::Debug, Error>,
    field: &str,
    sb: &SandboxHandle,
    before: &Stats,
) -> Error {
    let e = result.expect_err(&format!("expected a validation error on {field}"));
    assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
    assert_eq!(e.category(), Category::Validation, "{e}");
    assert!(e.field().is_some_and(|f| f.contains(field)), "the error should name {field}: {e:?}");
    let after = sb.stats();
    assert_eq!(after.total_calls, before.total_calls, "nothing may reach the platform: {:?}", after.calls);
    assert_eq!(after.token_issues, before.token_issues);
    e
}

/// Polls `cond` every 20 ms until it holds or `timeout` passes.
pub async fn eventually(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let until = std::time::Instant::now() + timeout;
    loop {
        if cond() {
            return true;
        }
        if std::time::Instant::now() >= until {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
