//! The view layer: a live view with its type erased ([`MountedView`]), how it is mounted
//! ([`mount`], through a [`Factory`]), what running its code produces ([`Outcome`], [`Effect`],
//! [`Failure`]), and the [`ViewSession`] that holds a mounted view with what it takes to
//! resume it (revision, ring of recent revisions, ledger of applied events), kept by the
//! [`ViewSessionStore`] across connections.
//!
//! No actix, no I/O: every call into user code is caught here, so the layers above see only
//! values. Imports only `support`, `config` and `pubsub` (the Redis link).

mod catch;
mod failure;
mod ledger;
mod mounted;
mod outcome;
mod remote_store;
mod ring;
mod route;
mod session;
mod store;

pub(crate) use failure::{Failure, Stage};
pub(crate) use ledger::{Admission, Ledger, Refusal};
pub(crate) use mounted::{mount, Deliver, MountRequest, Mounted, MountedView, Restore};
pub(crate) use outcome::{Effect, Outcome};
pub(crate) use remote_store::{Done, Write, Written};
pub(crate) use ring::Carried;
pub(crate) use route::{Mailbox, Route, ViewMessage};
pub(crate) use session::{lock, verify_token, SharedSession, ViewSession};
pub use store::ParkedStats;
pub(crate) use store::{Gone, ViewSessionStore};

/// Mounts one view type: [`mount`] for a concrete `V`, stored in the registry.
pub(crate) type Factory = fn(MountRequest<'_>) -> Result<Mounted, Failure>;
