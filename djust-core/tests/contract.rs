//! The Rust names of the contract equal the client's: `node` prints the client's constants
//! (`client/test/contract_dump.mjs`) and each shared name is compared with
//! `djust_core::contract`, `djust_core::cache_config` and the frame types of
//! `djust_core::protocol`. Needs `node` (>= 20.19) on `PATH`.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use djust_core::cache_config::{self, VdomCacheConfig};
use djust_core::contract::{attr, close_code, defaults, header, meta, path};
use djust_core::protocol::{
    parse_client_frame, ClientFrame, ErrorFrame, FrameError, ServerFrame, CLIENT_FRAME_TYPES,
    SERVER_FRAME_TYPES,
};
use serde_json::{json, value::RawValue, Value};

/// The client's constants: `{page: <src/constants.js>, worker: <sw/constants.js>}`.
fn client_constants() -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../client/test/contract_dump.mjs");
    let output = Command::new("node")
        .arg(&script)
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "this test runs `node {}` to read the client's constants, and `node` could not be \
             started ({error}); install Node.js >= 20.19 and put `node` on PATH",
                script.display()
            )
        });
    assert!(
        output.status.success(),
        "`node {}` failed: {}",
        script.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the dump is JSON")
}

/// `client[table][key]` as a string.
fn text<'a>(client: &'a Value, table: &str, key: &str) -> &'a str {
    client[table][key]
        .as_str()
        .unwrap_or_else(|| panic!("client constant {table}.{key} is missing or not a string"))
}

/// `client[table][key]` as a number.
fn number(client: &Value, table: &str, key: &str) -> u64 {
    client[table][key]
        .as_u64()
        .unwrap_or_else(|| panic!("client constant {table}.{key} is missing or not a number"))
}

#[test]
fn headers_are_the_clients() {
    let page = &client_constants()["page"];
    for (key, rust) in [
        ("MAIN_ONLY", header::MAIN_ONLY),
        ("MAIN_ONLY_RESPONSE", header::MAIN_ONLY_RESPONSE),
        ("TITLE", header::TITLE),
        ("PARTITION", header::PARTITION),
        ("SHELL_VERSION", header::SHELL_VERSION),
    ] {
        let client = text(page, "HEADER", key);
        assert!(
            client.eq_ignore_ascii_case(rust),
            "HEADER.{key}: client {client}, server {rust}"
        );
        assert_eq!(rust, rust.to_ascii_lowercase(), "{rust} is lower case");
    }
    assert_eq!(text(page, "HEADER", "MAIN_ONLY"), header::VARY_MAIN_ONLY);
}

#[test]
fn paths_are_the_clients() {
    let page = &client_constants()["page"];
    assert_eq!(page["SOCKET_PATH"], path::SOCKET);
    assert_eq!(text(page, "SSE", "PATH"), path::SSE_STREAM);
    assert_eq!(text(page, "SSE", "MESSAGE_PATH"), path::SSE_MESSAGE);
    assert_eq!(
        text(page, "STATIC_PATH", "PREFIX"),
        format!("{}/", path::STATIC_PREFIX)
    );
    assert_eq!(
        text(page, "STATIC_PATH", "SERVICE_WORKER"),
        path::SERVICE_WORKER
    );
    assert_eq!(
        text(page, "STATIC_PATH", "OFFLINE_CONFIG"),
        path::OFFLINE_CONFIG
    );
    for inside in [path::SERVICE_WORKER, path::OFFLINE_CONFIG] {
        assert!(inside.starts_with(&format!("{}/", path::STATIC_PREFIX)));
    }
    // The SSE prefix reaches the client through a `<meta>`, the manifest through a `<link>`:
    // their shape is what the client relies on.
    assert!(path::SSE_PREFIX.starts_with('/') && path::SSE_PREFIX.ends_with('/'));
    assert!(path::MANIFEST.starts_with('/'));
}

#[test]
fn close_codes_are_the_clients() {
    let page = &client_constants()["page"];
    for (key, rust) in [
        ("FORBIDDEN", close_code::FORBIDDEN),
        ("VIEW_NOT_ALLOWED", close_code::VIEW_NOT_ALLOWED),
        ("RATE_LIMITED", close_code::RATE_LIMITED),
        ("OVER_BUDGET", close_code::OVER_BUDGET),
    ] {
        assert_eq!(number(page, "CLOSE_CODE", key), u64::from(rust), "{key}");
    }
    let client: BTreeSet<_> = page["CLOSE_CODE"].as_object().unwrap().keys().collect();
    assert_eq!(
        client.len(),
        4,
        "a close code the server does not know: {client:?}"
    );
}

#[test]
fn attributes_and_meta_names_are_the_clients() {
    let page = &client_constants()["page"];
    assert_eq!(text(page, "ATTR", "VIEW"), attr::VIEW);
    assert_eq!(text(page, "ATTR", "TOKEN"), attr::TOKEN);
    assert_eq!(text(page, "ATTR", "ID"), attr::ID);
    assert_eq!(text(page, "ATTR", "LAZY"), attr::LAZY);
    assert_eq!(text(page, "PAGE_CACHE", "PARTITION_ATTR"), attr::PARTITION);
    assert_eq!(text(page, "SSE", "PREFIX_META"), meta::SSE_PREFIX);
    assert_eq!(text(page, "SW", "OPTIONS_META"), meta::SERVICE_WORKER);
}

#[test]
fn defaults_are_the_clients_and_the_workers() {
    let client = client_constants();
    for side in ["page", "worker"] {
        let sw = &client[side];
        let at = |key| number(sw, "SW_DEFAULTS", key);
        assert_eq!(
            u128::from(at("NETWORK_TIMEOUT_MS")),
            defaults::NETWORK_TIMEOUT.as_millis(),
            "{side}"
        );
        assert_eq!(at("MAX_PAGES"), defaults::MAX_PAGES as u64, "{side}");
        assert_eq!(at("MAX_BYTES"), defaults::MAX_BYTES as u64, "{side}");
        let vdom = VdomCacheConfig::DEFAULT;
        assert_eq!(at("VDOM_TTL_SECONDS"), u64::from(vdom.ttl_secs()), "{side}");
        assert_eq!(
            at("VDOM_MAX_ENTRIES"),
            u64::from(vdom.max_entries()),
            "{side}"
        );
        let range = |key: &str| sw["SW_DEFAULTS"][key].clone();
        assert_eq!(
            range("VDOM_TTL_RANGE"),
            json!([cache_config::MIN_TTL_SECS, cache_config::MAX_TTL_SECS]),
            "{side}"
        );
        assert_eq!(
            range("VDOM_ENTRIES_RANGE"),
            json!([cache_config::MIN_ENTRIES, cache_config::MAX_ENTRIES]),
            "{side}"
        );
    }
}

/// The `type` of `frame`, by variant. A new variant does not compile here until it is given
/// its wire name (and a sample in [`client_samples`]).
fn client_tag(frame: &ClientFrame) -> &'static str {
    match frame {
        ClientFrame::Mount { .. } => "mount",
        ClientFrame::MountBatch { .. } => "mount_batch",
        ClientFrame::LiveRedirect { .. } => "live_redirect",
        ClientFrame::Event { .. } => "event",
        ClientFrame::RequestHtml { .. } => "request_html",
        ClientFrame::Ping => "ping",
    }
}

/// One frame of every client type, as the client sends it.
fn client_samples() -> Vec<&'static str> {
    vec![
        r#"{"type":"mount","target":"t","view":"v","token":"k","url":"/"}"#,
        r#"{"type":"mount_batch","views":[{"target":"t","view":"v","token":"k","url":"/"}]}"#,
        r#"{"type":"live_redirect","url":"/a/"}"#,
        r#"{"type":"event","target":"t","event":"e","params":{},"ref":1}"#,
        r#"{"type":"request_html","target":"t"}"#,
        r#"{"type":"ping"}"#,
    ]
}

/// Like [`client_tag`], for the server's frames.
fn server_tag(frame: &ServerFrame<'_>) -> &'static str {
    match frame {
        ServerFrame::Connect { .. } => "connect",
        ServerFrame::Mount { .. } => "mount",
        ServerFrame::Resumed { .. } => "resumed",
        ServerFrame::MountBatch { .. } => "mount_batch",
        ServerFrame::Navigate { .. } => "navigate",
        ServerFrame::LivePatch { .. } => "live_patch",
        ServerFrame::Patch { .. } => "patch",
        ServerFrame::HtmlUpdate { .. } => "html_update",
        ServerFrame::Noop { .. } => "noop",
        ServerFrame::HtmlRecovery { .. } => "html_recovery",
        ServerFrame::PushEvent { .. } => "push_event",
        ServerFrame::Error(_) => "error",
        ServerFrame::Pong => "pong",
    }
}

#[test]
fn every_frame_type_is_known_on_both_sides() {
    let mut client_types = BTreeSet::new();
    for sample in client_samples() {
        let frame = parse_client_frame(sample).unwrap_or_else(|e| panic!("{sample}: {e}"));
        let wire: Value = serde_json::from_str(sample).unwrap();
        assert_eq!(wire["type"], client_tag(&frame), "{sample}");
        client_types.insert(client_tag(&frame));
    }
    assert_eq!(client_types, CLIENT_FRAME_TYPES.iter().copied().collect());
    assert_eq!(client_types.len(), CLIENT_FRAME_TYPES.len(), "no repeats");

    let patches = RawValue::from_string("[]".into()).unwrap();
    let payload = json!({});
    let samples = [
        ServerFrame::Connect { session_id: "c" },
        ServerFrame::Mount {
            target: "t",
            view: "v",
            version: 1,
            html: "",
            title: None,
            snapshot: None,
            restored: false,
            vs: None,
            rev: None,
            ack: None,
            remounted: None,
            token: None,
        },
        ServerFrame::Resumed {
            target: "t",
            view: "v",
            version: 1,
            vs: "s",
            rev: 0,
            ack: 0,
            patches: None,
            html: None,
            token: None,
        },
        ServerFrame::MountBatch {
            views: vec![],
            failed: vec![],
            navigate: vec![],
        },
        ServerFrame::Navigate {
            url: "/",
            views: vec![],
            left: vec![],
        },
        ServerFrame::LivePatch {
            target: "t",
            url: "/",
            tokens: std::collections::BTreeMap::new(),
        },
        ServerFrame::Patch {
            target: "t",
            version: 2,
            patches: &patches,
            reference: None,
            event: None,
            rev: None,
            ack: None,
        },
        ServerFrame::HtmlUpdate {
            target: "t",
            version: 3,
            html: "",
            reference: None,
            event: None,
            rev: None,
            ack: None,
        },
        ServerFrame::Noop {
            target: "t",
            reference: None,
            event: None,
            ack: None,
            rev: None,
            duplicate: false,
        },
        ServerFrame::HtmlRecovery {
            target: "t",
            version: 4,
            html: "",
            rev: None,
            ack: None,
        },
        ServerFrame::PushEvent {
            target: "t",
            event: "e",
            payload: &payload,
            ack: None,
        },
        ServerFrame::Error(ErrorFrame::default()),
        ServerFrame::Pong,
    ];
    let mut server_types = BTreeSet::new();
    for frame in &samples {
        let wire: Value = serde_json::from_str(&frame.to_json()).unwrap();
        assert_eq!(wire["type"], server_tag(frame));
        server_types.insert(server_tag(frame));
    }
    assert_eq!(server_types, SERVER_FRAME_TYPES.iter().copied().collect());
    assert_eq!(server_types.len(), SERVER_FRAME_TYPES.len(), "no repeats");

    let client = client_constants();
    let known: BTreeSet<&str> = client["page"]["FRAME"]
        .as_object()
        .expect("FRAME is a table")
        .values()
        .map(|value| value.as_str().expect("frame types are strings"))
        .collect();
    let rust: BTreeSet<&str> = client_types.union(&server_types).copied().collect();
    assert_eq!(
        known, rust,
        "client FRAME types (left) against ClientFrame ∪ ServerFrame (right)"
    );
}

#[test]
fn the_error_code_the_client_acts_on_is_the_servers() {
    let page = &client_constants()["page"];
    assert_eq!(
        text(page, "ERROR_CODE", "UNKNOWN_TYPE"),
        FrameError::UnknownType(String::new()).code()
    );
}
