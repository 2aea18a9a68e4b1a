use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
pub struct List<T> {
    pub items: Vec<T>,
}

fn main() {}
