//! `#[live_view]` and `#[events]`: turn a struct and an impl block into a live view.

use proc_macro::TokenStream;

/// Marks a struct as a live view rendered by an askama template.
#[proc_macro_attribute]
pub fn live_view(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}

/// Marks the impl block holding a view's `mount` and `#[event]` handlers.
#[proc_macro_attribute]
pub fn events(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}
