//! What the delivery guarantees cost: `parked [SESSIONS] [EVENTS] [ROUNDS]` serves the example in
//! process, opens SESSIONS WebSockets that each mount the counter and send EVENTS numbered
//! increments (so every view session's ledger and ring hold EVENTS revisions), closes them all
//! and, once every view session is parked, prints
//!
//! - `parked_sessions`, `parked_bytes_each` (`Djust::parked_view_sessions`: kept tree and
//!   ring, as the store counts them) and `rss_per_parked_kib` (this process's RSS growth from
//!   before the first connection to all parked, divided by SESSIONS; an upper bound: freed
//!   connection buffers the allocator keeps are in it);
//! - `seq_p50_us` / `plain_p50_us`: the median round trip of an increment with a `seq` (deduped
//!   through the ledger) and without one (both recorded in the ring), ROUNDS each, interleaved,
//!   and their difference `ledger_us`.
//!
//! Build it in release for figures: `cargo run --release -p djust-bench --bin parked`.

use std::{
    io::{Read as _, Write as _},
    net::{SocketAddr, TcpStream},
    time::{Duration, Instant},
};

use actix_web::{App, HttpServer};
use djust_actix::DjustConfig;
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::{client::IntoClientRequest as _, Message};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

fn main() {
    let mut args = std::env::args().skip(1).map(|arg| arg.parse::<usize>());
    let mut next = |default| args.next().and_then(Result::ok).unwrap_or(default);
    let (sessions, events, rounds) = (next(1000), next(10), next(2000));
    actix_web::rt::System::new().block_on(run(sessions, events, rounds));
}

async fn run(sessions: usize, events: usize, rounds: usize) {
    let rss_before = rss_kib();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = listener.local_addr().expect("its address");
    let config = DjustConfig::new()
        .allowed_host(addr.to_string())
        .view_session_grace(Duration::from_secs(3600))
        .max_parked_view_sessions(sessions + 1, usize::MAX);
    let djust = djust_example::routes(config);
    let served = djust.clone();
    let server = HttpServer::new(move || {
        let djust = served.clone();
        App::new().configure(move |cfg| djust.configure(cfg))
    })
    .workers(1)
    .listen(listener)
    .expect("listen")
    .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);

    let page = actix_web::rt::task::spawn_blocking(move || Page::get(addr))
        .await
        .expect("the page");
    for _ in 0..sessions {
        let mut socket = page.mount(addr).await;
        for seq in 1..=events as u64 {
            page.event(&mut socket, seq, Some(seq)).await;
        }
        let _ = socket.close(None).await;
        while let Some(Ok(message)) = socket.next().await {
            if message.is_close() {
                break;
            }
        }
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while djust.parked_view_sessions().sessions < sessions {
        assert!(Instant::now() < deadline, "every view session parks");
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
    let parked = djust.parked_view_sessions();
    let rss_parked = rss_kib();
    let per_parked = (rss_parked.saturating_sub(rss_before)) as f64 / sessions.max(1) as f64;

    let mut socket = page.mount(addr).await;
    let (mut numbered, mut plain) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    for round in 1..=rounds as u64 {
        let started = Instant::now();
        page.event(&mut socket, 2 * round, Some(round)).await;
        numbered.push(started.elapsed());
        let started = Instant::now();
        page.event(&mut socket, 2 * round + 1, None).await;
        plain.push(started.elapsed());
    }
    let (seq_p50, plain_p50) = (median_us(&mut numbered), median_us(&mut plain));
    println!(
        "parked sessions {sessions} events_each {events} parked_sessions {} parked_bytes_each {} \
         rss_per_parked_kib {per_parked:.2} rounds {rounds} seq_p50_us {seq_p50:.1} \
         plain_p50_us {plain_p50:.1} ledger_us {:.1}",
        parked.sessions,
        parked.bytes / parked.sessions.max(1),
        seq_p50 - plain_p50,
    );
    handle.stop(false).await;
}

/// The counter's container, read from its page.
struct Page {
    target: String,
    view: String,
    token: String,
}

impl Page {
    fn get(addr: SocketAddr) -> Self {
        let mut tcp = TcpStream::connect(addr).expect("connect");
        let request = format!("GET /counter/ HTTP/1.0\r\nHost: {addr}\r\n\r\n");
        tcp.write_all(request.as_bytes()).expect("send");
        let mut html = String::new();
        tcp.read_to_string(&mut html).expect("page");
        let attr = |name: &str| {
            let start = html.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
            html[start..start + html[start..].find('"').expect("quote")].to_owned()
        };
        Self {
            target: attr("id"),
            view: attr("dj-view"),
            token: attr("dj-token"),
        }
    }

    /// A WebSocket with the counter mounted.
    async fn mount(&self, addr: SocketAddr) -> Socket {
        let mut request = format!("ws://{addr}/ws/live/")
            .into_client_request()
            .expect("request");
        let origin = format!("http://{addr}").parse().expect("origin");
        request.headers_mut().insert("Origin", origin);
        let (mut socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("websocket");
        let mount = json!({"type": "mount", "target": self.target, "view": self.view,
            "token": self.token, "url": "/counter/"});
        socket
            .send(Message::text(mount.to_string()))
            .await
            .expect("send");
        while next_frame(&mut socket).await["type"] != "mount" {}
        socket
    }

    /// Sends an increment (`ref` `reference`, numbered `seq` when given) and waits for its answer.
    async fn event(&self, socket: &mut Socket, reference: u64, seq: Option<u64>) {
        let mut frame = json!({"type": "event", "target": self.target, "event": "increment",
            "params": {}, "ref": reference});
        if let Some(seq) = seq {
            frame["seq"] = json!(seq);
        }
        socket
            .send(Message::text(frame.to_string()))
            .await
            .expect("send");
        while next_frame(socket).await["ref"] != reference {}
    }
}

async fn next_frame(socket: &mut Socket) -> Value {
    loop {
        match socket.next().await.expect("open").expect("a frame") {
            Message::Text(text) => return serde_json::from_str(text.as_str()).expect("JSON"),
            Message::Close(_) => panic!("the server closed the connection"),
            _ => {}
        }
    }
}

fn median_us(times: &mut [Duration]) -> f64 {
    times.sort_unstable();
    times[times.len() / 2].as_secs_f64() * 1e6
}

/// This process's resident memory (Linux; 0 elsewhere).
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}
