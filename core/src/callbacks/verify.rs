//! Verification of callback requests before their body is trusted (sdk-rules 21): the
//! options, the receiver and its checks. The checks and their refusals are listed on
//! [`CallbackReceiver::verify_and_parse`].

use super::ip::IpRange;
use super::replay::{NonceCache, fingerprint};
use super::{ParsedNotification, dedupe::Dedupe, parse_body};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::secret::{Secret, constant_time_eq};
use crate::transport::find_header;
use crate::wsse::{check_authorization, parse_x_wsse};
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// The operation name carried by refusals.
const OPERATION: &str = "verify_notification";

/// Default for [`VerifyOptions::replay_window`]: the platform's own validity of `Created`.
pub const DEFAULT_REPLAY_WINDOW: Duration = Duration::from_secs(10 * 60);

/// Default for [`VerifyOptions::nonce_cache_capacity`].
pub const DEFAULT_NONCE_CACHE_CAPACITY: usize = 10_000;

/// What a [`CallbackReceiver`] checks, built step by step; [`CallbackReceiver::new`] validates
/// it once.
///
/// ```
/// use cmi_core::callbacks::{CallbackReceiver, VerifyOptions};
/// use cmi_core::{Secret, SystemClock};
///
/// let options = VerifyOptions::new()
///     .wsse("5d0b3a1e9c6f4b2a8e7d1c0f9a8b7c6d", Secret::new("the-app-secret"))
///     .replay_protection(SystemClock)
///     .shared_secret_header("X-Callback-Token", Secret::new("long-random-token"))
///     .allow_ips(["203.0.113.0/24", "2001:db8::/32"])
///     .dedupe(10_000);
/// let receiver = CallbackReceiver::new(options)?;
/// # let _ = receiver;
/// # Ok::<(), cmi_core::Error>(())
/// ```
#[derive(Clone)]
pub struct VerifyOptions {
    wsse: Option<(String, Secret)>,
    shared_secret: Option<(String, Secret)>,
    allow_ips: Option<Vec<String>>,
    clock: Option<Arc<dyn Clock>>,
    replay_window: Duration,
    nonce_cache_capacity: usize,
    max_body_bytes: usize,
    dedupe: Option<usize>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self {
            wsse: None,
            shared_secret: None,
            allow_ips: None,
            clock: None,
            replay_window: DEFAULT_REPLAY_WINDOW,
            nonce_cache_capacity: DEFAULT_NONCE_CACHE_CAPACITY,
            max_body_bytes: super::MAX_BODY_BYTES,
            dedupe: None,
        }
    }
}

impl VerifyOptions {
    /// No checks but the body size limit ([`super::MAX_BODY_BYTES`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// Verifies the WSSE headers CMI sends: `Authorization` must be the WSSE UsernameToken
    /// form, `X-WSSE`'s `Username` must be `app_key`, and its `PasswordDigest` must be
    /// `Base64(SHA-256(Nonce + Created + secret))`, compared in constant time.
    ///
    /// Which credentials sign callbacks is not documented; CMI's examples and the sandbox use
    /// the receiving channel's own app key and secret. `Created` is checked only with
    /// [`replay_protection`](Self::replay_protection), which should go with this: WSSE does
    /// not cover the body, and without it a captured header can be sent again, with any body.
    pub fn wsse(mut self, app_key: impl Into<String>, secret: Secret) -> Self {
        self.wsse = Some((app_key.into(), secret));
        self
    }

    /// Requires header `name` (case-insensitive) to carry `secret`, as a token configured with
    /// CMI for the callback URL. Never put such a token in the URL: URLs end up in logs. The
    /// comparison is constant-time and hides the secret's length (SHA-256 of both sides).
    pub fn shared_secret_header(mut self, name: impl Into<String>, secret: Secret) -> Self {
        self.shared_secret = Some((name.into(), secret));
        self
    }

    /// Accepts requests only from these peers: exact addresses (`203.0.113.7`, `2001:db8::1`)
    /// or CIDR ranges (`10.0.0.0/8`, `2001:db8::/32`). Calls add up. The entries are parsed by
    /// [`CallbackReceiver::new`], which refuses a malformed entry, a range with host bits set
    /// and an empty list.
    ///
    /// The peer is the address the caller passes to
    /// [`verify_and_parse`](CallbackReceiver::verify_and_parse); behind a reverse proxy, pass
    /// the client address the proxy reports only if the proxy is trusted to set it. An
    /// IPv4-mapped IPv6 peer (`::ffff:203.0.113.7`) is matched as IPv4.
    pub fn allow_ips<I, S>(mut self, entries: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.allow_ips.get_or_insert_with(Vec::new).extend(entries.into_iter().map(|e| e.as_ref().to_owned()));
        self
    }

    /// Refuses a WSSE `Created` further than the [replay window](Self::replay_window) from
    /// `clock` (either way), and a nonce already accepted within the window. Needs
    /// [`wsse`](Self::wsse): without a verified digest, a nonce proves nothing. Pass
    /// [`SystemClock`](crate::SystemClock) in production and a
    /// [`ManualClock`](crate::clock::ManualClock) in tests.
    pub fn replay_protection(mut self, clock: impl Clock) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// How far `Created` may be from the receiver's clock, and how long a nonce is remembered.
    /// Default [`DEFAULT_REPLAY_WINDOW`] (±10 minutes, the platform's own limit). Takes effect
    /// with [`replay_protection`](Self::replay_protection).
    pub fn replay_window(mut self, window: Duration) -> Self {
        self.replay_window = window;
        self
    }

    /// How many nonces are remembered at most (default [`DEFAULT_NONCE_CACHE_CAPACITY`]);
    /// when full, the oldest is forgotten. Size it above the number of callbacks expected
    /// within twice the window. Takes effect with [`replay_protection`](Self::replay_protection).
    pub fn nonce_cache_capacity(mut self, capacity: usize) -> Self {
        self.nonce_cache_capacity = capacity;
        self
    }

    /// The largest body accepted, in bytes (default [`super::MAX_BODY_BYTES`], 64 KiB; real
    /// notifications are a few hundred bytes).
    pub fn max_body_bytes(mut self, max: usize) -> Self {
        self.max_body_bytes = max;
        self
    }

    /// Lets [`CallbackReceiver::handle`] remember the
    /// [`dedupe_key`](ParsedNotification::dedupe_key)s of up to `capacity` handled events in
    /// memory, so a redelivery of a handled event is acknowledged without running the handler
    /// again. Not a check: verification is unchanged. This memory belongs to one process; a
    /// receiver running several processes or hosts must record handled keys in a store they
    /// share instead (see [`CallbackReceiver::verify_and_parse`]).
    pub fn dedupe(mut self, capacity: usize) -> Self {
        self.dedupe = Some(capacity);
        self
    }
}

impl fmt::Debug for VerifyOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyOptions")
            .field("wsse_app_key", &self.wsse.as_ref().map(|(k, _)| k))
            .field("shared_secret_header", &self.shared_secret.as_ref().map(|(n, _)| n))
            .field("allow_ips", &self.allow_ips)
            .field("replay_protection", &self.clock.is_some())
            .field("replay_window", &self.replay_window)
            .field("nonce_cache_capacity", &self.nonce_cache_capacity)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("dedupe", &self.dedupe)
            .finish()
    }
}

/// The replay state: the clock, the window and the nonces seen.
struct Replay {
    clock: Arc<dyn Clock>,
    window_ms: i64,
    nonces: NonceCache,
}

/// Verifies and reads the callbacks CMI posts (3.2.15-3.2.17), and acknowledges them only
/// after the handler succeeded. Thread-safe: share one per callback URL (for example in an
/// `Arc`), so its nonce cache and dedupe memory see every request.
///
/// A receiver checking WSSE, replay and a shared-secret header, fed a request signed the way
/// CMI signs it:
///
/// ```
/// use cmi_core::callbacks::{CallbackReceiver, Notification, Outcome, VerifyOptions};
/// use cmi_core::{Secret, clock::ManualClock, wsse};
/// use std::sync::Arc;
///
/// let secret = Secret::new("the-app-secret");
/// let clock = Arc::new(ManualClock::new(1_704_067_200_000)); // 2024-01-01T00:00:00Z
/// let receiver = CallbackReceiver::new(
///     VerifyOptions::new()
///         .wsse("my-app-key", secret.clone())
///         .replay_protection(clock.clone())
///         .shared_secret_header("X-Callback-Token", Secret::new("long-random-token")),
/// )?;
///
/// // What CMI sends.
/// let signed = wsse::sign("my-app-key", &secret, "66C92B11FF8A425FB8D4CCFE0ED9ED1F", "2024-01-01T00:00:00Z");
/// let headers = vec![
///     ("Authorization".to_owned(), signed.authorization.to_owned()),
///     ("X-WSSE".to_owned(), signed.x_wsse.expose().to_owned()),
///     ("X-Callback-Token".to_owned(), "long-random-token".to_owned()),
/// ];
/// let body = br#"{"iccid":"89852342022006915895","qtavalue":"101804370","timestamp":"20240109175959"}"#;
///
/// let mut stored = Vec::new();
/// let reply = receiver.handle(None, &headers, body, |event| {
///     if let Notification::Usage(usage) = event.notification() {
///         stored.push(usage.iccid.clone()); // an Err here would make CMI deliver it again
///     }
///     Ok::<(), std::io::Error>(())
/// });
/// assert_eq!(stored, [Some("89852342022006915895".to_owned())]);
/// assert_eq!(reply.status, 200);
/// assert_eq!(reply.body, br#"{"code":"0","description":"Success"}"#);
/// assert!(matches!(reply.outcome, Outcome::Handled));
///
/// // The same headers again: the nonce was used, so the request is refused.
/// let again = receiver.handle(None, &headers, body, |_| Ok::<(), std::io::Error>(()));
/// assert_eq!(again.status, 401);
/// # Ok::<(), cmi_core::Error>(())
/// ```
pub struct CallbackReceiver {
    wsse: Option<(String, Secret)>,
    shared_secret: Option<(String, Secret)>,
    allow_ips: Option<Vec<IpRange>>,
    replay: Option<Replay>,
    max_body_bytes: usize,
    pub(super) dedupe: Option<Dedupe>,
}

impl CallbackReceiver {
    /// Validates `options` and builds the receiver. Refuses, with [`Error::Config`]: an empty
    /// app key, secret or header name, a shared secret with surrounding whitespace, a malformed
    /// or empty IP allow-list, replay protection without WSSE, and a zero window, capacity or
    /// body limit.
    ///
    /// ```
    /// use cmi_core::callbacks::{CallbackReceiver, VerifyOptions};
    /// let e = CallbackReceiver::new(VerifyOptions::new().allow_ips(["10.1.2.3/8"])).unwrap_err();
    /// assert!(e.to_string().contains("host bits"));
    /// ```
    pub fn new(options: VerifyOptions) -> Result<Self> {
        let VerifyOptions {
            wsse,
            shared_secret,
            allow_ips,
            clock,
            replay_window,
            nonce_cache_capacity,
            max_body_bytes,
            dedupe,
        } = options;
        if let Some((key, secret)) = &wsse {
            if key.trim().is_empty() || secret.is_empty() {
                return Err(Error::config("callback WSSE verification needs a non-empty app key and secret"));
            }
        }
        if let Some((name, secret)) = &shared_secret {
            let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
            if name.is_empty() || !name.bytes().all(token) {
                return Err(Error::config(format!("callback shared-secret header name `{name}` is not a header name")));
            }
            if secret.is_empty() || secret.expose().trim() != secret.expose() {
                // HTTP drops the whitespace around a header value, so such a secret never matches.
                return Err(Error::config("callback shared secret is empty or has surrounding whitespace"));
            }
        }
        let allow_ips = match allow_ips {
            None => None,
            Some(entries) if entries.is_empty() => {
                return Err(Error::config("callback IP allow-list is empty: it would refuse every request"));
            }
            Some(entries) => Some(
                entries
                    .iter()
                    .map(|e| IpRange::parse(e).map_err(|m| Error::config(format!("callback IP allow-list: {m}"))))
                    .collect::<Result<Vec<_>>>()?,
            ),
        };
        let replay = match clock {
            None => None,
            Some(_) if wsse.is_none() => {
                return Err(Error::config("callback replay protection needs WSSE verification (VerifyOptions::wsse)"));
            }
            Some(_) if replay_window.is_zero() || nonce_cache_capacity == 0 => {
                return Err(Error::config("callback replay window and nonce cache capacity must be above zero"));
            }
            Some(clock) => Some(Replay {
                clock,
                window_ms: i64::try_from(replay_window.as_millis()).unwrap_or(i64::MAX),
                nonces: NonceCache::new(nonce_cache_capacity),
            }),
        };
        if max_body_bytes == 0 {
            return Err(Error::config("callback body limit must be above zero"));
        }
        if dedupe == Some(0) {
            return Err(Error::config("callback dedupe capacity must be above zero"));
        }
        Ok(Self { wsse, shared_secret, allow_ips, replay, max_body_bytes, dedupe: dedupe.map(Dedupe::new) })
    }

    /// Runs the configured checks, then reads the body with the same rules as
    /// [`parse_notification`](super::parse_notification). `peer` is the address the request
    /// came from (needed only with an IP allow-list); `headers` are (name, value) pairs as
    /// received, names matched case-insensitively.
    ///
    /// Every check but the body's is optional, and they run in this order:
    ///
    /// | Check | Option | Refusal | [`Reply::rejected`](super::Reply::rejected) |
    /// |---|---|---|---|
    /// | Peer address in the allow-list | [`VerifyOptions::allow_ips`] | [`Error::Refused`] | 403 |
    /// | Shared secret in a header | [`VerifyOptions::shared_secret_header`] | [`Error::Refused`] | 403 |
    /// | `Authorization`, `X-WSSE` readable | [`VerifyOptions::wsse`] | [`Error::Auth`], code `1000000` | 401 |
    /// | `Username` is the app key | [`VerifyOptions::wsse`] | [`Error::Auth`], code `1000002` | 401 |
    /// | `PasswordDigest` (constant time) | [`VerifyOptions::wsse`] | [`Error::Auth`], code `1000001` | 401 |
    /// | `Created` within the window | [`VerifyOptions::replay_protection`] | [`Error::Auth`], code `1000004` | 401 |
    /// | `Nonce` not used within the window | [`VerifyOptions::replay_protection`] | [`Error::Auth`], code `1000003` | 401 |
    /// | Body size | [`VerifyOptions::max_body_bytes`] (64 KiB) | [`Error::Validation`] on `(body)` | 413 |
    /// | Body is JSON, and readable if of a known type | always | [`Error::Decode`] | 400 |
    ///
    /// WSSE refusals carry the platform's own code for the same failure (spec §1.2.1), so they
    /// read like the errors the platform returns to a client; the receiver's own policies are
    /// [`Error::Refused`]. A refusal names the failed check and never contains the secret, the
    /// digest, the nonce or a header value. A nonce is recorded only once the digest is
    /// verified, so unsigned requests cannot fill the cache.
    ///
    /// This is the building block for receivers whose handler is elsewhere, for example one
    /// recording handled events in a shared database:
    ///
    /// ```
    /// use cmi_core::callbacks::{CallbackReceiver, Reply, VerifyOptions};
    /// use std::collections::HashSet;
    ///
    /// // Stands for a store every process of the receiver shares.
    /// let mut store: HashSet<String> = HashSet::new();
    /// let receiver = CallbackReceiver::new(VerifyOptions::new().allow_ips(["10.0.0.0/8"]))?;
    /// let body = br#"{"iccid":"89852342022006915895","qtavalue":"1","timestamp":"20240109175959"}"#;
    ///
    /// let peer = Some("10.1.2.3".parse().unwrap());
    /// let reply: Reply<std::io::Error> = match receiver.verify_and_parse(peer, &[], body) {
    ///     Err(refused) => Reply::rejected(refused),
    ///     Ok(event) => {
    ///         if !store.contains(&event.dedupe_key()) {
    ///             // Handle the event here; if that fails, answer Reply::handler_failed(&event, e).
    ///             store.insert(event.dedupe_key());
    ///         }
    ///         Reply::ack(&event)
    ///     }
    /// };
    /// assert_eq!(reply.status, 200);
    ///
    /// let refused = receiver.verify_and_parse(Some("192.0.2.1".parse().unwrap()), &[], body).unwrap_err();
    /// assert_eq!(refused.kind(), cmi_core::ErrorKind::Refused);
    /// assert_eq!(Reply::<()>::rejected(refused).status, 403);
    /// # Ok::<(), cmi_core::Error>(())
    /// ```
    pub fn verify_and_parse(
        &self,
        peer: Option<IpAddr>,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<ParsedNotification> {
        self.check_peer(peer)?;
        self.check_shared_secret(headers)?;
        self.check_wsse(headers)?;
        parse_body(body, self.max_body_bytes)
    }

    fn check_peer(&self, peer: Option<IpAddr>) -> Result<()> {
        let Some(allowed) = &self.allow_ips else { return Ok(()) };
        let Some(ip) = peer.map(|ip| ip.to_canonical()) else {
            return Err(refused("the peer address is unknown and an IP allow-list is set".to_owned()));
        };
        if allowed.iter().any(|range| range.contains(ip)) {
            Ok(())
        } else {
            Err(refused(format!("peer {ip} is not in the IP allow-list")))
        }
    }

    fn check_shared_secret(&self, headers: &[(String, String)]) -> Result<()> {
        let Some((name, secret)) = &self.shared_secret else { return Ok(()) };
        let Some(got) = find_header(headers, name) else {
            return Err(refused(format!("the shared-secret header `{name}` is missing")));
        };
        // Comparing fingerprints keeps the time independent of the secret's length too.
        let matches = constant_time_eq(&fingerprint(got.trim().as_bytes()), &fingerprint(secret.expose().as_bytes()));
        if matches { Ok(()) } else { Err(refused(format!("the shared-secret header `{name}` does not match"))) }
    }

    fn check_wsse(&self, headers: &[(String, String)]) -> Result<()> {
        let Some((app_key, secret)) = &self.wsse else { return Ok(()) };
        let authorization = find_header(headers, "Authorization")
            .ok_or_else(|| auth("1000000", "the Authorization header is missing"))?;
        check_authorization(authorization).map_err(|_| {
            auth(
                "1000000",
                r#"the Authorization header is not WSSE realm="SDP", profile="UsernameToken", type="Appkey""#,
            )
        })?;
        let x_wsse = find_header(headers, "X-WSSE").ok_or_else(|| auth("1000000", "the X-WSSE header is missing"))?;
        let token =
            parse_x_wsse(x_wsse).map_err(|e| auth("1000000", &format!("the X-WSSE header is unreadable: {e}")))?;
        if token.username != *app_key {
            return Err(auth("1000002", "X-WSSE Username is not this receiver's app key"));
        }
        if !token.digest_matches(secret) {
            return Err(auth("1000001", "X-WSSE PasswordDigest does not match this receiver's secret"));
        }
        let Some(replay) = &self.replay else { return Ok(()) };
        let now = replay.clock.now_millis();
        let created = token
            .created_unix()
            .ok_or_else(|| auth("1000004", "X-WSSE Created is not YYYY-MM-DDThh:mm:ssZ"))?
            .saturating_mul(1000);
        let age = now.saturating_sub(created);
        if age.unsigned_abs() > replay.window_ms.unsigned_abs() {
            let (secs, way) = (age.unsigned_abs() / 1000, if age > 0 { "old" } else { "in the future" });
            let window = replay.window_ms / 1000;
            return Err(auth("1000004", &format!("X-WSSE Created is {secs} s {way}; the window is ±{window} s")));
        }
        if !replay.nonces.first_use(token.nonce.expose(), created.saturating_add(replay.window_ms), now) {
            return Err(auth("1000003", "X-WSSE Nonce was already used within the replay window"));
        }
        Ok(())
    }
}

/// A WSSE refusal, with the code the platform uses for the same failure.
fn auth(code: &str, what: &str) -> Error {
    Error::from_code(OPERATION, code, what)
}

/// A refusal by a receiver-side policy (allow-list, shared secret).
fn refused(reason: String) -> Error {
    Error::Refused { operation: OPERATION, reason }
}

impl fmt::Debug for CallbackReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackReceiver")
            .field("wsse_app_key", &self.wsse.as_ref().map(|(k, _)| k))
            .field("shared_secret_header", &self.shared_secret.as_ref().map(|(n, _)| n))
            .field("allow_ips", &self.allow_ips)
            .field("replay_window_ms", &self.replay.as_ref().map(|r| r.window_ms))
            .field("max_body_bytes", &self.max_body_bytes)
            .field("dedupe", &self.dedupe.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::error::ErrorKind;
    use crate::wsse;

    const KEY: &str = "5d0b3a1e9c6f4b2a8e7d1c0f9a8b7c6d";
    const APP_SECRET: &str = "s3cr3t-app-secret";
    /// 2024-01-01T00:00:00Z.
    const NOW_S: i64 = 1_704_067_200;
    const NONCE: &str = "66C92B11FF8A425FB8D4CCFE0ED9ED1F";
    const BODY: &[u8] = br#"{"iccid":"89852342022006915895","qtavalue":"101804370","timestamp":"20240109175959"}"#;

    fn h(name: &str, value: &str) -> (String, String) {
        (name.to_owned(), value.to_owned())
    }

    /// The headers CMI sends, signed with `secret` at `created`.
    fn signed_with(key: &str, secret: &str, nonce: &str, created: &str) -> Vec<(String, String)> {
        let s = wsse::sign(key, &Secret::new(secret), nonce, created);
        vec![h("Authorization", s.authorization), h("X-WSSE", s.x_wsse.expose())]
    }

    fn signed(nonce: &str, created_unix: i64) -> Vec<(String, String)> {
        signed_with(KEY, APP_SECRET, nonce, &wsse::created(created_unix))
    }

    fn wsse_only() -> CallbackReceiver {
        CallbackReceiver::new(VerifyOptions::new().wsse(KEY, Secret::new(APP_SECRET))).unwrap()
    }

    fn with_replay(clock: &Arc<ManualClock>) -> CallbackReceiver {
        CallbackReceiver::new(VerifyOptions::new().wsse(KEY, Secret::new(APP_SECRET)).replay_protection(clock.clone()))
            .unwrap()
    }

    fn clock() -> Arc<ManualClock> {
        Arc::new(ManualClock::new(NOW_S * 1000))
    }

    /// Asserts a WSSE refusal with `code`, and that nothing secret is in its text.
    #[track_caller]
    fn assert_auth(result: Result<ParsedNotification>, code: &str, headers: &[(String, String)]) {
        let e = result.unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::Auth, Some(code)), "{e}");
        assert_no_secret(&e, headers);
    }

    #[track_caller]
    fn assert_no_secret(e: &Error, headers: &[(String, String)]) {
        let text = format!("{e} {e:?}");
        assert!(!text.contains(APP_SECRET), "{text}");
        if let Some(t) = find_header(headers, "X-WSSE").and_then(|v| parse_x_wsse(v).ok()) {
            assert!(!text.contains(t.digest.expose()) && !text.contains(t.nonce.expose()), "{text}");
        }
    }

    #[test]
    fn default_options_only_read_the_body() {
        let r = CallbackReceiver::new(VerifyOptions::new()).unwrap();
        let p = r.verify_and_parse(None, &[], BODY).unwrap();
        assert_eq!(p.kind(), super::super::NotificationKind::Usage);
        assert_eq!(r.verify_and_parse(None, &[], b"not json").unwrap_err().kind(), ErrorKind::Decode);
    }

    #[test]
    fn wsse_accepts_a_signed_request_in_either_spacing() {
        let r = wsse_only();
        r.verify_and_parse(None, &signed(NONCE, NOW_S), BODY).unwrap();
        // Unspaced forms and lower-case header names, as some senders write them.
        let d = wsse::password_digest(NONCE, "2024-01-01T00:00:00Z", APP_SECRET);
        let headers = vec![
            h("authorization", r#"WSSE realm="SDP",profile="UsernameToken",type="Appkey""#),
            h(
                "x-wsse",
                &format!(
                    r#"UsernameToken Username="{KEY}",PasswordDigest="{d}",Nonce="{NONCE}",Created="2024-01-01T00:00:00Z""#
                ),
            ),
        ];
        r.verify_and_parse(None, &headers, BODY).unwrap();
    }

    #[test]
    fn wsse_refusals_carry_the_platform_codes() {
        let r = wsse_only();
        let good = signed(NONCE, NOW_S);
        let x_wsse = || good[1].clone();
        let authz = || good[0].clone();
        for (headers, code) in [
            (vec![x_wsse()], "1000000"),
            (vec![h("Authorization", "Basic dXNlcjpwYXNz"), x_wsse()], "1000000"),
            (
                vec![h("Authorization", r#"WSSE realm="X", profile="UsernameToken", type="Appkey""#), x_wsse()],
                "1000000",
            ),
            (vec![authz()], "1000000"),
            (vec![authz(), h("X-WSSE", "UsernameToken Username=")], "1000000"),
            (vec![authz(), h("X-WSSE", &format!(r#"UsernameToken Username="{KEY}", Nonce="{NONCE}""#))], "1000000"),
            (signed_with("another-app-key", APP_SECRET, NONCE, "2024-01-01T00:00:00Z"), "1000002"),
            (signed_with(KEY, "wrong-secret", NONCE, "2024-01-01T00:00:00Z"), "1000001"),
        ] {
            assert_auth(r.verify_and_parse(None, &headers, BODY), code, &headers);
        }
        // A digest tampered in one character.
        let tampered =
            good[1].1.replacen("PasswordDigest=\"", "PasswordDigest=\"A", 1).replacen("=\", Nonce", "\", Nonce", 1);
        let headers = vec![authz(), h("X-WSSE", &tampered)];
        assert_auth(r.verify_and_parse(None, &headers, BODY), "1000001", &headers);
    }

    #[test]
    fn the_same_nonce_twice_is_refused() {
        let c = clock();
        let r = with_replay(&c);
        let headers = signed(NONCE, NOW_S);
        r.verify_and_parse(None, &headers, BODY).unwrap();
        c.advance_millis(1_000);
        assert_auth(r.verify_and_parse(None, &headers, BODY), "1000003", &headers);
        // A fresh nonce is fine, and so is the old one under another receiver.
        r.verify_and_parse(None, &signed("0123456789ABCDEF0123456789ABCDEF", NOW_S), BODY).unwrap();
        with_replay(&c).verify_and_parse(None, &headers, BODY).unwrap();
    }

    #[test]
    fn a_replay_after_the_window_is_refused_by_created() {
        let c = clock();
        let r = with_replay(&c);
        let headers = signed(NONCE, NOW_S);
        r.verify_and_parse(None, &headers, BODY).unwrap();
        c.advance_millis(DEFAULT_REPLAY_WINDOW.as_millis() as i64 + 1_000);
        assert_auth(r.verify_and_parse(None, &headers, BODY), "1000004", &headers);
    }

    #[test]
    fn created_must_be_within_ten_minutes_either_way() {
        let c = clock();
        let r = with_replay(&c);
        let window = 600;
        for (i, (created, ok)) in [
            (NOW_S, true),
            (NOW_S - window, true),
            (NOW_S + window, true),
            (NOW_S - window - 1, false),
            (NOW_S + window + 1, false),
            (NOW_S - 86_400, false),
        ]
        .into_iter()
        .enumerate()
        {
            let headers = signed(&format!("{i:032X}"), created);
            let result = r.verify_and_parse(None, &headers, BODY);
            if ok {
                result.unwrap_or_else(|e| panic!("created {created}: {e}"));
            } else {
                let e = result.unwrap_err();
                assert_eq!(e.code(), Some("1000004"), "created {created}");
                assert!(e.to_string().contains(if created < NOW_S { "s old" } else { "in the future" }), "{e}");
            }
        }
    }

    #[test]
    fn created_in_another_format_is_refused() {
        let r = with_replay(&clock());
        for created in ["2024-01-01T00:00:00.000Z", "2024-01-01 00:00:00", "2024-01-01T08:00:00+08:00", "1704067200"] {
            let headers = signed_with(KEY, APP_SECRET, NONCE, created);
            assert_auth(r.verify_and_parse(None, &headers, BODY), "1000004", &headers);
        }
    }

    #[test]
    fn the_window_is_configurable() {
        let c = clock();
        let r = CallbackReceiver::new(
            VerifyOptions::new()
                .wsse(KEY, Secret::new(APP_SECRET))
                .replay_protection(c.clone())
                .replay_window(Duration::from_secs(30)),
        )
        .unwrap();
        r.verify_and_parse(None, &signed("A", NOW_S - 30), BODY).unwrap();
        assert_eq!(r.verify_and_parse(None, &signed("B", NOW_S - 31), BODY).unwrap_err().code(), Some("1000004"));
    }

    #[test]
    fn unsigned_requests_do_not_use_up_nonces() {
        let c = clock();
        let r = with_replay(&c);
        let forged = signed_with(KEY, "guess", NONCE, "2024-01-01T00:00:00Z");
        assert_auth(r.verify_and_parse(None, &forged, BODY), "1000001", &forged);
        r.verify_and_parse(None, &signed(NONCE, NOW_S), BODY).unwrap();
    }

    #[test]
    fn a_full_nonce_cache_forgets_the_oldest() {
        let c = clock();
        let r = CallbackReceiver::new(
            VerifyOptions::new()
                .wsse(KEY, Secret::new(APP_SECRET))
                .replay_protection(c.clone())
                .nonce_cache_capacity(2),
        )
        .unwrap();
        for n in ["N1", "N2", "N3"] {
            r.verify_and_parse(None, &signed(n, NOW_S), BODY).unwrap();
        }
        assert_eq!(r.verify_and_parse(None, &signed("N3", NOW_S), BODY).unwrap_err().code(), Some("1000003"));
        // Documented limit: an evicted nonce is accepted again (Created still bounds it).
        r.verify_and_parse(None, &signed("N1", NOW_S), BODY).unwrap();
    }

    fn with_token() -> CallbackReceiver {
        CallbackReceiver::new(VerifyOptions::new().shared_secret_header("X-Callback-Token", Secret::new("t0ken-42")))
            .unwrap()
    }

    #[test]
    fn shared_secret_header_must_match() {
        let r = with_token();
        r.verify_and_parse(None, &[h("X-Callback-Token", "t0ken-42")], BODY).unwrap();
        r.verify_and_parse(None, &[h("x-callback-token", " t0ken-42 ")], BODY).unwrap();
        for headers in [
            vec![],
            vec![h("X-Other", "t0ken-42")],
            vec![h("X-Callback-Token", "t0ken-43")],
            vec![h("X-Callback-Token", "t0ken-4")],
            vec![h("X-Callback-Token", "t0ken-42t0ken-42")],
            vec![h("X-Callback-Token", "")],
        ] {
            let e = r.verify_and_parse(None, &headers, BODY).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Refused, "{headers:?}");
            assert!(e.to_string().contains("X-Callback-Token"), "{e}");
            assert!(!format!("{e} {e:?}").contains("t0ken"), "{e}");
        }
    }

    fn allowing(entries: &[&str]) -> CallbackReceiver {
        CallbackReceiver::new(VerifyOptions::new().allow_ips(entries)).unwrap()
    }

    fn peer(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn ip_allow_list_v4_and_v6() {
        let r = allowing(&["203.0.113.7", "10.0.0.0/8", "2001:db8::/32", "::1"]);
        for ok in ["203.0.113.7", "10.200.1.1", "2001:db8:1::5", "::1", "::ffff:10.0.0.1"] {
            r.verify_and_parse(peer(ok), &[], BODY).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        for refused in ["203.0.113.8", "11.0.0.1", "2001:db9::1", "::2", "::ffff:11.0.0.1", "127.0.0.1"] {
            let e = r.verify_and_parse(peer(refused), &[], BODY).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Refused, "{refused}");
            assert!(e.to_string().contains("allow-list"), "{e}");
        }
        let e = r.verify_and_parse(None, &[], BODY).unwrap_err();
        assert!(e.to_string().contains("unknown"), "{e}");
    }

    #[test]
    fn allow_list_is_parsed_once_and_checked() {
        let r = CallbackReceiver::new(VerifyOptions::new().allow_ips(["10.0.0.0/8"]).allow_ips(vec!["::1".to_owned()]))
            .unwrap();
        assert_eq!(format!("{r:?}").matches("/").count(), 2, "{r:?}");
        r.verify_and_parse(peer("::1"), &[], BODY).unwrap();
    }

    #[test]
    fn the_peer_is_checked_before_the_headers() {
        let r = CallbackReceiver::new(
            VerifyOptions::new()
                .allow_ips(["10.0.0.0/8"])
                .shared_secret_header("X-Callback-Token", Secret::new("t0ken-42"))
                .wsse(KEY, Secret::new(APP_SECRET)),
        )
        .unwrap();
        assert_eq!(r.verify_and_parse(peer("192.0.2.1"), &[], BODY).unwrap_err().kind(), ErrorKind::Refused);
        let e = r.verify_and_parse(peer("10.0.0.1"), &[], BODY).unwrap_err();
        assert!(e.to_string().contains("shared-secret"), "{e}");
        let e = r.verify_and_parse(peer("10.0.0.1"), &[h("X-Callback-Token", "t0ken-42")], BODY).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth);
        let mut all = signed(NONCE, NOW_S);
        all.push(h("X-Callback-Token", "t0ken-42"));
        r.verify_and_parse(peer("10.0.0.1"), &all, BODY).unwrap();
    }

    #[test]
    fn oversized_bodies_are_refused_by_the_shared_parser() {
        let r = CallbackReceiver::new(VerifyOptions::new()).unwrap();
        let big = vec![b' '; super::super::MAX_BODY_BYTES + 1];
        let e = r.verify_and_parse(None, &[], &big).unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::Validation, Some("(body)")));

        let r = CallbackReceiver::new(VerifyOptions::new().max_body_bytes(BODY.len())).unwrap();
        r.verify_and_parse(None, &[], BODY).unwrap();
        let mut longer = BODY.to_vec();
        longer.push(b' ');
        assert_eq!(r.verify_and_parse(None, &[], &longer).unwrap_err().field(), Some("(body)"));
    }

    #[test]
    fn unusable_options_are_refused_once() {
        let s = || Secret::new("x");
        for (options, needle) in [
            (VerifyOptions::new().wsse("", s()), "app key"),
            (VerifyOptions::new().wsse("k", Secret::new("")), "app key"),
            (VerifyOptions::new().shared_secret_header("Bad Header", s()), "header name"),
            (VerifyOptions::new().shared_secret_header("", s()), "header name"),
            (VerifyOptions::new().shared_secret_header("X-T", Secret::new("")), "empty"),
            (VerifyOptions::new().shared_secret_header("X-T", Secret::new(" x")), "whitespace"),
            (VerifyOptions::new().allow_ips(Vec::<String>::new()), "empty"),
            (VerifyOptions::new().allow_ips(["10.0.0.0/8", "nonsense"]), "nonsense"),
            (VerifyOptions::new().allow_ips(["10.0.0.0/40"]), "prefix"),
            (VerifyOptions::new().replay_protection(ManualClock::new(0)), "needs WSSE"),
            (
                VerifyOptions::new()
                    .wsse("k", s())
                    .replay_protection(ManualClock::new(0))
                    .replay_window(Duration::ZERO),
                "zero",
            ),
            (
                VerifyOptions::new().wsse("k", s()).replay_protection(ManualClock::new(0)).nonce_cache_capacity(0),
                "zero",
            ),
            (VerifyOptions::new().max_body_bytes(0), "zero"),
            (VerifyOptions::new().dedupe(0), "zero"),
        ] {
            let e = CallbackReceiver::new(options).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Config);
            assert!(e.to_string().contains(needle), "{e} lacks {needle}");
        }
    }

    #[test]
    fn debug_output_shows_no_secret() {
        let options = VerifyOptions::new()
            .wsse(KEY, Secret::new(APP_SECRET))
            .shared_secret_header("X-Callback-Token", Secret::new("t0ken-42"))
            .replay_protection(ManualClock::new(0));
        let text = format!("{options:?} {:?}", CallbackReceiver::new(options.clone()).unwrap());
        assert!(text.contains(KEY) && text.contains("X-Callback-Token"), "{text}");
        assert!(!text.contains(APP_SECRET) && !text.contains("t0ken-42"), "{text}");
    }

    #[test]
    fn receiver_is_shareable_across_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<CallbackReceiver>();
        shareable::<VerifyOptions>();
    }
}
