//! `mount_batch`: several views mounted with one frame each way. Each view is mounted on its
//! own (a view that errors or panics lands in `failed` and the others still mount); a refused
//! token or an unknown view does not close the shared connection here. The answer lists the
//! `mount` frames (consecutive versions, in request order), the failures, and the views whose
//! mount asked for a live redirect; push events and timers of the mounted views run after it.

use djust_core::protocol::{BatchFailure, BatchNavigate, ErrorFrame, MountEntry, ServerFrame};
use serde_json::value::RawValue;

use super::{
    mounting::{MountRefusal, MountSpec},
    Action, Connection,
};
use crate::view::Effect;

impl Connection {
    /// Mounts `entries` and answers one `mount_batch` frame; a batch over the configured cap is
    /// refused whole (`error` `batch_too_large`).
    pub(super) fn mount_batch(&mut self, entries: &[MountEntry]) {
        let cap = self.runtime.config.max_batch_entries;
        if entries.len() > cap {
            let error = format!("a mount_batch has at most {cap} views");
            return self.send_error(ErrorFrame {
                code: "batch_too_large",
                error: &error,
                recoverable: false,
                ..ErrorFrame::default()
            });
        }
        let mut views = Vec::new();
        let mut failed: Vec<(&MountEntry, MountRefusal)> = Vec::new();
        let mut navigate = Vec::new();
        let mut later = Vec::new();
        for entry in entries {
            let spec = MountSpec {
                target: &entry.target,
                view: &entry.view,
                token: &entry.token,
                url: &entry.url,
                snapshot: None,
                resume: None,
            };
            match self.mount_view(&spec) {
                Ok(done) => {
                    let (redirects, effects): (Vec<_>, Vec<_>) = done
                        .effects
                        .into_iter()
                        .partition(|effect| matches!(effect, Effect::LiveRedirect { .. }));
                    if let Some(Effect::LiveRedirect { url }) = redirects.into_iter().next() {
                        navigate.push((entry, url));
                    }
                    views.push(done.frame);
                    later.push((entry.target.as_str(), effects, done.queued));
                }
                Err(refusal) => failed.push((entry, refusal)),
            }
        }
        let messages: Vec<String> = failed
            .iter()
            .map(|(_, refusal)| refusal.message())
            .collect();
        let views: Vec<Box<RawValue>> = views
            .into_iter()
            .map(|frame| RawValue::from_string(frame).expect("mount frames are JSON"))
            .collect();
        let frame = ServerFrame::MountBatch {
            views: views.iter().map(AsRef::as_ref).collect(),
            failed: failed
                .iter()
                .zip(&messages)
                .map(|((entry, refusal), message)| BatchFailure {
                    target: &entry.target,
                    view: &entry.view,
                    code: refusal.code(),
                    error: message,
                })
                .collect(),
            navigate: navigate
                .iter()
                .map(|(entry, url)| BatchNavigate {
                    target: &entry.target,
                    view: &entry.view,
                    url,
                })
                .collect(),
        };
        self.push(Action::Send(frame.to_json()));
        for (target, effects, queued) in later {
            self.after_mount(target, effects, queued);
        }
    }
}
