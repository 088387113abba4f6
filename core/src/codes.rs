//! The platform's return-code table (spec §1.8) as data.
//!
//! Every API error carries its code's meaning, a category and whether retrying can help, so
//! callers branch on data instead of string matching.

use std::fmt;

/// What kind of failure a return code reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Authentication or authorisation: WSSE, token, account rights.
    Auth,
    /// A request field is missing, malformed or names something that does not exist.
    Validation,
    /// The request is well formed but a business rule refuses it.
    BusinessRule,
    /// Money: deposit, currency or charging.
    Deposit,
    /// Rate limited (`9000004`, HTTP 429).
    Throttled,
    /// A passing platform fault; the same request may succeed later.
    Transient,
    /// A code the table does not list.
    Unknown,
}

impl Category {
    /// Every category, in declaration order.
    pub const ALL: &'static [Category] = &[
        Self::Auth,
        Self::Validation,
        Self::BusinessRule,
        Self::Deposit,
        Self::Throttled,
        Self::Transient,
        Self::Unknown,
    ];

    /// Lower-case name used in messages and by the bindings.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Auth => "auth",
            Self::Validation => "validation",
            Self::BusinessRule => "business_rule",
            Self::Deposit => "deposit",
            Self::Throttled => "throttled",
            Self::Transient => "transient",
            Self::Unknown => "unknown",
        }
    }

    /// Whether a failure of this category may succeed when retried unchanged.
    pub fn retryable(&self) -> bool {
        matches!(self, Self::Throttled | Self::Transient)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

include!("codes_table.rs");

/// A row of the return-code table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The code as a number (`1000103`).
    pub code: u32,
    /// Its documented meaning, in English.
    pub meaning: &'static str,
    /// Its category.
    pub category: Category,
}

impl CodeInfo {
    /// Whether retrying the same request can help.
    pub fn retryable(&self) -> bool {
        self.category.retryable()
    }
}

/// Looks a code up; accepts `"1000103"`, `" 1000103 "` or `"1000103.0"`-free text only.
pub fn lookup(code: &str) -> Option<CodeInfo> {
    let n: u32 = code.trim().parse().ok()?;
    TABLE.binary_search_by_key(&n, |row| row.0).ok().map(|i| CodeInfo {
        code: TABLE[i].0,
        meaning: TABLE[i].1,
        category: TABLE[i].2,
    })
}

/// Every documented code (success excluded).
pub fn all() -> impl Iterator<Item = CodeInfo> {
    TABLE.iter().map(|&(code, meaning, category)| CodeInfo { code, meaning, category })
}

/// Success is a code made only of zeros (`"0"`, `"0000000"`), sdk-rules 9.
pub fn is_success(code: &str) -> bool {
    let c = code.trim();
    !c.is_empty() && c.bytes().all(|b| b == b'0')
}

/// Codes that mean the access token is invalid or expired: refresh once and retry.
pub fn is_token_rejected(code: &str) -> bool {
    matches!(code.trim(), "1000008" | "1000009")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_complete() {
        assert!(TABLE.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(TABLE.len() >= 170);
        let d = lookup("1000103").unwrap();
        assert_eq!(d.category, Category::Deposit);
        assert!(!d.retryable());
        assert!(lookup("9000004").unwrap().retryable());
        assert!(lookup("2000003").unwrap().retryable());
        assert!(lookup("1000154").unwrap().retryable());
        assert_eq!(lookup("1000008").unwrap().category, Category::Auth);
        assert!(lookup("1234567").is_none());
    }

    #[test]
    fn success_is_all_zeros() {
        assert!(is_success("0"));
        assert!(is_success("0000000"));
        assert!(!is_success(""));
        assert!(!is_success("0000001"));
    }
}
