//! Any snapshot the server signs fits the `mount` frame that brings it back: at the boundary,
//! the largest state signs, its frame is within the frame limit and is read back; one byte more
//! is not signed.

use djust_core::{
    protocol::{parse_client_frame, ClientFrame, MAX_FRAME_BYTES},
    snapshot::{
        fits_mount_frame, sign_snapshot, verify_snapshot, MAX_BLOB_BYTES, MAX_STATE_BYTES,
        MOUNT_FRAME_ROOM,
    },
    token::{sign_view_token, SigningKey},
};
use serde_json::{json, Map, Value};

const VIEW: &str = "example::views::cart::Cart";
/// The latest time that fits in 20 digits: the longest `issued_at` a blob can carry.
const LATE: u64 = u64::MAX;

fn key() -> SigningKey {
    SigningKey::new(vec![7_u8; 32]).expect("key")
}

/// A state whose JSON is exactly `bytes` long, with characters JSON keeps as they are.
fn state_of(bytes: usize) -> Map<String, Value> {
    let overhead = r#"{"text":""}"#.len();
    let mut state = Map::new();
    state.insert("text".into(), Value::from("x".repeat(bytes - overhead)));
    assert_eq!(serde_json::to_vec(&state).expect("JSON").len(), bytes);
    state
}

/// The frame a client sends to restore `blob`, with a URL of `url_bytes`.
fn mount_frame(blob: &str, url_bytes: usize) -> String {
    let url = format!("/cart/?q={}", "a".repeat(url_bytes - 9));
    let token = sign_view_token(&key(), VIEW, "/cart/", LATE);
    json!({
        "type": "mount",
        "target": "dj-v-cart",
        "view": VIEW,
        "token": token,
        "url": url,
        "snapshot": blob,
    })
    .to_string()
}

#[test]
fn the_largest_state_signs_and_its_mount_frame_fits() {
    let state = state_of(MAX_STATE_BYTES);
    let blob = sign_snapshot(&key(), VIEW, "session", LATE, &state).expect("largest state signs");
    assert!(blob.len() <= MAX_BLOB_BYTES, "{} bytes", blob.len());
    assert!(fits_mount_frame(&blob, MAX_FRAME_BYTES));

    // Room for a 7 KiB URL besides the target, view and token.
    let frame = mount_frame(&blob, 7 * 1024);
    assert!(frame.len() <= MAX_FRAME_BYTES, "{} bytes", frame.len());
    assert!(frame.len() - blob.len() <= MOUNT_FRAME_ROOM);
    match parse_client_frame(&frame).expect("a mount frame") {
        ClientFrame::Mount { snapshot, .. } => {
            let snapshot = snapshot.expect("snapshot");
            let restored = verify_snapshot(&key(), &snapshot, VIEW, "session", LATE, 60);
            assert_eq!(restored.expect("verifies").fields(), &state);
        }
        _ => panic!("not a mount"),
    }
}

#[test]
fn one_byte_more_is_not_signed() {
    let state = state_of(MAX_STATE_BYTES + 1);
    assert_eq!(sign_snapshot(&key(), VIEW, "session", LATE, &state), None);
}

#[test]
fn a_smaller_frame_limit_refuses_blobs_that_would_not_come_back() {
    let blob = sign_snapshot(&key(), VIEW, "s", LATE, &state_of(20_000)).expect("signs");
    assert!(fits_mount_frame(&blob, MAX_FRAME_BYTES));
    assert!(!fits_mount_frame(&blob, 16 * 1024));
    assert!(fits_mount_frame(&blob, blob.len() + MOUNT_FRAME_ROOM));
}
