//! WSSE UsernameToken signing and parsing (spec §1.2.1, sdk-rules 1-3).
//!
//! Signing is a pure function of (app key, secret, nonce, created) so it can be tested against
//! fixed vectors; the client supplies a fresh nonce and the current time for every attempt.
//! The parser is shared by the simulator and the callback verifier.

use crate::datetime::DateTime;
use crate::secret::{Secret, constant_time_eq};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::fmt;

/// The `Authorization` header value, in the spaced form clients send.
pub const AUTHORIZATION: &str = r#"WSSE realm="SDP", profile="UsernameToken", type="Appkey""#;

/// Formats `Created` for a Unix time: UTC, 24-hour clock, `YYYY-MM-DDThh:mm:ssZ`, no fractions.
pub fn created(unix_seconds: i64) -> String {
    DateTime::from_unix(unix_seconds).to_iso_utc()
}

/// `Base64(SHA-256(nonce + created + secret))` over the raw 32-byte digest, standard
/// alphabet with padding: always 44 characters.
pub fn password_digest(nonce: &str, created: &str, secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(nonce.as_bytes());
    h.update(created.as_bytes());
    h.update(secret.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(h.finalize())
}

/// The two headers of one signed attempt. `Debug` hides the digest and nonce.
#[derive(Clone)]
pub struct WsseHeaders {
    /// Value of `Authorization`.
    pub authorization: &'static str,
    /// Value of `X-WSSE`; carries the digest and nonce, so it is a [`Secret`].
    pub x_wsse: Secret,
}

impl fmt::Debug for WsseHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WsseHeaders").field("authorization", &self.authorization).field("x_wsse", &"***").finish()
    }
}

/// Signs one attempt.
pub fn sign(app_key: &str, secret: &Secret, nonce: &str, created: &str) -> WsseHeaders {
    let digest = password_digest(nonce, created, secret.expose());
    WsseHeaders {
        authorization: AUTHORIZATION,
        // Joined rather than `format!`ted: this runs on every attempt, and in the WebAssembly
        // module the formatting machinery costs about as much as the hash.
        x_wsse: Secret::new(
            [
                r#"UsernameToken Username=""#,
                app_key,
                r#"", PasswordDigest=""#,
                &digest,
                r#"", Nonce=""#,
                nonce,
                r#"", Created=""#,
                created,
                r#"""#,
            ]
            .concat(),
        ),
    }
}

/// A parsed `X-WSSE` header.
#[derive(Clone, PartialEq, Eq)]
pub struct UsernameToken {
    /// `Username` (the app key).
    pub username: String,
    /// `PasswordDigest`.
    pub digest: Secret,
    /// `Nonce`.
    pub nonce: Secret,
    /// `Created`, as sent.
    pub created: String,
}

impl fmt::Debug for UsernameToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UsernameToken")
            .field("username", &self.username)
            .field("digest", &"***")
            .field("nonce", &"***")
            .field("created", &self.created)
            .finish()
    }
}

/// Why an `X-WSSE` or `Authorization` header was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WsseParseError {
    /// The header does not start with `UsernameToken`.
    NotUsernameToken,
    /// A part is not `Name="value"`.
    Malformed,
    /// One of Username, PasswordDigest, Nonce, Created is missing or empty.
    MissingPart(&'static str),
    /// The header is longer than any real one (4 KiB).
    TooLong,
}

impl fmt::Display for WsseParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotUsernameToken => f.write_str("X-WSSE does not start with UsernameToken"),
            Self::Malformed => f.write_str("X-WSSE is not a list of Name=\"value\" parts"),
            Self::MissingPart(p) => write!(f, "X-WSSE lacks {p}"),
            Self::TooLong => f.write_str("X-WSSE is too long"),
        }
    }
}

impl std::error::Error for WsseParseError {}

/// Splits `A="x", B="y"` into pairs; commas inside quotes are kept.
fn parse_params(s: &str) -> Result<Vec<(&str, &str)>, WsseParseError> {
    let mut out = Vec::with_capacity(4);
    let mut rest = s.trim();
    while !rest.is_empty() {
        let eq = rest.find('=').ok_or(WsseParseError::Malformed)?;
        let name = rest[..eq].trim();
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            return Err(WsseParseError::Malformed);
        }
        let after = rest[eq + 1..].trim_start();
        let (value, tail) = if let Some(q) = after.strip_prefix('"') {
            let end = q.find('"').ok_or(WsseParseError::Malformed)?;
            (&q[..end], &q[end + 1..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim(), &after[end..])
        };
        out.push((name, value));
        let tail = tail.trim_start();
        rest = match tail.strip_prefix(',') {
            Some(t) => t.trim_start(),
            None if tail.is_empty() => tail,
            None => return Err(WsseParseError::Malformed),
        };
    }
    Ok(out)
}

/// Parses `X-WSSE`. Accepts the spaced and unspaced forms and any part order.
pub fn parse_x_wsse(header: &str) -> Result<UsernameToken, WsseParseError> {
    if header.len() > 4096 {
        return Err(WsseParseError::TooLong);
    }
    let body = header.trim().strip_prefix("UsernameToken").ok_or(WsseParseError::NotUsernameToken)?;
    if !body.starts_with(char::is_whitespace) {
        return Err(WsseParseError::NotUsernameToken);
    }
    let (mut user, mut digest, mut nonce, mut created) = (None, None, None, None);
    for (k, v) in parse_params(body)? {
        match k {
            "Username" => user = Some(v),
            "PasswordDigest" => digest = Some(v),
            "Nonce" => nonce = Some(v),
            "Created" => created = Some(v),
            _ => {}
        }
    }
    fn need<'a>(v: Option<&'a str>, name: &'static str) -> Result<&'a str, WsseParseError> {
        v.filter(|v| !v.is_empty()).ok_or(WsseParseError::MissingPart(name))
    }
    Ok(UsernameToken {
        username: need(user, "Username")?.to_owned(),
        digest: Secret::new(need(digest, "PasswordDigest")?),
        nonce: Secret::new(need(nonce, "Nonce")?),
        created: need(created, "Created")?.to_owned(),
    })
}

/// Checks an `Authorization` header: `WSSE` with realm SDP, profile UsernameToken, type Appkey,
/// spaced or not.
pub fn check_authorization(header: &str) -> Result<(), WsseParseError> {
    let body = header.trim().strip_prefix("WSSE").ok_or(WsseParseError::Malformed)?;
    let params = parse_params(body)?;
    let get = |name| params.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    match (get("realm"), get("profile"), get("type")) {
        (Some("SDP"), Some("UsernameToken"), Some("Appkey")) => Ok(()),
        _ => Err(WsseParseError::Malformed),
    }
}

impl UsernameToken {
    /// Whether the digest matches `secret`, compared in constant time.
    pub fn digest_matches(&self, secret: &Secret) -> bool {
        let expected = password_digest(self.nonce.expose(), &self.created, secret.expose());
        constant_time_eq(expected.as_bytes(), self.digest.expose().as_bytes())
    }

    /// `Created` as Unix seconds, if it has the documented form.
    pub fn created_unix(&self) -> Option<i64> {
        let b = self.created.as_bytes();
        // Only the exact documented shape counts: fractions or offsets are refused.
        (b.len() == 20 && b[10] == b'T' && b[19] == b'Z')
            .then(|| DateTime::parse(&self.created))
            .flatten()
            .map(|t| t.unix_seconds())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_vector() {
        assert_eq!(
            password_digest("66C92B11FF8A425FB8D4CCFE0ED9ED1F", "2014-01-07T01:58:21Z", "secret"),
            "lyfcsyTnK5PZ7bSQpq2gfH5NEJ07gYUT6czjgzbpaR0="
        );
    }

    #[test]
    fn created_is_24h_utc() {
        assert_eq!(created(1_704_067_200), "2024-01-01T00:00:00Z");
        assert_eq!(created(1_704_067_200 + 12 * 3600), "2024-01-01T12:00:00Z");
        assert_eq!(created(1_704_067_200 + 86_399), "2024-01-01T23:59:59Z");
    }

    #[test]
    fn sign_then_parse_round_trips() {
        let secret = Secret::new("s3cr3t");
        let h = sign("key", &secret, "ABC", "2024-01-01T00:00:00Z");
        let t = parse_x_wsse(h.x_wsse.expose()).unwrap();
        assert_eq!(t.username, "key");
        assert!(t.digest_matches(&secret));
        assert!(!t.digest_matches(&Secret::new("other")));
        assert_eq!(t.created_unix(), Some(1_704_067_200));
        assert!(!format!("{h:?}{t:?}").contains(t.digest.expose()));
        check_authorization(h.authorization).unwrap();
        check_authorization(r#"WSSE realm="SDP",profile="UsernameToken",type="Appkey""#).unwrap();
    }

    #[test]
    fn parser_accepts_unspaced_and_rejects_junk() {
        let t = parse_x_wsse(r#"UsernameToken Username="u",PasswordDigest="d=",Nonce="n", Created="c""#).unwrap();
        assert_eq!(t.digest.expose(), "d=");
        assert_eq!(parse_x_wsse("Basic abc"), Err(WsseParseError::NotUsernameToken));
        assert_eq!(parse_x_wsse(r#"UsernameToken Username="u""#), Err(WsseParseError::MissingPart("PasswordDigest")));
        assert_eq!(parse_x_wsse(r#"UsernameToken Username="u"#), Err(WsseParseError::Malformed));
    }
}
