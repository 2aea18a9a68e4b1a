//! Turning what a view's code produced ([`Outcome`]) into frames: the error it failed with,
//! then its update (`patch`, `html_update` or `noop`) as the view session's next revision, with
//! the title, reply, flash and stream fields the run left. The effects are handed back: the
//! caller runs them once it let go of the session (so a `push_event` follows its patch).

use djust_core::{
    protocol::{ErrorFrame, FrameExtras, ServerFrame},
    vdom::Update,
};
use serde_json::value::RawValue;

use super::action::ws_close;
use super::Connection;
use crate::view::{Carried, Effect, Failure, Outcome, ViewSession, Write, Written};

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
        let Outcome {
            failure,
            update,
            effects,
            mut extras,
            title,
        } = outcome;
        if effects
            .iter()
            .any(|effect| matches!(effect, Effect::LiveRedirect { .. }))
        {
            self.carried_flash.append(&mut extras.flash);
        }
        // Flash messages and stream operations change the page: a resume must replay them.
        let carried = Carried::of(&extras.flash, &extras.streams);
        // Stored before anything of it is sent: what the client sees, a takeover resumes.
        // The answer waits for the write (`durable`); the connection goes on meanwhile.
        let changes =
            matches!(update, Some(Update::Patches(_) | Update::Html(_))) || !carried.is_empty();
        let rev = session.rev() + u64::from(changes);
        let ticket = self.next_ticket();
        let done = || self.confirmation(ticket, target);
        match self.runtime.sessions.persist(session, rev, done) {
            Write::Queued => self.queued(ticket),
            Write::Now(Written::Fenced) => {
                self.taken_over(target);
                return Vec::new();
            }
            Write::Now(Written::Stored | Written::Local) => {}
        }
        let mut event = cause.map(|(event, _)| event);
        let mut reference = cause.and_then(|(_, reference)| reference);
        let ack = Some(session.ledger.ack());
        if let Some(failure) = &failure {
            self.failed(target, failure, event, reference, ack);
            (event, reference) = (None, None);
        }
        let extras = FrameExtras {
            title: title.as_deref(),
            // Only the answer to the event carries its reply.
            reply: event.and(extras.reply.as_ref()),
            ..FrameExtras::of(&extras, None)
        };
        match update {
            Some(Update::Unchanged) | None if event.is_some() || !extras.is_empty() => {
                let rev = (!carried.is_empty()).then(|| session.patched("[]", carried));
                let frame = ServerFrame::Noop {
                    target,
                    reference,
                    event,
                    ack,
                    rev,
                    duplicate: false,
                };
                self.send_frame_with(&frame, &extras);
            }
            None | Some(Update::Unchanged) => {}
            Some(Update::Patches(patches)) => match RawValue::from_string(patches) {
                Ok(patches) => {
                    let rev = Some(session.patched(patches.get(), carried));
                    let version = self.next_version();
                    let frame = ServerFrame::Patch {
                        target,
                        version,
                        patches: &patches,
                        reference,
                        event,
                        rev,
                        ack,
                    };
                    self.send_frame_with(&frame, &extras);
                }
                Err(error) => {
                    log::error!(
                        "djust: patches of `{target}` are not JSON ({error}); sending HTML"
                    );
                    let html = session.view.html();
                    self.html_update(target, session, &html, (event, reference), &extras);
                }
            },
            Some(Update::Html(html)) => {
                self.html_update(target, session, &html, (event, reference), &extras);
            }
        }
        effects
    }

    fn html_update(
        &mut self,
        target: &str,
        session: &mut ViewSession,
        html: &str,
        (event, reference): (Option<&str>, Option<u64>),
        extras: &FrameExtras<'_>,
    ) {
        let rev = Some(session.replaced());
        let version = self.next_version();
        let frame = ServerFrame::HtmlUpdate {
            target,
            version,
            html,
            reference,
            event,
            rev,
            ack: Some(session.ledger.ack()),
        };
        self.send_frame_with(&frame, extras);
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
            ack,
        });
    }

    /// Another node owns the session attached as `target` now: this connection is stale (its
    /// client reconnected elsewhere); it closes, unanswered. (The session, locked by the
    /// caller, is parked with the others when the transport closes; a resume here later finds
    /// it is no longer this node's and takes it over from Redis.)
    pub(super) fn taken_over(&mut self, target: &str) {
        if self.closing {
            return;
        }
        log::warn!(
            "djust: {}: `{target}` was taken over by another node; closing",
            self.id
        );
        self.close(
            ws_close::TAKEN_OVER,
            "view session taken over by another node",
        );
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
