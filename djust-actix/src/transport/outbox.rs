//! The outbound queue: one writer task owns the connection's [`Sink`] (a WebSocket session or
//! an SSE stream) and sends frames in order.
//!
//! The actor never awaits the network: it puts frames into a bounded queue and the writer
//! drains it. A full queue means the client does not read fast enough; the actor then
//! [aborts](Outbox::abort) the writer, which skips what is queued and closes the socket, so
//! memory per connection stays bounded.

use std::time::Duration;

use actix_web::web::Bytes;
use actix_ws::CloseReason;
use tokio::sync::{mpsc, oneshot};

use super::sink::{Gone, Sink};

/// How long an aborting writer waits to hand its close frame to a congested socket.
const ABORT_GRACE: Duration = Duration::from_secs(1);

/// A frame for the client.
#[derive(Debug)]
pub(crate) enum Outbound {
    /// A JSON protocol frame.
    Text(String),
    /// A WebSocket ping (heartbeat).
    Ping,
    /// The answer to a WebSocket ping.
    Pong(Bytes),
    /// Close the socket after the frames queued before this one.
    Close(CloseReason),
}

/// Why a frame was not queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The queue is full: the client is too slow.
    Full,
    /// The writer is gone: the socket is closed.
    Closed,
}

/// The actor's end of the queue.
#[derive(Debug)]
pub(crate) struct Outbox {
    frames: mpsc::Sender<Outbound>,
    abort: Option<oneshot::Sender<CloseReason>>,
}

impl Outbox {
    /// Spawns the writer for `session` on the current thread, with room for `capacity` frames.
    pub(crate) fn start(session: Sink, capacity: usize) -> Self {
        let (frames, queue) = mpsc::channel(capacity);
        let (abort, aborted) = oneshot::channel();
        actix_web::rt::spawn(write(session, queue, aborted));
        Self {
            frames,
            abort: Some(abort),
        }
    }

    /// Queues `frame` without waiting.
    pub(crate) fn send(&self, frame: Outbound) -> Result<(), Refused> {
        self.frames.try_send(frame).map_err(|error| match error {
            mpsc::error::TrySendError::Full(_) => Refused::Full,
            mpsc::error::TrySendError::Closed(_) => Refused::Closed,
        })
    }

    /// Drops the queued frames and closes the socket with `reason`.
    pub(crate) fn abort(&mut self, reason: CloseReason) {
        if let Some(abort) = self.abort.take() {
            let _ = abort.send(reason);
        }
    }
}

enum Step {
    Sent,
    Abort(CloseReason),
    Close(Option<CloseReason>),
    Gone,
}

async fn write(
    mut session: Sink,
    mut queue: mpsc::Receiver<Outbound>,
    aborted: oneshot::Receiver<CloseReason>,
) {
    // A dropped switch (the actor stopped) is no abort: the queue is drained as usual.
    let aborted = async move {
        match aborted.await {
            Ok(reason) => reason,
            Err(_) => std::future::pending().await,
        }
    };
    tokio::pin!(aborted);
    loop {
        let step = tokio::select! {
            biased;
            reason = &mut aborted => Step::Abort(reason),
            step = next(&mut session, &mut queue) => step,
        };
        match step {
            Step::Sent => {}
            Step::Abort(reason) => {
                let _ =
                    actix_web::rt::time::timeout(ABORT_GRACE, session.close(Some(reason))).await;
                return;
            }
            Step::Close(reason) => {
                session.close(reason).await;
                return;
            }
            Step::Gone => return,
        }
    }
}

/// Sends the next queued frame; when the queue ends, closes the socket.
async fn next(session: &mut Sink, queue: &mut mpsc::Receiver<Outbound>) -> Step {
    let sent = match queue.recv().await {
        Some(Outbound::Text(text)) => session.text(text).await,
        Some(Outbound::Ping) => session.ping().await,
        Some(Outbound::Pong(bytes)) => session.pong(&bytes).await,
        Some(Outbound::Close(reason)) => return Step::Close(Some(reason)),
        None => return Step::Close(None),
    };
    match sent {
        Ok(()) => Step::Sent,
        Err(Gone) => Step::Gone,
    }
}
