// Renders the uniffi records, enums and client methods of every model and operation from
// the core's reflection schema (`cmi_core::reflect::schema()`, format in docs/design and the
// reflect module). Used by build.rs; the output is `include!`d by src/models.rs, so nothing
// generated is committed and nothing can drift.

use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Write;

/// Type names the binding defines itself; a model of the same name would collide in the
/// one uniffi namespace.
const OWN_TYPES: &[&str] = &[
    "CmiClient",
    "ClientOptions",
    "CmiError",
    "ErrorCategory",
    "HttpTransport",
    "HttpRequest",
    "HttpResponse",
    "HttpHeader",
    "TransportError",
    "EsimActivation",
    "CardSummary",
    "ActiveBundle",
    "DataVolume",
    "DataUnit",
    "Json",
];

const RUST_KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait",
    "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box", "do",
    "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

fn ident(name: &str) -> String {
    if RUST_KEYWORDS.contains(&name) { format!("r#{name}") } else { name.to_owned() }
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn doc(out: &mut String, indent: &str, d: &str) {
    for line in d.lines() {
        let _ = writeln!(out, "{indent}#[doc = {:?}]", format!(" {line}"));
    }
}

/// The Rust type of a schema type.
fn rust_type(t: &Value) -> String {
    match text(t, "kind") {
        "string" | "datetime" | "date" => "String".into(),
        "int" => "i64".into(),
        "float" => "f64".into(),
        "bool" => "bool".into(),
        "json" => "Json".into(),
        "volume" => "DataVolume".into(),
        "optional" => format!("Option<{}>", rust_type(&t["of"])),
        "list" => format!("Vec<{}>", rust_type(&t["of"])),
        "map" => format!("std::collections::HashMap<String, {}>", rust_type(&t["of"])),
        "model" | "enum" => text(t, "name").to_owned(),
        other => panic!("reflection schema: unknown type kind `{other}`"),
    }
}

fn render_model(out: &mut String, name: &str, m: &Value) {
    doc(out, "", text(m, "doc"));
    out.push_str("#[derive(Debug, Clone, PartialEq, uniffi::Record, serde::Serialize, serde::Deserialize)]\n");
    let _ = writeln!(out, "pub struct {name} {{");
    let mut seen = BTreeSet::new();
    for f in m["fields"].as_array().into_iter().flatten() {
        let rust = text(f, "name");
        let camel = text(f, "camel");
        seen.insert(camel.to_owned());
        doc(out, "    ", text(f, "doc"));
        let t = &f["type"];
        let kind = text(t, "kind");
        let ty = rust_type(t);
        match kind {
            "optional" => {
                out.push_str("    #[uniffi(default)]\n");
                let _ = writeln!(
                    out,
                    "    #[serde(rename = {camel:?}, default, skip_serializing_if = \"Option::is_none\")]"
                );
            }
            "list" | "map" => {
                out.push_str("    #[uniffi(default)]\n");
                let _ = writeln!(out, "    #[serde(rename = {camel:?}, default)]");
            }
            // A plain field a request need not set gets its empty value, in the generated
            // constructor and when an answer omits it.
            "string" | "datetime" | "date" | "int" | "float" | "bool" if f["required"] != true => {
                let default = match kind {
                    "int" => "0",
                    "float" => "0.0",
                    "bool" => "false",
                    _ => "\"\"",
                };
                let _ = writeln!(out, "    #[uniffi(default = {default})]");
                let _ = writeln!(out, "    #[serde(rename = {camel:?}, default)]");
            }
            _ => {
                let _ = writeln!(out, "    #[serde(rename = {camel:?})]");
            }
        }
        let _ = writeln!(out, "    pub {}: {ty},", ident(rust));
    }
    if m.get("extra").and_then(Value::as_bool) == Some(true) && !seen.contains("extra") {
        out.push_str("    /// Fields the specification does not list, as a JSON object keyed by wire names.\n");
        out.push_str("    #[uniffi(default)]\n");
        out.push_str("    #[serde(default, skip_serializing_if = \"Option::is_none\")]\n");
        out.push_str("    pub extra: Option<Json>,\n");
    }
    out.push_str("}\n\n");
}

fn render_enum(out: &mut String, name: &str, e: &Value) {
    let variants: Vec<(&str, &str)> =
        e["variants"].as_array().into_iter().flatten().map(|v| (text(v, "name"), text(v, "doc"))).collect();
    let unknown = if variants.iter().any(|(n, _)| *n == "Unknown") { "UnknownValue" } else { "Unknown" };
    doc(out, "", text(e, "doc"));
    out.push_str("#[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Enum)]\n");
    let _ = writeln!(out, "pub enum {name} {{");
    for (v, d) in &variants {
        doc(out, "    ", d);
        let _ = writeln!(out, "    {v},");
    }
    out.push_str("    /// A value the specification does not document, as the platform sent it.\n");
    let _ = writeln!(out, "    {unknown} {{ raw: String }},");
    out.push_str("}\n\n");
    // Surface JSON carries the variant name, or the raw wire value of an undocumented one.
    let _ = writeln!(out, "impl {name} {{\n    fn surface_name(&self) -> &str {{\n        match self {{");
    for (v, _) in &variants {
        let _ = writeln!(out, "            Self::{v} => {v:?},");
    }
    let _ = writeln!(out, "            Self::{unknown} {{ raw }} => raw,\n        }}\n    }}\n");
    let _ = writeln!(out, "    fn from_surface_name(s: String) -> Self {{\n        match s.as_str() {{");
    for (v, _) in &variants {
        let _ = writeln!(out, "            {v:?} => Self::{v},");
    }
    let _ = writeln!(out, "            _ => Self::{unknown} {{ raw: s }},\n        }}\n    }}\n}}\n");
    let _ = writeln!(
        out,
        "impl serde::Serialize for {name} {{\n    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {{\n        s.serialize_str(self.surface_name())\n    }}\n}}\n"
    );
    let _ = writeln!(
        out,
        "impl<'de> serde::Deserialize<'de> for {name} {{\n    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {{\n        Ok(Self::from_surface_name(crate::models::scalar_text(d)?))\n    }}\n}}\n"
    );
}

/// Renders the whole generated module.
pub fn render(schema: &Value) -> String {
    let mut out =
        String::from("// @generated by bindings-mobile/build.rs from cmi_core::reflect::schema(); do not edit.\n\n");
    let models = schema["models"].as_object().expect("schema.models");
    let enums = schema["enums"].as_object().expect("schema.enums");
    for name in models.keys().chain(enums.keys()) {
        assert!(!OWN_TYPES.contains(&name.as_str()), "schema type `{name}` collides with a binding type");
    }
    for (name, m) in models {
        render_model(&mut out, name, m);
    }
    for (name, e) in enums {
        render_enum(&mut out, name, e);
    }
    out.push_str("#[uniffi::export(async_runtime = \"tokio\")]\nimpl CmiClient {\n");
    for op in schema["operations"].as_array().expect("schema.operations") {
        // The access token is the client's business (and a record would print it).
        if text(op, "kind") == "auth" {
            continue;
        }
        let (name, req, resp) = (text(op, "name"), text(op, "request"), text(op, "response"));
        doc(&mut out, "    ", &format!("{} {}", text(op, "section"), text(op, "summary")));
        let _ = writeln!(
            out,
            "    pub async fn {name}(&self, request: {req}) -> Result<{resp}, crate::CmiError> {{\n        self.call_typed({name:?}, &request).await\n    }}\n"
        );
    }
    out.push_str("}\n");
    out
}
