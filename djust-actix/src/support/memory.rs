//! Giving freed memory back to the system.

use std::sync::OnceLock;
use std::thread::{self, Thread};
use std::time::Duration;

/// How long the releasing thread gathers requests before one release.
const GATHER: Duration = Duration::from_millis(500);

/// Asks for the memory freed by idle views to go back to the system soon: one release for
/// every request made within half a second, on a thread of its own. glibc's `malloc` keeps
/// freed memory in its arenas, so the parsed trees idle views drop would otherwise stay in the
/// process next to their compact copies; `malloc_trim` returns whole free pages. With another
/// allocator there is nothing to do.
pub(crate) fn release_freed_memory() {
    if cfg!(all(target_os = "linux", target_env = "gnu")) {
        releaser().unpark();
    }
}

fn releaser() -> &'static Thread {
    static RELEASER: OnceLock<Thread> = OnceLock::new();
    RELEASER.get_or_init(|| {
        thread::Builder::new()
            .name("djust-release".into())
            .spawn(|| loop {
                thread::park();
                thread::sleep(GATHER);
                trim();
            })
            .expect("djust: cannot start the memory-release thread")
            .thread()
            .clone()
    })
}

/// The crate's one `unsafe` block (the crate denies `unsafe_code` everywhere else).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn trim() {
    // SAFETY: `malloc_trim` only walks glibc's own heap, under its own locks.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() {}
