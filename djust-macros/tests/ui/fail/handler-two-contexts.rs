use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
#[derive(Default)]
pub struct Counter {
    pub count: i64,
}

#[events]
impl Counter {
    #[event]
    fn increment(&mut self, ctx: &mut Context<()>, again: &mut Context<()>) {
        let _ = (ctx, again);
    }
}

fn main() {}
