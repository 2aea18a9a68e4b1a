//! Inbound WebSocket messages, with continuations reassembled under the frame limit.

use actix_web::{
    error::PayloadError,
    web::{Bytes, BytesMut},
};
use actix_ws::{CloseReason, Item, Message, MessageStream, ProtocolError};
use futures_util::Stream;

use super::guarded;

/// One complete message from the client.
#[derive(Debug)]
pub(crate) enum Inbound {
    /// A text message (valid UTF-8).
    Text(Bytes),
    /// A binary message (not part of the protocol).
    Binary,
    /// A WebSocket ping, with its payload.
    Ping(Bytes),
    /// A WebSocket pong.
    Pong,
    /// The client closes the socket.
    Close(Option<CloseReason>),
    /// A message over the limit; nothing after it is read.
    TooLarge,
    /// A text message that is not UTF-8; nothing after it is read.
    NotUtf8,
    /// The byte stream is not valid WebSocket; nothing after it is read.
    Broken(String),
}

/// The client's messages, each at most `max_bytes` long, whether sent whole or in pieces. A
/// connection that ends without a close frame (a closed tab, a lost network) ends the stream
/// like a close: that is normal, not a broken stream.
///
/// `stream` reads a body behind [`super::guarded::guard`]: when the guard refuses a frame
/// header, the complete messages before it are still delivered, then [`Inbound::TooLarge`].
pub(crate) fn messages(stream: MessageStream, max_bytes: usize) -> impl Stream<Item = Inbound> {
    let state = Some(Reader {
        stream: stream.max_frame_size(max_bytes),
        partial: Partial::default(),
        overflowed: false,
    });
    futures_util::stream::unfold(state, move |state| async move {
        let mut reader = state?;
        loop {
            let item = match reader.stream.recv().await {
                None if reader.overflowed => Inbound::TooLarge,
                None => return None,
                Some(Ok(message)) => match reader.partial.feed(message, max_bytes) {
                    Some(item) => item,
                    None => continue,
                },
                Some(Err(ProtocolError::Io(error))) if guarded::is_overflow(&error) => {
                    reader.overflowed = true; // the messages before it come first
                    continue;
                }
                Some(Err(ProtocolError::Overflow)) => Inbound::TooLarge,
                Some(Err(ProtocolError::Io(error))) if is_utf8_error(&error) => Inbound::NotUtf8,
                Some(Err(ProtocolError::Io(error))) if is_hang_up(&error) => return None,
                Some(Err(error)) => Inbound::Broken(error.to_string()),
            };
            let next = match item {
                Inbound::TooLarge | Inbound::NotUtf8 | Inbound::Broken(_) => None,
                _ => Some(reader),
            };
            return Some((item, next));
        }
    })
}

/// Whether a stream error is `actix-ws` refusing a text frame that is not UTF-8.
fn is_utf8_error(error: &std::io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|inner| inner.is::<std::str::Utf8Error>())
}

/// Whether a stream error is the client's connection ending without a close frame: the body
/// reached its end (EOF) mid-stream, or the connection was reset or aborted.
fn is_hang_up(error: &std::io::Error) -> bool {
    let hung_up = |kind: std::io::ErrorKind| {
        use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset, UnexpectedEof};
        matches!(
            kind,
            UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe
        )
    };
    match error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<PayloadError>())
    {
        Some(PayloadError::Incomplete(None)) => true,
        Some(PayloadError::Incomplete(Some(io)) | PayloadError::Io(io)) => hung_up(io.kind()),
        Some(_) => false,
        None => hung_up(error.kind()),
    }
}

/// The state of [`messages`].
struct Reader {
    stream: MessageStream,
    partial: Partial,
    /// The guard refused a frame: what is left in `stream` are the messages before it.
    overflowed: bool,
}

/// A message arriving in continuation frames.
#[derive(Default)]
struct Partial {
    /// `Some(is_text)` while a message is being reassembled.
    kind: Option<bool>,
    bytes: BytesMut,
}

impl Partial {
    /// Takes one frame; returns a complete message when there is one.
    fn feed(&mut self, message: Message, max_bytes: usize) -> Option<Inbound> {
        let (first, last, bytes) = match message {
            Message::Text(text) => return Some(Inbound::Text(text.into_bytes())),
            Message::Binary(_) => return Some(Inbound::Binary),
            Message::Ping(bytes) => return Some(Inbound::Ping(bytes)),
            Message::Pong(_) => return Some(Inbound::Pong),
            Message::Close(reason) => return Some(Inbound::Close(reason)),
            Message::Nop => return None,
            Message::Continuation(Item::FirstText(bytes)) => (Some(true), false, bytes),
            Message::Continuation(Item::FirstBinary(bytes)) => (Some(false), false, bytes),
            Message::Continuation(Item::Continue(bytes)) => (None, false, bytes),
            Message::Continuation(Item::Last(bytes)) => (None, true, bytes),
        };
        match (first, self.kind) {
            (Some(kind), None) => self.kind = Some(kind),
            (None, Some(_)) => {}
            _ => return Some(Inbound::Broken("unexpected continuation frame".into())),
        }
        if self.bytes.len() + bytes.len() > max_bytes {
            return Some(Inbound::TooLarge);
        }
        self.bytes.extend_from_slice(&bytes);
        if !last {
            return None;
        }
        let bytes = self.bytes.split().freeze();
        match self.kind.take() {
            Some(true) if std::str::from_utf8(&bytes).is_ok() => Some(Inbound::Text(bytes)),
            Some(true) => Some(Inbound::NotUtf8),
            _ => Some(Inbound::Binary),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed_all(frames: Vec<Item>, max_bytes: usize) -> Vec<Inbound> {
        let mut partial = Partial::default();
        frames
            .into_iter()
            .filter_map(|item| partial.feed(Message::Continuation(item), max_bytes))
            .collect()
    }

    #[test]
    fn reassembles_text() {
        let frames = vec![
            Item::FirstText(Bytes::from_static(b"{\"type\"")),
            Item::Continue(Bytes::from_static(b":\"pi")),
            Item::Last(Bytes::from_static(b"ng\"}")),
        ];
        match feed_all(frames, 64).as_slice() {
            [Inbound::Text(text)] => assert_eq!(&text[..], b"{\"type\":\"ping\"}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn enforces_the_limit_over_all_pieces() {
        let frames = vec![
            Item::FirstText(Bytes::from_static(b"12345")),
            Item::Continue(Bytes::from_static(b"67890")),
        ];
        assert!(matches!(
            feed_all(frames, 8).as_slice(),
            [Inbound::TooLarge]
        ));
    }

    #[test]
    fn an_end_without_a_close_frame_is_a_hang_up_not_a_broken_stream() {
        let other = |payload: PayloadError| std::io::Error::other(payload);
        assert!(is_hang_up(&other(PayloadError::Incomplete(None))));
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert!(is_hang_up(&other(PayloadError::Io(reset))));
        assert!(!is_hang_up(&other(PayloadError::Overflow)));
        let invalid = std::io::Error::new(std::io::ErrorKind::InvalidData, "bad frame");
        assert!(!is_hang_up(&invalid));
    }

    #[test]
    fn refuses_a_continuation_without_a_start() {
        let frames = vec![Item::Last(Bytes::from_static(b"x"))];
        assert!(matches!(
            feed_all(frames, 8).as_slice(),
            [Inbound::Broken(_)]
        ));
    }
}
