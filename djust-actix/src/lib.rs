//! djust for actix-web: server-rendered live views over WebSocket.

pub use djust_core as core;
pub use djust_macros::{events, live_view};

/// Everything a view module needs: `use djust_actix::prelude::*;`.
pub mod prelude {
    pub use djust_core::{
        pubsub::Topic, Context, EventError, LiveView, MountContext, MountError, Params, ViewHandle,
    };
    pub use djust_macros::{events, live_view};
}

#[doc(hidden)]
pub mod __private {
    //! Paths used by the code `#[live_view]` and `#[events]` generate. Not public API.
    pub use askama;
    pub use djust_core;
    pub use djust_core::__private::*;
}
