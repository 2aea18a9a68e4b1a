use djust_actix::prelude::*;

#[live_view(inline = r#"<h1>{{ count }}</h1>
<button dj-click="incremnt">+</button>{% include "_buttons.html" %}"#)]
#[derive(Default)]
pub struct Counter {
    pub count: i64,
}

#[events]
impl Counter {
    #[event]
    fn increment(&mut self) {
        self.count += 1;
    }
}

fn main() {}
