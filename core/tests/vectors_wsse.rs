//! Shared WSSE vectors: digests, Created formatting (midnight, noon, last second) and headers.

use cmi_core::{Secret, wsse};
use serde_json::Value;

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/wsse.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_else(|| panic!("{k} missing in {v}"))
}

#[test]
fn digests() {
    for c in vectors()["digest"].as_array().unwrap() {
        assert_eq!(
            wsse::password_digest(s(c, "nonce"), s(c, "created"), s(c, "secret")),
            s(c, "digest"),
            "{}",
            c["name"]
        );
        assert_eq!(s(c, "digest").len(), 44);
    }
}

#[test]
fn created_is_utc_24_hour_without_fractions() {
    for c in vectors()["created"].as_array().unwrap() {
        assert_eq!(wsse::created(c["unix"].as_i64().unwrap()), s(c, "created"));
    }
}

#[test]
fn headers_are_exact() {
    for c in vectors()["headers"].as_array().unwrap() {
        let h = wsse::sign(s(c, "app_key"), &Secret::new(s(c, "secret")), s(c, "nonce"), s(c, "created"));
        assert_eq!(h.authorization, s(c, "authorization"));
        assert_eq!(h.x_wsse.expose(), s(c, "x_wsse"));
    }
}

#[test]
fn header_parsing() {
    for c in vectors()["parse"].as_array().unwrap() {
        let parsed = wsse::parse_x_wsse(s(c, "header"));
        if c.get("error").is_some() {
            assert!(parsed.is_err(), "{} should be refused", c["name"]);
        } else {
            let t = parsed.unwrap();
            assert_eq!(t.username, s(c, "username"));
            assert_eq!(t.created, s(c, "created"));
        }
    }
}
