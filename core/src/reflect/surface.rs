//! The one conversion at every binding's boundary: wire JSON (what the core's models
//! serialize to) to surface JSON (the binding's field names and typed values) and back.

use super::{Case, Registry, Ty, Variant, registry};
use crate::callbacks::{Notification, ParsedNotification};
use crate::error::{Error, Result};
use crate::units::DataUnit;
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::io::Write;

/// The wire JSON of model `type_name` as the surface of `case`: keys renamed to the Rust
/// names in `case`, numeric strings as numbers where the model holds a number, volumes as
/// `{value, unit}`, enum codes as variant names (undocumented codes stay as received), absent
/// optionals left out, and unknown wire keys gathered under `extra`. An unknown `type_name`
/// gives the value back unchanged.
pub fn to_surface(type_name: &str, wire: Value, case: Case) -> Value {
    let reg = registry();
    match reg.model(type_name) {
        Some(_) => out_model(reg, type_name, wire, case),
        None => wire,
    }
}

/// Surface JSON (keys in either case, or wire names) of model `type_name` back to wire JSON,
/// for the core's lenient decoder. A key the model does not have is a validation error naming
/// it, before any network call.
pub fn from_surface(type_name: &str, surface: Value, case: Case) -> Result<Value> {
    let reg = registry();
    if reg.model(type_name).is_none() {
        return Err(Error::validation("(type)", format!("unknown model `{type_name}`")));
    }
    in_model(reg, type_name, surface, case, "")
}

/// A parsed callback as surface JSON: `kind`, the dedupe key, the event (the raw body for an
/// unrecognised one) and the acknowledgement body to answer with.
pub fn notification_to_surface(parsed: &ParsedNotification, case: Case) -> Value {
    let n = parsed.notification();
    let event = match notification_model(n) {
        Some(type_name) => to_surface(type_name, n.to_value(), case),
        None => n.to_value(),
    };
    let ack = serde_json::from_slice(&parsed.ack_body()).unwrap_or(Value::Null);
    let mut out = Map::new();
    out.insert("kind".into(), Value::String(case.apply(parsed.kind().as_str())));
    out.insert(case.apply("dedupe_key"), Value::String(parsed.dedupe_key()));
    out.insert("event".into(), event);
    out.insert("ack".into(), ack);
    Value::Object(out)
}

/// The event of [`notification_to_surface`] as JSON text, written from the typed event
/// ([`super::typed_to_surface_text`]).
pub fn notification_event_text(parsed: &ParsedNotification, case: Case) -> String {
    use super::typed_to_surface_text as text;
    match parsed.notification() {
        Notification::Activation(n) => text("ActivationNotification", n, case),
        Notification::Usage(n) => text("UsageNotification", n, case),
        Notification::EsimStatus(n) => text("EsimStatusNotification", n, case),
        Notification::Unknown { body } => body.to_string(),
    }
}

/// The model of a recognised callback's event.
fn notification_model(n: &Notification) -> Option<&'static str> {
    match n {
        Notification::Activation(_) => Some("ActivationNotification"),
        Notification::Usage(_) => Some("UsageNotification"),
        Notification::EsimStatus(_) => Some("EsimStatusNotification"),
        Notification::Unknown { .. } => None,
    }
}

fn out_model(reg: &Registry, name: &str, wire: Value, case: Case) -> Value {
    let (Some(model), Value::Object(mut map)) = (reg.model(name), wire) else {
        return Value::Null;
    };
    let mut out = Map::new();
    for (field, name) in model.named_fields(case) {
        let Some(v) = map.remove(field.wire) else { continue };
        if let Some(v) = out_value(reg, &field.ty, v, case) {
            out.insert(name.to_owned(), v);
        }
    }
    if !map.is_empty() {
        out.insert("extra".into(), Value::Object(map));
    }
    Value::Object(out)
}

fn out_value(reg: &Registry, ty: &Ty, v: Value, case: Case) -> Option<Value> {
    if v.is_null() {
        return None;
    }
    Some(match ty {
        Ty::Optional(inner) => return out_value(reg, inner, v, case),
        Ty::List(inner) => match v {
            Value::Array(items) => {
                Value::Array(items.into_iter().filter_map(|i| out_value(reg, inner, i, case)).collect())
            }
            one => Value::Array(out_value(reg, inner, one, case).into_iter().collect()),
        },
        Ty::Map(inner) => match v {
            Value::Object(m) => Value::Object(
                m.into_iter().filter_map(|(k, i)| out_value(reg, inner, i, case).map(|i| (k, i))).collect(),
            ),
            other => other,
        },
        Ty::Model(name) => out_model(reg, name, v, case),
        leaf_ty => match out_leaf(reg, leaf_ty, &v) {
            Cow::Borrowed(_) => v,
            Cow::Owned(converted) => converted,
        },
    })
}

/// A scalar of type `ty` (not optional, list, map or model) in the surface: enum codes as
/// variant names, numeric strings as numbers, volumes with their unit; borrowed when the wire
/// value stands as it is.
pub(super) fn out_leaf<'a>(reg: &Registry, ty: &Ty, v: &'a Value) -> Cow<'a, Value> {
    Cow::Owned(match ty {
        Ty::Enum(name) => {
            let raw = scalar_text(v);
            match reg.enumeration(name).and_then(|e| variant_of_code(&e.variants, &raw)) {
                Some(variant) => Value::String(variant.name.to_owned()),
                None => Value::String(raw),
            }
        }
        Ty::Int => match v {
            Value::String(s) => match s.trim().parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => return Cow::Borrowed(v),
            },
            _ => return Cow::Borrowed(v),
        },
        Ty::Float => match float(v) {
            Some(f) => f,
            None => return Cow::Borrowed(v),
        },
        Ty::String => match v {
            Value::Number(n) => Value::String(n.to_string()),
            Value::Bool(b) => Value::String(b.to_string()),
            _ => return Cow::Borrowed(v),
        },
        Ty::Volume(Some(unit)) => match float(v) {
            Some(value) => {
                let mut m = Map::new();
                m.insert("value".into(), value);
                m.insert("unit".into(), Value::String(unit_name(*unit).into()));
                Value::Object(m)
            }
            None => return Cow::Borrowed(v),
        },
        _ => return Cow::Borrowed(v),
    })
}

/// The documented variant a wire code (spaces around it ignored) stands for.
pub(super) fn variant_of_code<'a>(variants: &'a [Variant], code: &str) -> Option<&'a Variant> {
    let code = code.trim();
    variants.iter().find(|x| x.wire == code)
}

pub(super) fn write_json(v: &Value, out: &mut Vec<u8>) {
    match v {
        // The common leaf, without the formatting machinery.
        Value::String(s) => write_key(s, out),
        // Through `Display`, the one JSON writer of `Value` the binaries already hold (a
        // second, `to_writer` into a `Vec`, is ~4 KB of WebAssembly); a `Vec` cannot fail.
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

/// Text as a JSON string.
pub(super) fn write_key(k: &str, out: &mut Vec<u8>) {
    // Most text needs no escape (serde_json escapes only controls, `"` and `\\`): copied as
    // it is, which is several times faster than the general writer.
    if k.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.reserve(k.len() + 2);
        out.push(b'"');
        out.extend_from_slice(k.as_bytes());
        out.push(b'"');
    } else {
        let _ = serde_json::to_writer(&mut *out, k);
    }
}

fn in_value(reg: &Registry, ty: &Ty, v: Value, case: Case, path: &str) -> Result<Value> {
    Ok(match ty {
        Ty::Optional(inner) if !v.is_null() => in_value(reg, inner, v, case, path)?,
        Ty::List(inner) => match v {
            Value::Array(items) => Value::Array(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| in_value(reg, inner, item, case, &format!("{path}[{i}]")))
                    .collect::<Result<_>>()?,
            ),
            other => other,
        },
        Ty::Map(inner) => match v {
            Value::Object(m) => Value::Object(
                m.into_iter()
                    .map(|(k, item)| {
                        let p = format!("{path}.{k}");
                        in_value(reg, inner, item, case, &p).map(|item| (k, item))
                    })
                    .collect::<Result<_>>()?,
            ),
            other => other,
        },
        Ty::Model(name) => in_model(reg, name, v, case, path)?,
        Ty::Enum(name) => match &v {
            Value::String(s) => {
                match reg.enumeration(name).and_then(|e| e.variants.iter().find(|x| x.name == s.as_str())) {
                    Some(variant) => Value::String(variant.wire.to_owned()),
                    None => v,
                }
            }
            _ => v,
        },
        Ty::Volume(Some(unit)) => match &v {
            Value::Object(m) => volume_in(m, *unit).ok_or_else(|| {
                Error::validation(path.to_owned(), "a volume is {value, unit} with unit Bytes, Megabytes or Gigabytes")
            })?,
            _ => v,
        },
        _ => v,
    })
}

fn in_model(reg: &Registry, name: &str, v: Value, case: Case, path: &str) -> Result<Value> {
    let Some(model) = reg.model(name) else { return Ok(v) };
    let Value::Object(map) = v else {
        if v.is_null() {
            return Ok(Value::Object(Map::new()));
        }
        let field = if path.is_empty() { "(body)" } else { path };
        return Err(Error::validation(field, format!("expected an object ({name})")));
    };
    let mut out = Map::new();
    for (key, value) in map {
        if key == "extra" && model.extra {
            if let Value::Object(extra) = value {
                out.extend(extra);
            }
            continue;
        }
        let Some(field) = model.field(&key) else {
            let p = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            return Err(Error::validation(
                p,
                format!("`{key}` is not a field of {name} (fields: {})", field_list(model, case)),
            ));
        };
        if value.is_null() {
            continue;
        }
        let p = if path.is_empty() { field.wire.to_owned() } else { format!("{path}.{}", field.wire) };
        out.insert(field.wire.to_owned(), in_value(reg, &field.ty, value, case, &p)?);
    }
    Ok(Value::Object(out))
}

fn field_list(model: &super::ModelInfo, case: Case) -> String {
    model.named_fields(case).map(|(_, name)| name).collect::<Vec<_>>().join(", ")
}

/// `{value, unit}` as a bare number in the field's wire unit.
fn volume_in(m: &Map<String, Value>, wire_unit: DataUnit) -> Option<Value> {
    let value = m.get("value")?.as_f64().or_else(|| crate::lenient::parse_f64(m.get("value")?.as_str()?.trim()))?;
    let unit = match m.get("unit").and_then(Value::as_str).unwrap_or(unit_name(wire_unit)) {
        "Bytes" => DataUnit::Bytes,
        "Megabytes" => DataUnit::Megabytes,
        "Gigabytes" => DataUnit::Gigabytes,
        _ => return None,
    };
    let bytes = crate::units::DataVolume { value, unit }.as_bytes();
    let in_unit = crate::units::DataVolume { value: bytes, unit: DataUnit::Bytes };
    let n = match wire_unit {
        DataUnit::Bytes => in_unit.value,
        DataUnit::Megabytes => in_unit.as_megabytes(),
        DataUnit::Gigabytes => in_unit.as_megabytes() / 1024.0,
    };
    Number::from_f64(n).map(Value::Number)
}

fn unit_name(unit: DataUnit) -> &'static str {
    match unit {
        DataUnit::Bytes => "Bytes",
        DataUnit::Megabytes => "Megabytes",
        DataUnit::Gigabytes => "Gigabytes",
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A number or numeric string as a JSON float (always a float, so typed bindings see one type).
fn float(v: &Value) -> Option<Value> {
    let f = match v {
        Value::String(s) => crate::lenient::parse_f64(s.trim())?,
        Value::Number(n) => n.as_f64()?,
        _ => return None,
    };
    Number::from_f64(f).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_written_as_serde_json_writes_it() {
        for text in ["", "plain", "quote\"d", "back\\slash", "new\nline", "tab\t", "\u{1}", "\u{7f}", "中文 é", "/"]
        {
            let mut out = Vec::new();
            write_key(text, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(text).unwrap(), "{text:?}");
        }
    }
}
