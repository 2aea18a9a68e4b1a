use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
#[derive(Default)]
pub struct Counter {
    pub count: i64,
}

#[events]
impl Counter {
    async fn mount(ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        let _ = ctx;
        Ok(Self::default())
    }
}

fn main() {}
