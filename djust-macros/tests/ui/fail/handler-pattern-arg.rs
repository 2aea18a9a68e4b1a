use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
#[derive(Default)]
pub struct Counter {
    pub count: i64,
}

#[events]
impl Counter {
    #[event]
    fn set(&mut self, (low, high): (i64, i64)) {
        self.count = low + high;
    }
}

fn main() {}
