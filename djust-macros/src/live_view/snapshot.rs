//! State snapshots of `#[live_view(.., enable_state_snapshot)]`: which fields a snapshot
//! carries, the check that none of them looks like secret data, and the generated
//! `ViewTemplate` items (capture the public fields; restore them, `Default` the rest).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::{spanned::Spanned, Data, DeriveInput, Field, Fields, Ident, Meta, Visibility};

use crate::{
    attr,
    ctxt::Ctxt,
    symbol::{ALLOW, SKIP, SNAPSHOT},
};

/// Name fragments of fields that must not travel to the browser (case-insensitive).
const SECRET_WORDS: &[&str] = &["password", "token", "secret", "api_key", "apikey", "pii"];

/// How a field takes part in snapshots.
struct SnapshotField<'a> {
    ident: &'a Ident,
    field: &'a Field,
    /// `pub` and not `#[snapshot(skip)]`: carried by snapshots.
    carried: bool,
}

/// Reads and removes every `#[snapshot(..)]` field attribute, checking it and (for a
/// snapshot-enabled view) the names of the public fields; returns the `#[snapshot(skip)]` fields.
pub(crate) fn check_and_strip(cx: &Ctxt, input: &mut DeriveInput, enabled: bool) -> Vec<String> {
    let mut skipped = Vec::new();
    let Data::Struct(data) = &mut input.data else {
        return skipped;
    };
    let Fields::Named(fields) = &mut data.fields else {
        return skipped;
    };
    for field in &mut fields.named {
        let (mut skip, mut allow) = (false, false);
        for attr in field.attrs.iter().filter(|attr| attr.path() == &SNAPSHOT) {
            if !enabled {
                cx.error_spanned_by(
                    attr,
                    "`#[snapshot(..)]` only applies to views with \
                     `#[live_view(.., enable_state_snapshot)]`",
                );
                continue;
            }
            let Meta::List(list) = &attr.meta else {
                cx.error_spanned_by(attr, "expected `#[snapshot(skip)]` or `#[snapshot(allow)]`");
                continue;
            };
            for meta in attr::parse_list(cx, list.tokens.clone())
                .into_iter()
                .flatten()
            {
                match &meta {
                    Meta::Path(path) if path == &SKIP => skip = true,
                    Meta::Path(path) if path == &ALLOW => allow = true,
                    _ => attr::unknown(cx, "#[snapshot]", &meta, "`skip` or `allow`"),
                }
            }
        }
        field.attrs.retain(|attr| attr.path() != &SNAPSHOT);
        let (Some(ident), true) = (&field.ident, enabled) else {
            continue;
        };
        if skip {
            skipped.push(ident.to_string());
        }
        if is_public(&field.vis) && !skip && !allow {
            if let Some(word) = secret_word(&ident.to_string()) {
                cx.error_spanned_by(
                    ident,
                    format_args!(
                        "public field `{ident}` looks like secret data (its name contains \
                         `{word}`) and this view sends its public fields to the browser in state \
                         snapshots; make the field private, mark it `#[snapshot(skip)]` to keep \
                         it out of snapshots, or `#[snapshot(allow)]` if it is not secret"
                    ),
                );
            }
        }
    }
    skipped
}

/// The snapshot items of the `ViewTemplate` impl of the (already stripped) struct.
pub(crate) fn expand(input: &DeriveInput, enabled: bool, skipped: &[String]) -> TokenStream {
    let fields = fields(input, skipped);
    let private = quote!(::djust_actix::__private);
    let core = quote!(#private::djust_core);
    let map = quote!(#private::serde_json::Map<::std::string::String, #private::serde_json::Value>);
    let state = quote!(#core::snapshot::SnapshotState);
    let error = quote!(#core::snapshot::SnapshotError);
    if !enabled {
        return quote! {
            const SNAPSHOT: bool = false;
            fn capture(&self) -> ::core::option::Option<#map> {
                ::core::option::Option::None
            }
            fn restore(_: &#state) -> ::core::result::Result<Self, #error> {
                ::core::result::Result::Err(#error::Shape(
                    ::std::string::String::from("the view does not restore snapshots"),
                ))
            }
        };
    }
    let carried: Vec<_> = fields.iter().filter(|f| f.carried).collect();
    let names: Vec<String> = carried.iter().map(|f| unraw(f.ident)).collect();
    let captures = carried.iter().zip(&names).map(|(f, name)| {
        let id = f.ident;
        quote_spanned! {f.field.ty.span()=>
            map.insert(
                ::std::string::String::from(#name),
                #private::serde_json::to_value(&self.#id).ok()?,
            );
        }
    });
    let inits = fields.iter().map(|f| {
        let id = f.ident;
        if f.carried {
            let name = unraw(id);
            quote_spanned! {f.field.ty.span()=> #id: state.field(#name)?, }
        } else {
            quote_spanned! {f.field.ty.span()=> #id: ::core::default::Default::default(), }
        }
    });
    quote! {
        const SNAPSHOT: bool = true;
        fn capture(&self) -> ::core::option::Option<#map> {
            let mut map = #private::serde_json::Map::new();
            #(#captures)*
            ::core::option::Option::Some(map)
        }
        fn restore(state: &#state) -> ::core::result::Result<Self, #error> {
            state.only_keys(&[#(#names),*])?;
            ::core::result::Result::Ok(Self { #(#inits)* })
        }
    }
}

fn fields<'a>(input: &'a DeriveInput, skipped: &[String]) -> Vec<SnapshotField<'a>> {
    let Data::Struct(data) = &input.data else {
        return Vec::new();
    };
    data.fields
        .iter()
        .filter_map(|field| {
            let ident = field.ident.as_ref()?;
            let carried = is_public(&field.vis) && !skipped.contains(&ident.to_string());
            Some(SnapshotField {
                ident,
                field,
                carried,
            })
        })
        .collect()
}

/// The identifier without its `r#` prefix.
fn unraw(ident: &Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#")
        .map_or_else(|| name.clone(), str::to_owned)
}

fn is_public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// The secret-looking word in `name`, if any.
fn secret_word(name: &str) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    SECRET_WORDS
        .iter()
        .copied()
        .find(|word| name.contains(word))
}

#[cfg(test)]
mod tests {
    use super::secret_word;

    #[test]
    fn secret_words_match_case_insensitively() {
        assert_eq!(secret_word("userPassword"), Some("password"));
        assert_eq!(secret_word("API_KEY"), Some("api_key"));
        assert_eq!(secret_word("csrf_token"), Some("token"));
        assert_eq!(secret_word("pii_notes"), Some("pii"));
        assert_eq!(secret_word("items"), None);
        assert_eq!(secret_word("coupon"), None);
    }
}
