//! The "client" side of the kit: what the connection core's actions and frames do to the page
//! (`docs/protocol.md`), as `client/src` does it in a browser.

use std::collections::HashSet;

use djust_core::vdom::mirror::{apply, from_html};
use serde_json::{json, Map, Value};

use super::{
    dom::{field_type, Handle, ViewDom, CHECKED},
    outbox::{reason, Entry, Outbox},
    page::{Captured, Made},
    LivePage,
};
use crate::connection::Action;

/// A `push_event` frame the view sent (`Context::push_event`).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PushEvent {
    pub(super) target: String,
    pub(super) event: String,
    pub(super) payload: Value,
}

impl LivePage {
    /// Carries out one action of the connection core.
    pub(super) fn perform(&mut self, action: Action) {
        match action {
            Action::Send(_) if self.losing => {} // lost on the way
            Action::Send(text) => {
                let frame: Value = serde_json::from_str(&text).unwrap_or_else(|error| {
                    panic!("the server sent a frame that is not JSON ({error}): {text}")
                });
                self.on_frame(&frame);
            }
            Action::Timer { after, message } => self.timers.push((self.clock + after, message)),
            Action::Close { code, reason } => {
                self.closed = Some((code, reason));
                // As the transport does once its socket is closed: the view sessions park.
                let now = self.now();
                if let Some(mut connection) = self.connection.take() {
                    connection.closed(now);
                }
            }
            Action::Ping | Action::Pong(_) => {}
        }
    }

    fn on_frame(&mut self, frame: &Value) {
        let kind = frame["type"].as_str().unwrap_or_default();
        if let Some(version) = frame["version"].as_u64() {
            assert!(
                version > self.version,
                "versions must grow: {version} after {} in {frame}",
                self.version
            );
            self.version = version;
        }
        let target = frame["target"].as_str().unwrap_or_default();
        self.flash.show(&frame["flash"], self.clock);
        if let Some(title) = frame["title"].as_str() {
            self.title = Some(title.to_owned());
        }
        self.delivery(target, frame);
        match kind {
            "connect" | "pong" | "noop" => {}
            "mount" => self.mounted(frame),
            "resumed" => self.apply_resumed(frame),
            "mount_batch" => {
                for mount in frame["views"].as_array().into_iter().flatten() {
                    self.flash.show(&mount["flash"], self.clock);
                    self.mounted(mount);
                }
                for failed in frame["failed"].as_array().into_iter().flatten() {
                    self.errors.push(failed.clone());
                }
                for navigate in frame["navigate"].as_array().into_iter().flatten() {
                    self.user_navigation = Some(false);
                    self.send(&json!({"type": "live_redirect", "url": navigate["url"]}));
                }
            }
            "patch" => {
                let view = self.mounted_view(target, frame);
                if let Err(error) = apply(&mut view.nodes, &frame["patches"]) {
                    panic!("the patches of {} do not apply: {error}", view.view);
                }
                self.sync_typed(target, &frame["patches"]);
            }
            "html_update" | "html_recovery" => {
                let html = frame["html"].as_str().unwrap_or_default();
                self.mounted_view(target, frame).nodes = from_html(html);
                self.dom.forget_typed(target);
            }
            "error" => self.errors.push(frame.clone()),
            "push_event" => self.push_events.push(PushEvent {
                target: target.to_owned(),
                event: frame["event"].as_str().unwrap_or_default().to_owned(),
                payload: frame["payload"].clone(),
            }),
            "navigate" => match self.user_navigation.take() {
                Some(back) => self.arrive(frame, back),
                None => {
                    self.redirects
                        .push_back(frame["url"].as_str().unwrap_or_default().to_owned());
                    self.pending_navigation = Some(frame.clone());
                }
            },
            "live_patch" => {
                let url = frame["url"].as_str().unwrap_or_default().to_owned();
                self.url.clone_from(&url);
                if let Some(last) = self.history.last_mut() {
                    last.clone_from(&url);
                }
                self.live_patches.push_back(url);
                for (target, token) in frame["tokens"].as_object().into_iter().flatten() {
                    if let (Some(view), Some(token)) = (self.dom.view_mut(target), token.as_str()) {
                        view.token = token.to_owned();
                    }
                }
            }
            other => panic!("the server sent an unknown frame `{other}`: {frame}"),
        }
    }

    fn mounted_view(&mut self, target: &str, frame: &Value) -> &mut ViewDom {
        self.dom.view_mut(target).unwrap_or_else(|| {
            panic!("a frame for `{target}`, which the page does not hold: {frame}")
        })
    }

    /// What a frame for a view says about delivery (`ack`, `rev`, the answer to an event).
    fn delivery(&mut self, target: &str, frame: &Value) {
        let Some(view) = self.dom.view_mut(target) else {
            return;
        };
        let answered = view.outbox.received(frame);
        let refused = frame["type"] == "error" && frame["code"] == reason::NOT_APPLIED;
        if let (Some(entry), true) = (answered, refused) {
            self.not_applied
                .push((entry.event, reason::NOT_APPLIED.to_owned()));
        }
    }

    /// A `mount` answer: the view's content replaced, a view session begun; the events kept
    /// go (as replays when the state they were made against is gone).
    fn mounted(&mut self, frame: &Value) {
        let target = frame["target"].as_str().unwrap_or_default();
        let html = frame["html"].as_str().unwrap_or_default();
        let reconnect = self.reconnecting;
        let view = self.mounted_view(target, frame);
        view.nodes = from_html(html);
        renew_token(view, frame);
        let remounted = view.outbox.mounted(frame, reconnect);
        let name = view.view.clone();
        let replayed: HashSet<Handle> = view
            .outbox
            .entries
            .iter()
            .filter_map(|entry| entry.field.clone())
            .collect();
        if reconnect {
            let why = frame["remounted"].as_str().unwrap_or("new_session");
            self.reconnected.push((name, Some(why.to_owned())));
        }
        if remounted {
            self.remounted.push((target.to_owned(), replayed));
        }
        self.dom.forget_typed(target);
        self.carry_typed(target);
        self.go_live(target, reconnect);
    }

    /// A `resumed` answer: the view session goes on; the missed revisions' patches (or the
    /// whole HTML) are applied, then the events it has not acknowledged go again.
    fn apply_resumed(&mut self, frame: &Value) {
        let target = frame["target"].as_str().unwrap_or_default();
        let view = self.mounted_view(target, frame);
        renew_token(view, frame);
        view.outbox.resumed(frame);
        let name = view.view.clone();
        self.reconnected.push((name, None));
        if let Some(lists) = frame["patches"].as_array() {
            for patches in lists {
                let view = self.mounted_view(target, frame);
                if let Err(error) = apply(&mut view.nodes, patches) {
                    panic!("the resumed patches of {} do not apply: {error}", view.view);
                }
                self.sync_typed(target, patches);
            }
        } else if let Some(html) = frame["html"].as_str() {
            self.mounted_view(target, frame).nodes = from_html(html);
            self.dom.forget_typed(target);
            self.carry_typed(target);
        }
        self.go_live(target, true);
    }

    /// Puts back the values typed into `target`'s fields before a reconnect replaced them.
    fn carry_typed(&mut self, target: &str) {
        let carried: Vec<(Handle, Captured)> = self
            .carried
            .iter()
            .filter(|(handle, _)| handle.target == target)
            .map(|(handle, captured)| (handle.clone(), captured.clone()))
            .collect();
        self.put_back(carried);
    }

    /// The view is mounted on an open connection: its kept events go, in order, but those of
    /// `dj-no-recover` fields after a reconnect, and those past the age bound (both reported).
    fn go_live(&mut self, target: &str, reconnect: bool) {
        let clock = self.clock;
        let Some(view) = self.dom.view_mut(target) else {
            return;
        };
        let mut dropped: Vec<(Entry, &str)> = Vec::new();
        if reconnect {
            let no_recover = view.outbox.take(|entry| entry.no_recover);
            dropped.extend(no_recover.into_iter().map(|e| (e, reason::NO_RECOVER)));
        }
        let expired = view.outbox.expire(clock);
        dropped.extend(expired.into_iter().map(|e| (e, reason::TOO_OLD)));
        let frames: Vec<Value> = view
            .outbox
            .entries
            .iter()
            .map(|entry| entry.frame(target))
            .collect();
        let dropped = dropped
            .into_iter()
            .map(|(entry, why)| (entry.event, why.to_owned()));
        self.not_applied.extend(dropped);
        for frame in frames {
            self.send(&frame);
        }
    }

    /// A patched `value` or `checked` attribute sets the property too (the client's
    /// `syncProperty`): what was typed there is replaced.
    fn sync_typed(&mut self, target: &str, patches: &Value) {
        for patch in patches.as_array().into_iter().flatten() {
            let synced = matches!(patch["k"].as_str(), Some("value" | "checked"));
            if synced {
                if let Some(id) = patch["d"].as_u64() {
                    self.dom.typed.remove(&Handle {
                        target: target.to_owned(),
                        id,
                    });
                }
            }
        }
    }

    fn keep_left_snapshots(&mut self, frame: &Value) {
        for left in frame["left"].as_array().into_iter().flatten() {
            let view = left["view"].as_str().unwrap_or_default().to_owned();
            let snapshot = left["snapshot"].as_str().unwrap_or_default().to_owned();
            self.snapshots.insert(self.url.clone(), (view, snapshot));
        }
    }

    /// A `navigate` frame arrived and is followed: the page's containers are replaced by the
    /// new page's and mounted, the page's view with the snapshot kept for its URL on a back
    /// navigation.
    pub(super) fn arrive(&mut self, frame: &Value, back: bool) {
        self.keep_left_snapshots(frame);
        let url = frame["url"].as_str().unwrap_or_default().to_owned();
        if !back {
            self.history.push(url.clone());
        }
        self.url.clone_from(&url);
        let kept = if back {
            self.snapshots.get(&url).cloned()
        } else {
            None
        };
        self.dom.views.clear();
        self.dom.typed.clear();
        let mut lazy = Vec::new();
        for container in frame["views"].as_array().into_iter().flatten() {
            let field = |name: &str| container[name].as_str().unwrap_or_default().to_owned();
            let view = ViewDom {
                target: field("target"),
                view: field("view"),
                token: field("token"),
                lazy: !container["lazy"].is_null(),
                nodes: Vec::new(),
                outbox: Outbox::default(),
            };
            let mut mount = json!({
                "target": view.target, "view": view.view, "token": view.token, "url": url,
            });
            if view.lazy {
                lazy.push(mount);
            } else {
                mount["type"] = json!("mount");
                if let Some((_, blob)) = kept.as_ref().filter(|(name, _)| *name == view.view) {
                    mount["snapshot"] = json!(blob);
                }
                self.send(&mount);
            }
            self.dom.views.push(view);
        }
        if !lazy.is_empty() {
            self.send(&json!({"type": "mount_batch", "views": lazy}));
        }
    }

    /// Form recovery of the view in `target` after a reconnect remounted it
    /// (`client/src/form_recovery.js`); the fields in `replayed` are left alone (their own
    /// events went again).
    pub(super) fn recover(&mut self, target: &str, replayed: &HashSet<Handle>) {
        for (event, params) in self.recovery_events(target, replayed) {
            // A refused recovery event is the view's answer; the page goes on.
            let made = Made {
                from: None,
                recovery: true,
            };
            let _ = self.make_event(target, &event, params, made);
        }
    }

    fn recovery_events(&self, target: &str, replayed: &HashSet<Handle>) -> Vec<(String, Value)> {
        let Some(view) = self.dom.view(target) else {
            return Vec::new();
        };
        let mut changes = Vec::new();
        let mut auto = Vec::new();
        let mut ids = Vec::new();
        djust_core::vdom::mirror::ids(&view.nodes, &mut ids);
        for id in ids {
            let handle = Handle {
                target: target.to_owned(),
                id,
            };
            let chain = self.dom.chain(&handle);
            let Some(node) = chain.first() else { continue };
            if let Some(handler) = node.attr("dj-auto-recover") {
                auto.push((handler.to_owned(), self.auto_recover_params(&handle)));
            }
            if !super::dom::is_field(node) {
                continue;
            }
            let Some(event) = node.attr("dj-change").or(node.attr("dj-input")) else {
                continue;
            };
            let skipped = chain
                .iter()
                .any(|n| n.attr("dj-no-recover").is_some() || n.attr("dj-auto-recover").is_some());
            if skipped || replayed.contains(&handle) || !self.differs_from_default(&handle) {
                continue;
            }
            let mut params = super::element::value_params(node);
            params.insert("value".into(), self.field_value(&handle));
            if let Some(name) = node.attr("name") {
                params.insert("field".into(), json!(name));
            }
            changes.push((event.to_owned(), Value::Object(params)));
        }
        changes.extend(auto);
        changes
    }

    fn differs_from_default(&self, handle: &Handle) -> bool {
        let Some(node) = self.dom.node(handle) else {
            return false;
        };
        match field_type(node).as_str() {
            "checkbox" | "radio" => self.dom.checked(handle) != node.attr("checked").is_some(),
            _ => self.dom.value(handle) != super::dom::default_value(node),
        }
    }

    /// A field's value as `dj-change`/`dj-input` send it: a checkbox's `checked`, else the
    /// value.
    pub(super) fn field_value(&self, handle: &Handle) -> Value {
        match self.dom.node(handle).map(field_type).as_deref() {
            Some("checkbox") => json!(self.dom.checked(handle)),
            _ => json!(self.dom.value(handle)),
        }
    }

    fn auto_recover_params(&self, handle: &Handle) -> Value {
        let mut form_values = Map::new();
        for (field, node) in self.dom.fields_under(handle) {
            let Some(name) = node.attr("name") else {
                continue;
            };
            if field_type(node) == "radio" && !self.dom.checked(&field) {
                continue;
            }
            form_values.insert(name.to_owned(), self.field_value(&field));
        }
        let mut data_attrs = Map::new();
        if let Some(djust_core::vdom::mirror::RNode::El { attrs, .. }) = self.dom.node(handle) {
            for (key, value) in attrs {
                if let Some(key) = key.strip_prefix("data-") {
                    data_attrs.insert(key.to_owned(), json!(value));
                }
            }
        }
        json!({"_form_values": form_values, "_data_attrs": data_attrs})
    }

    /// What a checkbox or radio holds once (un)checked.
    pub(super) fn set_checked(&mut self, handle: Handle, checked: bool) {
        let value = if checked { CHECKED } else { "" };
        self.dom.typed.insert(handle, value.to_owned());
    }
}

/// A `mount` or `resumed` answer carries a fresh page token for the view: a later reconnect
/// mounts with it.
fn renew_token(view: &mut ViewDom, frame: &Value) {
    if let Some(token) = frame["token"].as_str() {
        view.token = token.to_owned();
    }
}
