//! Values that must never be printed (sdk-rules 18).
//!
//! [`Secret`] holds the AppSecret, access tokens, digests and nonces. Its `Debug` and
//! `Display` print a fixed placeholder, it has no `Serialize`, and the only way to read it is
//! the explicit [`Secret::expose`], so a secret cannot reach a log line by accident.

use std::fmt;
use std::sync::Arc;

/// A secret string. Cheap to clone (shared), compared in constant time.
#[derive(Clone)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Arc::from(value.into()))
    }

    /// The value itself. Every call site is a place where the secret leaves this type: keep
    /// them few (signing, the request body, a token store).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        constant_time_eq(self.0.as_bytes(), other.0.as_bytes())
    }
}

impl Eq for Secret {}

impl From<String> for Secret {
    fn from(v: String) -> Self {
        Self::new(v)
    }
}

impl From<&str> for Secret {
    fn from(v: &str) -> Self {
        Self::new(v)
    }
}

/// Compares two byte strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    // black_box keeps the optimiser from turning the fold into an early exit.
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?} {s} {s:#?}"), "Secret(***) *** Secret(***)");
        assert_eq!(s.expose(), "hunter2");
        assert_eq!(s, Secret::new("hunter2"));
        assert_ne!(s, Secret::new("hunter3"));
    }
}
