//! [`RedisLink`]: this node's connection to Redis, shared by pub/sub and the view sessions.
//!
//! It runs on a thread of its own (a single-threaded tokio runtime), so it works whatever
//! runtime the server uses, and blocking callers (the connection core) can wait for it with a
//! bound. One `ConnectionManager` (RESP3, reconnecting, resubscribing) carries commands and
//! pushes; a health task pings it and, when Redis comes back, subscribes again to every
//! channel this node listens to.

use std::{
    collections::HashMap,
    future::Future,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use redis::{
    aio::{ConnectionManager, ConnectionManagerConfig},
    IntoConnectionInfo, ProtocolVersion, PushInfo, PushKind, RedisResult, Value,
};
use tokio::sync::{mpsc, oneshot};

use super::{metric, Inbound};

/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// How long a command may wait for its answer.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(1);
/// How often Redis is pinged while it answers, and while it does not.
const PING_UP: Duration = Duration::from_secs(1);
const PING_DOWN: Duration = Duration::from_millis(200);
/// Publishes waiting to be sent; past that a publish fails (counted).
const PUBLISH_QUEUE: usize = 16_384;
/// Publishes sent in one pipeline.
const PUBLISH_BATCH: usize = 256;

type Channels = Arc<Mutex<HashMap<String, Inbound>>>;

/// A subscription change, applied in order.
enum Control {
    Subscribe(String),
    Unsubscribe(String),
}

/// This node's connection to Redis.
pub(crate) struct RedisLink {
    node: String,
    runtime: tokio::runtime::Handle,
    conn: ConnectionManager,
    channels: Channels,
    publishes: mpsc::Sender<(String, Vec<u8>)>,
    control: mpsc::UnboundedSender<Control>,
    health: Arc<Health>,
    /// Dropping it ends the thread and every task on it.
    _stop: oneshot::Sender<()>,
}

/// Whether Redis answers, and what failed since it stopped answering.
#[derive(Default)]
struct Health {
    up: AtomicBool,
    failed: AtomicU64,
}

impl Health {
    fn failed(&self, count: u64, why: &dyn std::fmt::Display) {
        metrics::counter!(metric::PUBLISH_FAILED).increment(count);
        if self.failed.fetch_add(count, Ordering::Relaxed) == 0 {
            log::warn!(
                "djust: redis: {count} message(s) not sent to other nodes ({why}); failures are \
                 counted in {}",
                metric::PUBLISH_FAILED
            );
        }
    }
}

impl std::fmt::Debug for RedisLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisLink")
            .field("node", &self.node)
            .field("up", &self.is_up())
            .finish_non_exhaustive()
    }
}

impl RedisLink {
    /// Starts the link's thread and tasks; connects in the background.
    pub(crate) fn start(url: &str) -> Result<Arc<Self>, String> {
        let info = url
            .into_connection_info()
            .map_err(|error| format!("`{url}` is not a Redis URL: {error}"))?;
        let settings = info
            .redis_settings()
            .clone()
            .set_protocol(ProtocolVersion::RESP3);
        let client = redis::Client::open(info.set_redis_settings(settings))
            .map_err(|error| format!("redis: {error}"))?;
        let (stop, stopped) = oneshot::channel::<()>();
        let (handle_tx, handle_rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("djust-redis".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a tokio runtime for the Redis link");
                let _ = handle_tx.send(runtime.handle().clone());
                runtime.block_on(async {
                    let _ = stopped.await;
                });
            })
            .map_err(|error| format!("redis: no thread: {error}"))?;
        let runtime = handle_rx
            .recv()
            .map_err(|_| "redis: the link's thread died".to_owned())?;
        let _entered = runtime.enter();
        let channels = Channels::default();
        let config = ConnectionManagerConfig::new()
            .set_push_sender(push_handler(Arc::clone(&channels)))
            .set_automatic_resubscription()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(RESPONSE_TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(200));
        let conn = ConnectionManager::new_lazy_with_config(client, config)
            .map_err(|error| format!("redis: {error}"))?;
        let (publishes, queued) = mpsc::channel(PUBLISH_QUEUE);
        let (control, changes) = mpsc::unbounded_channel();
        let health = Arc::new(Health::default());
        runtime.spawn(publish_loop(conn.clone(), queued, Arc::clone(&health)));
        runtime.spawn(control_loop(conn.clone(), changes));
        runtime.spawn(health_loop(
            conn.clone(),
            Arc::clone(&channels),
            Arc::clone(&health),
        ));
        Ok(Arc::new(Self {
            node: crate::support::random_id(12),
            runtime: runtime.clone(),
            conn,
            channels,
            publishes,
            control,
            health,
            _stop: stop,
        }))
    }

    /// This node's id.
    pub(crate) fn node(&self) -> &str {
        &self.node
    }

    /// Whether the last ping was answered.
    pub(crate) fn is_up(&self) -> bool {
        self.health.up.load(Ordering::Acquire)
    }

    /// Delivers what other nodes publish on `channel` to `inbound`.
    pub(crate) fn subscribe(&self, channel: &str, inbound: Inbound) {
        lock(&self.channels).insert(channel.to_owned(), inbound);
        let _ = self.control.send(Control::Subscribe(channel.to_owned()));
    }

    /// Stops listening to `channel`.
    pub(crate) fn unsubscribe(&self, channel: &str) {
        lock(&self.channels).remove(channel);
        let _ = self.control.send(Control::Unsubscribe(channel.to_owned()));
    }

    /// Queues `payload` for `channel`, after what was queued before.
    pub(crate) fn publish(&self, channel: &str, payload: Vec<u8>) {
        if !self.is_up() {
            self.health.failed(1, &"redis is unreachable");
            return;
        }
        if self
            .publishes
            .try_send((channel.to_owned(), payload))
            .is_err()
        {
            self.health.failed(1, &"the publish queue is full");
        }
    }

    /// Runs `work` on the link's connection and waits at most `bound` for its answer; errs at
    /// once while Redis is down. Never call it from the link's own thread.
    pub(crate) fn call<T, F, Fut>(&self, bound: Duration, work: F) -> Result<T, String>
    where
        T: Send + 'static,
        F: FnOnce(ConnectionManager) -> Fut + Send + 'static,
        Fut: Future<Output = RedisResult<T>> + Send + 'static,
    {
        if !self.is_up() {
            return Err("redis is unreachable".into());
        }
        let (answer, answered) = std::sync::mpsc::sync_channel(1);
        let conn = self.conn.clone();
        self.runtime.spawn(async move {
            let result = tokio::time::timeout(bound, work(conn)).await;
            let _ = answer.send(result);
        });
        match answered.recv_timeout(bound + Duration::from_millis(50)) {
            Ok(Ok(Ok(value))) => Ok(value),
            Ok(Ok(Err(error))) => Err(error.to_string()),
            Ok(Err(_)) | Err(_) => Err(format!("redis did not answer within {bound:?}")),
        }
    }

    /// Starts `task` on the link's thread with a handle on its connection (a long-lived task,
    /// such as the writer of view sessions); it ends when the link does.
    pub(crate) fn run<F, Fut>(&self, task: F)
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.runtime.spawn(task(self.conn.clone()));
    }

    /// Runs `work` on the link's connection without waiting for it (errors are logged).
    pub(crate) fn spawn<F, Fut>(&self, work: F)
    where
        F: FnOnce(ConnectionManager) -> Fut + Send + 'static,
        Fut: Future<Output = RedisResult<()>> + Send + 'static,
    {
        let conn = self.conn.clone();
        self.runtime.spawn(async move {
            if let Err(error) = tokio::time::timeout(RESPONSE_TIMEOUT, work(conn)).await {
                log::debug!("djust: redis: {error}");
            }
        });
    }
}

fn lock(channels: &Channels) -> std::sync::MutexGuard<'_, HashMap<String, Inbound>> {
    channels
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Hands each pub/sub message to the channel's inbound function.
fn push_handler(channels: Channels) -> impl Fn(PushInfo) -> Result<(), ()> + Send + Sync {
    move |push: PushInfo| {
        if push.kind != PushKind::Message {
            return Ok(());
        }
        let (Some(Value::BulkString(channel)), Some(Value::BulkString(payload))) =
            (push.data.first(), push.data.get(1))
        else {
            return Ok(());
        };
        let inbound = std::str::from_utf8(channel)
            .ok()
            .and_then(|channel| lock(&channels).get(channel).cloned());
        if let Some(inbound) = inbound {
            inbound(payload);
        }
        Ok(())
    }
}

/// Sends queued publishes in order, in pipelines.
async fn publish_loop(
    mut conn: ConnectionManager,
    mut queued: mpsc::Receiver<(String, Vec<u8>)>,
    health: Arc<Health>,
) {
    let mut batch = Vec::with_capacity(PUBLISH_BATCH);
    while queued.recv_many(&mut batch, PUBLISH_BATCH).await > 0 {
        let count = batch.len() as u64;
        let mut pipe = redis::pipe();
        for (channel, payload) in batch.drain(..) {
            pipe.cmd("PUBLISH").arg(channel).arg(payload).ignore();
        }
        match pipe.query_async::<()>(&mut conn).await {
            Ok(()) => metrics::counter!(metric::PUBLISHED).increment(count),
            Err(error) => health.failed(count, &error),
        }
    }
}

/// Applies subscription changes in order (failures are repaired when Redis comes back).
async fn control_loop(mut conn: ConnectionManager, mut changes: mpsc::UnboundedReceiver<Control>) {
    while let Some(change) = changes.recv().await {
        let result = match &change {
            Control::Subscribe(channel) => conn.subscribe(channel).await,
            Control::Unsubscribe(channel) => conn.unsubscribe(channel).await,
        };
        if let Err(error) = result {
            log::debug!("djust: redis: subscription change failed: {error}");
        }
    }
}

/// Pings Redis; on the way back up, subscribes again to every channel.
async fn health_loop(mut conn: ConnectionManager, channels: Channels, health: Arc<Health>) {
    let mut ever_up = false;
    loop {
        let answered = redis::cmd("PING")
            .query_async::<()>(&mut conn)
            .await
            .is_ok();
        let was_up = health.up.load(Ordering::Acquire);
        if answered && !was_up {
            let wanted: Vec<String> = lock(&channels).keys().cloned().collect();
            let resubscribed = wanted.is_empty() || conn.subscribe(&wanted).await.is_ok();
            if resubscribed {
                health.up.store(true, Ordering::Release);
                let failed = health.failed.swap(0, Ordering::Relaxed);
                if ever_up {
                    log::info!(
                        "djust: redis is reachable again ({} channel(s) subscribed; {failed} \
                         message(s) were not sent meanwhile)",
                        wanted.len()
                    );
                }
                ever_up = true;
            }
        } else if !answered && was_up {
            health.up.store(false, Ordering::Release);
            log::warn!(
                "djust: redis is unreachable: views keep serving this node; broadcasts do not \
                 reach other nodes until it is back"
            );
        }
        let pause = if health.up.load(Ordering::Acquire) {
            PING_UP
        } else {
            PING_DOWN
        };
        tokio::time::sleep(pause).await;
    }
}
