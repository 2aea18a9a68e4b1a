//! The metrics of one event, seen by a debugging recorder, through the test kit.

mod clicks;

use clicks::Clicks;
use djust_actix::{metric, prelude::LiveView as _, test::LivePage, Djust, DjustConfig};

#[test]
fn one_event_is_counted_timed_and_measured() {
    let djust = Djust::new(DjustConfig::new().secret("a test secret of at least 32 bytes!!"))
        .view::<Clicks>("/clicks/");
    let recorder = metrics_util::debugging::DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    metrics::with_local_recorder(&recorder, || {
        let mut page = LivePage::open(&djust, "/clicks/");
        page.element("p", Some("0")).click().unwrap();
    });
    let seen: Vec<(String, Vec<String>, String)> = snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .map(|(key, _, _, value)| {
            let key = key.key();
            let labels = key
                .labels()
                .map(|l| format!("{}={}", l.key(), l.value()))
                .collect();
            (key.name().to_owned(), labels, format!("{value:?}"))
        })
        .collect();
    let find = |name: &str, labels: &[&str]| {
        seen.iter()
            .find(|(n, l, _)| n == name && labels.iter().all(|label| l.iter().any(|x| x == label)))
            .map(|(_, _, value)| value.clone())
            .unwrap_or_else(|| panic!("no {name} {labels:?} in {seen:#?}"))
    };
    let view = format!("view={}", Clicks::NAME);
    assert_eq!(find(metric::CONNECTIONS, &[]), "Counter(1)");
    assert_eq!(find(metric::MOUNTS, &[&view, "outcome=html"]), "Counter(1)");
    assert_eq!(
        find(metric::EVENTS, &[&view, "outcome=patch"]),
        "Counter(1)"
    );
    assert!(find(metric::WORK_SECONDS, &[&view, "work=handle_event"]).starts_with("Histogram"));
    // One update for the event (the mount's HTML is counted too).
    let bytes = find(metric::UPDATE_BYTES, &[&view]);
    assert!(bytes.starts_with("Histogram"), "{bytes}");
}
