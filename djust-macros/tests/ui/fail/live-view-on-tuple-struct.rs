use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
pub struct Counter(i64);

fn main() {}
