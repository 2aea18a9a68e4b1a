//! `#[events] impl View { ... }`: read the block, validate it, implement `LiveView` (or fall
//! back so that only the real error is reported).

mod ast;
mod expand;
mod fallback;
mod valid;

use proc_macro2::TokenStream;
use quote::quote;
use syn::{ImplItem, ItemImpl};

use crate::{ctxt::Ctxt, symbol::EVENT};
use ast::Events;

/// Expands `#[events(args)] item`.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let original = item.clone();
    let mut item: ItemImpl = match syn::parse2(item) {
        Ok(input) => input,
        Err(error) => {
            let message = "`#[events]` applies to an `impl View { ... }` block";
            let error = syn::Error::new(error.span(), message).into_compile_error();
            return quote!(#error #original);
        }
    };
    let cx = Ctxt::new();
    if !args.is_empty() {
        cx.error_spanned_by(args, "`#[events]` takes no arguments");
    }
    let events = Events::from_syn(&cx, &item);
    valid::check(&cx, &events);
    let generated = match cx.check() {
        Ok(()) => expand::live_view(&events),
        Err(error) => fallback::expand(&events, &error),
    };
    strip_event_attrs(&mut item);
    quote! {
        #item
        #generated
    }
}

/// `#[event]` is read by this macro only; the compiler must not see it.
fn strip_event_attrs(item: &mut ItemImpl) {
    for impl_item in &mut item.items {
        let attrs = match impl_item {
            ImplItem::Fn(item) => &mut item.attrs,
            ImplItem::Const(item) => &mut item.attrs,
            ImplItem::Type(item) => &mut item.attrs,
            ImplItem::Macro(item) => &mut item.attrs,
            _ => continue,
        };
        attrs.retain(|attr| attr.path() != &EVENT);
    }
}
