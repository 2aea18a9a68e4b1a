//! Live navigation over the open connection: `live_redirect` (asked by the client, or by a
//! view through `Context::live_redirect`) drops every view of the connection, after signing a
//! snapshot of each snapshot-enabled one, and sends the new page's containers in a `navigate`
//! frame; `Context::live_patch` only changes the URL (`live_patch` frame).

use djust_core::{
    protocol::{ErrorFrame, FrameExtras, LeftView, ServerFrame},
    token::sign_view_token,
};

use super::Connection;
use crate::{
    runtime::{containers, path_of},
    support::unix_now,
    view::lock,
};

impl Connection {
    /// Navigates the connection to the page at `url`; flash messages of the handler that asked
    /// for it go with the `navigate` frame.
    pub(super) fn live_redirect(&mut self, url: &str) {
        let flash = std::mem::take(&mut self.carried_flash);
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
        let extras = FrameExtras {
            flash: &flash,
            ..FrameExtras::default()
        };
        self.send_frame_with(&frame, &extras);
    }

    /// Tells the client that the view in `target` changed the URL to `url`, with fresh page
    /// tokens for that URL (the old ones name the old path: a reconnect would be refused).
    pub(super) fn live_patch(&mut self, target: &str, url: &str) {
        let key = self.runtime.config.key();
        let now = unix_now();
        let signed: Vec<(String, String)> = self
            .views
            .iter()
            .map(|(target, attached)| {
                let view = lock(&attached.session).view.name();
                (
                    target.clone(),
                    sign_view_token(key, view, path_of(url), now),
                )
            })
            .collect();
        let tokens = signed
            .iter()
            .map(|(target, token)| (target.as_str(), token.clone()))
            .collect();
        self.send_frame(&ServerFrame::LivePatch {
            target,
            url,
            tokens,
        });
    }
}
