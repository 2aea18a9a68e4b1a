//! Parsing `#[live_view(template = "...", title = "...", enable_state_snapshot)]`.

use proc_macro2::{Span, TokenStream};
use syn::{LitStr, Meta};

use crate::{
    attr::{self, StringArg},
    ctxt::Ctxt,
    symbol::{ENABLE_STATE_SNAPSHOT, TEMPLATE, TITLE},
};

/// The arguments of `#[live_view(...)]`.
#[derive(Debug)]
pub(crate) struct Args {
    /// Template path, relative to the crate's `templates/` directory.
    pub(crate) template: LitStr,
    /// Static page title.
    pub(crate) title: Option<LitStr>,
    /// `enable_state_snapshot`: the view's public state is snapshotted for back-navigation.
    pub(crate) snapshot: bool,
}

impl Args {
    /// Parses the arguments, reporting every problem to `cx`; `None` without a usable template.
    pub(crate) fn parse(cx: &Ctxt, tokens: TokenStream) -> Option<Self> {
        let metas = attr::parse_list(cx, tokens)?;
        let mut template = StringArg::new(cx, TEMPLATE);
        let mut title = StringArg::new(cx, TITLE);
        let mut snapshot = false;
        for meta in &metas {
            if meta.path() == &ENABLE_STATE_SNAPSHOT {
                match meta {
                    Meta::Path(_) if !snapshot => snapshot = true,
                    Meta::Path(path) => {
                        cx.error_spanned_by(path, "duplicate `enable_state_snapshot`");
                    }
                    _ => cx.error_spanned_by(meta, "`enable_state_snapshot` takes no value"),
                }
            } else if !template.take(meta) && !title.take(meta) {
                attr::unknown(
                    cx,
                    "#[live_view]",
                    meta,
                    "`template`, `title` or `enable_state_snapshot`",
                );
            }
        }
        if !template.seen() {
            cx.syn_error(syn::Error::new(
                Span::call_site(),
                "missing `template` argument: `#[live_view(template = \"view.html\")]`",
            ));
        }
        Some(Self {
            template: template.value()?,
            title: title.value(),
            snapshot,
        })
    }
}
