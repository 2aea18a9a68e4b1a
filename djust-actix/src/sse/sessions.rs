//! [`Sessions`]: the live SSE sessions of a server, by the id in their URL, each with the
//! secret its owner got as a cookie.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Mutex, MutexGuard},
};

use actix::Addr;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};

use crate::socket::actor::Connection;

/// One live session.
#[derive(Debug)]
struct Entry {
    owner: String,
    /// The client that opened it (`None`: its address is unknown), for the per-client cap.
    client: Option<IpAddr>,
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
    /// The client has as many sessions live as one client may.
    ClientFull,
}

/// How many sessions may be live: in all, and opened by one client.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caps {
    pub(crate) total: usize,
    pub(crate) per_client: usize,
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
    live: Mutex<Live>,
}

/// The sessions, and how many each client has.
#[derive(Debug, Default)]
struct Live {
    sessions: HashMap<String, Entry>,
    per_client: HashMap<IpAddr, usize>,
}

impl Live {
    fn forget(&mut self, id: &str) {
        let Some(entry) = self.sessions.remove(id) else {
            return;
        };
        if let Some(client) = entry.client {
            if let Some(count) = self.per_client.get_mut(&client) {
                *count -= 1;
                if *count == 0 {
                    self.per_client.remove(&client);
                }
            }
        }
    }
}

impl Sessions {
    fn live(&self) -> MutexGuard<'_, Live> {
        // A panic while holding the lock leaves the map consistent (single inserts/removes).
        self.live
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Claims session `id` for `client` and returns its new owner secret, unless the id is
    /// taken or a cap is reached.
    pub(crate) fn reserve(
        &self,
        id: &str,
        client: Option<IpAddr>,
        caps: Caps,
    ) -> Result<String, Refusal> {
        let mut live = self.live();
        if live.sessions.contains_key(id) {
            return Err(Refusal::Taken);
        }
        if live.sessions.len() >= caps.total {
            return Err(Refusal::Full);
        }
        if let Some(client) = client {
            let count = live.per_client.entry(client).or_default();
            if *count >= caps.per_client {
                return Err(Refusal::ClientFull);
            }
            *count += 1;
        }
        let owner = owner_secret();
        let entry = Entry {
            owner: owner.clone(),
            client,
            connection: None,
        };
        live.sessions.insert(id.to_owned(), entry);
        Ok(owner)
    }

    /// Gives the reserved session `id` (still owned by `owner`) its connection.
    pub(crate) fn attach(&self, id: &str, owner: &str, connection: Addr<Connection>) {
        let mut live = self.live();
        if let Some(entry) = live
            .sessions
            .get_mut(id)
            .filter(|entry| entry.owner == owner)
        {
            entry.connection = Some(connection);
        }
    }

    /// Forgets session `id` if its owner is still `owner` (the stream ended).
    pub(crate) fn remove(&self, id: &str, owner: &str) {
        let mut live = self.live();
        if live
            .sessions
            .get(id)
            .is_some_and(|entry| entry.owner == owner)
        {
            live.forget(id);
        }
    }

    /// The connection of session `id`, if `presented` is its owner's secret.
    pub(crate) fn connection(
        &self,
        id: &str,
        presented: Option<&str>,
    ) -> Result<Addr<Connection>, Lookup> {
        let live = self.live();
        let entry = live.sessions.get(id).ok_or(Lookup::Unknown)?;
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
    use super::*;

    const CAPS: Caps = Caps {
        total: 4,
        per_client: 2,
    };

    #[test]
    fn one_client_gets_its_share_and_gets_it_back() {
        let sessions = Sessions::default();
        let (a, b) = ("10.0.0.1".parse().ok(), "10.0.0.2".parse().ok());
        let first = sessions.reserve("a1", a, CAPS).expect("first");
        sessions.reserve("a2", a, CAPS).expect("second");
        assert_eq!(sessions.reserve("a3", a, CAPS), Err(Refusal::ClientFull));
        sessions.reserve("b1", b, CAPS).expect("another client");
        sessions.reserve("n1", None, CAPS).expect("unknown address");
        assert_eq!(sessions.reserve("b2", b, CAPS), Err(Refusal::Full));
        sessions.remove("a1", &first);
        sessions.reserve("a3", a, CAPS).expect("a slot came back");
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"ab"));
    }
}
