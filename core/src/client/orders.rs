//! Exactly-once orders (sdk-rules 14).
//!
//! An order spends the channel's deposit, so "send it again" is only safe when the platform
//! can recognise the repeat. [`Client::create_order_once`] derives `transactionCode` from the
//! caller's idempotency key, and after an ambiguous failure (timeout, lost connection, HTTP
//! 5xx, `1000154` "being processed") it first asks the platform whether the order exists
//! (3.2.8 by `thirdOrderId`) and only resends, under the same code, when it does not. A
//! duplicate code (`1000162`) means an earlier attempt went through.

use super::Client;
use super::call::definitely_not_applied;
use crate::api::common::Language;
use crate::api::orders::{CreateOrderRequest, CreateOrderResponse};
use crate::api::subscriptions::{QuerySubscribedBundlesRequest, SubscriptionStatus};
use crate::api::usage::QueryQuotaRequest;
use crate::codes::Category;
use crate::error::Error;

/// Codes with which 3.2.8 says an order id is unknown.
const ORDER_UNKNOWN: [&str; 3] = ["1000116", "1000028", "1000039"];

/// What became of an exactly-once order.
#[derive(Debug, Clone, PartialEq)]
pub enum OrderOutcome {
    /// The platform created the order now.
    Created(CreateOrderResponse),
    /// An earlier attempt with the same idempotency key created it; nothing was charged
    /// twice. `order_id` is the platform's id when the card's bundles identify it.
    AlreadyCreated {
        /// The `transactionCode` sent.
        transaction_code: String,
        /// Your order id.
        third_order_id: String,
        /// The platform's order id, when found.
        order_id: Option<String>,
    },
    /// The platform refused the order, or it was refused before sending; nothing was
    /// charged.
    Failed(Error),
    /// Whether the order exists could not be established. Do what `check` says, or send the
    /// same request with the same idempotency key again: a duplicate is refused, so that is
    /// always safe.
    Unknown {
        /// The `transactionCode` sent.
        transaction_code: String,
        /// Your order id.
        third_order_id: String,
        /// The card.
        iccid: String,
        /// The last failure.
        cause: Error,
        /// How to find out.
        check: String,
    },
}

impl OrderOutcome {
    /// Whether the order exists (created now or before).
    pub fn is_success(&self) -> bool {
        matches!(self, Self::Created(_) | Self::AlreadyCreated { .. })
    }

    /// The platform's order id, when known.
    pub fn order_id(&self) -> Option<&str> {
        match self {
            Self::Created(r) => Some(&r.order_id),
            Self::AlreadyCreated { order_id, .. } => order_id.as_deref(),
            _ => None,
        }
    }
}

/// `Retry-After` of an HTTP error, in milliseconds.
fn retry_after(e: &Error) -> Option<u64> {
    match e {
        Error::HttpStatus { retry_after_ms, .. } => *retry_after_ms,
        _ => None,
    }
}

impl Client {
    /// Places an order exactly once. `idempotency_key` names the purchase in your system
    /// (a checkout id); the same key always yields the same `transactionCode`, replacing any
    /// code already on `request`. Never fails outright: the outcome says whether the order
    /// exists, does not, or what to check.
    pub async fn create_order_once(&self, request: &CreateOrderRequest, idempotency_key: &str) -> OrderOutcome {
        let request = request.clone().with_idempotency_key(idempotency_key);
        let transaction_code = request.transaction_code.clone().unwrap_or_default();
        let policy = &self.inner.retry;
        let mut resends = 0u32;
        let mut result = self.call(&request).await;
        loop {
            let cause = match result {
                Ok(r) => return OrderOutcome::Created(r),
                Err(e) if e.code() == Some("1000162") => return self.already_created(&request, transaction_code).await,
                // Throttled (HTTP 429, 9000004): not applied, so resending the same code is safe.
                Err(e)
                    if e.category() == Category::Throttled
                        && resends < policy.max_retries
                        && self.inner.budget.try_spend() =>
                {
                    let wait = policy.backoff_ms(resends, retry_after(&e), u32::MAX / 2);
                    self.inner.transport.sleep(wait).await;
                    resends += 1;
                    let deadline = self.local_now_ms() + self.inner.config.total_timeout_ms as i64;
                    result = self.call_until(&request, deadline).await;
                    continue;
                }
                Err(e) if definitely_not_applied(&e) => return OrderOutcome::Failed(e),
                Err(e) => e,
            };
            if cause.code() == Some("1000154") {
                // The platform is still working on it: give it time before asking.
                self.inner.transport.sleep(policy.backoff_ms(resends, None, u32::MAX).max(policy.base_ms)).await;
            }
            tracing::warn!(operation = "create_order", error = %cause, "order outcome unclear; reconciling");
            match self.order_exists(&request.third_order_id).await {
                Ok(true) => return self.already_created(&request, transaction_code).await,
                Ok(false) if resends < policy.max_retries && self.inner.budget.try_spend() => {
                    resends += 1;
                    let deadline = self.local_now_ms() + self.inner.config.total_timeout_ms as i64;
                    // The guard already passed this order; the resend carries the same code.
                    result = self.call_until(&request, deadline).await;
                }
                other => {
                    let check = match other {
                        Ok(_) => {
                            "the order does not exist yet and the retries are spent; send it again with the same idempotency key"
                        }
                        Err(_) => {
                            "query_quota with this thirdOrderId (or query_subscribed_bundles for the card); if the order is not there, send it again with the same idempotency key"
                        }
                    };
                    return OrderOutcome::Unknown {
                        transaction_code,
                        third_order_id: request.third_order_id.clone(),
                        iccid: request.iccid.clone(),
                        cause,
                        check: check.to_owned(),
                    };
                }
            }
        }
    }

    /// Whether the platform knows the order `third_order_id` (3.2.8).
    async fn order_exists(&self, third_order_id: &str) -> Result<bool, Error> {
        match self.query_quota(&QueryQuotaRequest::by_third_order_id(third_order_id)).await {
            Ok(_) => Ok(true),
            Err(e) if e.code().is_some_and(|c| ORDER_UNKNOWN.contains(&c)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    async fn already_created(&self, request: &CreateOrderRequest, transaction_code: String) -> OrderOutcome {
        OrderOutcome::AlreadyCreated {
            order_id: self.find_order_id(request).await,
            transaction_code,
            third_order_id: request.third_order_id.clone(),
        }
    }

    /// The platform's id of the order, when the card holds exactly one not-yet-activated
    /// subscription of its bundle (3.2.6 does not carry `thirdOrderId`).
    async fn find_order_id(&self, request: &CreateOrderRequest) -> Option<String> {
        let bundle = request.data_bundle_id.as_deref()?;
        let subs = self
            .query_subscribed_bundles(&QuerySubscribedBundlesRequest::by_iccid(
                request.iccid.clone(),
                Language::English,
            ))
            .await
            .ok()?;
        let mut candidates = subs.user_data_bundles.iter().filter(|b| {
            b.data_bundle_id == bundle && matches!(b.status, Some(SubscriptionStatus::NotActivated) | None)
        });
        let first = candidates.next()?;
        candidates.next().is_none().then(|| first.order_id.clone()).flatten()
    }
}
