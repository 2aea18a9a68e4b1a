use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
#[derive(Default)]
pub struct Counter {
    pub count: i64,
}

#[events]
impl Counter {
    #[event(rename = "inc")]
    fn increment(&mut self) {
        self.count += 1;
    }
}

fn main() {}
