//! The browser session: a random id in an `HttpOnly` cookie, set by the first page a browser
//! gets. State snapshots are signed for it (a snapshot only restores in the browser it was
//! issued to), and the service worker's caches are partitioned by a key derived from it and
//! the `Accept-Language`, so that one user never sees another's cached page.

use djust_core::token::SigningKey;

use crate::support::{cookie_value, random_id};

/// The cookie holding the session id.
pub(crate) const SESSION_COOKIE: &str = "djust_session";

/// The session id in the `Cookie` header among `headers`, if any.
pub(crate) fn from_headers(headers: &[(String, String)]) -> Option<&str> {
    let cookies = headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("cookie"))
        .map(|(_, value)| value.as_str());
    cookie_value(cookies, SESSION_COOKIE).filter(|value| !value.is_empty())
}

/// A fresh, unguessable session id.
pub(crate) fn new_id() -> String {
    random_id(18)
}

/// A `Set-Cookie` value starting a fresh browser session: send it when a user logs in or out,
/// so that the page's cache partition changes and the worker drops the previous user's pages.
pub fn new_session_cookie() -> String {
    set_cookie(&new_id())
}

/// The `Set-Cookie` value for session `id`.
pub(crate) fn set_cookie(id: &str) -> String {
    format!("{SESSION_COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax")
}

/// The cache partition of `session` and `accept_language`: a keyed hash, so that it reveals
/// neither.
pub(crate) fn partition_key(key: &SigningKey, session: &str, accept_language: &str) -> String {
    let mac = key.mac(&[
        b"djust.partition\0",
        session.as_bytes(),
        b"\0",
        accept_language.as_bytes(),
    ]);
    mac.chars().take(22).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cookie: &str) -> Vec<(String, String)> {
        vec![("cookie".to_owned(), cookie.to_owned())]
    }

    #[test]
    fn reads_the_session_cookie() {
        assert_eq!(
            from_headers(&headers("a=1; djust_session=xyz; b=2")),
            Some("xyz")
        );
        assert_eq!(from_headers(&headers("djust_session=")), None);
        assert_eq!(from_headers(&headers("other_djust_session=1")), None);
        assert_eq!(from_headers(&[]), None);
        assert_ne!(new_id(), new_id());
    }

    #[test]
    fn partitions_differ_by_session_and_language() {
        let key = SigningKey::new(vec![1_u8; 32]).unwrap();
        let a = partition_key(&key, "s1", "en");
        assert_eq!(a, partition_key(&key, "s1", "en"));
        assert_ne!(a, partition_key(&key, "s2", "en"));
        assert_ne!(a, partition_key(&key, "s1", "de"));
        assert_eq!(a.len(), 22);
    }
}
