//! [`RemoteSessions`]: the resumable state of view sessions, kept in Redis so that a reconnect
//! landing on another node resumes them.
//!
//! One hash per view session, `djust:vs:<id>`: `view`, `state` (the public fields, as a
//! snapshot carries them: private fields are never stored), `ack` and `above` (the ledger:
//! high-water mark and the applied numbers above it), `rev`, `at` (unix ms of the write),
//! `owner` and `fence`. Every write is one Lua script that stores all of them at once, only
//! while `owner` is still the writer's token, and sets the TTL to the grace window. A node
//! takes a session over with another script that bumps `fence` and makes
//! `<node>:<fence>` the owner: from then on the former owner's writes are refused (it closes
//! its connection without sending the answer it could not store), so two nodes never both
//! answer for one session.
//!
//! Writes do not block the connection: [`RemoteSessions::write`] queues them for the
//! [`writer`] (one pipeline per round trip, the newest write of each session) and its `done`
//! is told the outcome; the connection holds the answer until then (see
//! `crate::connection`'s `durable` module).

mod writer;

pub(crate) use writer::Done;

use std::{sync::Arc, time::Duration};

use redis::Script;
use serde_json::{Map, Value};
use tokio::sync::mpsc;

use super::ViewSession;
use crate::pubsub::RedisLink;

/// How long a node waits for Redis before going on with its memory only.
pub(super) const BOUND: Duration = Duration::from_millis(500);
/// The largest state stored, in bytes of JSON (as a snapshot's).
const MAX_STATE_BYTES: usize = djust_core::snapshot::MAX_STATE_BYTES;

const WRITE: &str = r"
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner and owner ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'view', ARGV[2], 'state', ARGV[3],
  'ack', ARGV[4], 'above', ARGV[5], 'rev', ARGV[6], 'at', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[8])
return 1
";

const TAKE_OVER: &str = r"
if redis.call('HGET', KEYS[1], 'view') ~= ARGV[2] then return false end
local fence = redis.call('HINCRBY', KEYS[1], 'fence', 1)
local owner = ARGV[1] .. ':' .. fence
redis.call('HSET', KEYS[1], 'owner', owner)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local f = redis.call('HMGET', KEYS[1], 'state', 'ack', 'above', 'rev', 'at')
return {owner, f[1], f[2], f[3], f[4], f[5]}
";

const FORGET: &str = r"
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
";

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    /// Stored in Redis (or nothing to store: the view keeps no snapshot).
    Stored,
    /// Not stored (Redis unreachable, state too large): the session lives in memory only.
    Local,
    /// Another node owns the session now: this node must let go of it.
    Fenced,
}

/// What became of a write asked for: done at once, or queued (its `done` will be told).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Write {
    /// Nothing to wait for.
    Now(Written),
    /// Sent to Redis; `done` is called with the outcome.
    Queued,
}

/// A view session's state as another node stored it, now owned by this node.
#[derive(Debug)]
pub(crate) struct Stored {
    pub(crate) owner: String,
    pub(crate) state: Map<String, Value>,
    pub(crate) ack: u64,
    pub(crate) above: Vec<u64>,
    pub(crate) rev: u64,
    /// How long ago it was written.
    pub(crate) age: Duration,
}

/// The view sessions of every node, in Redis.
pub(crate) struct RemoteSessions {
    link: Arc<RedisLink>,
    ttl: Duration,
    /// The writer's queue, and the scripts it runs.
    writes: mpsc::Sender<writer::Job>,
    write: Arc<Script>,
    take_over: Arc<Script>,
    forget: Arc<Script>,
}

impl std::fmt::Debug for RemoteSessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteSessions")
            .field("link", &self.link)
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

fn key_of(id: &str) -> String {
    format!("djust:vs:{id}")
}

fn unix_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_millis() as u64)
}

impl RemoteSessions {
    /// Sessions kept through `link`, each for `ttl` after its last write.
    pub(crate) fn new(link: Arc<RedisLink>, ttl: Duration) -> Self {
        let (writes, queued) = mpsc::channel(writer::QUEUE);
        let (write, forget) = (Arc::new(Script::new(WRITE)), Arc::new(Script::new(FORGET)));
        let scripts = vec![Arc::clone(&write), Arc::clone(&forget)];
        link.run(move |conn| writer::run(conn, queued, scripts));
        Self {
            link,
            ttl,
            writes,
            write,
            take_over: Arc::new(Script::new(TAKE_OVER)),
            forget,
        }
    }

    /// Stores `session`'s state as of revision `rev` (the revision its answer is about to
    /// carry), if it is this node's; a session never stored becomes this node's. When the
    /// write is [queued](Write::Queued), `done` learns whether it was stored.
    pub(crate) fn write(&self, session: &mut ViewSession, rev: u64, done: Done) -> Write {
        let Some(state) = session.view.snapshot() else {
            return Write::Now(Written::Stored);
        };
        let state = Value::Object(state).to_string();
        if state.len() > MAX_STATE_BYTES {
            log::warn!(
                "djust: {}: state too large for Redis; this session does not survive its node",
                session.view.name()
            );
            return Write::Now(Written::Local);
        }
        if !self.link.is_up() {
            return Write::Now(Written::Local);
        }
        let owner = session
            .remote_owner
            .get_or_insert_with(|| format!("{}:0", self.link.node()))
            .clone();
        let above: Vec<String> = session.ledger.above().map(|n| n.to_string()).collect();
        let args = vec![
            owner,
            session.view.name().to_owned(),
            state,
            session.ledger.ack().to_string(),
            above.join(","),
            rev.to_string(),
            unix_ms().to_string(),
            self.ttl.as_millis().to_string(),
        ];
        let job = writer::Job {
            script: Arc::clone(&self.write),
            key: key_of(session.id()),
            args,
            done: Some(done),
        };
        match self.writes.try_send(job) {
            Ok(()) => Write::Queued,
            Err(refused) => {
                // Not queued: its `done` must not be told.
                let mut job = refused.into_inner();
                job.done = None;
                log::warn!("djust: redis: the queue of view session writes is full");
                Write::Now(Written::Local)
            }
        }
    }

    /// Runs `script` on key `djust:vs:<id>` with `args`, waiting at most [`BOUND`].
    fn invoke<T>(&self, script: &Arc<Script>, id: &str, args: Vec<String>) -> Result<T, String>
    where
        T: redis::FromRedisValue + Send + 'static,
    {
        let (script, key) = (Arc::clone(script), key_of(id));
        self.link.call(BOUND, move |mut conn| async move {
            let mut invocation = script.key(key);
            for arg in &args {
                invocation.arg(arg);
            }
            invocation.invoke_async(&mut conn).await
        })
    }

    /// Takes session `id` of `view` over from whichever node had it; `None` when Redis does
    /// not have it (or is unreachable).
    pub(crate) fn take_over(&self, id: &str, view: &str) -> Option<Stored> {
        let args = vec![
            self.link.node().to_owned(),
            view.to_owned(),
            self.ttl.as_millis().to_string(),
        ];
        let fields = self
            .invoke::<Option<Vec<Option<String>>>>(&self.take_over, id, args)
            .map_err(|error| log::warn!("djust: redis: taking view session over: {error}"))
            .ok()??;
        parse(fields)
    }

    /// Whether `owner` still owns session `id` (`None`: Redis does not say).
    pub(crate) fn owns(&self, id: &str, owner: &str) -> Option<bool> {
        let key = key_of(id);
        let current = self
            .link
            .call(BOUND, move |mut conn| async move {
                redis::cmd("HGET")
                    .arg(key)
                    .arg("owner")
                    .query_async::<Option<String>>(&mut conn)
                    .await
            })
            .ok()?;
        Some(current.is_none_or(|current| current == owner))
    }

    /// Keeps session `id` for another grace window (it parked, or is idle but attached).
    pub(crate) fn keep(&self, id: &str) {
        let (key, ttl) = (key_of(id), self.ttl.as_millis() as u64);
        self.link.spawn(move |mut conn| async move {
            redis::cmd("PEXPIRE")
                .arg(key)
                .arg(ttl)
                .query_async::<()>(&mut conn)
                .await
        });
    }

    /// Session `id` is over: deletes it if `owner` still owns it (queued after its writes,
    /// which it supersedes).
    pub(crate) fn forget(&self, id: &str, owner: &str) {
        let job = writer::Job {
            script: Arc::clone(&self.forget),
            key: key_of(id),
            args: vec![owner.to_owned()],
            done: None,
        };
        if self.writes.try_send(job).is_err() {
            log::debug!("djust: redis: view session {id} not deleted (queue full or closed)");
        }
    }
}

/// The fields `TAKE_OVER` returns.
fn parse(fields: Vec<Option<String>>) -> Option<Stored> {
    let [owner, state, ack, above, rev, at]: [Option<String>; 6] = fields.try_into().ok()?;
    let number = |field: Option<String>| field?.parse::<u64>().ok();
    let state = match serde_json::from_str(&state?).ok()? {
        Value::Object(state) => state,
        _ => return None,
    };
    let above = above
        .unwrap_or_default()
        .split(',')
        .filter_map(|n| n.parse().ok())
        .collect();
    let at = number(at)?;
    Some(Stored {
        owner: owner?,
        state,
        ack: number(ack)?,
        above,
        rev: number(rev)?,
        age: Duration::from_millis(unix_ms().saturating_sub(at)),
    })
}
