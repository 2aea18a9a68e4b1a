//! [`SseStream`]: the body of an SSE response, written as `text/event-stream` events. Every
//! event carries an `id:` naming what the client has once it has read that event: for each view
//! of the connection, its view session and revision (`{"<target>":{"vs":"…","rev":N}}`, the
//! shape of a `mount` frame's `resume`). A reconnecting `EventSource` sends the last one back as
//! `Last-Event-ID` and resumes exactly there (see [`super::resume`]).

use std::{borrow::Cow, collections::BTreeMap};

use actix_web::web::Bytes;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

/// The client is gone: nothing more can be written.
#[derive(Debug)]
pub(crate) struct Closed;

/// What the client holds of one view: its view session and the last revision it read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Held {
    vs: String,
    rev: u64,
}

/// An open event stream and the position its events reach.
#[derive(Debug)]
pub(crate) struct SseStream {
    body: mpsc::Sender<Bytes>,
    /// Per view target, what the client holds after the last event written.
    held: BTreeMap<String, Held>,
    /// `held` as the `id:` value (recomputed when it changes).
    id: String,
}

impl SseStream {
    /// A stream writing its chunks to `body`.
    pub(crate) fn new(body: mpsc::Sender<Bytes>) -> Self {
        Self {
            body,
            held: BTreeMap::new(),
            id: "{}".to_owned(),
        }
    }

    /// Writes one JSON protocol frame as a `data:` event with the position after it.
    pub(crate) async fn frame(&mut self, text: &str) -> Result<(), Closed> {
        if self.advance(text) {
            self.id = serde_json::to_string(&self.held).expect("a map of strings and numbers");
        }
        let event = event(&self.id, text);
        self.body.send(event).await.map_err(|_| Closed)
    }

    /// The heartbeat: a comment the client ignores (it cannot answer pings).
    pub(crate) async fn keepalive(&mut self) -> Result<(), Closed> {
        let chunk = Bytes::from_static(b": keepalive\n\n");
        self.body.send(chunk).await.map_err(|_| Closed)
    }

    /// Ends the stream with an `event: close` carrying the WebSocket close code and reason.
    pub(crate) async fn close(self, code: u16, reason: Option<String>) {
        let payload = serde_json::json!({ "code": code, "reason": reason.unwrap_or_default() });
        let event = format!("event: close\nid: {}\ndata: {payload}\n\n", self.id);
        let _ = self.body.send(Bytes::from(event)).await;
    }

    /// Notes what `frame` changes in the client's position; whether it changed.
    fn advance(&mut self, frame: &str) -> bool {
        let Ok(frame) = serde_json::from_str::<Frame<'_>>(frame) else {
            return false;
        };
        match frame.kind.as_ref() {
            // A navigation drops every view of the connection: their sessions are over.
            "navigate" => !std::mem::take(&mut self.held).is_empty(),
            "mount_batch" => {
                let mut changed = false;
                for view in &frame.views {
                    if let Ok(view) = serde_json::from_str::<Frame<'_>>(view.get()) {
                        changed |= self.note(&view);
                    }
                }
                changed
            }
            _ => self.note(&frame),
        }
    }

    /// Notes a frame about one view (its `vs` and/or `rev`); whether it changed the position.
    fn note(&mut self, frame: &Frame<'_>) -> bool {
        let (Some(target), Some(rev)) = (&frame.target, frame.rev) else {
            return false;
        };
        let held = match (&frame.vs, self.held.get_mut(target.as_ref())) {
            (Some(vs), Some(held)) if held.vs == vs.as_ref() => held,
            (Some(vs), _) => {
                let vs = vs.clone().into_owned();
                self.held
                    .insert(target.clone().into_owned(), Held { vs, rev });
                return true;
            }
            (None, Some(held)) => held,
            (None, None) => return false, // a view without a view session
        };
        let changed = held.rev != rev;
        held.rev = rev;
        changed
    }
}

/// The fields of a server frame the position depends on.
#[derive(Deserialize)]
struct Frame<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow, default)]
    target: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    vs: Option<Cow<'a, str>>,
    #[serde(default)]
    rev: Option<u64>,
    /// A `mount_batch`'s mount frames.
    #[serde(borrow, default)]
    views: Vec<&'a serde_json::value::RawValue>,
}

/// One event: its `id:`, then `text` (JSON has no raw newlines, but be safe: one `data:` per
/// line).
fn event(id: &str, text: &str) -> Bytes {
    let mut event = String::with_capacity(text.len() + id.len() + 16);
    event.push_str("id: ");
    event.push_str(id);
    event.push('\n');
    for line in text.split('\n') {
        event.push_str("data: ");
        event.push_str(line.trim_end_matches('\r'));
        event.push('\n');
    }
    event.push('\n');
    Bytes::from(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn written(frames: &[&str]) -> Vec<String> {
        let (body, mut chunks) = mpsc::channel(16);
        let mut stream = SseStream::new(body);
        for frame in frames {
            stream.frame(frame).await.expect("open");
        }
        drop(stream);
        let mut events = Vec::new();
        while let Some(chunk) = chunks.recv().await {
            events.push(String::from_utf8(chunk.to_vec()).expect("UTF-8"));
        }
        events
    }

    #[actix_web::test]
    async fn every_event_carries_the_position_it_reaches() {
        let events = written(&[
            r#"{"type":"connect","session_id":"c"}"#,
            r#"{"type":"mount","target":"a","vs":"s1.m","rev":0,"html":"x"}"#,
            r#"{"type":"patch","target":"a","rev":1,"patches":[]}"#,
            r#"{"type":"pong"}"#,
            r#"{"type":"mount_batch","views":[{"type":"mount","target":"b","vs":"s2.m","rev":0}],"failed":[]}"#,
            r#"{"type":"html_update","target":"b","rev":1,"html":"y"}"#,
            r#"{"type":"resumed","target":"a","vs":"s1.m","rev":4}"#,
            r#"{"type":"navigate","url":"/x/","views":[]}"#,
        ])
        .await;
        let ids: Vec<&str> = events
            .iter()
            .map(|event| event.lines().next().expect("id line"))
            .collect();
        assert_eq!(
            ids,
            [
                "id: {}",
                r#"id: {"a":{"vs":"s1.m","rev":0}}"#,
                r#"id: {"a":{"vs":"s1.m","rev":1}}"#,
                r#"id: {"a":{"vs":"s1.m","rev":1}}"#,
                r#"id: {"a":{"vs":"s1.m","rev":1},"b":{"vs":"s2.m","rev":0}}"#,
                r#"id: {"a":{"vs":"s1.m","rev":1},"b":{"vs":"s2.m","rev":1}}"#,
                r#"id: {"a":{"vs":"s1.m","rev":4},"b":{"vs":"s2.m","rev":1}}"#,
                "id: {}",
            ]
        );
        assert_eq!(
            events[1],
            "id: {\"a\":{\"vs\":\"s1.m\",\"rev\":0}}\ndata: {\"type\":\"mount\",\"target\":\"a\",\"vs\":\"s1.m\",\"rev\":0,\"html\":\"x\"}\n\n"
        );
    }

    #[actix_web::test]
    async fn a_new_view_session_for_a_target_replaces_the_old() {
        let events = written(&[
            r#"{"type":"mount","target":"a","vs":"s1.m","rev":0}"#,
            r#"{"type":"patch","target":"a","rev":1}"#,
            r#"{"type":"mount","target":"a","vs":"s9.m","rev":0,"remounted":"expired"}"#,
        ])
        .await;
        assert!(events[2].starts_with(r#"id: {"a":{"vs":"s9.m","rev":0}}"#));
    }

    #[test]
    fn each_line_of_the_text_gets_its_own_data_field() {
        assert_eq!(&event("{}", "a\nb")[..], b"id: {}\ndata: a\ndata: b\n\n");
    }

    #[actix_web::test]
    async fn a_close_sends_the_code_then_ends() {
        let (body, mut chunks) = mpsc::channel(4);
        let stream = SseStream::new(body);
        stream.close(4429, Some("rate limited".into())).await;
        let event = chunks.recv().await.unwrap();
        assert_eq!(
            std::str::from_utf8(&event).unwrap(),
            "event: close\nid: {}\ndata: {\"code\":4429,\"reason\":\"rate limited\"}\n\n"
        );
        assert!(chunks.recv().await.is_none());
    }
}
