//! The guide: chapters beyond the crate root's tour, from `docs/guide/`.

#[doc = include_str!("../../docs/guide/events.md")]
pub mod events {}

#[doc = include_str!("../../docs/guide/testing.md")]
pub mod testing {}

#[cfg(feature = "prometheus")]
#[doc = include_str!("../../docs/guide/observability.md")]
pub mod observability {}

/// The README's snippets, compiled as doctests.
#[cfg(all(doctest, feature = "test"))]
#[doc = include_str!("../../README.md")]
pub struct Readme;
