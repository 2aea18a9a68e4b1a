//! `#[live_view(template = "..." | inline = "...")]`: parse the arguments and the struct,
//! validate (shape, snapshot field names), scan the template (handlers, markup), expand (or fall
//! back so that only the real error is reported).

mod attr;
mod expand;
mod hooks;
mod snapshot;
mod template_scan;

use std::path::PathBuf;

use proc_macro2::TokenStream;
use syn::{Data, DeriveInput, Fields};

use crate::ctxt::Ctxt;
use attr::Args;

/// Expands `#[live_view(args)] item`.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let original = item.clone();
    let mut input: DeriveInput = match syn::parse2(item) {
        Ok(input) => input,
        Err(error) => {
            let message = "`#[live_view]` applies to a struct with named fields";
            let error = syn::Error::new(error.span(), message).into_compile_error();
            return quote::quote!(#error #original);
        }
    };
    let cx = Ctxt::new();
    let args = Args::parse(&cx, args);
    check_shape(&cx, &input);
    let enabled = args.as_ref().is_some_and(|args| args.snapshot);
    let skipped = snapshot::check_and_strip(&cx, &mut input, enabled);
    let scan = args.as_ref().and_then(|args| {
        let literal = args.template.literal();
        let scan = template_scan::scan(&templates_dir(), &args.template)
            .map_err(|message| cx.error_spanned_by(literal, message))
            .ok()?;
        for problem in &scan.problems {
            cx.error_spanned_by(literal, problem);
        }
        Some(scan)
    });
    match (cx.check(), args, scan) {
        (Ok(()), Some(args), Some(scan)) => {
            let mut items = snapshot::expand(&input, args.snapshot, &skipped);
            if args.drop_after_remount {
                items.extend(quote::quote! {
                    const AFTER_REMOUNT: ::djust_actix::__private::djust_core::AfterRemount =
                        ::djust_actix::__private::djust_core::AfterRemount::Drop;
                });
            }
            expand::view(&input, &args, &scan, &items)
        }
        (result, ..) => expand::fallback(&input, result.err()),
    }
}

/// Live views are structs with named fields and no generics.
fn check_shape(cx: &Ctxt, input: &DeriveInput) {
    let name = &input.ident;
    match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(_) => {}
            Fields::Unnamed(fields) => cx.error_spanned_by(
                fields,
                format_args!(
                    "a live view needs named fields, the template reads them by name: \
                     `struct {name} {{ count: i64 }}`"
                ),
            ),
            Fields::Unit => cx.error_spanned_by(
                name,
                format_args!(
                    "a live view needs named fields (write `struct {name} {{}}` for a view \
                     without state)"
                ),
            ),
        },
        Data::Enum(data) => cx.error_spanned_by(
            data.enum_token,
            "`#[live_view]` applies to a struct with named fields, not an enum",
        ),
        Data::Union(data) => cx.error_spanned_by(
            data.union_token,
            "`#[live_view]` applies to a struct with named fields, not a union",
        ),
    }
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        cx.error_spanned_by(&input.generics, "live views cannot be generic");
    }
}

/// `$CARGO_MANIFEST_DIR/templates`, where askama looks by default.
fn templates_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from("."), PathBuf::from)
        .join("templates")
}
