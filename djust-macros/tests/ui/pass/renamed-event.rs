use djust_actix::prelude::*;

#[live_view(template = "counter.html")]
#[derive(Default)]
pub struct Counter {
    pub count: i64,
    pub step: i64,
}

#[events]
impl Counter {
    #[event(name = "increment")]
    fn add_step(&mut self) {
        self.count += self.step;
    }

    #[event(name = "set_step")]
    fn r#set(&mut self, value: i64, ctx: &mut Context<()>) {
        let _ = ctx;
        self.step = value;
    }

    fn title(&self) -> String {
        format!("Count {}", self.count)
    }
}

fn main() {
    assert_eq!(<Counter as LiveView>::EVENTS, ["increment", "set_step"]);
}
