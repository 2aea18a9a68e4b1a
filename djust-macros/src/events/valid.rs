//! The rules an `#[events]` block must follow; every broken rule is reported.

use quote::ToTokens;
use syn::{
    FnArg, GenericArgument, Generics, ImplItemFn, Pat, PathArguments, ReturnType, Signature, Type,
    TypeReference,
};

use super::ast::{is_context, Events, Handler};
use crate::{
    ctxt::Ctxt,
    symbol::{CONTEXT, MOUNT_CONTEXT},
};

const MOUNT_SIGNATURE: &str = "`mount` must be `fn mount(ctx: &mut MountContext<'_, Info>) -> \
                               Result<Self, MountError>` (or return `Self`)";
const RESTORE_SIGNATURE: &str = "`restore_snapshot` must be `fn restore_snapshot(state: \
                                 &SnapshotState, ctx: &mut MountContext<'_, Info>) -> \
                                 Result<Self, SnapshotError>`";
const SHOULD_RESTORE_SIGNATURE: &str = "`should_restore_snapshot` must be \
                                        `fn should_restore_snapshot(state: &SnapshotState, ctx: \
                                        &MountContext<'_, Info>) -> bool`";
const HANDLE_INFO_SIGNATURE: &str =
    "`handle_info` must be `fn handle_info(&mut self, msg: Info, ctx: &mut Context<Info>)`";

/// Checks the block, its handlers, `mount` and `handle_info`.
pub(crate) fn check(cx: &Ctxt, events: &Events<'_>) {
    let item = events.item;
    if let Some((_, path, _)) = &item.trait_ {
        cx.error_spanned_by(
            path,
            "`#[events]` goes on an inherent `impl View { ... }` block, not on a trait impl",
        );
    }
    if is_generic(&item.generics) {
        cx.error_spanned_by(&item.generics, "`#[events]` does not support generic views");
    }
    for (index, handler) in events.handlers.iter().enumerate() {
        check_handler(cx, handler);
        if events.handlers[..index]
            .iter()
            .any(|h| h.name == handler.name)
        {
            cx.syn_error(syn::Error::new(
                handler.name_span,
                format_args!("duplicate event handler `{}`", handler.name),
            ));
        }
    }
    if let Some(mount) = events.mount {
        check_mount(cx, mount);
    }
    if let Some(handle_info) = events.handle_info {
        check_handle_info(cx, handle_info);
    }
    if let Some(restore) = events.restore_snapshot {
        check_snapshot_hook(cx, restore, "`restore_snapshot`", RESTORE_SIGNATURE);
    }
    if let Some(should) = events.should_restore_snapshot {
        check_snapshot_hook(
            cx,
            should,
            "`should_restore_snapshot`",
            SHOULD_RESTORE_SIGNATURE,
        );
    }
}

/// The snapshot overrides are associated functions of `(state, ctx)` with a return value.
fn check_snapshot_hook(cx: &Ctxt, func: &ImplItemFn, what: &str, signature: &str) {
    let sig = &func.sig;
    check_plain_fn(cx, sig, what);
    let mut inputs = sig.inputs.iter();
    let args_ok = matches!(
        (inputs.next(), inputs.next(), inputs.next()),
        (Some(FnArg::Typed(_)), Some(FnArg::Typed(ctx)), None) if is_context(&ctx.ty, MOUNT_CONTEXT)
    );
    if !args_ok {
        cx.error_spanned_by(&sig.inputs, signature);
    }
    if matches!(sig.output, ReturnType::Default) {
        cx.error_spanned_by(&sig.ident, signature);
    }
}

fn check_handler(cx: &Ctxt, handler: &Handler<'_>) {
    let sig = &handler.func.sig;
    check_plain_fn(cx, sig, "event handlers");
    if !takes_mut_self(sig) {
        let receiver = sig
            .inputs
            .first()
            .filter(|arg| matches!(arg, FnArg::Receiver(_)));
        match receiver {
            Some(receiver) => cx.error_spanned_by(receiver, "event handlers take `&mut self`"),
            None => cx.error_spanned_by(
                &sig.ident,
                "event handlers take `&mut self` as their first argument",
            ),
        }
    }
    let mut contexts = handler.args.iter().filter(|arg| arg.is_context);
    if contexts.next().is_some() {
        for extra in contexts {
            cx.error_spanned_by(
                extra.ty,
                "an event handler takes at most one `&mut Context`",
            );
        }
    }
    for arg in handler.args.iter().filter(|arg| !arg.is_context) {
        if !matches!(arg.pat, Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none()) {
            cx.error_spanned_by(
                arg.pat,
                "event parameters must be plain names: the name is the parameter the event \
                 carries (`step: i64` reads `params.step`)",
            );
        }
        if let Some(reference) = find_reference(arg.ty) {
            cx.error_spanned_by(reference, borrowed_param_message(reference));
        }
    }
}

/// The first reference inside `ty` (`&str`, `Option<&str>`, `Vec<&[u8]>`...).
fn find_reference(ty: &Type) -> Option<&TypeReference> {
    match ty {
        Type::Reference(reference) => Some(reference),
        Type::Paren(inner) => find_reference(&inner.elem),
        Type::Group(inner) => find_reference(&inner.elem),
        Type::Array(inner) => find_reference(&inner.elem),
        Type::Slice(inner) => find_reference(&inner.elem),
        Type::Tuple(tuple) => tuple.elems.iter().find_map(find_reference),
        Type::Path(path) => path.path.segments.iter().find_map(|segment| {
            let PathArguments::AngleBracketed(args) = &segment.arguments else {
                return None;
            };
            args.args.iter().find_map(|arg| match arg {
                GenericArgument::Type(ty) => find_reference(ty),
                _ => None,
            })
        }),
        _ => None,
    }
}

/// Why a borrowed event parameter cannot work, and the owned type to write instead.
fn borrowed_param_message(reference: &TypeReference) -> String {
    let owned = match &*reference.elem {
        Type::Path(path) if path.path.is_ident("str") => "String".to_owned(),
        Type::Slice(slice) => format!("Vec<{}>", type_name(&slice.elem)),
        elem => type_name(elem),
    };
    format!(
        "event parameters cannot borrow: each is deserialized from the event's JSON into a \
         value the handler owns; use `{owned}` instead of `{}`",
        type_name(reference)
    )
}

/// `ty` as written, without the spaces token printing puts around `&`, `<`, `>` and `::`.
fn type_name(ty: &impl ToTokens) -> String {
    let mut name = ty.to_token_stream().to_string();
    for (spaced, tight) in [
        ("& ", "&"),
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ,", ","),
        (" :: ", "::"),
    ] {
        name = name.replace(spaced, tight);
    }
    name
}

fn check_mount(cx: &Ctxt, mount: &ImplItemFn) {
    let sig = &mount.sig;
    check_plain_fn(cx, sig, "`mount`");
    let mut inputs = sig.inputs.iter();
    let args_ok = match (inputs.next(), inputs.next()) {
        (None, None) => true,
        (Some(FnArg::Typed(arg)), None) => is_context(&arg.ty, MOUNT_CONTEXT),
        _ => false,
    };
    if !args_ok {
        cx.error_spanned_by(&sig.inputs, MOUNT_SIGNATURE);
    }
    if matches!(sig.output, ReturnType::Default) {
        cx.error_spanned_by(&sig.ident, MOUNT_SIGNATURE);
    }
}

fn check_handle_info(cx: &Ctxt, handle_info: &ImplItemFn) {
    let sig = &handle_info.sig;
    check_plain_fn(cx, sig, "`handle_info`");
    let mut inputs = sig.inputs.iter().skip(1);
    let args_ok = takes_mut_self(sig)
        && match (inputs.next(), inputs.next(), inputs.next()) {
            (Some(FnArg::Typed(_)), None, None) => true,
            (Some(FnArg::Typed(_)), Some(FnArg::Typed(ctx)), None) => is_context(&ctx.ty, CONTEXT),
            _ => false,
        };
    if !args_ok {
        cx.error_spanned_by(&sig.inputs, HANDLE_INFO_SIGNATURE);
    }
    if let ReturnType::Type(_, ty) = &sig.output {
        cx.error_spanned_by(ty, "`handle_info` returns nothing");
    }
}

/// No `async`, no generics: the macro calls the method directly.
fn check_plain_fn(cx: &Ctxt, sig: &Signature, what: &str) {
    if let Some(asyncness) = &sig.asyncness {
        cx.error_spanned_by(asyncness, format_args!("{what} cannot be `async`"));
    }
    if is_generic(&sig.generics) {
        cx.error_spanned_by(&sig.generics, format_args!("{what} cannot be generic"));
    }
}

fn takes_mut_self(sig: &Signature) -> bool {
    matches!(
        sig.inputs.first(),
        Some(FnArg::Receiver(receiver))
            if matches!(&*receiver.ty, Type::Reference(r) if r.mutability.is_some())
    )
}

fn is_generic(generics: &Generics) -> bool {
    !generics.params.is_empty() || generics.where_clause.is_some()
}
