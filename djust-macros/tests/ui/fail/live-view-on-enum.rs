use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
pub enum Counter {
    Zero,
}

fn main() {}
