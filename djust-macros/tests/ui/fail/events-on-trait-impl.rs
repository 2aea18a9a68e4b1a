use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
#[derive(Default)]
pub struct Counter {
    pub count: i64,
}

#[events]
impl Clone for Counter {
    fn clone(&self) -> Self {
        Self { count: self.count }
    }
}

fn main() {}
