//! The metrics and spans of delivery: reconnects that resumed a view session or remounted it
//! (and why), duplicate events not applied again, events replayed after a remount.

use tracing::{field::Empty, Span};

use super::{metric, TARGET};

/// How a reconnect's `mount` of one view ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resume {
    /// The view session was resumed; `missed`: the revisions replayed from its ring (`None`:
    /// the ring did not reach back, the whole HTML was sent).
    Resumed { missed: Option<usize> },
    /// Not resumed, mounted afresh: the `remounted` reason (`expired`, `evicted`, `unknown`,
    /// `refused`).
    Remounted(&'static str),
}

impl Resume {
    /// The metric's and the span's `outcome` and `reason`.
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            Self::Resumed { missed: Some(0) } => ("resumed", "current"),
            Self::Resumed { missed: Some(_) } => ("resumed", "patches"),
            Self::Resumed { missed: None } => ("resumed", "html"),
            Self::Remounted(reason) => ("remounted", reason),
        }
    }
}

/// The span of one view's resume on a reconnect (`djust.resume`: `view`, `client_rev`, then
/// `outcome`, `reason`, `rev`, `missed`), linked to (not inside) `connection`.
pub(crate) fn resume_span(connection: &Span, view: &str, client_rev: u64) -> Span {
    let span = tracing::info_span!(target: TARGET, parent: None, "djust.resume",
        view, client_rev, outcome = Empty, reason = Empty, rev = Empty, missed = Empty);
    span.follows_from(connection);
    span
}

/// Records how the resume on `span` of `view` ended (`rev`: the session's revision, when it
/// was resumed), and logs it.
pub(crate) fn record_resume(span: &Span, view: &str, resume: Resume, rev: Option<u64>) {
    let (outcome, reason) = resume.labels();
    metrics::counter!(metric::RESUMES, "view" => view.to_owned(), "outcome" => outcome,
        "reason" => reason)
    .increment(1);
    span.record("outcome", outcome);
    span.record("reason", reason);
    if let Some(rev) = rev {
        span.record("rev", rev);
    }
    if let Resume::Resumed {
        missed: Some(missed),
    } = resume
    {
        span.record("missed", missed);
    }
    span.in_scope(|| match resume {
        Resume::Resumed { .. } => tracing::debug!(target: TARGET, outcome, reason, "done"),
        Resume::Remounted(_) => {
            tracing::info!(target: TARGET, outcome, reason, "view session not resumed ({reason})");
        }
    });
}

/// Counts an event of `view` not applied again: a duplicate of an applied `seq`.
pub(crate) fn duplicate(view: &'static str) {
    metrics::counter!(metric::DUPLICATES, "view" => view).increment(1);
}

/// Counts an event of `view` replayed after a remount: `applied` (the handler ran, told it is
/// a replay) or `dropped` (the view drops replays).
pub(crate) fn replayed(view: &'static str, applied: bool) {
    let outcome = if applied { "applied" } else { "dropped" };
    metrics::counter!(metric::REPLAYS, "view" => view, "outcome" => outcome).increment(1);
}
