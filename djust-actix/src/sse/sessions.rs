//! [`Sessions`]: the live SSE sessions of a server, by the id in their URL, each with the
//! secret its owner got as a cookie.

use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard},
};

use actix::Addr;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};

use crate::socket::actor::Connection;

/// One live session.
#[derive(Debug)]
struct Entry {
    owner: String,
    /// `None` between [`Sessions::reserve`] and [`Sessions::attach`].
    connection: Option<Addr<Connection>>,
}

/// Why a session id cannot be claimed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// A live session has that id.
    Taken,
    /// As many sessions as allowed are live.
    Full,
}

/// Why a POST is not delivered.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// No live session has that id (never created, or its stream ended).
    Unknown,
    /// The session exists but the request does not carry its owner's secret.
    NotOwner,
}

/// The registry; shared by every worker.
#[derive(Debug, Default)]
pub(crate) struct Sessions {
    live: Mutex<HashMap<String, Entry>>,
}

impl Sessions {
    fn live(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        // A panic while holding the lock leaves the map consistent (single inserts/removes).
        self.live
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Claims session `id` and returns its new owner secret, unless the id is taken or `max`
    /// sessions are live.
    pub(crate) fn reserve(&self, id: &str, max: usize) -> Result<String, Refusal> {
        let mut live = self.live();
        if live.contains_key(id) {
            return Err(Refusal::Taken);
        }
        if live.len() >= max {
            return Err(Refusal::Full);
        }
        let owner = owner_secret();
        let entry = Entry {
            owner: owner.clone(),
            connection: None,
        };
        live.insert(id.to_owned(), entry);
        Ok(owner)
    }

    /// Gives the reserved session `id` (still owned by `owner`) its connection.
    pub(crate) fn attach(&self, id: &str, owner: &str, connection: Addr<Connection>) {
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
    ) -> Result<Addr<Connection>, Lookup> {
        let live = self.live();
        let entry = live.get(id).ok_or(Lookup::Unknown)?;
        match presented {
            Some(presented) if same(presented.as_bytes(), entry.owner.as_bytes()) => {
                entry.connection.clone().ok_or(Lookup::Unknown)
            }
            _ => Err(Lookup::NotOwner),
        }
    }
}

fn owner_secret() -> String {
    let mut bytes = [0_u8; 24];
    getrandom::getrandom(&mut bytes).expect("the OS random source is available");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Compares two secrets in time independent of where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn secrets_compare_whole() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"ab"));
    }
}
