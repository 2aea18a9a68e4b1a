//! `/feed/`: an endless feed as a stream. New posts are prepended, the page keeps the newest
//! [`FEED_LIMIT`]; the server renders each post once and keeps none of them.

use askama::Template;
use djust_actix::prelude::*;

/// Posts the page keeps (the client drops older ones; the server never sends more at once).
pub const FEED_LIMIT: i64 = 50;
/// Posts one `more` may ask for.
const MAX_BURST: u64 = 1_000;

/// One post, rendered once into the stream.
#[derive(Template)]
#[template(
    source = r#"<li class="post"><b>#{{ id }}</b> {{ body }}</li>"#,
    ext = "html"
)]
struct Post {
    id: u64,
    body: String,
}

impl StreamItem for Post {
    fn dom_id(&self) -> String {
        format!("post-{}", self.id)
    }

    fn render_item(&self, out: &mut String) -> Result<(), RenderError> {
        self.render_into(out)
            .map_err(|error| RenderError::new(error.to_string()))
    }
}

/// Posts `from..from + count`, newest first.
fn posts(from: u64, count: u64) -> impl Iterator<Item = Post> {
    (from..from + count).rev().map(|id| Post {
        id,
        body: format!("post number {id} of an endless feed"),
    })
}

/// The feed.
#[live_view(template = "feed.html", title = "Feed")]
#[derive(Debug)]
pub struct Feed {
    /// The id of the next post (= posts streamed so far).
    pub next: u64,
}

#[events]
impl Feed {
    fn mount(ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        let first = 20;
        ctx.context()
            .stream_with("posts", posts(0, first), newest_first())
            .map_err(|error| MountError::new(error.to_string()))?;
        Ok(Self { next: first })
    }

    /// Streams `count` more posts (10 by default, at most 1,000) to the top.
    #[event]
    fn more(&mut self, count: Option<u64>, ctx: &mut Context<()>) -> Result<(), RenderError> {
        let count = count.unwrap_or(10).min(MAX_BURST);
        ctx.stream_with("posts", posts(self.next, count), newest_first())?;
        self.next += count;
        Ok(())
    }
}

impl Feed {
    /// Posts the page keeps.
    pub fn limit(&self) -> i64 {
        FEED_LIMIT
    }
}

/// Posts land at the top (a batch is newest first); the page keeps [`FEED_LIMIT`].
fn newest_first() -> StreamOptions {
    StreamOptions::prepend().limit(FEED_LIMIT)
}
