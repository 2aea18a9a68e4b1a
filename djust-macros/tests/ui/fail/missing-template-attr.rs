use djust_actix::prelude::*;

#[live_view(title = "Counter")]
pub struct Counter {
    pub count: i64,
}

fn main() {}
