use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
pub union Counter {
    count: i64,
}

fn main() {}
