use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
#[derive(Default)]
pub struct Counter {
    pub count: i64,
}

#[events]
impl Counter {
    #[event]
    fn increment(&mut self) -> i64 {
        self.count += 1;
        self.count
    }
}

fn main() {}
