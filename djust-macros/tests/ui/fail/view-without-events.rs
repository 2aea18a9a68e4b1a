use djust_actix::prelude::*;

#[live_view(template = "counter.html")]
pub struct Counter {
    pub count: i64,
    pub step: i64,
}

fn main() {}
