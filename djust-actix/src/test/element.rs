//! [`Element`] and [`Form`]: one element of a [`LivePage`], found by selector, and what a user
//! does with it. Each interaction sends what the client would send for the element's binding
//! (`client/src/events.js`, `form.js`) and checks the binding exists first.

use serde_json::{json, Map, Value};

use super::{
    dom::{describe, field_type, is_field, tag, Handle},
    EventFailure, LivePage,
};
use djust_core::vdom::mirror::RNode;

/// The `dj-value-*` params of an element: `dj-value-user-id="7"` → `{"user_id": "7"}`.
pub(super) fn value_params(node: &RNode) -> Map<String, Value> {
    let mut params = Map::new();
    if let RNode::El { attrs, .. } = node {
        for (key, value) in attrs {
            if let Some(name) = key.strip_prefix("dj-value-") {
                params.insert(name.replace('-', "_"), json!(value));
            }
        }
    }
    params
}

/// One element of a page. Get it with [`LivePage::element`].
#[derive(Debug)]
pub struct Element<'p> {
    page: &'p mut LivePage,
    handle: Handle,
}

impl<'p> Element<'p> {
    pub(super) fn new(page: &'p mut LivePage, handle: Handle) -> Self {
        Self { page, handle }
    }

    fn node(&self) -> &RNode {
        self.page
            .dom
            .node(&self.handle)
            .expect("the element is on the page")
    }

    /// The element's text content.
    pub fn text(&self) -> String {
        self.node().text_content()
    }

    /// The element's attribute `name`.
    pub fn attr(&self, name: &str) -> Option<String> {
        self.node().attr(name).map(str::to_owned)
    }

    /// The element's HTML (ids stamped).
    pub fn html(&self) -> String {
        djust_core::vdom::mirror::to_html(std::slice::from_ref(self.node()))
    }

    /// What a field holds now (typed, else rendered).
    pub fn value(&self) -> String {
        self.page.dom.value(&self.handle)
    }

    /// Clicks the element: the `dj-click` of the element or its closest ancestor with one (its
    /// `dj-value-*` as params); a `dj-link` `<a href>` navigates; a submit button submits its
    /// form. Returns the view's HTML after the answer.
    ///
    /// # Panics
    /// When the element is disabled or nothing handles the click.
    pub fn click(self) -> Result<String, EventFailure> {
        self.assert_enabled();
        let chain = self.page.dom.chain(&self.handle);
        if let Some(bound) = chain.iter().find(|node| node.attr("dj-click").is_some()) {
            let event = bound.attr("dj-click").unwrap_or_default().to_owned();
            let params = Value::Object(value_params(bound));
            return self
                .page
                .event(&self.handle.target, &event, params, &self.handle);
        }
        let link = chain
            .iter()
            .find(|node| tag(node) == "a" && node.attr("dj-link").is_some());
        if let Some(href) = link.and_then(|link| link.attr("href")) {
            let href = href.to_owned();
            self.page.live_redirect(&href);
            return Ok(self.page.render());
        }
        let submits = tag(self.node()) == "button"
            && self.node().attr("type").is_none_or(|kind| kind == "submit");
        let form = chain.iter().skip(1).find(|node| tag(node) == "form");
        if let (true, Some(form)) = (submits, form) {
            let form = Handle {
                target: self.handle.target.clone(),
                id: form.id().expect("elements carry ids"),
            };
            let submitter = self.handle.clone();
            return Form::new(self.page, form).submit_with(Some(submitter));
        }
        panic!(
            "{} has no dj-click (nor does any ancestor), is no dj-link and submits no form",
            describe(self.node())
        )
    }

    /// A key pressed on the element: its (or its closest ancestor's) `dj-keydown`, with `key`
    /// and the field's value. [`EventFailure::NotSent`] when `dj-key-filter` names another
    /// key.
    ///
    /// # Panics
    /// When the element is disabled or has no `dj-keydown` (nor any ancestor).
    pub fn keydown(self, key: &str) -> Result<String, EventFailure> {
        self.key("dj-keydown", key)
    }

    /// A key released on the element: as [`Element::keydown`], for `dj-keyup`.
    ///
    /// # Panics
    /// As [`Element::keydown`].
    pub fn keyup(self, key: &str) -> Result<String, EventFailure> {
        self.key("dj-keyup", key)
    }

    fn key(self, binding: &str, key: &str) -> Result<String, EventFailure> {
        self.assert_enabled();
        let chain = self.page.dom.chain(&self.handle);
        let Some(bound) = chain.iter().find(|node| node.attr(binding).is_some()) else {
            panic!(
                "{} has no {binding} (nor does any ancestor)",
                describe(self.node())
            )
        };
        if let Some(filter) = bound.attr("dj-key-filter") {
            if filter != key {
                return Err(EventFailure::NotSent(format!(
                    "dj-key-filter=\"{filter}\" ignores {key:?}"
                )));
            }
        }
        let event = bound.attr(binding).unwrap_or_default().to_owned();
        let mut params = value_params(bound);
        params.insert("key".into(), json!(key));
        if is_field(self.node()) {
            params.insert("value".into(), self.page.field_value(&self.handle));
        }
        self.page.event(
            &self.handle.target,
            &event,
            Value::Object(params),
            &self.handle,
        )
    }

    /// Types `value` into the field and leaves it: its `dj-change`, with `value` and `field`.
    /// Disconnected, the value is kept and the event waits in the view's outbox for the
    /// reconnect ([`EventFailure::Pending`]).
    ///
    /// # Panics
    /// When the element is not a field, is disabled, or has no `dj-change`.
    pub fn change(self, value: &str) -> Result<String, EventFailure> {
        self.field_event("dj-change", value)
    }

    /// Types `value` into the field: its `dj-input`, as [`Element::change`].
    ///
    /// # Panics
    /// When the element is not a field, is disabled, or has no `dj-input`.
    pub fn input(self, value: &str) -> Result<String, EventFailure> {
        self.field_event("dj-input", value)
    }

    fn field_event(self, binding: &str, value: &str) -> Result<String, EventFailure> {
        assert!(
            is_field(self.node()),
            "{} is not a field (input, textarea, select)",
            describe(self.node())
        );
        self.assert_enabled();
        let Some(event) = self.node().attr(binding).map(str::to_owned) else {
            panic!("{} has no {binding}", describe(self.node()))
        };
        set_field(self.page, &self.handle, value);
        let mut params = value_params(self.node());
        params.insert("value".into(), self.page.field_value(&self.handle));
        if let Some(name) = self.node().attr("name") {
            params.insert("field".into(), json!(name));
        }
        self.page.event(
            &self.handle.target,
            &event,
            Value::Object(params),
            &self.handle,
        )
    }

    fn assert_enabled(&self) {
        let chain = self.page.dom.chain(&self.handle);
        let disabled = self.node().attr("disabled").is_some()
            || chain
                .iter()
                .any(|node| tag(node) == "fieldset" && node.attr("disabled").is_some());
        assert!(!disabled, "{} is disabled", describe(self.node()));
    }
}

/// Sets what a field holds, as typing would: a checkbox or radio is checked unless `value`
/// is `""` or `"false"`.
fn set_field(page: &mut LivePage, handle: &Handle, value: &str) {
    let node = page.dom.node(handle).expect("the field is on the page");
    match field_type(node).as_str() {
        "checkbox" | "radio" => {
            page.set_checked(handle.clone(), !matches!(value, "" | "false"));
        }
        "select" => {
            let mut options = Vec::new();
            super::dom::options_of(node, &mut options);
            let values: Vec<String> = options
                .iter()
                .map(|o| super::dom::option_value(o))
                .collect();
            assert!(
                values.iter().any(|v| v == value),
                "{} has no option {value:?}; its options: {values:?}",
                describe(node)
            );
            page.dom.typed.insert(handle.clone(), value.to_owned());
        }
        _ => {
            page.dom.typed.insert(handle.clone(), value.to_owned());
        }
    }
}

/// A `<form>` of a page. Get it with [`LivePage::form`].
#[derive(Debug)]
pub struct Form<'p> {
    page: &'p mut LivePage,
    handle: Handle,
    filled: Vec<Handle>,
}

impl<'p> Form<'p> {
    pub(super) fn new(page: &'p mut LivePage, handle: Handle) -> Self {
        let node = page.dom.node(&handle).expect("the form is on the page");
        assert!(tag(node) == "form", "{} is not a <form>", describe(node));
        Self {
            page,
            handle,
            filled: Vec::new(),
        }
    }

    /// Types `value` into each named field (`(name, value)`); a checkbox is checked unless the
    /// value is `""` or `"false"`.
    ///
    /// # Panics
    /// When the form has no field of that name (the message lists its fields), or the field
    /// is disabled.
    pub fn fill(mut self, fields: &[(&str, &str)]) -> Self {
        for (name, value) in fields {
            let found: Vec<(Handle, String)> = self
                .page
                .dom
                .fields_under(&self.handle)
                .into_iter()
                .filter(|(_, node)| node.attr("name") == Some(name))
                .map(|(handle, node)| (handle, field_type(node)))
                .collect();
            let Some((field, kind)) = found
                .iter()
                .find(|(handle, kind)| {
                    kind != "radio"
                        || self.page.dom.node(handle).and_then(|n| n.attr("value")) == Some(value)
                })
                .cloned()
            else {
                let names: Vec<String> = self
                    .page
                    .dom
                    .fields_under(&self.handle)
                    .iter()
                    .filter_map(|(_, node)| node.attr("name").map(str::to_owned))
                    .collect();
                panic!(
                    "the form has no field named `{name}` (for {value:?}); its fields: {names:?}"
                )
            };
            let node = self.page.dom.node(&field).expect("on the page");
            assert!(
                node.attr("disabled").is_none(),
                "{} is disabled",
                describe(node)
            );
            if kind == "radio" {
                for (other, _) in found.iter().filter(|(h, k)| k == "radio" && *h != field) {
                    self.page.set_checked(other.clone(), false);
                }
            }
            set_field(self.page, &field, value);
            self.filled.push(field);
        }
        self
    }

    /// Submits the form: its `dj-submit` with every named, enabled field (checkboxes and
    /// radios when checked). With `dj-submit-reset`, the fields go back to their rendered
    /// values once the server accepted it.
    ///
    /// # Panics
    /// When the form has no `dj-submit`.
    pub fn submit(self) -> Result<String, EventFailure> {
        self.submit_with(None)
    }

    fn submit_with(self, submitter: Option<Handle>) -> Result<String, EventFailure> {
        let node = self.page.dom.node(&self.handle).expect("on the page");
        let Some(event) = node.attr("dj-submit").map(str::to_owned) else {
            panic!("{} has no dj-submit", describe(node))
        };
        let resets = node.attr("dj-submit-reset").is_some();
        let mut params = value_params(node);
        params.extend(self.serialize());
        if let Some(button) = submitter.and_then(|s| self.page.dom.node(&s)) {
            if let Some(name) = button.attr("name") {
                let value = button.attr("value").unwrap_or_default();
                params.insert(name.to_owned(), json!(value));
            }
        }
        let fields: Vec<Handle> = self
            .page
            .dom
            .fields_under(&self.handle)
            .into_iter()
            .map(|(handle, _)| handle)
            .collect();
        let answer = self.page.event(
            &self.handle.target,
            &event,
            Value::Object(params),
            &self.handle,
        );
        if answer.is_ok() && resets {
            for field in fields {
                self.page.dom.typed.remove(&field);
            }
            return Ok(self.page.render_target(&self.handle.target));
        }
        answer
    }

    /// Sends the change of the filled fields: the form's `dj-change` with every field, else
    /// each filled field's own `dj-change` (or `dj-input`); the HTML after the last answer.
    ///
    /// # Panics
    /// When neither the form nor a filled field has a `dj-change` or `dj-input`.
    pub fn change(self) -> Result<String, EventFailure> {
        let node = self.page.dom.node(&self.handle).expect("on the page");
        if let Some(event) = node.attr("dj-change").map(str::to_owned) {
            let mut params = value_params(node);
            params.extend(self.serialize());
            return self.page.event(
                &self.handle.target,
                &event,
                Value::Object(params),
                &self.handle,
            );
        }
        let mut last = None;
        for field in &self.filled {
            let node = self.page.dom.node(field).expect("on the page");
            let Some(event) = node.attr("dj-change").or(node.attr("dj-input")) else {
                continue;
            };
            let event = event.to_owned();
            let mut params = value_params(node);
            params.insert("value".into(), self.page.field_value(field));
            if let Some(name) = node.attr("name") {
                params.insert("field".into(), json!(name));
            }
            // Disconnected, each field's event waits in the outbox: the next one is made too.
            match self
                .page
                .event(&field.target, &event, Value::Object(params), field)
            {
                Err(EventFailure::Pending(why)) => last = Some(Err(EventFailure::Pending(why))),
                answer => last = Some(Ok(answer?)),
            }
        }
        match last {
            Some(answer) => answer,
            None => panic!("neither the form nor a filled field has dj-change or dj-input"),
        }
    }

    /// The form's named, enabled fields as a submission sends them.
    fn serialize(&self) -> Map<String, Value> {
        let mut params: Map<String, Value> = Map::new();
        for (field, node) in self.page.dom.fields_under(&self.handle) {
            let Some(name) = node.attr("name") else {
                continue;
            };
            let kind = field_type(node);
            let skipped = matches!(
                kind.as_str(),
                "submit" | "button" | "reset" | "image" | "file"
            );
            if skipped || node.attr("disabled").is_some() {
                continue;
            }
            let value = match kind.as_str() {
                "checkbox" | "radio" if !self.page.dom.checked(&field) => continue,
                "checkbox" | "radio" => node.attr("value").unwrap_or("on").to_owned(),
                _ => self.page.dom.value(&field),
            };
            match params.get_mut(name) {
                None => {
                    params.insert(name.to_owned(), json!(value));
                }
                Some(Value::Array(values)) => values.push(json!(value)),
                Some(previous) => *previous = json!([previous.clone(), value]),
            }
        }
        params
    }
}
