//! Tracing spans of the connection core, and their names.
//!
//! One span per connection (`djust.connection`, field `connection`), created when it opens;
//! one span per piece of view work — `djust.mount`, `djust.handle_event`, `djust.handle_info`,
//! `djust.recover` — with no parent and a `follows_from` link to its connection's span, so an
//! hours-long connection does not hold every event inside it. A work span records `view`,
//! `event` (for `handle_event`), then `outcome` (`patch`, `html`, `noop`, `error`,
//! `refused`), `duration_us`, `patches` (operations sent) and `bytes` (of the update).
//!
//! With no `tracing` subscriber installed, the events below still reach `log` (tracing's `log`
//! feature): `RUST_LOG=djust_actix=debug` shows one line per handled event.

use std::time::Duration;

use djust_core::vdom::Update;
use tracing::{field::Empty, Span};

use crate::view::{Failure, Mounted};

/// The target every span and event of the core uses.
pub(crate) const TARGET: &str = "djust_actix";

/// The span of connection `id`.
pub(crate) fn connection_span(id: &str) -> Span {
    tracing::info_span!(target: TARGET, "djust.connection", connection = id)
}

/// What kind of view work a [`work_span`] covers.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Work {
    Mount,
    HandleEvent,
    HandleInfo,
    Recover,
}

/// A span for one piece of view work, linked to (not inside) `connection`.
pub(crate) fn work_span(connection: &Span, work: Work, view: &str, event: Option<&str>) -> Span {
    let span = match work {
        Work::Mount => tracing::info_span!(target: TARGET, parent: None, "djust.mount",
            view, event = Empty, outcome = Empty, duration_us = Empty, patches = Empty, bytes = Empty),
        Work::HandleEvent => {
            tracing::info_span!(target: TARGET, parent: None, "djust.handle_event",
            view, event, outcome = Empty, duration_us = Empty, patches = Empty, bytes = Empty)
        }
        Work::HandleInfo => tracing::info_span!(target: TARGET, parent: None, "djust.handle_info",
            view, event = Empty, outcome = Empty, duration_us = Empty, patches = Empty, bytes = Empty),
        Work::Recover => tracing::info_span!(target: TARGET, parent: None, "djust.recover",
            view, event = Empty, outcome = Empty, duration_us = Empty, patches = Empty, bytes = Empty),
    };
    span.follows_from(connection);
    span
}

/// Records what the work produced on its span, and logs one line for it.
pub(crate) fn record(span: &Span, failed: Option<&str>, update: Option<&Update>, took: Duration) {
    let (outcome, patches, bytes) = match (failed, update) {
        (Some(code), _) => (code_outcome(code), 0, 0),
        (None, Some(Update::Patches(json))) => ("patch", count_ops(json), json.len()),
        (None, Some(Update::Html(html))) => ("html", 0, html.len()),
        (None, Some(Update::Unchanged)) => ("noop", 0, 0),
        (None, None) => ("error", 0, 0),
    };
    finish(span, outcome, patches, bytes, took);
}

/// Records a mount's outcome: `html` and its bytes, or the failure's.
pub(crate) fn record_mount(span: &Span, mounted: &Result<Mounted, Failure>, took: Duration) {
    match mounted {
        Ok(mounted) => finish(span, "html", 0, mounted.html.len(), took),
        Err(failure) => finish(span, code_outcome(failure.code()), 0, 0, took),
    }
}

fn finish(span: &Span, outcome: &str, patches: usize, bytes: usize, took: Duration) {
    let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
    span.record("outcome", outcome);
    span.record("duration_us", micros);
    span.record("patches", patches);
    span.record("bytes", bytes);
    span.in_scope(|| {
        tracing::debug!(target: TARGET, outcome, duration_us = micros, patches, bytes, "done");
    });
}

/// The outcome of a failure with wire `code`: `refused` when the handler did not run.
fn code_outcome(code: &str) -> &'static str {
    match code {
        "unknown_event" | "missing_param" | "invalid_param" => "refused",
        _ => "error",
    }
}

/// The number of operations in an encoded patch array.
fn count_ops(json: &str) -> usize {
    json.matches("\"op\":").count()
}
