//! Names the macros look for in attributes and methods.

use std::fmt;

use syn::{Ident, Path};

/// A name compared against identifiers and paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Symbol(&'static str);

/// `#[live_view(template = "...")]`
pub(crate) const TEMPLATE: Symbol = Symbol("template");
/// `#[live_view(inline = "...")]`: the template source itself.
pub(crate) const INLINE: Symbol = Symbol("inline");
/// `#[live_view(title = "...")]`
pub(crate) const TITLE: Symbol = Symbol("title");
/// `#[live_view(after_remount = "replay" | "drop")]`
pub(crate) const AFTER_REMOUNT: Symbol = Symbol("after_remount");
/// `#[live_view(enable_state_snapshot)]`
pub(crate) const ENABLE_STATE_SNAPSHOT: Symbol = Symbol("enable_state_snapshot");
/// `#[snapshot(skip)]` / `#[snapshot(allow)]` on a field of a snapshot-enabled view.
pub(crate) const SNAPSHOT: Symbol = Symbol("snapshot");
/// `#[snapshot(skip)]`: the field stays out of snapshots.
pub(crate) const SKIP: Symbol = Symbol("skip");
/// `#[snapshot(allow)]`: the field's name looks secret but is not.
pub(crate) const ALLOW: Symbol = Symbol("allow");
/// The optional snapshot restore override in an `#[events]` block.
pub(crate) const RESTORE_SNAPSHOT: Symbol = Symbol("restore_snapshot");
/// The optional snapshot policy override in an `#[events]` block.
pub(crate) const SHOULD_RESTORE_SNAPSHOT: Symbol = Symbol("should_restore_snapshot");
/// `#[event]` on a handler.
pub(crate) const EVENT: Symbol = Symbol("event");
/// `#[event(name = "...")]`
pub(crate) const NAME: Symbol = Symbol("name");
/// The optional constructor in an `#[events]` block.
pub(crate) const MOUNT: Symbol = Symbol("mount");
/// The optional server-push receiver in an `#[events]` block.
pub(crate) const HANDLE_INFO: Symbol = Symbol("handle_info");
/// The handler argument type that receives the context.
pub(crate) const CONTEXT: Symbol = Symbol("Context");
/// The trait `#[events]` implements.
pub(crate) const LIVE_VIEW: Symbol = Symbol("LiveView");
/// The `mount` argument type.
pub(crate) const MOUNT_CONTEXT: Symbol = Symbol("MountContext");

impl PartialEq<Symbol> for Ident {
    fn eq(&self, word: &Symbol) -> bool {
        self == word.0
    }
}

impl PartialEq<Symbol> for Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.0)
    }
}
