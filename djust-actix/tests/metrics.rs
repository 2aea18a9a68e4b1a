//! The metrics of one event, seen by a debugging recorder, through the test kit.

use djust_actix::{
    core::{Context, EventError, LiveView, MountContext, MountError, Params, RenderError},
    metric,
    test::LivePage,
    Djust, DjustConfig,
};

struct Clicks(u32);

impl LiveView for Clicks {
    type Info = ();
    const NAME: &'static str = "telemetry::Clicks";
    const EVENTS: &'static [&'static str] = &["click"];

    fn mount(_: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        Ok(Self(0))
    }

    fn render(&self, out: &mut String) -> Result<(), RenderError> {
        // Enough unchanged markup that a patch is shorter than the HTML.
        out.push_str(&format!(
            "<p dj-click=\"click\">{}</p><p>{}</p>",
            self.0,
            "static text ".repeat(20)
        ));
        Ok(())
    }

    fn handle_event(&mut self, _: &str, _: &Params, _: &mut Context<()>) -> Result<(), EventError> {
        self.0 += 1;
        Ok(())
    }
}

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
