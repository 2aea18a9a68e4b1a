//! Attribute arguments shared by the macros: `key = "string"` lists.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{parse::Parser, punctuated::Punctuated, Expr, ExprLit, Lit, LitStr, Meta, Token};

use crate::{ctxt::Ctxt, symbol::Symbol};

/// Parses `a = "x", b = "y"`; a malformed list is reported to `cx`.
pub(crate) fn parse_list(cx: &Ctxt, tokens: TokenStream) -> Option<Punctuated<Meta, Token![,]>> {
    Punctuated::parse_terminated
        .parse2(tokens)
        .map_err(|error| cx.syn_error(error))
        .ok()
}

/// Reports an argument no key matched.
pub(crate) fn unknown(cx: &Ctxt, attribute: &str, meta: &Meta, expected: &str) {
    let path = meta.path();
    cx.error_spanned_by(
        path,
        format_args!(
            "unknown `{attribute}` argument `{}` (expected {expected})",
            path.to_token_stream(),
        ),
    );
}

/// One `key = "string"` argument, given at most once.
pub(crate) struct StringArg<'c> {
    cx: &'c Ctxt,
    key: Symbol,
    seen: bool,
    value: Option<LitStr>,
}

impl<'c> StringArg<'c> {
    /// An argument not given yet.
    pub(crate) fn new(cx: &'c Ctxt, key: Symbol) -> Self {
        Self {
            cx,
            key,
            seen: false,
            value: None,
        }
    }

    /// Takes `meta` if its key matches; `false` when it is another argument.
    pub(crate) fn take(&mut self, meta: &Meta) -> bool {
        if meta.path() != &self.key {
            return false;
        }
        if self.seen {
            self.cx.error_spanned_by(
                meta.path(),
                format_args!("duplicate `{}` argument", self.key),
            );
            return true;
        }
        self.seen = true;
        match meta {
            Meta::NameValue(pair) => match &pair.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(value),
                    ..
                }) => self.value = Some(value.clone()),
                other => self.cx.error_spanned_by(
                    other,
                    format_args!("`{}` expects a string literal", self.key),
                ),
            },
            _ => self
                .cx
                .error_spanned_by(meta, format_args!("expected `{} = \"...\"`", self.key)),
        }
        true
    }

    /// Whether the argument was given (even if its value was invalid).
    pub(crate) fn seen(&self) -> bool {
        self.seen
    }

    /// The value, if given and valid.
    pub(crate) fn value(self) -> Option<LitStr> {
        self.value
    }
}
