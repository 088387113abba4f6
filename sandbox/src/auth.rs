//! Both authentication layers (spec §1.2): the WSSE header pair on every call and the
//! `accessToken` of 3.2.1 in the body.
//!
//! WSSE checks, in order: `Authorization` and `X-WSSE` present and well formed (`1000000`,
//! HTTP 401), `Username` a known app key (`1000006`), digest (`1000001`), `Created` in the
//! exact `YYYY-MM-DDThh:mm:ssZ` form and within ±window of the WSSE clock (`1000004`), nonce
//! not seen within the window (`1000003`). All of them answer HTTP 401. Nonces are kept in a
//! bounded cache: a replay is caught while it is within the window *and* among the last
//! `capacity` nonces.

use crate::clock;
use crate::error::ApiError;
use crate::state::ChannelId;
use base64::Engine as _;
use cmi_core::Secret;
use cmi_core::wsse::{check_authorization, parse_x_wsse};
use sha2::{Digest, Sha512};
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;

/// One channel's credentials.
#[derive(Debug, Clone)]
pub struct Credential {
    /// Channel.
    pub channel: ChannelId,
    /// Secret.
    pub secret: Secret,
    /// `userid` in tokens.
    pub user_id: String,
}

/// App key -> credential; fixed for the sandbox's life.
pub type Credentials = HashMap<String, Credential>;

/// Checks the WSSE headers up to (not including) the nonce; returns the app key's channel,
/// the app key and the nonce.
pub fn verify_headers<'a>(
    creds: &'a Credentials,
    authorization: Option<&str>,
    x_wsse: Option<&str>,
    now: i64,
    window: i64,
) -> Result<(&'a Credential, String, String), ApiError> {
    let unauthorized = |code, text: &str| ApiError::with(code, text.to_owned()).http(401);
    let authorization = authorization.ok_or_else(|| unauthorized("1000000", "Authorization header is missing"))?;
    check_authorization(authorization).map_err(|_| {
        unauthorized(
            "1000000",
            "Authorization header is not WSSE realm=\"SDP\", profile=\"UsernameToken\", type=\"Appkey\"",
        )
    })?;
    let x_wsse = x_wsse.ok_or_else(|| unauthorized("1000000", "X-WSSE header is missing"))?;
    let token = parse_x_wsse(x_wsse).map_err(|e| ApiError::with("1000000", format!("{e}")).http(401))?;
    let cred =
        creds.get(&token.username).ok_or_else(|| unauthorized("1000006", "Illegal call: App Key does not exist"))?;
    if !token.digest_matches(&cred.secret) {
        return Err(unauthorized("1000001", "PasswordDigest check failed"));
    }
    let created = token.created_unix().ok_or_else(|| {
        unauthorized("1000004", "Created check failed: expected YYYY-MM-DDThh:mm:ssZ (UTC, 24-hour clock)")
    })?;
    if (created - now).abs() > window {
        return Err(ApiError::with(
            "1000004",
            format!(
                "Created check failed: {} is more than {window} s from the server time {}",
                token.created,
                clock::compact(now)
            ),
        )
        .http(401));
    }
    Ok((cred, token.username, token.nonce.expose().to_owned()))
}

/// A bounded replay cache of nonces.
#[derive(Debug)]
pub struct NonceCache {
    seen: HashMap<u64, i64>,
    order: VecDeque<(u64, i64)>,
    capacity: usize,
    hasher: std::collections::hash_map::RandomState,
}

impl NonceCache {
    /// A cache of at most `capacity` nonces.
    pub fn new(capacity: usize) -> Self {
        Self {
            seen: HashMap::with_capacity(capacity.min(1 << 16)),
            order: VecDeque::with_capacity(capacity.min(1 << 16)),
            capacity: capacity.max(1),
            hasher: Default::default(),
        }
    }

    /// Records `nonce` of `user` at `now`, remembered until `now + keep`; `false` if it was
    /// already seen and still remembered.
    pub fn check_and_insert(&mut self, user: &str, nonce: &str, now: i64, keep: i64) -> bool {
        while let Some(&(k, exp)) = self.order.front() {
            if exp > now && self.order.len() < self.capacity {
                break;
            }
            self.order.pop_front();
            if self.seen.get(&k) == Some(&exp) {
                self.seen.remove(&k);
            }
        }
        let key = self.hasher.hash_one((user, nonce));
        if self.seen.get(&key).is_some_and(|&exp| exp > now) {
            return false;
        }
        self.seen.insert(key, now + keep);
        self.order.push_back((key, now + keep));
        true
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.seen.clear();
        self.order.clear();
    }

    /// Nonces remembered.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether none is remembered.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

#[derive(Debug, Clone, Copy)]
struct TokenRec {
    channel: ChannelId,
    expires: i64,
}

/// Issued access tokens.
#[derive(Debug)]
pub struct Tokens {
    map: HashMap<String, TokenRec>,
    key: [u8; 32],
    /// Tokens issued so far: signed into each token so that no two are equal.
    serial: u64,
}

/// How a token check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Never issued (or issued for another app key).
    Invalid,
    /// Past its expiry.
    Expired,
}

impl Tokens {
    /// A store signing with `key`.
    pub fn new(key: [u8; 32]) -> Self {
        Self { map: HashMap::new(), key, serial: 0 }
    }

    /// Issues a JWT-shaped token (`{"typ":"JWT","alg":"HS512"}`, payload
    /// `{"role":106,"userid":…,"iat":…}`, no `exp`: expiry is kept here) valid until
    /// `now + ttl`. The signature also covers a per-issue serial, so two tokens issued in
    /// the same second differ: a new token never shares its text with, and so never revives,
    /// one that was expired.
    pub fn issue(&mut self, channel: ChannelId, user_id: &str, now: i64, ttl: i64) -> (String, i64) {
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = b64.encode(br#"{"typ":"JWT","alg":"HS512"}"#);
        let payload = b64.encode(format!(r#"{{"role":106,"userid":"{user_id}","iat":{now}}}"#));
        self.serial += 1;
        let mut h = Sha512::new();
        h.update(self.key);
        h.update(self.serial.to_be_bytes());
        h.update(header.as_bytes());
        h.update(b".");
        h.update(payload.as_bytes());
        let token = format!("{header}.{payload}.{}", b64.encode(h.finalize()));
        if self.map.len() > 4096 {
            self.map.retain(|_, r| r.expires > now - 3600);
        }
        self.map.insert(token.clone(), TokenRec { channel, expires: now + ttl });
        (token, now + ttl)
    }

    /// Checks a token presented by `channel` at `now`.
    pub fn check(&self, token: &str, channel: ChannelId, now: i64) -> Result<(), TokenError> {
        match self.map.get(token) {
            Some(r) if r.channel != channel => Err(TokenError::Invalid),
            Some(r) if r.expires <= now => Err(TokenError::Expired),
            Some(_) => Ok(()),
            None => Err(TokenError::Invalid),
        }
    }

    /// Revokes every token of `channel` (revoke-on-reissue).
    pub fn revoke_channel(&mut self, channel: ChannelId) {
        self.map.retain(|_, r| r.channel != channel);
    }

    /// Expires every token now.
    pub fn expire_all(&mut self, now: i64) {
        for r in self.map.values_mut() {
            r.expires = r.expires.min(now);
        }
    }

    /// Forgets every token.
    pub fn clear(&mut self) {
        self.map.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonce_cache_is_bounded_and_catches_replays() {
        let mut c = NonceCache::new(3);
        assert!(c.check_and_insert("u", "a", 100, 1200));
        assert!(!c.check_and_insert("u", "a", 101, 1200));
        assert!(c.check_and_insert("v", "a", 101, 1200));
        assert!(c.check_and_insert("u", "b", 102, 1200));
        assert!(c.check_and_insert("u", "c", 103, 1200));
        assert!(c.len() <= 3);
        // Past its keep time a nonce is forgotten.
        assert!(c.check_and_insert("u", "c", 103 + 1201, 1200));
    }

    #[test]
    fn tokens_expire() {
        let mut t = Tokens::new([7; 32]);
        let (tok, exp) = t.issue(0, "abc", 1000, 600);
        assert_eq!(exp, 1600);
        assert_eq!(tok.split('.').count(), 3);
        assert!(tok.starts_with("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9."));
        assert_eq!(t.check(&tok, 0, 1599), Ok(()));
        assert_eq!(t.check(&tok, 1, 1599), Err(TokenError::Invalid));
        assert_eq!(t.check(&tok, 0, 1600), Err(TokenError::Expired));
        assert_eq!(t.check("x", 0, 1000), Err(TokenError::Invalid));
        let (other, _) = t.issue(1, "def", 1000, 600);
        t.revoke_channel(0);
        assert_eq!(t.check(&tok, 0, 1100), Err(TokenError::Invalid), "revoked");
        assert_eq!(t.check(&other, 1, 1100), Ok(()), "another channel's token stays");
        let (tok, _) = t.issue(0, "abc", 1000, 600);
        t.expire_all(1200);
        assert_eq!(t.check(&tok, 0, 1200), Err(TokenError::Expired));
    }

    #[test]
    fn a_token_issued_in_the_same_second_is_new_and_leaves_expired_ones_expired() {
        let mut t = Tokens::new([7; 32]);
        let (old, _) = t.issue(0, "abc", 1000, 600);
        t.expire_all(1000);
        let (new, _) = t.issue(0, "abc", 1000, 600);
        assert_ne!(new, old);
        assert_eq!(new.split('.').take(2).collect::<Vec<_>>(), old.split('.').take(2).collect::<Vec<_>>());
        assert_eq!(t.check(&new, 0, 1000), Ok(()));
        assert_eq!(t.check(&old, 0, 1000), Err(TokenError::Expired), "the expired token stays expired");
    }
}
