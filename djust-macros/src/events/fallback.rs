//! What `#[events]` emits when the block has errors: the errors and a stub `LiveView` impl, so
//! that code using the view (and `#[live_view]`'s handler checks) adds no errors of its own.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ast::Events, expand::info_type};
use crate::symbol::LIVE_VIEW;

/// `error`, plus a stub impl unless the block is generic or already implements `LiveView`.
pub(crate) fn expand(events: &Events<'_>, error: &syn::Error) -> TokenStream {
    let error = error.to_compile_error();
    let item = events.item;
    let is_live_view_impl = item
        .trait_
        .as_ref()
        .is_some_and(|(_, path, _)| path.segments.last().is_some_and(|s| s.ident == LIVE_VIEW));
    if is_live_view_impl || !item.generics.params.is_empty() {
        return error;
    }
    let self_ty = &item.self_ty;
    let info = info_type(events);
    let names = events.handlers.iter().map(|handler| &handler.name);
    quote! {
        #error

        impl ::djust_actix::__private::djust_core::LiveView for #self_ty {
            type Info = #info;

            const NAME: &'static str = "";
            const EVENTS: &'static [&'static str] = &[#(#names),*];

            fn mount(
                _: &mut ::djust_actix::__private::djust_core::MountContext<'_, Self::Info>,
            ) -> ::core::result::Result<Self, ::djust_actix::__private::djust_core::MountError> {
                ::core::unreachable!()
            }

            fn render(
                &self,
                _: &mut ::std::string::String,
            ) -> ::core::result::Result<(), ::djust_actix::__private::djust_core::RenderError> {
                ::core::unreachable!()
            }

            fn handle_event(
                &mut self,
                _: &str,
                _: &::djust_actix::__private::djust_core::Params,
                _: &mut ::djust_actix::__private::djust_core::Context<Self::Info>,
            ) -> ::core::result::Result<(), ::djust_actix::__private::djust_core::EventError> {
                ::core::unreachable!()
            }
        }
    }
}
