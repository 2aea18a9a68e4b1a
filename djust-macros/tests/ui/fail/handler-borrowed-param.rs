use djust_actix::prelude::*;

#[live_view(template = "empty.html")]
#[derive(Default)]
pub struct Search {
    pub query: String,
}

#[events]
impl Search {
    #[event]
    fn search(&mut self, query: &str) {
        self.query = query.to_owned();
    }

    #[event]
    fn tag(&mut self, tags: Option<&[String]>, ctx: &mut Context<()>) {
        let _ = (tags, ctx);
    }
}

fn main() {}
