use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
pub struct Counter {
    pub count: i64,
}

#[events]
impl Counter {}

fn main() {}
