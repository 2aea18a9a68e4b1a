use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
pub struct About;

fn main() {}
