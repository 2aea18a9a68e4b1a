//! [`ViewSession`]: a mounted view and what it takes to resume it — its id, the connection it
//! is attached to, its revision, the ring of recent revisions, the ledger of applied client
//! events — and the signed token (`vs`) that names it to the client.

use std::sync::{Arc, Mutex, MutexGuard};

use djust_core::token::SigningKey;

use super::{
    ledger::Ledger,
    ring::{Carried, Ring},
    MountedView, Route,
};

/// A view session as connections and the store share it.
pub(crate) type SharedSession = Arc<Mutex<ViewSession>>;

/// Locks `session` (a panic while holding it leaves it usable: user code runs under
/// `catch_unwind`).
pub(crate) fn lock(session: &SharedSession) -> MutexGuard<'_, ViewSession> {
    session
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A mounted view and its delivery state.
pub(crate) struct ViewSession {
    id: String,
    pub(crate) view: Box<dyn MountedView>,
    route: Route,
    /// The id of the connection the session is attached to (or was, while parked).
    owner: String,
    rev: u64,
    pub(crate) ledger: Ledger,
    pub(crate) ring: Ring,
    /// This node's owner token of the session in Redis, once stored there (see
    /// [`super::remote_store`]).
    pub(crate) remote_owner: Option<String>,
}

impl ViewSession {
    /// The session `id` of `view`, attached to connection `owner`, its handles on `route`.
    pub(crate) fn new(id: String, view: Box<dyn MountedView>, route: Route, owner: &str) -> Self {
        Self {
            id,
            view,
            route,
            owner: owner.to_owned(),
            rev: 0,
            ledger: Ledger::default(),
            ring: Ring::default(),
            remote_owner: None,
        }
    }

    /// The session as another node left it: at revision `rev` with `ledger`, now owned here
    /// under `owner` (its ring is empty: the client gets a full render).
    pub(crate) fn taken_over(mut self, rev: u64, ledger: Ledger, owner: String) -> Self {
        self.rev = rev;
        self.ledger = ledger;
        self.remote_owner = Some(owner);
        self
    }

    /// Its id.
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    /// Where its handles' messages go.
    pub(crate) fn route(&self) -> &Route {
        &self.route
    }

    /// Whether connection `connection` holds the session (a reconnect may have taken it over).
    pub(crate) fn is_owned_by(&self, connection: &str) -> bool {
        self.owner == connection
    }

    /// Connection `connection` now holds the session.
    pub(crate) fn set_owner(&mut self, connection: &str) {
        connection.clone_into(&mut self.owner);
    }

    /// The current revision.
    pub(crate) fn rev(&self) -> u64 {
        self.rev
    }

    /// Records a patch list (`"[]"` when only flash or stream operations changed the page) and
    /// what it `carried` as the next revision; returns it.
    pub(crate) fn patched(&mut self, patches: &str, carried: Carried) -> u64 {
        self.rev += 1;
        self.ring.patches(self.rev, patches, carried);
        self.rev
    }

    /// Records a whole-HTML change as the next revision; returns it.
    pub(crate) fn replaced(&mut self) -> u64 {
        self.rev += 1;
        self.ring.whole(self.rev);
        self.rev
    }

    /// What the session holds in memory, roughly: its kept tree and its ring.
    pub(crate) fn approx_bytes(&self) -> usize {
        self.view.kept_bytes() + self.ring.bytes() + std::mem::size_of::<Self>()
    }

    /// The token naming this session to the client of browser session `browser`.
    pub(crate) fn token(&self, key: &SigningKey, browser: &str) -> String {
        let mac = key.sign(&token_parts(&self.id, self.view.name(), browser));
        format!("{}.{mac}", self.id)
    }
}

impl Drop for ViewSession {
    fn drop(&mut self) {
        self.route.end();
    }
}

/// The session id a `vs` token names, when it verifies for view `view` and browser session
/// `browser`.
pub(crate) fn verify_token<'a>(
    key: &SigningKey,
    token: &'a str,
    view: &str,
    browser: &str,
) -> Option<&'a str> {
    let (id, mac) = token.split_once('.')?;
    key.check(&token_parts(id, view, browser), mac)
        .then_some(id)
}

fn token_parts<'a>(id: &'a str, view: &'a str, browser: &'a str) -> [&'a [u8]; 7] {
    [
        b"djust.view-session\0",
        id.as_bytes(),
        b"\0",
        view.as_bytes(),
        b"\0",
        browser.as_bytes(),
        b"\0",
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_bind_the_view_and_the_browser_session() {
        let key = SigningKey::new(vec![7_u8; 32]).unwrap();
        let mac = key.sign(&token_parts("abc", "app::V", "b1"));
        let token = format!("abc.{mac}");
        assert_eq!(verify_token(&key, &token, "app::V", "b1"), Some("abc"));
        assert_eq!(verify_token(&key, &token, "app::W", "b1"), None);
        assert_eq!(verify_token(&key, &token, "app::V", "b2"), None);
        assert_eq!(verify_token(&key, "abd.x", "app::V", "b1"), None);
        assert_eq!(verify_token(&key, "no-dot", "app::V", "b1"), None);
    }
}
