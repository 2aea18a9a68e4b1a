//! One mounted connection and its closed loop.

use std::{collections::BTreeMap, time::Instant};

use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use serde_json::Value;
use tokio_tungstenite::{
    tungstenite::{client::IntoClientRequest, Message},
    MaybeTlsStream, WebSocketStream,
};

use crate::page::{split_url, ViewInfo};

type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// A WebSocket with one view mounted.
pub(crate) struct Session {
    socket: Socket,
    target: String,
}

impl Session {
    /// Connects, reads `connect`, mounts the view and waits for its `mount` frame.
    pub(crate) async fn open(page: &str, view: &ViewInfo) -> Result<Self, String> {
        let (host, path) = split_url(page)?;
        let mut request = format!("ws://{host}/ws/live/")
            .into_client_request()
            .map_err(|error| error.to_string())?;
        let origin = format!("http://{host}").parse().map_err(|_| "bad origin")?;
        request.headers_mut().insert("Origin", origin);
        let (socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .map_err(|error| format!("websocket: {error}"))?;
        let mut session = Self {
            socket,
            target: view.target.clone(),
        };
        session.expect("connect").await?;
        let mount = serde_json::json!({
            "type": "mount", "target": view.target, "view": view.view,
            "token": view.token, "url": path,
        });
        session.send(mount.to_string()).await?;
        session.expect("mount").await?;
        Ok(session)
    }

    async fn send(&mut self, text: String) -> Result<(), String> {
        self.socket
            .send(Message::text(text))
            .await
            .map_err(|error| error.to_string())
    }

    async fn next_frame(&mut self) -> Result<Value, String> {
        loop {
            match self.socket.next().await {
                Some(Ok(Message::Text(text))) => {
                    return serde_json::from_str(text.as_str()).map_err(|error| error.to_string())
                }
                Some(Ok(Message::Close(_))) | None => return Err("connection closed".into()),
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

    /// Sends `event` with `reference` and waits for its answer; returns the answer's type.
    pub(crate) async fn round_trip(
        &mut self,
        event: &str,
        reference: u64,
    ) -> Result<String, String> {
        let frame = serde_json::json!({
            "type": "event", "target": self.target, "event": event,
            "params": {}, "ref": reference,
        });
        self.send(frame.to_string()).await?;
        loop {
            let answer = self.next_frame().await?;
            if answer["ref"] == reference {
                return Ok(answer["type"].as_str().unwrap_or("?").to_owned());
            }
        }
    }

    /// Sends `event` and waits for its answer until `deadline`; returns the round-trip
    /// histogram (µs) and how many answers of each frame type arrived.
    pub(crate) async fn closed_loop(
        mut self,
        event: &str,
        deadline: Instant,
    ) -> Result<(Histogram<u64>, BTreeMap<String, u64>), String> {
        let mut histogram = Histogram::<u64>::new(3).map_err(|error| error.to_string())?;
        let mut kinds = BTreeMap::new();
        let mut reference: u64 = 0;
        while Instant::now() < deadline {
            reference += 1;
            let started = Instant::now();
            let kind = self.round_trip(event, reference).await?;
            histogram
                .record(started.elapsed().as_micros() as u64)
                .map_err(|error| error.to_string())?;
            *kinds.entry(kind).or_default() += 1;
        }
        Ok((histogram, kinds))
    }
}
