//! Code generation for `#[live_view]`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::{DeriveInput, LitStr};

use super::{attr::Args, template_scan::Scan};

/// The struct with askama's derive (a template file, or the inline source as HTML), its
/// `ViewTemplate` impl (with the `snapshot` items), rebuild tracking for every template file
/// read, and one compile-time check per handler the templates name.
pub(crate) fn view(
    input: &DeriveInput,
    args: &Args,
    scan: &Scan,
    snapshot: &TokenStream,
) -> TokenStream {
    let ident = &input.ident;
    let view = ident.to_string();
    let literal = args.template.literal();
    let source = match &scan.root {
        Some(root) => {
            let path = LitStr::new(&root.to_string_lossy(), literal.span());
            quote!(path = #path)
        }
        None => quote!(source = #literal, ext = "html"),
    };
    let title = match &args.title {
        Some(title) => quote!(::core::option::Option::Some(#title)),
        None => quote!(::core::option::Option::None),
    };
    let tracked = scan.files.iter().map(|file| {
        let file = file.to_string_lossy();
        quote!(
            const _: &[u8] = ::core::include_bytes!(#file);
        )
    });
    // Every check names `<View as LiveView>` with the same span, so a missing `#[events]`
    // is reported once.
    let live_view = quote_spanned!(ident.span()=>
        <#ident as ::djust_actix::__private::djust_core::LiveView>
    );
    let checks = scan.handlers.iter().map(|used| {
        let (attr, name, place) = (used.attr, &used.name, &used.place);
        quote_spanned! {literal.span()=>
            const _: () = ::djust_actix::__private::check_handler(
                #live_view::EVENTS, #view, #place, #attr, #name,
            );
        }
    });
    quote! {
        #[derive(::djust_actix::__private::askama::Template)]
        #[template(#source, askama = ::djust_actix::__private::askama)]
        #input

        const _: () = {
            #(#tracked)*

            impl ::djust_actix::__private::ViewTemplate for #ident {
                const NAME: &'static str = ::core::concat!(::core::module_path!(), "::", #view);
                const TITLE: ::core::option::Option<&'static str> = #title;

                fn render_template(
                    &self,
                    out: &mut ::std::string::String,
                ) -> ::core::result::Result<(), ::djust_actix::__private::djust_core::RenderError> {
                    ::djust_actix::__private::askama::Template::render_into(self, out).map_err(
                        |error| ::djust_actix::__private::djust_core::RenderError::new(
                            ::std::string::ToString::to_string(&error),
                        ),
                    )
                }

                #snapshot
            }

            const _: &[&str] = #live_view::EVENTS;
            #(#checks)*
        };
    }
}

/// The item (its `#[snapshot]` attributes stripped) plus `error`, and a stub `ViewTemplate`
/// impl so that `#[events]` does not add errors of its own.
pub(crate) fn fallback(input: &DeriveInput, error: Option<syn::Error>) -> TokenStream {
    let error = error.map(syn::Error::into_compile_error);
    let ident = &input.ident;
    let snapshot_stub = super::snapshot::expand(input, false, &[]);
    let stub = input.generics.params.is_empty().then(|| {
        quote! {
            impl ::djust_actix::__private::ViewTemplate for #ident {
                const NAME: &'static str = "";
                const TITLE: ::core::option::Option<&'static str> = ::core::option::Option::None;

                fn render_template(
                    &self,
                    _: &mut ::std::string::String,
                ) -> ::core::result::Result<(), ::djust_actix::__private::djust_core::RenderError> {
                    ::core::result::Result::Ok(())
                }

                #snapshot_stub
            }
        }
    });

    quote! {
        #error
        #input
        #stub
    }
}
