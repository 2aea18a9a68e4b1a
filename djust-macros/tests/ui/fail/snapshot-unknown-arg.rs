use djust_actix::prelude::*;

#[live_view(template = "empty.html", enable_state_snapshot)]
#[derive(Default)]
pub struct Account {
    #[snapshot(hide)]
    pub token: String,
}

#[events]
impl Account {}

fn main() {}
