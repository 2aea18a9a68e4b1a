use djust_actix::prelude::*;

#[live_view(template = "empty.html", enable_state_snapshot)]
#[derive(Default)]
pub struct Cart {
    pub items: Vec<String>,
}

#[events]
impl Cart {
    fn restore_snapshot(&mut self, state: &SnapshotState) -> Result<Self, SnapshotError> {
        let _ = state;
        Ok(Self::default())
    }

    fn should_restore_snapshot(state: &SnapshotState, ctx: &MountContext<'_, ()>) {
        let _ = (state, ctx);
    }
}

fn main() {}
