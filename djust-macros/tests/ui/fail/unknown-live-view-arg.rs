use djust_actix::prelude::*;

#[live_view(template = "empty.html", layout = "base.html")]
pub struct Counter {
    pub count: i64,
}

fn main() {}
