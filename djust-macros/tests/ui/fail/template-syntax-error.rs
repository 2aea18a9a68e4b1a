// askama's own errors (here a template syntax error) point at the `template` argument.
use djust_actix::prelude::*;

#[live_view(template = "broken.html")]
#[derive(Default)]
pub struct Counter {
    pub count: i64,
}

#[events]
impl Counter {}

fn main() {}
