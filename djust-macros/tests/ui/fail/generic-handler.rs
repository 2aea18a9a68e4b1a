use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
#[derive(Default)]
pub struct Counter {
    pub count: i64,
}

#[events]
impl Counter {
    #[event]
    fn set<T: Into<i64>>(&mut self, value: T) {
        self.count = value.into();
    }
}

fn main() {}
