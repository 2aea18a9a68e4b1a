//! Live navigation over the open connection: `live_redirect` (asked by the client, or by a
//! view through `Context::live_redirect`) drops every view of the connection, after signing a
//! snapshot of each snapshot-enabled one, and sends the new page's containers in a `navigate`
//! frame; `Context::live_patch` only changes the URL (`live_patch` frame).

use djust_core::protocol::{ErrorFrame, LeftView, ServerFrame};

use super::Connection;
use crate::{
    runtime::{containers, path_of},
    view::lock,
};

impl Connection {
    /// Navigates the connection to the page at `url`.
    pub(super) fn live_redirect(&mut self, url: &str) {
        let Some(route) = self.runtime.page_of(url) else {
            let error = format!("no live page at `{url}`");
            return self.send_error(ErrorFrame {
                code: "not_found",
                error: &error,
                recoverable: false,
                ..ErrorFrame::default()
            });
        };
        let mut left = Vec::new();
        for (target, attached) in self.views.drain().collect::<Vec<_>>() {
            let session = lock(&attached.session);
            if let Some(snapshot) = self.sign_snapshot_of(session.view.as_ref()) {
                left.push((target, session.view.name(), snapshot));
            }
            drop(session);
            self.runtime.sessions.end(&attached.id, &self.id);
        }
        let containers = containers(&self.runtime, &route, path_of(url));
        let frame = ServerFrame::Navigate {
            url,
            views: containers.iter().map(|c| c.as_wire()).collect(),
            left: left
                .iter()
                .map(|(target, view, snapshot)| LeftView {
                    target,
                    view,
                    snapshot,
                })
                .collect(),
        };
        self.send_frame(&frame);
    }

    /// Tells the client that the view in `target` changed the URL to `url`.
    pub(super) fn live_patch(&mut self, target: &str, url: &str) {
        self.send_frame(&ServerFrame::LivePatch { target, url });
    }
}
