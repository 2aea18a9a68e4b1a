//! The example application as a library: its views, its layout and [`routes`], so the server
//! binary, the benchmarks and the tests all serve exactly the same thing.

pub mod layout;
pub mod views;

use std::sync::Arc;

use djust_actix::{Djust, DjustConfig};

use crate::views::{
    chat::{Chat, ChatRoom},
    counter::Counter,
    home::Home,
    rows::Rows,
};

/// Every page of the example, on top of `config` (the chat room is added to its data).
pub fn routes(config: DjustConfig) -> Djust {
    Djust::new(config.data(Arc::new(ChatRoom::default())))
        .view::<Home>("/")
        .view::<Counter>("/counter/")
        .view::<Rows>("/rows/")
        .view::<Chat>("/chat/")
        .layout(layout::SiteLayout)
}
