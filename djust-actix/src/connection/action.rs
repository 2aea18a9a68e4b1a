//! What the connection core asks its transport to do: [`Action`].

use std::time::Duration;

use crate::view::ViewMessage;

/// WebSocket close codes the core uses besides the policy codes of
/// [`close_code`](crate::close_code).
pub(crate) mod ws_close {
    /// A normal close (the default echo of a client's close without a code).
    pub(crate) const NORMAL: u16 = 1000;
    /// The heartbeat timed out.
    pub(crate) const AWAY: u16 = 1001;
    /// The client broke the WebSocket framing.
    pub(crate) const PROTOCOL: u16 = 1002;
    /// A text message that is not UTF-8.
    pub(crate) const INVALID_DATA: u16 = 1007;
    /// The client reads too slowly (its outbound queue is full).
    pub(crate) const POLICY: u16 = 1008;
    /// An inbound message over the frame limit.
    pub(crate) const TOO_BIG: u16 = 1009;
    /// Another node took a view session of this connection over (the client reconnects).
    pub(crate) const TAKEN_OVER: u16 = 1012;
}

/// One thing for the transport to do, in order.
#[derive(Debug, PartialEq)]
pub(crate) enum Action {
    /// Send a JSON protocol frame.
    Send(String),
    /// Send a heartbeat (a WebSocket ping; an SSE keepalive comment).
    Ping,
    /// Answer a WebSocket ping with its payload.
    Pong(Vec<u8>),
    /// Close after the frames already sent, with `code` and `reason`; nothing follows.
    Close { code: u16, reason: String },
    /// Hand `message` back to the core ([`Connection::deliver`](super::Connection::deliver))
    /// after `after`.
    Timer {
        after: Duration,
        message: ViewMessage,
    },
}
