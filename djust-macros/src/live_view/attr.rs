//! Parsing `#[live_view(template = "..." | inline = "...", title = "...", enable_state_snapshot,
//! after_remount = "replay" | "drop")]`.

use proc_macro2::{Span, TokenStream};
use syn::{LitStr, Meta};

use crate::{
    attr::{self, StringArg},
    ctxt::Ctxt,
    symbol::{AFTER_REMOUNT, ENABLE_STATE_SNAPSHOT, INLINE, TEMPLATE, TITLE},
};

/// The arguments of `#[live_view(...)]`.
#[derive(Debug)]
pub(crate) struct Args {
    /// Where the template comes from.
    pub(crate) template: Template,
    /// Static page title.
    pub(crate) title: Option<LitStr>,
    /// `enable_state_snapshot`: the view's public state is snapshotted for back-navigation.
    pub(crate) snapshot: bool,
    /// `after_remount = "drop"`: events replayed after a remount are refused, not run.
    pub(crate) drop_after_remount: bool,
}

/// The view's template: a file, or its source written in the attribute.
#[derive(Debug)]
pub(crate) enum Template {
    /// `template = "counter.html"`: a path relative to the crate's `templates/` directory.
    File(LitStr),
    /// `inline = "<p>{{ count }}</p>"`: the HTML template source itself.
    Inline(LitStr),
}

impl Template {
    /// The literal as written, where errors about the template point.
    pub(crate) fn literal(&self) -> &LitStr {
        match self {
            Self::File(literal) | Self::Inline(literal) => literal,
        }
    }
}

impl Args {
    /// Parses the arguments, reporting every problem to `cx`; `None` without a usable template.
    pub(crate) fn parse(cx: &Ctxt, tokens: TokenStream) -> Option<Self> {
        let metas = attr::parse_list(cx, tokens)?;
        let mut file = StringArg::new(cx, TEMPLATE);
        let mut inline = StringArg::new(cx, INLINE);
        let mut title = StringArg::new(cx, TITLE);
        let mut snapshot = false;
        let mut after_remount = StringArg::new(cx, AFTER_REMOUNT);
        for meta in &metas {
            if meta.path() == &ENABLE_STATE_SNAPSHOT {
                match meta {
                    Meta::Path(_) if !snapshot => snapshot = true,
                    Meta::Path(path) => {
                        cx.error_spanned_by(path, "duplicate `enable_state_snapshot`");
                    }
                    _ => cx.error_spanned_by(meta, "`enable_state_snapshot` takes no value"),
                }
            } else if inline.take(meta) {
                if file.seen() {
                    both_given(cx, meta);
                }
            } else if file.take(meta) {
                if inline.seen() {
                    both_given(cx, meta);
                }
            } else if after_remount.take(meta) {
            } else if !title.take(meta) {
                attr::unknown(
                    cx,
                    "#[live_view]",
                    meta,
                    "`template`, `inline`, `title`, `enable_state_snapshot` or `after_remount`",
                );
            }
        }
        if !file.seen() && !inline.seen() {
            cx.syn_error(syn::Error::new(
                Span::call_site(),
                "missing template: give a file, `#[live_view(template = \"view.html\")]`, or \
                 the template itself, `#[live_view(inline = \"<p>{{ count }}</p>\")]`",
            ));
        }
        let template = match (file.value(), inline.value()) {
            (Some(path), None) => Template::File(path),
            (None, Some(source)) => Template::Inline(source),
            _ => return None,
        };
        let drop_after_remount = match after_remount.value() {
            None => false,
            Some(choice) => match choice.value().as_str() {
                "replay" => false,
                "drop" => true,
                _ => {
                    cx.error_spanned_by(
                        &choice,
                        "`after_remount` is \"replay\" (run replayed events, the default) or \
                         \"drop\" (refuse them: the page is told they were not applied)",
                    );
                    false
                }
            },
        };
        Some(Self {
            template,
            title: title.value(),
            snapshot,
            drop_after_remount,
        })
    }
}

/// `template` and `inline` are exclusive; `meta` is the second of the two.
fn both_given(cx: &Ctxt, meta: &Meta) {
    cx.error_spanned_by(
        meta.path(),
        "`template` and `inline` cannot both be given: a view renders either a template file \
         (`template = \"view.html\"`) or the template written here (`inline = \"...\"`)",
    );
}
