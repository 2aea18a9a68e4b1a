use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
#[derive(Default)]
pub struct Counter {
    pub count: i64,
}

#[events]
impl Counter {
    fn mount(ctx: &mut MountContext<'_, ()>) {
        let _ = ctx;
    }
}

fn main() {}
