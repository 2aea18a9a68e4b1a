//! `/hooks/`: JavaScript interop. A JS-owned editor (the `CharCounter` hook builds it inside
//! `dj-update="ignore"`) that survives patches, whole-HTML updates and reconnects, asks the
//! server to count its words (`pushEvent` with a reply) and is highlighted by a server push
//! (`handleEvent`); a lifecycle probe; JS commands that stick through server patches.

use djust_actix::prelude::*;
use serde_json::json;

/// The colours a highlight cycles through.
const COLORS: &[&str] = &["gold", "tomato", "teal"];

/// The hooks demo.
#[live_view(template = "hooks.html", title = "Hooks")]
#[derive(Debug)]
pub struct Hooks {
    /// Server updates so far (each one patches the page around the editor).
    pub ticks: u64,
    /// Which of two large blocks is shown: switching them is a whole-HTML update.
    pub reshaped: bool,
    /// Whether the lifecycle probe is on the page.
    pub probe: bool,
    /// Words of the last text the editor sent.
    pub words: Option<usize>,
    /// Highlights asked for.
    pub highlights: usize,
}

#[events]
impl Hooks {
    fn mount(ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        Ok(Self {
            ticks: 0,
            reshaped: false,
            probe: ctx.query("probe") == Some("1"),
            words: None,
            highlights: 0,
        })
    }

    /// A server-side change next to the editor.
    #[event]
    fn tick(&mut self) {
        self.ticks += 1;
    }

    /// Changes every element of the large block: the patch would be bigger than the HTML, so
    /// the server sends the whole HTML.
    #[event]
    fn reshape(&mut self) {
        self.reshaped = !self.reshaped;
        self.ticks += 1;
    }

    /// Shows or removes the lifecycle probe; the URL says whether it is shown, so a reconnect
    /// (a fresh mount at the page's URL) shows it again.
    #[event]
    fn toggle_probe(&mut self, ctx: &mut Context<()>) {
        self.probe = !self.probe;
        ctx.live_patch(if self.probe {
            "/hooks/?probe=1"
        } else {
            "/hooks/"
        });
    }

    /// Counts the words of the editor's text and replies with the count.
    #[event]
    fn count_words(&mut self, text: String, ctx: &mut Context<()>) {
        let words = text.split_whitespace().count();
        self.words = Some(words);
        ctx.reply(json!({ "words": words, "chars": text.chars().count() }));
    }

    /// Asks the editor's hook to highlight itself (a server push).
    #[event]
    fn highlight(&mut self, ctx: &mut Context<()>) {
        let color = COLORS[self.highlights % COLORS.len()];
        self.highlights += 1;
        ctx.push_event("highlight", json!({ "color": color }));
    }
}

impl Hooks {
    /// The panel's open/close button (it says it expanded the panel): JS commands, no round
    /// trip.
    pub fn toggle_panel(&self) -> JS {
        JS::new()
            .toggle_class("open")
            .to("#panel")
            .set_attr("aria-expanded", "true")
    }

    /// Hides the panel and tells the server (a JS `push`).
    pub fn close_panel(&self) -> JS {
        JS::new().remove_class("open").to("#panel").push("tick")
    }
}
