use djust_actix::prelude::*;

#[live_view(template = "empty.html", enable_state_snapshot)]
#[derive(Default)]
pub struct Cart {
    pub items: Vec<String>,
}

#[events]
impl Cart {
    fn should_restore_snapshot(state: &SnapshotState, _ctx: &MountContext<'_, ()>) -> u64 {
        state.age().as_secs()
    }
}

fn main() {}
