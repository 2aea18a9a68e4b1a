//! `/`: links to the demos.

use djust_actix::prelude::*;

/// The home page: a static live view.
#[live_view(template = "home.html", title = "Home")]
#[derive(Debug, Default)]
pub struct Home {}

#[events]
impl Home {}
