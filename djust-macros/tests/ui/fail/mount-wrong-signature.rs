use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
#[derive(Default)]
pub struct Counter {
    pub count: i64,
}

#[events]
impl Counter {
    fn mount(ctx: &mut MountContext<'_, ()>, start: i64) -> Result<Self, MountError> {
        let _ = ctx;
        Ok(Self { count: start })
    }
}

fn main() {}
