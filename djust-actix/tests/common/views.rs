//! Live views written by hand (no macros), rendering with `format!`.

use std::{
    fmt::Write as _,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use djust_actix::core::{
    params::{extract_param, ParamSource},
    pubsub::Topic,
    Context, EventError, LiveView, MountContext, MountError, Params, RenderError,
};

/// A counter with one handler per behaviour the tests need.
pub(crate) struct Counter {
    count: i64,
    broken: bool,
}

impl LiveView for Counter {
    type Info = i64;
    const NAME: &'static str = "tests::Counter";
    const EVENTS: &'static [&'static str] = &[
        "increment",
        "noop",
        "boom",
        "fail",
        "push",
        "later",
        "flood",
        "break_render",
    ];

    fn mount(ctx: &mut MountContext<'_, i64>) -> Result<Self, MountError> {
        if ctx.query("fail").is_some() {
            return Err(MountError::new("no such counter"));
        }
        let count = ctx.query("start").and_then(|start| start.parse().ok());
        Ok(Self {
            count: count.unwrap_or(0),
            broken: false,
        })
    }

    fn render(&self, out: &mut String) -> Result<(), RenderError> {
        if self.broken {
            return Err(RenderError::new("template exploded"));
        }
        let _ = write!(
            out,
            "<h1>Count: {}</h1><button dj-click=\"increment\">+</button>",
            self.count
        );
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        params: &Params,
        ctx: &mut Context<i64>,
    ) -> Result<(), EventError> {
        match event {
            "increment" => {
                let source = ParamSource {
                    event: "increment",
                    param: "step",
                };
                let step: Option<i64> = extract_param(params, source)?;
                self.count += step.unwrap_or(1);
            }
            "noop" => {}
            "boom" => {
                self.count += 1000;
                panic!("boom");
            }
            "fail" => {
                self.count += 100;
                return Err(EventError::Handler {
                    event: event.to_owned(),
                    message: "not allowed".to_owned(),
                });
            }
            "push" => ctx.push_event("scrolled", serde_json::json!({ "count": self.count })),
            "later" => ctx.send_after(Duration::from_millis(5), 10),
            "flood" => {
                for n in 0..64 {
                    ctx.push_event("flood", serde_json::json!({ "n": n }));
                }
            }
            "break_render" => self.broken = true,
            _ => {
                return Err(EventError::UnknownEvent {
                    event: event.to_owned(),
                })
            }
        }
        Ok(())
    }

    fn handle_info(&mut self, info: i64, _ctx: &mut Context<i64>) {
        self.count += info;
    }

    fn title(&self) -> Option<String> {
        Some(format!("Counter {}", self.count))
    }
}

/// A chat room: messages go to every connected room through a shared [`Topic`].
pub(crate) struct Chat {
    room: Arc<Room>,
    messages: Vec<String>,
}

/// The shared data of the chat views.
#[derive(Default)]
pub(crate) struct Room {
    pub(crate) topic: Topic<String>,
    /// How many mounts subscribed (lets a test wait for the second client).
    pub(crate) subscribed: AtomicUsize,
}

impl LiveView for Chat {
    type Info = String;
    const NAME: &'static str = "tests::Chat";
    const EVENTS: &'static [&'static str] = &["say"];

    fn mount(ctx: &mut MountContext<'_, String>) -> Result<Self, MountError> {
        let room = Arc::clone(
            ctx.data::<Arc<Room>>()
                .ok_or_else(|| MountError::new("no room"))?,
        );
        if let Some(handle) = ctx.context().handle() {
            room.topic.subscribe(handle);
            room.subscribed.fetch_add(1, Ordering::SeqCst);
        }
        Ok(Self {
            room,
            messages: Vec::new(),
        })
    }

    fn render(&self, out: &mut String) -> Result<(), RenderError> {
        out.push_str("<ul>");
        for message in &self.messages {
            let _ = write!(out, "<li>{message}</li>");
        }
        out.push_str("</ul>");
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        params: &Params,
        _ctx: &mut Context<String>,
    ) -> Result<(), EventError> {
        if event != "say" {
            return Err(EventError::UnknownEvent {
                event: event.to_owned(),
            });
        }
        let source = ParamSource {
            event: "say",
            param: "text",
        };
        let text: String = extract_param(params, source)?;
        self.room.topic.broadcast(&text);
        Ok(())
    }

    fn handle_info(&mut self, message: String, _ctx: &mut Context<String>) {
        self.messages.push(message);
    }
}
