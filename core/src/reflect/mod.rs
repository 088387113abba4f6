//! Reflection of the models, for the bindings (feature `reflect`).
//!
//! The models serialize in wire names (`ICCID`, `is_Refuel`); every binding shows its own
//! spelling of the Rust field names (`iccid`, `purchase_kind` / `purchaseKind`) and typed values
//! (numbers for numeric strings, volumes with their unit, enum variant names). Rather than a
//! second copy of 120 models per language, `#[derive(Model)]` and `wire_enum!` describe each
//! type once, here; [`schema`] is what the bindings generate their types from, and
//! [`to_surface`] / [`from_surface`] are the one conversion at their boundary.

mod describe;
#[cfg(test)]
pub(crate) mod samples;
mod schema;
mod surface;
mod typed_text;

pub use describe::{Describe, EnumInfo, Field, ModelInfo, Registry, Ty, Variant, doc_from_attrs};
#[doc(hidden)]
pub use describe::{FieldTable, volume_bytes, volume_mb};
pub use schema::schema;
pub use surface::{from_surface, notification_event_text, notification_to_surface, to_surface};
pub use typed_text::typed_to_surface_text;

/// How a binding spells field names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Case {
    /// `third_order_id` (Rust, Python).
    Snake,
    /// `thirdOrderId` (JavaScript, Kotlin, Swift).
    Camel,
}

impl Case {
    /// `name` (a snake_case Rust name) in this case.
    pub fn apply(self, name: &str) -> String {
        match self {
            Self::Snake => name.to_owned(),
            Self::Camel => camel(name),
        }
    }
}

/// `third_order_id` → `thirdOrderId`.
pub fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The operations the specification pages (`pageNo` / `pageSize` or equivalent).
pub const PAGED_OPERATIONS: &[&str] = &["query_data_bundles", "query_subscribed_bundles", "query_refuel_packages"];

/// The table of every model and enum reachable from the 22 operations and 3 callbacks, built
/// once.
pub fn registry() -> &'static Registry {
    static REGISTRY: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut reg = Registry::default();
        crate::client::operations::describe_operations(&mut reg);
        notification_types(&mut reg);
        reg
    })
}

/// The three callback models, described into `reg`, with their kind names.
pub(crate) fn notification_types(reg: &mut Registry) -> [(&'static str, &'static str, Ty); 3] {
    use crate::callbacks::{ActivationNotification, EsimStatusNotification, UsageNotification};
    [
        ("activation", "3.2.15", ActivationNotification::describe(reg)),
        ("usage", "3.2.16", UsageNotification::describe(reg)),
        ("esim_status", "3.2.17", EsimStatusNotification::describe(reg)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_of_rust_names() {
        assert_eq!(camel("third_order_id"), "thirdOrderId");
        assert_eq!(camel("iccid"), "iccid");
        assert_eq!(camel("h_imsi"), "hImsi");
        assert_eq!(Case::Snake.apply("h_imsi"), "h_imsi");
    }
}
