// `page.html` extends `base.html` (dj-click="logout"), includes `_form.html` (dj-submit="save")
// and calls a macro whose dj-click is dynamic; commented-out handlers are not checked.
use djust_actix::prelude::*;

#[live_view(template = "page.html", title = "Page")]
#[derive(Default)]
pub struct Page {
    pub title: String,
}

#[events]
impl Page {
    #[event]
    fn logout(&mut self) {}

    #[event]
    fn save(&mut self, title: String) {
        self.title = title;
    }

    #[event]
    fn refresh(&mut self) {}
}

fn main() {}
