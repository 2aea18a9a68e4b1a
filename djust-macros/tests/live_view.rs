//! Runtime behaviour of the generated `LiveView` impls, through the trait only.

use std::time::Duration;

use djust_actix::core::{view::Command, DataMap};
use djust_actix::prelude::*;
use serde_json::json;

#[live_view(template = "counter.html", title = "Counter")]
#[derive(Debug)]
pub struct Counter {
    pub count: i64,
    step: i64,
}

#[events]
impl Counter {
    fn mount(ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        if ctx.query("fail").is_some() {
            return Err(MountError::new("refused"));
        }
        let step = ctx.query("step").and_then(|s| s.parse().ok()).unwrap_or(1);
        Ok(Self { count: 0, step })
    }

    #[event]
    fn increment(&mut self) {
        self.count += self.step;
    }

    #[event]
    fn set_step(&mut self, value: i64) -> Result<(), String> {
        if value < 1 {
            return Err("step must be positive".into());
        }
        self.step = value;
        Ok(())
    }
}

#[live_view(template = "form.html")]
#[derive(Debug, Default)]
pub struct Form {
    pub title: String,
    pub tag_count: usize,
}

#[events]
impl Form {
    #[event(name = "save")]
    fn store(&mut self, title: String, tags: Option<Vec<String>>, ctx: &mut Context<()>) {
        self.tag_count = tags.map_or(0, |tags| tags.len());
        ctx.push_event("saved", json!({ "title": &title }));
        self.title = title;
    }

    fn title(&self) -> Option<String> {
        (!self.title.is_empty()).then(|| format!("Form: {}", self.title))
    }
}

#[derive(Debug, PartialEq)]
pub enum ChatMsg {
    Posted(String),
}

#[live_view(template = "chat.html")]
#[derive(Debug)]
pub struct Chat {
    pub messages: Vec<String>,
}

#[events]
impl Chat {
    fn mount(_ctx: &mut MountContext<'_, ChatMsg>) -> Self {
        Self {
            messages: Vec::new(),
        }
    }

    fn handle_info(&mut self, msg: ChatMsg, _ctx: &mut Context<ChatMsg>) {
        let ChatMsg::Posted(body) = msg;
        self.messages.push(body);
    }

    #[event]
    fn send(&mut self, ctx: &mut Context<ChatMsg>, body: String) {
        ctx.send_after(Duration::from_millis(5), ChatMsg::Posted(body));
    }
}

/// An inline template that includes a file: handlers of both are checked and dispatched.
#[live_view(
    inline = r#"<p id="note" dj-hook="Note">{{ note }}: {{ count }}</p>
<button dj-click="add">+</button>{% include "_buttons.html" %}"#,
    title = "Inline"
)]
#[derive(Debug, Default)]
pub struct Inline {
    pub count: i64,
    pub note: String,
}

#[events]
impl Inline {
    #[event]
    fn add(&mut self, by: Option<i64>) {
        self.count += by.unwrap_or(1);
    }

    #[event]
    fn reset(&mut self) {
        self.count = 0;
    }
}

fn mount<V: LiveView>(url: &str) -> Result<V, MountError> {
    let data = DataMap::new();
    V::mount(&mut MountContext::new(
        url,
        &[],
        &data,
        Context::disconnected(),
    ))
}

fn connected<I>() -> Context<I> {
    Context::connected(ViewHandle::new(|_| true))
}

fn params(value: serde_json::Value) -> Params {
    match value {
        serde_json::Value::Object(params) => params,
        other => panic!("params must be an object, not {other}"),
    }
}

fn render(view: &impl LiveView) -> String {
    let mut out = String::new();
    view.render(&mut out).expect("renders");
    out
}

#[test]
fn mount_reads_the_query() {
    let counter: Counter = mount("/counter/?step=3").unwrap();
    assert_eq!((counter.count, counter.step), (0, 3));
    let counter: Counter = mount("/counter/").unwrap();
    assert_eq!(counter.step, 1);
}

#[test]
fn mount_errors_are_passed_on() {
    let error = mount::<Counter>("/counter/?fail").expect_err("refused");
    assert_eq!(error.message(), "refused");
}

#[test]
fn mount_without_user_mount_uses_default() {
    let form: Form = mount("/form/").unwrap();
    assert_eq!(form.title, "");
}

#[test]
fn mount_returning_self() {
    let chat: Chat = mount("/chat/").unwrap();
    assert!(chat.messages.is_empty());
}

#[test]
fn renders_the_template() {
    let counter = Counter { count: 7, step: 2 };
    let html = render(&counter);
    assert!(html.contains("<h1>Count: 7</h1>"), "{html}");
    assert!(html.contains(r#"value="2""#), "{html}");
}

#[test]
fn render_escapes_html() {
    let form = Form {
        title: "<b>".into(),
        tag_count: 0,
    };
    assert!(
        render(&form).contains(r#"value="&#60;b&#62;""#),
        "{}",
        render(&form)
    );
}

#[test]
fn typed_params_are_coerced() {
    let mut counter = Counter { count: 0, step: 1 };
    let mut ctx = Context::disconnected();
    counter
        .handle_event("set_step", &params(json!({"value": "5"})), &mut ctx)
        .unwrap();
    counter
        .handle_event("increment", &Params::new(), &mut ctx)
        .unwrap();
    assert_eq!((counter.count, counter.step), (5, 5));
}

#[test]
fn missing_param_names_event_and_param_and_changes_nothing() {
    let mut counter = Counter { count: 0, step: 4 };
    let error = counter
        .handle_event("set_step", &Params::new(), &mut Context::disconnected())
        .unwrap_err();
    assert_eq!(
        error,
        EventError::MissingParam {
            event: "set_step".into(),
            param: "value".into(),
        }
    );
    assert_eq!(counter.step, 4);
}

#[test]
fn ill_typed_param_is_invalid_and_changes_nothing() {
    let mut form = Form::default();
    let error = form
        .handle_event(
            "save",
            &params(json!({"title": "x", "tags": "not a list"})),
            &mut Context::disconnected(),
        )
        .unwrap_err();
    assert_eq!(error.code(), "invalid_param");
    assert_eq!((error.event(), error.param()), ("save", Some("tags")));
    assert_eq!(form.title, "");
}

#[test]
fn optional_param_may_be_left_out() {
    let mut form = Form::default();
    form.handle_event(
        "save",
        &params(json!({"title": "x"})),
        &mut Context::disconnected(),
    )
    .unwrap();
    assert_eq!((form.title.as_str(), form.tag_count), ("x", 0));
    form.handle_event(
        "save",
        &params(json!({"title": "y", "tags": ["a", "b"]})),
        &mut Context::disconnected(),
    )
    .unwrap();
    assert_eq!((form.title.as_str(), form.tag_count), ("y", 2));
}

#[test]
fn handler_errors_become_handler_errors() {
    let mut counter = Counter { count: 0, step: 2 };
    let error = counter
        .handle_event(
            "set_step",
            &params(json!({"value": 0})),
            &mut Context::disconnected(),
        )
        .unwrap_err();
    assert_eq!(
        error,
        EventError::Handler {
            event: "set_step".into(),
            message: "step must be positive".into(),
        }
    );
}

#[test]
fn unknown_events_are_reported() {
    let mut counter = Counter { count: 0, step: 1 };
    let error = counter
        .handle_event("store", &Params::new(), &mut Context::disconnected())
        .unwrap_err();
    assert_eq!(
        error,
        EventError::UnknownEvent {
            event: "store".into()
        }
    );
}

#[test]
fn context_argument_records_commands() {
    let mut form = Form::default();
    let mut ctx = connected();
    form.handle_event("save", &params(json!({"title": "x"})), &mut ctx)
        .unwrap();
    let commands = ctx.take_commands();
    assert!(
        matches!(
            commands.as_slice(),
            [Command::PushEvent { event, payload }] if event == "saved" && payload == &json!({"title": "x"})
        ),
        "{commands:?}"
    );

    let mut chat: Chat = mount("/chat/").unwrap();
    let mut ctx = connected();
    chat.handle_event("send", &params(json!({"body": "hi"})), &mut ctx)
        .unwrap();
    let commands = ctx.take_commands();
    assert!(
        matches!(
            commands.as_slice(),
            [Command::SendAfter { after, info: ChatMsg::Posted(body) }]
                if *after == Duration::from_millis(5) && body == "hi"
        ),
        "{commands:?}"
    );
}

#[test]
fn handle_info_is_delivered() {
    let mut chat: Chat = mount("/chat/").unwrap();
    chat.handle_info(ChatMsg::Posted("hello".into()), &mut connected());
    assert_eq!(chat.messages, ["hello"]);
    assert!(render(&chat).contains("<li>hello</li>"));
}

#[test]
fn inline_templates_render_escaped_html_with_their_includes() {
    let inline = Inline {
        count: 3,
        note: "<b>".into(),
    };
    assert_eq!(
        render(&inline),
        "<p id=\"note\" dj-hook=\"Note\">&#60;b&#62;: 3</p>\n\
         <button dj-click=\"add\">+</button><button dj-click=\"reset\">Reset</button>"
    );
}

#[test]
fn inline_template_views_are_live_views() {
    let mut inline: Inline = mount("/inline/").unwrap();
    let mut ctx = Context::disconnected();
    inline
        .handle_event("add", &params(json!({"by": 4})), &mut ctx)
        .unwrap();
    inline
        .handle_event("add", &Params::new(), &mut ctx)
        .unwrap();
    assert_eq!(inline.count, 5);
    inline
        .handle_event("reset", &Params::new(), &mut ctx)
        .unwrap();
    assert_eq!(inline.count, 0);
    assert_eq!(Inline::NAME, "live_view::Inline");
    assert_eq!(Inline::EVENTS, ["add", "reset"]);
    assert_eq!(inline.title().as_deref(), Some("Inline"));
}

#[test]
fn names_and_events() {
    assert_eq!(Counter::NAME, "live_view::Counter");
    assert_eq!(Counter::EVENTS, ["increment", "set_step"]);
    assert_eq!(Form::EVENTS, ["save"]);
    assert_eq!(Chat::EVENTS, ["send"]);
}

#[test]
fn titles() {
    assert_eq!(
        Counter { count: 0, step: 1 }.title().as_deref(),
        Some("Counter")
    );
    let mut form = Form::default();
    assert_eq!(LiveView::title(&form), None);
    form.title = "x".into();
    assert_eq!(LiveView::title(&form).as_deref(), Some("Form: x"));
    assert_eq!(Chat { messages: vec![] }.title(), None);
}
