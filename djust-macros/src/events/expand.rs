//! Code generation for `#[events]`: the `LiveView` impl.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::{
    spanned::Spanned, FnArg, GenericArgument, Ident, ImplItemFn, Pat, PathArguments, ReturnType,
    Type, TypeReference,
};

use super::ast::{Events, Handler};
use crate::symbol::MOUNT_CONTEXT;

/// `impl LiveView for View`, dispatching to the block's methods.
pub(crate) fn live_view(events: &Events<'_>) -> TokenStream {
    let self_ty = &events.item.self_ty;
    let info = info_type(events);
    let names = events.handlers.iter().map(|handler| &handler.name);
    let arms = events.handlers.iter().map(|handler| arm(events, handler));
    let mount = mount(events);
    let snapshot = snapshot(events);
    let handle_info = events.handle_info.map(|func| {
        let ctx = typed_arg(func, 1).map(|ty| pass_context(events, ty, quote!(ctx)));
        quote! {
            fn handle_info(
                &mut self,
                info: Self::Info,
                ctx: &mut ::djust_actix::__private::djust_core::Context<Self::Info>,
            ) {
                let _ = &ctx;
                Self::handle_info(self, info, #ctx)
            }
        }
    });
    let template = quote_spanned!(self_ty.span()=>
        <Self as ::djust_actix::__private::ViewTemplate>
    );
    let title = match events.title {
        Some(func) => {
            let span = match &func.sig.output {
                ReturnType::Type(_, ty) => ty.span(),
                ReturnType::Default => func.sig.ident.span(),
            };
            quote_spanned!(span=> ::core::convert::Into::into(Self::title(self)))
        }
        None => quote! {
            ::core::option::Option::map(#template::TITLE, ::std::string::String::from)
        },
    };
    quote! {
        impl ::djust_actix::__private::djust_core::LiveView for #self_ty {
            type Info = #info;

            const NAME: &'static str = #template::NAME;
            const EVENTS: &'static [&'static str] = &[#(#names),*];

            fn mount(
                ctx: &mut ::djust_actix::__private::djust_core::MountContext<'_, Self::Info>,
            ) -> ::core::result::Result<Self, ::djust_actix::__private::djust_core::MountError> {
                let _ = &ctx;
                #mount
            }

            fn render(
                &self,
                out: &mut ::std::string::String,
            ) -> ::core::result::Result<(), ::djust_actix::__private::djust_core::RenderError> {
                #template::render_template(self, out)
            }

            fn handle_event(
                &mut self,
                event: &str,
                params: &::djust_actix::__private::djust_core::Params,
                ctx: &mut ::djust_actix::__private::djust_core::Context<Self::Info>,
            ) -> ::core::result::Result<(), ::djust_actix::__private::djust_core::EventError> {
                let _ = (&params, &ctx);
                match event {
                    #(#arms)*
                    _ => ::core::result::Result::Err(
                        ::djust_actix::__private::djust_core::EventError::UnknownEvent {
                            event: ::std::borrow::ToOwned::to_owned(event),
                        },
                    ),
                }
            }

            #handle_info

            fn title(&self) -> ::core::option::Option<::std::string::String> {
                #title
            }

            #snapshot
        }
    }
}

/// The snapshot items: from `#[live_view]`'s `ViewTemplate`, or the block's overrides.
fn snapshot(events: &Events<'_>) -> TokenStream {
    let self_ty = &events.item.self_ty;
    let private = quote!(::djust_actix::__private);
    let core = quote!(#private::djust_core);
    let hidden = quote_spanned!(self_ty.span()=> <Self as #private::ViewTemplate>);
    let restore = match events.restore_snapshot {
        Some(func) => {
            let ctx = typed_arg(func, 1).map(|ty| pass_context(events, ty, quote!(ctx)));
            quote_spanned!(func.sig.output.span()=> Self::restore_snapshot(state, #ctx))
        }
        None => quote!({
            let _ = ctx;
            #hidden::restore(state)
        }),
    };
    let should = events.should_restore_snapshot.map(|func| {
        let ctx = typed_arg(func, 1).map(|ty| pass_context(events, ty, quote!(ctx)));
        let call =
            quote_spanned!(func.sig.output.span()=> Self::should_restore_snapshot(state, #ctx));
        quote! {
            fn should_restore_snapshot(
                state: &#core::snapshot::SnapshotState,
                ctx: &#core::MountContext<'_, Self::Info>,
            ) -> bool {
                #call
            }
        }
    });
    quote! {
        const SNAPSHOT: bool = #hidden::SNAPSHOT;
        const AFTER_REMOUNT: #core::AfterRemount = #hidden::AFTER_REMOUNT;

        fn snapshot(
            &self,
        ) -> ::core::option::Option<
            #private::serde_json::Map<::std::string::String, #private::serde_json::Value>,
        > {
            #hidden::capture(self)
        }

        fn restore_snapshot(
            state: &#core::snapshot::SnapshotState,
            ctx: &mut #core::MountContext<'_, Self::Info>,
        ) -> ::core::result::Result<Self, #core::snapshot::SnapshotError> {
            #restore
        }

        #should
    }
}

/// `handle_info`'s message type, or `()`.
pub(crate) fn info_type(events: &Events<'_>) -> TokenStream {
    match events.info() {
        Some(ty) => quote!(#ty),
        None => quote!(()),
    }
}

/// The body of `LiveView::mount`: the block's `mount`, or `Default::default()`.
fn mount(events: &Events<'_>) -> TokenStream {
    let Some(func) = events.mount else {
        let self_ty = &events.item.self_ty;
        return quote_spanned! {self_ty.span()=>
            ::core::result::Result::Ok(<Self as ::core::default::Default>::default())
        };
    };
    let args = typed_arg(func, 0).map(|ty| pass_context(events, ty, quote!(ctx)));
    let call = quote!(Self::mount(#args));
    match &func.sig.output {
        ReturnType::Type(_, ty) if is_result(ty) => call,
        _ => quote!(::core::result::Result::Ok(#call)),
    }
}

/// One `match` arm of `handle_event`: extract every parameter, then call the handler.
fn arm(events: &Events<'_>, handler: &Handler<'_>) -> TokenStream {
    let name = &handler.name;
    let method = &handler.func.sig.ident;
    let mut extract = Vec::new();
    let mut call_args = Vec::new();
    for (index, arg) in handler.args.iter().enumerate() {
        if arg.is_context {
            call_args.push(pass_context(events, arg.ty, quote!(ctx)));
            continue;
        }
        let Pat::Ident(pat) = arg.pat else {
            continue;
        };
        let param = super::ast::unraw(&pat.ident);
        let value = format_ident!("__djust_arg{}", index);
        let ty = arg.ty;
        extract.push(quote_spanned! {ty.span()=>
            let #value = ::djust_actix::__private::extract_param::<#ty>(
                params,
                ::djust_actix::__private::ParamSource { event: #name, param: #param },
            )?;
        });
        call_args.push(quote!(#value));
    }
    let output_span = match &handler.func.sig.output {
        ReturnType::Type(_, ty) => ty.span(),
        ReturnType::Default => method.span(),
    };
    let into_result = quote_spanned! {output_span=>
        ::djust_actix::__private::HandlerOutput::into_event_result(output, #name)
    };
    quote! {
        #name => {
            #(#extract)*
            let output = Self::#method(self, #(#call_args),*);
            #into_result
        }
    }
}

/// `ctx` passed to a method that declares it as `declared` (`&mut Context<Msg>`,
/// `&MountContext<'_, Msg>`...), through the identity trait whose failure (`Msg` is not the
/// view's `Info`) is reported at `Msg` and says where the view's `Info` comes from.
fn pass_context(events: &Events<'_>, declared: &Type, ctx: TokenStream) -> TokenStream {
    let Some((reference, kind, info)) = context_parts(declared) else {
        return ctx;
    };
    let check = if events.handle_info.is_some() {
        quote!(InfoFromHandleInfo)
    } else {
        quote!(InfoWithoutHandleInfo)
    };
    let check = quote_spanned!(info.span()=>
        <Self::Info as ::djust_actix::__private::#check<#info>>
    );
    let shared = reference.mutability.is_none();
    match (*kind == MOUNT_CONTEXT, shared) {
        (false, false) => quote_spanned!(info.span()=> #check::context(#ctx)),
        (false, true) => quote_spanned!(info.span()=> &*#check::context(#ctx)),
        (true, false) => quote_spanned!(info.span()=> #check::mount_context(#ctx)),
        (true, true) => quote_spanned!(info.span()=> #check::shared_mount_context(&*#ctx)),
    }
}

/// `&mut Context<Msg>` as its reference, its type name and `Msg`.
fn context_parts(ty: &Type) -> Option<(&TypeReference, &Ident, &Type)> {
    let Type::Reference(reference) = ty else {
        return None;
    };
    let Type::Path(path) = &*reference.elem else {
        return None;
    };
    let segment = path.path.segments.last()?;
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    let info = args.args.iter().rev().find_map(|arg| match arg {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    })?;
    Some((reference, &segment.ident, info))
}

/// The type of the `index`th argument after the receiver.
fn typed_arg(func: &ImplItemFn, index: usize) -> Option<&Type> {
    func.sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Typed(arg) => Some(&*arg.ty),
            FnArg::Receiver(_) => None,
        })
        .nth(index)
}

/// `Result<..>` by its last path segment (aliases such as `anyhow::Result` included).
fn is_result(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "Result"))
}
