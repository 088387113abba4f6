//! Shared vectors of the callbacks 3.2.15-3.2.17 (`tests/vectors/callbacks/*.json`): each case
//! gives a body, the typed event re-encoded, the exact acknowledgement, the failure
//! acknowledgement and the dedupe key.
mod common;

use cmi_core::ErrorKind;
use cmi_core::callbacks::{MAX_BODY_BYTES, NotificationKind, parse_notification};
use serde_json::Value;

fn run(file: &str) {
    let path = common::vectors_dir().join("callbacks").join(format!("{file}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let kind = v["kind"].as_str().expect("kind");
    let failure_message = v["failure_message"].as_str().expect("failure_message");
    let cases = v["cases"].as_array().expect("cases");
    assert!(!cases.is_empty(), "{file}: no cases");
    for case in cases {
        let name = &case["name"];
        let body = serde_json::to_vec(&case["body"]).unwrap();
        let parsed = parse_notification(&[], &body).unwrap_or_else(|e| panic!("{file} {name}: {e}"));
        assert_eq!(parsed.kind().as_str(), kind, "{file} {name}: kind");
        let typed = parsed.notification().to_value();
        assert_eq!(typed, case["expect"], "{file} {name}: typed event");

        let ack: Value = serde_json::from_slice(&parsed.ack_body()).expect("ack is JSON");
        assert_eq!(ack, case["ack"], "{file} {name}: ack");
        let failure: Value = serde_json::from_slice(&parsed.failure_ack_body(failure_message)).expect("ack is JSON");
        assert_eq!(failure, case["failure_ack"], "{file} {name}: failure ack");
        assert_eq!(parsed.dedupe_key(), case["dedupe_key"].as_str().expect("dedupe_key"), "{file} {name}: dedupe key");

        // The re-encoded event reads back to the same event and key: a stored event can be
        // replayed through the parser.
        let again = parse_notification(&[], &serde_json::to_vec(&typed).unwrap()).unwrap();
        assert_eq!(again, parsed, "{file} {name}: re-encoded event reads back");
        assert_eq!(again.dedupe_key(), parsed.dedupe_key(), "{file} {name}: stable key");
    }
}

#[test]
fn activation() {
    run("activation");
}

#[test]
fn usage() {
    run("usage");
}

#[test]
fn esim_status() {
    run("esim_status");
}

#[test]
fn bodies_that_are_refused() {
    let mut big = br#"{"qtavalue":"1","pad":""#.to_vec();
    big.resize(MAX_BODY_BYTES + 1, b'x');
    let e = parse_notification(&[], &big).unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::Validation, Some("(body)")));

    for body in [&b""[..], b"code=0&msg=ok", b"{\"iccid\":", b"\xff\xfe"] {
        assert_eq!(parse_notification(&[], body).unwrap_err().kind(), ErrorKind::Decode, "{body:?}");
    }
    // Recognised by its keys but unreadable as that type.
    let e = parse_notification(&[], br#"{"header":"x","notificationPointStatus":7}"#).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
}

#[test]
fn unrecognised_bodies_come_back_raw() {
    let headers = vec![("Content-Type".to_owned(), "application/json;charset=UTF-8".to_owned())];
    for body in [&br#"{"event":"ping"}"#[..], b"[]", b"null", b"\"x\""] {
        let parsed = parse_notification(&headers, body).unwrap();
        assert_eq!(parsed.kind(), NotificationKind::Unknown);
        let raw: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(parsed.notification().to_value(), raw);
        let ack: Value = serde_json::from_slice(&parsed.ack_body()).unwrap();
        assert_eq!(ack, serde_json::json!({"code": "0", "msg": "Success", "description": "Success"}));
        assert!(parsed.dedupe_key().starts_with("unknown:"));
    }
}

#[test]
fn body_at_the_limit_is_accepted() {
    let mut body = br#"{"qtavalue":"1","iccid":"89852342022006915895","pad":""#.to_vec();
    body.resize(MAX_BODY_BYTES - 2, b'x');
    body.extend_from_slice(b"\"}");
    assert_eq!(body.len(), MAX_BODY_BYTES);
    assert_eq!(parse_notification(&[], &body).unwrap().kind(), NotificationKind::Usage);
}
