//! The page's connection under test: opening it, sending frames and events through it,
//! dropping it, and reconnecting as the client does (views mounted again, typed values put
//! back, form recovery).

use super::*;

impl LivePage {
    /// The connection drops (network gone, server restarted): the page keeps its DOM and what
    /// was typed; events are not sent until [`LivePage::reconnect`].
    pub fn disconnect(&mut self) {
        self.pump();
        if let Some(mut connection) = self.connection.take() {
            connection.transport_gone();
        }
        self.timers.clear();
        self.inbox.lock().expect("inbox").clear();
    }

    /// Whether the page is connected.
    pub fn is_connected(&self) -> bool {
        self.connection.is_some()
    }

    /// Reconnects as the client does: a new connection, each view mounted again with its
    /// token, the typed field values put back, then form recovery — the change events of the
    /// fields that differ from the server's render (not under `dj-no-recover`), then one event
    /// per `dj-auto-recover` container.
    pub fn reconnect(&mut self) {
        if self.connection.is_some() {
            self.disconnect();
        }
        self.connect();
        let captured = self.capture_fields();
        self.mount_all(Some(captured));
        self.pump();
        self.assert_mounted();
        let targets: Vec<String> = self.dom.views.iter().map(|v| v.target.clone()).collect();
        for target in targets {
            self.recover(&target);
        }
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

    /// Sends event `event` to the view in `target`; the view's HTML after the answer, or why
    /// it failed.
    pub(in crate::test) fn event(
        &mut self,
        target: &str,
        event: &str,
        params: Value,
    ) -> Result<String, EventFailure> {
        self.pump();
        if self.connection.is_none() {
            return Err(EventFailure::NotSent(format!(
                "the page is disconnected (event `{event}`)"
            )));
        }
        self.next_ref += 1;
        let reference = self.next_ref;
        let before = self.errors.len();
        self.send(&json!({
            "type": "event", "target": target, "event": event, "params": params, "ref": reference,
        }));
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

    /// Mounts every container of the page: the page's view with `mount`, the lazy ones with
    /// one `mount_batch`. `typed`: field values to put back once mounted (a reconnect).
    pub(in crate::test) fn mount_all(&mut self, typed: Option<HashMap<Handle, Captured>>) {
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
                self.outgoing.push_back(frame.to_string());
            }
        }
        if !lazy.is_empty() {
            self.send(&json!({"type": "mount_batch", "views": lazy}));
        }
        self.pump();
        if let Some(typed) = typed {
            self.put_back(typed);
        }
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
    pub(in crate::test) fn put_back(&mut self, captured: HashMap<Handle, Captured>) {
        self.dom.typed = captured
            .into_iter()
            .filter(|(handle, ((tag, name), _))| {
                self.dom.node(handle).is_some_and(|node| {
                    super::super::dom::tag(node) == tag && node.attr("name") == name.as_deref()
                })
            })
            .map(|(handle, (_, value))| (handle, value))
            .collect();
    }
}
