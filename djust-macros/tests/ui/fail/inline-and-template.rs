use djust_actix::prelude::*;

#[live_view(template = "empty.html", inline = "<p>{{ count }}</p>")]
pub struct Counter {
    pub count: i64,
}

#[live_view(inline = "<p>{{ count }}</p>", template = "empty.html")]
pub struct Other {
    pub count: i64,
}

fn main() {}
