//! Reads arbitrary bytes as a callback (3.2.15-3.2.17) with arbitrary headers.
//!
//! Input: when it holds a NUL byte, the bytes before the first NUL are the headers (one
//! `Name: value` per line) and the rest is the body; otherwise it is all body, so raw JSON
//! seeds work as they are. `parse_notification` must never panic; on success the
//! acknowledgements must be JSON, the dedupe key must name the kind, and the re-encoded event
//! must read back (it is what a receiver stores and replays).
#![no_main]

use cmi_core::callbacks::{MAX_BODY_BYTES, NotificationKind, parse_notification};
use libfuzzer_sys::fuzz_target;

fn headers(block: &[u8]) -> Vec<(String, String)> {
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

fuzz_target!(|data: &[u8]| {
    let (headers, body) = match data.iter().position(|&b| b == 0) {
        Some(nul) => (headers(&data[..nul]), &data[nul + 1..]),
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

    // The typed event re-encoded in wire names reads back; when it reads back as the same kind
    // it is the same event (same dedupe key), as tests/vectors promise for the documented cases.
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
});
