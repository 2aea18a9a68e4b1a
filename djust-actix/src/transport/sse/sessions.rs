//! [`SseRegistry`]: the live SSE connections of a server, by the session id in their URL,
//! each with the secret its owner got as a cookie, and how many each client holds.

use std::{
    collections::HashMap,
    net::IpAddr,
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
    /// The client that opened it (`None`: its address is unknown), for the per-client cap.
    client: Option<IpAddr>,
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
pub(crate) enum LookupError {
    /// No live session has that id (never created, or its stream ended).
    Unknown,
    /// The session exists but the request does not carry its owner's secret.
    NotOwner,
}

/// The registry; shared by every worker.
#[derive(Debug, Default)]
pub(crate) struct SseRegistry {
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
        let Some(client) = self.sessions.remove(id).and_then(|entry| entry.client) else {
            return;
        };
        if let Some(count) = self.per_client.get_mut(&client) {
            *count -= 1;
            if *count == 0 {
                self.per_client.remove(&client);
            }
        }
    }
}

impl SseRegistry {
    fn live(&self) -> MutexGuard<'_, Live> {
        // A panic while holding the lock leaves the maps consistent (no panic between their
        // updates).
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
    ) -> Result<String, ReserveError> {
        let mut live = self.live();
        if live.sessions.contains_key(id) {
            return Err(ReserveError::Taken);
        }
        if live.sessions.len() >= caps.total {
            return Err(ReserveError::Full);
        }
        if let Some(client) = client {
            let count = live.per_client.get(&client).copied().unwrap_or(0);
            if count >= caps.per_client {
                return Err(ReserveError::ClientFull);
            }
            live.per_client.insert(client, count + 1);
        }
        let owner = random_id(24);
        let entry = Entry {
            owner: owner.clone(),
            client,
            connection: None,
        };
        live.sessions.insert(id.to_owned(), entry);
        Ok(owner)
    }

    /// Claims session `id` for a reconnecting `EventSource` of its owner: a session still live
    /// (its server side has not noticed the lost stream yet) is taken over when `presented` is
    /// its owner's secret — it gets a new secret and, once [attached](Self::attach), a new
    /// connection; the old connection is returned, to be ended (its `stop` finds itself
    /// replaced and forgets nothing). An ended session is claimed afresh as by
    /// [`reserve`](Self::reserve).
    pub(crate) fn reclaim(
        &self,
        id: &str,
        presented: Option<&str>,
        client: Option<IpAddr>,
        caps: Caps,
    ) -> Result<(String, Option<Addr<ConnectionActor>>), ReserveError> {
        {
            let mut live = self.live();
            if let Some(entry) = live.sessions.get_mut(id) {
                let owner = presented.is_some_and(|presented| {
                    same_secret(presented.as_bytes(), entry.owner.as_bytes())
                });
                if !owner {
                    return Err(ReserveError::Taken);
                }
                entry.owner = random_id(24);
                return Ok((entry.owner.clone(), entry.connection.take()));
            }
        }
        Ok((self.reserve(id, client, caps)?, None))
    }

    /// Gives the reserved session `id` (still owned by `owner`) its connection.
    pub(crate) fn attach(&self, id: &str, owner: &str, connection: Addr<ConnectionActor>) {
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
    ) -> Result<Addr<ConnectionActor>, LookupError> {
        let live = self.live();
        let entry = live.sessions.get(id).ok_or(LookupError::Unknown)?;
        match presented {
            Some(presented) if same_secret(presented.as_bytes(), entry.owner.as_bytes()) => {
                entry.connection.clone().ok_or(LookupError::Unknown)
            }
            _ => Err(LookupError::NotOwner),
        }
    }
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
        let sessions = SseRegistry::default();
        let (a, b) = ("10.0.0.1".parse().ok(), "10.0.0.2".parse().ok());
        let first = sessions.reserve("a1", a, CAPS).expect("first");
        sessions.reserve("a2", a, CAPS).expect("second");
        assert_eq!(
            sessions.reserve("a3", a, CAPS),
            Err(ReserveError::ClientFull)
        );
        sessions.reserve("b1", b, CAPS).expect("another client");
        sessions.reserve("n1", None, CAPS).expect("unknown address");
        assert_eq!(sessions.reserve("b2", b, CAPS), Err(ReserveError::Full));
        sessions.remove("a1", &first);
        sessions.reserve("a3", a, CAPS).expect("a slot came back");
    }

    #[test]
    fn its_owner_takes_a_live_session_over_and_nobody_else() {
        let sessions = SseRegistry::default();
        let client = "10.0.0.1".parse().ok();
        let first = sessions.reserve("s", client, CAPS).expect("first");
        assert_eq!(
            sessions.reclaim("s", Some("guess"), client, CAPS),
            Err(ReserveError::Taken)
        );
        assert_eq!(
            sessions.reclaim("s", None, client, CAPS),
            Err(ReserveError::Taken)
        );
        let (second, _) = sessions
            .reclaim("s", Some(&first), client, CAPS)
            .expect("owner");
        assert_ne!(first, second);
        // The replaced connection's stop leaves the new one alone; the client still holds one.
        sessions.remove("s", &first);
        assert_eq!(
            sessions.connection("s", Some(&second)).err(),
            Some(LookupError::Unknown),
            "kept, waiting for its connection"
        );
        sessions
            .reserve("t", client, CAPS)
            .expect("the client's second");
        assert_eq!(
            sessions.reserve("u", client, CAPS),
            Err(ReserveError::ClientFull)
        );
        sessions.remove("s", &second);
        // An ended session is claimed afresh.
        sessions
            .reclaim("s", Some(&second), client, CAPS)
            .expect("afresh");
    }
}
