use djust_actix::prelude::*;

#[live_view(template = "empty.html" title = "Counter")]
pub struct Counter {
    pub count: i64,
}

fn main() {}
