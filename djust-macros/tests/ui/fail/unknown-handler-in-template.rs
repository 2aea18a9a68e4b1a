use djust_actix::prelude::*;

#[live_view(template = "typo.html")]
#[derive(Default)]
pub struct Counter {
    pub count: i64,
    step: i64,
}

#[events]
impl Counter {
    #[event]
    fn increment(&mut self) {
        self.count += self.step;
    }

    #[event]
    fn set_step(&mut self, value: i64) {
        self.step = value;
    }
}

fn main() {}
