//! What each fuzz target checks, as plain functions of the input bytes.
//!
//! The targets in `fuzz_targets/` only hand their input to these functions, and
//! `core/tests/fuzz_regressions.rs` includes this file to replay the crash inputs kept in
//! `tests/vectors/fuzz/<target>/`, so a fixed crash is re-checked by `cargo test` with exactly
//! the assertions that found it. A function returns normally for every input a correct
//! `cmi-core` accepts or refuses; a panic is a finding.

use cmi_core::api::{
    auth::*, cards::*, carriers::*, catalogue::*, channel::*, esim::*, lifecycle::*, orders::*, own_packages::*,
    refuel::*, subscriptions::*, upcc::*, usage::*,
};
use cmi_core::callbacks::{MAX_BODY_BYTES, NotificationKind, parse_notification};
use cmi_core::client::operations::OPERATIONS;
use cmi_core::datetime::{Date, DateTime};
use cmi_core::wsse::{self, check_authorization, parse_x_wsse};
use cmi_core::{Operation, Secret, envelope};

/// The secrets the client passes to `decode` (the app secret and the access token).
const SECRETS: [&str; 2] = ["fuzz-app-secret-0123", "fuzz-access-token-4567"];

// ---- decode_responses ------------------------------------------------------------------------

/// Decodes one answer of `Op`: must not panic; a success re-encodes (what `call_json` does)
/// into a form the response type reads again; an error carries no secret in the platform's
/// description (sdk-rules 18).
fn decode_one<Op: Operation>(body: &[u8]) {
    match envelope::decode::<Op>(body, &SECRETS) {
        Ok(answer) => {
            let _ = format!("{answer:?}");
            // `call_json` hands this re-encoded form to the CLI and the bindings' relays; it
            // must be readable by the same types again.
            let value = serde_json::to_value(&answer).expect("a decoded answer re-encodes");
            if let Err(e) = serde_json::from_value::<Op::Response>(value.clone()) {
                panic!("{}: the re-encoded answer does not decode: {e}; answer {value}", Op::NAME);
            }
        }
        Err(e) => {
            let _ = (e.kind(), e.category(), e.retryable(), e.code(), e.description(), e.to_string());
            if let Some(api) = e.api() {
                for s in SECRETS {
                    assert!(!api.description.contains(s), "secret left in the description: {:?}", api.description);
                }
            }
        }
    }
}

/// One decoder per operation, in `OPERATIONS` order, with its name to check that order.
macro_rules! decoders {
    ($($req:ty),+ $(,)?) => {
        const DECODERS: &[(&str, fn(&[u8]))] = &[$((<$req as Operation>::NAME, decode_one::<$req>)),+];
    };
}

decoders![
    GetAccessTokenRequest,
    QueryDataBundlesRequest,
    ActivateDataBundleRequest,
    QueryHimsiStateRequest,
    CreateOrderRequest,
    QuerySubscribedBundlesRequest,
    QueryCarriersRequest,
    QueryQuotaRequest,
    EndPackageRequest,
    QuerySimInfoRequest,
    QueryUsageTrajectoriesRequest,
    UnsubscribeOrderRequest,
    QueryEsimCardInfoRequest,
    QueryUpccTemplatesRequest,
    AddPackageRequest,
    UpdatePackageRequest,
    DeletePackageRequest,
    AddRefuelPackageRequest,
    QueryRefuelPackagesRequest,
    DeleteRefuelPackageRequest,
    QueryChannelAppsRequest,
    QueryCountryGroupsRequest,
];

/// Panics unless the decoder list is `OPERATIONS`, in the same order, so that an input's
/// first byte means the same operation here as in `scripts/fuzz-seeds`.
pub fn check_operation_list() {
    let names: Vec<&str> = DECODERS.iter().map(|d| d.0).collect();
    let registry: Vec<&str> = OPERATIONS.iter().map(|o| o.name).collect();
    assert_eq!(names, registry, "the fuzz operation list differs from OPERATIONS");
}

/// `decode_responses`: the first byte picks the operation (its index in `OPERATIONS`, modulo
/// 22), the rest is the response body.
pub fn decode_responses(data: &[u8]) {
    let Some((&pick, body)) = data.split_first() else { return };
    let (_, decode) = DECODERS[pick as usize % DECODERS.len()];
    decode(body);
}

// ---- callbacks -------------------------------------------------------------------------------

fn header_lines(block: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(block)
        .lines()
        .map(|line| match line.split_once(':') {
            Some((name, value)) => (name.trim().to_owned(), value.trim().to_owned()),
            None => (line.trim().to_owned(), String::new()),
        })
        .collect()
}

fn is_json(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes).is_ok()
}

/// `callbacks`: when the input holds a NUL byte, the bytes before the first NUL are headers
/// (`Name: value` lines) and the rest is the body; otherwise all of it is the body. On success
/// the acknowledgements are JSON, the dedupe key names the kind, and the re-encoded event
/// reads back, as the same event (same dedupe key) when it reads back as the same kind.
pub fn callbacks(data: &[u8]) {
    let (headers, body) = match data.iter().position(|&b| b == 0) {
        Some(nul) => (header_lines(&data[..nul]), &data[nul + 1..]),
        None => (Vec::new(), data),
    };
    let Ok(parsed) = parse_notification(&headers, body) else { return };

    let ack = parsed.ack_body();
    assert!(is_json(&ack), "success ack is not JSON: {:?}", String::from_utf8_lossy(&ack));
    let failure = parsed.failure_ack_body("handler failed: \"quoted\" \\ text");
    assert!(is_json(&failure), "failure ack is not JSON");

    let key = parsed.dedupe_key();
    let prefix = match parsed.kind() {
        NotificationKind::Activation => "activation:",
        NotificationKind::Usage => "usage:",
        NotificationKind::EsimStatus => "esim:",
        NotificationKind::Unknown => "unknown:",
    };
    assert!(key.starts_with(prefix), "dedupe key {key:?} does not name the kind {:?}", parsed.kind());
    let _ = format!("{parsed:?}");

    // What a receiver stores and may replay through the parser.
    let value = parsed.notification().to_value();
    let encoded = serde_json::to_vec(&value).expect("a JSON value encodes");
    if encoded.len() > MAX_BODY_BYTES {
        return; // normalised numbers can be longer than their wire text
    }
    let again = parse_notification(&[], &encoded)
        .unwrap_or_else(|e| panic!("re-encoded event does not read back: {e}; event {value}"));
    if again.kind() == parsed.kind() {
        assert_eq!(again.dedupe_key(), key, "re-encoded event has another dedupe key; event {value}");
    }
}

// ---- wsse_header -----------------------------------------------------------------------------

/// `wsse_header`: the input as text (invalid UTF-8 replaced) parsed as `Authorization` and as
/// `X-WSSE`. On a parsed token `created_unix` and `digest_matches` don't panic, the
/// constant-time compare agrees with `==`, a `Created` that reads as a time is that time's
/// canonical form, and re-signing the parts gives a header that parses back to them.
pub fn wsse_header(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = check_authorization(&text);
    let Ok(token) = parse_x_wsse(&text) else { return };

    let _ = format!("{token:?}");
    let secret = Secret::new("fuzz-app-secret-0123");
    let matches = token.digest_matches(&secret);
    let expected = wsse::password_digest(token.nonce.expose(), &token.created, secret.expose());
    assert_eq!(matches, expected == token.digest.expose(), "constant-time compare disagrees with ==");

    if let Some(unix) = token.created_unix() {
        assert_eq!(wsse::created(unix), token.created, "Created read as {unix} formats differently");
    }

    // Parts a signer could produce: no quote, which the header syntax cannot carry.
    let quoted =
        [token.username.as_str(), token.nonce.expose(), token.created.as_str()].iter().any(|p| p.contains('"'));
    if !quoted {
        let signed = wsse::sign(&token.username, &secret, token.nonce.expose(), &token.created);
        if signed.x_wsse.expose().len() <= 4096 {
            let back = parse_x_wsse(signed.x_wsse.expose()).expect("a signed header parses");
            assert_eq!((back.username.as_str(), back.nonce.expose()), (token.username.as_str(), token.nonce.expose()));
            assert_eq!(back.created, token.created);
            assert!(back.digest_matches(&secret));
        }
    }
}

// ---- datetime --------------------------------------------------------------------------------

/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z as Unix seconds.
const FIRST: i64 = -62_135_596_800;
const LAST: i64 = 253_402_300_799;

fn check_date(d: Date) {
    assert_eq!(Date::new(d.year, d.month, d.day), Some(d), "{d:?} is not a real date");
    assert_eq!(Date::parse(&d.to_compact()), Some(d), "{d:?} via to_compact {:?}", d.to_compact());
    assert_eq!(Date::parse(&d.to_string()), Some(d), "{d:?} via Display {:?}", d.to_string());
    assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d, "{d:?} via days since epoch");
}

fn check_date_time(t: DateTime) {
    assert_eq!(
        DateTime::new(t.date.year, t.date.month, t.date.day, t.hour, t.minute, t.second),
        Some(t),
        "{t:?} is not a real time"
    );
    check_date(t.date);
    for form in [t.to_compact(), t.to_iso_utc(), t.to_dashed(), t.to_string()] {
        assert_eq!(DateTime::parse(&form), Some(t), "{t:?} via {form:?}");
    }
    assert_eq!(DateTime::from_unix(t.unix_seconds()), t, "{t:?} via Unix seconds");
    // The 10-digit epoch form (3.2.17 `timeStamp`, as `datetime::ser_opt_epoch` writes it).
    let secs = t.unix_seconds();
    if (0..=9_999_999_999).contains(&secs) {
        assert_eq!(DateTime::parse(&format!("{secs:010}")), Some(t), "{t:?} via epoch seconds {secs:010}");
    }
}

/// `datetime`: the input as text (invalid UTF-8 replaced) parsed by `DateTime::parse` and
/// `Date::parse`; whatever they accept is a real value whose every output form (10-digit epoch
/// seconds included) parses back to it. The first eight bytes, read as seconds in years
/// 1-9999, also drive `from_unix`.
pub fn datetime(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Some(t) = DateTime::parse(&text) {
        check_date_time(t);
    }
    if let Some(d) = Date::parse(&text) {
        check_date(d);
        // A date alone reads as that day's midnight.
        if text.trim().len() == 8 {
            assert_eq!(DateTime::parse(&text).map(|t| t.date), Some(d));
        }
    }
    if let Some(head) = data.first_chunk::<8>() {
        let secs = FIRST + (i64::from_le_bytes(*head).rem_euclid(LAST - FIRST + 1));
        let t = DateTime::from_unix(secs);
        assert_eq!(t.unix_seconds(), secs, "from_unix({secs}) = {t:?}");
        check_date_time(t);
    }
}
