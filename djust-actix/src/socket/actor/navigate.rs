//! Live navigation over the open connection: `live_redirect` (asked by the client, or by a
//! view through `Context::live_redirect`) drops every view of the connection, after signing a
//! snapshot of each snapshot-enabled one, and sends the new page's containers in a `navigate`
//! frame; `Context::live_patch` only changes the URL (`live_patch` frame).

use djust_core::protocol::{ErrorFrame, LeftView, ServerFrame};

use super::{Connection, Ctx};
use crate::navigation;

impl Connection {
    /// Navigates the connection to the page at `url`.
    pub(super) fn live_redirect(&mut self, ctx: &mut Ctx, url: &str) {
        let Some(route) = navigation::resolve(&self.runtime, url) else {
            let error = format!("no live page at `{url}`");
            return self.send_error(
                ctx,
                ErrorFrame {
                    code: "not_found",
                    error: &error,
                    recoverable: false,
                    ..ErrorFrame::default()
                },
            );
        };
        let mut left = Vec::new();
        for (target, slot) in self.views.drain().collect::<Vec<_>>() {
            if let Some(snapshot) = self.sign_snapshot_of(slot.view.as_ref()) {
                left.push((target, slot.view.name(), snapshot));
            }
        }
        let path = url.split(['?', '#']).next().unwrap_or(url);
        let containers = navigation::containers(&self.runtime, &route, path);
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
        self.send_frame(ctx, &frame);
    }

    /// Tells the client that the view in `target` changed the URL to `url`.
    pub(super) fn live_patch(&mut self, ctx: &mut Ctx, target: &str, url: &str) {
        self.send_frame(ctx, &ServerFrame::LivePatch { target, url });
    }
}
