//! Wire values of every model as they may arrive, for the tests of the conversions that read
//! them (direct decoding, typed surface writing).

use super::{Registry, Ty};
use serde_json::{Map, Value, json};

/// Wire values of `ty` as they may arrive, odd forms included (`pick` chooses one).
pub(crate) fn sample(reg: &Registry, ty: &Ty, pick: usize, depth: usize) -> Value {
    let odd = [json!(null), json!("7"), json!(" 12 "), json!("x\"y\n"), json!(3), json!(2.5), json!(true)];
    match ty {
        Ty::Optional(inner) => {
            if pick % 4 == 0 {
                Value::Null
            } else {
                sample(reg, inner, pick / 4, depth)
            }
        }
        Ty::List(inner) => match pick % 3 {
            0 => sample(reg, inner, pick / 3, depth),
            1 => json!([sample(reg, inner, pick, depth), null, sample(reg, inner, pick + 1, depth)]),
            _ => json!([]),
        },
        Ty::Map(inner) => json!({"a": sample(reg, inner, pick, depth), "b": null}),
        Ty::Model(name) if depth < 3 => match reg.model(name) {
            Some(model) if pick % 7 != 6 => {
                let mut m = Map::new();
                for (i, f) in model.fields.iter().enumerate() {
                    m.insert(f.wire.to_owned(), sample(reg, &f.ty, pick.wrapping_mul(31).wrapping_add(i), depth + 1));
                }
                if pick % 2 == 0 {
                    m.insert("unlisted".into(), json!({"k": [1, "two"]}));
                }
                Value::Object(m)
            }
            _ => odd[pick % odd.len()].clone(),
        },
        Ty::Enum(name) => match reg.enumeration(name).and_then(|e| e.variants.get(pick % 3)) {
            Some(v) if pick % 5 != 4 => json!(v.wire),
            _ => odd[pick % odd.len()].clone(),
        },
        _ => odd[pick % odd.len()].clone(),
    }
}
