use djust_actix::prelude::*;

#[live_view(template = empty)]
pub struct Counter {
    pub count: i64,
}

fn main() {}
