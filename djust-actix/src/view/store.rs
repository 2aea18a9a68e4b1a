//! [`ViewSessionStore`]: every view session of the server, shared by all connections. A
//! session is attached to one connection at a time; when that connection closes it is parked
//! for a grace window, bounded in count and bytes (the oldest evicted first), and a reconnect
//! claims it back — from the grace window, or from an older connection that has not noticed
//! its own death yet.

use std::{
    any::Any,
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex, MutexGuard},
    time::{Duration, Instant},
};

use super::{
    remote_store::{Done, RemoteSessions, Stored, Write, Written},
    session::lock,
    Mailbox, SharedSession, ViewSession,
};
use crate::{config::Grace, pubsub::RedisLink, support};

/// Ids of sessions that ended in their grace window, remembered to tell `expired` and
/// `evicted` from `unknown`.
const TOMBSTONES: usize = 16_384;

/// Why a view session could not be resumed (the `remounted` reason on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gone {
    /// Its grace window ended.
    Expired,
    /// Evicted to keep the bound on sessions in grace.
    Evicted,
    /// Never known here (e.g. the server restarted), or of another view.
    Unknown,
    /// Its token does not verify for this view and browser session.
    Refused,
}

impl Gone {
    /// The `remounted` value.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Expired => "expired",
            Self::Evicted => "evicted",
            Self::Unknown => "unknown",
            Self::Refused => "refused",
        }
    }
}

/// The view sessions waiting in their grace window for a reconnect
/// ([`Djust::parked_view_sessions`](crate::Djust::parked_view_sessions)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ParkedStats {
    /// How many wait.
    pub sessions: usize,
    /// About how many bytes they hold (kept trees and revision rings).
    pub bytes: usize,
}

struct Entry {
    session: SharedSession,
    view: &'static str,
    /// When and how big it was parked; `None` while attached.
    parked: Option<(Instant, usize)>,
}

#[derive(Default)]
struct Inner {
    sessions: HashMap<String, Entry>,
    /// Parked ids, oldest first (entries may be stale: checked against `Entry::parked`).
    queue: VecDeque<(String, Instant)>,
    parked: ParkedStats,
    gone: HashMap<String, Gone>,
    gone_order: VecDeque<String>,
}

/// The server's view sessions.
pub(crate) struct ViewSessionStore {
    grace: Grace,
    inner: Mutex<Inner>,
    /// Where sessions are kept besides memory, for other nodes to resume them.
    remote: Option<RemoteSessions>,
}

impl std::fmt::Debug for ViewSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ViewSessionStore")
            .field("grace", &self.grace)
            .field("parked", &self.stats())
            .finish_non_exhaustive()
    }
}

impl ViewSessionStore {
    /// An empty store with these bounds.
    pub(crate) fn new(grace: Grace) -> Self {
        Self {
            grace,
            inner: Mutex::default(),
            remote: None,
        }
    }

    /// Also keeps the sessions in Redis through `link` (one grace window after their last
    /// write), so that another node can resume them.
    pub(crate) fn with_remote(mut self, link: Option<&Arc<RedisLink>>) -> Self {
        self.remote = link.map(|link| RemoteSessions::new(Arc::clone(link), self.grace.window));
        self
    }

    /// Stores `session`'s state as of revision `rev` in Redis; its answer goes out once the
    /// write is done (at once, or when `done` is told).
    pub(crate) fn persist(
        &self,
        session: &mut ViewSession,
        rev: u64,
        done: impl FnOnce() -> Done,
    ) -> Write {
        match &self.remote {
            Some(remote) => remote.write(session, rev, done()),
            None => Write::Now(Written::Stored),
        }
    }

    /// Takes session `id` of `view` over from the node that had it (`None`: not in Redis, or
    /// no Redis).
    pub(crate) fn take_over(&self, id: &str, view: &str) -> Option<Stored> {
        self.remote.as_ref()?.take_over(id, view)
    }

    /// At a heartbeat of its connection: keeps attached `session` in Redis for another grace
    /// window, and (unless turned off, `DjustConfig::hibernate_idle_views`) puts its kept tree
    /// in its compact form until the next event, so a view holds the parsed render for at most
    /// one heartbeat interval after an update.
    pub(crate) fn keep_alive(&self, session: &SharedSession) {
        let mut guard = lock(session);
        if self.grace.hibernate && guard.view.hibernate() {
            support::release_freed_memory();
        }
        if let Some(remote) = &self.remote {
            if guard.remote_owner.is_some() {
                remote.keep(guard.id());
            }
        }
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds a freshly mounted session of view `view`.
    pub(crate) fn insert(&self, id: &str, view: &'static str, session: &SharedSession) {
        if self.remote.is_some() && lock(session).remote_owner.is_none() {
            let mut guard = lock(session);
            let rev = guard.rev();
            // Nothing waits for it: the `mount` frame claims no event applied.
            self.persist(&mut guard, rev, || Box::new(|_| {}));
        }
        let entry = Entry {
            session: Arc::clone(session),
            view,
            parked: None,
        };
        self.inner().sessions.insert(id.to_owned(), entry);
    }

    /// Gives session `id` of view `view` to connection `owner` (whose views' messages go to
    /// `mailbox`), wherever it is on this node; with the messages queued while it was parked.
    /// A session another node took over meanwhile is ended here (`Unknown`: the caller takes
    /// it over from Redis).
    pub(crate) fn claim(
        &self,
        id: &str,
        view: &str,
        owner: &str,
        mailbox: Mailbox,
        now: Instant,
    ) -> Result<(SharedSession, Vec<Box<dyn Any + Send>>), Gone> {
        let claimed = self.claim_here(id, view, owner, mailbox, now)?;
        let token = lock(&claimed.0).remote_owner.clone();
        if let (Some(remote), Some(token)) = (&self.remote, token) {
            if remote.owns(id, &token) == Some(false) {
                log::info!("djust: view session {id} was taken over by another node");
                self.end(id, owner);
                return Err(Gone::Unknown);
            }
        }
        Ok(claimed)
    }

    fn claim_here(
        &self,
        id: &str,
        view: &str,
        owner: &str,
        mailbox: Mailbox,
        now: Instant,
    ) -> Result<(SharedSession, Vec<Box<dyn Any + Send>>), Gone> {
        let mut inner = self.inner();
        inner.purge(now, self.grace.window);
        let Some(entry) = inner
            .sessions
            .get_mut(id)
            .filter(|entry| entry.view == view)
        else {
            return Err(inner.gone.get(id).copied().unwrap_or(Gone::Unknown));
        };
        let session = Arc::clone(&entry.session);
        if let Some((_, bytes)) = entry.parked.take() {
            inner.parked.sessions -= 1;
            inner.parked.bytes -= bytes;
        }
        let mut guard = lock(&session);
        guard.set_owner(owner);
        let queued = guard.route().attach(mailbox);
        drop(guard);
        Ok((session, queued))
    }

    /// Connection `owner` closed: its session `id` waits for a reconnect (unless another
    /// connection took it over meanwhile).
    pub(crate) fn park(&self, id: &str, owner: &str, now: Instant) {
        let mut inner = self.inner();
        inner.purge(now, self.grace.window);
        let Some(entry) = inner.sessions.get_mut(id) else {
            return;
        };
        let mut guard = lock(&entry.session);
        if !guard.is_owned_by(owner) || entry.parked.is_some() {
            return;
        }
        if self.grace.hibernate && guard.view.hibernate() {
            support::release_freed_memory();
        }
        guard.route().park();
        if let (Some(remote), Some(_)) = (&self.remote, &guard.remote_owner) {
            remote.keep(id);
        }
        let bytes = guard.approx_bytes();
        drop(guard);
        entry.parked = Some((now, bytes));
        inner.parked.sessions += 1;
        inner.parked.bytes += bytes;
        inner.queue.push_back((id.to_owned(), now));
        while inner.parked.sessions > self.grace.max_sessions
            || inner.parked.bytes > self.grace.max_bytes
        {
            if !inner.drop_oldest(Gone::Evicted) {
                break;
            }
        }
    }

    /// Session `id`, held by `owner`, is over (replaced, navigated away).
    pub(crate) fn end(&self, id: &str, owner: &str) {
        let mut inner = self.inner();
        let owned = inner
            .sessions
            .get(id)
            .is_some_and(|entry| lock(&entry.session).is_owned_by(owner));
        if owned {
            if let Some(entry) = inner.sessions.remove(id) {
                let guard = lock(&entry.session);
                guard.route().end();
                if let (Some(remote), Some(token)) = (&self.remote, &guard.remote_owner) {
                    remote.forget(id, token);
                }
            }
        }
    }

    /// Ends the parked sessions whose grace window is over.
    pub(crate) fn purge(&self, now: Instant) {
        self.inner().purge(now, self.grace.window);
    }

    /// Sessions in their grace window and their bytes.
    pub(crate) fn stats(&self) -> ParkedStats {
        self.inner().parked
    }
}

impl Inner {
    fn purge(&mut self, now: Instant, window: Duration) {
        while let Some((_, since)) = self.queue.front() {
            if now.saturating_duration_since(*since) < window {
                break;
            }
            self.drop_oldest(Gone::Expired);
        }
    }

    /// Ends the oldest parked session (`false` when none is parked).
    fn drop_oldest(&mut self, why: Gone) -> bool {
        while let Some((id, since)) = self.queue.pop_front() {
            let parked_then = self
                .sessions
                .get(&id)
                .and_then(|entry| entry.parked)
                .filter(|(at, _)| *at == since);
            let Some((_, bytes)) = parked_then else {
                continue; // claimed (and maybe parked again) since
            };
            if let Some(entry) = self.sessions.remove(&id) {
                lock(&entry.session).route().end();
            }
            self.parked.sessions -= 1;
            self.parked.bytes -= bytes;
            self.bury(id, why);
            return true;
        }
        false
    }

    fn bury(&mut self, id: String, why: Gone) {
        if self.gone_order.len() == TOMBSTONES {
            if let Some(old) = self.gone_order.pop_front() {
                self.gone.remove(&old);
            }
        }
        self.gone.insert(id.clone(), why);
        self.gone_order.push_back(id);
    }
}
