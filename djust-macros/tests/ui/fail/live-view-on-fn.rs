use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
fn counter() {}

fn main() {}
