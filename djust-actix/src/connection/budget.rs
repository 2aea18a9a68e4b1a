//! The connection's memory budget ([`DjustConfig::max_connection_bytes`](crate::DjustConfig)):
//! the bytes its views hold (state, kept trees, revision rings: `ViewSession::approx_bytes`)
//! plus the bytes of its output still queued for the client. Checked after each piece of view
//! work; a connection over it gets an `error` frame `over_budget` and is closed with
//! [`close_code::OVER_BUDGET`].

use djust_core::protocol::ErrorFrame;

use super::{close_code, Action, Connection};
use crate::view::lock;

impl Connection {
    /// About how many bytes the views attached to the connection hold.
    pub(crate) fn views_bytes(&self) -> usize {
        self.views
            .values()
            .map(|attached| lock(&attached.session).approx_bytes())
            .sum()
    }

    /// Closes the connection when its views, its frames not yet taken by the transport and
    /// `queued` bytes of output waiting for the client are over the budget.
    pub(crate) fn check_budget(&mut self, queued: usize) {
        if self.closing {
            return;
        }
        let budget = self.runtime.config.max_connection_bytes;
        let decided: usize = self
            .actions
            .iter()
            .map(|action| match action {
                Action::Send(text) => text.len(),
                _ => 0,
            })
            .sum();
        let held = self
            .views_bytes()
            .saturating_add(decided)
            .saturating_add(queued);
        if held <= budget {
            return;
        }
        log::warn!(
            "djust: {}: holds {held} bytes, over its budget of {budget}: closing",
            self.id
        );
        let error = format!("the connection holds more than {budget} bytes");
        self.send_error(ErrorFrame {
            code: "over_budget",
            error: &error,
            recoverable: false,
            ..ErrorFrame::default()
        });
        self.close(close_code::OVER_BUDGET, "over the memory budget");
    }
}
