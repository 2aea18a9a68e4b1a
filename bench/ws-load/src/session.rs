//! One mounted connection and its closed loop, in our protocol or djust's.

use std::{collections::BTreeMap, time::Instant};

use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use serde_json::Value;
use tokio_tungstenite::{
    tungstenite::{client::IntoClientRequest, Message},
    MaybeTlsStream, WebSocketStream,
};

use crate::{
    args::Protocol,
    page::{split_url, ViewInfo},
};

type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// Where and how to mount: the page URL, its view and the protocol.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) page: String,
    pub(crate) view: ViewInfo,
    pub(crate) protocol: Protocol,
}

/// A WebSocket with one view mounted.
pub(crate) struct Session {
    socket: Socket,
    target: String,
    protocol: Protocol,
    /// Bytes of the text frames received so far (S11).
    pub(crate) received_bytes: u64,
    /// The size of the `mount` frame.
    pub(crate) mount_bytes: u64,
    /// The `seq` of the last event sent, when events are numbered (`--seq`).
    seq: Option<u64>,
}

/// What a closed loop measured: round trips (µs), answers by frame type, and the bytes of one
/// event frame and received per event.
#[derive(Debug)]
pub(crate) struct LoopStats {
    pub(crate) histogram: Histogram<u64>,
    pub(crate) kinds: BTreeMap<String, u64>,
    pub(crate) event_bytes: u64,
    pub(crate) received_bytes: u64,
}

/// Opens the WebSocket of `page`'s server with an `Origin` of the same host.
pub(crate) async fn connect(page: &str) -> Result<Socket, String> {
    let (host, _) = split_url(page)?;
    open_socket(&host, "/ws/live/").await
}

/// Opens `ws://host{path}` with an `Origin` of the same host and no frame size limit.
async fn open_socket(host: &str, path: &str) -> Result<Socket, String> {
    let mut request = format!("ws://{host}{path}")
        .into_client_request()
        .map_err(|error| error.to_string())?;
    let origin = format!("http://{host}").parse().map_err(|_| "bad origin")?;
    request.headers_mut().insert("Origin", origin);
    let config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig {
        max_message_size: None,
        max_frame_size: None,
        ..Default::default()
    };
    let (socket, _) = tokio_tungstenite::connect_async_with_config(request, Some(config), true)
        .await
        .map_err(|error| format!("websocket: {error}"))?;
    Ok(socket)
}

impl Session {
    /// Connects, reads `connect`, mounts the view and waits for its `mount` frame.
    pub(crate) async fn open(to: &Target) -> Result<Self, String> {
        let (host, path) = split_url(&to.page)?;
        let socket = match to.protocol {
            Protocol::Dioxus => open_socket(&host, &format!("{path}ws")).await?,
            _ => connect(&to.page).await?,
        };
        let mut session = Self {
            socket,
            target: to.view.target.clone(),
            protocol: to.protocol,
            received_bytes: 0,
            mount_bytes: 0,
            seq: None,
        };
        if to.protocol == Protocol::Dioxus {
            // The app renders on connect: its first edits are the mount.
            session.expect("edits").await?;
            session.mount_bytes = session.received_bytes;
            session.prime_dioxus().await?;
            return Ok(session);
        }
        session.expect("connect").await?;
        let mount = match to.protocol {
            Protocol::Ours => serde_json::json!({
                "type": "mount", "target": to.view.target, "view": to.view.view,
                "token": to.view.token, "url": path,
            }),
            Protocol::Djust | Protocol::Dioxus => serde_json::json!({
                "type": "mount", "view": to.view.view, "params": {}, "url": path,
                "has_prerendered": false,
            }),
        };
        session.send(Message::text(mount.to_string())).await?;
        let before = session.received_bytes;
        session.expect("mount").await?;
        session.mount_bytes = session.received_bytes - before;
        Ok(session)
    }

    /// dioxus answers the first event of a connection with two edits frames (and a history
    /// query), later ones with one: a first click on the root (no listener) and both of its
    /// answers keep every later answer paired with its event.
    async fn prime_dioxus(&mut self) -> Result<(), String> {
        self.send(Message::text(dioxus_click("1").to_string()))
            .await?;
        for _ in 0..2 {
            while self.next_frame().await?["type"] != "edits" {}
        }
        Ok(())
    }

    /// Sends any message (the abuse tests send malformed ones).
    pub(crate) async fn send(&mut self, message: Message) -> Result<(), String> {
        self.socket
            .send(message)
            .await
            .map_err(|error| error.to_string())
    }

    /// The next text frame, parsed; `Err("closed <code>")` when the server closes.
    pub(crate) async fn next_frame(&mut self) -> Result<Value, String> {
        loop {
            match self.socket.next().await {
                Some(Ok(Message::Text(text))) => {
                    self.received_bytes += text.len() as u64;
                    return serde_json::from_str(text.as_str()).map_err(|error| error.to_string());
                }
                // dioxus: byte 0 says what follows (1: edits, 0: text such as a pong).
                Some(Ok(Message::Binary(bytes))) if self.protocol == Protocol::Dioxus => {
                    self.received_bytes += bytes.len() as u64;
                    let kind = if bytes.first() == Some(&1) {
                        "edits"
                    } else {
                        "text"
                    };
                    return Ok(serde_json::json!({ "type": kind }));
                }
                Some(Ok(Message::Close(frame))) => {
                    let code = frame.map_or(0, |frame| u16::from(frame.code));
                    return Err(format!("closed {code}"));
                }
                None => return Err("closed 0".into()),
                Some(Ok(_)) => {}
                Some(Err(error)) => return Err(error.to_string()),
            }
        }
    }

    async fn expect(&mut self, kind: &str) -> Result<Value, String> {
        let frame = self.next_frame().await?;
        if frame["type"] == kind {
            Ok(frame)
        } else {
            Err(format!("expected a {kind} frame, got {frame}"))
        }
    }

    /// Numbers the events sent from now on (`seq` 1, 2, …; our protocol only).
    pub(crate) fn number_events(&mut self) {
        self.seq.get_or_insert(0);
    }

    /// The target (container id) of the mounted view.
    pub(crate) fn target(&self) -> &str {
        &self.target
    }

    /// The text of an event frame (numbered with the current `seq`, if any).
    pub(crate) fn event_frame(&self, event: &str, params: &Value, reference: u64) -> String {
        let frame = match self.protocol {
            Protocol::Ours => {
                let mut frame = serde_json::json!({
                    "type": "event", "target": self.target, "event": event,
                    "params": params, "ref": reference,
                });
                if let Some(seq) = self.seq {
                    frame["seq"] = seq.into();
                }
                frame
            }
            Protocol::Djust => serde_json::json!({
                "type": "event", "event": event, "params": params, "ref": reference,
            }),
            Protocol::Dioxus => dioxus_click(event),
        };
        frame.to_string()
    }

    /// Sends `event` with `reference` and waits for its answer; returns the answer's type.
    pub(crate) async fn round_trip(
        &mut self,
        event: &str,
        params: &Value,
        reference: u64,
    ) -> Result<String, String> {
        if let Some(seq) = self.seq.as_mut() {
            *seq += 1;
        }
        let frame = self.event_frame(event, params, reference);
        self.send(Message::text(frame)).await?;
        let answer = async {
            loop {
                let answer = self.next_frame().await?;
                // djust answers some failures with an `error` frame that carries no `ref`;
                // dioxus answers an event with the edits it caused.
                if answer["ref"] == reference
                    || (answer["type"] == "error" && answer["ref"].is_null())
                    || (self.protocol == Protocol::Dioxus && answer["type"] == "edits")
                {
                    return Ok(answer["type"].as_str().unwrap_or("?").to_owned());
                }
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(30), answer)
            .await
            .map_err(|_| format!("no answer to `{event}` within 30 s"))?
    }

    /// Sends `warm` untimed events, then `event` in a closed loop for `window`.
    pub(crate) async fn closed_loop(
        mut self,
        event: &str,
        params: &Value,
        warm: u64,
        window: std::time::Duration,
    ) -> Result<LoopStats, String> {
        let mut histogram = Histogram::<u64>::new(3).map_err(|error| error.to_string())?;
        let mut kinds = BTreeMap::new();
        let mut reference: u64 = 1_000_000;
        for _ in 0..warm {
            reference += 1;
            self.round_trip(event, params, reference).await?;
        }
        let received_before = self.received_bytes;
        let deadline = Instant::now() + window;
        while Instant::now() < deadline {
            reference += 1;
            let started = Instant::now();
            let kind = self.round_trip(event, params, reference).await?;
            histogram
                .record(started.elapsed().as_micros() as u64)
                .map_err(|error| error.to_string())?;
            *kinds.entry(kind).or_default() += 1;
        }
        Ok(LoopStats {
            histogram,
            kinds,
            event_bytes: self.event_frame(event, params, reference).len() as u64,
            received_bytes: self.received_bytes - received_before,
        })
    }

    /// Sends a close frame, waits (briefly) for the server's, and drops the socket.
    pub(crate) async fn close(mut self) {
        let _ = self.socket.close(None).await;
        let wait = async {
            while let Some(Ok(message)) = self.socket.next().await {
                if message.is_close() {
                    break;
                }
            }
        };
        let _ = tokio::time::timeout(std::time::Duration::from_millis(500), wait).await;
    }
}

/// dioxus' `user_event` frame for a click on element `element` (its numeric id, as a string).
fn dioxus_click(element: &str) -> Value {
    let element: u64 = element.parse().unwrap_or(0);
    serde_json::json!({
        "method": "user_event",
        "params": {
            "name": "click", "element": element, "bubbles": true,
            "data": {
                "alt_key": false, "button": 0, "buttons": 1, "client_x": 1.0, "client_y": 1.0,
                "ctrl_key": false, "meta_key": false, "offset_x": 1.0, "offset_y": 1.0,
                "page_x": 1.0, "page_y": 1.0, "screen_x": 1.0, "screen_y": 1.0,
                "shift_key": false,
            },
        },
    })
}
