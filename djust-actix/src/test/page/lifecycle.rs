//! The page's connection under test: opening it, running it to rest (every frame applied to
//! the mirror DOM, then checked against a fresh render), sending events through it, dropping
//! it as a network drop does, and reconnecting as the client does: each view's session resumed
//! (or mounted again when the server no longer has it), the events made meanwhile sent, typed
//! values put back, form recovery after a remount.

use super::*;

/// How an event came about: the element it was made on, and whether form recovery made it.
#[derive(Debug, Default)]
pub(in crate::test) struct Made {
    pub(in crate::test) from: Option<Handle>,
    pub(in crate::test) recovery: bool,
}

impl LivePage {
    /// The connection drops as a network drop does (the socket is gone; the server parks
    /// the view sessions for their grace window, `DjustConfig::view_session_grace`). The page
    /// keeps its DOM and what was typed; events made meanwhile wait in each view's outbox
    /// ([`EventFailure::Pending`]) until [`LivePage::reconnect`]. Timers armed on the
    /// connection are gone with it.
    pub fn disconnect(&mut self) {
        self.pump();
        if let Some(mut connection) = self.connection.take() {
            connection.closed(self.now());
        }
        self.losing = false;
        self.timers.clear();
        self.inbox.lock().expect("inbox").clear();
    }

    /// The network goes down before the connection notices: from now on what the server
    /// sends is lost on the way (events still reach it and are handled; their answers never
    /// arrive, [`EventFailure::Pending`]), until [`LivePage::disconnect`]. A reconnect then
    /// resumes the view sessions: the missed revisions come with the `resumed` answer, whose
    /// `ack` tells which events were applied; only the others go again: each is applied once.
    pub fn lose_server_frames(&mut self) {
        self.pump();
        self.losing = true;
    }

    /// Whether the page is connected.
    pub fn is_connected(&self) -> bool {
        self.connection.is_some()
    }

    /// Reconnects as the client does: a new connection, each view mounted with its token and,
    /// once it had a view session, `resume: {vs, rev}` (the revision its DOM shows).
    ///
    /// - `resumed` (the session was in its grace window): nothing was lost. The missed
    ///   revisions' patches (or the whole HTML), flash messages and title are applied, what was
    ///   typed stays, and the events the server has not acknowledged go, in order, under their
    ///   numbers (the server applies each once). No form recovery.
    /// - `mount` (`remounted`: the grace window ended, the session was evicted, the server
    ///   restarted): the typed values are put back over the new HTML, the kept events go as
    ///   replays (`replay.rev`), then form recovery: the change events of the fields that
    ///   differ from the server's render (not under `dj-no-recover`, not those whose events
    ///   were replayed), then one event per `dj-auto-recover` container.
    ///
    /// Either way, events of `dj-no-recover` fields made while disconnected are dropped
    /// ([`LivePage::not_applied`]), and the mirror DOM is checked against a fresh render.
    pub fn reconnect(&mut self) {
        if self.connection.is_some() {
            self.disconnect();
        }
        self.connect();
        self.carried = self.capture_fields();
        self.reconnecting = true;
        self.mount_all();
        self.reconnecting = false;
        self.carried.clear();
        self.assert_mounted();
        for (target, replayed) in std::mem::take(&mut self.remounted) {
            self.recover(&target, &replayed);
        }
    }

    /// Reconnects to `djust` instead, as after a server restart (a new process that has
    /// never heard of the page's view sessions: every view is mounted again, `unknown`); as
    /// [`LivePage::reconnect`] otherwise. `djust` must use the same secret, or the page's
    /// tokens are refused.
    pub fn reconnect_to(&mut self, djust: &Djust) {
        if self.connection.is_some() {
            self.disconnect();
        }
        self.runtime = Arc::clone(djust.runtime());
        self.reconnect();
    }

    /// Whether the last [`LivePage::reconnect`] resumed every view of the page (`resumed`
    /// answers: their state kept, nothing mounted again).
    pub fn resumed(&self) -> bool {
        !self.reconnected.is_empty() && self.reconnected.iter().all(|(_, why)| why.is_none())
    }

    /// The views the last [`LivePage::reconnect`] mounted again instead of resuming them, with
    /// the server's reason (`remounted`: `expired`, `evicted`, `unknown`, `refused`; a lazy
    /// view, mounted by `mount_batch`, always starts a new session: `new_session`).
    pub fn remounted(&self) -> Vec<(&str, &str)> {
        self.reconnected
            .iter()
            .filter_map(|(view, why)| why.as_deref().map(|why| (view.as_str(), why)))
            .collect()
    }

    /// The events that will not be applied, as the client reports them
    /// (`dj:event-not-applied`): `(event, reason)`, reason `no_recover`, `outbox_full`,
    /// `too_old` or `not_applied` (a replay the view refused after a remount).
    pub fn not_applied(&self) -> &[(String, String)] {
        &self.not_applied
    }

    /// How the server closed the connection, if it did (`code`, `reason`).
    pub fn closed(&self) -> Option<(u16, &str)> {
        self.closed
            .as_ref()
            .map(|(code, why)| (*code, why.as_str()))
    }

    /// Opens a connection (no view mounted yet).
    pub(in crate::test) fn connect(&mut self) {
        let inbox = Arc::clone(&self.inbox);
        let mailbox: Mailbox = Arc::new(move |message| {
            inbox.lock().expect("inbox").push_back(message);
            true
        });
        let now = self.now();
        let mut connection = Connection::new(
            Arc::clone(&self.runtime),
            self.headers.clone(),
            mailbox,
            false,
            now,
        );
        connection.connect();
        self.connection = Some(connection);
        self.version = 0;
        self.closed = None;
    }

    pub(in crate::test) fn now(&self) -> Instant {
        self.started + self.clock
    }

    /// Queues a frame for the server.
    pub(in crate::test) fn send(&mut self, frame: &Value) {
        self.outgoing.push_back(frame.to_string());
    }

    /// Sends event `event` to the view in `target`, made on element `from`; the view's HTML
    /// after the answer, or why it failed.
    pub(in crate::test) fn event(
        &mut self,
        target: &str,
        event: &str,
        params: Value,
        from: &Handle,
    ) -> Result<String, EventFailure> {
        let made = Made {
            from: Some(from.clone()),
            recovery: false,
        };
        self.make_event(target, event, params, made)
    }

    /// Keeps the event in the view's outbox and sends it when connected (else it waits for
    /// the reconnect).
    pub(in crate::test) fn make_event(
        &mut self,
        target: &str,
        event: &str,
        params: Value,
        made: Made,
    ) -> Result<String, EventFailure> {
        self.pump();
        self.next_ref += 1;
        let reference = self.next_ref;
        let no_recover = made.from.as_ref().is_some_and(|h| self.dom.no_recover(h));
        let entry = Entry {
            seq: None,
            event: event.to_owned(),
            params,
            reference,
            rev: 0,
            at: self.clock,
            recovery: made.recovery,
            no_recover,
            field: made.from,
            replay: None,
        };
        let view = self
            .dom
            .view_mut(target)
            .unwrap_or_else(|| panic!("no view container `{target}` on the page"));
        let entry = Entry {
            rev: view.outbox.rev,
            ..entry
        };
        let Some(frame) = view.outbox.add(entry).map(|entry| entry.frame(target)) else {
            self.not_applied
                .push((event.to_owned(), reason::FULL.to_owned()));
            return Err(EventFailure::NotSent(format!(
                "the outbox of `{target}` is full (event `{event}`)"
            )));
        };
        if self.connection.is_none() {
            return Err(EventFailure::Pending(format!(
                "the page is disconnected: `{event}` goes after the reconnect"
            )));
        }
        if self.losing {
            self.send(&frame);
            self.pump();
            return Err(EventFailure::Pending(format!(
                "the answer to `{event}` was lost: it goes again after the reconnect"
            )));
        }
        let before = self.errors.len();
        self.send(&frame);
        self.pump();
        self.answer(target, before, Some(reference))
    }

    /// The view's HTML, or the first error frame since `before` answering `reference` (any
    /// error of `target` for a server-side message).
    pub(in crate::test) fn answer(
        &self,
        target: &str,
        before: usize,
        reference: Option<u64>,
    ) -> Result<String, EventFailure> {
        let error = self.errors[before..].iter().find(|error| match reference {
            Some(reference) => error["ref"].as_u64() == Some(reference),
            None => error["target"].as_str() == Some(target),
        });
        match error {
            Some(error) => Err(EventFailure::Server {
                code: error["code"].as_str().unwrap_or_default().to_owned(),
                message: error["error"].as_str().unwrap_or_default().to_owned(),
                param: error["param"].as_str().map(str::to_owned),
            }),
            None => Ok(self.render_target(target)),
        }
    }

    /// Mounts every container of the page: the page's view with `mount` (naming its view
    /// session, `resume`, when it has one), the lazy ones with one `mount_batch`.
    pub(in crate::test) fn mount_all(&mut self) {
        let url = self.url.clone();
        let mut lazy = Vec::new();
        for view in &self.dom.views {
            let entry = json!({
                "target": view.target, "view": view.view, "token": view.token, "url": url,
            });
            if view.lazy {
                lazy.push(entry);
            } else {
                let mut frame = entry;
                frame["type"] = json!("mount");
                if let Some(resume) = view.outbox.resume_field() {
                    frame["resume"] = resume;
                }
                self.outgoing.push_back(frame.to_string());
            }
        }
        if !lazy.is_empty() {
            self.send(&json!({"type": "mount_batch", "views": lazy}));
        }
        self.reconnected.clear();
        self.pump();
    }

    /// What every field of the page holds now (typed or rendered), with its tag and name, as
    /// the client captures them before a reconnect mount replaces the DOM.
    pub(in crate::test) fn capture_fields(&self) -> HashMap<Handle, Captured> {
        let mut captured = HashMap::new();
        for view in &self.dom.views {
            let mut ids = Vec::new();
            mirror::ids(&view.nodes, &mut ids);
            for id in ids {
                let handle = Handle {
                    target: view.target.clone(),
                    id,
                };
                let Some(node) = self
                    .dom
                    .node(&handle)
                    .filter(|n| super::super::dom::is_field(n))
                else {
                    continue;
                };
                let value = match super::super::dom::field_type(node).as_str() {
                    "checkbox" | "radio" if self.dom.checked(&handle) => {
                        super::super::dom::CHECKED.into()
                    }
                    "checkbox" | "radio" => String::new(),
                    _ => self.dom.value(&handle),
                };
                let key = (
                    super::super::dom::tag(node).to_owned(),
                    node.attr("name").map(str::to_owned),
                );
                captured.insert(handle, (key, value));
            }
        }
        captured
    }

    /// Puts captured values back into the fields of the same `dj-id`, tag and name.
    pub(in crate::test) fn put_back(&mut self, captured: Vec<(Handle, Captured)>) {
        for (handle, ((tag, name), value)) in captured {
            let same = self.dom.node(&handle).is_some_and(|node| {
                super::super::dom::tag(node) == tag && node.attr("name") == name.as_deref()
            });
            if same {
                self.dom.typed.insert(handle, value);
            }
        }
    }

    /// Runs the connection until it has nothing more to say: the frames it sends are applied,
    /// the frames the "client" queued and the views' messages are fed to it; then checks every
    /// view's mirror against the server's fresh render.
    pub(super) fn pump(&mut self) {
        for _ in 0..100_000 {
            let Some(connection) = self.connection.as_mut() else {
                return;
            };
            let actions = connection.take_actions();
            if actions.is_empty() {
                let now = self.started + self.clock;
                if let Some(frame) = self.outgoing.pop_front() {
                    connection.on_frame(now, frame.as_bytes());
                    continue;
                }
                let message = self.inbox.lock().expect("inbox").pop_front();
                match message {
                    Some(message) => connection.deliver(message),
                    None => return self.check_mirrors(),
                }
                continue;
            }
            for action in actions {
                self.perform(action);
            }
        }
        panic!("the views keep sending messages to each other: no rest after 100000 steps");
    }

    /// Every mounted view's mirror equals the server's copy of its DOM.
    fn check_mirrors(&self) {
        let Some(connection) = self.connection.as_ref().filter(|_| !self.losing) else {
            return;
        };
        for view in &self.dom.views {
            let Some(server) = connection.view_html(&view.target) else {
                continue;
            };
            if from_html(&server) != view.nodes {
                panic!(
                    "the patch stream of {} left a DOM different from a fresh render:\n\
                     patched: {}\nfresh:   {server}",
                    view.view,
                    mirror::to_html(&view.nodes)
                );
            }
        }
    }
}
