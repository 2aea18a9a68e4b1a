use djust_actix::prelude::*;

#[live_view(template = "counter.html")]
pub struct Counter {
    pub count: i64,
    step: i64,
}

#[events]
impl Counter {
    fn mount(ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        let step = ctx.query("step").and_then(|s| s.parse().ok()).unwrap_or(1);
        Ok(Self { count: 0, step })
    }

    #[event]
    fn increment(&mut self) {
        self.count += self.step;
    }

    #[event]
    fn set_step(&mut self, value: i64) -> Result<(), String> {
        if value < 1 {
            return Err("step must be positive".into());
        }
        self.step = value;
        Ok(())
    }

    /// Plain methods are left alone.
    fn doubled(&self) -> i64 {
        self.count * 2
    }
}

fn main() {
    assert_eq!(<Counter as LiveView>::EVENTS, ["increment", "set_step"]);
    assert!(<Counter as LiveView>::NAME.ends_with("::Counter"));
    let counter = Counter { count: 2, step: 1 };
    assert_eq!(counter.doubled(), 4);
}
