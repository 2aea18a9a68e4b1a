//! Signed view tokens: tie a rendered page to the view it rendered.
//!
//! The page handler puts a token on each view container; the socket's `mount` frame must carry
//! it back. A token is `"<issued_at>.<key id>~<mac>"` where `mac` is base64url(HMAC-SHA256(key,
//! `"djust.view\0" + view + "\0" + path + "\0" + issued_at`)) (see [`SigningKey`] for the key id). A token only mounts the view it
//! names at the path it was rendered for, and only until it expires.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fmt;

type HmacSha256 = Hmac<Sha256>;

/// Separates a key id from the MAC in signed values: `<key id>~<mac>`.
const KEY_ID_SEPARATOR: char = '~';
/// Characters of a key id.
pub const KEY_ID_LEN: usize = 8;

/// The server's signing secrets (each at least 32 bytes): the first signs, every one verifies,
/// so a fleet rotates its secret by adding the new one first and dropping the old one once
/// what it signed has expired.
///
/// [`SigningKey::sign`] tags its MAC with the signing key's id (`<key id>~<mac>`: 8 characters
/// of base64url of SHA-256 over `"djust.key-id\0" + secret`, which reveals nothing of the
/// secret); [`SigningKey::check`] verifies with the key that id names (an untagged MAC, from
/// before key ids, with any key).
#[derive(Clone)]
pub struct SigningKey(Vec<Key>);

#[derive(Clone)]
struct Key {
    id: String,
    /// The HMAC keyed with the secret, before any input: cloned for each MAC, so that the
    /// key schedule (two SHA-256 blocks) is computed once, not per MAC.
    keyed: HmacSha256,
}

impl Key {
    fn new(secret: Vec<u8>) -> Option<Self> {
        if secret.len() < 32 {
            return None;
        }
        let digest = Sha256::new()
            .chain_update(b"djust.key-id\0")
            .chain_update(&secret)
            .finalize();
        let mut id = URL_SAFE_NO_PAD.encode(digest);
        id.truncate(KEY_ID_LEN);
        let keyed = HmacSha256::new_from_slice(&secret).expect("HMAC accepts any key length");
        Some(Self { id, keyed })
    }

    fn hmac(&self, parts: &[&[u8]]) -> HmacSha256 {
        let mut mac = self.keyed.clone();
        for part in parts {
            mac.update(part);
        }
        mac
    }

    fn verify(&self, parts: &[&[u8]], expected_b64: &str) -> bool {
        let Ok(expected) = URL_SAFE_NO_PAD.decode(expected_b64) else {
            return false;
        };
        self.hmac(parts).verify_slice(&expected).is_ok()
    }
}

impl SigningKey {
    /// Wraps a secret; `None` when it is shorter than 32 bytes.
    pub fn new(secret: impl Into<Vec<u8>>) -> Option<Self> {
        Key::new(secret.into()).map(|key| Self(vec![key]))
    }

    /// Also verifies (never signs) with `secret`, an earlier one; `None` when it is shorter
    /// than 32 bytes.
    pub fn with_previous(mut self, secret: impl Into<Vec<u8>>) -> Option<Self> {
        self.0.push(Key::new(secret.into())?);
        Some(self)
    }

    /// The id of the key that signs.
    pub fn key_id(&self) -> &str {
        &self.0[0].id
    }

    /// The base64url MAC of `parts` with the signing key, untagged (for keyed hashes that are
    /// never verified, e.g. cache partitions).
    pub fn mac(&self, parts: &[&[u8]]) -> String {
        URL_SAFE_NO_PAD.encode(self.0[0].hmac(parts).finalize().into_bytes())
    }

    /// `<key id>~<mac>`: the MAC of `parts` with the signing key, tagged with its id.
    pub fn sign(&self, parts: &[&[u8]]) -> String {
        format!("{}{KEY_ID_SEPARATOR}{}", self.key_id(), self.mac(parts))
    }

    /// `true` when `tagged` is the [`SigningKey::sign`] of `parts` by one of the keys
    /// (constant-time comparison).
    pub fn check(&self, parts: &[&[u8]], tagged: &str) -> bool {
        match tagged.split_once(KEY_ID_SEPARATOR) {
            Some((id, mac)) => self
                .0
                .iter()
                .find(|key| key.id == id)
                .is_some_and(|key| key.verify(parts, mac)),
            None => self.0.iter().any(|key| key.verify(parts, tagged)),
        }
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(..)")
    }
}

/// Why a view token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not of the form `<issued_at>.<mac>`.
    Malformed,
    /// The MAC does not match this view and path.
    BadSignature,
    /// Older than the allowed age (or issued in the future).
    Expired,
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Malformed => "malformed view token",
            Self::BadSignature => "view token does not match this view and page",
            Self::Expired => "view token expired; reload the page",
        })
    }
}

impl std::error::Error for TokenError {}

fn token_parts<'a>(view: &'a str, path: &'a str, issued: &'a str) -> [&'a [u8]; 6] {
    [
        b"djust.view\0",
        view.as_bytes(),
        b"\0",
        path.as_bytes(),
        b"\0",
        issued.as_bytes(),
    ]
}

/// Signs a token for `view` rendered at `path` at unix time `issued_at`.
pub fn sign_view_token(key: &SigningKey, view: &str, path: &str, issued_at: u64) -> String {
    let issued = issued_at.to_string();
    let mac = key.sign(&token_parts(view, path, &issued));
    format!("{issued}.{mac}")
}

/// Checks a token for `view` at `path`, at unix time `now`, accepting tokens up to `max_age_secs` old.
pub fn verify_view_token(
    key: &SigningKey,
    token: &str,
    view: &str,
    path: &str,
    now: u64,
    max_age_secs: u64,
) -> Result<(), TokenError> {
    let (issued, mac) = token.split_once('.').ok_or(TokenError::Malformed)?;
    let issued_at: u64 = issued.parse().map_err(|_| TokenError::Malformed)?;
    if !key.check(&token_parts(view, path, issued), mac) {
        return Err(TokenError::BadSignature);
    }
    if issued_at > now.saturating_add(60) || now.saturating_sub(issued_at) > max_age_secs {
        return Err(TokenError::Expired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::new(vec![7_u8; 32]).unwrap()
    }

    #[test]
    fn rotated_keys_verify_what_earlier_keys_signed() {
        let old = key();
        let token = sign_view_token(&old, "app::V", "/", 1000);
        let rotated = SigningKey::new(vec![8_u8; 32])
            .unwrap()
            .with_previous(vec![7_u8; 32])
            .unwrap();
        assert_eq!(
            verify_view_token(&rotated, &token, "app::V", "/", 1000, 60),
            Ok(())
        );
        let fresh = sign_view_token(&rotated, "app::V", "/", 1000);
        assert!(fresh.contains(&format!(".{}~", rotated.key_id())));
        assert_ne!(rotated.key_id(), old.key_id());
        assert_eq!(
            verify_view_token(&old, &fresh, "app::V", "/", 1000, 60),
            Err(TokenError::BadSignature),
            "the old key alone does not know the new one"
        );
        // An id naming no key, or a MAC of another key under a known id, is refused.
        let forged = fresh.replace(rotated.key_id(), old.key_id());
        assert_eq!(
            verify_view_token(&rotated, &forged, "app::V", "/", 1000, 60),
            Err(TokenError::BadSignature)
        );
        // A MAC from before key ids (untagged) still verifies with any key.
        let untagged = format!("1000.{}", old.mac(&token_parts("app::V", "/", "1000")));
        assert_eq!(
            verify_view_token(&rotated, &untagged, "app::V", "/", 1000, 60),
            Ok(())
        );
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(SigningKey::new(vec![1_u8; 31]).is_none());
    }

    #[test]
    fn round_trip() {
        let token = sign_view_token(&key(), "app::Counter", "/counter/", 1000);
        assert_eq!(
            verify_view_token(&key(), &token, "app::Counter", "/counter/", 1010, 3600),
            Ok(())
        );
    }

    #[test]
    fn bound_to_view_path_and_key() {
        let token = sign_view_token(&key(), "app::Counter", "/counter/", 1000);
        let check = |view, path| verify_view_token(&key(), &token, view, path, 1000, 3600);
        assert_eq!(
            check("app::Rows", "/counter/"),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            check("app::Counter", "/rows/"),
            Err(TokenError::BadSignature)
        );
        let other = SigningKey::new(vec![8_u8; 32]).unwrap();
        assert_eq!(
            verify_view_token(&other, &token, "app::Counter", "/counter/", 1000, 3600),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn tampered_and_malformed_tokens_fail() {
        let token = sign_view_token(&key(), "v", "/", 1000);
        let forged = token.replacen("1000", "1001", 1);
        assert_eq!(
            verify_view_token(&key(), &forged, "v", "/", 1000, 3600),
            Err(TokenError::BadSignature)
        );
        for bad in ["", "abc", "x.y", "1000.", "1000.!!!"] {
            assert_ne!(verify_view_token(&key(), bad, "v", "/", 1000, 3600), Ok(()));
        }
    }

    #[test]
    fn expires() {
        let token = sign_view_token(&key(), "v", "/", 1000);
        assert_eq!(
            verify_view_token(&key(), &token, "v", "/", 5000, 3600),
            Err(TokenError::Expired)
        );
    }
}
