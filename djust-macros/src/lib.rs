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
//! `#[live_view]` derives askama's `Template` (templates under `$CARGO_MANIFEST_DIR/templates/`,
//! or the source given as `inline = "..."`) and implements the hidden `ViewTemplate` (render,
//! `NAME`, title); it also reads the template and what it includes, extends or imports, and checks
//! at compile time that every static
//! `dj-click`/`dj-submit`/`dj-change`/`dj-input`/`dj-keydown`/`dj-keyup`/`dj-blur`/`dj-focus`/
//! `dj-window-keydown`/`dj-window-keyup` value is in `LiveView::EVENTS` and that every element with `dj-hook` has an `id`. `#[events]`
//! implements `LiveView`; it refuses borrowed event parameters (`&str`: take `String`) and
//! reports a context whose message type is not the view's `Info` where it is written.
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
/// crate's `templates/` directory. `#[live_view(inline = "<p>{{ count }}</p>")]` writes the
/// (HTML, escaped) template in place instead; it may include, extend or import files of
/// `templates/`. Exactly one of `template` and `inline` is given. Either way, every handler the
/// template names in `dj-click`, `dj-submit`, `dj-change`, `dj-input`, `dj-keydown`, `dj-keyup`,
/// `dj-blur`, `dj-focus`, `dj-window-keydown` or `dj-window-keyup` must be an `#[event]` of the view, and every element with `dj-hook`
/// needs an `id` (the client finds its hook again by it), or the crate does not compile.
///
/// `NAME` (the view's name in tokens and frames) is `concat!(module_path!(), "::", Struct)`.
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
///
/// A handler's parameters after `&mut self` are read by name from the event's parameters and
/// deserialized into owned values (`String`, not `&str`: a borrowed parameter is a compile
/// error), plus at most one `&mut Context<Info>`. `Info` is `handle_info`'s message type, or
/// `()` without `handle_info`; a `Context`/`MountContext` of another message type is a compile
/// error at that type, saying where `Info` comes from.
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
