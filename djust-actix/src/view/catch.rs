//! Calls into user code under `catch_unwind`: a panicking view becomes a [`Failure`] instead
//! of a dead worker.

use std::panic::{catch_unwind, AssertUnwindSafe};

use djust_core::LiveView;

/// Runs `f`, turning a panic into its message.
pub(crate) fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(non-string panic payload)".to_owned())
    })
}

/// Renders `view` into a fresh string; errors and panics become a message.
pub(crate) fn render<V: LiveView>(view: &V) -> Result<String, String> {
    let mut html = String::new();
    match catch(|| view.render(&mut html)) {
        Ok(Ok(())) => Ok(html),
        Ok(Err(error)) => Err(error.to_string()),
        Err(panic) => Err(format!("render panicked: {panic}")),
    }
}
