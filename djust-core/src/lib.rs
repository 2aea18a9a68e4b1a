//! Pure logic of djust for actix-web.
//!
//! This crate knows nothing about actix, tokio or I/O. It holds:
//! - [`LiveView`], the trait every view implements (usually through `#[live_view]`), and the
//!   contexts a view sees on mount and on events ([`view`]);
//! - typed event parameters ([`params`]) and the errors views return ([`error`]);
//! - the HTML tokenizer, the VDOM with stable ids and the keyed diff ([`vdom`]);
//! - the wire protocol: every frame the client and the server exchange ([`protocol`]), the
//!   other names and defaults they share: headers, paths, close codes ([`contract`]), and the
//!   inbound WebSocket size limit enforced from frame headers ([`frame_guard`]);
//! - what a view has besides its DOM: JS commands ([`js`]), streams ([`stream`]), replies,
//!   flash messages and the title's change tracking ([`toolbox`]);
//! - signed view tokens ([`token`]), signed state snapshots ([`snapshot`]), the VDOM cache
//!   settings ([`cache_config`]), shared application data ([`data`]) and a small
//!   publish/subscribe fan-out for server push ([`pubsub`]);
//! - finding the view containers of a served page, as a client does before mounting
//!   ([`page_scan`]).
#![forbid(unsafe_code)]

pub mod cache_config;
pub mod contract;
pub mod data;
pub mod error;
pub mod frame_guard;
pub mod js;
mod macro_support;
pub mod page_scan;
pub mod params;
pub mod protocol;
pub mod pubsub;
pub mod snapshot;
pub mod stream;
pub mod token;
pub mod toolbox;
pub mod vdom;
pub mod view;

pub use data::DataMap;
pub use error::{EventError, MountError, RenderError};
pub use params::Params;
pub use view::{AfterRemount, Context, EventMeta, LiveView, MountContext, ViewHandle};

#[doc(hidden)]
pub mod __private {
    //! Items used only by code that `#[live_view]` and `#[events]` generate.
    pub use crate::macro_support::{
        check_handler, HandlerOutput, InfoFromHandleInfo, InfoWithoutHandleInfo, ViewTemplate,
    };
    pub use crate::params::{extract_param, ParamSource};
    pub use serde;
    pub use serde_json;
}
