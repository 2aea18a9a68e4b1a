// `page.html` extends `base.html` (dj-click="logout"), includes `_form.html` (dj-submit="save")
// and calls a macro whose dj-click is dynamic; commented-out handlers are not checked. An
// inline template extends and includes files the same way.
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

#[live_view(inline = r#"{% extends "base.html" %}
{% block content %}<p>{{ title }}</p>{% include "_form.html" %}{% endblock %}"#)]
#[derive(Default)]
pub struct InlinePage {
    pub title: String,
}

#[events]
impl InlinePage {
    #[event]
    fn logout(&mut self) {}

    #[event]
    fn save(&mut self, title: String) {
        self.title = title;
    }
}

fn main() {}
