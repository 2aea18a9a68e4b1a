use djust_actix::prelude::*;

#[live_view(template = "countr.html")]
#[derive(Default)]
pub struct Counter {
    pub count: i64,
}

#[events]
impl Counter {}

fn main() {}
