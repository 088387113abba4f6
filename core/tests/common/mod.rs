//! Runs the shared vector files in `tests/vectors/operations/` (repository root) for one
//! operation. Every binding runs the same files; the format is described in
//! `tests/vectors/README.md`.
#![allow(dead_code)]

use cmi_core::{Operation, WireOptions, envelope};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::PathBuf;

pub fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

pub fn load(name: &str) -> Value {
    let path = vectors_dir().join("operations").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// Checks every case of `tests/vectors/operations/<Op::NAME>.json`.
pub fn check<Op>()
where
    Op: Operation + DeserializeOwned,
    Op::Response: DeserializeOwned,
{
    let v = load(Op::NAME);
    assert_eq!(v["operation"], Op::NAME, "operation name");
    assert_eq!(v["path"], Op::PATH, "path");
    let token = v.get("token").and_then(Value::as_str);

    let requests = list(&v, "requests");
    assert!(!requests.is_empty(), "{}: no request vectors", Op::NAME);
    for case in requests {
        let name = &case["name"];
        let req: Op = serde_json::from_value(case["input"].clone())
            .unwrap_or_else(|e| panic!("{} {name}: input does not decode: {e}", Op::NAME));
        req.validate().unwrap_or_else(|e| panic!("{} {name}: input fails validation: {e}", Op::NAME));
        let mut options = WireOptions::default();
        options.sim_info_bare_array = case.get("sim_info_bare_array").and_then(Value::as_bool).unwrap_or(false);
        let wire = req.encode(token, &options).unwrap();
        let wire: Value = serde_json::from_slice(&wire).unwrap();
        assert_eq!(wire, case["wire"], "{} {name}: wire body", Op::NAME);
        #[cfg(feature = "reflect")]
        surface_round_trip::<Op>(&req, true, &format!("{} {name}", Op::NAME));
    }

    for case in list(&v, "invalid_requests") {
        let name = &case["name"];
        let req: Op = serde_json::from_value(case["input"].clone())
            .unwrap_or_else(|e| panic!("{} {name}: input does not decode: {e}", Op::NAME));
        let err = req.validate().expect_err(&format!("{} {name}: should be refused", Op::NAME));
        assert_eq!(err.field(), case["field"].as_str(), "{} {name}: field named ({err})", Op::NAME);
    }

    let responses = list(&v, "responses");
    assert!(!responses.is_empty(), "{}: no response vectors", Op::NAME);
    for case in responses {
        let name = &case["name"];
        let body = serde_json::to_vec(&case["body"]).unwrap();
        let resp =
            envelope::decode::<Op>(&body, &[]).unwrap_or_else(|e| panic!("{} {name}: does not decode: {e}", Op::NAME));
        let typed = serde_json::to_value(&resp).unwrap();
        assert_eq!(typed, case["expect"], "{} {name}: typed answer", Op::NAME);
        #[cfg(feature = "reflect")]
        surface_round_trip::<Op::Response>(&resp, false, &format!("{} {name}", Op::NAME));
    }

    for case in list(&v, "errors") {
        let name = &case["name"];
        let body = serde_json::to_vec(&case["body"]).unwrap();
        let err = envelope::decode::<Op>(&body, &[]).expect_err(&format!("{} {name}: should fail", Op::NAME));
        assert_eq!(err.code(), case["code"].as_str(), "{} {name}: code", Op::NAME);
        if let Some(kind) = case.get("kind").and_then(Value::as_str) {
            assert_eq!(err.kind().as_str(), kind, "{} {name}: kind", Op::NAME);
        }
    }
}

/// A model's wire JSON through both bindings' surfaces and back decodes to the same value, and
/// the surface uses the binding's names (no wire name leaks through).
#[cfg(feature = "reflect")]
fn surface_round_trip<T>(value: &T, is_request: bool, what: &str)
where
    T: serde::Serialize + DeserializeOwned,
{
    use cmi_core::reflect::{Case, from_surface, registry, to_surface, typed_to_surface_text};
    let op = what.split(' ').next().unwrap_or_default();
    let (request, response) = cmi_core::client::operations::operation_types(op).expect("operation has types");
    let type_name = if is_request { request } else { response };
    let model = registry().model(type_name).expect("model registered");
    for case in [Case::Snake, Case::Camel] {
        let wire = serde_json::to_value(value).unwrap();
        let text = typed_to_surface_text(type_name, value, case);
        let surface = to_surface(type_name, wire, case);
        let from_text: serde_json::Value = serde_json::from_str(&text).expect("typed_to_surface_text writes JSON");
        assert_eq!(from_text, surface, "{what}: typed_to_surface_text of {type_name} in {case:?}");
        for key in surface.as_object().expect("a model surfaces as an object").keys() {
            assert!(
                key == "extra" || model.fields.iter().any(|f| case.apply(f.name) == *key),
                "{what}: surface key {key} of {type_name} in {case:?}"
            );
        }
        let back = from_surface(type_name, surface.clone(), case)
            .unwrap_or_else(|e| panic!("{what}: surface of {type_name} refused: {e}"));
        let decoded: T = serde_json::from_value(back.clone())
            .unwrap_or_else(|e| panic!("{what}: {type_name} from {back} does not decode: {e}"));
        assert_eq!(
            serde_json::to_value(&decoded).unwrap(),
            serde_json::to_value(value).unwrap(),
            "{what}: {type_name} through the {case:?} surface {surface}"
        );
    }
}
