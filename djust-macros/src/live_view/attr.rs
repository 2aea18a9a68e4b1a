//! Parsing `#[live_view(template = "...", title = "...")]`.

use proc_macro2::{Span, TokenStream};
use syn::LitStr;

use crate::{
    attr::{self, StringArg},
    ctxt::Ctxt,
    symbol::{TEMPLATE, TITLE},
};

/// The arguments of `#[live_view(...)]`.
#[derive(Debug)]
pub(crate) struct Args {
    /// Template path, relative to the crate's `templates/` directory.
    pub(crate) template: LitStr,
    /// Static page title.
    pub(crate) title: Option<LitStr>,
}

impl Args {
    /// Parses the arguments, reporting every problem to `cx`; `None` without a usable template.
    pub(crate) fn parse(cx: &Ctxt, tokens: TokenStream) -> Option<Self> {
        let metas = attr::parse_list(cx, tokens)?;
        let mut template = StringArg::new(cx, TEMPLATE);
        let mut title = StringArg::new(cx, TITLE);
        for meta in &metas {
            if !template.take(meta) && !title.take(meta) {
                attr::unknown(cx, "#[live_view]", meta, "`template` or `title`");
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
        })
    }
}
