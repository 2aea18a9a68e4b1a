//! The spans of one event, seen by a test subscriber, through the test kit (the metrics are
//! in `metrics.rs`: tracing's callsite cache is global to the test process).

use std::{
    collections::BTreeMap,
    fmt,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
};

mod clicks;

use clicks::Clicks;
use djust_actix::{prelude::LiveView as _, test::LivePage, Djust, DjustConfig};
use tracing::{
    field::{Field, Visit},
    span, Event, Metadata, Subscriber,
};

/// A span as the subscriber saw it.
#[derive(Debug, Default, Clone)]
struct SeenSpan {
    name: &'static str,
    root: bool,
    fields: BTreeMap<String, String>,
    follows: Vec<u64>,
}

/// Records every span, its fields and its `follows_from` links.
#[derive(Default, Clone)]
struct Recorder {
    spans: Arc<Mutex<BTreeMap<u64, SeenSpan>>>,
    next: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(
            field.name().to_owned(),
            format!("{value:?}").trim_matches('"').to_owned(),
        );
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attrs: &span::Attributes<'_>) -> span::Id {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut seen = SeenSpan {
            name: attrs.metadata().name(),
            root: attrs.is_root(),
            ..SeenSpan::default()
        };
        attrs.record(&mut Fields(&mut seen.fields));
        self.spans.lock().unwrap().insert(id, seen);
        span::Id::from_u64(id)
    }

    fn record(&self, span: &span::Id, values: &span::Record<'_>) {
        if let Some(seen) = self.spans.lock().unwrap().get_mut(&span.into_u64()) {
            values.record(&mut Fields(&mut seen.fields));
        }
    }

    fn record_follows_from(&self, span: &span::Id, follows: &span::Id) {
        if let Some(seen) = self.spans.lock().unwrap().get_mut(&span.into_u64()) {
            seen.follows.push(follows.into_u64());
        }
    }

    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &span::Id) {}
    fn exit(&self, _: &span::Id) {}
}

#[test]
fn one_event_has_its_own_span_linked_to_the_connection_span() {
    let djust = Djust::new(DjustConfig::new().secret("a test secret of at least 32 bytes!!"))
        .view::<Clicks>("/clicks/");
    let recorder = Recorder::default();
    tracing::subscriber::with_default(recorder.clone(), || {
        let mut page = LivePage::open(&djust, "/clicks/");
        page.element("p", Some("0")).click().unwrap();
    });
    let spans = recorder.spans.lock().unwrap().clone();
    let named = |name| {
        spans
            .iter()
            .find(|(_, span)| span.name == name)
            .unwrap_or_else(|| panic!("no span {name}: {spans:?}"))
    };
    let (connection_id, connection) = named("djust.connection");
    assert!(connection.fields["connection"].starts_with("c-"));
    let (_, mount) = named("djust.mount");
    assert_eq!(mount.fields["view"], Clicks::NAME);
    assert_eq!(mount.fields["outcome"], "html");
    let (_, event) = named("djust.handle_event");
    assert!(
        event.root,
        "an event span is not nested in the connection span"
    );
    assert_eq!(event.follows, vec![*connection_id]);
    assert_eq!(event.fields["view"], Clicks::NAME);
    assert_eq!(event.fields["event"], "click");
    assert_eq!(event.fields["outcome"], "patch");
    assert_eq!(event.fields["patches"], "1");
    assert!(event.fields["bytes"].parse::<usize>().unwrap() > 0);
    assert!(event.fields.contains_key("duration_us"));
}
