//! Parses arbitrary text as the `X-WSSE` and `Authorization` headers.
//!
//! Input: the bytes as text (invalid UTF-8 replaced, as an HTTP stack handing over header
//! text would have to). Neither parser may panic; a parsed token's `created_unix` and
//! `digest_matches` must not panic either, a documented `Created` must be the canonical form
//! of the time it reads as, and a header we sign must parse back to what was signed.
#![no_main]

use cmi_core::Secret;
use cmi_core::wsse::{self, check_authorization, parse_x_wsse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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

    // Re-signing the parsed parts gives a header that parses back to them, when the parts
    // are ones a signer could produce (no quotes, which the header syntax cannot carry).
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
});
