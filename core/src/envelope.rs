//! The response envelope: `code` and a description sit at the top level beside the payload
//! (spec §1.3). This module splits them off, decides success (sdk-rules 9) and decodes the
//! payload leniently.

use crate::codes;
use crate::error::{Error, Result, scrub};
use crate::operation::Operation;
use serde::de::{self, Deserialize};
use serde_json::{Map, Value};

/// The status part of an answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Status {
    /// `code` as sent (numbers are read as their digits).
    pub code: String,
    /// The first non-empty of `description`, `msg` and `decsription`.
    pub description: String,
}

impl Status {
    /// Whether `code` is all zeros.
    pub fn is_success(&self) -> bool {
        codes::is_success(&self.code)
    }
}

/// Keys that belong to the envelope, not to the payload.
const DESCRIPTION_KEYS: [&str; 3] = ["description", "msg", "decsription"];

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Splits a JSON object answer into its status and the remaining payload fields.
pub fn split(operation: &'static str, body: &[u8]) -> Result<(Status, Map<String, Value>)> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Error::Decode { operation, message: format!("not JSON ({e}); {} bytes", body.len()) })?;
    let Value::Object(mut map) = value else {
        return Err(Error::Decode { operation, message: "the answer is not a JSON object".into() });
    };
    let code = map.remove("code").map(|v| text(&v)).unwrap_or_default();
    let mut description = String::new();
    for k in DESCRIPTION_KEYS {
        if let Some(v) = map.remove(k) {
            let t = text(&v);
            if description.is_empty() && !t.is_empty() {
                description = t;
            }
        }
    }
    if code.trim().is_empty() {
        return Err(Error::Decode { operation, message: "the answer has no `code`".into() });
    }
    Ok((Status { code: code.trim().to_owned(), description }, map))
}

/// Decodes an answer of `Op`: a typed payload on success, a typed error otherwise. Text from
/// the platform is scrubbed of `secrets` before it enters an error.
///
/// Natively the payload is read straight from the bytes (`decode_direct`); on wasm32 through a
/// JSON tree (`decode_through_tree`), which is 2-4x slower but whose decoders, instantiated
/// for trees rather than for text, are ~17 KB gzipped smaller in the npm package's
/// WebAssembly. Both read every answer alike (a unit test holds them to it).
pub fn decode<Op: Operation>(body: &[u8], secrets: &[&str]) -> Result<Op::Response> {
    #[cfg(not(target_arch = "wasm32"))]
    return decode_direct::<Op>(body, secrets);
    #[cfg(target_arch = "wasm32")]
    return decode_through_tree::<Op>(body, secrets);
}

/// The platform's error for a failed status, its texts scrubbed of `secrets`.
fn failed(operation: &'static str, status: Status, secrets: &[&str]) -> Error {
    Error::from_code(operation, scrub(&status.code, secrets), scrub(&status.description, secrets))
}

/// [`decode`] that reads the payload straight from the bytes into the typed response, taking
/// the envelope's keys out on the way (no intermediate tree). An answer that does not read as
/// the payload, a failure's most of all, is then split the slow way, so that its code and
/// description decide the error, and a success is read through the tree.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
fn decode_direct<Op: Operation>(body: &[u8], secrets: &[&str]) -> Result<Op::Response> {
    let mut envelope = Captured::default();
    let mut de = serde_json::Deserializer::from_slice(body);
    let read = Op::Response::deserialize(Enveloped { inner: &mut de, captured: &mut envelope }).and_then(|answer| {
        de.end()?;
        Ok(answer)
    });
    match read {
        Ok(answer) => {
            let status = envelope.status(Op::NAME)?;
            if !status.is_success() {
                return Err(failed(Op::NAME, status, secrets));
            }
            Ok(answer)
        }
        // What the text reader refused may still read as a tree: an object with a key twice,
        // which serde's derived decoders refuse as a duplicate field and a tree holds the last
        // of. The WebAssembly build reads through the tree, so this keeps every binding
        // reading the same answers alike. A payload that reads neither way keeps the text
        // reader's message, which says where.
        Err(e) => serde_json::from_value(Value::Object(successful_payload(Op::NAME, body, secrets)?))
            .map_err(|_| Error::Decode { operation: Op::NAME, message: scrub(&e.to_string(), secrets) }),
    }
}

/// [`decode`] through a JSON tree: split, then the payload typed from the tree.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn decode_through_tree<Op: Operation>(body: &[u8], secrets: &[&str]) -> Result<Op::Response> {
    serde_json::from_value(Value::Object(successful_payload(Op::NAME, body, secrets)?))
        .map_err(|e| Error::Decode { operation: Op::NAME, message: scrub(&e.to_string(), secrets) })
}

/// The payload of an answer as a tree, or the envelope's error: not JSON, no `code`, or the
/// platform's error for a failed status.
fn successful_payload(operation: &'static str, body: &[u8], secrets: &[&str]) -> Result<Map<String, Value>> {
    let (status, payload) = split(operation, body)?;
    if !status.is_success() {
        return Err(failed(operation, status, secrets));
    }
    Ok(payload)
}

/// The envelope's keys as met while reading the payload; the last of a repeated key counts,
/// as in [`split`].
#[derive(Default)]
struct Captured {
    code: Option<Value>,
    /// By [`DESCRIPTION_KEYS`] order.
    descriptions: [Option<Value>; 3],
}

impl Captured {
    fn status(self, operation: &'static str) -> Result<Status> {
        let code = self.code.as_ref().map(text).unwrap_or_default();
        if code.trim().is_empty() {
            return Err(Error::Decode { operation, message: "the answer has no `code`".into() });
        }
        let description = self.descriptions.iter().flatten().map(text).find(|t| !t.is_empty()).unwrap_or_default();
        Ok(Status { code: code.trim().to_owned(), description })
    }

    /// Where an envelope key's value goes; `None` for a payload key.
    fn slot(&mut self, key: &str) -> Option<&mut Option<Value>> {
        match key {
            "code" => Some(&mut self.code),
            _ => DESCRIPTION_KEYS.iter().position(|k| *k == key).map(|i| &mut self.descriptions[i]),
        }
    }
}

/// A deserializer of the answer's top-level object that hands the payload's keys to the typed
/// response and keeps the envelope's for itself. Anything but an object is refused (serde would
/// otherwise read a struct from an array by position).
struct Enveloped<'c, D> {
    inner: D,
    captured: &'c mut Captured,
}

impl<'de, D: de::Deserializer<'de>> de::Deserializer<'de> for Enveloped<'_, D> {
    type Error = D::Error;

    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> std::result::Result<V::Value, D::Error> {
        self.inner.deserialize_map(ObjectOnly { visitor, captured: self.captured })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct ObjectOnly<'c, V> {
    visitor: V,
    captured: &'c mut Captured,
}

impl<'de, V: de::Visitor<'de>> de::Visitor<'de> for ObjectOnly<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> std::result::Result<V::Value, A::Error> {
        self.visitor.visit_map(PayloadKeys { map, captured: self.captured })
    }
}

/// The top-level object's entries without the envelope's.
struct PayloadKeys<'c, A> {
    map: A,
    captured: &'c mut Captured,
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for PayloadKeys<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> std::result::Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.map.next_key::<Key<'de>>()? else { return Ok(None) };
            let text = match &key {
                Key::Borrowed(s) => s,
                Key::Owned(s) => s.as_str(),
            };
            if let Some(slot) = self.captured.slot(text) {
                *slot = Some(self.map.next_value()?);
                continue;
            }
            return match key {
                Key::Borrowed(s) => seed.deserialize(de::value::BorrowedStrDeserializer::new(s)),
                Key::Owned(s) => seed.deserialize(de::value::StringDeserializer::new(s)),
            }
            .map(Some);
        }
    }

    fn next_value_seed<S: de::DeserializeSeed<'de>>(&mut self, seed: S) -> std::result::Result<S::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// An object key, borrowed from the answer when it holds no escapes.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> de::Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> std::result::Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[cfg(all(test, feature = "reflect"))]
mod tests {
    use super::*;
    use crate::client::operations::{OperationVisitor, operation_types, visit_operations};
    use crate::reflect::{Ty, registry, samples::sample};

    struct SameAsTree {
        checked: usize,
        decoded: usize,
    }

    impl OperationVisitor for SameAsTree {
        fn visit<Op: Operation>(&mut self) {
            let reg = registry();
            let (_, response) = operation_types(Op::NAME).expect("an operation");
            for pick in 0..60 {
                let payload = sample(reg, &Ty::Model(response), pick, 0);
                let mut bodies = vec![payload.to_string().into_bytes()];
                if let Value::Object(map) = &payload {
                    let envelope = |code: Value, last: bool| {
                        let mut text = String::from("{");
                        let head = format!(r#""code":{code},"msg":"","description":"said""#);
                        if !last {
                            text.push_str(&head);
                        }
                        for (k, v) in map {
                            if text.len() > 1 {
                                text.push(',');
                            }
                            text.push_str(&format!("{}:{v}", Value::String(k.clone())));
                        }
                        if last {
                            text.push_str(if text.len() > 1 { "," } else { "" });
                            text.push_str(&head);
                        }
                        text.push('}');
                        text.into_bytes()
                    };
                    bodies.push(envelope(Value::from("0000000"), pick % 2 == 0));
                    bodies.push(envelope(Value::from(0), pick % 2 == 1));
                    bodies.push(envelope(Value::from("1000001"), pick % 3 == 0));
                    bodies.push(envelope(Value::Null, false));
                }
                bodies.push(br#"[{"code":"0000000"}]"#.to_vec());
                bodies.push(br#"{"code":"0000000"} x"#.to_vec());
                let other = sample(reg, &Ty::Model(response), pick + 7, 0);
                if let (Value::Object(map), Value::Object(other)) = (&payload, &other) {
                    // Every key twice (the last counts), some escaped, out of order.
                    let mut text = String::from(r#"{"\u0063ode":1,"code":"0","msg":"m""#);
                    for (k, v) in other.iter().chain(map).rev() {
                        text.push_str(&format!(",{}:{v}", Value::String(k.clone())));
                    }
                    for (k, v) in map {
                        text.push_str(&format!(r#","\u{:04x}{}":{v}"#, k.as_bytes()[0], &k[1..]));
                    }
                    text.push('}');
                    bodies.push(text.into_bytes());
                }
                for body in bodies {
                    let direct = decode_direct::<Op>(&body, &[]);
                    let tree = decode_through_tree::<Op>(&body, &[]);
                    let text = String::from_utf8_lossy(&body);
                    match (&direct, &tree) {
                        (Ok(a), Ok(b)) => {
                            assert_eq!(
                                serde_json::to_value(a).ok(),
                                serde_json::to_value(b).ok(),
                                "{} {text}",
                                Op::NAME
                            );
                            self.decoded += 1;
                        }
                        (Err(a), Err(b)) => {
                            assert_eq!((a.kind(), a.code()), (b.kind(), b.code()), "{} {text}: {a} / {b}", Op::NAME);
                            if a.code().is_none() {
                                // Before the payload is read, the same words; the serde
                                // message of a payload that is not the model's may differ.
                                assert_eq!(
                                    a.to_string().split(" at line").next(),
                                    b.to_string().split(" at line").next(),
                                    "{text}"
                                );
                            }
                        }
                        _ => panic!("{} {text}: direct {direct:?}, through the tree {tree:?}", Op::NAME),
                    }
                    self.checked += 1;
                }
            }
        }
    }

    #[test]
    fn direct_decoding_reads_what_the_tree_did() {
        let mut check = SameAsTree { checked: 0, decoded: 0 };
        visit_operations(&mut check);
        assert!(check.checked > 3000 && check.decoded > 1000, "{} checked, {} decoded", check.checked, check.decoded);
    }
}
