//! Streams: collections rendered once and not kept (see `docs/protocol.md`, "Fields of server
//! frames").
//!
//! A handler streams items with [`crate::Context::stream`]; each is rendered to HTML at once and
//! travels in the next frame's `streams` list; the server keeps nothing of it. The template
//! renders the container empty, `<ul id="feed" dj-stream="feed"></ul>`, and the client fills it.

use serde::Serialize;

use crate::RenderError;

/// An item of a stream: the `id` of its element and its HTML (one element).
pub trait StreamItem {
    /// The element's DOM id, unique in the stream (`"feed-17"`); the client sets it on the
    /// item's element, and an insert of an id already shown replaces that element.
    fn dom_id(&self) -> String;

    /// Appends the item's HTML (one element; escape what is not markup) to `out`.
    fn render_item(&self, out: &mut String) -> Result<(), RenderError>;
}

/// Where and how an insert lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamOptions {
    /// The child index the first item lands at; `-1` (the default) is the end.
    pub at: i64,
    /// After the insert, `n > 0` keeps the first `n` children, `n < 0` the last `−n`.
    pub limit: Option<i64>,
    /// Empty the container before inserting.
    pub reset: bool,
}

impl Default for StreamOptions {
    fn default() -> Self {
        Self {
            at: -1,
            limit: None,
            reset: false,
        }
    }
}

impl StreamOptions {
    /// Items land at the end (the default).
    pub fn append() -> Self {
        Self::default()
    }

    /// Items land at the start, in their order.
    pub fn prepend() -> Self {
        Self::default().at(0)
    }

    /// Items land from child index `at` on (`-1`: the end).
    pub fn at(mut self, at: i64) -> Self {
        self.at = at;
        self
    }

    /// Keeps at most `|limit|` children: the first ones when positive, the last when negative
    /// (`0` means no limit).
    pub fn limit(mut self, limit: i64) -> Self {
        self.limit = (limit != 0).then_some(limit);
        self
    }

    /// Empties the container first.
    pub fn reset(mut self) -> Self {
        self.reset = true;
        self
    }
}

/// One rendered item on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderedItem {
    /// Its DOM id.
    pub id: String,
    /// Its HTML.
    pub html: String,
}

/// One operation of a frame's `streams` list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum StreamOp {
    /// Empty the container.
    Reset {
        /// The stream's name (`dj-stream`).
        stream: String,
    },
    /// Insert (or replace in place) items.
    Insert {
        /// The stream's name.
        stream: String,
        /// Child index of the first item (`-1`: the end).
        at: i64,
        /// The limit to enforce afterwards.
        #[serde(skip_serializing_if = "Option::is_none")]
        limit: Option<i64>,
        /// The items, in order.
        items: Vec<RenderedItem>,
    },
    /// Remove the children of these ids.
    Delete {
        /// The stream's name.
        stream: String,
        /// DOM ids.
        ids: Vec<String>,
    },
}

/// Renders `items` into the operations of one `stream` call: a `reset` when asked, then an
/// `insert` of the items the limit does not drop at once (see `prune`).
pub fn render_batch<T: StreamItem>(
    stream: &str,
    items: impl IntoIterator<Item = T>,
    options: StreamOptions,
) -> Result<Vec<StreamOp>, RenderError> {
    let mut rendered = Vec::new();
    for item in items {
        let mut html = String::new();
        item.render_item(&mut html)?;
        rendered.push(RenderedItem {
            id: item.dom_id(),
            html,
        });
        prune(&mut rendered, options, false);
    }
    prune(&mut rendered, options, true);
    let mut ops = Vec::with_capacity(2);
    if options.reset {
        ops.push(StreamOp::Reset {
            stream: stream.to_owned(),
        });
    }
    if !rendered.is_empty() {
        ops.push(StreamOp::Insert {
            stream: stream.to_owned(),
            at: options.at,
            limit: options.limit,
            items: rendered,
        });
    }
    Ok(ops)
}

/// Drops items the client's limit would remove right after inserting them: appending with a
/// negative limit keeps only the last `−limit` items, prepending (`at` 0) with a positive limit
/// only the first `limit`. While streaming (`done` false) pruning waits until the batch holds
/// twice the limit, so a long iterator keeps at most that many rendered items.
fn prune(items: &mut Vec<RenderedItem>, options: StreamOptions, done: bool) {
    let Some(limit) = options.limit else { return };
    let keep = usize::try_from(limit.unsigned_abs()).unwrap_or(usize::MAX);
    if items.len() <= keep || (!done && items.len() < keep.saturating_mul(2)) {
        return;
    }
    match (options.at, limit.is_negative()) {
        (-1, true) => {
            items.drain(..items.len() - keep);
        }
        (0, false) => items.truncate(keep),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Post(u32);

    impl StreamItem for Post {
        fn dom_id(&self) -> String {
            format!("post-{}", self.0)
        }

        fn render_item(&self, out: &mut String) -> Result<(), RenderError> {
            if self.0 == 666 {
                return Err(RenderError::new("cursed"));
            }
            out.push_str(&format!("<li>{}</li>", self.0));
            Ok(())
        }
    }

    fn ids(ops: &[StreamOp]) -> Vec<String> {
        match ops.last() {
            Some(StreamOp::Insert { items, .. }) => items.iter().map(|i| i.id.clone()).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn renders_items_and_serializes_as_the_client_reads_them() {
        let ops = render_batch("feed", [Post(1), Post(2)], StreamOptions::default()).unwrap();
        assert_eq!(
            serde_json::to_string(&ops).unwrap(),
            r#"[{"op":"insert","stream":"feed","at":-1,"items":[{"id":"post-1","html":"<li>1</li>"},{"id":"post-2","html":"<li>2</li>"}]}]"#
        );
        let ops = render_batch(
            "feed",
            Vec::<Post>::new(),
            StreamOptions::prepend().reset().limit(5),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(&ops).unwrap(),
            r#"[{"op":"reset","stream":"feed"}]"#
        );
        let delete = StreamOp::Delete {
            stream: "feed".into(),
            ids: vec!["post-1".into()],
        };
        assert_eq!(
            serde_json::to_string(&delete).unwrap(),
            r#"{"op":"delete","stream":"feed","ids":["post-1"]}"#
        );
    }

    #[test]
    fn the_limit_drops_what_the_client_would_drop_at_once() {
        let append = StreamOptions::append().limit(-3);
        let ops = render_batch("f", (1..=10).map(Post), append).unwrap();
        assert_eq!(ids(&ops), ["post-8", "post-9", "post-10"]);
        let prepend = StreamOptions::prepend().limit(2);
        let ops = render_batch("f", (1..=10).map(Post), prepend).unwrap();
        assert_eq!(ids(&ops), ["post-1", "post-2"]);
        // Elsewhere the server cannot know what the page holds: everything is sent.
        let middle = StreamOptions::default().at(3).limit(2);
        assert_eq!(
            ids(&render_batch("f", (1..=4).map(Post), middle).unwrap()).len(),
            4
        );
        let no_limit = StreamOptions::default().limit(0);
        assert_eq!(no_limit.limit, None);
    }

    #[test]
    fn a_render_error_is_returned() {
        let error = render_batch("f", [Post(1), Post(666)], StreamOptions::default()).unwrap_err();
        assert_eq!(error.to_string(), "render failed: cursed");
    }
}
