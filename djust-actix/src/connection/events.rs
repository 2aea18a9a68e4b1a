//! Client events and view messages: each event applied at most once per view session (its
//! `seq` checked against the session's ledger, duplicates answered as the original was), then
//! handled, answered and its effects run.

use std::{any::Any, time::Instant};

use djust_core::{
    protocol::{ErrorFrame, Replay, ServerFrame},
    AfterRemount, EventMeta, Params,
};

use super::{record, Connection};
use crate::{
    telemetry::{self, Work},
    view::{lock, Admission, Effect, Outcome, Refusal},
};

/// What an `event` frame asks for.
pub(super) struct EventSpec<'a> {
    pub(super) target: &'a str,
    pub(super) event: &'a str,
    pub(super) params: &'a Params,
    pub(super) reference: Option<u64>,
    pub(super) seq: Option<u64>,
    pub(super) replay: Option<Replay>,
}

impl Connection {
    pub(super) fn event(&mut self, spec: &EventSpec<'_>) {
        let EventSpec {
            target,
            event,
            reference,
            seq,
            ..
        } = *spec;
        let Some((id, shared)) = self.attached(target) else {
            return self.not_mounted(target, Some(event), reference);
        };
        let mut session = lock(&shared);
        if let Some(seq) = seq {
            if let Admission::Duplicate(refusal) = session.ledger.admit(seq) {
                telemetry::delivery::duplicate(session.view.name());
                let ack = session.ledger.ack();
                drop(session);
                return self.duplicate(target, event, reference, ack, refusal);
            }
        }
        let outcome = if spec.replay.is_some() && session.view.after_remount() == AfterRemount::Drop
        {
            None
        } else {
            let meta = seq.map(|seq| EventMeta {
                id: format!("{id}:{seq}"),
                replay_of: spec.replay.map(|replay| replay.rev),
            });
            let name = session.view.name();
            let span = telemetry::work_span(&self.span, Work::HandleEvent, name, Some(event));
            let started = Instant::now();
            let outcome = span.in_scope(|| session.view.handle_event(event, spec.params, meta));
            record(&span, Work::HandleEvent, name, &outcome, started);
            Some(outcome)
        };
        if spec.replay.is_some() {
            telemetry::delivery::replayed(session.view.name(), outcome.is_some());
        }
        let Some(outcome) = outcome else {
            let refusal = Refusal {
                code: "not_applied",
                message: format!("event `{event}` was made against a state that is gone"),
                param: None,
            };
            if let Some(seq) = seq {
                session.ledger.record(seq, Some(refusal.clone()));
            }
            let ack = session.ledger.ack();
            drop(session);
            return self.duplicate(target, event, reference, ack, Some(refusal));
        };
        if let Some(seq) = seq {
            session.ledger.record(seq, refusal_of(&outcome));
        }
        let effects = self.answer(target, &mut session, outcome, Some((event, reference)));
        drop(session);
        self.run_effects(target, &id, effects);
    }

    /// Delivers `info` to the view attached as `target`.
    pub(super) fn deliver_info(&mut self, target: &str, info: Box<dyn Any + Send>) {
        let Some((id, shared)) = self.attached(target) else {
            return;
        };
        let mut session = lock(&shared);
        let name = session.view.name();
        let span = telemetry::work_span(&self.span, Work::HandleInfo, name, None);
        let started = Instant::now();
        let outcome = span.in_scope(|| session.view.handle_info(info));
        record(&span, Work::HandleInfo, name, &outcome, started);
        let effects = self.answer(target, &mut session, outcome, None);
        drop(session);
        self.run_effects(target, &id, effects);
    }

    /// After a view's `mount`/`resumed` frame: what its mount asked, then the messages it got
    /// while it waited for a reconnect.
    pub(super) fn after_mount(
        &mut self,
        target: &str,
        effects: Vec<Effect>,
        queued: Vec<Box<dyn Any + Send>>,
    ) {
        if let Some(id) = self.views.get(target).map(|attached| attached.id.clone()) {
            self.run_effects(target, &id, effects);
        }
        for info in queued {
            self.deliver_info(target, info);
        }
    }

    /// Answers an event not applied: a duplicate (with its original refusal, if any), or a
    /// replay the view drops.
    fn duplicate(
        &mut self,
        target: &str,
        event: &str,
        reference: Option<u64>,
        ack: u64,
        refusal: Option<Refusal>,
    ) {
        match refusal {
            Some(refusal) => self.send_error(ErrorFrame {
                code: refusal.code,
                error: &refusal.message,
                target: Some(target),
                event: Some(event),
                param: refusal.param.as_deref(),
                reference,
                recoverable: true,
                ack: Some(ack),
            }),
            None => self.send_frame(&ServerFrame::Noop {
                target,
                reference,
                event: Some(event),
                ack: Some(ack),
                rev: None,
                duplicate: true,
            }),
        }
    }
}

/// The refusal a duplicate of this event must get: the error the handler run produced.
fn refusal_of(outcome: &Outcome) -> Option<Refusal> {
    outcome.failure.as_ref().map(|failure| Refusal {
        code: failure.code(),
        message: failure.public_message(),
        param: failure.param().map(str::to_owned),
    })
}
