//! Idempotent purchases from an app: the `transactionCode` of a checkout. The rule (the first
//! 128 bits of the key's SHA-256 as 32 upper-case hex characters) is the core's
//! `transaction_code_for`; an app must not re-implement it, or a repeated checkout could carry
//! another code and buy twice.

/// The `transactionCode` for an idempotency key (your checkout or order id): the same key
/// always gives the same code, so the platform refuses a second order with it (`1000162`).
#[uniffi::export]
pub fn transaction_code_for(idempotency_key: String) -> String {
    cmi_core::api::orders::transaction_code_for(&idempotency_key)
}
