//! The generic call path shared by every operation.

use super::{Client, httpdate};
use crate::api::GetAccessTokenRequest;
use crate::codes;
use crate::envelope;
use crate::error::{ApiError, Error, Result, TimeoutPhase, scrub};
use crate::operation::{Operation, OperationKind, TokenPolicy};
use crate::secret::Secret;
use crate::token::CachedToken;
use crate::transport::{BoxFuture, HttpRequest, TransportError};
use crate::wsse;
use std::sync::atomic::Ordering;

/// Without `expireTime`, a token is assumed good for 9 minutes (spec §2.1).
const DEFAULT_TOKEN_LIFETIME_MS: i64 = 9 * 60_000;
/// Backoff: first step and ceiling of the exponential window.
const BACKOFF_BASE_MS: u64 = 200;
const BACKOFF_CAP_MS: u64 = 5_000;

/// A failed attempt with what the answer told us about time.
struct Failure {
    error: Error,
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

impl Client {
    /// Sends one operation: validates, signs, authenticates, retries as the rules allow, and
    /// decodes the typed answer.
    pub async fn call<Op: Operation>(&self, request: &Op) -> Result<Op::Response> {
        request.validate()?;
        let deadline = self.local_now_ms() + self.inner.config.total_timeout_ms as i64;
        self.call_until(request, deadline).await
    }

    /// A current access token, fetched if the cache has none (diagnostics; calls do this
    /// themselves).
    pub async fn access_token(&self) -> Result<Secret> {
        let deadline = self.local_now_ms() + self.inner.config.total_timeout_ms as i64;
        self.token(deadline).await
    }

    fn sends_token<Op: Operation>(&self) -> bool {
        match Op::TOKEN {
            TokenPolicy::None => false,
            TokenPolicy::Required => true,
            // The bare-array form of 3.2.10 has nowhere to put a token.
            TokenPolicy::Optional => {
                let cfg = &self.inner.config;
                cfg.token_on_optional && !(Op::NAME == "query_sim_info" && cfg.wire.sim_info_bare_array)
            }
        }
    }

    async fn call_until<Op: Operation>(&self, request: &Op, deadline: i64) -> Result<Op::Response> {
        let cfg = &self.inner.config;
        let mut retries = 0u32;
        let mut token_refreshed = false;
        let mut skew_corrected = false;
        loop {
            let token = if self.sends_token::<Op>() { Some(self.token(deadline).await?) } else { None };
            let body = request.encode(token.as_ref().map(Secret::expose), &cfg.wire)?;
            let failure = match self.attempt::<Op>(body, deadline, token.as_ref()).await {
                Ok(answer) => return Ok(answer),
                Err(f) => f,
            };
            let code = failure.error.code().unwrap_or_default();

            if let Some(t) = &token {
                if codes::is_token_rejected(code) && !token_refreshed {
                    // Another caller may already have replaced it; invalidate only this one.
                    self.inner.tokens.invalidate(&self.inner.token_key, t).await;
                    token_refreshed = true;
                    continue;
                }
            }
            if code == "1000004" && !skew_corrected {
                if let Some(server) = failure.server_date {
                    let skew = server * 1000 - self.local_now_ms();
                    self.inner.skew_ms.store(skew, Ordering::Relaxed);
                    skew_corrected = true;
                    continue;
                }
            }
            let safe_to_repeat = matches!(Op::KIND, OperationKind::Query | OperationKind::Auth);
            if failure.error.retryable() && safe_to_repeat && retries < cfg.max_retries {
                let wait = self.backoff_ms(retries, failure.retry_after_ms);
                if self.local_now_ms() + wait as i64 >= deadline {
                    return Err(failure.error);
                }
                self.inner.transport.sleep(wait).await;
                retries += 1;
                continue;
            }
            return Err(failure.error);
        }
    }

    /// Full-jitter exponential backoff, never shorter than the platform's `Retry-After`.
    fn backoff_ms(&self, retry: u32, retry_after_ms: Option<u64>) -> u64 {
        let window = BACKOFF_CAP_MS.min(BACKOFF_BASE_MS << retry.min(16));
        let mut r = [0u8; 4];
        let jitter = if getrandom::fill(&mut r).is_ok() { u32::from_le_bytes(r) as u64 % (window + 1) } else { window };
        jitter.max(retry_after_ms.unwrap_or(0))
    }

    /// One signed HTTP attempt.
    async fn attempt<Op: Operation>(
        &self,
        body: Vec<u8>,
        deadline: i64,
        token: Option<&Secret>,
    ) -> std::result::Result<Op::Response, Failure> {
        let inner = &self.inner;
        let cfg = &inner.config;
        let remaining = deadline - self.local_now_ms();
        if remaining <= 0 {
            return Err(Error::Timeout { operation: Op::NAME, phase: TimeoutPhase::Total }.into());
        }
        let timeout_ms = (cfg.attempt_timeout_ms as i64).min(remaining) as u64;
        let phase = if timeout_ms < cfg.attempt_timeout_ms { TimeoutPhase::Total } else { TimeoutPhase::Attempt };

        // sdk-rules 2: a fresh nonce, Created and digest for every attempt.
        let nonce = inner.nonces.nonce();
        let created = wsse::created(self.platform_now_ms().div_euclid(1000));
        let h = wsse::sign(&cfg.app_key, &cfg.app_secret, &nonce, &created);
        let request = HttpRequest {
            method: "POST",
            url: format!("{}/aep/{}", cfg.base_url, Op::PATH),
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
        let response = match inner.transport.send(request).await {
            Ok(r) => r,
            Err(TransportError::Timeout) => return Err(Error::Timeout { operation: Op::NAME, phase }.into()),
            Err(TransportError::ConnectTimeout) => {
                return Err(Error::Timeout { operation: Op::NAME, phase: TimeoutPhase::Connect }.into());
            }
            Err(TransportError::Connect(m) | TransportError::Io(m)) => {
                return Err(Error::Transport { operation: Op::NAME, message: scrub(&m, &secrets) }.into());
            }
        };
        let server_date = response.header("date").and_then(httpdate::parse);
        let retry_after_ms = response.header("retry-after").and_then(|v| {
            let v = v.trim();
            v.parse::<u64>()
                .ok()
                .map(|s| s.saturating_mul(1000))
                .or_else(|| httpdate::parse(v).map(|at| (at * 1000 - self.platform_now_ms()).max(0) as u64))
        });
        let fail = |error| Failure { error, server_date, retry_after_ms };

        if !(200..300).contains(&response.status) {
            // The platform may explain a 4xx/5xx with a code in the body; that is more useful.
            if let Ok((status, _)) = envelope::split(Op::NAME, &response.body) {
                if !status.is_success() {
                    return Err(fail(Error::from_code(Op::NAME, status.code, scrub(&status.description, &secrets))));
                }
            }
            return Err(fail(Error::HttpStatus { operation: Op::NAME, status: response.status, retry_after_ms }));
        }
        envelope::decode::<Op>(&response.body, &secrets).map_err(fail)
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
            inner.tokens.put(key, CachedToken { token: token.clone(), expires_at_ms: expires - margin }).await;
            Ok(token)
        })
    }
}
