//! The schema every binding generates its types from (`cmi schema` prints it).

use super::{Case, PAGED_OPERATIONS, Registry, Ty, registry};
use crate::client::operations::OPERATIONS;
use serde_json::{Map, Value, json};

/// The whole schema as JSON: operations, notifications, models, enums and error names. The
/// format is described in `docs/design/bindings.md`.
pub fn schema() -> Value {
    let reg = registry();
    let operations: Vec<Value> = OPERATIONS
        .iter()
        .map(|op| {
            let (request, response) = crate::client::operations::operation_types(op.name).unwrap_or(("", ""));
            json!({
                "name": op.name,
                "camel": Case::Camel.apply(op.name),
                "section": op.section,
                "path": op.path,
                "kind": op.kind.as_str(),
                "summary": op.summary,
                "request": request,
                "response": response,
                "paged": PAGED_OPERATIONS.contains(&op.name),
            })
        })
        .collect();
    let mut scratch = Registry::default();
    let notifications: Vec<Value> = super::notification_types(&mut scratch)
        .into_iter()
        .map(|(kind, section, ty)| {
            let name = match ty {
                Ty::Model(n) => n,
                _ => "",
            };
            json!({"kind": kind, "section": section, "type": name})
        })
        .collect();
    let models: Map<String, Value> = reg
        .models()
        .map(|(name, m)| {
            let fields: Vec<Value> = m
                .fields
                .iter()
                .map(|f| {
                    json!({
                        "name": f.name,
                        "camel": Case::Camel.apply(f.name),
                        "wire": f.wire,
                        "aliases": f.aliases,
                        "doc": f.doc,
                        "type": ty_json(&f.ty),
                        "required": f.required,
                    })
                })
                .collect();
            (name.to_owned(), json!({"doc": m.doc, "extra": m.extra, "fields": fields}))
        })
        .collect();
    let enums: Map<String, Value> = reg
        .enums()
        .map(|(name, e)| {
            let variants: Vec<Value> =
                e.variants.iter().map(|v| json!({"name": v.name, "wire": v.wire, "doc": v.doc})).collect();
            (name.to_owned(), json!({"doc": e.doc, "variants": variants}))
        })
        .collect();
    json!({
        "version": crate::VERSION,
        "operations": operations,
        "notifications": notifications,
        "models": models,
        "enums": enums,
        "errors": {
            "kinds": crate::error::ErrorKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            "categories": crate::codes::Category::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        },
    })
}

fn ty_json(ty: &Ty) -> Value {
    match ty {
        Ty::String => json!({"kind": "string"}),
        Ty::Int => json!({"kind": "int"}),
        Ty::Float => json!({"kind": "float"}),
        Ty::Bool => json!({"kind": "bool"}),
        Ty::Json => json!({"kind": "json"}),
        Ty::DateTime => json!({"kind": "datetime"}),
        Ty::Date => json!({"kind": "date"}),
        Ty::Volume(_) => json!({"kind": "volume"}),
        Ty::Optional(t) => json!({"kind": "optional", "of": ty_json(t)}),
        Ty::List(t) => json!({"kind": "list", "of": ty_json(t)}),
        Ty::Map(t) => json!({"kind": "map", "of": ty_json(t)}),
        Ty::Model(n) => json!({"kind": "model", "name": n}),
        Ty::Enum(n) => json!({"kind": "enum", "name": n}),
    }
}
