// An error in the `#[events]` block is the only error: the view still implements `LiveView`
// and the template's handlers are still found.
use djust_actix::prelude::*;

#[live_view(template = "counter.html")]
#[derive(Default)]
pub struct Counter {
    pub count: i64,
    pub step: i64,
}

#[events]
impl Counter {
    #[event]
    async fn increment(&mut self) {
        self.count += self.step;
    }

    #[event]
    fn set_step(&mut self, value: i64) {
        self.step = value;
    }
}

fn events_of<V: LiveView>() -> &'static [&'static str] {
    V::EVENTS
}

fn main() {
    let _ = events_of::<Counter>();
}
