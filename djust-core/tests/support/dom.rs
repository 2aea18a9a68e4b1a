//! The reference DOM and patch applier, now public as `djust_core::vdom::mirror`.

#![allow(unused_imports, unreachable_pub)]

pub use djust_core::vdom::mirror::{apply, from_html, ids, RNode};
