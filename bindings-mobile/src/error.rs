//! The one error type of the mobile surface: Kotlin `sealed class CmiException`, Swift
//! `enum CmiError`. Every case carries the same fields, so an app can log or branch on
//! `code`, `category` and `retryable` without caring which case it got.

use cmi_core::{Category, Error as CoreError};
use std::fmt;

/// The category of a failure (the core's return-code table, or a fitting one otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ErrorCategory {
    /// Authentication or authorisation: WSSE, token, account rights.
    Auth,
    /// A request field is missing, malformed or names something that does not exist.
    Validation,
    /// The request is well formed but a business rule refuses it.
    BusinessRule,
    /// Money: deposit, currency or charging.
    Deposit,
    /// Rate limited.
    Throttled,
    /// A passing fault; the same request may succeed later.
    Transient,
    /// A code the table does not list.
    Unknown,
}

impl From<Category> for ErrorCategory {
    fn from(c: Category) -> Self {
        match c {
            Category::Auth => Self::Auth,
            Category::Validation => Self::Validation,
            Category::BusinessRule => Self::BusinessRule,
            Category::Deposit => Self::Deposit,
            Category::Throttled => Self::Throttled,
            Category::Transient => Self::Transient,
            Category::Unknown => Self::Unknown,
        }
    }
}

/// Every failure of the SDK. The case says what kind of failure it is; the fields are the
/// same in every case:
/// - `operation`: the operation (`createOrder`), empty when none was involved;
/// - `code`: the platform's return code, for `Api` and `Auth` (and `HttpStatus`'s status);
/// - `description`: one line, scrubbed of secrets;
/// - `category`, `retryable`: what to do about it;
/// - `field`: the request field a `Validation` error names (wire name).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
pub enum CmiError {
    /// Input refused before any network call.
    Validation {
        operation: String,
        code: Option<String>,
        description: String,
        category: ErrorCategory,
        retryable: bool,
        field: Option<String>,
    },
    /// Settings are unusable (bad URL, plain HTTP to a remote host, missing credential).
    Config {
        operation: String,
        code: Option<String>,
        description: String,
        category: ErrorCategory,
        retryable: bool,
        field: Option<String>,
    },
    /// The connection failed or broke.
    Transport {
        operation: String,
        code: Option<String>,
        description: String,
        category: ErrorCategory,
        retryable: bool,
        field: Option<String>,
    },
    /// A deadline passed.
    Timeout {
        operation: String,
        code: Option<String>,
        description: String,
        category: ErrorCategory,
        retryable: bool,
        field: Option<String>,
    },
    /// The platform answered with a non-2xx HTTP status (`code` is the status).
    HttpStatus {
        operation: String,
        code: Option<String>,
        description: String,
        category: ErrorCategory,
        retryable: bool,
        field: Option<String>,
    },
    /// The platform answered with a non-success `code`.
    Api {
        operation: String,
        code: Option<String>,
        description: String,
        category: ErrorCategory,
        retryable: bool,
        field: Option<String>,
    },
    /// Authentication failed (a WSSE or token code).
    Auth {
        operation: String,
        code: Option<String>,
        description: String,
        category: ErrorCategory,
        retryable: bool,
        field: Option<String>,
    },
    /// The answer could not be read.
    Decode {
        operation: String,
        code: Option<String>,
        description: String,
        category: ErrorCategory,
        retryable: bool,
        field: Option<String>,
    },
    /// A local policy refused the call.
    Refused {
        operation: String,
        code: Option<String>,
        description: String,
        category: ErrorCategory,
        retryable: bool,
        field: Option<String>,
    },
}

fn operation_of(e: &CoreError) -> &'static str {
    match e {
        CoreError::Transport { operation, .. }
        | CoreError::Timeout { operation, .. }
        | CoreError::HttpStatus { operation, .. }
        | CoreError::Decode { operation, .. }
        | CoreError::Refused { operation, .. } => operation,
        CoreError::Api(a) | CoreError::Auth(a) => a.operation,
        _ => "",
    }
}

impl From<CoreError> for CmiError {
    fn from(e: CoreError) -> Self {
        // The operation's camelCase name, as the apps know it.
        let operation = cmi_core::reflect::camel(operation_of(&e));
        let code = match &e {
            CoreError::HttpStatus { status, .. } => Some(status.to_string()),
            other => other.code().map(str::to_owned),
        };
        // Platform errors keep the full line (code, meaning, description); the core's
        // Display is already scrubbed of secrets.
        let description = e.to_string();
        let category = e.category().into();
        let retryable = e.retryable();
        let field = e.field().map(str::to_owned);
        macro_rules! case {
            ($v:ident) => {
                CmiError::$v { operation, code, description, category, retryable, field }
            };
        }
        match e {
            CoreError::Validation { .. } => case!(Validation),
            CoreError::Config { .. } => case!(Config),
            CoreError::Transport { .. } => case!(Transport),
            CoreError::Timeout { .. } => case!(Timeout),
            CoreError::HttpStatus { .. } => case!(HttpStatus),
            CoreError::Api(_) => case!(Api),
            CoreError::Auth(_) => case!(Auth),
            CoreError::Decode { .. } => case!(Decode),
            CoreError::Refused { .. } => case!(Refused),
            // The core's Error is non-exhaustive; a future kind reads as a decode failure
            // until the binding learns it.
            _ => case!(Decode),
        }
    }
}

impl CmiError {
    /// The shared description of any case.
    pub fn description(&self) -> &str {
        match self {
            Self::Validation { description, .. }
            | Self::Config { description, .. }
            | Self::Transport { description, .. }
            | Self::Timeout { description, .. }
            | Self::HttpStatus { description, .. }
            | Self::Api { description, .. }
            | Self::Auth { description, .. }
            | Self::Decode { description, .. }
            | Self::Refused { description, .. } => description,
        }
    }
}

impl fmt::Display for CmiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

impl std::error::Error for CmiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_codes_keep_their_table_data() {
        let e: CmiError = CoreError::from_code("create_order", "1000103", "Insufficient deposit").into();
        match e {
            CmiError::Api { operation, code, category, retryable, .. } => {
                assert_eq!(operation, "createOrder");
                assert_eq!(code.as_deref(), Some("1000103"));
                assert_eq!(category, ErrorCategory::Deposit);
                assert!(!retryable);
            }
            other => panic!("{other:?}"),
        }
        let e: CmiError = CoreError::validation("ICCID", "too short").into();
        assert!(matches!(e, CmiError::Validation { field: Some(ref f), .. } if f == "ICCID"));
    }
}
