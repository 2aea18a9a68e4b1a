//! The views the server tests mount: `#[live_view(inline = ...)]` + `#[events]`, as users
//! write them.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use djust_actix::prelude::*;

/// A counter with one handler per behaviour the tests need; `break_render` makes every later
/// render fail.
#[live_view(
    inline = r#"{{ self.render_guard()? }}<h1>Count: {{ count }}</h1><button dj-click="increment">+</button>"#
)]
pub(crate) struct Counter {
    count: i64,
    broken: bool,
}

impl Counter {
    /// Fails the render once `break_render` ran, before anything is written.
    fn render_guard(&self) -> Result<&'static str, &'static str> {
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
        if ctx.query("fail").is_some() {
            return Err(MountError::new("no such counter"));
        }
        let count = ctx.query("start").and_then(|start| start.parse().ok());
        Ok(Self {
            count: count.unwrap_or(0),
            broken: false,
        })
    }

    #[event]
    fn increment(&mut self, step: Option<i64>) {
        self.count += step.unwrap_or(1);
    }

    #[event]
    fn noop(&mut self) {}

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
        ctx.push_event("scrolled", serde_json::json!({ "count": self.count }));
    }

    #[event]
    fn later(&mut self, ctx: &mut Context<i64>) {
        ctx.send_after(Duration::from_millis(5), 10);
    }

    #[event]
    fn flood(&mut self, ctx: &mut Context<i64>) {
        for n in 0..64 {
            ctx.push_event("flood", serde_json::json!({ "n": n }));
        }
    }

    #[event]
    fn break_render(&mut self) {
        self.broken = true;
    }

    fn handle_info(&mut self, info: i64, _ctx: &mut Context<i64>) {
        self.count += info;
    }

    fn title(&self) -> Option<String> {
        Some(format!("Counter {}", self.count))
    }
}

/// A chat room: messages go to every connected room through a shared [`Topic`].
#[live_view(inline = "<ul>{% for message in messages %}<li>{{ message }}</li>{% endfor %}</ul>")]
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

#[events]
impl Chat {
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

    #[event]
    fn say(&mut self, text: String) {
        self.room.topic.broadcast(&text);
    }

    fn handle_info(&mut self, message: String, _ctx: &mut Context<String>) {
        self.messages.push(message);
    }
}
