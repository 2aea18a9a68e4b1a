//! A real server on a background thread, and raw HTTP and WebSocket clients.
#![allow(dead_code)] // each test binary uses a part of the helpers

pub(crate) mod views;

use std::{
    io::{Read as _, Write as _},
    net::{SocketAddr, TcpStream},
    thread::JoinHandle,
    time::Duration,
};

use actix_web::{dev::ServerHandle, App, HttpServer};
use djust_actix::{Djust, DjustConfig};
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::Value;
use tokio_tungstenite::{
    tungstenite::{client::IntoClientRequest as _, protocol::CloseFrame, Message},
    MaybeTlsStream, WebSocketStream,
};

use views::{Chat, Counter, Room};

/// A guard against hung tests; never part of an assertion.
const PATIENCE: Duration = Duration::from_secs(20);

/// The secret every test server signs with.
pub(crate) const SECRET: &str = "test-secret-test-secret-test-secret!";

/// A config with the test secret and a chat room.
pub(crate) fn config() -> DjustConfig {
    DjustConfig::new()
        .secret(SECRET)
        .data(std::sync::Arc::new(Room::default()))
}

/// The application the tests serve: a counter and a chat.
pub(crate) fn app(config: DjustConfig) -> Djust {
    Djust::new(config)
        .view::<Counter>("/counter/")
        .view::<Chat>("/chat/")
}

/// A running server; stopped when dropped.
pub(crate) struct TestServer {
    pub(crate) addr: SocketAddr,
    handle: ServerHandle,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Serves `djust` on 127.0.0.1 (any free port) from a background actix system.
    pub(crate) fn start(djust: Djust) -> Self {
        let (sender, receiver) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server =
                    HttpServer::new(move || App::new().configure(|cfg| djust.configure(cfg)))
                        .workers(1)
                        .disable_signals()
                        .shutdown_timeout(1)
                        .bind(("127.0.0.1", 0))
                        .expect("bind a free port");
                let addr = server.addrs()[0];
                let server = server.run();
                sender
                    .send((addr, server.handle()))
                    .expect("test is waiting");
                server.await.expect("server runs");
            });
        });
        let (addr, handle) = receiver.recv().expect("server started");
        Self {
            addr,
            handle,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>`: the origin of the server's pages.
    pub(crate) fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the server and waits for its thread.
    pub(crate) fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        // `stop` sends the command at once; its future only reports completion.
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// An HTTP response read off the wire.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    /// Header names in lower case.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Response {
    /// The first value of header `name` (lower case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// `GET path` with extra headers, over a fresh connection.
pub(crate) fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).expect("send request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let raw = String::from_utf8(raw).expect("UTF-8 response");
    let (head, body) = raw.split_once("\r\n\r\n").expect("header end");
    let mut lines = head.lines();
    let status = lines
        .next()
        .expect("status line")
        .split(' ')
        .nth(1)
        .expect("status");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Response {
        status: status.parse().expect("numeric status"),
        headers,
        body: body.to_owned(),
    }
}

/// The value of attribute `name` of the first tag in `html` that has it.
pub(crate) fn attr<'a>(html: &'a str, name: &str) -> &'a str {
    let start = html
        .find(&format!(" {name}=\""))
        .expect("attribute present")
        + name.len()
        + 3;
    let end = html[start..].find('"').expect("attribute closed");
    &html[start..start + end]
}

/// The container of a view's page: target, view name, token and inner HTML.
#[derive(Debug)]
pub(crate) struct Container {
    pub(crate) target: String,
    pub(crate) view: String,
    pub(crate) token: String,
    pub(crate) html: String,
}

/// Fetches `path` and reads its (first) view container.
pub(crate) fn container(addr: SocketAddr, path: &str) -> Container {
    let page = get(addr, path, &[]);
    assert_eq!(page.status, 200, "{}", page.body);
    let found = djust_core::page_scan::first_view_container(&page.body).expect("container");
    Container {
        html: found.inner_html(&page.body).to_owned(),
        target: found.id,
        view: found.view,
        token: found.token.expect("the container has a dj-token"),
    }
}

type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// A WebSocket client speaking the djust protocol.
pub(crate) struct Client {
    socket: Socket,
}

/// Opens `/ws/live/` with `origin` (or none); the handshake's error on refusal.
pub(crate) async fn try_connect(
    addr: SocketAddr,
    origin: Option<&str>,
) -> Result<Client, tokio_tungstenite::tungstenite::Error> {
    let mut request = format!("ws://{addr}/ws/live/")
        .into_client_request()
        .expect("valid URL");
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("origin", origin.parse().expect("header value"));
    }
    let (socket, _) = tokio_tungstenite::connect_async(request).await?;
    Ok(Client { socket })
}

impl Client {
    /// A client on an already open socket (nothing read yet).
    pub(crate) fn from_socket(socket: Socket) -> Self {
        Self { socket }
    }

    /// Opens a same-origin socket and reads the `connect` frame.
    pub(crate) async fn connect(server: &TestServer) -> Self {
        let mut client = try_connect(server.addr, Some(&server.origin()))
            .await
            .expect("same-origin upgrade");
        let connect = client.recv().await;
        assert_eq!(connect["type"], "connect", "{connect}");
        client
    }

    /// Sends a JSON frame.
    pub(crate) async fn send(&mut self, frame: Value) {
        self.send_text(frame.to_string()).await;
    }

    /// Sends a raw text frame.
    pub(crate) async fn send_text(&mut self, text: String) {
        self.socket.send(Message::Text(text)).await.expect("send");
    }

    /// Sends a raw WebSocket message.
    pub(crate) async fn send_message(&mut self, message: Message) {
        self.socket.send(message).await.expect("send");
    }

    /// The next text frame as JSON (WebSocket pings are skipped).
    pub(crate) async fn recv(&mut self) -> Value {
        match self.next_message().await {
            Message::Text(text) => serde_json::from_str(&text).expect("JSON frame"),
            other => panic!("expected a text frame, got {other:?}"),
        }
    }

    /// Reads until the server's close frame; returns its code. Text frames before it are
    /// returned too.
    pub(crate) async fn recv_until_close(&mut self) -> (Vec<Value>, Option<u16>) {
        let mut frames = Vec::new();
        loop {
            match tokio::time::timeout(PATIENCE, self.socket.next()).await {
                Err(_) => panic!("no close frame"),
                Ok(None) | Ok(Some(Err(_))) => return (frames, None),
                Ok(Some(Ok(Message::Close(frame)))) => {
                    return (frames, frame.map(|CloseFrame { code, .. }| code.into()))
                }
                Ok(Some(Ok(Message::Text(text)))) => {
                    frames.push(serde_json::from_str(&text).expect("JSON frame"));
                }
                Ok(Some(Ok(_))) => {}
            }
        }
    }

    async fn next_message(&mut self) -> Message {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .expect("a frame in time")
                .expect("socket open")
                .expect("valid frame");
            if !matches!(message, Message::Ping(_) | Message::Pong(_)) {
                return message;
            }
        }
    }

    /// Mounts the view of `page` as served at `url`; returns the server's answer.
    pub(crate) async fn mount(&mut self, page: &Container, url: &str) -> Value {
        self.send(serde_json::json!({
            "type": "mount",
            "target": page.target,
            "view": page.view,
            "token": page.token,
            "url": url,
        }))
        .await;
        self.recv().await
    }

    /// Sends event `event` to `target` with `params` and `ref`; returns the answer.
    pub(crate) async fn event(
        &mut self,
        target: &str,
        event: &str,
        params: Value,
        reference: u64,
    ) -> Value {
        self.send(serde_json::json!({
            "type": "event",
            "target": target,
            "event": event,
            "params": params,
            "ref": reference,
        }))
        .await;
        self.recv().await
    }
}
