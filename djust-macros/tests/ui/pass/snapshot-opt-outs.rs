//! A snapshot-enabled view may keep secret-looking fields private, skip them or allow them.
use djust_actix::prelude::*;

#[live_view(template = "empty.html", enable_state_snapshot)]
#[derive(Default)]
pub struct Account {
    pub name: String,
    #[snapshot(skip)]
    pub session_token: String,
    #[snapshot(allow)]
    pub token_count: u32,
    password: String,
}

#[events]
impl Account {}

fn main() {
    let account = Account { password: "x".into(), ..Account::default() };
    let state = account.snapshot().expect("snapshots are enabled");
    let mut keys: Vec<_> = state.keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["name", "token_count"]);
    assert_eq!(account.password, "x");
}
