//! Views for the navigation, snapshot and batch tests: `#[live_view(inline = ...)]` +
//! `#[events]`.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

use djust_actix::prelude::*;

/// How many times `Cart::mount` ran (shared data of the test server).
#[derive(Debug, Default)]
pub(crate) struct Mounts(pub(crate) AtomicUsize);

impl Mounts {
    pub(crate) fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// A snapshot-enabled cart: public `items`, a private `secret` that snapshots never carry.
#[live_view(
    inline = "<p>{% if restored %}restored{% else %}mounted{% endif %}</p><p>{{ secret }}</p>\
              <ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>",
    enable_state_snapshot
)]
pub(crate) struct Cart {
    pub items: Vec<String>,
    secret: String,
    restored: bool,
}

#[events]
impl Cart {
    fn mount(ctx: &mut MountContext<'_, ()>) -> Self {
        if let Some(mounts) = ctx.data::<Arc<Mounts>>() {
            mounts.0.fetch_add(1, Ordering::SeqCst);
        }
        Self {
            items: Vec::new(),
            secret: "mounted-secret".into(),
            restored: false,
        }
    }

    /// The public `items` from the snapshot (the private fields `Default`), marked restored.
    fn restore_snapshot(
        state: &SnapshotState,
        _ctx: &mut MountContext<'_, ()>,
    ) -> Result<Self, SnapshotError> {
        let mut cart: Self = restore_public_fields(state)?;
        cart.restored = true;
        Ok(cart)
    }

    #[event]
    fn add(&mut self, item: Option<String>) {
        self.items.push(item.unwrap_or_else(|| "?".to_owned()));
        self.secret = "changed-secret".into();
    }

    #[event]
    fn leave(&mut self, ctx: &mut Context<()>) {
        ctx.live_redirect("/plain/");
    }
}

/// A view that is not snapshot-enabled: it never restores, not even from the cart's snapshot.
#[live_view(inline = "<p>plain</p>")]
#[derive(Default)]
pub(crate) struct Plain {}

#[events]
impl Plain {
    #[event]
    fn patch(&mut self, ctx: &mut Context<()>) {
        ctx.live_patch("/plain/?tab=2");
    }
}

/// Small lazy views; `bump` changes a widget's count, so each answer shows which widget got it.
macro_rules! widgets {
    ($($name:ident => $template:tt;)*) => {$(
        #[live_view(inline = $template)]
        #[derive(Default)]
        pub(crate) struct $name {
            count: u32,
        }

        #[events]
        impl $name {
            #[event]
            fn bump(&mut self) {
                self.count += 1;
            }
        }
    )*};
}

widgets! {
    WidgetOne => "<p>widget 1 count {{ count }}</p>";
    WidgetTwo => "<p>widget 2 count {{ count }}</p>";
    WidgetThree => "<p>widget 3 count {{ count }}</p>";
}

/// A lazy view without handlers whose mount refuses.
#[live_view(inline = "")]
pub(crate) struct Refuses {}

#[events]
impl Refuses {
    fn mount(_ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        Err(MountError::new("the stock service is down"))
    }
}

/// A lazy view without handlers whose mount panics.
#[live_view(inline = "")]
pub(crate) struct Panics {}

#[events]
impl Panics {
    fn mount(_ctx: &mut MountContext<'_, ()>) -> Self {
        panic!("widget exploded")
    }
}
