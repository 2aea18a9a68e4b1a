//! The wire protocol: every frame the client and the server exchange over the WebSocket
//! (and, later, SSE). `docs/protocol.md` describes the same shapes for humans; the client's
//! `client/src/constants.js` spells the same names; golden tests pin them.
//!
//! Frames are JSON text objects with a `"type"` key. Client frames are parsed into
//! [`ClientFrame`]; server frames are written from [`ServerFrame`].

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::{stream::StreamOp, toolbox::Flash, Params};

/// Default limit on the size of one inbound frame.
pub const MAX_FRAME_BYTES: usize = 64 * 1024;

/// A frame sent by the client.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// Mount the view rendered in container `target`.
    Mount {
        /// The container's id on the page.
        target: String,
        /// The view's name (`LiveView::NAME`).
        view: String,
        /// The signed token the page handler put on the container.
        token: String,
        /// The page URL (path and query).
        url: String,
        /// A signed state snapshot the server sent with an earlier mount of this view: restore
        /// it instead of mounting (see `crate::snapshot`).
        #[serde(default)]
        snapshot: Option<String>,
        /// After a reconnect: the view session to resume instead of mounting.
        #[serde(default)]
        resume: Option<Resume>,
    },
    /// Mount several views at once (lazy views that became ready together); answered by one
    /// `mount_batch` frame.
    MountBatch {
        /// The views, each as in a `mount` frame.
        views: Vec<MountEntry>,
    },
    /// Navigate the connection to the page at `url`: every view mounted on it is dropped and
    /// the page's containers come back in a `navigate` frame.
    LiveRedirect {
        /// The page URL (path and query).
        url: String,
    },
    /// Run event handler `event` of the view in `target`.
    Event {
        /// The container's id.
        target: String,
        /// The handler's name.
        event: String,
        /// Parameters: `dj-value-*`, form fields, `value`, `key`.
        #[serde(default)]
        params: Params,
        /// A client-chosen number echoed in the answer.
        #[serde(rename = "ref", default)]
        reference: Option<u64>,
        /// The event's number in its view session (from 1): applied at most once.
        #[serde(default)]
        seq: Option<u64>,
        /// Set when the event is sent again after a remount: the revision it was made against.
        #[serde(default)]
        replay: Option<Replay>,
    },
    /// The client lost track of the view's DOM: send it whole. The client also sends
    /// `"reason"`: [`REASON_PATCH_REFUSED`] or [`REASON_VERSION_GAP`] (read it with
    /// [`request_html_reason`]; a refusal is reported to the view's `LiveDom::refused`).
    RequestHtml {
        /// The container's id.
        target: String,
    },
    /// Application-level keep-alive; answered with `pong`.
    Ping,
}

/// The view session a reconnecting client asks to resume.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Resume {
    /// The view session token of the view's last `mount`/`resumed` frame.
    pub vs: String,
    /// The last revision the client applied.
    #[serde(default)]
    pub rev: u64,
}

/// An event sent again after a remount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Replay {
    /// The revision of the (gone) view session the user made the event against.
    #[serde(default)]
    pub rev: u64,
}

/// `request_html` `reason`: a patch did not fit the page's DOM (the trees parted; the server
/// switches the view to whole-HTML updates for a while, see `vdom::LiveDom::refused`).
pub const REASON_PATCH_REFUSED: &str = "patch_refused";
/// `request_html` `reason`: a frame's version was not the next one (frames were lost).
pub const REASON_VERSION_GAP: &str = "version_gap";

/// The `reason` of a `request_html` frame's text, if it has one (the field is optional; older
/// clients do not send it).
pub fn request_html_reason(text: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Reason {
        reason: Option<String>,
    }
    serde_json::from_str::<Reason>(text).ok()?.reason
}

/// One view of a `mount_batch` frame.
#[derive(Debug, Clone, Deserialize)]
pub struct MountEntry {
    /// The container's id on the page.
    pub target: String,
    /// The view's name.
    pub view: String,
    /// The signed token of the container.
    pub token: String,
    /// The page URL (path and query).
    pub url: String,
}

/// Why a client frame could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// Not JSON, or not a JSON object.
    Malformed(String),
    /// A JSON object whose `type` is missing or unknown.
    UnknownType(String),
    /// A known `type` with missing or ill-typed fields.
    BadShape(String),
}

impl FrameError {
    /// The wire `code` of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "malformed_frame",
            Self::UnknownType(_) => "unknown_type",
            Self::BadShape(_) => "bad_frame",
        }
    }
}

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Malformed(why) => write!(f, "malformed frame: {why}"),
            Self::UnknownType(kind) => write!(f, "Unknown message type: {kind}"),
            Self::BadShape(why) => write!(f, "bad frame: {why}"),
        }
    }
}

impl std::error::Error for FrameError {}

/// The `type` of every [`ClientFrame`].
pub const CLIENT_FRAME_TYPES: &[&str] = &[
    "mount",
    "mount_batch",
    "live_redirect",
    "event",
    "request_html",
    "ping",
];

/// The `type` of every [`ServerFrame`].
pub const SERVER_FRAME_TYPES: &[&str] = &[
    "connect",
    "mount",
    "resumed",
    "mount_batch",
    "navigate",
    "live_patch",
    "patch",
    "html_update",
    "noop",
    "html_recovery",
    "push_event",
    "error",
    "pong",
];

/// Reads one client frame, telling malformed JSON, unknown types and bad shapes apart.
pub fn parse_client_frame(text: &str) -> Result<ClientFrame, FrameError> {
    serde_json::from_str(text).map_err(|error| {
        #[derive(Deserialize)]
        struct Tagged {
            #[serde(rename = "type")]
            kind: Option<serde_json::Value>,
        }
        match serde_json::from_str::<Tagged>(text) {
            Err(_) => FrameError::Malformed(error.to_string()),
            Ok(Tagged { kind: None }) => FrameError::UnknownType("(missing)".into()),
            Ok(Tagged {
                kind: Some(serde_json::Value::String(kind)),
            }) if !CLIENT_FRAME_TYPES.contains(&kind.as_str()) => FrameError::UnknownType(kind),
            Ok(Tagged { kind: Some(kind) }) if !kind.is_string() => {
                FrameError::UnknownType(kind.to_string())
            }
            Ok(_) => FrameError::BadShape(error.to_string()),
        }
    })
}

/// A frame sent by the server.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame<'a> {
    /// First frame on every connection.
    Connect {
        /// An id for this connection (logs, support).
        session_id: &'a str,
    },
    /// A view is mounted: its full HTML, ids stamped.
    Mount {
        /// The container's id.
        target: &'a str,
        /// The view's name.
        view: &'a str,
        /// The connection's version after this frame.
        version: u64,
        /// The view's HTML with `dj-id` stamped.
        html: &'a str,
        /// The page title, if the view sets one.
        #[serde(skip_serializing_if = "Option::is_none")]
        title: Option<&'a str>,
        /// The signed snapshot of the view's public state (snapshot-enabled views).
        #[serde(skip_serializing_if = "Option::is_none")]
        snapshot: Option<&'a str>,
        /// `true` when the view was restored from the mount's snapshot instead of mounted.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        restored: bool,
        /// The view session's token (what a reconnect names to resume it).
        #[serde(skip_serializing_if = "Option::is_none")]
        vs: Option<&'a str>,
        /// The view session's revision (0 after a mount).
        #[serde(skip_serializing_if = "Option::is_none")]
        rev: Option<u64>,
        /// The high-water mark of applied client events (0 after a mount).
        #[serde(skip_serializing_if = "Option::is_none")]
        ack: Option<u64>,
        /// Why a resume asked for was not possible (`expired`, `evicted`, `unknown`, `refused`).
        #[serde(skip_serializing_if = "Option::is_none")]
        remounted: Option<&'a str>,
        /// A fresh page token for the view at the mount's URL: the client's next `mount` of it
        /// (a reconnect) sends this one, so a page kept open never holds an expired token.
        #[serde(skip_serializing_if = "Option::is_none")]
        token: Option<&'a str>,
    },
    /// A view session resumed by a reconnect: the revisions the client missed.
    Resumed {
        /// The container's id.
        target: &'a str,
        /// The view's name.
        view: &'a str,
        /// The new connection's version after this frame.
        version: u64,
        /// The view session's token.
        vs: &'a str,
        /// The view session's revision after this frame.
        rev: u64,
        /// The high-water mark of applied client events.
        ack: u64,
        /// The patch lists of the missed revisions, in order (when the ring reaches back).
        #[serde(skip_serializing_if = "Option::is_none")]
        patches: Option<Vec<&'a RawValue>>,
        /// The view's whole HTML (when the ring does not reach back).
        #[serde(skip_serializing_if = "Option::is_none")]
        html: Option<&'a str>,
        /// A fresh page token for the view at the mount's URL (as in `mount`).
        #[serde(skip_serializing_if = "Option::is_none")]
        token: Option<&'a str>,
        // With `patches`, the frame also carries (as `FrameExtras`) the flash messages and
        // stream operations of the missed revisions, in order; always the current `title`.
    },
    /// The answer to `mount_batch`: the mount frames of the views that mounted (each with its
    /// own version, in order), the views that failed, and the views whose mount navigated away.
    MountBatch {
        /// `mount` frames, already encoded.
        views: Vec<&'a RawValue>,
        /// The views that could not be mounted.
        failed: Vec<BatchFailure<'a>>,
        /// The views whose mount asked for a live redirect.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        navigate: Vec<BatchNavigate<'a>>,
    },
    /// The page the connection now shows: its URL and its view containers, to be mounted (or,
    /// when `lazy` is set, mounted once they hydrate). Answers `live_redirect`, or is sent
    /// unasked when a view called `Context::live_redirect`.
    Navigate {
        /// The page URL (path and query).
        url: &'a str,
        /// The page's containers, in page order.
        views: Vec<Container<'a>>,
        /// Signed snapshots of the snapshot-enabled views the connection left, for the client to
        /// keep under the URL it left.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        left: Vec<LeftView<'a>>,
    },
    /// A view changed the URL without changing views (`Context::live_patch`).
    LivePatch {
        /// The container's id.
        target: &'a str,
        /// The new URL (path and query).
        url: &'a str,
        /// Fresh page tokens for the new URL, by container id: every view mounted on the
        /// connection (a reconnect mounts them at the new URL).
        #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        tokens: std::collections::BTreeMap<&'a str, String>,
    },
    /// Minimal changes to apply to the view's DOM.
    Patch {
        /// The container's id.
        target: &'a str,
        /// The connection's version after this frame.
        version: u64,
        /// The patch list (see `vdom::Patch`), already encoded.
        patches: &'a RawValue,
        /// The `ref` of the event this answers, if any.
        #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<u64>,
        /// The event this answers, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        event: Option<&'a str>,
        /// The view session's revision after this frame.
        #[serde(skip_serializing_if = "Option::is_none")]
        rev: Option<u64>,
        /// The high-water mark of applied client events.
        #[serde(skip_serializing_if = "Option::is_none")]
        ack: Option<u64>,
    },
    /// The view's whole HTML, sent when patches would be bigger.
    HtmlUpdate {
        /// The container's id.
        target: &'a str,
        /// The connection's version after this frame.
        version: u64,
        /// The view's HTML with `dj-id` stamped.
        html: &'a str,
        /// The `ref` of the event this answers, if any.
        #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<u64>,
        /// The event this answers, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        event: Option<&'a str>,
        /// The view session's revision after this frame.
        #[serde(skip_serializing_if = "Option::is_none")]
        rev: Option<u64>,
        /// The high-water mark of applied client events.
        #[serde(skip_serializing_if = "Option::is_none")]
        ack: Option<u64>,
    },
    /// The event changed nothing visible. Does not advance the version.
    Noop {
        /// The container's id.
        target: &'a str,
        /// The `ref` of the event this answers, if any.
        #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<u64>,
        /// The event this answers.
        #[serde(skip_serializing_if = "Option::is_none")]
        event: Option<&'a str>,
        /// The high-water mark of applied client events.
        #[serde(skip_serializing_if = "Option::is_none")]
        ack: Option<u64>,
        /// The view session's revision, when the frame changes the page without patching it
        /// (it carries flash messages or stream operations a resume must replay).
        #[serde(skip_serializing_if = "Option::is_none")]
        rev: Option<u64>,
        /// `true` when the event was a duplicate, not applied again.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        duplicate: bool,
    },
    /// Answer to `request_html`: the view's whole HTML and a new baseline version.
    HtmlRecovery {
        /// The container's id.
        target: &'a str,
        /// The connection's version after this frame.
        version: u64,
        /// The view's HTML with `dj-id` stamped.
        html: &'a str,
        /// The view session's revision after this frame.
        #[serde(skip_serializing_if = "Option::is_none")]
        rev: Option<u64>,
        /// The high-water mark of applied client events.
        #[serde(skip_serializing_if = "Option::is_none")]
        ack: Option<u64>,
    },
    /// A server-side event for client hooks.
    PushEvent {
        /// The container's id.
        target: &'a str,
        /// Event name.
        event: &'a str,
        /// Payload.
        payload: &'a serde_json::Value,
        /// The high-water mark of applied client events.
        #[serde(skip_serializing_if = "Option::is_none")]
        ack: Option<u64>,
    },
    /// Something went wrong; see `code`.
    Error(ErrorFrame<'a>),
    /// Answer to `ping`.
    Pong,
}

/// A view of a `mount_batch` that did not mount.
#[derive(Debug, Serialize)]
pub struct BatchFailure<'a> {
    /// The container's id.
    pub target: &'a str,
    /// The view's name.
    pub view: &'a str,
    /// The error code (`mount_failed`, `bad_token`, `unknown_view`).
    pub code: &'a str,
    /// What went wrong.
    pub error: &'a str,
}

/// A view of a `mount_batch` whose mount asked for a live redirect.
#[derive(Debug, Serialize)]
pub struct BatchNavigate<'a> {
    /// The container's id.
    pub target: &'a str,
    /// The view's name.
    pub view: &'a str,
    /// Where to go.
    pub url: &'a str,
}

/// A snapshot-enabled view a `navigate` left, with its state at that moment.
#[derive(Debug, Serialize)]
pub struct LeftView<'a> {
    /// The container's id.
    pub target: &'a str,
    /// The view's name.
    pub view: &'a str,
    /// Its signed snapshot.
    pub snapshot: &'a str,
}

/// A view container of a `navigate` frame.
#[derive(Debug, Serialize)]
pub struct Container<'a> {
    /// The container's id.
    pub target: &'a str,
    /// The view's name.
    pub view: &'a str,
    /// The signed token to mount it with.
    pub token: &'a str,
    /// How a lazy view hydrates (`viewport`, `click`, `hover`, `idle`); absent: mount at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lazy: Option<&'a str>,
}

/// The body of an `error` frame.
#[derive(Debug, Default, Serialize)]
pub struct ErrorFrame<'a> {
    /// A machine-readable code (`unknown_event`, `invalid_param`, ...).
    pub code: &'a str,
    /// A human-readable message.
    pub error: &'a str,
    /// The view the error is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<&'a str>,
    /// The event the error is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<&'a str>,
    /// The parameter the error is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub param: Option<&'a str>,
    /// The `ref` of the event the error answers.
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<u64>,
    /// `false` when the client should reload instead of retrying.
    pub recoverable: bool,
    /// The high-water mark of applied client events of the view the error is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ack: Option<u64>,
}

impl ServerFrame<'_> {
    /// Encodes the frame as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("server frames always serialize")
    }

    /// Encodes the frame with `extras` as more top-level keys (a `mount` has its own `title`:
    /// leave `extras.title` empty for it).
    pub fn to_json_with(&self, extras: &FrameExtras<'_>) -> String {
        let mut json = self.to_json();
        extras.append_to(&mut json);
        json
    }
}

/// What a `mount`, `patch`, `html_update`, `html_recovery`, `noop` or `navigate` frame may carry
/// besides its own fields (`docs/protocol.md`, "Fields of server frames").
#[derive(Debug, Default, Serialize)]
pub struct FrameExtras<'a> {
    /// The page title, when it changed (see `crate::toolbox::TitleTracker`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    /// The reply of the handler of the event this frame answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply: Option<&'a serde_json::Value>,
    /// Flash messages to show, in order.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub flash: &'a [Flash],
    /// Stream operations, in order.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub streams: &'a [StreamOp],
}

impl<'a> FrameExtras<'a> {
    /// The extras a handler run collected, with the title to send (if it changed).
    pub fn of(extras: &'a crate::toolbox::Extras, title: Option<&'a str>) -> Self {
        Self {
            title,
            reply: extras.reply.as_ref(),
            flash: &extras.flash,
            streams: &extras.streams,
        }
    }

    /// `true` when there is nothing to add.
    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.reply.is_none()
            && self.flash.is_empty()
            && self.streams.is_empty()
    }

    /// Adds these keys to `frame`, the JSON text of an object (its closing `}` is last).
    pub fn append_to(&self, frame: &mut String) {
        if self.is_empty() || !frame.ends_with('}') {
            return;
        }
        let keys = serde_json::to_string(self).expect("frame extras always serialize");
        frame.pop();
        if !frame.ends_with('{') {
            frame.push(',');
        }
        frame.push_str(&keys[1..]);
    }
}

#[cfg(test)]
mod tests;
