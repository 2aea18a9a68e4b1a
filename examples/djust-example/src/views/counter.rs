//! `/counter/`: increment and decrement by a step the user types.

use djust_actix::prelude::*;

/// A counter with a configurable step.
#[live_view(template = "counter.html", title = "Counter")]
#[derive(Debug)]
pub struct Counter {
    /// The current count.
    pub count: i64,
    /// How much one click adds or takes away.
    pub step: i64,
    /// Why the last step was refused, if it was.
    pub error: Option<String>,
}

#[events]
impl Counter {
    fn mount(ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        let step = ctx
            .query("step")
            .and_then(|step| step.parse().ok())
            .unwrap_or(1);
        Ok(Self {
            count: 0,
            step,
            error: None,
        })
    }

    #[event]
    fn increment(&mut self) {
        self.count += self.step;
    }

    #[event]
    fn decrement(&mut self) {
        self.count -= self.step;
    }

    /// Sets the step from the step input (`value`, typed as a number).
    #[event]
    fn set_step(&mut self, value: i64) {
        if value < 1 {
            self.error = Some(format!("step must be at least 1, not {value}"));
        } else {
            self.step = value;
            self.error = None;
        }
    }
}
