//! The `#[events]` impl block as the macro sees it: handlers, `mount`, `handle_info`, `title`,
//! the snapshot overrides.

use proc_macro2::Span;
use syn::{
    Attribute, FnArg, Ident, ImplItem, ImplItemFn, ItemImpl, Meta, Pat, PatType, Type, TypePath,
};

use crate::{
    attr::{self, StringArg},
    ctxt::Ctxt,
    symbol::{
        Symbol, CONTEXT, EVENT, HANDLE_INFO, MOUNT, NAME, RESTORE_SNAPSHOT,
        SHOULD_RESTORE_SNAPSHOT, TITLE,
    },
};

/// An `#[events] impl View { ... }` block.
pub(crate) struct Events<'a> {
    /// The impl block as written.
    pub(crate) item: &'a ItemImpl,
    /// `#[event]` methods, in declaration order.
    pub(crate) handlers: Vec<Handler<'a>>,
    /// `fn mount(ctx: &mut MountContext<'_, Info>) -> ...`, if present.
    pub(crate) mount: Option<&'a ImplItemFn>,
    /// `fn handle_info(&mut self, msg: Info, ctx: &mut Context<Info>)`, if present.
    pub(crate) handle_info: Option<&'a ImplItemFn>,
    /// `fn title(&self) -> ...`, if present.
    pub(crate) title: Option<&'a ImplItemFn>,
    /// `fn restore_snapshot(state, ctx) -> Result<Self, SnapshotError>`, if present.
    pub(crate) restore_snapshot: Option<&'a ImplItemFn>,
    /// `fn should_restore_snapshot(state, ctx) -> bool`, if present.
    pub(crate) should_restore_snapshot: Option<&'a ImplItemFn>,
}

/// One `#[event]` method.
pub(crate) struct Handler<'a> {
    /// The method.
    pub(crate) func: &'a ImplItemFn,
    /// The event name (the method name, or `#[event(name = "...")]`).
    pub(crate) name: String,
    /// Where the name is written.
    pub(crate) name_span: Span,
    /// The arguments after the receiver.
    pub(crate) args: Vec<Arg<'a>>,
}

/// One handler argument: an event parameter, or the `&mut Context` the handler runs in.
pub(crate) struct Arg<'a> {
    /// The argument's pattern (an identifier for parameters).
    pub(crate) pat: &'a Pat,
    /// The argument's type.
    pub(crate) ty: &'a Type,
    /// `true` for a `&mut Context<..>` argument.
    pub(crate) is_context: bool,
}

impl<'a> Events<'a> {
    /// Reads the impl block; attribute errors go to `cx`.
    pub(crate) fn from_syn(cx: &Ctxt, item: &'a ItemImpl) -> Self {
        let mut events = Self {
            item,
            handlers: Vec::new(),
            mount: None,
            handle_info: None,
            title: None,
            restore_snapshot: None,
            should_restore_snapshot: None,
        };
        for impl_item in &item.items {
            let ImplItem::Fn(func) = impl_item else {
                for attr in item_attrs(impl_item).iter().filter(|a| a.path() == &EVENT) {
                    cx.error_spanned_by(attr, "`#[event]` goes on a method");
                }
                continue;
            };
            if let Some(handler) = Handler::from_syn(cx, func) {
                events.handlers.push(handler);
            } else if func.sig.ident == MOUNT {
                events.mount = Some(func);
            } else if func.sig.ident == HANDLE_INFO {
                events.handle_info = Some(func);
            } else if func.sig.ident == TITLE && is_title(func) {
                events.title = Some(func);
            } else if func.sig.ident == RESTORE_SNAPSHOT {
                events.restore_snapshot = Some(func);
            } else if func.sig.ident == SHOULD_RESTORE_SNAPSHOT {
                events.should_restore_snapshot = Some(func);
            }
        }
        events
    }

    /// The `Info` type: `handle_info`'s message type, if it has one.
    pub(crate) fn info(&self) -> Option<&'a Type> {
        let func = self.handle_info?;
        func.sig.inputs.iter().find_map(|input| match input {
            FnArg::Typed(PatType { ty, .. }) => Some(&**ty),
            FnArg::Receiver(_) => None,
        })
    }
}

impl<'a> Handler<'a> {
    /// The handler of `func`, or `None` when it has no `#[event]` attribute.
    fn from_syn(cx: &Ctxt, func: &'a ImplItemFn) -> Option<Self> {
        let mut attrs = func.attrs.iter().filter(|a| a.path() == &EVENT);
        let attr = attrs.next()?;
        for duplicate in attrs {
            cx.error_spanned_by(duplicate, "duplicate `#[event]` attribute");
        }
        let (name, name_span) = match event_name(cx, attr) {
            Some(name) => (name.value(), name.span()),
            None => (unraw(&func.sig.ident), func.sig.ident.span()),
        };
        let args = func
            .sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                FnArg::Typed(PatType { pat, ty, .. }) => Some(Arg {
                    pat,
                    ty,
                    is_context: is_context(ty, CONTEXT),
                }),
                FnArg::Receiver(_) => None,
            })
            .collect();
        Some(Self {
            func,
            name,
            name_span,
            args,
        })
    }
}

/// The `name = "..."` of `#[event(...)]`, if given and valid.
fn event_name(cx: &Ctxt, attr: &Attribute) -> Option<syn::LitStr> {
    let list = match &attr.meta {
        Meta::Path(_) => return None,
        Meta::List(list) => list,
        Meta::NameValue(_) => {
            cx.error_spanned_by(attr, "expected `#[event]` or `#[event(name = \"...\")]`");
            return None;
        }
    };
    let mut name = StringArg::new(cx, NAME);
    for meta in &attr::parse_list(cx, list.tokens.clone())? {
        if !name.take(meta) {
            attr::unknown(cx, "#[event]", meta, "`name`");
        }
    }
    let name = name.value()?;
    if name.value().is_empty() {
        cx.error_spanned_by(&name, "an event name cannot be empty");
    }
    Some(name)
}

/// `title` is wired to `LiveView::title` when it is `fn title(&self) -> ...`.
fn is_title(func: &ImplItemFn) -> bool {
    let mut inputs = func.sig.inputs.iter();
    matches!(
        (inputs.next(), inputs.next()),
        (Some(FnArg::Receiver(receiver)), None)
            if receiver.reference.is_some() && receiver.mutability.is_none()
    )
}

/// `true` when `ty` is a reference to a path type named `name` (`&mut Context<Info>`).
pub(crate) fn is_context(ty: &Type, name: Symbol) -> bool {
    let Type::Reference(reference) = ty else {
        return false;
    };
    let Type::Path(TypePath { qself: None, path }) = &*reference.elem else {
        return false;
    };
    path.segments.last().is_some_and(|s| s.ident == name)
}

/// The identifier without its `r#` prefix.
pub(crate) fn unraw(ident: &Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#")
        .map_or_else(|| name.clone(), str::to_owned)
}

fn item_attrs(item: &ImplItem) -> &[Attribute] {
    match item {
        ImplItem::Const(item) => &item.attrs,
        ImplItem::Type(item) => &item.attrs,
        ImplItem::Macro(item) => &item.attrs,
        _ => &[],
    }
}
