use djust_actix::prelude::*;

#[live_view(inline = r#"<div dj-window-keydown="clos" dj-window-keyup="open">{{ open }}</div>"#)]
#[derive(Default)]
pub struct Dialog {
    pub open: bool,
}

#[events]
impl Dialog {
    #[event]
    fn close(&mut self) {
        self.open = false;
    }

    #[event]
    fn open(&mut self) {
        self.open = true;
    }
}

fn main() {}
