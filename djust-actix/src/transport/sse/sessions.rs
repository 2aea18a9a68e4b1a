//! [`SseRegistry`]: the live SSE connections of a server, by the session id in their URL,
//! each with the secret its owner got as a cookie.

use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard},
};

use actix::Addr;

use crate::{
    support::{random_id, same_secret},
    transport::actor::ConnectionActor,
};

/// One live session.
#[derive(Debug)]
struct Entry {
    owner: String,
    /// `None` between [`SseRegistry::reserve`] and [`SseRegistry::attach`].
    connection: Option<Addr<ConnectionActor>>,
}

/// Why a session id cannot be claimed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ReserveError {
    /// A live session has that id.
    Taken,
    /// As many sessions as allowed are live.
    Full,
}

/// Why a POST is not delivered.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LookupError {
    /// No live session has that id (never created, or its stream ended).
    Unknown,
    /// The session exists but the request does not carry its owner's secret.
    NotOwner,
}

/// The registry; shared by every worker.
#[derive(Debug, Default)]
pub(crate) struct SseRegistry {
    live: Mutex<HashMap<String, Entry>>,
}

impl SseRegistry {
    fn live(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        // A panic while holding the lock leaves the map consistent (single inserts/removes).
        self.live
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Claims session `id` and returns its new owner secret, unless the id is taken or `max`
    /// sessions are live.
    pub(crate) fn reserve(&self, id: &str, max: usize) -> Result<String, ReserveError> {
        let mut live = self.live();
        if live.contains_key(id) {
            return Err(ReserveError::Taken);
        }
        if live.len() >= max {
            return Err(ReserveError::Full);
        }
        let owner = random_id(24);
        let entry = Entry {
            owner: owner.clone(),
            connection: None,
        };
        live.insert(id.to_owned(), entry);
        Ok(owner)
    }

    /// Gives the reserved session `id` (still owned by `owner`) its connection.
    pub(crate) fn attach(&self, id: &str, owner: &str, connection: Addr<ConnectionActor>) {
        if let Some(entry) = self.live().get_mut(id).filter(|entry| entry.owner == owner) {
            entry.connection = Some(connection);
        }
    }

    /// Forgets session `id` if its owner is still `owner` (the stream ended).
    pub(crate) fn remove(&self, id: &str, owner: &str) {
        let mut live = self.live();
        if live.get(id).is_some_and(|entry| entry.owner == owner) {
            live.remove(id);
        }
    }

    /// The connection of session `id`, if `presented` is its owner's secret.
    pub(crate) fn connection(
        &self,
        id: &str,
        presented: Option<&str>,
    ) -> Result<Addr<ConnectionActor>, LookupError> {
        let live = self.live();
        let entry = live.get(id).ok_or(LookupError::Unknown)?;
        match presented {
            Some(presented) if same_secret(presented.as_bytes(), entry.owner.as_bytes()) => {
                entry.connection.clone().ok_or(LookupError::Unknown)
            }
            _ => Err(LookupError::NotOwner),
        }
    }
}
