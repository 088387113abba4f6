//! The description of a type: [`Ty`], the [`Describe`] trait and the [`Registry`] it fills.

use crate::units::DataUnit;
use std::collections::{BTreeMap, HashMap};

/// The shape of a value as the bindings see it.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// Text.
    String,
    /// A whole number (numeric strings on the wire become numbers).
    Int,
    /// A number (numeric strings on the wire become numbers).
    Float,
    /// `true` / `false`.
    Bool,
    /// Any JSON, kept as received.
    Json,
    /// A timestamp in the core's canonical text; the field's doc names its zone.
    DateTime,
    /// A calendar date in the core's canonical text.
    Date,
    /// A data volume `{value, unit}`; `Some(unit)` when the wire carries a bare number in that
    /// unit.
    Volume(Option<DataUnit>),
    /// May be absent.
    Optional(Box<Ty>),
    /// A list.
    List(Box<Ty>),
    /// A map from text keys.
    Map(Box<Ty>),
    /// A model of the [`Registry`], by name.
    Model(&'static str),
    /// An enumeration of the [`Registry`], by name.
    Enum(&'static str),
}

/// One field of a model.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust (snake_case) name.
    pub name: &'static str,
    /// Name on the wire.
    pub wire: &'static str,
    /// Other wire names accepted on decode.
    pub aliases: &'static [&'static str],
    /// Doc comment.
    pub doc: &'static str,
    /// Its type.
    pub ty: Ty,
    /// Whether a request must carry it (not optional, no default).
    pub required: bool,
}

/// One field of a model as `#[derive(Model)]` writes it: static data, made into a [`Field`]
/// when the registry is built. A table per model rather than code per field, because the
/// registry is built once and code is what the npm package's size budget pays for (the code
/// form was ~90 KB of WebAssembly before optimisation).
#[doc(hidden)]
pub struct FieldTable {
    pub name: &'static str,
    pub wire: &'static str,
    pub aliases: &'static [&'static str],
    pub doc: &'static str,
    /// Describes the field's type.
    pub ty: fn(&mut Registry) -> Ty,
    pub required: bool,
}

/// A volume carried as a bare number of megabytes (`with = "mb"`).
#[doc(hidden)]
pub fn volume_mb(_: &mut Registry) -> Ty {
    Ty::Optional(Box::new(Ty::Volume(Some(DataUnit::Megabytes))))
}

/// A volume carried as a bare number of bytes (`with = "bytes"`).
#[doc(hidden)]
pub fn volume_bytes(_: &mut Registry) -> Ty {
    Ty::Optional(Box::new(Ty::Volume(Some(DataUnit::Bytes))))
}

/// A model: a struct of the API.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelInfo {
    /// Doc comment.
    pub doc: &'static str,
    /// Whether unknown wire keys are kept (they surface under `extra`).
    pub extra: bool,
    /// Fields in declaration order.
    pub fields: Vec<Field>,
    /// The fields' names in camelCase, in the same order: spelt once here rather than for
    /// every key of every value converted (and not in `Field`, whose literals the derive
    /// writes out for each of ~400 fields).
    camel: Vec<String>,
}

impl ModelInfo {
    /// The field a key names: its Rust name, its camelCase name, its wire name or an alias.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == key || f.wire == key).or_else(|| {
            self.fields.iter().zip(&self.camel).find(|(f, c)| f.aliases.contains(&key) || *c == key).map(|(f, _)| f)
        })
    }

    /// The name of field `i` (of [`ModelInfo::fields`]) in `case`.
    pub(crate) fn name_at(&self, i: usize, case: super::Case) -> &str {
        match case {
            super::Case::Snake => self.fields[i].name,
            super::Case::Camel => &self.camel[i],
        }
    }

    /// The fields with their names in `case`.
    pub fn named_fields(&self, case: super::Case) -> impl Iterator<Item = (&Field, &str)> {
        self.fields.iter().enumerate().map(move |(i, f)| (f, self.name_at(i, case)))
    }
}

/// One value of an enumeration.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Rust variant name (what the bindings show).
    pub name: &'static str,
    /// Wire code.
    pub wire: &'static str,
    /// Doc comment.
    pub doc: String,
}

/// An enumeration; undocumented wire values pass through as their raw text.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumInfo {
    /// Doc comment.
    pub doc: String,
    /// Documented values.
    pub variants: Vec<Variant>,
}

/// Every model and enumeration described so far.
#[derive(Debug, Default)]
pub struct Registry {
    models: BTreeMap<&'static str, Option<ModelInfo>>,
    enums: BTreeMap<&'static str, EnumInfo>,
}

impl Registry {
    /// Starts describing a model; false when it is known (or being described: recursion).
    pub fn begin_model(&mut self, name: &'static str) -> bool {
        if self.models.contains_key(name) {
            return false;
        }
        self.models.insert(name, None);
        true
    }

    /// Describes a model from the table `#[derive(Model)]` writes (once; the fields' types
    /// are described in order).
    #[doc(hidden)]
    pub fn model_from_table(
        &mut self,
        name: &'static str,
        doc: &'static str,
        extra: bool,
        fields: &'static [FieldTable],
    ) -> Ty {
        if self.begin_model(name) {
            let fields = fields
                .iter()
                .map(|f| Field {
                    name: f.name,
                    wire: f.wire,
                    aliases: f.aliases,
                    doc: f.doc,
                    ty: (f.ty)(self),
                    required: f.required,
                })
                .collect();
            self.end_model(name, doc, extra, fields);
        }
        Ty::Model(name)
    }

    /// Finishes describing a model.
    pub fn end_model(&mut self, name: &'static str, doc: &'static str, extra: bool, fields: Vec<Field>) {
        let camel = fields.iter().map(|f| super::camel(f.name)).collect();
        self.models.insert(name, Some(ModelInfo { doc, extra, fields, camel }));
    }

    /// Adds an enumeration (once).
    pub fn add_enum(&mut self, name: &'static str, info: impl FnOnce() -> EnumInfo) {
        if !self.enums.contains_key(name) {
            let info = info();
            self.enums.insert(name, info);
        }
    }

    /// A model by name.
    pub fn model(&self, name: &str) -> Option<&ModelInfo> {
        self.models.get(name).and_then(Option::as_ref)
    }

    /// An enumeration by name.
    pub fn enumeration(&self, name: &str) -> Option<&EnumInfo> {
        self.enums.get(name)
    }

    /// Every model, by name.
    pub fn models(&self) -> impl Iterator<Item = (&'static str, &ModelInfo)> {
        self.models.iter().filter_map(|(n, m)| m.as_ref().map(|m| (*n, m)))
    }

    /// Every enumeration, by name.
    pub fn enums(&self) -> impl Iterator<Item = (&'static str, &EnumInfo)> {
        self.enums.iter().map(|(n, e)| (*n, e))
    }
}

/// A type that can describe itself into a [`Registry`].
pub trait Describe {
    /// Its [`Ty`], registering any model or enum it names.
    fn describe(reg: &mut Registry) -> Ty;
}

/// The doc text of `#[doc = "..."]` attributes as `stringify!` renders them (for `wire_enum!`,
/// whose attributes arrive as opaque tokens).
pub fn doc_from_attrs(attrs: &[&str]) -> String {
    let mut lines = Vec::new();
    for a in attrs {
        let a = a.trim();
        let Some(rest) = a.strip_prefix("doc") else { continue };
        let rest = rest.trim_start().trim_start_matches('=').trim();
        // `stringify!` renders doc comments as raw strings (`r" text"`, `r#" "text" "#`).
        let line = match rest.strip_prefix('r') {
            Some(raw) => {
                let hashes = raw.len() - raw.trim_start_matches('#').len();
                let body = raw.get(hashes..raw.len().saturating_sub(hashes)).unwrap_or_default();
                body.strip_prefix('"').and_then(|b| b.strip_suffix('"')).unwrap_or(body).to_owned()
            }
            None => {
                let inner = rest.strip_prefix('"').and_then(|r| r.strip_suffix('"')).unwrap_or(rest);
                inner.replace("\\\"", "\"").replace("\\\\", "\\")
            }
        };
        lines.push(line.trim().to_owned());
    }
    lines.join("\n").trim().to_owned()
}

macro_rules! describe_as {
    ($ty:expr => $($t:ty),+) => {
        $( impl Describe for $t {
            fn describe(_: &mut Registry) -> Ty {
                $ty
            }
        } )+
    };
}

describe_as!(Ty::String => String, crate::Secret);
describe_as!(Ty::Int => i64, i32, i16, i8, u64, u32, u16, u8, usize);
describe_as!(Ty::Float => f64, f32);
describe_as!(Ty::Bool => bool);
describe_as!(Ty::Json => serde_json::Value);
describe_as!(Ty::DateTime => crate::datetime::DateTime);
describe_as!(Ty::Date => crate::datetime::Date);
describe_as!(Ty::Volume(None) => crate::units::DataVolume);
describe_as!(Ty::Map(Box::new(Ty::String)) => crate::api::common::Ext);

impl<T: Describe> Describe for Option<T> {
    fn describe(reg: &mut Registry) -> Ty {
        Ty::Optional(Box::new(T::describe(reg)))
    }
}

impl<T: Describe> Describe for Vec<T> {
    fn describe(reg: &mut Registry) -> Ty {
        Ty::List(Box::new(T::describe(reg)))
    }
}

impl<T: Describe> Describe for BTreeMap<String, T> {
    fn describe(reg: &mut Registry) -> Ty {
        Ty::Map(Box::new(T::describe(reg)))
    }
}

impl<T: Describe> Describe for HashMap<String, T> {
    fn describe(reg: &mut Registry) -> Ty {
        Ty::Map(Box::new(T::describe(reg)))
    }
}

impl Describe for DataUnit {
    fn describe(reg: &mut Registry) -> Ty {
        reg.add_enum("DataUnit", || EnumInfo {
            doc: "The unit a data volume is expressed in.".into(),
            variants: ["Bytes", "Megabytes", "Gigabytes"]
                .into_iter()
                .map(|n| Variant { name: n, wire: n, doc: String::new() })
                .collect(),
        });
        Ty::Enum("DataUnit")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_text_from_stringified_attributes() {
        let attrs = [
            r#"doc = " `1`: on sale, \"now\".""#,
            "non_exhaustive",
            r#"doc = r" raw line""#,
            r##"doc = r#" "quoted" "#"##,
        ];
        assert_eq!(doc_from_attrs(&attrs), "`1`: on sale, \"now\".\nraw line\n\"quoted\"");
    }
}
