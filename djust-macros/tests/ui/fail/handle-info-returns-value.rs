use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
#[derive(Default)]
pub struct Counter {
    pub count: i64,
}

#[events]
impl Counter {
    fn handle_info(&mut self, tick: i64, ctx: &mut Context<i64>) -> i64 {
        let _ = ctx;
        self.count = tick;
        tick
    }
}

fn main() {}
