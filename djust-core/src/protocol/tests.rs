//! Parsing and encoding of the wire frames.

use super::*;

#[test]
fn request_html_reason_is_optional() {
    let text = r#"{"type":"request_html","target":"dj-v-x","reason":"patch_refused"}"#;
    assert!(matches!(
        parse_client_frame(text),
        Ok(ClientFrame::RequestHtml { target }) if target == "dj-v-x"
    ));
    assert_eq!(
        request_html_reason(text).as_deref(),
        Some(REASON_PATCH_REFUSED)
    );
    assert_eq!(
        request_html_reason(r#"{"type":"request_html","target":"t"}"#),
        None
    );
}

#[test]
fn parses_event() {
    let frame = parse_client_frame(
        r#"{"type":"event","target":"v","event":"inc","params":{"a":"1"},"ref":3,"seq":4,"replay":{"rev":2}}"#,
    )
    .unwrap();
    match frame {
        ClientFrame::Event {
            target,
            event,
            params,
            reference,
            seq,
            replay,
        } => {
            assert_eq!((target.as_str(), event.as_str()), ("v", "inc"));
            assert_eq!(params["a"], "1");
            assert_eq!(reference, Some(3));
            assert_eq!(seq, Some(4));
            assert_eq!(replay, Some(Replay { rev: 2 }));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn parses_navigation_and_batch_frames() {
    let frame = parse_client_frame(
        r#"{"type":"mount","target":"t","view":"v","token":"k","url":"/","snapshot":"s"}"#,
    )
    .unwrap();
    assert!(matches!(frame, ClientFrame::Mount { snapshot: Some(s), .. } if s == "s"));
    let frame = parse_client_frame(
        r#"{"type":"mount_batch","views":[{"target":"a","view":"v","token":"k","url":"/d/"}]}"#,
    )
    .unwrap();
    assert!(matches!(frame, ClientFrame::MountBatch { views } if views[0].target == "a"));
    let frame = parse_client_frame(r#"{"type":"live_redirect","url":"/cart/"}"#).unwrap();
    assert!(matches!(frame, ClientFrame::LiveRedirect { url } if url == "/cart/"));
    let code = |text| parse_client_frame(text).unwrap_err().code();
    assert_eq!(code(r#"{"type":"mount_batch","views":{}}"#), "bad_frame");
    assert_eq!(
        code(r#"{"type":"mount_batch","views":[{"target":"a"}]}"#),
        "bad_frame"
    );
}

#[test]
fn writes_batch_and_navigation_frames() {
    let mount = RawValue::from_string(r#"{"type":"mount"}"#.into()).unwrap();
    let batch = ServerFrame::MountBatch {
        views: vec![&mount],
        failed: vec![BatchFailure {
            target: "b",
            view: "app::B",
            code: "mount_failed",
            error: "no",
        }],
        navigate: Vec::new(),
    };
    assert_eq!(
        batch.to_json(),
        r#"{"type":"mount_batch","views":[{"type":"mount"}],"failed":[{"target":"b","view":"app::B","code":"mount_failed","error":"no"}]}"#
    );
    let navigate = ServerFrame::Navigate {
        url: "/d/",
        views: vec![Container {
            target: "t",
            view: "v",
            token: "k",
            lazy: Some("click"),
        }],
        left: Vec::new(),
    };
    assert_eq!(
        navigate.to_json(),
        r#"{"type":"navigate","url":"/d/","views":[{"target":"t","view":"v","token":"k","lazy":"click"}]}"#
    );
    let mount = ServerFrame::Mount {
        target: "t",
        view: "v",
        version: 1,
        html: "",
        title: None,
        snapshot: Some("s"),
        restored: true,
        vs: Some("x.y"),
        rev: Some(0),
        ack: Some(0),
        remounted: Some("expired"),
        token: Some("1.k"),
    };
    assert_eq!(
        mount.to_json(),
        r#"{"type":"mount","target":"t","view":"v","version":1,"html":"","snapshot":"s","restored":true,"vs":"x.y","rev":0,"ack":0,"remounted":"expired","token":"1.k"}"#
    );
}

#[test]
fn extras_are_more_keys_of_the_frame() {
    let patches = RawValue::from_string("[]".into()).unwrap();
    let frame = ServerFrame::Patch {
        target: "v",
        version: 2,
        patches: &patches,
        reference: Some(1),
        event: Some("add"),
        rev: None,
        ack: None,
    };
    let reply = serde_json::json!({"length": 3});
    let flash = [Flash {
        kind: "info".into(),
        message: "Added".into(),
    }];
    let streams = [StreamOp::Delete {
        stream: "feed".into(),
        ids: vec!["f-1".into()],
    }];
    let extras = FrameExtras {
        title: Some("(1) Todos"),
        reply: Some(&reply),
        flash: &flash,
        streams: &streams,
    };
    assert_eq!(
        frame.to_json_with(&extras),
        r#"{"type":"patch","target":"v","version":2,"patches":[],"ref":1,"event":"add","title":"(1) Todos","reply":{"length":3},"flash":[{"kind":"info","message":"Added"}],"streams":[{"op":"delete","stream":"feed","ids":["f-1"]}]}"#
    );
    assert_eq!(
        frame.to_json_with(&FrameExtras::default()),
        frame.to_json(),
        "nothing added"
    );
    let mut empty = String::from("{}");
    FrameExtras {
        title: Some("t"),
        ..FrameExtras::default()
    }
    .append_to(&mut empty);
    assert_eq!(empty, r#"{"title":"t"}"#);
}

#[test]
fn tells_errors_apart() {
    let code = |text| parse_client_frame(text).unwrap_err().code();
    assert_eq!(code("{not json"), "malformed_frame");
    assert_eq!(code("[1,2]"), "malformed_frame");
    assert_eq!(code(r#"{"type":"launch"}"#), "unknown_type");
    assert_eq!(code(r#"{"no":"type"}"#), "unknown_type");
    assert_eq!(code(r#"{"type":7}"#), "unknown_type");
    assert_eq!(code(r#"{"type":"event","target":"v"}"#), "bad_frame");
    assert_eq!(
        parse_client_frame(r#"{"type":"launch"}"#)
            .unwrap_err()
            .to_string(),
        "Unknown message type: launch"
    );
}

#[test]
fn writes_frames() {
    let patches = RawValue::from_string("[]".into()).unwrap();
    let frame = ServerFrame::Patch {
        target: "v",
        version: 2,
        patches: &patches,
        reference: Some(1),
        event: Some("inc"),
        rev: Some(5),
        ack: Some(3),
    };
    assert_eq!(
        frame.to_json(),
        r#"{"type":"patch","target":"v","version":2,"patches":[],"ref":1,"event":"inc","rev":5,"ack":3}"#
    );
    assert_eq!(ServerFrame::Pong.to_json(), r#"{"type":"pong"}"#);
    let error = ServerFrame::Error(ErrorFrame {
        code: "unknown_event",
        error: "unknown event `x`",
        event: Some("x"),
        recoverable: true,
        ..ErrorFrame::default()
    });
    assert_eq!(
        error.to_json(),
        r#"{"type":"error","code":"unknown_event","error":"unknown event `x`","event":"x","recoverable":true}"#
    );
}
