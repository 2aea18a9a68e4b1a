//! Delivery through the core: view sessions that wait for a reconnect, resumes, takeovers,
//! duplicates and remounts.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use serde_json::{json, Value};

use super::{runtime, Harness, Strict};
use crate::{prelude::*, DjustConfig};

/// Closes `h`'s connection (its views wait) and reconnects the same browser.
fn reconnect(h: Harness, after: Duration) -> Harness {
    let Harness {
        runtime, mut conn, ..
    } = h;
    conn.closed(Instant::now());
    let mut next = Harness::new(&runtime);
    next.now += after;
    next
}

fn resume_frame(h: &Harness, vs: &Value, rev: u64) -> Value {
    let mut frame = h.mount_frame("/counter/");
    frame["resume"] = json!({"vs": vs, "rev": rev});
    frame
}

#[test]
fn a_reconnect_resumes_the_view_session_without_mounting() {
    let mut h = Harness::new(&runtime(DjustConfig::new()));
    let vs = h.mount()["vs"].clone();
    h.click("increment", Some(1));
    h.click("increment", Some(2));
    let mut h = reconnect(h, Duration::from_secs(3));
    assert_eq!(
        h.runtime.sessions.stats().sessions,
        1,
        "waiting in its grace window"
    );
    assert!(h.runtime.sessions.stats().bytes > 0);
    let frame = resume_frame(&h, &vs, 1);
    let resumed = h.one(&frame);
    assert_eq!(h.runtime.sessions.stats().sessions, 0, "claimed");
    assert_eq!(resumed["type"], "resumed");
    assert_eq!(
        (resumed["rev"].as_u64(), resumed["ack"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        resumed["patches"].as_array().unwrap().len(),
        1,
        "rev 2 only"
    );
    assert_eq!(resumed["version"], 1);
    // The client resends what it has no ack for: a duplicate; then new events apply.
    assert_eq!(h.click("increment", Some(2))[0]["duplicate"], true);
    h.click("increment", Some(3));
    assert!(
        h.html().contains(">3</h1>"),
        "state kept, nothing applied twice"
    );
}

#[test]
fn a_resume_replays_the_missed_flash_and_stream_operations_and_sets_the_title() {
    let mut h = Harness::new(&runtime(DjustConfig::new()));
    let vs = h.mount()["vs"].clone();
    let increment = h.click("increment", Some(1));
    assert_eq!(increment[0]["title"], "(1) Counter");
    // A frame that only carries a flash and a stream operation is a revision of its own.
    let notify = h.click("notify", Some(2));
    assert_eq!(
        (notify[0]["type"].as_str(), notify[0]["rev"].as_u64()),
        (Some("noop"), Some(2))
    );
    h.click("increment", Some(3));
    let mut h = reconnect(h, Duration::from_secs(1));
    let resumed = h.one(&resume_frame(&h, &vs, 1));
    assert_eq!(resumed["type"], "resumed");
    assert_eq!(resumed["rev"], 3);
    assert_eq!(resumed["patches"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        resumed["flash"],
        json!([{"kind": "info", "message": "at 1"}])
    );
    assert_eq!(
        resumed["streams"],
        json!([{"op": "reset", "stream": "log"}])
    );
    assert_eq!(resumed["title"], "(2) Counter");
    // A client that saw everything gets no flash again.
    let mut h = reconnect(h, Duration::from_secs(1));
    let again = h.one(&resume_frame(&h, &vs, 3));
    assert_eq!(again["patches"], json!([]));
    assert!(again.get("flash").is_none() && again.get("streams").is_none());
    assert_eq!(again["title"], "(2) Counter");
}

#[test]
fn a_resume_from_too_far_back_gets_the_whole_view() {
    let mut h = Harness::new(&runtime(DjustConfig::new()));
    let vs = h.mount()["vs"].clone();
    for seq in 1..=70 {
        h.click("increment", Some(seq));
    }
    let mut h = reconnect(h, Duration::ZERO);
    let frame = resume_frame(&h, &vs, 0);
    let resumed = h.one(&frame);
    assert!(resumed.get("patches").is_none());
    assert!(resumed["html"].as_str().unwrap().contains(">70</h1>"));
}

#[test]
fn a_resume_takes_the_session_over_from_a_connection_not_yet_closed() {
    let runtime = runtime(DjustConfig::new());
    let mut old = Harness::new(&runtime);
    let vs = old.mount()["vs"].clone();
    old.click("increment", Some(1));
    let mut new = Harness::new(&runtime);
    let frame = resume_frame(&new, &vs, 1);
    assert_eq!(new.one(&frame)["type"], "resumed");
    // The half-open connection no longer holds it, and its close does not park it.
    assert_eq!(old.click("increment", Some(2))[0]["code"], "not_mounted");
    old.conn.closed(old.now);
    assert_eq!(runtime.sessions.stats().sessions, 0);
    new.click("increment", Some(2));
    assert!(new.html().contains(">2</h1>"));
}

#[test]
fn messages_sent_during_the_grace_window_arrive_after_the_resume() {
    let topic = Arc::new(Topic::<i64>::new());
    let mut h = Harness::new(&runtime(DjustConfig::new().data(Arc::clone(&topic))));
    let vs = h.mount()["vs"].clone();
    assert_eq!(topic.broadcast(&1), 1);
    let delivered = h.take_inbox();
    assert_eq!(
        delivered.len(),
        1,
        "attached: through the connection's mailbox"
    );
    let mut h = reconnect(h, Duration::from_secs(1));
    assert_eq!(topic.broadcast(&5), 1, "parked: queued, still subscribed");
    let frame = resume_frame(&h, &vs, 0);
    let answers = h.frames(&frame);
    assert_eq!(answers[0]["type"], "resumed");
    assert_eq!(
        answers[1]["type"], "patch",
        "the queued message, applied after the resume"
    );
    assert!(h.html().contains(">5</h1>"));
    assert_eq!(topic.broadcast(&1), 1);
    assert_eq!(h.take_inbox().len(), 1, "the new connection's mailbox");
}

#[test]
fn what_cannot_be_resumed_is_remounted_with_its_reason() {
    let grace = DjustConfig::new().view_session_grace(Duration::from_secs(30));
    let runtime = runtime(grace.max_parked_view_sessions(1, usize::MAX));
    let mut h = Harness::new(&runtime);
    let vs = h.mount()["vs"].clone();
    h.click("increment", Some(1));
    let mut h = reconnect(h, Duration::from_secs(31));
    let frame = resume_frame(&h, &vs, 1);
    let remount = h.one(&frame);
    assert_eq!(
        (remount["type"].as_str(), remount["remounted"].as_str()),
        (Some("mount"), Some("expired"))
    );
    assert_ne!(remount["vs"], vs);
    // A replayed event runs against the new state, flagged.
    let replay = json!({"type": "event", "target": "dj-v-counter", "event": "increment",
                        "ref": 1, "seq": 1, "replay": {"rev": 1}});
    h.send(&replay);
    assert!(h.html().contains("|Some(1)"));

    // Evicted: the bound is one session in grace.
    let mut a = Harness::new(&runtime);
    let vs_a = a.mount()["vs"].clone();
    let mut b = Harness::new(&runtime);
    b.mount();
    a.conn.closed(a.now);
    b.conn.closed(b.now);
    let mut c = Harness::new(&runtime);
    let frame = resume_frame(&c, &vs_a, 0);
    assert_eq!(c.one(&frame)["remounted"], "evicted");
    // Unknown (another server with the same secret), and refused (forged).
    let mut elsewhere = Harness::new(&self::runtime(DjustConfig::new()));
    let vs_elsewhere = elsewhere.mount()["vs"].clone();
    let frame = resume_frame(&c, &vs_elsewhere, 0);
    assert_eq!(c.one(&frame)["remounted"], "unknown");
    let frame = resume_frame(&c, &json!("nope.AAAA"), 0);
    assert_eq!(c.one(&frame)["remounted"], "refused");
    let forged_id = format!("{}x", vs.as_str().unwrap());
    let frame = resume_frame(&c, &json!(forged_id), 0);
    assert_eq!(c.one(&frame)["remounted"], "refused");
}

#[test]
fn a_view_may_refuse_what_is_replayed_after_a_remount() {
    let mut h = Harness::new(&runtime(DjustConfig::new()));
    let mount = json!({"type": "mount", "target": "s", "view": Strict::NAME,
                       "token": h.token(Strict::NAME, "/counter/"), "url": "/counter/"});
    assert_eq!(h.one(&mount)["type"], "mount");
    let replay = json!({"type": "event", "target": "s", "event": "increment", "ref": 4,
                        "seq": 1, "replay": {"rev": 3}});
    let refused = h.one(&replay);
    assert_eq!(
        (refused["code"].as_str(), refused["ack"].as_u64()),
        (Some("not_applied"), Some(1))
    );
    assert_eq!(
        h.one(&replay)["code"],
        "not_applied",
        "and its duplicate too, once"
    );
    let fresh = json!({"type": "event", "target": "s", "event": "increment", "ref": 5, "seq": 2});
    let applied = h.one(&fresh);
    assert!(
        ["patch", "html_update"].contains(&applied["type"].as_str().unwrap()),
        "{applied}"
    );
    assert_eq!(applied["rev"], 1, "only the fresh event changed the view");
}

/// A span seen: its name, its fields, whether it follows another span.
type SeenSpan = (String, Vec<(String, String)>, bool);

/// Every span, in creation order (its id is its position + 1).
#[derive(Clone, Default)]
struct SpanLog(Arc<std::sync::Mutex<Vec<SeenSpan>>>);

impl SpanLog {
    /// The fields of every span named `name`.
    fn named(&self, name: &str) -> Vec<(std::collections::BTreeMap<String, String>, bool)> {
        let spans = self.0.lock().unwrap();
        spans
            .iter()
            .filter(|(seen, _, _)| seen == name)
            .map(|(_, fields, follows)| (fields.iter().cloned().collect(), *follows))
            .collect()
    }
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let value = format!("{value:?}").trim_matches('"').to_owned();
        self.0.push((field.name().to_owned(), value));
    }
}

impl tracing::Subscriber for SpanLog {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = Vec::new();
        attrs.record(&mut Fields(&mut fields));
        let mut spans = self.0.lock().unwrap();
        spans.push((attrs.metadata().name().to_owned(), fields, false));
        tracing::span::Id::from_u64(spans.len() as u64)
    }
    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut spans = self.0.lock().unwrap();
        if let Some((_, fields, _)) = spans.get_mut(span.into_u64() as usize - 1) {
            values.record(&mut Fields(fields));
        }
    }
    fn record_follows_from(&self, span: &tracing::span::Id, _: &tracing::span::Id) {
        if let Some(seen) = self.0.lock().unwrap().get_mut(span.into_u64() as usize - 1) {
            seen.2 = true;
        }
    }
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[test]
fn resumes_duplicates_and_replays_are_counted_and_spanned() {
    let recorder = metrics_util::debugging::DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let spans = SpanLog::default();
    let dispatch = tracing::Dispatch::new(spans.clone());
    metrics::with_local_recorder(&recorder, || {
        tracing::dispatcher::with_default(&dispatch, || {
            let mut h = Harness::new(&runtime(DjustConfig::new()));
            let vs = h.mount()["vs"].clone();
            h.click("increment", Some(1));
            h.click("increment", Some(2));
            let mut h = reconnect(h, Duration::ZERO);
            let frame = resume_frame(&h, &vs, 1);
            assert_eq!(h.one(&frame)["type"], "resumed");
            assert_eq!(h.click("increment", Some(2))[0]["duplicate"], true);
            let mut h = reconnect(h, Duration::ZERO);
            let frame = resume_frame(&h, &json!("nope.AAAA"), 0);
            assert_eq!(h.one(&frame)["remounted"], "refused");
            let replay = json!({"type": "event", "target": "dj-v-counter", "event": "increment",
                                "ref": 9, "seq": 1, "replay": {"rev": 2}});
            h.send(&replay);
        });
    });
    let counted: Vec<(String, Vec<String>, String)> = snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .map(|(key, _, _, value)| {
            let key = key.key();
            let labels = key.labels().map(|l| format!("{}={}", l.key(), l.value()));
            (
                key.name().to_owned(),
                labels.collect(),
                format!("{value:?}"),
            )
        })
        .collect();
    let count = |name: &str, labels: &[&str]| {
        counted
            .iter()
            .find(|(n, l, _)| n == name && labels.iter().all(|label| l.iter().any(|x| x == label)))
            .map(|(_, _, value)| value.clone())
            .unwrap_or_else(|| panic!("no {name} {labels:?} in {counted:#?}"))
    };
    let name = super::Counter::NAME;
    let view = &format!("view={name}");
    let resumed = [view, "outcome=resumed", "reason=patches"];
    assert_eq!(count(crate::metric::RESUMES, &resumed), "Counter(1)");
    let refused = [view, "outcome=remounted", "reason=refused"];
    assert_eq!(count(crate::metric::RESUMES, &refused), "Counter(1)");
    assert_eq!(count(crate::metric::DUPLICATES, &[view]), "Counter(1)");
    let applied = [view, "outcome=applied"];
    assert_eq!(count(crate::metric::REPLAYS, &applied), "Counter(1)");

    let resumes = spans.named("djust.resume");
    assert_eq!(resumes.len(), 2, "{resumes:?}");
    let (first, follows) = &resumes[0];
    assert!(follows, "linked to its connection's span, not inside it");
    let fields = |span: &std::collections::BTreeMap<String, String>| {
        ["view", "client_rev", "outcome", "reason", "rev", "missed"]
            .map(|name| span.get(name).cloned().unwrap_or_default())
    };
    assert_eq!(fields(first), [name, "1", "resumed", "patches", "2", "1"]);
    assert_eq!(
        fields(&resumes[1].0),
        [name, "0", "remounted", "refused", "", ""]
    );
}
