//! The connection core driven directly: frames, signals, ticks and view messages in, actions
//! out — no socket, no actix, no clock but the one the tests move.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use djust_core::token::{sign_view_token, verify_view_token};
use serde_json::{json, Value};

use super::{close_code, ws_close, Action, Connection, Mailbox, Signal, ViewMessage};
use crate::{
    layout::DefaultLayout,
    prelude::*,
    runtime::{PageRoute, Runtime},
    support::unix_now,
    DjustConfig, Hydrate,
};

const BROWSER: &str = "djust_session=browser-1";

/// A counter with one handler per behaviour the tests need.
#[live_view(
    inline = r#"{{ self.guard()? }}<h1>{{ count }}</h1><p>{{ last_id }}</p><button dj-click="increment">+</button>"#,
    enable_state_snapshot
)]
struct Counter {
    pub count: i64,
    #[snapshot(skip)]
    last_id: String,
    #[snapshot(skip)]
    broken: bool,
}

impl Counter {
    fn guard(&self) -> Result<&'static str, &'static str> {
        if self.broken {
            Err("template exploded")
        } else {
            Ok("")
        }
    }
}

#[events]
impl Counter {
    fn mount(ctx: &mut MountContext<'_, i64>) -> Result<Self, MountError> {
        if ctx.query("refuse").is_some() {
            return Err(MountError::new("no such counter"));
        }
        if ctx.query("panic").is_some() {
            panic!("mount exploded");
        }
        if ctx.query("away").is_some() {
            ctx.context().live_redirect("/other/");
        }
        let topic = ctx.data::<Arc<Topic<i64>>>().map(Arc::clone);
        if let (Some(topic), Some(handle)) = (topic, ctx.context().handle()) {
            topic.subscribe(handle);
        }
        Ok(Self {
            count: 0,
            last_id: String::new(),
            broken: false,
        })
    }

    #[event]
    fn increment(&mut self, step: Option<i64>, ctx: &mut Context<i64>) {
        self.count += step.unwrap_or(1);
        self.last_id = format!("{}|{:?}", ctx.event_id().unwrap_or("-"), ctx.replay_of());
    }

    #[event]
    fn noop(&mut self) {}

    /// Changes the page without patching it: a flash and a stream reset.
    #[event]
    fn notify(&mut self, ctx: &mut Context<i64>) {
        ctx.put_flash("info", format!("at {}", self.count));
        ctx.stream_reset("log");
    }

    /// `(3) Counter`: the count, live.
    fn title(&self) -> String {
        format!("({}) Counter", self.count)
    }

    #[event]
    fn boom(&mut self) {
        self.count += 1000;
        panic!("boom");
    }

    #[event]
    fn fail(&mut self) -> Result<(), String> {
        self.count += 100;
        Err("not allowed".to_owned())
    }

    #[event]
    fn push(&mut self, ctx: &mut Context<i64>) {
        self.count += 1;
        ctx.push_event("pushed", json!({ "count": self.count }));
    }

    #[event]
    fn later(&mut self, ctx: &mut Context<i64>) {
        ctx.send_after(Duration::from_secs(5), 10);
    }

    #[event]
    fn patch_url(&mut self, ctx: &mut Context<i64>) {
        ctx.live_patch("/counter/?page=2");
    }

    #[event]
    fn break_render(&mut self) {
        self.broken = true;
    }

    fn handle_info(&mut self, info: i64, _ctx: &mut Context<i64>) {
        self.count += info;
    }
}

/// A second page, for navigation and batches.
#[live_view(inline = "<p>other</p>")]
struct Other {}

#[events]
impl Other {
    fn mount(_ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        Ok(Self {})
    }
}

/// A view whose events replayed after a remount are refused.
#[live_view(inline = "<p>{{ count }}</p>", after_remount = "drop")]
struct Strict {
    count: i64,
}

#[events]
impl Strict {
    fn mount(_ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        Ok(Self { count: 0 })
    }

    #[event]
    fn increment(&mut self) {
        self.count += 1;
    }
}

fn runtime(config: DjustConfig) -> Arc<Runtime> {
    let mut runtime = Runtime::new(
        config.secret(vec![7_u8; 32]),
        Arc::new(DefaultLayout::default()),
    );
    let counter = runtime.registry.register::<Counter>();
    runtime.pages.push(Arc::new(PageRoute::new(
        "/counter/",
        Counter::NAME,
        counter,
    )));
    runtime.registry.register::<Strict>();
    let other = runtime.registry.register::<Other>();
    let mut page = PageRoute::new("/other/", Other::NAME, other);
    page.add_lazy(Counter::NAME, Hydrate::Click);
    runtime.pages.push(Arc::new(page));
    Arc::new(runtime)
}

/// One connection and what its views sent to its mailbox.
struct Harness {
    runtime: Arc<Runtime>,
    conn: Connection,
    inbox: Arc<Mutex<Vec<ViewMessage>>>,
    now: Instant,
}

/// A process-wide subscriber that wants every callsite and records nothing. Tracing caches a
/// callsite's interest for the whole process: without it, a callsite first reached by a test
/// with no subscriber while another test was setting up its scoped one could stay "never" and
/// hide spans from that test (`delivery::resumes_…_spanned`).
struct Interested;

impl tracing::Subscriber for Interested {
    fn register_callsite(
        &self,
        _: &'static tracing::Metadata<'static>,
    ) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::always()
    }
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

impl Harness {
    fn new(runtime: &Arc<Runtime>) -> Self {
        static INTERESTED: std::sync::Once = std::sync::Once::new();
        INTERESTED.call_once(|| {
            // Another test of the process may have set one first: then that one decides.
            let _ = tracing::dispatcher::set_global_default(tracing::Dispatch::new(Interested));
        });
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&inbox);
        let mailbox: Mailbox = Arc::new(move |message| {
            sink.lock().unwrap().push(message);
            true
        });
        let now = Instant::now();
        let headers = vec![("cookie".to_owned(), BROWSER.to_owned())];
        let mut conn = Connection::new(Arc::clone(runtime), headers, mailbox, true, now);
        conn.connect();
        let hello = frames(conn.take_actions());
        assert_eq!(hello[0]["type"], "connect");
        assert!(hello[0]["session_id"].as_str().unwrap().starts_with("c-"));
        Self {
            runtime: Arc::clone(runtime),
            conn,
            inbox,
            now,
        }
    }

    fn send(&mut self, frame: &Value) -> Vec<Action> {
        self.conn.on_frame(self.now, frame.to_string().as_bytes());
        self.conn.take_actions()
    }

    fn frames(&mut self, frame: &Value) -> Vec<Value> {
        frames(self.send(frame))
    }

    fn one(&mut self, frame: &Value) -> Value {
        let mut answers = self.frames(frame);
        assert_eq!(answers.len(), 1, "{answers:?}");
        answers.remove(0)
    }

    fn token(&self, view: &str, path: &str) -> String {
        sign_view_token(self.runtime.config.key(), view, path, unix_now())
    }

    fn mount_frame(&self, url: &str) -> Value {
        let path = url.split('?').next().unwrap();
        json!({"type": "mount", "target": "dj-v-counter", "view": Counter::NAME,
               "token": self.token(Counter::NAME, path), "url": url})
    }

    fn mount(&mut self) -> Value {
        let frame = self.mount_frame("/counter/");
        self.one(&frame)
    }

    fn click(&mut self, event: &str, seq: Option<u64>) -> Vec<Value> {
        self.frames(
            &json!({"type": "event", "target": "dj-v-counter", "event": event,
                            "params": {}, "ref": 1, "seq": seq}),
        )
    }

    fn html(&mut self) -> String {
        let answer = self.one(&json!({"type": "request_html", "target": "dj-v-counter"}));
        assert_eq!(answer["type"], "html_recovery");
        answer["html"].as_str().unwrap().to_owned()
    }

    fn take_inbox(&self) -> Vec<ViewMessage> {
        std::mem::take(&mut *self.inbox.lock().unwrap())
    }
}

fn frames(actions: Vec<Action>) -> Vec<Value> {
    actions
        .into_iter()
        .map(|action| match action {
            Action::Send(text) => serde_json::from_str(&text).unwrap(),
            other => panic!("expected a frame, got {other:?}"),
        })
        .collect()
}

/// The first action, a frame.
fn first_frame(actions: &[Action]) -> Value {
    match actions.first() {
        Some(Action::Send(text)) => serde_json::from_str(text).unwrap(),
        other => panic!("expected a frame, got {other:?}"),
    }
}

fn close_of(actions: &[Action]) -> Option<u16> {
    actions.iter().find_map(|action| match action {
        Action::Close { code, .. } => Some(*code),
        _ => None,
    })
}

#[test]
fn ping_and_malformed_frames() {
    let mut h = Harness::new(&runtime(DjustConfig::new()));
    assert_eq!(h.one(&json!({"type": "ping"})), json!({"type": "pong"}));
    h.conn.on_frame(h.now, b"{not json");
    let answer = frames(h.conn.take_actions()).remove(0);
    assert_eq!(
        (answer["code"].as_str(), answer["recoverable"].as_bool()),
        (Some("malformed_frame"), Some(true))
    );
    assert_eq!(h.one(&json!({"type": "launch"}))["code"], "unknown_type");
    assert_eq!(h.one(&json!({"type": "event"}))["code"], "bad_frame");
    h.conn.on_frame(h.now, &[0xff, 0xfe]);
    assert_eq!(frames(h.conn.take_actions())[0]["code"], "malformed_frame");
}

#[test]
fn mount_answers_html_with_a_view_session() {
    let mut h = Harness::new(&runtime(DjustConfig::new()));
    let mount = h.mount();
    assert_eq!(mount["type"], "mount");
    assert_eq!(mount["version"], 1);
    assert_eq!(
        (mount["rev"].as_u64(), mount["ack"].as_u64()),
        (Some(0), Some(0))
    );
    assert!(mount["vs"].as_str().unwrap().contains('.'));
    assert!(mount["html"].as_str().unwrap().contains("<h1 dj-id="));
    assert!(mount["snapshot"].is_string(), "snapshot-enabled view");
    assert!(mount.get("remounted").is_none());
}

#[test]
fn refused_mounts_say_why_and_policy_refusals_close() {
    let runtime = runtime(DjustConfig::new());
    let mut h = Harness::new(&runtime);
    let mut forged = h.mount_frame("/counter/");
    forged["token"] = json!("forged");
    let actions = h.send(&forged);
    assert_eq!(close_of(&actions), Some(close_code::FORBIDDEN));
    assert_eq!(first_frame(&actions)["code"], "bad_token");
    assert!(
        h.send(&json!({"type": "ping"})).is_empty(),
        "closed: nothing more"
    );

    let mut h = Harness::new(&runtime);
    let mut unknown = h.mount_frame("/counter/");
    unknown["view"] = json!("no::Such");
    let actions = h.send(&unknown);
    assert_eq!(close_of(&actions), Some(close_code::VIEW_NOT_ALLOWED));

    let mut h = Harness::new(&runtime);
    let frame = h.mount_frame("/counter/?refuse=1");
    let refused = h.one(&frame);
    assert_eq!(refused["code"], "mount_failed");
    assert!(refused["error"]
        .as_str()
        .unwrap()
        .contains("no such counter"));
    let frame = h.mount_frame("/counter/?panic=1");
    let panicked = h.one(&frame);
    assert_eq!(panicked["error"], "the view panicked while mounting");
    assert_eq!(h.mount()["version"], 1, "refusals took no version");
}

#[test]
fn events_patch_noop_and_carry_revisions_and_acks() {
    let mut h = Harness::new(&runtime(DjustConfig::new()));
    h.mount();
    let patch = h.click("increment", Some(1)).remove(0);
    assert_eq!(patch["type"], "patch");
    assert_eq!(
        (patch["version"].as_u64(), patch["rev"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(
        (patch["ack"].as_u64(), patch["ref"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(patch["event"], "increment");
    let noop = h.click("noop", Some(2)).remove(0);
    assert_eq!(
        noop,
        json!({"type": "noop", "target": "dj-v-counter", "ref": 1,
                            "event": "noop", "ack": 2})
    );
    assert!(h.html().contains(">1</h1>"));
}

#[test]
fn a_duplicate_is_not_applied_again_and_says_so() {
    let mut h = Harness::new(&runtime(DjustConfig::new()));
    h.mount();
    h.click("increment", Some(1));
    let again = h.click("increment", Some(1)).remove(0);
    assert_eq!(again["type"], "noop");
    assert_eq!(
        (again["duplicate"].as_bool(), again["ack"].as_u64()),
        (Some(true), Some(1))
    );
    assert!(h.html().contains(">1</h1>"));

    // A duplicate of a refused event gets the same refusal.
    let bad = json!({"type": "event", "target": "dj-v-counter", "event": "increment",
                     "params": {"step": "x"}, "ref": 2, "seq": 2});
    assert_eq!(h.one(&bad)["code"], "invalid_param");
    assert_eq!(h.one(&bad)["code"], "invalid_param");
    // Events without a number are applied as they come.
    h.click("increment", None);
    h.click("increment", None);
    assert!(h.html().contains(">3</h1>"));
}

#[test]
fn handlers_read_a_stable_event_id() {
    let mut h = Harness::new(&runtime(DjustConfig::new()));
    let mount = h.mount();
    let session = mount["vs"]
        .as_str()
        .unwrap()
        .split('.')
        .next()
        .unwrap()
        .to_owned();
    h.click("increment", Some(1));
    assert!(h.html().contains(&format!("{session}:1|None")));
}

#[test]
fn handler_failures_answer_the_event_and_keep_the_connection() {
    let mut h = Harness::new(&runtime(DjustConfig::new()));
    h.mount();
    let boom = h.click("boom", Some(1));
    assert_eq!(boom[0]["code"], "handler_panicked");
    assert_eq!(boom[0]["error"], "the handler panicked");
    assert_eq!(boom[1]["type"], "patch", "the state the handler left");
    assert!(boom[1].get("ref").is_none());
    let fail = h.click("fail", Some(2));
    assert_eq!(fail[0]["code"], "handler_error");
    assert!(h.html().contains(">1100</h1>"));
    assert_eq!(h.click("nope", Some(3))[0]["code"], "unknown_event");
    let broken = h.click("break_render", Some(4));
    assert_eq!(broken[0]["code"], "render_failed");
    let missing = h.frames(&json!({"type": "event", "target": "dj-v-none", "event": "x"}));
    assert_eq!(missing[0]["code"], "not_mounted");
}

#[test]
fn push_events_follow_their_patch_and_timers_come_back_as_messages() {
    let mut h = Harness::new(&runtime(DjustConfig::new()));
    h.mount();
    let pushed = h.click("push", Some(1));
    assert_eq!(
        pushed
            .iter()
            .map(|f| f["type"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["patch", "push_event"]
    );
    assert_eq!(pushed[1]["payload"], json!({"count": 1}));

    let actions = h.send(&json!({"type": "event", "target": "dj-v-counter",
                                 "event": "later", "ref": 2, "seq": 2}));
    let timer = actions.into_iter().find_map(|action| match action {
        Action::Timer { after, message } => Some((after, message)),
        _ => None,
    });
    let (after, message) = timer.expect("a timer");
    assert_eq!(after, Duration::from_secs(5));
    h.conn.deliver(message);
    let patch = frames(h.conn.take_actions()).remove(0);
    assert_eq!(patch["type"], "patch");
    assert!(patch.get("ref").is_none());
    assert!(h.html().contains(">11</h1>"));
}

#[test]
fn messages_for_a_replaced_view_go_nowhere() {
    let mut h = Harness::new(&runtime(DjustConfig::new()));
    h.mount();
    // A timer of the first mount.
    let actions = h.send(&json!({"type": "event", "target": "dj-v-counter",
                                 "event": "later", "ref": 1}));
    let Some(message) = actions.into_iter().find_map(|action| match action {
        Action::Timer { message, .. } => Some(message),
        _ => None,
    }) else {
        panic!("a timer");
    };
    let session = message.session.clone();
    h.conn.deliver(message);
    h.conn.take_actions();
    // A message for a session this connection no longer holds goes nowhere.
    h.mount();
    h.conn.deliver(ViewMessage {
        session,
        info: Box::new(5_i64),
    });
    assert!(h.conn.take_actions().is_empty());
    assert!(h.take_inbox().is_empty());
}

#[test]
fn batches_mount_what_they_can() {
    let mut h = Harness::new(&runtime(DjustConfig::new()));
    let good = json!({"target": "a", "view": Other::NAME,
                      "token": h.token(Other::NAME, "/other/"), "url": "/other/"});
    let forged = json!({"target": "b", "view": Other::NAME, "token": "x", "url": "/other/"});
    let unknown = json!({"target": "c", "view": "no::Such", "token": "x", "url": "/other/"});
    let away = json!({"target": "d", "view": Counter::NAME,
                      "token": h.token(Counter::NAME, "/counter/"), "url": "/counter/?away=1"});
    let batch = h.one(&json!({"type": "mount_batch", "views": [good, forged, unknown, away]}));
    assert_eq!(batch["type"], "mount_batch");
    assert_eq!(batch["views"].as_array().unwrap().len(), 2);
    let codes: Vec<_> = batch["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|failure| failure["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["bad_token", "unknown_view"]);
    assert_eq!(batch["navigate"][0]["url"], "/other/");
}

#[test]
fn live_redirect_leaves_every_view_with_its_snapshot() {
    let mut h = Harness::new(&runtime(DjustConfig::new()));
    h.mount();
    h.click("increment", Some(1));
    let navigate = h.one(&json!({"type": "live_redirect", "url": "/other/?x=1"}));
    assert_eq!(navigate["type"], "navigate");
    let views = navigate["views"].as_array().unwrap();
    assert_eq!(views[0]["view"], Other::NAME);
    assert_eq!(views[1]["lazy"], "click");
    assert_eq!(navigate["left"][0]["view"], Counter::NAME);
    assert_eq!(h.click("increment", Some(2))[0]["code"], "not_mounted");
    let missing = h.one(&json!({"type": "live_redirect", "url": "/nowhere/"}));
    assert_eq!(missing["code"], "not_found");
    let patched = h.one(&h.mount_frame("/counter/"));
    assert_eq!(patched["type"], "mount");
    let runtime = Arc::clone(&h.runtime);
    let key = runtime.config.key();
    let fresh = patched["token"]
        .as_str()
        .expect("a mount answer carries a fresh token");
    assert!(verify_view_token(key, fresh, Counter::NAME, "/counter/", unix_now(), 60).is_ok());
    let mut live_patch = h.click("patch_url", None).remove(1);
    let token = live_patch["tokens"]
        .as_object_mut()
        .and_then(|tokens| tokens.remove("dj-v-counter"))
        .expect("a fresh token for the patched URL");
    assert!(verify_view_token(
        key,
        token.as_str().unwrap(),
        Counter::NAME,
        "/counter/",
        unix_now(),
        60
    )
    .is_ok());
    assert_eq!(
        live_patch,
        json!({"type": "live_patch",
        "target": "dj-v-counter", "url": "/counter/?page=2", "tokens": {}})
    );
}

#[test]
fn transport_signals() {
    let runtime = runtime(DjustConfig::new());
    let mut h = Harness::new(&runtime);
    h.conn.on_signal(h.now, Signal::Binary);
    assert_eq!(frames(h.conn.take_actions())[0]["code"], "bad_frame");
    h.conn.on_signal(h.now, Signal::Ping(b"hi".to_vec()));
    assert_eq!(h.conn.take_actions(), [Action::Pong(b"hi".to_vec())]);
    h.conn.on_signal(h.now, Signal::Pong);
    assert!(h.conn.take_actions().is_empty());
    h.conn.on_signal(h.now, Signal::TooLarge);
    let actions = h.conn.take_actions();
    assert_eq!(first_frame(&actions)["code"], "frame_too_large");
    assert_eq!(close_of(&actions), Some(ws_close::TOO_BIG));

    let mut h = Harness::new(&runtime);
    h.conn.on_signal(h.now, Signal::Close(Some(4000)));
    assert_eq!(close_of(&h.conn.take_actions()), Some(4000));
    let mut h = Harness::new(&runtime);
    h.conn.on_signal(h.now, Signal::Broken("bad".into()));
    assert_eq!(close_of(&h.conn.take_actions()), Some(ws_close::PROTOCOL));
}

#[test]
fn heartbeat_pings_then_closes_a_silent_client() {
    let runtime = runtime(DjustConfig::new());
    let mut h = Harness::new(&runtime);
    h.conn.tick(h.now + Duration::from_secs(10));
    assert_eq!(h.conn.take_actions(), [Action::Ping]);
    h.conn.tick(h.now + Duration::from_secs(31));
    assert_eq!(close_of(&h.conn.take_actions()), Some(ws_close::AWAY));
}

#[test]
fn after_a_heartbeat_hibernated_the_view_it_still_patches_and_noops() {
    let mut h = Harness::new(&runtime(DjustConfig::new()));
    h.mount();
    h.conn.tick(h.now + Duration::from_secs(10));
    assert_eq!(h.conn.take_actions(), [Action::Ping]);
    let patch = h.click("increment", Some(1)).remove(0);
    assert_eq!(patch["type"], "patch", "{patch}");
    h.conn.tick(h.now + Duration::from_secs(20));
    assert_eq!(h.conn.take_actions(), [Action::Ping]);
    assert_eq!(h.click("noop", Some(2)).remove(0)["type"], "noop");
    h.conn.tick(h.now + Duration::from_secs(30));
    assert_eq!(h.conn.take_actions(), [Action::Ping]);
    assert!(h.html().contains(">1</h1>"));
    assert_eq!(h.click("increment", Some(3)).remove(0)["type"], "patch");
    assert!(h.html().contains(">2</h1>"));
}

#[test]
fn the_rate_limit_refuses_then_closes() {
    let mut h = Harness::new(&runtime(DjustConfig::new().rate_limit(1, 2)));
    h.send(&json!({"type": "ping"}));
    h.send(&json!({"type": "ping"}));
    let refused = h.send(&json!({"type": "event", "target": "t", "event": "go", "ref": 9}));
    let [Action::Send(text)] = refused.as_slice() else {
        panic!("{refused:?}");
    };
    let error: serde_json::Value = serde_json::from_str(text).expect("JSON");
    assert_eq!(error["code"], "rate_limited", "{error}");
    assert_eq!(
        (&error["target"], &error["event"], &error["ref"]),
        (&json!("t"), &json!("go"), &json!(9))
    );
    assert_eq!(error["recoverable"], true);
    assert_eq!(
        close_of(&h.send(&json!({"type": "ping"}))),
        Some(close_code::RATE_LIMITED),
        "the second refusal in a row closes"
    );
}

#[test]
fn the_rate_limit_is_on_by_default() {
    let mut h = Harness::new(&runtime(DjustConfig::new()));
    for _ in 0..400 {
        h.send(&json!({"type": "ping"}));
    }
    let refused = h.send(&json!({"type": "ping"}));
    assert!(
        matches!(refused.as_slice(), [Action::Send(text)] if text.contains("rate_limited")),
        "{refused:?}"
    );
    let mut h = Harness::new(&runtime(DjustConfig::new().without_rate_limit()));
    for _ in 0..1000 {
        assert!(h.send(&json!({"type": "ping"}))[0] == Action::Send(r#"{"type":"pong"}"#.into()));
    }
}

mod delivery;
