//! One simulated browser client, and the state all of them share.
//!
//! A client connects, mounts the view, and waits for its socket to close. Then it reconnects
//! the way `client/src/backoff.js` does and mounts again.

use std::{
    fmt,
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Mutex,
    },
    time::{Duration, Instant},
};

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::sync::Notify;
use tokio_tungstenite::{
    tungstenite::{client::IntoClientRequest, Message},
    MaybeTlsStream, WebSocketStream,
};

use crate::server::View;

type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// The client's reconnection policy (`client/src/constants.js`, `RECONNECT`).
const MAX_ATTEMPTS: u32 = 10;
const MIN_DELAY_MS: f64 = 500.0;
const BASE_DELAY_MS: f64 = 1000.0;
const MAX_DELAY_MS: f64 = 30_000.0;

/// How a client's reconnection ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Still trying (or never lost its connection).
    Pending,
    /// Mounted again.
    Back,
    /// Out of attempts.
    GaveUp,
}

/// Shared by the clients and the driver.
#[derive(Debug)]
pub(crate) struct Shared {
    port: u16,
    view: View,
    clients: usize,
    /// Mounted clients per round (1: initial, 2: after the restart).
    mounted: [AtomicUsize; 3],
    changed: Notify,
    down: AtomicBool,
    up_at: Mutex<Option<Instant>>,
    finished: AtomicBool,
    finish: Notify,
    /// When each client was back (round 2), and in how many attempts.
    back: Mutex<Vec<Option<(Instant, u32)>>>,
    outcomes: Mutex<Vec<Outcome>>,
    refused_while_down: AtomicUsize,
    errors: AtomicUsize,
    first_errors: Mutex<Vec<String>>,
}

impl Shared {
    pub(crate) fn new(port: u16, view: View, clients: usize) -> Self {
        Self {
            port,
            view,
            clients,
            mounted: Default::default(),
            changed: Notify::new(),
            down: AtomicBool::new(false),
            up_at: Mutex::new(None),
            finished: AtomicBool::new(false),
            finish: Notify::new(),
            back: Mutex::new(vec![None; clients]),
            outcomes: Mutex::new(vec![Outcome::Pending; clients]),
            refused_while_down: AtomicUsize::new(0),
            errors: AtomicUsize::new(0),
            first_errors: Mutex::new(Vec::new()),
        }
    }

    /// Waits until every client is mounted in `round`.
    pub(crate) async fn wait_all_mounted(
        &self,
        round: usize,
        limit: Duration,
    ) -> Result<(), String> {
        let deadline = Instant::now() + limit;
        loop {
            let notified = self.changed.notified();
            let count = self.mounted[round].load(Ordering::Acquire);
            let gave_up = self.gave_up();
            if count == self.clients {
                return Ok(());
            }
            if count + gave_up == self.clients && round == 2 {
                return Err(format!("{gave_up} clients ran out of attempts"));
            }
            if tokio::time::timeout_at(deadline.into(), notified)
                .await
                .is_err()
            {
                return Err(format!(
                    "round {round}: only {count} of {} mounted",
                    self.clients
                ));
            }
        }
    }

    fn gave_up(&self) -> usize {
        let outcomes = self.outcomes.lock().expect("not poisoned");
        outcomes.iter().filter(|o| **o == Outcome::GaveUp).count()
    }

    pub(crate) fn mark_down(&self) {
        self.down.store(true, Ordering::Release);
    }

    /// The new server answers from `at` on.
    pub(crate) fn mark_up(&self, at: Instant) {
        *self.up_at.lock().expect("not poisoned") = Some(at);
        self.down.store(false, Ordering::Release);
    }

    /// Tells the clients to close.
    pub(crate) fn finish(&self) {
        self.finished.store(true, Ordering::Release);
        self.finish.notify_waiters();
    }

    fn error(&self, message: String) {
        self.errors.fetch_add(1, Ordering::AcqRel);
        let mut first = self.first_errors.lock().expect("not poisoned");
        if first.len() < 5 {
            first.push(message);
        }
    }

    /// Whether the new server was answering when an attempt started at `at`.
    fn was_up(&self, at: Instant) -> bool {
        self.up_at
            .lock()
            .expect("not poisoned")
            .is_some_and(|up| at >= up)
    }

    /// The figures of the restart.
    pub(crate) fn report(&self, killed: Instant, answering: Instant) -> Report {
        let back = self.back.lock().expect("not poisoned");
        let mut after_up: Vec<f64> = back
            .iter()
            .flatten()
            .map(|(at, _)| at.saturating_duration_since(answering).as_secs_f64())
            .collect();
        after_up.sort_by(f64::total_cmp);
        let mut attempts = [0_usize; MAX_ATTEMPTS as usize + 1];
        for (_, n) in back.iter().flatten() {
            attempts[*n as usize] += 1;
        }
        Report {
            clients: self.clients,
            back: after_up.len(),
            down_for: (answering - killed).as_secs_f64(),
            last: after_up.last().copied().unwrap_or(f64::NAN),
            median: percentile(&after_up, 0.5),
            p95: percentile(&after_up, 0.95),
            attempts: attempts.to_vec(),
            refused_while_down: self.refused_while_down.load(Ordering::Acquire),
            errors: self.errors.load(Ordering::Acquire),
            first_errors: self.first_errors.lock().expect("not poisoned").clone(),
            outcomes: self.outcomes.lock().expect("not poisoned").clone(),
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index]
}

/// What [`Shared::report`] prints.
#[derive(Debug)]
pub(crate) struct Report {
    clients: usize,
    back: usize,
    down_for: f64,
    last: f64,
    median: f64,
    p95: f64,
    attempts: Vec<usize>,
    refused_while_down: usize,
    pub(crate) errors: usize,
    first_errors: Vec<String>,
    pub(crate) outcomes: Vec<Outcome>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "reconnected: {} of {} clients mounted again; server answering {:.2} s after the kill",
            self.back, self.clients, self.down_for
        )?;
        writeln!(
            f,
            "time after the new server answered: all back {:.2} s, median {:.2} s, p95 {:.2} s \
             (all back {:.2} s after the kill)",
            self.last,
            self.median,
            self.p95,
            self.last + self.down_for
        )?;
        let histogram: Vec<String> = self
            .attempts
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, n)| **n > 0)
            .map(|(attempt, n)| format!("{attempt}:{n}"))
            .collect();
        writeln!(
            f,
            "back at attempt (attempt:clients): {}",
            histogram.join(" ")
        )?;
        writeln!(
            f,
            "attempts refused while the server was down (expected): {}",
            self.refused_while_down
        )?;
        write!(f, "errors: {}", self.errors)?;
        for error in &self.first_errors {
            write!(f, "\n  {error}")?;
        }
        Ok(())
    }
}

/// A small xorshift generator: enough for jitter, no dependency.
struct Rng(u64);

impl Rng {
    fn new(index: usize) -> Self {
        let nanos = Instant::now().elapsed().subsec_nanos() as u64;
        let seed = (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ nanos ^ 0xDEAD_BEEF;
        Self(seed | 1)
    }

    /// A number in [0, 1).
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1_u64 << 53) as f64
    }
}

/// The full-jitter delay of attempt `attempt`.
fn delay(attempt: u32, rng: &mut Rng) -> Duration {
    let ceiling = (BASE_DELAY_MS * 2_f64.powi(attempt as i32 - 1)).min(MAX_DELAY_MS);
    Duration::from_secs_f64((MIN_DELAY_MS + rng.next() * (ceiling - MIN_DELAY_MS)) / 1000.0)
}

/// One client's life: mount, lose the server, come back.
pub(crate) async fn run(shared: std::sync::Arc<Shared>, index: usize) {
    let mut rng = Rng::new(index);
    // Initial connections are spread over a second so they do not measure a connect storm.
    tokio::time::sleep(Duration::from_secs_f64(rng.next())).await;
    let mut socket = loop {
        match connect_and_mount(&shared).await {
            Ok(socket) => break socket,
            Err(error) => {
                shared.error(format!("initial connection: {error}"));
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };
    mounted(&shared, 1);
    wait_closed(&mut socket).await;
    drop(socket);

    let mut socket = None;
    for attempt in 1..=MAX_ATTEMPTS {
        tokio::time::sleep(delay(attempt, &mut rng)).await;
        let started = Instant::now();
        match connect_and_mount(&shared).await {
            Ok(open) => {
                shared.back.lock().expect("not poisoned")[index] = Some((Instant::now(), attempt));
                socket = Some(open);
                break;
            }
            Err(error) if !shared.was_up(started) => {
                let _ = error;
                shared.refused_while_down.fetch_add(1, Ordering::AcqRel);
            }
            Err(error) => shared.error(format!("client {index}, attempt {attempt}: {error}")),
        }
    }
    let outcome = if socket.is_some() {
        Outcome::Back
    } else {
        Outcome::GaveUp
    };
    shared.outcomes.lock().expect("not poisoned")[index] = outcome;
    if let Some(mut socket) = socket {
        mounted(&shared, 2);
        // Stay connected (answering pings) until the driver is done.
        let finished = shared.finish.notified();
        tokio::pin!(finished);
        if !shared.finished.load(Ordering::Acquire) {
            tokio::select! {
                () = &mut finished => {}
                () = wait_closed(&mut socket) => {
                    shared.error(format!("client {index}: closed after reconnecting"));
                }
            }
        }
        let _ = socket.close(None).await;
    } else {
        shared.changed.notify_waiters();
    }
}

fn mounted(shared: &Shared, round: usize) {
    shared.mounted[round].fetch_add(1, Ordering::AcqRel);
    shared.changed.notify_waiters();
}

/// Reads until the socket closes (pings are answered by the library while reading).
async fn wait_closed(socket: &mut Socket) {
    while let Some(message) = socket.next().await {
        if matches!(message, Err(_) | Ok(Message::Close(_))) {
            return;
        }
    }
}

/// Opens `/ws/live/`, reads `connect`, mounts the view and reads its `mount` frame.
async fn connect_and_mount(shared: &Shared) -> Result<Socket, String> {
    let port = shared.port;
    let mut request = format!("ws://127.0.0.1:{port}/ws/live/")
        .into_client_request()
        .map_err(|error| error.to_string())?;
    let origin = format!("http://127.0.0.1:{port}")
        .parse()
        .map_err(|_| "origin")?;
    request.headers_mut().insert("Origin", origin);
    let connect = tokio_tungstenite::connect_async(request);
    let (mut socket, _) = tokio::time::timeout(Duration::from_secs(10), connect)
        .await
        .map_err(|_| "upgrade timed out".to_owned())?
        .map_err(|error| format!("upgrade: {error}"))?;
    expect(&mut socket, "connect").await?;
    let view = &shared.view;
    let mount = serde_json::json!({
        "type": "mount", "target": view.target, "view": view.name,
        "token": view.token, "url": view.path,
    });
    socket
        .send(Message::text(mount.to_string()))
        .await
        .map_err(|error| format!("send mount: {error}"))?;
    expect(&mut socket, "mount").await?;
    Ok(socket)
}

async fn expect(socket: &mut Socket, kind: &str) -> Result<Value, String> {
    let next = async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Text(text))) => {
                    return serde_json::from_str::<Value>(text.as_str())
                        .map_err(|error| error.to_string())
                }
                Some(Ok(Message::Close(frame))) => return Err(format!("closed: {frame:?}")),
                Some(Ok(_)) => {}
                Some(Err(error)) => return Err(error.to_string()),
                None => return Err("closed".into()),
            }
        }
    };
    let frame = tokio::time::timeout(Duration::from_secs(10), next)
        .await
        .map_err(|_| format!("no {kind} frame in 10 s"))??;
    if frame["type"] == kind {
        Ok(frame)
    } else {
        Err(format!("expected {kind}, got {frame}"))
    }
}
