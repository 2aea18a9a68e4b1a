use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
#[derive(Default)]
pub struct Account {
    #[snapshot(skip)]
    pub name: String,
}

#[events]
impl Account {}

fn main() {}
