//! One error type for every failure, with kinds the bindings map to their own exceptions.
//!
//! No variant holds a secret: messages are built from field names, codes, and the platform's
//! descriptions, which the client scrubs of the token and secret before they get here
//! (sdk-rules 18).

use crate::codes::{self, Category};
use std::fmt;

/// The broad kind of an [`Error`]; what bindings map to exception classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Input refused before any network call.
    Validation,
    /// Settings are unusable (bad URL, plain HTTP to a remote host, missing credential).
    Config,
    /// The connection failed or broke.
    Transport,
    /// A deadline passed.
    Timeout,
    /// The platform answered with a non-2xx HTTP status.
    HttpStatus,
    /// The platform answered with a non-success `code`.
    Api,
    /// The answer could not be read.
    Decode,
    /// Authentication failed: a WSSE or token code, or a token answer without a token.
    Auth,
    /// A local policy refused the call (read-only, allow-lists, spend ceilings).
    Refused,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [ErrorKind] = &[
        Self::Validation,
        Self::Config,
        Self::Transport,
        Self::Timeout,
        Self::HttpStatus,
        Self::Api,
        Self::Decode,
        Self::Auth,
        Self::Refused,
    ];

    /// Lower-case name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Validation => "validation",
            Self::Config => "config",
            Self::Transport => "transport",
            Self::Timeout => "timeout",
            Self::HttpStatus => "http_status",
            Self::Api => "api",
            Self::Decode => "decode",
            Self::Auth => "auth",
            Self::Refused => "refused",
        }
    }
}

/// Which deadline passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeoutPhase {
    /// Establishing the connection.
    Connect,
    /// One HTTP attempt.
    Attempt,
    /// The whole call, retries included.
    Total,
}

/// A non-success answer from the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The operation that failed (`create_order`).
    pub operation: &'static str,
    /// The return code as sent (`1000103`).
    pub code: String,
    /// The platform's description (`description`, `msg` or `decsription`).
    pub description: String,
    /// The documented meaning of the code, when the table lists it.
    pub meaning: Option<&'static str>,
    /// The code's category.
    pub category: Category,
    /// Whether the same request may succeed if retried.
    pub retryable: bool,
}

impl ApiError {
    /// Builds an error for `code`, looking up its meaning and category.
    pub fn new(operation: &'static str, code: impl Into<String>, description: impl Into<String>) -> Self {
        let code = code.into();
        let info = codes::lookup(&code);
        let category = info.map_or(Category::Unknown, |i| i.category);
        Self {
            operation,
            description: description.into(),
            meaning: info.map(|i| i.meaning),
            retryable: category.retryable(),
            category,
            code,
        }
    }
}

/// Every failure of the SDK.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Input refused before sending; `field` is the wire name of the offending field.
    Validation {
        /// Wire name of the field (`ICCID`, `iccidPackageList[2].packageid`).
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// Settings are unusable.
    Config {
        /// What is wrong.
        message: String,
    },
    /// The connection failed or broke before an answer arrived.
    Transport {
        /// The operation.
        operation: &'static str,
        /// What failed (from the HTTP stack, scrubbed).
        message: String,
    },
    /// A deadline passed.
    Timeout {
        /// The operation.
        operation: &'static str,
        /// Which deadline.
        phase: TimeoutPhase,
    },
    /// A non-2xx HTTP status.
    HttpStatus {
        /// The operation.
        operation: &'static str,
        /// The status code.
        status: u16,
        /// `Retry-After`, in milliseconds, when the platform sent one.
        retry_after_ms: Option<u64>,
    },
    /// A non-success `code`.
    Api(ApiError),
    /// Authentication failed.
    Auth(ApiError),
    /// The answer was not readable JSON of the expected shape.
    Decode {
        /// The operation.
        operation: &'static str,
        /// What could not be read.
        message: String,
    },
    /// A local policy refused the call before sending.
    Refused {
        /// The operation.
        operation: &'static str,
        /// Which rule refused it and why.
        reason: String,
    },
}

impl Error {
    /// A validation error for a wire field.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation { field: field.into(), message: message.into() }
    }

    /// A configuration error.
    pub fn config(message: impl Into<String>) -> Self {
        Self::Config { message: message.into() }
    }

    /// Classifies a platform code: auth-category codes become [`Error::Auth`].
    pub fn from_code(operation: &'static str, code: impl Into<String>, description: impl Into<String>) -> Self {
        let e = ApiError::new(operation, code, description);
        if e.category == Category::Auth { Self::Auth(e) } else { Self::Api(e) }
    }

    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Validation { .. } => ErrorKind::Validation,
            Self::Config { .. } => ErrorKind::Config,
            Self::Transport { .. } => ErrorKind::Transport,
            Self::Timeout { .. } => ErrorKind::Timeout,
            Self::HttpStatus { .. } => ErrorKind::HttpStatus,
            Self::Api(_) => ErrorKind::Api,
            Self::Auth(_) => ErrorKind::Auth,
            Self::Decode { .. } => ErrorKind::Decode,
            Self::Refused { .. } => ErrorKind::Refused,
        }
    }

    /// The platform error, for [`Error::Api`] and [`Error::Auth`].
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(e) | Self::Auth(e) => Some(e),
            _ => None,
        }
    }

    /// The platform's return code, when there is one.
    pub fn code(&self) -> Option<&str> {
        self.api().map(|e| e.code.as_str())
    }

    /// The field a validation error names.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Validation { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The category: the code's for platform errors, a fitting one otherwise.
    pub fn category(&self) -> Category {
        match self {
            Self::Api(e) | Self::Auth(e) => e.category,
            Self::Validation { .. } => Category::Validation,
            Self::Transport { .. } | Self::Timeout { .. } => Category::Transient,
            Self::HttpStatus { status: 429, .. } => Category::Throttled,
            Self::HttpStatus { status: 401 | 403, .. } => Category::Auth,
            Self::HttpStatus { status, .. } if *status >= 500 => Category::Transient,
            _ => Category::Unknown,
        }
    }

    /// Whether the same request may succeed if sent again. For writes without an idempotency
    /// key a transport failure is retryable only in the sense that the call may not have
    /// happened: the client never retries those itself.
    pub fn retryable(&self) -> bool {
        match self {
            Self::Api(e) | Self::Auth(e) => e.retryable,
            Self::HttpStatus { status, .. } => *status == 429 || *status == 408 || *status >= 500,
            Self::Transport { .. } | Self::Timeout { .. } => true,
            _ => false,
        }
    }

    /// A one-line description (also what `Display` prints).
    pub fn description(&self) -> String {
        match self {
            Self::Api(e) | Self::Auth(e) => e.description.clone(),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Validation { field, message } => write!(f, "invalid `{field}`: {message}"),
            Self::Config { message } => write!(f, "configuration: {message}"),
            Self::Transport { operation, message } => write!(f, "{operation}: transport failed: {message}"),
            Self::Timeout { operation, phase } => {
                let p = match phase {
                    TimeoutPhase::Connect => "connect",
                    TimeoutPhase::Attempt => "attempt",
                    TimeoutPhase::Total => "total",
                };
                write!(f, "{operation}: {p} timeout")
            }
            Self::HttpStatus { operation, status, .. } => write!(f, "{operation}: HTTP status {status}"),
            Self::Api(e) | Self::Auth(e) => {
                write!(f, "{}: code {} ({})", e.operation, e.code, e.category)?;
                if let Some(m) = e.meaning {
                    write!(f, ": {m}")?;
                }
                if !e.description.is_empty() && Some(e.description.as_str()) != e.meaning {
                    write!(f, " [{}]", e.description)?;
                }
                Ok(())
            }
            Self::Decode { operation, message } => write!(f, "{operation}: cannot read the answer: {message}"),
            Self::Refused { operation, reason } => write!(f, "{operation}: refused by policy: {reason}"),
        }
    }
}

impl std::error::Error for Error {}

/// Replaces every occurrence of each non-empty secret in `text` with `***`. Used on text that
/// comes from outside (platform descriptions, HTTP stack messages) before it enters an error.
pub fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        if out.contains(*s) {
            out = out.replace(*s, "***");
        }
    }
    out
}

/// Result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_carry_table_data() {
        let e = Error::from_code("create_order", "1000103", "Insufficient deposit");
        assert_eq!(e.kind(), ErrorKind::Api);
        assert_eq!(e.category(), Category::Deposit);
        assert!(!e.retryable());
        assert!(e.to_string().contains("1000103"));
        let e = Error::from_code("x", "1000008", "token bad");
        assert_eq!(e.kind(), ErrorKind::Auth);
        let e = Error::from_code("x", "9000004", "");
        assert!(e.retryable());
        assert_eq!(Error::from_code("x", "5555555", "").category(), Category::Unknown);
    }

    #[test]
    fn scrub_removes_secrets() {
        assert_eq!(scrub("bad token eyJabc.def here", &["eyJabc.def", ""]), "bad token *** here");
    }
}
