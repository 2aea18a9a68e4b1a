//! The outbound queue: one writer task owns the connection's [`Sink`] (a WebSocket session or
//! an SSE stream) and sends frames in order.
//!
//! The actor never awaits the network: it puts frames into a bounded queue and the writer
//! drains it. The queue is bounded in frames and in bytes (the text frames waiting, so that a
//! client that stops reading while asking for large answers cannot grow the server's memory).
//! A full queue means the client does not read fast enough; the actor then
//! [aborts](Outbox::abort) the writer, which drops what is queued (memory per connection stays
//! bounded) and hands the socket its close frame (1008). A client that stopped reading has a
//! full socket, so the close frame can only go once it reads again: the writer keeps the
//! socket for `ABORT_GRACE` (5 s) waiting for that, then drops it.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use actix_web::web::Bytes;
use actix_ws::CloseReason;
use tokio::sync::{mpsc, oneshot};

use super::sink::{Gone, Sink};
use crate::config::QueueLimits;

/// How long an aborting writer keeps a congested socket, waiting for the client to read far
/// enough for the close frame to go.
const ABORT_GRACE: Duration = Duration::from_secs(5);

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
    /// Bytes of the text frames queued and not yet handed to the socket.
    queued_bytes: Arc<AtomicUsize>,
    max_bytes: usize,
}

impl Outbox {
    /// Spawns the writer for `session` on the current thread, with room for `limits`.
    pub(crate) fn start(session: Sink, limits: QueueLimits) -> Self {
        let (frames, queue) = mpsc::channel(limits.frames);
        let (abort, aborted) = oneshot::channel();
        let queued_bytes = Arc::new(AtomicUsize::new(0));
        let writer = Writer {
            session,
            queue,
            queued_bytes: Arc::clone(&queued_bytes),
        };
        actix_web::rt::spawn(write(writer, aborted));
        Self {
            frames,
            abort: Some(abort),
            queued_bytes,
            max_bytes: limits.bytes,
        }
    }

    /// Queues `frame` without waiting.
    pub(crate) fn send(&self, frame: Outbound) -> Result<(), Refused> {
        let bytes = match &frame {
            Outbound::Text(text) => text.len(),
            _ => 0,
        };
        let queued = self.queued_bytes.load(Ordering::Acquire);
        if bytes > 0 && queued.saturating_add(bytes) > self.max_bytes {
            return Err(Refused::Full);
        }
        self.frames.try_send(frame).map_err(|error| match error {
            mpsc::error::TrySendError::Full(_) => Refused::Full,
            mpsc::error::TrySendError::Closed(_) => Refused::Closed,
        })?;
        self.queued_bytes.fetch_add(bytes, Ordering::AcqRel);
        Ok(())
    }

    /// Bytes of the text frames queued and not yet handed to the socket.
    pub(crate) fn queued_bytes(&self) -> usize {
        self.queued_bytes.load(Ordering::Acquire)
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

/// The writer task's end of the queue.
struct Writer {
    session: Sink,
    queue: mpsc::Receiver<Outbound>,
    queued_bytes: Arc<AtomicUsize>,
}

async fn write(writer: Writer, aborted: oneshot::Receiver<CloseReason>) {
    let Writer {
        mut session,
        mut queue,
        queued_bytes,
    } = writer;
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
            step = next(&mut session, &mut queue, &queued_bytes) => step,
        };
        match step {
            Step::Sent => {}
            Step::Abort(reason) => {
                drop(queue); // the frames not yet written: freed now, never sent
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
async fn next(
    session: &mut Sink,
    queue: &mut mpsc::Receiver<Outbound>,
    queued_bytes: &AtomicUsize,
) -> Step {
    let sent = match queue.recv().await {
        Some(Outbound::Text(text)) => {
            let bytes = text.len();
            let sent = session.text(text).await;
            queued_bytes.fetch_sub(bytes, Ordering::AcqRel);
            sent
        }
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
