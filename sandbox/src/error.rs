//! A refused call: a return code of the spec's table and its text.

use std::borrow::Cow;

/// A business or validation failure, answered with HTTP 200 unless `http` says otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The return code (`1000103`).
    pub code: &'static str,
    /// The description sent with it.
    pub description: Cow<'static, str>,
    /// HTTP status of the answer.
    pub http: u16,
}

impl ApiError {
    /// A code with the table's meaning as its text.
    pub fn code(code: &'static str) -> Self {
        let text = cmi_core::codes::lookup(code).map(|c| c.meaning).unwrap_or("Error");
        Self { code, description: Cow::Borrowed(text), http: 200 }
    }

    /// A code with a text of our own.
    pub fn with(code: &'static str, description: impl Into<Cow<'static, str>>) -> Self {
        Self { code, description: description.into(), http: 200 }
    }

    /// `1000005`: a mandatory field is missing or empty; the text names it.
    pub fn missing(field: &str) -> Self {
        Self::with("1000005", format!("Mandatory parameter {field} is empty"))
    }

    /// `1000007`: a field has a wrong format; the text names it.
    pub fn format(field: &str) -> Self {
        Self::with("1000007", format!("Parameter {field} has a wrong format"))
    }

    /// `1000073` for a card of another channel.
    pub fn not_ours(iccid: &str) -> Self {
        Self::with("1000073", format!("ICCID {iccid} does not belong to this channel"))
    }

    /// The same error answered with another HTTP status.
    pub fn http(mut self, status: u16) -> Self {
        self.http = status;
        self
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
