//! The service worker's server half: the options rendered into every page
//! ([`ServiceWorker`]), its offline mode ([`Offline`]: `offline.json`, the manifest, the
//! partition header) and the embedded client assets it and the page load.
//!
//! Imports the layout and support layers only; the transports and the app use it.

mod assets;
mod offline;
mod options;

pub use assets::{asset_url, client_script_url, STATIC_PREFIX};
pub use offline::{Offline, MANIFEST_PATH, PARTITION_HEADER};
pub use options::{ServiceWorker, SHELL_VERSION_HEADER};

pub(crate) use assets::configure as configure_assets;
pub(crate) use offline::configure as configure_offline;
