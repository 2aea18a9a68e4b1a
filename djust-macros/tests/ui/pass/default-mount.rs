use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
#[derive(Default)]
pub struct Home {}

#[events]
impl Home {}

fn main() {
    assert!(<Home as LiveView>::EVENTS.is_empty());
}
