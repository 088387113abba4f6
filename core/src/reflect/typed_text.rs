//! A typed value's surface JSON text written straight from its `Serialize`, steered by the
//! reflection table: the text of what [`to_surface`](super::to_surface) makes of the value's
//! wire JSON, without building either tree (a tree of maps per answer, built and dropped, was
//! a tenth of a WebAssembly call).
//!
//! The model's `Serialize` says which wire key comes next; the table says what the key is
//! called in the surface and what type its value has, so each scalar is converted as it
//! passes (the same leaf conversion as the tree path: `out_leaf`).

use super::surface::{out_leaf, variant_of_code, write_json, write_key};
use super::{Case, ModelInfo, Registry, Ty, Variant, registry};
use serde::ser::{self, Impossible, Serialize};
use serde_json::{Error, Value};

/// `value` (a model named `type_name` in the table) as surface JSON text in `case`. A name the
/// table does not hold writes the value's wire JSON as it is.
pub fn typed_to_surface_text<T: Serialize + ?Sized>(type_name: &'static str, value: &T, case: Case) -> String {
    let reg = registry();
    let ty = Ty::Model(type_name);
    let mut w = Writer::new(reg, case, Vec::with_capacity(512));
    let expect = reg.model(type_name).map(|_| &ty);
    if value.serialize(Slot { w: &mut w, ty: expect }).is_err() {
        // Only a model serializing as a tuple or struct variant fails, and none does.
        return "null".into();
    }
    // Only JSON text (valid UTF-8) was written.
    String::from_utf8(w.out).unwrap_or_default()
}

struct Writer {
    reg: &'static Registry,
    case: Case,
    out: Vec<u8>,
    /// The model and the enumeration found last, by the address of the name they were looked
    /// up with (the table's own): a list repeats them item after item, and finding them by
    /// name in the table was a tenth of the writing.
    last_model: Option<(*const str, &'static ModelInfo)>,
    last_enum: Option<(*const str, &'static [Variant])>,
}

impl Writer {
    fn new(reg: &'static Registry, case: Case, out: Vec<u8>) -> Self {
        Self { reg, case, out, last_model: None, last_enum: None }
    }

    fn model(&mut self, name: &str) -> Option<&'static ModelInfo> {
        if let Some((at, model)) = self.last_model {
            if std::ptr::eq(at, name) {
                return Some(model);
            }
        }
        let model = self.reg.model(name)?;
        self.last_model = Some((name, model));
        Some(model)
    }

    /// An enumeration's documented values (none for a name the table does not hold).
    fn variants(&mut self, name: &str) -> &'static [Variant] {
        if let Some((at, variants)) = self.last_enum {
            if std::ptr::eq(at, name) {
                return variants;
            }
        }
        let variants = self.reg.enumeration(name).map(|e| e.variants.as_slice()).unwrap_or_default();
        self.last_enum = Some((name, variants));
        variants
    }
}

/// Where the next value goes: the type the table expects there, `None` for JSON kept as it
/// is (the contents of `extra` and of `Json` fields).
struct Slot<'a> {
    w: &'a mut Writer,
    ty: Option<&'a Ty>,
}

fn unwrap_optional(mut ty: Option<&Ty>) -> Option<&Ty> {
    while let Some(Ty::Optional(inner)) = ty {
        ty = Some(inner);
    }
    ty
}

impl<'a> Slot<'a> {
    /// A scalar, converted as the tree path converts it.
    fn leaf(self, v: Value) -> Result<bool, Error> {
        let out = &mut self.w.out;
        match unwrap_optional(self.ty) {
            None | Some(Ty::Map(_)) => write_json(&v, out),
            // One item where the table has a list.
            Some(Ty::List(inner)) => {
                out.push(b'[');
                Slot { w: self.w, ty: Some(inner) }.leaf(v)?;
                self.w.out.push(b']');
            }
            Some(Ty::Model(_)) => out.extend_from_slice(b"null"),
            Some(ty) => write_json(&out_leaf(self.w.reg, ty, &v), out),
        }
        Ok(true)
    }

    /// Nothing: left out where the table expects a value, `null` in kept JSON.
    fn absent(self) -> Result<bool, Error> {
        if self.ty.is_some() {
            return Ok(false);
        }
        self.w.out.extend_from_slice(b"null");
        Ok(true)
    }

    /// The writer for the items of a list or the entries of an object.
    fn compound(self, object: bool) -> Compound<'a> {
        let w = self.w;
        let mut close: &'static [u8] = b"";
        let mut ty = unwrap_optional(self.ty);
        if let (true, Some(Ty::List(inner))) = (object, ty) {
            // One object where the table has a list of them.
            w.out.push(b'[');
            close = b"]";
            ty = unwrap_optional(Some(inner));
        }
        let kind = match (object, ty) {
            (false, Some(Ty::List(inner))) => Kind::Items(inner),
            (true, Some(Ty::Map(inner))) => Kind::Entries(inner),
            (true, Some(Ty::Model(name))) => match w.model(name) {
                Some(model) => Kind::Model(model),
                None => Kind::Null,
            },
            (false, Some(Ty::Model(_))) => Kind::Null,
            _ => Kind::Raw,
        };
        if matches!(kind, Kind::Null) {
            w.out.extend_from_slice(b"null");
        } else {
            w.out.push(if object { b'{' } else { b'[' });
        }
        Compound { w, kind, object, close, first: true, key: String::new(), next_field: 0, extra: Vec::new() }
    }
}

enum Kind<'a> {
    /// JSON kept as it is.
    Raw,
    /// A list's items, of this type.
    Items(&'a Ty),
    /// A map's values, of this type.
    Entries(&'a Ty),
    /// A model's fields.
    Model(&'a ModelInfo),
    /// Not what the table expects there: written as `null`, its contents dropped.
    Null,
}

struct Compound<'a> {
    w: &'a mut Writer,
    kind: Kind<'a>,
    object: bool,
    /// Written after the closing bracket (a lone object as a list closes that list too).
    close: &'static [u8],
    first: bool,
    /// A key given alone (`serialize_key`), kept for the value to come.
    key: String,
    /// Where the next field is looked for first.
    next_field: usize,
    /// A model's unknown keys, written under `extra` at its end.
    extra: Vec<u8>,
}

/// Where [`Compound::begin`] sends the value of an item or entry.
enum Next<'a> {
    /// Written here with this type (after `mark`, where it is cut back to if absent).
    Value { mark: usize, ty: Option<&'a Ty> },
    /// Written under `extra` (the buffers are swapped until [`Compound::end_extra`]).
    Extra,
    /// Read and dropped.
    Drop,
}

impl<'a> Compound<'a> {
    /// Writes one item (`key` is `None`) or entry. Generic over every field's type, so it
    /// only serializes: the rest is in the non-generic `begin` and `end_extra`.
    fn put<V: Serialize + ?Sized>(&mut self, key: Option<&str>, value: &V) -> Result<(), Error> {
        match self.begin(key) {
            Next::Value { mark, ty } => {
                if value.serialize(Slot { w: self.w, ty })? {
                    self.first = false;
                } else {
                    self.w.out.truncate(mark);
                }
            }
            Next::Extra => {
                let written = value.serialize(Slot { w: self.w, ty: None });
                self.end_extra();
                written?;
            }
            Next::Drop => {
                // Read to the end (a `Serialize` may need to be), kept nowhere.
                let mut sink = Writer::new(self.w.reg, self.w.case, Vec::new());
                value.serialize(Slot { w: &mut sink, ty: None })?;
            }
        }
        Ok(())
    }

    /// Finds what `key` is and writes what comes before its value.
    fn begin(&mut self, key: Option<&str>) -> Next<'a> {
        let (ty, name) = match (&self.kind, key) {
            (Kind::Null, _) => return Next::Drop,
            (Kind::Model(model), Some(key)) => {
                // Fields come in the table's order: looked for from the last one's successor.
                let n = model.fields.len();
                let start = self.next_field.min(n);
                match (start..n).chain(0..start).find(|&i| model.fields[i].wire == key) {
                    Some(i) => {
                        self.next_field = i + 1;
                        (Some(&model.fields[i].ty), model.name_at(i, self.w.case))
                    }
                    None => {
                        std::mem::swap(&mut self.w.out, &mut self.extra);
                        if !self.w.out.is_empty() {
                            self.w.out.push(b',');
                        }
                        write_key(key, &mut self.w.out);
                        self.w.out.push(b':');
                        return Next::Extra;
                    }
                }
            }
            (Kind::Items(ty) | Kind::Entries(ty), key) => (Some(*ty), key.unwrap_or_default()),
            (_, key) => (None, key.unwrap_or_default()),
        };
        let mark = self.w.out.len();
        if !self.first {
            self.w.out.push(b',');
        }
        if key.is_some() {
            write_key(name, &mut self.w.out);
            self.w.out.push(b':');
        }
        Next::Value { mark, ty }
    }

    /// Back from writing under `extra`.
    fn end_extra(&mut self) {
        std::mem::swap(&mut self.w.out, &mut self.extra);
    }

    fn end(self) -> Result<bool, Error> {
        let out = &mut self.w.out;
        if matches!(self.kind, Kind::Null) {
            out.extend_from_slice(self.close);
            return Ok(true);
        }
        if !self.extra.is_empty() {
            if !self.first {
                out.push(b',');
            }
            out.extend_from_slice(b"\"extra\":{");
            out.extend_from_slice(&self.extra);
            out.push(b'}');
        }
        out.push(if self.object { b'}' } else { b']' });
        out.extend_from_slice(self.close);
        Ok(true)
    }
}

/// Scalars that go to the leaf conversion as they are.
macro_rules! leaves {
    ($($method:ident($t:ty)),+) => {
        $( fn $method(self, v: $t) -> Result<bool, Error> {
            self.leaf(Value::from(v))
        } )+
    };
}

impl<'a> ser::Serializer for Slot<'a> {
    type Ok = bool;
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Impossible<bool, Error>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Impossible<bool, Error>;

    leaves!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64)
    );
    fn serialize_f32(self, v: f32) -> Result<bool, Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<bool, Error> {
        // As in a wire tree: a float JSON cannot hold is `null`.
        match serde_json::Number::from_f64(v) {
            Some(n) => self.leaf(Value::Number(n)),
            None => self.absent(),
        }
    }
    fn serialize_char(self, v: char) -> Result<bool, Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<bool, Error> {
        match unwrap_optional(self.ty) {
            // The common case, without a `Value`: text kept as text.
            None | Some(Ty::String | Ty::DateTime | Ty::Date | Ty::Json | Ty::Bool | Ty::Map(_)) => {
                write_key(v, &mut self.w.out);
                Ok(true)
            }
            // A code as its variant's name; an undocumented one as received.
            Some(Ty::Enum(name)) => {
                let text = variant_of_code(self.w.variants(name), v).map_or(v, |x| x.name);
                write_key(text, &mut self.w.out);
                Ok(true)
            }
            _ => self.leaf(Value::String(v.to_owned())),
        }
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<bool, Error> {
        self.leaf(Value::Array(v.iter().map(|b| Value::from(*b)).collect()))
    }
    fn serialize_none(self) -> Result<bool, Error> {
        self.absent()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<bool, Error> {
        self.absent()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<bool, Error> {
        self.absent()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<bool, Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<bool, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<bool, Error> {
        // `{variant: value}`, as serde_json writes it.
        let mut c = Slot { w: self.w, ty: None }.compound(true);
        c.put(Some(variant), value)?;
        c.end()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(self.compound(false))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Error> {
        Ok(self.compound(false))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Error> {
        Ok(self.compound(false))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(ser::Error::custom("tuple variants have no surface form"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(self.compound(true))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Error> {
        Ok(self.compound(true))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(ser::Error::custom("struct variants have no surface form"))
    }
}

/// The three ways serde hands over the items of a list: all written as items.
macro_rules! items {
    ($($trait:ident::$method:ident),+) => {
        $( impl ser::$trait for Compound<'_> {
            type Ok = bool;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.put(None, value)
            }
            fn end(self) -> Result<bool, Error> {
                Compound::end(self)
            }
        } )+
    };
}

items!(SerializeSeq::serialize_element, SerializeTuple::serialize_element, SerializeTupleStruct::serialize_field);

impl ser::SerializeMap for Compound<'_> {
    type Ok = bool;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        key.serialize(KeyPut::<()> { c: self, value: None })
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = std::mem::take(&mut self.key);
        let put = self.put(Some(&key), value);
        self.key = key;
        put
    }
    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), Error> {
        // The key is used where it is, not copied: the common path of every model.
        key.serialize(KeyPut { c: self, value: Some(value) })
    }
    fn end(self) -> Result<bool, Error> {
        Compound::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = bool;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.put(Some(key), value)
    }
    fn end(self) -> Result<bool, Error> {
        Compound::end(self)
    }
}

/// A map key as text, as serde_json writes keys (text as it is, numbers and booleans as their
/// digits and words; anything else is refused, as serde_json refuses it), handed with `value`
/// to the compound, or kept for the value to come when there is none yet.
struct KeyPut<'c, 'a, V: ?Sized> {
    c: &'c mut Compound<'a>,
    value: Option<&'c V>,
}

impl<V: Serialize + ?Sized> KeyPut<'_, '_, V> {
    fn key(self, key: &str) -> Result<(), Error> {
        match self.value {
            Some(value) => self.c.put(Some(key), value),
            None => {
                self.c.key.clear();
                self.c.key.push_str(key);
                Ok(())
            }
        }
    }
}

macro_rules! key_as_display {
    ($($method:ident($t:ty)),+) => {
        $( fn $method(self, v: $t) -> Result<(), Error> {
            // serde_json's own digits (no second float formatter in the WebAssembly).
            self.key(&serde_json::to_string(&v)?)
        } )+
    };
}

fn not_a_key() -> Error {
    ser::Error::custom("a map key must be text, a number or a boolean")
}

impl<V: Serialize + ?Sized> ser::Serializer for KeyPut<'_, '_, V> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    key_as_display!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64)
    );
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.key(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.key(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Error> {
        self.key(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(not_a_key())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(not_a_key())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Error> {
        Err(not_a_key())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(not_a_key())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(not_a_key())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(not_a_key())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(not_a_key())
    }
}

#[cfg(test)]
mod tests {
    use super::super::samples::sample;
    use super::super::to_surface;
    use super::*;
    use crate::client::operations::{OperationVisitor, operation_types, visit_operations};
    use crate::operation::Operation;
    use serde::de::DeserializeOwned;

    /// Typed values of model `name` decoded from generated wire values (odd forms included),
    /// each written both ways; returns how many were compared.
    fn compare<T: Serialize + DeserializeOwned>(name: &'static str) -> usize {
        let reg = registry();
        let mut compared = 0;
        for pick in 0..60 {
            let wire = sample(reg, &Ty::Model(name), pick, 0);
            let Ok(typed) = serde_json::from_value::<T>(wire) else { continue };
            let tree = serde_json::to_value(&typed).expect("a model serializes");
            for case in [Case::Snake, Case::Camel] {
                let direct = typed_to_surface_text(name, &typed, case);
                let parsed: Value = serde_json::from_str(&direct).unwrap_or_else(|e| panic!("{name}: {e} in {direct}"));
                assert_eq!(parsed, to_surface(name, tree.clone(), case), "{name} from {tree}");
                compared += 1;
            }
        }
        compared
    }

    struct EveryAnswer(usize);

    impl OperationVisitor for EveryAnswer {
        fn visit<Op: Operation>(&mut self) {
            let (_, response) = operation_types(Op::NAME).expect("an operation");
            self.0 += compare::<Op::Response>(response);
        }
    }

    #[test]
    fn typed_text_is_the_text_of_the_wire_tree() {
        let mut every = EveryAnswer(0);
        visit_operations(&mut every);
        use crate::callbacks::{ActivationNotification, EsimStatusNotification, UsageNotification};
        every.0 += compare::<ActivationNotification>("ActivationNotification");
        every.0 += compare::<UsageNotification>("UsageNotification");
        every.0 += compare::<EsimStatusNotification>("EsimStatusNotification");
        assert!(every.0 > 2000, "only {} compared", every.0);
        // A name the table does not hold: the wire JSON as it is.
        assert_eq!(
            typed_to_surface_text("NoSuchModel", &serde_json::json!({"a": [1, null]}), Case::Camel),
            r#"{"a":[1,null]}"#
        );
    }
}
