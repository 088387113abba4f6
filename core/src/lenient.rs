//! Lenient decoding helpers (sdk-rules 10).
//!
//! The platform's examples and real answers disagree on JSON types: numbers arrive as strings
//! (`"quantity":"1"`), strings as numbers, lists as a lone object, `ext` as `null` or `""`.
//! These helpers accept every such variant on decode so that a shape quirk never turns a
//! successful call into a failure. They are used through `#[serde(deserialize_with = ...)]`.

use serde::Serializer;
use serde::de::{self, DeserializeOwned, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;

/// Visits any JSON scalar and yields its text; `null` yields `None`.
struct ScalarText;

impl<'de> Visitor<'de> for ScalarText {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, number, boolean or null")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // Integers beyond 2^53 (a 20-digit ICCID sent as a number) have already lost digits:
        // refuse them rather than hand back a different identifier.
        if v.fract() == 0.0 && v.abs() >= 9_007_199_254_740_992.0 {
            return Err(E::custom("a number too large to keep exactly; it must be sent as a string"));
        }
        Ok(Some(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    // A nested value where a scalar is documented is kept as its JSON text rather than failing.
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let v: serde_json::Value = de::Deserialize::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(Some(v.to_string()))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let v: serde_json::Value = de::Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Some(v.to_string()))
    }
}

/// Any scalar as text; `null` or absent becomes the empty string (use with `#[serde(default)]`).
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(d.deserialize_any(ScalarText)?.unwrap_or_default())
}

/// Any scalar as text; `null`, absent or empty (after trimming) becomes `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(d.deserialize_any(ScalarText)?.filter(|s| !s.trim().is_empty()))
}

/// Decimal text (`12.5`, `-3`, `+1.`, `.5`, `1e3`) as a finite `f64`; `None` otherwise
/// (including `inf` and `NaN`, which no caller keeps).
///
/// The text is rewritten to JSON's number grammar and read by serde_json's parser, which the
/// core links anyway, rather than by `str::parse`: that would bring the standard library's
/// float parser and its 11 KB table of powers of five, random bits gzip cannot shrink, into
/// the npm package's WebAssembly for these few call sites. (There serde_json is built without
/// `float_roundtrip`, see core/Cargo.toml: exact for every number CMI sends, possibly one unit
/// in the last place off past 53 bits of digits.)
pub(crate) fn parse_f64(text: &str) -> Option<f64> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let mut json = String::with_capacity(text.len() + 3);
    if negative {
        json.push('-');
    }
    let int = int.trim_start_matches('0');
    json.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        json.push('.');
        json.push_str(frac);
    }
    if let Some(e) = exponent {
        let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        if digits.is_empty() || !all_digits(digits) {
            return None;
        }
        json.push('e');
        json.push_str(e);
    }
    serde_json::from_str::<f64>(&json).ok().filter(|f| f.is_finite())
}

/// Parses the text of a number leniently; `None` for empty or non-numeric text.
pub(crate) fn parse_i64(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    t.parse::<i64>().ok().or_else(|| {
        // "500.00" style integers: accept when the fraction is zero.
        let f = parse_f64(t)?;
        (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
    })
}

/// A number or numeric string as `i64`; `null`, absent, empty or non-numeric becomes `None`.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(d.deserialize_any(ScalarText)?.as_deref().and_then(parse_i64))
}

/// A number or numeric string as `i64`; anything unreadable becomes 0 (use with `#[serde(default)]`).
pub fn i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(opt_i64(d)?.unwrap_or(0))
}

/// A number or numeric string as `f64`; `null`, empty or non-numeric becomes `None`.
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(d.deserialize_any(ScalarText)?.and_then(|s| parse_f64(s.trim())))
}

/// A list that may arrive as a list, a lone object, or `null` / absent (empty list).
pub fn vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    struct OneOrMany<T>(std::marker::PhantomData<T>);

    impl<'de, T: DeserializeOwned> Visitor<'de> for OneOrMany<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list, a single item, or null")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
            while let Some(item) = seq.next_element::<T>()? {
                out.push(item);
            }
            Ok(out)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            Ok(vec![T::deserialize(de::value::MapAccessDeserializer::new(map))?])
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(self)
        }
        // `""` where a list is meant (seen for `ext`-like nodes) is an empty list.
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            if v.trim().is_empty() { Ok(Vec::new()) } else { Ok(vec![T::deserialize(v.into_deserializer())?]) }
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            self.visit_str(&v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(vec![T::deserialize(v.into_deserializer())?])
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(vec![T::deserialize(v.into_deserializer())?])
        }
    }

    d.deserialize_any(OneOrMany(std::marker::PhantomData))
}

/// An object that may arrive as an object, `null`, `""` or a one-item list.
pub fn opt_object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(vec::<D, T>(d)?.into_iter().next())
}

/// A `Map<String,String>` (`ext`) whose values may be any JSON; `null`, `""` or absent is empty.
pub fn string_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    let mut out = BTreeMap::new();
    if let serde_json::Value::Object(map) = v {
        for (k, v) in map {
            let text = match v {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            out.insert(k, text);
        }
    }
    Ok(out)
}

use serde::Deserialize;

/// `deserialize_with` for `Option<E>` where `E` is a [`wire_enum!`](macro@crate::wire_enum) type:
/// `null`, absent or blank becomes `None` (not `Some(Unknown(""))`), any other scalar is read
/// with `E::from_str`, which keeps undocumented codes as `Unknown`.
pub fn opt_enum<'de, D, E>(d: D) -> std::result::Result<Option<E>, D::Error>
where
    D: Deserializer<'de>,
    E: std::str::FromStr<Err = std::convert::Infallible>,
{
    Ok(crate::lenient::opt_string(d)?.map(|s| match s.parse::<E>() {
        Ok(v) => v,
        Err(never) => match never {},
    }))
}

/// `deserialize_with` for `Vec<String>`: a list, a lone value or `null`, whose items may be
/// strings, numbers or booleans (kept as their text); `null` items are dropped.
pub fn string_vec<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    let items: Vec<serde_json::Value> = crate::lenient::vec(d)?;
    Ok(items
        .into_iter()
        .filter_map(|v| match v {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s),
            other => Some(other.to_string()),
        })
        .collect())
}

/// Reads a request identifier (ICCID, IMSI) given as a string or an integer. A JSON number
/// too large for 64 bits (a 20-digit ICCID) reaches us as a float with its last digits
/// rounded away; it is refused rather than turned into another card's number.
struct ExactText;

impl<'de> serde::de::Visitor<'de> for ExactText {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an identifier as a string or an integer")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Self::Value, E> {
        Err(E::custom(format!(
            "identifier {v} is a JSON number too large to be exact (digits would be lost); send it as a string"
        )))
    }
    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// `deserialize_with` for a mandatory request identifier, given as a string or an integer; a JSON number too large to be exact is refused.
pub fn id_string<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    Ok(d.deserialize_any(ExactText)?.unwrap_or_default())
}

/// `deserialize_with` for an optional request identifier: blank is `None`; exactness as in [`id_string`].
pub fn opt_id_string<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    Ok(d.deserialize_any(ExactText)?.filter(|s| !s.trim().is_empty()))
}

/// Serializes an `i64` as a JSON string (`"500"`), the wire form of money and counts that the
/// spec types as String.
pub fn i64_as_string<S: Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// Serializes an `Option<i64>` as a JSON string when present.
pub fn opt_i64_as_string<S: Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

/// `skip_serializing_if` helper for maps.
pub fn is_empty_map(m: &BTreeMap<String, String>) -> bool {
    m.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// `parse_f64` reads every decimal text the standard library's parser reads, to the same
    /// bits, and refuses what it refuses (non-finite results aside, which no caller keeps).
    #[test]
    fn parse_f64_agrees_with_the_standard_parser() {
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "+0",
            "12.5",
            "007",
            "0.1",
            ".5",
            "5.",
            "-.5",
            "+1.",
            "1e3",
            "1E-3",
            "2.5e+2",
            "1.e3",
            "123456789012345678901234567890",
            "0.30000000000000004",
            "2.2250738585072014e-308",
            "1e400",
            "-1e400",
            "4.9e-324",
            "1e-400",
            "",
            ".",
            "-",
            "+",
            "e3",
            "1e",
            "1e+",
            "1.2.3",
            "1,5",
            " 1",
            "1 ",
            "0x10",
            "inf",
            "-inf",
            "NaN",
            "infinity",
            "1_000",
            "١",
            "--1",
            "+-1",
            "1e3.5",
            "9007199254740993",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // A deterministic spread of shapes: digits, points, exponents and signs.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..5000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let alphabet = b"0123456789.eE+-";
            let len = (x % 12) as usize + 1;
            texts.push((0..len).map(|i| alphabet[((x >> (i * 4)) % 15) as usize] as char).collect());
        }
        for t in &texts {
            let ours = parse_f64(t);
            let std = t.parse::<f64>().ok().filter(|f| f.is_finite());
            assert_eq!(ours.map(f64::to_bits), std.map(f64::to_bits), "{t:?}");
        }
    }

    #[derive(Deserialize, Debug, Default)]
    struct Probe {
        #[serde(default, deserialize_with = "string")]
        s: String,
        #[serde(default, deserialize_with = "opt_i64")]
        n: Option<i64>,
        #[serde(default, deserialize_with = "vec")]
        l: Vec<Item>,
        #[serde(default, deserialize_with = "string_map")]
        ext: BTreeMap<String, String>,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Item {
        a: u8,
    }

    #[test]
    fn accepts_every_documented_variant() {
        let p: Probe = serde_json::from_str(r#"{"s":106,"n":"42","l":{"a":1},"ext":null}"#).unwrap();
        assert_eq!(p.s, "106");
        assert_eq!(p.n, Some(42));
        assert_eq!(p.l, vec![Item { a: 1 }]);
        assert!(p.ext.is_empty());

        let p: Probe = serde_json::from_str(r#"{"s":"x","n":7,"l":[{"a":1},{"a":2}],"ext":{"k":1,"j":"v"}}"#).unwrap();
        assert_eq!(p.n, Some(7));
        assert_eq!(p.l.len(), 2);
        assert_eq!(p.ext.get("k").map(String::as_str), Some("1"));

        let p: Probe = serde_json::from_str(r#"{"s":null,"n":"","l":null,"ext":""}"#).unwrap();
        assert_eq!(p.s, "");
        assert_eq!(p.n, None);
        assert!(p.l.is_empty());

        let p: Probe = serde_json::from_str(r#"{"n":"500.00","l":""}"#).unwrap();
        assert_eq!(p.n, Some(500));

        // 20 digits as a JSON number cannot be kept exactly: refused, never rounded.
        assert!(serde_json::from_str::<Probe>(r#"{"s":89852342000000000001}"#).is_err());
        let p: Probe = serde_json::from_str(r#"{"s":8985234200000000}"#).unwrap();
        assert_eq!(p.s, "8985234200000000");
    }
}
