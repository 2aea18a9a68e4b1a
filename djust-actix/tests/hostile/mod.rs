//! A hostile client: raw TCP, hand-made WebSocket frames, and the memory of this process (the
//! server under test runs in it).
#![allow(dead_code)] // each test binary uses a part of the helpers

use std::{
    io::{Read as _, Write as _},
    net::{SocketAddr, TcpStream},
    sync::{Mutex, MutexGuard},
    time::{Duration, Instant},
};

/// A guard against hung tests, and the generous ceiling on "the server closed promptly".
pub(crate) const PATIENCE: Duration = Duration::from_secs(20);

/// A raw WebSocket connection.
pub(crate) struct RawSocket {
    pub(crate) stream: TcpStream,
}

/// What the server sent until it closed.
#[derive(Debug, Default)]
pub(crate) struct Closing {
    /// Text frames, in order.
    pub(crate) texts: Vec<String>,
    /// The close frame's code, if one came.
    pub(crate) code: Option<u16>,
    /// Whether the TCP connection ended (EOF or reset) after the close frame.
    pub(crate) ended: bool,
    /// From the start of [`RawSocket::read_until_closed`] to the end of the connection.
    pub(crate) took: Duration,
}

/// The head of a masked client frame (zero mask key: the payload goes as is).
pub(crate) fn frame_header(fin: bool, opcode: u8, length: u64) -> Vec<u8> {
    let mut bytes = vec![if fin { 0x80 } else { 0 } | opcode];
    match length {
        0..=125 => bytes.push(0x80 | length as u8),
        126..=0xffff => {
            bytes.push(0x80 | 126);
            bytes.extend_from_slice(&(length as u16).to_be_bytes());
        }
        _ => {
            bytes.push(0x80 | 127);
            bytes.extend_from_slice(&length.to_be_bytes());
        }
    }
    bytes.extend_from_slice(&[0; 4]);
    bytes
}

/// A whole masked client frame.
pub(crate) fn frame(fin: bool, opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut bytes = frame_header(fin, opcode, payload.len() as u64);
    bytes.extend_from_slice(payload);
    bytes
}

impl RawSocket {
    /// Upgrades `/ws/live/` on `addr` with `host` and `origin` headers; panics unless 101.
    pub(crate) fn open(addr: SocketAddr, host: &str, origin: &str) -> Self {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
        write!(
            stream,
            "GET /ws/live/ HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\nUpgrade: websocket\r\n\
             Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
             Sec-WebSocket-Version: 13\r\n\r\n"
        )
        .expect("send handshake");
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            let mut byte = [0];
            stream.read_exact(&mut byte).expect("handshake answer");
            head.push(byte[0]);
        }
        assert!(
            head.starts_with(b"HTTP/1.1 101"),
            "{}",
            String::from_utf8_lossy(&head)
        );
        Self { stream }
    }

    /// Sends raw bytes.
    pub(crate) fn write(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("send");
    }

    /// The next server frame: opcode and payload; `None` when the connection ended.
    pub(crate) fn read_frame(&mut self) -> Option<(u8, Vec<u8>)> {
        let mut header = [0; 2];
        self.stream.read_exact(&mut header).ok()?;
        let length = match header[1] & 0x7f {
            126 => {
                let mut extended = [0; 2];
                self.stream.read_exact(&mut extended).ok()?;
                u64::from(u16::from_be_bytes(extended))
            }
            127 => {
                let mut extended = [0; 8];
                self.stream.read_exact(&mut extended).ok()?;
                u64::from_be_bytes(extended)
            }
            length => u64::from(length),
        };
        let mut payload = vec![0; usize::try_from(length).expect("frame fits")];
        self.stream.read_exact(&mut payload).ok()?;
        Some((header[0] & 0x0f, payload))
    }

    /// Reads the server's text frames until its close frame and the end of the connection
    /// (answers pings; gives up after [`PATIENCE`]).
    pub(crate) fn read_until_closed(&mut self) -> Closing {
        let start = Instant::now();
        let mut closing = Closing::default();
        while start.elapsed() < PATIENCE {
            match self.read_frame() {
                None => {
                    closing.ended = true;
                    break;
                }
                Some((0x1, payload)) if closing.code.is_none() => {
                    closing
                        .texts
                        .push(String::from_utf8(payload).expect("UTF-8 text"));
                }
                Some((0x8, payload)) if closing.code.is_none() => {
                    closing.code = payload
                        .get(..2)
                        .map(|code| u16::from_be_bytes([code[0], code[1]]));
                }
                Some(_) => {}
            }
        }
        closing.took = start.elapsed();
        closing
    }
}

/// The bytes of the TCP connection from `client` to `server` that wait in the kernel: unsent
/// by the server plus received and unread by the client (`/proc/net/tcp`).
pub(crate) fn bytes_in_flight(server: SocketAddr, client: SocketAddr) -> u64 {
    fn hex(addr: SocketAddr) -> String {
        let SocketAddr::V4(addr) = addr else {
            panic!("the test server listens on IPv4");
        };
        let ip = u32::from_le_bytes(addr.ip().octets());
        format!("{ip:08X}:{:04X}", addr.port())
    }
    let (server, client) = (hex(server), hex(client));
    let table = std::fs::read_to_string("/proc/net/tcp").expect("read /proc/net/tcp");
    let mut bytes = 0;
    for line in table.lines().skip(1) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let Some((tx, rx)) = fields.get(4).and_then(|queues| queues.split_once(':')) else {
            continue;
        };
        let queue = |hex: &str| u64::from_str_radix(hex, 16).unwrap_or(0);
        if fields.get(1..3) == Some(&[server.as_str(), client.as_str()][..]) {
            bytes += queue(tx);
        } else if fields.get(1..3) == Some(&[client.as_str(), server.as_str()][..]) {
            bytes += queue(rx);
        }
    }
    bytes
}

/// Memory of this process, which hosts the server under test.
pub(crate) mod memory {
    use super::*;

    static SERIAL: Mutex<()> = Mutex::new(());

    /// Runs memory-measuring tests one at a time (other tests of the binary still run).
    pub(crate) fn serial() -> MutexGuard<'static, ()> {
        SERIAL
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn status_kib(field: &str) -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").expect("procfs");
        status
            .lines()
            .find_map(|line| line.strip_prefix(field))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("field in /proc/self/status")
    }

    /// Resets the peak resident size to the current one and returns it, in bytes.
    pub(crate) fn reset_peak() -> u64 {
        std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak RSS");
        status_kib("VmRSS:") * 1024
    }

    /// The peak resident size since [`reset_peak`], in bytes.
    pub(crate) fn peak() -> u64 {
        status_kib("VmHWM:") * 1024
    }
}

/// A raw HTTP request whose answer is read as it comes.
pub(crate) struct RawHttp {
    pub(crate) stream: TcpStream,
    started: Instant,
    head: String,
}

impl RawHttp {
    /// Connects to `addr` and sends `head` (request line and headers, without the blank line
    /// that ends them) and then `body`, which may be only the start of the declared body.
    pub(crate) fn send(addr: SocketAddr, head: &str, body: &[u8]) -> Self {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
        stream
            .write_all(format!("{head}\r\n\r\n").as_bytes())
            .expect("send head");
        stream.write_all(body).expect("send body");
        Self {
            stream,
            started: Instant::now(),
            head: String::new(),
        }
    }

    /// The status of the answer; reads its head (status line and headers).
    pub(crate) fn status(&mut self) -> u16 {
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            let mut byte = [0];
            if self.stream.read_exact(&mut byte).is_err() {
                panic!("no answer: {}", String::from_utf8_lossy(&head));
            }
            head.push(byte[0]);
        }
        self.head = String::from_utf8_lossy(&head).into_owned();
        let status = self.head.split(' ').nth(1).and_then(|s| s.parse().ok());
        status.expect("status")
    }

    /// Header `name` (lower case) of the answer, once [`RawHttp::status`] read it.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    /// Reads the rest of the answer until the server ends the connection; how long after
    /// sending it took (`None`: still open after [`PATIENCE`]).
    pub(crate) fn until_closed(&mut self) -> Option<Duration> {
        let mut sink = [0; 4096];
        loop {
            match self.stream.read(&mut sink) {
                Ok(0) => return Some(self.started.elapsed()),
                Ok(_) => {}
                Err(error) if error.kind() == std::io::ErrorKind::ConnectionReset => {
                    return Some(self.started.elapsed())
                }
                Err(_) => return None,
            }
        }
    }
}
