use djust_actix::prelude::*;

#[live_view(inline = "<p>{{ name }}</p>", enable_state_snapshot)]
#[derive(Default)]
pub struct Account {
    pub name: String,
    pub session_token: String,
}

#[events]
impl Account {}

fn main() {}
