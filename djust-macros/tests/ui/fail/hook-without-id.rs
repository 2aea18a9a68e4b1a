use djust_actix::prelude::*;

#[live_view(template = "hook_without_id.html")]
#[derive(Default)]
pub struct Chart {
    pub title: String,
}

#[events]
impl Chart {}

#[live_view(inline = r#"<ul>
  <li id="first" dj-hook="Row">one</li>
  <li dj-hook="Row">two</li>
</ul>"#)]
#[derive(Default)]
pub struct Rows {}

#[events]
impl Rows {}

fn main() {}
