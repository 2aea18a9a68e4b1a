use djust_actix::prelude::*;

#[live_view(template = "with_include.html")]
#[derive(Default)]
pub struct Form {}

#[events]
impl Form {
    #[event]
    fn clear(&mut self) {}
}

fn main() {}
