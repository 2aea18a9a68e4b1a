//! `/slow/`: a page the server answers only after [`SLOW_DELAY`](crate::slow::SLOW_DELAY)
//! (see [`crate::slow`]), to make the service worker's instant shell visible: the navigation
//! paints the cached shell at once and `<main>` fills in when the answer comes.

use djust_actix::prelude::*;

/// A live view inside the slow page: it must work once swapped into the shell.
#[live_view(template = "slow.html", title = "Slow page")]
#[derive(Debug, Default)]
pub struct Slow {
    /// How many times the button was pressed.
    pub pings: u32,
}

#[events]
impl Slow {
    #[event]
    fn ping(&mut self) {
        self.pings += 1;
    }
}
