//! Tracing spans of the connection core, and their names.
//!
//! One span per connection (`djust.connection`, field `connection`), created when it opens;
//! one span per piece of view work — `djust.mount`, `djust.handle_event`, `djust.handle_info`,
//! `djust.recover`, `djust.resume` (a reconnect's resume of one view) — with no parent and a
//! `follows_from` link to its connection's span, so an hours-long connection does not hold
//! every event inside it. A work span records `view`,
//! `event` (for `handle_event`), then `outcome` (`patch`, `html`, `noop`, `error`,
//! `refused`), `duration_us`, `patches` (operations sent) and `bytes` (of the update).
//!
//! Metrics go through the `metrics` facade (install any recorder; [`metric`] names them):
//! connections opened, view work by view and outcome, its duration, update bytes, resumes by
//! outcome, duplicate and replayed events.
//!
//! With no `tracing` subscriber installed, the events below still reach `log` (tracing's `log`
//! feature): `RUST_LOG=djust_actix=debug` shows one line per handled event.

pub(crate) mod delivery;
#[cfg(feature = "prometheus")]
pub mod prometheus;

use std::time::Duration;

use djust_core::vdom::Update;
use tracing::{field::Empty, Span};

use crate::view::{Failure, Mounted};

/// The target every span and event of the core uses.
pub(crate) const TARGET: &str = "djust_actix";

/// The names of the metrics djust records through the `metrics` facade.
pub mod metric {
    pub use crate::pubsub::metric::{PUBLISHED, PUBLISH_FAILED, RECEIVED};
    /// Counter: connections opened (WebSocket and SSE).
    pub const CONNECTIONS: &str = "djust_connections_opened_total";
    /// Counter, labels `view`, `outcome` (`html` or a failure): view mounts.
    pub const MOUNTS: &str = "djust_mounts_total";
    /// Counter, labels `view`, `outcome` (`patch`, `html`, `noop`, `refused`, `error`): events.
    pub const EVENTS: &str = "djust_events_total";
    /// Counter, labels `view`, `outcome`: server-side messages (`handle_info`, timers).
    pub const INFOS: &str = "djust_infos_total";
    /// Counter, label `view`: `request_html` recoveries (the client lost track of its DOM).
    pub const RECOVERIES: &str = "djust_recoveries_total";
    /// Histogram, labels `view`, `work` (`mount`, `handle_event`, `handle_info`): seconds
    /// spent in the view's code, its render and the diff.
    pub const WORK_SECONDS: &str = "djust_view_work_seconds";
    /// Histogram, label `view`: bytes of each update sent (patches or HTML).
    pub const UPDATE_BYTES: &str = "djust_update_bytes";
    /// Counter, labels `view`, `outcome`, `reason`: a reconnect's `mount` of a view session —
    /// `resumed` (`reason`: `patches` replayed from the ring, `html` when the ring did not
    /// reach back, `current` when nothing was missed) or `remounted` (`reason`: `expired`,
    /// `evicted`, `unknown`, `refused`).
    pub const RESUMES: &str = "djust_resumes_total";
    /// Counter, label `view`: duplicate events (a `seq` already applied) not applied again.
    pub const DUPLICATES: &str = "djust_duplicate_events_total";
    /// Counter, labels `view`, `outcome` (`applied`, `dropped`): events replayed after a
    /// remount (`replay`), run as replays or dropped by the view's `after_remount`.
    pub const REPLAYS: &str = "djust_replayed_events_total";
    /// Counter: connections closed with 1008 because the client did not read its frames fast
    /// enough (its outbound queue was full).
    pub const SLOW_CLIENTS: &str = "djust_slow_clients_closed_total";
}

/// A connection is closed because its client reads too slowly.
pub(crate) fn slow_client_closed() {
    metrics::counter!(metric::SLOW_CLIENTS).increment(1);
}

/// The span of connection `id`.
pub(crate) fn connection_span(id: &str) -> Span {
    metrics::counter!(metric::CONNECTIONS).increment(1);
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

impl Work {
    fn name(self) -> &'static str {
        match self {
            Self::Mount => "mount",
            Self::HandleEvent => "handle_event",
            Self::HandleInfo => "handle_info",
            Self::Recover => "recover",
        }
    }

    fn counter(self) -> &'static str {
        match self {
            Self::Mount => metric::MOUNTS,
            Self::HandleEvent => metric::EVENTS,
            Self::HandleInfo => metric::INFOS,
            Self::Recover => metric::RECOVERIES,
        }
    }
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

/// One piece of view work: its span, its kind and its view.
pub(crate) struct WorkRecord<'a> {
    pub(crate) span: &'a Span,
    pub(crate) work: Work,
    pub(crate) view: &'a str,
}

/// Counts a `request_html` recovery of `view`.
pub(crate) fn recovered(view: &'static str) {
    metrics::counter!(metric::RECOVERIES, "view" => view).increment(1);
}

/// Records what the work produced on its span and in the metrics, and logs one line for it.
pub(crate) fn record(
    work: &WorkRecord<'_>,
    failed: Option<&str>,
    update: Option<&Update>,
    took: Duration,
) {
    let (outcome, patches, bytes) = match (failed, update) {
        (Some(code), _) => (code_outcome(code), 0, 0),
        (None, Some(Update::Patches(json))) => ("patch", count_ops(json), json.len()),
        (None, Some(Update::Html(html))) => ("html", 0, html.len()),
        (None, Some(Update::Unchanged)) => ("noop", 0, 0),
        (None, None) => ("error", 0, 0),
    };
    finish(work, outcome, patches, bytes, took);
}

/// Records a mount's outcome: `html` and its bytes, or the failure's.
pub(crate) fn record_mount(
    work: &WorkRecord<'_>,
    mounted: &Result<Mounted, Failure>,
    took: Duration,
) {
    match mounted {
        Ok(mounted) => finish(work, "html", 0, mounted.html.len(), took),
        Err(failure) => finish(work, code_outcome(failure.code()), 0, 0, took),
    }
}

fn finish(
    work: &WorkRecord<'_>,
    outcome: &'static str,
    patches: usize,
    bytes: usize,
    took: Duration,
) {
    let view = work.view.to_owned();
    metrics::counter!(work.work.counter(), "view" => view.clone(), "outcome" => outcome)
        .increment(1);
    metrics::histogram!(metric::WORK_SECONDS, "view" => view.clone(), "work" => work.work.name())
        .record(took.as_secs_f64());
    if bytes > 0 {
        #[allow(clippy::cast_precision_loss)] // byte counts far below 2^52
        metrics::histogram!(metric::UPDATE_BYTES, "view" => view).record(bytes as f64);
    }
    let span = work.span;
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
