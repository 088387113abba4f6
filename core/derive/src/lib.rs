//! `#[derive(Model)]`: records, for cmi-core's reflection table, each field's Rust name, wire
//! name, aliases, type and doc comment, read from the same `#[serde(...)]` attributes that drive
//! the wire format, so the bindings' typed surfaces cannot drift from the models.
//!
//! The generated impl is behind `#[cfg(feature = "reflect")]` and names `crate::reflect`, so
//! the derive is meant for cmi-core's own models only. Doc comments go through
//! `crate::__reflect_doc!`, which keeps them only with cmi-core's `reflect-docs` feature.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::quote;
use syn::{Data, DeriveInput, Expr, ExprLit, Fields, Lit, Meta, Type, parse_macro_input};

/// Derives `crate::reflect::Describe` for a struct with named fields.
#[proc_macro_derive(Model)]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// What `#[serde(...)]` says about one field.
#[derive(Default)]
struct SerdeField {
    rename: Option<String>,
    aliases: Vec<String>,
    flatten: bool,
    skip: bool,
    default: bool,
    with: Option<String>,
}

fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let name_str = name.to_string();
    let doc = doc_of(&input.attrs);
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(input, "Model is derived for structs only"));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new_spanned(input, "Model needs named fields"));
    };
    let mut extra = false;
    let mut entries = Vec::new();
    for field in &fields.named {
        let serde = serde_of(&field.attrs)?;
        if serde.skip {
            continue;
        }
        if serde.flatten {
            // Unknown keys are kept in a flattened map; the surface carries them as `extra`.
            extra = true;
            continue;
        }
        let Some(ident) = &field.ident else { continue };
        let rust = ident.to_string().trim_start_matches("r#").to_owned();
        let wire = serde.rename.clone().unwrap_or_else(|| rust.clone());
        let aliases = &serde.aliases;
        let fdoc = doc_of(&field.attrs);
        let optional = is_option(&field.ty);
        let required = !optional && !serde.default;
        let ty = type_fn(&field.ty, serde.with.as_deref());
        entries.push(quote! {
            crate::reflect::FieldTable {
                name: #rust,
                wire: #wire,
                aliases: &[#(#aliases),*],
                doc: crate::__reflect_doc!(#fdoc),
                ty: #ty,
                required: #required,
            }
        });
    }
    // A static table per model, read by one function, rather than code per field.
    Ok(quote! {
        #[cfg(feature = "reflect")]
        impl crate::reflect::Describe for #name {
            fn describe(reg: &mut crate::reflect::Registry) -> crate::reflect::Ty {
                static FIELDS: &[crate::reflect::FieldTable] = &[#(#entries),*];
                reg.model_from_table(#name_str, crate::__reflect_doc!(#doc), #extra, FIELDS)
            }
        }
    })
}

/// The function describing a field's type: its Rust type's, except where a `with` module
/// changes the wire form (volumes carried as MB or byte strings).
fn type_fn(ty: &Type, with: Option<&str>) -> Tokens {
    match with.map(|w| w.rsplit("::").next().unwrap_or(w)) {
        Some("mb") => quote!(crate::reflect::volume_mb),
        Some("bytes") => quote!(crate::reflect::volume_bytes),
        _ => quote!(<#ty as crate::reflect::Describe>::describe),
    }
}

fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none()
        && p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

/// The doc comment, one line per `///` line, trimmed.
fn doc_of(attrs: &[syn::Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs {
        if let Meta::NameValue(nv) = &attr.meta
            && nv.path.is_ident("doc")
            && let Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) = &nv.value
        {
            lines.push(s.value().trim().to_owned());
        }
    }
    lines.join("\n").trim().to_owned()
}

fn serde_of(attrs: &[syn::Attribute]) -> syn::Result<SerdeField> {
    let mut out = SerdeField::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(|i| i.to_string()).unwrap_or_default();
            match key.as_str() {
                "rename" => out.rename = Some(lit_str(&meta)?),
                "alias" => out.aliases.push(lit_str(&meta)?),
                "with" | "serialize_with" => out.with = Some(lit_str(&meta)?),
                "flatten" => out.flatten = true,
                "skip" | "skip_serializing" => out.skip = true,
                "default" => {
                    out.default = true;
                    if meta.input.peek(syn::Token![=]) {
                        lit_str(&meta)?;
                    }
                }
                _ => {
                    // Other keys (deserialize_with, skip_serializing_if, bound...) do not
                    // change the names or the shape; consume their value if any.
                    if meta.input.peek(syn::Token![=]) {
                        let _: Expr = meta.value()?.parse()?;
                    }
                }
            }
            Ok(())
        })?;
    }
    Ok(out)
}

fn lit_str(meta: &syn::meta::ParseNestedMeta) -> syn::Result<String> {
    let s: syn::LitStr = meta.value()?.parse()?;
    Ok(s.value())
}
