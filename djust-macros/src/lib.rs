//! `#[live_view]` and `#[events]`: turn a struct and an impl block into a live view.
//!
//! ```ignore
//! #[live_view(template = "counter.html", title = "Counter")]
//! pub struct Counter { pub count: i64, step: i64 }
//!
//! #[events]
//! impl Counter {
//!     fn mount(ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> { ... } // or `-> Self`; default: `Default`
//!     #[event] fn increment(&mut self) { ... }
//!     #[event(name = "step")] fn set_step(&mut self, value: i64) -> Result<(), String> { ... }
//!     fn handle_info(&mut self, msg: Info, ctx: &mut Context<Info>) { ... } // optional
//!     fn title(&self) -> Option<String> { ... } // optional, overrides `title = "..."`
//! }
//! ```
//!
//! `#[live_view]` derives askama's `Template` (templates under `$CARGO_MANIFEST_DIR/templates/`)
//! and implements the hidden `ViewTemplate` (render, `NAME`, title); it also reads the template
//! and what it includes, extends or imports, and checks at compile time that every static
//! `dj-click`/`dj-submit`/`dj-change`/`dj-input`/`dj-keydown`/`dj-keyup`/`dj-blur`/`dj-focus`
//! value is in `LiveView::EVENTS`. `#[events]` implements `LiveView`.
//!
//! Each macro parses its input, validates it while collecting every error, then expands; on
//! error it emits the errors plus a stub impl, so that the user sees their mistake and nothing
//! else. Generated code names `::djust_actix::__private` paths only.

use proc_macro::TokenStream;

mod attr;
mod ctxt;
mod events;
mod live_view;
mod symbol;

/// Marks a struct as a live view rendered by an askama template.
///
/// `#[live_view(template = "counter.html", title = "Counter")]`: the template lives in the
/// crate's `templates/` directory; every handler it names in `dj-click`, `dj-submit`,
/// `dj-change`, `dj-input`, `dj-keydown`, `dj-keyup`, `dj-blur` or `dj-focus` must be an
/// `#[event]` of the view, or the crate does not compile.
///
/// `enable_state_snapshot` sends the view's `pub` fields to the browser as a signed snapshot and
/// restores them on back-navigation instead of calling `mount` (other fields get `Default`).
/// A `pub` field whose name contains `password`, `token`, `secret`, `api_key`/`apikey` or `pii`
/// is a compile error unless marked `#[snapshot(skip)]` (kept out of snapshots) or
/// `#[snapshot(allow)]`. `restore_snapshot` and `should_restore_snapshot` may be overridden in
/// the `#[events]` block.
#[proc_macro_attribute]
pub fn live_view(args: TokenStream, item: TokenStream) -> TokenStream {
    live_view::expand(args.into(), item.into()).into()
}

/// Implements `LiveView` from the impl block holding a view's `mount`, `#[event]` handlers and
/// optional `handle_info` and `title`.
#[proc_macro_attribute]
pub fn events(args: TokenStream, item: TokenStream) -> TokenStream {
    events::expand(args.into(), item.into()).into()
}

/// Marks an event handler; only meaningful inside an `#[events]` impl block, which removes it.
#[proc_macro_attribute]
pub fn event(_args: TokenStream, item: TokenStream) -> TokenStream {
    let error = syn::Error::new(
        proc_macro2::Span::call_site(),
        "`#[event]` only works on a method inside an `#[events] impl View { ... }` block",
    )
    .into_compile_error();
    let item = proc_macro2::TokenStream::from(item);
    quote::quote!(#error #item).into()
}
