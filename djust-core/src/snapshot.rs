//! Signed state snapshots: a view's public state, handed to the browser on mount and given back
//! on back-navigation so the view is restored instead of mounted again.
//!
//! A snapshot is `"<issued_at>.<state>.<key id>~<mac>"`: `state` is base64url of the JSON object of the
//! view's public fields, `mac` is base64url(HMAC-SHA256(key, `"djust.snapshot\0" + view + "\0" +
//! session + "\0" + issued_at + "\0" + state_json`)). It restores only the view it names, for the
//! session it was issued to, until it expires; its state is at most [`MAX_STATE_BYTES`] of JSON
//! with at most [`MAX_KEYS`] keys.
//!
//! A snapshot comes back inside a `mount` frame, which the server reads under its frame limit:
//! the limits are derived from [`MAX_FRAME_BYTES`] so that any signed snapshot fits, with
//! [`MOUNT_FRAME_ROOM`] bytes left for the rest of the frame (target, view, token, URL).

use std::{fmt, time::Duration};

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::{
    protocol::MAX_FRAME_BYTES,
    token::{SigningKey, KEY_ID_LEN},
};

/// Bytes of a `mount` frame besides its snapshot: its type, target, view, token and URL (a
/// URL longer than about 7 KiB leaves too little room; see [`fits_mount_frame`]).
pub const MOUNT_FRAME_ROOM: usize = 8 * 1024;
/// The largest blob: with [`MOUNT_FRAME_ROOM`], a whole default-size frame.
pub const MAX_BLOB_BYTES: usize = MAX_FRAME_BYTES - MOUNT_FRAME_ROOM;
/// Bytes of a blob besides its state's base64: the time (20 digits at most), two dots and the
/// tagged MAC (the key id, `~`, 43 characters of base64url).
const BLOB_OVERHEAD: usize = 20 + 2 + KEY_ID_LEN + 1 + 43;
/// The largest state (JSON bytes) a snapshot may carry: its base64 fills [`MAX_BLOB_BYTES`].
pub const MAX_STATE_BYTES: usize = (MAX_BLOB_BYTES - BLOB_OVERHEAD) / 4 * 3;
/// The most keys a snapshot's state may have.
pub const MAX_KEYS: usize = 256;
/// The default of `LiveView::should_restore_snapshot`: snapshots younger than this restore.
pub const DEFAULT_RESTORE_AGE: Duration = Duration::from_secs(5 * 60);

/// Whether a `mount` frame carrying `blob` fits a frame limit of `max_frame_bytes` (the server
/// sends no snapshot that could not come back).
pub fn fits_mount_frame(blob: &str, max_frame_bytes: usize) -> bool {
    blob.len().saturating_add(MOUNT_FRAME_ROOM) <= max_frame_bytes
}

/// Why a snapshot was not used. Never shown to the user: the view is mounted instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotError {
    /// Not of the form `<issued_at>.<state>.<mac>`, or its state is not JSON.
    Malformed,
    /// The MAC does not match this view and session (tampered, or another view or session).
    BadSignature,
    /// Older than the allowed age, or issued in the future.
    Expired,
    /// Its state is larger than [`MAX_STATE_BYTES`].
    TooLarge,
    /// Its state is not a JSON object.
    NotAnObject,
    /// Its state has more than [`MAX_KEYS`] keys.
    TooManyKeys,
    /// Its state does not have the view's shape (`why` says how).
    Shape(String),
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed => f.write_str("malformed state snapshot"),
            Self::BadSignature => {
                f.write_str("state snapshot signature does not match this view and session")
            }
            Self::Expired => f.write_str("state snapshot expired"),
            Self::TooLarge => write!(f, "state snapshot larger than {MAX_STATE_BYTES} bytes"),
            Self::NotAnObject => f.write_str("state snapshot is not a JSON object"),
            Self::TooManyKeys => write!(f, "state snapshot has more than {MAX_KEYS} keys"),
            Self::Shape(why) => write!(f, "state snapshot does not fit the view: {why}"),
        }
    }
}

impl std::error::Error for SnapshotError {}

/// A verified snapshot: the public fields it carries and how old it is.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotState {
    fields: Map<String, Value>,
    age: Duration,
}

impl SnapshotState {
    /// A snapshot of `fields`, `age` old (the server builds these after verification).
    pub fn new(fields: Map<String, Value>, age: Duration) -> Self {
        Self { fields, age }
    }

    /// How long ago the snapshot was issued.
    pub fn age(&self) -> Duration {
        self.age
    }

    /// Every field, by name.
    pub fn fields(&self) -> &Map<String, Value> {
        &self.fields
    }

    /// Field `name` deserialized as `T`.
    pub fn field<T: DeserializeOwned>(&self, name: &str) -> Result<T, SnapshotError> {
        let value = self
            .fields
            .get(name)
            .ok_or_else(|| SnapshotError::Shape(format!("field `{name}` is missing")))?;
        T::deserialize(value)
            .map_err(|error| SnapshotError::Shape(format!("field `{name}`: {error}")))
    }

    /// Errs when the state has a key not in `names`.
    pub fn only_keys(&self, names: &[&str]) -> Result<(), SnapshotError> {
        match self
            .fields
            .keys()
            .find(|key| !names.contains(&key.as_str()))
        {
            Some(key) => Err(SnapshotError::Shape(format!("unexpected field `{key}`"))),
            None => Ok(()),
        }
    }
}

/// The generated restore of `V`: public fields from `state`, the others `Default`. Call it from
/// an overriding `restore_snapshot` to add to the default instead of replacing it.
pub fn restore_public_fields<V: crate::__private::ViewTemplate>(
    state: &SnapshotState,
) -> Result<V, SnapshotError> {
    V::restore(state)
}

fn mac_parts<'a>(
    view: &'a str,
    session: &'a str,
    issued: &'a str,
    state: &'a [u8],
) -> [&'a [u8]; 8] {
    [
        b"djust.snapshot\0",
        view.as_bytes(),
        b"\0",
        session.as_bytes(),
        b"\0",
        issued.as_bytes(),
        b"\0",
        state,
    ]
}

/// Signs `state` of `view` for `session` at unix time `issued_at`; `None` when its JSON is larger
/// than [`MAX_STATE_BYTES`] or it has more than [`MAX_KEYS`] keys (then no snapshot is sent).
pub fn sign_snapshot(
    key: &SigningKey,
    view: &str,
    session: &str,
    issued_at: u64,
    state: &Map<String, Value>,
) -> Option<String> {
    if state.len() > MAX_KEYS {
        return None;
    }
    let json = serde_json::to_vec(state).expect("a JSON map always serializes");
    if json.len() > MAX_STATE_BYTES {
        return None;
    }
    let issued = issued_at.to_string();
    let mac = key.sign(&mac_parts(view, session, &issued, &json));
    Some(format!("{issued}.{}.{mac}", URL_SAFE_NO_PAD.encode(&json)))
}

/// Checks `blob` for `view` and `session` at unix time `now`, accepting snapshots up to
/// `max_age_secs` old, and returns its state.
pub fn verify_snapshot(
    key: &SigningKey,
    blob: &str,
    view: &str,
    session: &str,
    now: u64,
    max_age_secs: u64,
) -> Result<SnapshotState, SnapshotError> {
    if blob.len() > MAX_BLOB_BYTES {
        return Err(SnapshotError::TooLarge);
    }
    let mut parts = blob.split('.');
    let (Some(issued), Some(state), Some(mac), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(SnapshotError::Malformed);
    };
    let issued_at: u64 = issued.parse().map_err(|_| SnapshotError::Malformed)?;
    let json = URL_SAFE_NO_PAD
        .decode(state)
        .map_err(|_| SnapshotError::Malformed)?;
    if json.len() > MAX_STATE_BYTES {
        return Err(SnapshotError::TooLarge);
    }
    if !key.check(&mac_parts(view, session, issued, &json), mac) {
        return Err(SnapshotError::BadSignature);
    }
    if issued_at > now.saturating_add(60) || now.saturating_sub(issued_at) > max_age_secs {
        return Err(SnapshotError::Expired);
    }
    let fields = match serde_json::from_slice(&json).map_err(|_| SnapshotError::Malformed)? {
        Value::Object(fields) => fields,
        _ => return Err(SnapshotError::NotAnObject),
    };
    if fields.len() > MAX_KEYS {
        return Err(SnapshotError::TooManyKeys);
    }
    let age = Duration::from_secs(now.saturating_sub(issued_at));
    Ok(SnapshotState::new(fields, age))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key() -> SigningKey {
        SigningKey::new(vec![3_u8; 32]).unwrap()
    }

    fn state(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    /// A blob signed with `key()` over arbitrary JSON bytes (to test what signing refuses).
    fn forge(view: &str, session: &str, issued: u64, json: &[u8]) -> String {
        let issued = issued.to_string();
        let mac = key().sign(&mac_parts(view, session, &issued, json));
        format!("{issued}.{}.{mac}", URL_SAFE_NO_PAD.encode(json))
    }

    #[test]
    fn round_trip() {
        let items = state(json!({"items": ["tea"], "coupon": "SPRING"}));
        let blob = sign_snapshot(&key(), "app::Cart", "s1", 1000, &items).unwrap();
        let restored = verify_snapshot(&key(), &blob, "app::Cart", "s1", 1030, 3600).unwrap();
        assert_eq!(restored.fields(), &items);
        assert_eq!(restored.age(), Duration::from_secs(30));
        assert_eq!(restored.field::<Vec<String>>("items").unwrap(), ["tea"]);
    }

    #[test]
    fn bound_to_view_session_and_key() {
        let blob = sign_snapshot(&key(), "app::Cart", "s1", 1000, &Map::new()).unwrap();
        let check = |view, session| verify_snapshot(&key(), &blob, view, session, 1000, 3600);
        assert_eq!(check("app::Rows", "s1"), Err(SnapshotError::BadSignature));
        assert_eq!(check("app::Cart", "s2"), Err(SnapshotError::BadSignature));
        assert_eq!(check("app::Cart", ""), Err(SnapshotError::BadSignature));
        let other = SigningKey::new(vec![4_u8; 32]).unwrap();
        assert_eq!(
            verify_snapshot(&other, &blob, "app::Cart", "s1", 1000, 3600),
            Err(SnapshotError::BadSignature)
        );
    }

    #[test]
    fn tampering_is_detected() {
        let blob = sign_snapshot(&key(), "v", "s", 1000, &state(json!({"n": 1}))).unwrap();
        let (issued, rest) = blob.split_once('.').unwrap();
        let (_, mac) = rest.split_once('.').unwrap();
        let forged_state = format!("{issued}.{}.{mac}", URL_SAFE_NO_PAD.encode(br#"{"n":2}"#));
        let forged_time = blob.replacen("1000", "1999", 1);
        for forged in [forged_state, forged_time] {
            assert_eq!(
                verify_snapshot(&key(), &forged, "v", "s", 2000, 3600),
                Err(SnapshotError::BadSignature)
            );
        }
        for bad in [
            "",
            "1000",
            "1000.e30.",
            "x.e30.abc",
            "1000.!!.abc",
            "1.2.3.4",
        ] {
            assert!(
                verify_snapshot(&key(), bad, "v", "s", 1000, 3600).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn expires_and_refuses_the_future() {
        let blob = sign_snapshot(&key(), "v", "s", 1000, &Map::new()).unwrap();
        assert_eq!(
            verify_snapshot(&key(), &blob, "v", "s", 1000 + 3601, 3600),
            Err(SnapshotError::Expired)
        );
        assert_eq!(
            verify_snapshot(&key(), &blob, "v", "s", 900, 3600),
            Err(SnapshotError::Expired)
        );
        assert!(verify_snapshot(&key(), &blob, "v", "s", 1000 + 3600, 3600).is_ok());
    }

    #[test]
    fn size_and_key_limits() {
        let big = state(json!({"text": "x".repeat(MAX_STATE_BYTES)}));
        assert_eq!(sign_snapshot(&key(), "v", "s", 1000, &big), None);
        let mut json = br#"{"text":""#.to_vec();
        json.extend(std::iter::repeat_n(b'x', MAX_STATE_BYTES));
        json.extend(br#""}"#);
        assert_eq!(
            verify_snapshot(&key(), &forge("v", "s", 1000, &json), "v", "s", 1000, 3600),
            Err(SnapshotError::TooLarge)
        );
        assert_eq!(
            verify_snapshot(
                &key(),
                &"1".repeat(MAX_BLOB_BYTES + 1),
                "v",
                "s",
                1000,
                3600
            ),
            Err(SnapshotError::TooLarge)
        );

        let many: Map<String, Value> = (0..=MAX_KEYS)
            .map(|i| (format!("k{i}"), json!(i)))
            .collect();
        assert_eq!(sign_snapshot(&key(), "v", "s", 1000, &many), None);
        let json = serde_json::to_vec(&many).unwrap();
        assert_eq!(
            verify_snapshot(&key(), &forge("v", "s", 1000, &json), "v", "s", 1000, 3600),
            Err(SnapshotError::TooManyKeys)
        );
        let most: Map<String, Value> = (0..MAX_KEYS).map(|i| (format!("k{i}"), json!(i))).collect();
        let blob = sign_snapshot(&key(), "v", "s", 1000, &most).unwrap();
        assert!(verify_snapshot(&key(), &blob, "v", "s", 1000, 3600).is_ok());
    }

    #[test]
    fn state_must_be_an_object_of_the_right_shape() {
        let blob = forge("v", "s", 1000, b"[1,2]");
        assert_eq!(
            verify_snapshot(&key(), &blob, "v", "s", 1000, 3600),
            Err(SnapshotError::NotAnObject)
        );
        let blob = forge("v", "s", 1000, b"{nope");
        assert_eq!(
            verify_snapshot(&key(), &blob, "v", "s", 1000, 3600),
            Err(SnapshotError::Malformed)
        );
        let restored = SnapshotState::new(state(json!({"n": "x", "extra": 1})), Duration::ZERO);
        assert!(matches!(
            restored.field::<i64>("n"),
            Err(SnapshotError::Shape(_))
        ));
        assert!(matches!(
            restored.field::<i64>("m"),
            Err(SnapshotError::Shape(_))
        ));
        assert!(matches!(
            restored.only_keys(&["n"]),
            Err(SnapshotError::Shape(_))
        ));
        assert_eq!(restored.only_keys(&["n", "extra"]), Ok(()));
    }
}
