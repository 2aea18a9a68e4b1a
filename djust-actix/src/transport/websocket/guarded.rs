//! The upgrade request's body (the client's WebSocket bytes) behind a [`FrameGuard`]: a frame
//! over the limit is refused from its header, before the WebSocket library buffers its
//! payload.

use std::{
    io,
    pin::Pin,
    task::{Context, Poll},
};

use actix_web::{
    dev,
    error::PayloadError,
    web::{self, Bytes},
    FromRequest as _, HttpRequest,
};
use djust_core::frame_guard::{FrameGuard, Violation};
use futures_util::Stream;

/// `body`, cut before the first frame header the guard refuses; then one error:
/// [`PayloadError::Overflow`] for a message over `max_bytes`, an I/O error for a bad control
/// frame ([`is_overflow`] tells them apart), then the end.
pub(crate) async fn guard(
    req: &HttpRequest,
    body: web::Payload,
    max_bytes: usize,
) -> actix_web::Result<web::Payload> {
    let guarded = Guarded {
        inner: body.into_inner(),
        guard: FrameGuard::new(max_bytes),
        refused: None,
    };
    let boxed: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(guarded);
    let mut payload = dev::Payload::from(boxed);
    web::Payload::from_request(req, &mut payload).await
}

/// Whether an error of the WebSocket stream is the guard's refusal of a message over the limit.
pub(crate) fn is_overflow(error: &io::Error) -> bool {
    error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<PayloadError>())
        .is_some_and(|inner| matches!(inner, PayloadError::Overflow))
}

struct Guarded {
    inner: dev::Payload,
    guard: FrameGuard,
    /// Set once a header was refused: the error still to yield, then `None` for good.
    refused: Option<Option<Violation>>,
}

impl Stream for Guarded {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(pending) = &mut this.refused {
            return Poll::Ready(pending.take().map(|violation| Err(error(violation))));
        }
        let chunk = match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => chunk,
            other => return other,
        };
        match this.guard.scan(&chunk) {
            Ok(()) => Poll::Ready(Some(Ok(chunk))),
            Err(refusal) if refusal.accepted > 0 => {
                this.refused = Some(Some(refusal.violation));
                Poll::Ready(Some(Ok(chunk.slice(..refusal.accepted))))
            }
            Err(refusal) => {
                this.refused = Some(None);
                Poll::Ready(Some(Err(error(refusal.violation))))
            }
        }
    }
}

fn error(violation: Violation) -> PayloadError {
    match violation {
        Violation::TooLarge => PayloadError::Overflow,
        Violation::BadControlFrame => PayloadError::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            "control frame over 125 bytes or fragmented",
        )),
    }
}
