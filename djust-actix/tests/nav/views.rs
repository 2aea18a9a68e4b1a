//! Views for the navigation, snapshot and batch tests, written by hand (no macros).

use std::{
    fmt::Write as _,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
};

use djust_actix::core::{
    snapshot::{SnapshotError, SnapshotState},
    Context, EventError, LiveView, MountContext, MountError, Params, RenderError,
};
use serde_json::{json, Map, Value};

/// How many times `Cart::mount` ran (shared data of the test server).
#[derive(Debug, Default)]
pub(crate) struct Mounts(pub(crate) AtomicUsize);

impl Mounts {
    pub(crate) fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// A snapshot-enabled cart: public `items`, a private `secret` that snapshots never carry.
pub(crate) struct Cart {
    items: Vec<String>,
    secret: String,
    restored: bool,
}

impl LiveView for Cart {
    type Info = ();
    const NAME: &'static str = "tests::Cart";
    const EVENTS: &'static [&'static str] = &["add", "leave"];
    const SNAPSHOT: bool = true;

    fn mount(ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        if let Some(mounts) = ctx.data::<Arc<Mounts>>() {
            mounts.0.fetch_add(1, Ordering::SeqCst);
        }
        Ok(Self {
            items: Vec::new(),
            secret: "mounted-secret".into(),
            restored: false,
        })
    }

    fn render(&self, out: &mut String) -> Result<(), RenderError> {
        let how = if self.restored { "restored" } else { "mounted" };
        let _ = write!(out, "<p>{how}</p><p>{}</p><ul>", self.secret);
        for item in &self.items {
            let _ = write!(out, "<li>{item}</li>");
        }
        out.push_str("</ul>");
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        params: &Params,
        ctx: &mut Context<()>,
    ) -> Result<(), EventError> {
        match event {
            "add" => {
                self.items
                    .push(params["item"].as_str().unwrap_or("?").to_owned());
                self.secret = "changed-secret".into();
            }
            "leave" => ctx.live_redirect("/plain/"),
            _ => {
                return Err(EventError::UnknownEvent {
                    event: event.to_owned(),
                })
            }
        }
        Ok(())
    }

    fn snapshot(&self) -> Option<Map<String, Value>> {
        match json!({ "items": self.items }) {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    fn restore_snapshot(
        state: &SnapshotState,
        _ctx: &mut MountContext<'_, ()>,
    ) -> Result<Self, SnapshotError> {
        state.only_keys(&["items"])?;
        Ok(Self {
            items: state.field("items")?,
            secret: String::new(),
            restored: true,
        })
    }
}

/// A view with `items` in its state too, but not snapshot-enabled (so it never restores).
pub(crate) struct Plain;

impl LiveView for Plain {
    type Info = ();
    const NAME: &'static str = "tests::Plain";
    const EVENTS: &'static [&'static str] = &["patch"];

    fn mount(_: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        Ok(Self)
    }

    fn render(&self, out: &mut String) -> Result<(), RenderError> {
        out.push_str("<p>plain</p>");
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Params,
        ctx: &mut Context<()>,
    ) -> Result<(), EventError> {
        if event == "patch" {
            ctx.live_patch("/plain/?tab=2");
        }
        Ok(())
    }
}

/// A small lazy view; `bump` changes its count, so each widget's answer shows which got it.
pub(crate) struct Widget<const N: u8> {
    count: u32,
}

macro_rules! widget_name {
    ($($n:literal => $name:literal),*) => {$(
        impl LiveView for Widget<$n> {
            type Info = ();
            const NAME: &'static str = $name;
            const EVENTS: &'static [&'static str] = &["bump"];

            fn mount(_: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
                Ok(Self { count: 0 })
            }

            fn render(&self, out: &mut String) -> Result<(), RenderError> {
                let _ = write!(out, "<p>widget {} count {}</p>", $n, self.count);
                Ok(())
            }

            fn handle_event(&mut self, _: &str, _: &Params, _: &mut Context<()>) -> Result<(), EventError> {
                self.count += 1;
                Ok(())
            }
        }
    )*};
}

widget_name!(1 => "tests::WidgetOne", 2 => "tests::WidgetTwo", 3 => "tests::WidgetThree");

/// A lazy view whose mount refuses.
pub(crate) struct Refuses;

impl LiveView for Refuses {
    type Info = ();
    const NAME: &'static str = "tests::Refuses";
    const EVENTS: &'static [&'static str] = &[];

    fn mount(_: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        Err(MountError::new("the stock service is down"))
    }

    fn render(&self, _: &mut String) -> Result<(), RenderError> {
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Params,
        _: &mut Context<()>,
    ) -> Result<(), EventError> {
        no_such_event(event)
    }
}

/// A lazy view whose mount panics.
pub(crate) struct Panics;

impl LiveView for Panics {
    type Info = ();
    const NAME: &'static str = "tests::Panics";
    const EVENTS: &'static [&'static str] = &[];

    fn mount(_: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        panic!("widget exploded")
    }

    fn render(&self, _: &mut String) -> Result<(), RenderError> {
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Params,
        _: &mut Context<()>,
    ) -> Result<(), EventError> {
        no_such_event(event)
    }
}

/// The answer of a view without handlers to any event.
fn no_such_event(event: &str) -> Result<(), EventError> {
    Err(EventError::UnknownEvent {
        event: event.to_owned(),
    })
}
