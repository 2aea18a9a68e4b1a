use djust_actix::prelude::*;

#[derive(Default)]
pub struct Counter {
    pub count: i64,
}

#[events]
impl Counter {
    #[event]
    fn increment(&mut self) {
        self.count += 1;
    }
}

fn main() {}
