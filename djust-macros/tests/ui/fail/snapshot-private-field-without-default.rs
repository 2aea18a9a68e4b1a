use djust_actix::prelude::*;

pub struct Connection;

#[live_view(template = "empty.html", enable_state_snapshot)]
pub struct Account {
    pub name: String,
    connection: Connection,
}

#[events]
impl Account {
    fn mount() -> Self {
        Self { name: String::new(), connection: Connection }
    }
}

fn main() {}
