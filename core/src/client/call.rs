//! The generic call path shared by every operation.

use super::{Client, httpdate};
use crate::api::GetAccessTokenRequest;
use crate::codes;
use crate::envelope;
use crate::error::{ApiError, Error, Result, TimeoutPhase, scrub};
use crate::guard::{CardTargets, SpendItem};
use crate::observe::{RequestRecord, ResponseRecord, redact_body};
use crate::operation::{Operation, OperationKind, TokenPolicy, WireOptions};
use crate::retry::RetryEvent;
use crate::secret::Secret;
use crate::token::{CachedToken, Refresh};
use crate::transport::{BoxFuture, HttpRequest, TransportError};
use crate::wsse;
use std::sync::atomic::Ordering;
use tracing::Instrument;

/// Without `expireTime`, a token is assumed good for 9 minutes (spec §2.1).
const DEFAULT_TOKEN_LIFETIME_MS: i64 = 9 * 60_000;

/// What the shared call path needs to know about an operation: its constants, read once from
/// the [`Operation`] impl so that the attempt/retry loop below exists once in the binary
/// instead of once per operation.
#[derive(Clone, Copy)]
struct OpFacts {
    name: &'static str,
    path: &'static str,
    kind: OperationKind,
    token: TokenPolicy,
}

impl OpFacts {
    fn of<Op: Operation>() -> Self {
        Self { name: Op::NAME, path: Op::PATH, kind: Op::KIND, token: Op::TOKEN }
    }
}

/// Encodes the validated request with the given token and wire options (a fresh body for
/// every attempt).
type Encode<'a> = &'a (dyn Fn(Option<&str>, &WireOptions) -> Result<Vec<u8>> + Sync);

/// Decodes a 2xx answer body (secrets to scrub given) into the typed response, which the
/// generic caller keeps; an error here is the attempt's outcome, as any other.
type Decode<'a> = &'a mut (dyn FnMut(&[u8], &[&str]) -> Result<()> + Send);

/// The typed answer a successful [`Decode`] stored.
fn decoded<T>(answer: Option<T>, operation: &'static str) -> Result<T> {
    answer.ok_or_else(|| Error::Decode { operation, message: "the answer was not decoded".into() })
}

/// A failed attempt with what the answer told us about time.
pub(super) struct Failure {
    pub(super) error: Error,
    /// The platform's `Date`, Unix seconds.
    server_date: Option<i64>,
    /// `Retry-After`, milliseconds.
    retry_after_ms: Option<u64>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self { error, server_date: None, retry_after_ms: None }
    }
}

/// The error for a redirect answer. CMI's endpoints do not redirect, so one means the base URL
/// points somewhere else (plain HTTP to an HTTPS host, an old address); following it would send
/// the signed request, the token in its body, to wherever the `Location` says, and turn a POST
/// into a GET. Not retryable, and the request was not carried out.
fn redirect(operation: &'static str, status: Option<u16>) -> Error {
    let status = status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
    Error::config(format!(
        "{operation}: the platform answered with a redirect{status}, which the SDK does not follow: check baseUrl"
    ))
}

/// Whether an error proves the platform did not carry out the request.
pub(super) fn definitely_not_applied(e: &Error) -> bool {
    match e {
        Error::Validation { .. } | Error::Config { .. } | Error::Refused { .. } => true,
        // "Being processed" and "already exists" both mean the order may well exist; the
        // transient platform faults (2000000-range, 9000001-9000003, 9999999) leave it open.
        Error::Api(a) | Error::Auth(a) => {
            !matches!(a.code.as_str(), "1000154" | "1000162") && a.category != crate::codes::Category::Transient
        }
        Error::HttpStatus { status, .. } => (400..500).contains(status) && *status != 408,
        _ => false,
    }
}

impl Client {
    /// Sends one operation: validates, applies the guard, signs, authenticates, retries as
    /// the rules allow, and decodes the typed answer.
    pub async fn call<Op: Operation>(&self, request: &Op) -> Result<Op::Response> {
        // Only encoding the request and decoding the answer depend on `Op`; the rest is
        // `call_erased`, one copy for every operation.
        request.validate()?;
        let mut answer = None;
        self.call_erased(
            OpFacts::of::<Op>(),
            request.cards(),
            request.spend_item(),
            &|token, wire| request.encode(token, wire),
            &mut |body, secrets| {
                answer = Some(envelope::decode::<Op>(body, secrets)?);
                Ok(())
            },
        )
        .await?;
        decoded(answer, Op::NAME)
    }

    /// [`Client::call`] after validation: guard, spend booking, dry run, then the attempts.
    async fn call_erased(
        &self,
        op: OpFacts,
        cards: CardTargets<'_>,
        spend_item: Option<SpendItem>,
        encode: Encode<'_>,
        decode: Decode<'_>,
    ) -> Result<()> {
        let guard = &self.inner.guard;
        guard.check(op.name, op.kind, &cards)?;
        let day = self.platform_now_ms().div_euclid(86_400_000);
        let deadline = self.local_now_ms() + self.inner.config.total_timeout_ms as i64;
        let booked = match (op.kind, spend_item, guard.spend()) {
            (OperationKind::Spend, Some(item), Some(limit)) => {
                let cost = self.order_cost(op.name, &item, &limit.currency, deadline).await?;
                guard.book_spend(op.name, &cost, day)?
            }
            _ => 0,
        };
        if guard.is_dry_run() && matches!(op.kind, OperationKind::Command | OperationKind::Spend) {
            guard.release(booked, day);
            tracing::info!(operation = op.name, "dry run: validated, not sent");
            return Err(Error::Refused { operation: op.name, reason: "dry run: validated and not sent".into() });
        }
        let result = self.attempts(op, encode, decode, deadline).await;
        if let Err(e) = &result {
            if booked > 0 && definitely_not_applied(e) {
                guard.release(booked, day);
            }
        }
        result
    }

    /// A current access token, fetched if the cache has none (diagnostics; calls do this
    /// themselves).
    pub async fn access_token(&self) -> Result<Secret> {
        let deadline = self.local_now_ms() + self.inner.config.total_timeout_ms as i64;
        self.token(deadline).await
    }

    fn sends_token(&self, op: OpFacts) -> bool {
        match op.token {
            TokenPolicy::None => false,
            TokenPolicy::Required => true,
            // The bare-array form of 3.2.10 has nowhere to put a token.
            TokenPolicy::Optional => {
                let cfg = &self.inner.config;
                cfg.token_on_optional && !(op.name == "query_sim_info" && cfg.wire.sim_info_bare_array)
            }
        }
    }

    /// Sends a validated request whose guard checks are done, retrying as the rules allow.
    pub(super) async fn call_until<Op: Operation>(&self, request: &Op, deadline: i64) -> Result<Op::Response> {
        let mut answer = None;
        self.attempts(
            OpFacts::of::<Op>(),
            &|token, wire| request.encode(token, wire),
            &mut |body, secrets| {
                answer = Some(envelope::decode::<Op>(body, secrets)?);
                Ok(())
            },
            deadline,
        )
        .await?;
        decoded(answer, Op::NAME)
    }

    /// The attempt loop of every operation: a fresh token and body per attempt, the token
    /// refresh, the clock-skew correction and the retries of reads.
    async fn attempts(&self, op: OpFacts, encode: Encode<'_>, decode: Decode<'_>, deadline: i64) -> Result<()> {
        let inner = &self.inner;
        let cfg = &inner.config;
        let mut retries = 0u32;
        let mut attempt = 0u32;
        let mut token_refreshed = false;
        let mut skew_corrected = false;
        loop {
            attempt += 1;
            let token = if self.sends_token(op) { Some(self.token(deadline).await?) } else { None };
            let body = encode(token.as_ref().map(Secret::expose), &cfg.wire)?;
            self.pace(op.name, deadline).await?;
            let span = tracing::info_span!(
                "cmi.call",
                operation = op.name,
                attempt,
                code = tracing::field::Empty,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty
            );
            let failure =
                match self.attempt(op, &mut *decode, body, deadline, token.as_ref(), attempt).instrument(span).await {
                    Ok(()) => {
                        if attempt == 1 {
                            inner.budget.refund();
                        }
                        return Ok(());
                    }
                    Err(f) => f,
                };
            let code = failure.error.code().unwrap_or_default();

            if let Some(t) = &token {
                if codes::is_token_rejected(code) && !token_refreshed {
                    // Another caller may already have replaced it; invalidate only this one.
                    inner.tokens.invalidate(&inner.token_key, t).await;
                    token_refreshed = true;
                    continue;
                }
            }
            if code == "1000004" && !skew_corrected {
                if let Some(server) = failure.server_date {
                    let skew = server * 1000 - self.local_now_ms();
                    inner.skew_ms.store(skew, Ordering::Relaxed);
                    tracing::warn!(operation = op.name, skew_ms = skew, "clock skew measured from the platform's Date");
                    skew_corrected = true;
                    continue;
                }
            }
            // Only reads are repeated here; orders are repeated by `create_order_once`,
            // after reconciling, under their transactionCode.
            let safe_to_repeat = matches!(op.kind, OperationKind::Query | OperationKind::Auth);
            if failure.error.retryable() && safe_to_repeat && retries < inner.retry.max_retries {
                let wait = inner.retry.backoff_ms(retries, failure.retry_after_ms, random_u32());
                if self.local_now_ms() + wait as i64 >= deadline || !inner.budget.try_spend() {
                    return Err(failure.error);
                }
                if let Some(hook) = &inner.retry.on_retry {
                    hook(&RetryEvent {
                        operation: op.name,
                        attempt,
                        kind: failure.error.kind().as_str(),
                        code: failure.error.code().map(str::to_owned),
                        status: match &failure.error {
                            Error::HttpStatus { status, .. } => Some(*status),
                            _ => None,
                        },
                        wait_ms: wait,
                    });
                }
                tracing::debug!(operation = op.name, attempt, wait_ms = wait, "retrying");
                inner.transport.sleep(wait).await;
                retries += 1;
                continue;
            }
            return Err(failure.error);
        }
    }

    /// Waits for the rate limiter, if one is set.
    async fn pace(&self, operation: &'static str, deadline: i64) -> Result<()> {
        let Some(limiter) = &self.inner.limiter else { return Ok(()) };
        let wait = limiter.reserve(operation, self.local_now_ms()).await;
        if wait > 0 {
            if self.local_now_ms() + wait as i64 >= deadline {
                return Err(Error::Timeout { operation, phase: TimeoutPhase::Total });
            }
            self.inner.transport.sleep(wait).await;
        }
        Ok(())
    }

    /// One signed HTTP attempt.
    async fn attempt(
        &self,
        op: OpFacts,
        decode: Decode<'_>,
        body: Vec<u8>,
        deadline: i64,
        token: Option<&Secret>,
        attempt: u32,
    ) -> std::result::Result<(), Failure> {
        let inner = &self.inner;
        let cfg = &inner.config;
        let remaining = deadline - self.local_now_ms();
        if remaining <= 0 {
            return Err(Error::Timeout { operation: op.name, phase: TimeoutPhase::Total }.into());
        }
        let timeout_ms = (cfg.attempt_timeout_ms as i64).min(remaining) as u64;
        let phase = if timeout_ms < cfg.attempt_timeout_ms { TimeoutPhase::Total } else { TimeoutPhase::Attempt };

        // sdk-rules 2: a fresh nonce, Created and digest for every attempt.
        let nonce = inner.nonces.nonce();
        let created = wsse::created(self.platform_now_ms().div_euclid(1000));
        let h = wsse::sign(&cfg.app_key, &cfg.app_secret, &nonce, &created);
        let url = [cfg.base_url.as_str(), "/aep/", op.path].concat();
        if let Some(hook) = &inner.hooks.on_request {
            hook(&RequestRecord { operation: op.name, attempt, url: url.clone(), body: redact_body(&body) });
        }
        let request = HttpRequest {
            method: "POST",
            url,
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("Accept".into(), "application/json".into()),
                ("Authorization".into(), h.authorization.into()),
                ("X-WSSE".into(), h.x_wsse.expose().to_owned()),
                ("User-Agent".into(), inner.user_agent.clone()),
            ],
            body,
            timeout_ms,
        };
        let secrets = [cfg.app_secret.expose(), token.map(Secret::expose).unwrap_or_default()];
        let sent_at = self.local_now_ms();
        let sent = inner.transport.send(request).await;
        let latency_ms = (self.local_now_ms() - sent_at).max(0) as u64;
        let span = tracing::Span::current();
        span.record("latency_ms", latency_ms);
        let report = |status: Option<u16>, code: Option<&str>, body: &[u8], error: Option<&Error>| {
            if let Some(hook) = &inner.hooks.on_response {
                hook(&ResponseRecord {
                    operation: op.name,
                    attempt,
                    status,
                    code: code.map(str::to_owned),
                    body: redact_body(body),
                    latency_ms,
                    error: error.map(ToString::to_string),
                });
            }
        };
        let response = match sent {
            Ok(r) => r,
            Err(e) => {
                let error = match e {
                    TransportError::Timeout => Error::Timeout { operation: op.name, phase },
                    TransportError::ConnectTimeout => {
                        Error::Timeout { operation: op.name, phase: TimeoutPhase::Connect }
                    }
                    TransportError::Connect(m) | TransportError::Io(m) => {
                        Error::Transport { operation: op.name, message: scrub(&m, &secrets) }
                    }
                    TransportError::Redirect => redirect(op.name, None),
                };
                report(None, None, b"", Some(&error));
                return Err(error.into());
            }
        };
        span.record("status", response.status);
        // Read once, when a failure first needs it (the HTTP-status error and the retry both do).
        let retry_after = std::cell::OnceCell::new();
        let retry_after_ms = || {
            *retry_after.get_or_init(|| {
                response.header("retry-after").and_then(|v| {
                    let v = v.trim();
                    v.parse::<u64>()
                        .ok()
                        .map(|s| s.saturating_mul(1000))
                        .or_else(|| httpdate::parse(v).map(|at| (at * 1000 - self.platform_now_ms()).max(0) as u64))
                })
            })
        };
        // The headers matter only to a failed attempt; a successful one does not parse them.
        let fail = |error| Failure {
            error,
            server_date: response.header("date").and_then(httpdate::parse),
            retry_after_ms: retry_after_ms(),
        };

        let outcome = if (300..400).contains(&response.status) {
            Err(redirect(op.name, Some(response.status)))
        } else if !(200..300).contains(&response.status) {
            // The platform may explain a 4xx/5xx with a code in the body; that is more useful.
            match envelope::split(op.name, &response.body) {
                Ok((status, _)) if !status.is_success() => {
                    Err(Error::from_code(op.name, scrub(&status.code, &secrets), scrub(&status.description, &secrets)))
                }
                _ => Err(Error::HttpStatus {
                    operation: op.name,
                    status: response.status,
                    retry_after_ms: retry_after_ms(),
                }),
            }
        } else {
            decode(&response.body, &secrets)
        };
        let code = match &outcome {
            Ok(_) => Some("0000000"),
            Err(e) => e.code(),
        };
        if let Some(c) = code {
            span.record("code", c);
        }
        report(Some(response.status), code, &response.body, outcome.as_ref().err());
        outcome.map_err(fail)
    }

    /// The cached token, or a new one. Boxed because fetching a token is itself a call.
    pub(crate) fn token(&self, deadline: i64) -> BoxFuture<'_, Result<Secret>> {
        Box::pin(async move {
            let inner = &self.inner;
            let key = inner.token_key.as_str();
            if let Some(t) = inner.tokens.get(key).await.filter(|t| t.is_fresh(self.platform_now_ms(), 0)) {
                return Ok(t.token);
            }
            // Single flight: the first caller fetches, the rest find its token on entry.
            let _guard = inner.refresh.lock().await;
            if let Some(t) = inner.tokens.get(key).await.filter(|t| t.is_fresh(self.platform_now_ms(), 0)) {
                return Ok(t.token);
            }
            // A shared store may make this fleet-wide: wait for another worker's token.
            let lease = match inner.tokens.begin_refresh(key, self.platform_now_ms()).await {
                Refresh::Stored(t) if t.is_fresh(self.platform_now_ms(), 0) => return Ok(t.token),
                Refresh::Stored(_) => None,
                Refresh::Fetch { lease } => lease,
            };
            let fetched = self.fetch_token(deadline).await;
            let stored = fetched.as_ref().ok().cloned();
            inner.tokens.end_refresh(key, lease, stored).await;
            fetched.map(|t| t.token)
        })
    }

    /// Asks the platform for a new token (3.2.1).
    async fn fetch_token(&self, deadline: i64) -> Result<CachedToken> {
        let inner = &self.inner;
        inner.token_requests.fetch_add(1, Ordering::Relaxed);
        let answer = self.call_until(&GetAccessTokenRequest::new(inner.config.app_key.clone()), deadline).await?;
        let token = answer.access_token.filter(|t| !t.is_empty()).ok_or_else(|| {
            let mut e =
                ApiError::new(GetAccessTokenRequest::NAME, "0000000", "the token answer carried no accessToken");
            e.category = crate::codes::Category::Auth;
            Error::Auth(e)
        })?;
        let now = self.platform_now_ms();
        let expires = answer.expire_time.map_or(now + DEFAULT_TOKEN_LIFETIME_MS, |t| t.unix_seconds() * 1000);
        // Keep the configured margin, but never more than half the lifetime, so that a
        // short-lived token is still used.
        let margin = inner.config.token_margin_ms.min((expires - now) / 2).max(0);
        Ok(CachedToken { token, expires_at_ms: expires - margin })
    }
}

/// A uniformly random `u32` for jitter; a fixed value if the platform has no randomness.
fn random_u32() -> u32 {
    let mut r = [0u8; 4];
    if getrandom::fill(&mut r).is_ok() { u32::from_le_bytes(r) } else { u32::MAX / 2 }
}
