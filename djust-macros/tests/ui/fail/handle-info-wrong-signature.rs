use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
#[derive(Default)]
pub struct Counter {
    pub count: i64,
}

#[events]
impl Counter {
    fn handle_info(&self, tick: u64) {
        let _ = tick;
    }
}

fn main() {}
