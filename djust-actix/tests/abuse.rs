//! Each attack of issue 13, reproduced against a real server in this process, with the bound
//! it must respect (memory growth, answer size, the server closing within a generous ceiling).

mod common;
mod hostile;

use std::io::Write as _;

use common::{app, config, TestServer};
use hostile::{frame, frame_header, memory, RawSocket, PATIENCE};
use serde_json::Value;

const MIB: u64 = 1024 * 1024;

fn error_code(text: &str) -> String {
    let frame: Value = serde_json::from_str(text).expect("JSON frame");
    assert_eq!(frame["type"], "error", "{frame}");
    frame["code"].as_str().expect("code").to_owned()
}

/// Writes `total` bytes of payload in 1 MiB pieces until the server stops taking them.
fn flood(socket: &RawSocket, total: u64) -> std::thread::JoinHandle<u64> {
    let mut stream = socket.stream.try_clone().expect("clone the socket");
    stream.set_write_timeout(Some(PATIENCE)).expect("timeout");
    std::thread::spawn(move || {
        let piece = vec![b'x'; MIB as usize];
        let mut sent = 0;
        while sent < total && stream.write_all(&piece).is_ok() {
            sent += MIB;
        }
        sent
    })
}

#[test]
fn a_lying_frame_header_is_refused_before_its_payload_is_buffered() {
    let _serial = memory::serial();
    let server = TestServer::start(app(config()));
    let mut socket = RawSocket::open(server.addr, &server.addr.to_string(), &server.origin());
    let baseline = memory::reset_peak();
    // A ping answered first shows the frames before the lie are still handled.
    let mut attack = frame(true, 0x1, br#"{"type":"ping"}"#);
    attack.extend(frame_header(true, 0x1, 1 << 40));
    socket.write(&attack);
    let writer = flood(&socket, 4096 * MIB);
    let closing = socket.read_until_closed();
    let grew = memory::peak().saturating_sub(baseline);
    let sent = writer.join().expect("writer");

    assert_eq!(closing.texts.len(), 3, "{closing:?}");
    assert!(closing.texts[1].contains(r#""type":"pong""#), "{closing:?}");
    assert_eq!(error_code(&closing.texts[2]), "frame_too_large");
    assert_eq!(closing.code, Some(1009));
    assert!(closing.ended, "the server ends the connection");
    assert!(closing.took < PATIENCE);
    // The server drains for its client-disconnect timeout (1 s), then drops the connection.
    assert!(
        sent < 4096 * MIB,
        "the server dropped the connection before the payload ended"
    );
    assert!(grew < 16 * MIB, "peak RSS grew by {} MiB", grew / MIB);
    server.stop();
}

#[test]
fn fragments_adding_up_over_the_limit_are_refused_at_the_header_that_crosses_it() {
    let _serial = memory::serial();
    let server = TestServer::start(app(config()));
    let mut socket = RawSocket::open(server.addr, &server.addr.to_string(), &server.origin());
    let baseline = memory::reset_peak();
    let mut attack = frame(false, 0x1, &[b' '; 60 * 1024]);
    attack.extend(frame_header(false, 0x0, 8 * 1024));
    socket.write(&attack);
    let writer = flood(&socket, 256 * MIB);
    let closing = socket.read_until_closed();
    let grew = memory::peak().saturating_sub(baseline);
    writer.join().expect("writer");

    assert_eq!(closing.texts.len(), 2, "{closing:?}");
    assert_eq!(error_code(&closing.texts[1]), "frame_too_large");
    assert_eq!(closing.code, Some(1009));
    assert!(closing.ended);
    assert!(grew < 16 * MIB, "peak RSS grew by {} MiB", grew / MIB);
    server.stop();
}

#[test]
fn an_oversized_control_frame_is_a_protocol_error() {
    let server = TestServer::start(app(config()));
    let mut socket = RawSocket::open(server.addr, &server.addr.to_string(), &server.origin());
    socket.write(&frame_header(true, 0x9, 1 << 20));
    let _writer = flood(&socket, 4 * MIB);
    let closing = socket.read_until_closed();
    assert_eq!(closing.code, Some(1002), "{closing:?}");
    assert!(closing.ended);
    server.stop();
}

#[test]
fn the_server_keeps_serving_after_each_attack() {
    let server = TestServer::start(app(config()));
    for _ in 0..3 {
        let mut socket = RawSocket::open(server.addr, &server.addr.to_string(), &server.origin());
        socket.write(&frame_header(true, 0x2, u64::MAX >> 1));
        assert_eq!(socket.read_until_closed().code, Some(1009));
    }
    let mut socket = RawSocket::open(server.addr, &server.addr.to_string(), &server.origin());
    socket.write(&frame(true, 0x1, br#"{"type":"ping"}"#));
    let (_, connect) = socket.read_frame().expect("connect");
    assert!(String::from_utf8_lossy(&connect).contains("connect"));
    let (_, pong) = socket.read_frame().expect("pong");
    assert!(String::from_utf8_lossy(&pong).contains("pong"));
    server.stop();
}
