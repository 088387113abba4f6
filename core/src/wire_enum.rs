//! Enumerations of the API with an `Unknown` fallback.
//!
//! Every enumerated value of the spec is a small code (`"1"`, `"2"`, `"99"`) sent sometimes as
//! a string and sometimes as a number. An enum built with [`wire_enum!`](macro@crate::wire_enum)
//! accepts both on decode, keeps any undocumented code in `Unknown(raw)` instead of failing,
//! and encodes in the JSON type the spec's table gives (`int` or `str`).

/// A doc text of the reflection table: kept with the `reflect-docs` feature, otherwise `""`
/// (or no attribute lines), so that a build without docs (the wasm package) does not carry
/// them. Used by `#[derive(Model)]` and [`wire_enum!`](macro@crate::wire_enum).
#[cfg(feature = "reflect-docs")]
#[doc(hidden)]
#[macro_export]
macro_rules! __reflect_doc {
    ($doc:expr) => {
        $doc
    };
}

/// A doc text of the reflection table: kept with the `reflect-docs` feature, otherwise `""`
/// (or no attribute lines), so that a build without docs (the wasm package) does not carry
/// them. Used by `#[derive(Model)]` and [`wire_enum!`](macro@crate::wire_enum).
#[cfg(not(feature = "reflect-docs"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __reflect_doc {
    (&[$($attr:expr),*]) => {
        &[]
    };
    ($doc:expr) => {
        ""
    };
}

/// Defines a wire enumeration. See the module documentation.
///
/// ```ignore
/// wire_enum! {
///     /// Status of a bundle in the catalogue.
///     pub enum BundleStatus: int {
///         /// `1`: on sale.
///         Normal = "1",
///     }
/// }
/// ```
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident : $repr:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value the specification does not document, kept as received.
            Unknown(String),
        }

        impl $name {
            /// Every documented wire code, in specification order.
            pub const WIRE_CODES: &'static [&'static str] = &[$($wire),+];

            /// The value as the wire spells it.
            pub fn as_wire(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Unknown(raw) => raw.as_str(),
                }
            }

            /// Reads a wire value; undocumented values become `Unknown`.
            pub fn from_wire(raw: &str) -> Self {
                match raw.trim() {
                    $( $wire => Self::$variant, )+
                    other => Self::Unknown(other.to_owned()),
                }
            }

            /// Whether this is a documented value.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_wire())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from_wire(s))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::wire_enum!(@ser $repr, self, s)
            }
        }

        #[cfg(feature = "reflect")]
        impl $crate::reflect::Describe for $name {
            fn describe(reg: &mut $crate::reflect::Registry) -> $crate::reflect::Ty {
                reg.add_enum(stringify!($name), || $crate::reflect::EnumInfo {
                    doc: $crate::reflect::doc_from_attrs($crate::__reflect_doc!(&[$(stringify!($meta)),*])),
                    variants: ::std::vec![$( $crate::reflect::Variant {
                        name: stringify!($variant),
                        wire: $wire,
                        doc: $crate::reflect::doc_from_attrs($crate::__reflect_doc!(&[$(stringify!($vmeta)),*])),
                    } ),+],
                });
                $crate::reflect::Ty::Enum(stringify!($name))
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = $crate::lenient::string(d)?;
                Ok(Self::from_wire(&raw))
            }
        }
    };
    (@ser int, $self:ident, $s:ident) => {
        match $self.as_wire().parse::<i64>() {
            Ok(n) => $s.serialize_i64(n),
            Err(_) => $s.serialize_str($self.as_wire()),
        }
    };
    (@ser str, $self:ident, $s:ident) => {
        $s.serialize_str($self.as_wire())
    };
}

#[cfg(test)]
#[allow(dead_code)]
mod tests {
    wire_enum! {
        /// Test enum.
        pub enum Sample: int {
            /// one
            One = "1",
            /// two
            Two = "2",
        }
    }

    #[test]
    fn decodes_numbers_strings_and_unknowns() {
        let v: Vec<Sample> = serde_json::from_str(r#"[1,"2"," 1 ",7,"x"]"#).unwrap();
        assert_eq!(v[0], Sample::One);
        assert_eq!(v[1], Sample::Two);
        assert_eq!(v[2], Sample::One);
        assert_eq!(v[3], Sample::Unknown("7".into()));
        assert_eq!(v[4], Sample::Unknown("x".into()));
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"[1,2,1,7,"x"]"#);
    }
}
