//! The view layer: a live view with its type erased ([`MountedView`]), how it is mounted
//! ([`mount`], through a [`Factory`]), what running its code produces ([`Outcome`], [`Effect`],
//! [`Failure`]) and the [`ViewSession`] a connection holds for each mounted view.
//!
//! No actix, no I/O: every call into user code is caught here, so the layers above see only
//! values. Imports nothing from the crate but `support`.

mod catch;
mod failure;
mod mounted;
mod outcome;
mod session;

pub(crate) use failure::{Failure, Stage};
pub(crate) use mounted::{mount, Deliver, MountRequest, Mounted, MountedView};
pub(crate) use outcome::{Effect, Outcome};
pub(crate) use session::{Liveness, ViewSession};

/// Mounts one view type: [`mount`] for a concrete `V`, stored in the registry.
pub(crate) type Factory = fn(MountRequest<'_>) -> Result<Mounted, Failure>;
