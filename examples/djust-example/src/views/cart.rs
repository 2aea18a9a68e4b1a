//! `/cart/`: a shopping cart whose state survives back-navigation through a signed state
//! snapshot: add items, type a coupon, follow a link away, press back — the page says
//! "restored" and the server did not run `mount`.

use std::time::{SystemTime, UNIX_EPOCH};

use djust_actix::prelude::*;

/// The products the cart offers.
pub const PRODUCTS: &[&str] = &["Tea", "Coffee", "Cake", "Scone"];

/// A cart: its public fields travel in snapshots; `origin` says how the view came to be.
#[live_view(template = "cart.html", title = "Cart", enable_state_snapshot)]
#[derive(Debug, Default)]
pub struct Cart {
    /// The items, in the order added.
    pub items: Vec<String>,
    /// The coupon code typed.
    pub coupon: String,
    /// "mounted at …" or "restored at …" (not part of snapshots: set on mount and restore).
    #[snapshot(skip)]
    pub origin: String,
}

#[events]
impl Cart {
    fn mount() -> Self {
        Self {
            origin: format!("mounted at {}", clock()),
            ..Self::default()
        }
    }

    /// The default restore (public fields from the snapshot), plus the note.
    fn restore_snapshot(
        state: &SnapshotState,
        _ctx: &mut MountContext<'_, ()>,
    ) -> Result<Self, SnapshotError> {
        let mut cart: Self = restore_public_fields(state)?;
        cart.origin = format!(
            "restored at {} from a snapshot {} s old",
            clock(),
            state.age().as_secs()
        );
        Ok(cart)
    }

    #[event]
    fn add(&mut self, item: String) {
        if PRODUCTS.contains(&item.as_str()) {
            self.items.push(item);
        }
    }

    #[event]
    fn clear(&mut self) {
        self.items.clear();
    }

    #[event]
    fn set_coupon(&mut self, value: String) {
        self.coupon = value.trim().to_uppercase();
    }

    fn title(&self) -> Option<String> {
        Some(format!("Cart ({})", self.items.len()))
    }
}

impl Cart {
    /// The products, for the template.
    fn products(&self) -> &'static [&'static str] {
        PRODUCTS
    }
}

/// The UTC time of day, `HH:MM:SS`.
fn clock() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let day = secs % 86_400;
    format!(
        "{:02}:{:02}:{:02} UTC",
        day / 3600,
        day % 3600 / 60,
        day % 60
    )
}
