//! A corpus of hostile frames sent over a real WebSocket: each gets its documented answer (an
//! `error` frame, after which the connection still serves, or a close with its code), and the
//! server keeps serving other clients.

mod common;
mod hostile;

use common::{app, config, container, Container, TestServer};
use hostile::{frame, frame_header, RawSocket};
use serde_json::Value;

/// What the server must do with one hostile input.
enum Expect {
    /// Answer with an `error` frame of this code; the connection stays open.
    Error(&'static str),
    /// Answer nothing; the connection stays open.
    Nothing,
    /// Close the socket with this code.
    Close(u16),
}

/// Hostile text frames (as sent, valid UTF-8 unless noted) and what they must get.
fn corpus(page: &Container) -> Vec<(&'static str, Vec<u8>, Expect)> {
    let (view, token) = (page.view.as_str(), page.token.as_str());
    let text = |s: String| frame(true, 0x1, s.as_bytes());
    let nested = |depth: usize| {
        format!(
            r#"{{"type":"event","target":"dj-v-counter","event":"noop","params":{{"p":{}{}}}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        )
    };
    let mount = |target: &str, view: &str, token: &str, url: &str| {
        serde_json::json!({"type":"mount","target":target,"view":view,"token":token,"url":url})
            .to_string()
    };
    vec![
        (
            "empty",
            text(String::new()),
            Expect::Error("malformed_frame"),
        ),
        (
            "not JSON",
            text("{{{".into()),
            Expect::Error("malformed_frame"),
        ),
        (
            "array",
            text("[1,2]".into()),
            Expect::Error("malformed_frame"),
        ),
        (
            "NUL bytes",
            text("\0\0{\"type\":\"ping\"}".into()),
            Expect::Error("malformed_frame"),
        ),
        ("no type", text("{}".into()), Expect::Error("unknown_type")),
        (
            "unknown type",
            text(r#"{"type":"__proto__"}"#.into()),
            Expect::Error("unknown_type"),
        ),
        (
            "type not a string",
            text(r#"{"type":7}"#.into()),
            Expect::Error("unknown_type"),
        ),
        (
            "lone surrogate",
            text(r#"{"type":"\ud800"}"#.into()),
            Expect::Error("malformed_frame"),
        ),
        (
            "huge number",
            text(r#"{"type":"event","target":"t","event":"e","ref":1e999}"#.into()),
            Expect::Error("bad_frame"),
        ),
        (
            "nested 100",
            text(nested(100)),
            Expect::Error("not_mounted"),
        ),
        (
            "nested 10,000",
            text(nested(10_000)),
            Expect::Error("bad_frame"),
        ),
        (
            "event, no target",
            text(r#"{"type":"event","event":"e"}"#.into()),
            Expect::Error("bad_frame"),
        ),
        (
            "event on nothing",
            text(r#"{"type":"event","target":"nope","event":"e"}"#.into()),
            Expect::Error("not_mounted"),
        ),
        (
            "request_html on nothing",
            text(r#"{"type":"request_html","target":"x"}"#.into()),
            Expect::Error("not_mounted"),
        ),
        (
            "mount_batch of junk",
            text(r#"{"type":"mount_batch","views":[1,"x",null]}"#.into()),
            Expect::Error("bad_frame"),
        ),
        (
            "live_redirect elsewhere",
            text(r#"{"type":"live_redirect","url":"https://evil.test/"}"#.into()),
            Expect::Error("not_found"),
        ),
        (
            "binary frame",
            frame(true, 0x2, b"\x00\x01"),
            Expect::Error("bad_frame"),
        ),
        ("ping frame", frame(true, 0x9, b"hi"), Expect::Nothing),
        ("unsolicited pong", frame(true, 0xa, b"hi"), Expect::Nothing),
        (
            "forged token",
            text(mount("dj-v-counter", view, "1.AAAA", "/counter/")),
            Expect::Close(4403),
        ),
        (
            "token for another path",
            text(mount("dj-v-counter", view, token, "/chat/")),
            Expect::Close(4403),
        ),
        (
            "unknown view",
            text(mount("dj-v-x", "tests::Nope", token, "/counter/")),
            Expect::Close(4404),
        ),
        (
            "not UTF-8",
            frame(true, 0x1, b"{\"type\":\"\xff\"}"),
            Expect::Close(1007),
        ),
        (
            "fragments not UTF-8",
            [
                frame(false, 0x1, b"{\"type\":\"\xc3"),
                frame(true, 0x0, b"\x28\"}"),
            ]
            .concat(),
            Expect::Close(1007),
        ),
        (
            "continuation without start",
            frame(true, 0x0, b"x"),
            Expect::Close(1002),
        ),
        (
            "reserved opcode",
            frame(true, 0x3, b"x"),
            Expect::Close(1002),
        ),
        (
            "unmasked frame",
            vec![0x81, 0x02, b'{', b'}'],
            Expect::Close(1002),
        ),
        (
            "oversized ping",
            frame_header(true, 0x9, 200),
            Expect::Close(1002),
        ),
        (
            "declares 2^40 bytes",
            frame_header(true, 0x1, 1 << 40),
            Expect::Close(1009),
        ),
        (
            "top bit set",
            frame_header(true, 0x1, u64::MAX),
            Expect::Close(1009),
        ),
    ]
}

fn ping_answered(socket: &mut RawSocket) -> bool {
    socket.write(&frame(true, 0x1, br#"{"type":"ping"}"#));
    loop {
        match socket.read_frame() {
            Some((0x1, text)) => return String::from_utf8_lossy(&text).contains("pong"),
            Some((0x8, _)) | None => return false,
            Some(_) => {}
        }
    }
}

#[test]
fn every_hostile_frame_gets_its_documented_answer() {
    let server = TestServer::start(app(config()));
    let page = container(server.addr, "/counter/");
    for (name, bytes, expect) in corpus(&page) {
        let mut socket = RawSocket::open(server.addr, &server.addr.to_string(), &server.origin());
        let (_, connect) = socket.read_frame().expect("connect frame");
        assert!(
            String::from_utf8_lossy(&connect).contains("connect"),
            "{name}"
        );
        socket.write(&bytes);
        match expect {
            Expect::Error(code) => {
                let (opcode, answer) = socket.read_frame().expect("an answer");
                assert_eq!(opcode, 0x1, "{name}");
                let answer: Value = serde_json::from_slice(&answer).expect("JSON");
                assert_eq!(answer["type"], "error", "{name}: {answer}");
                assert_eq!(answer["code"], code, "{name}: {answer}");
                assert!(
                    ping_answered(&mut socket),
                    "{name}: the connection serves on"
                );
            }
            Expect::Nothing => assert!(ping_answered(&mut socket), "{name}"),
            Expect::Close(code) => {
                let closing = socket.read_until_closed();
                assert_eq!(closing.code, Some(code), "{name}: {closing:?}");
                assert!(closing.ended, "{name}: the server ends the connection");
            }
        }
    }
    let mut bystander = RawSocket::open(server.addr, &server.addr.to_string(), &server.origin());
    let _connect = bystander.read_frame();
    assert!(ping_answered(&mut bystander), "the server still serves");
    server.stop();
}
