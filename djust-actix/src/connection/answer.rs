//! Turning what a view's code produced ([`Outcome`]) into frames: the error it failed with,
//! then its update (`patch`, `html_update` or `noop`), then its effects.

use djust_core::{
    protocol::{ErrorFrame, ServerFrame},
    vdom::Update,
};
use serde_json::value::RawValue;

use super::Connection;
use crate::view::{Failure, Outcome};

impl Connection {
    /// Sends what a handler run produced: an error and/or an update (or `noop`); then runs its
    /// commands. `cause` is the event and ref answered, `None` for server-side messages. When
    /// the handler failed, the error frame answers the event and the update follows as a
    /// server-initiated frame.
    pub(super) fn answer(
        &mut self,
        target: &str,
        mount: u64,
        outcome: Outcome,
        cause: Option<(&str, Option<u64>)>,
    ) {
        let mut event = cause.map(|(event, _)| event);
        let mut reference = cause.and_then(|(_, reference)| reference);
        if let Some(failure) = &outcome.failure {
            self.failed(target, failure, event, reference);
            (event, reference) = (None, None);
        }
        match outcome.update {
            Some(Update::Unchanged) if event.is_some() => {
                self.send_frame(&ServerFrame::Noop {
                    target,
                    reference,
                    event,
                });
            }
            None | Some(Update::Unchanged) => {}
            Some(Update::Patches(patches)) => match RawValue::from_string(patches) {
                Ok(patches) => {
                    let version = self.next_version();
                    self.send_frame(&ServerFrame::Patch {
                        target,
                        version,
                        patches: &patches,
                        reference,
                        event,
                    });
                }
                Err(error) => {
                    log::error!(
                        "djust: patches of `{target}` are not JSON ({error}); sending HTML"
                    );
                    let html = self.views.get(target).map(|session| session.view.html());
                    self.html_update(target, &html.unwrap_or_default(), event, reference);
                }
            },
            Some(Update::Html(html)) => self.html_update(target, &html, event, reference),
        }
        self.run_effects(target, mount, outcome.effects);
    }

    fn html_update(
        &mut self,
        target: &str,
        html: &str,
        event: Option<&str>,
        reference: Option<u64>,
    ) {
        let version = self.next_version();
        self.send_frame(&ServerFrame::HtmlUpdate {
            target,
            version,
            html,
            reference,
            event,
        });
    }

    fn failed(
        &mut self,
        target: &str,
        failure: &Failure,
        event: Option<&str>,
        reference: Option<u64>,
    ) {
        if failure.is_bug() {
            log::error!(
                "djust: {}: `{target}` handling {event:?}: {failure}",
                self.id
            );
        } else if failure.code() == "handler_error" {
            tracing::warn!(target: crate::telemetry::TARGET, connection = %self.id, target, ?event, "{failure}");
        } else {
            tracing::info!(target: crate::telemetry::TARGET, connection = %self.id, target, ?event, "{failure}");
        }
        self.send_error(ErrorFrame {
            code: failure.code(),
            error: &failure.public_message(),
            target: Some(target),
            event,
            param: failure.param(),
            reference,
            recoverable: true,
        });
    }

    /// Answers a frame addressed to a target with no view mounted.
    pub(super) fn not_mounted(
        &mut self,
        target: &str,
        event: Option<&str>,
        reference: Option<u64>,
    ) {
        let error = format!("no view is mounted as `{target}` on this connection");
        self.send_error(ErrorFrame {
            code: "not_mounted",
            error: &error,
            target: Some(target),
            event,
            reference,
            recoverable: true,
            ..ErrorFrame::default()
        });
    }
}
