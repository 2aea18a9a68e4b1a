use djust_actix::prelude::*;

#[live_view(template = "empty.html", enable_state_snapshot)]
#[derive(Default)]
pub struct Account {
    pub name: String,
    pub api_key: String,
    pub UserPassword: String,
}

#[events]
impl Account {}

fn main() {}
