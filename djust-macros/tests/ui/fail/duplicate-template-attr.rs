use djust_actix::prelude::*;

#[live_view(template = "empty.html", template = "counter.html")]
pub struct Counter {
    pub count: i64,
}

fn main() {}
