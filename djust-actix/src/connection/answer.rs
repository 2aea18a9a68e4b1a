//! Turning what a view's code produced ([`Outcome`]) into frames: the error it failed with,
//! then its update (`patch`, `html_update` or `noop`) as the view session's next revision.
//! The effects are handed back: the caller runs them once it let go of the session.

use djust_core::{
    protocol::{ErrorFrame, ServerFrame},
    vdom::Update,
};
use serde_json::value::RawValue;

use super::Connection;
use crate::view::{Effect, Failure, Outcome, ViewSession};

impl Connection {
    /// Sends what a handler run produced: an error and/or an update (or `noop`); returns its
    /// commands. `cause` is the event and ref answered, `None` for server-side messages. When
    /// the handler failed, the error frame answers the event and the update follows as a
    /// server-initiated frame.
    pub(super) fn answer(
        &mut self,
        target: &str,
        session: &mut ViewSession,
        outcome: Outcome,
        cause: Option<(&str, Option<u64>)>,
    ) -> Vec<Effect> {
        let mut event = cause.map(|(event, _)| event);
        let mut reference = cause.and_then(|(_, reference)| reference);
        let ack = Some(session.ledger.ack());
        if let Some(failure) = &outcome.failure {
            self.failed(target, failure, event, reference, ack);
            (event, reference) = (None, None);
        }
        match outcome.update {
            Some(Update::Unchanged) if event.is_some() => {
                self.send_frame(&ServerFrame::Noop {
                    target,
                    reference,
                    event,
                    ack,
                    duplicate: false,
                });
            }
            None | Some(Update::Unchanged) => {}
            Some(Update::Patches(patches)) => match RawValue::from_string(patches) {
                Ok(patches) => {
                    let rev = Some(session.patched(patches.get()));
                    let version = self.next_version();
                    self.send_frame(&ServerFrame::Patch {
                        target,
                        version,
                        patches: &patches,
                        reference,
                        event,
                        rev,
                        ack,
                    });
                }
                Err(error) => {
                    log::error!(
                        "djust: patches of `{target}` are not JSON ({error}); sending HTML"
                    );
                    let html = session.view.html();
                    self.html_update(target, session, &html, event, reference);
                }
            },
            Some(Update::Html(html)) => self.html_update(target, session, &html, event, reference),
        }
        outcome.effects
    }

    fn html_update(
        &mut self,
        target: &str,
        session: &mut ViewSession,
        html: &str,
        event: Option<&str>,
        reference: Option<u64>,
    ) {
        let rev = Some(session.replaced());
        let version = self.next_version();
        self.send_frame(&ServerFrame::HtmlUpdate {
            target,
            version,
            html,
            reference,
            event,
            rev,
            ack: Some(session.ledger.ack()),
        });
    }

    fn failed(
        &mut self,
        target: &str,
        failure: &Failure,
        event: Option<&str>,
        reference: Option<u64>,
        ack: Option<u64>,
    ) {
        if failure.is_bug() {
            log::error!(
                "djust: {}: `{target}` handling {event:?}: {failure}",
                self.id
            );
        }
        self.send_error(ErrorFrame {
            code: failure.code(),
            error: &failure.public_message(),
            target: Some(target),
            event,
            param: failure.param(),
            reference,
            recoverable: true,
            ack,
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
