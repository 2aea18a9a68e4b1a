//! [`ViewSession`]: one mounted view as a connection holds it — the view, the number of its
//! mount, and the liveness flag its handles read.

use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};

use super::MountedView;

/// Shared with a view's [`ViewHandle`](djust_core::ViewHandle)s: `false` once the view session
/// ended (replaced, navigated away, connection closed), so their sends fail.
#[derive(Debug, Clone, Default)]
pub(crate) struct Liveness(Arc<AtomicBool>);

impl Liveness {
    /// A live flag.
    pub(crate) fn new() -> Self {
        Self(Arc::new(AtomicBool::new(true)))
    }

    /// Whether the view session still runs.
    pub(crate) fn is_alive(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }

    fn end(&self) {
        self.0.store(false, Ordering::Release);
    }
}

/// A mounted view and what its connection keeps about it.
pub(crate) struct ViewSession {
    /// The connection's count of mounts when this one happened: messages addressed to an older
    /// mount of the same container are dropped.
    pub(crate) mount: u64,
    pub(crate) view: Box<dyn MountedView>,
    liveness: Liveness,
}

impl ViewSession {
    /// The session of `view`, mounted as number `mount`, its handles reading `liveness`.
    pub(crate) fn new(mount: u64, view: Box<dyn MountedView>, liveness: Liveness) -> Self {
        Self {
            mount,
            view,
            liveness,
        }
    }
}

impl Drop for ViewSession {
    fn drop(&mut self) {
        self.liveness.end();
    }
}
