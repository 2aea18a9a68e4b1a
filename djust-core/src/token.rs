//! Signed view tokens: tie a rendered page to the view it rendered.
//!
//! The page handler puts a token on each view container; the socket's `mount` frame must carry
//! it back. A token is `"<issued_at>.<mac>"` where `mac` is base64url(HMAC-SHA256(key,
//! `"djust.view\0" + view + "\0" + path + "\0" + issued_at`)). A token only mounts the view it
//! names at the path it was rendered for, and only until it expires.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;

type HmacSha256 = Hmac<Sha256>;

/// A server secret used to sign tokens (at least 32 bytes).
#[derive(Clone)]
pub struct SigningKey(Vec<u8>);

impl SigningKey {
    /// Wraps a secret; `None` when it is shorter than 32 bytes.
    pub fn new(secret: impl Into<Vec<u8>>) -> Option<Self> {
        let secret = secret.into();
        (secret.len() >= 32).then_some(Self(secret))
    }

    /// Signs `message` and returns the base64url MAC.
    pub fn mac(&self, parts: &[&[u8]]) -> String {
        URL_SAFE_NO_PAD.encode(self.raw_mac(parts))
    }

    fn raw_mac(&self, parts: &[&[u8]]) -> Vec<u8> {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC accepts any key length");
        for part in parts {
            mac.update(part);
        }
        mac.finalize().into_bytes().to_vec()
    }

    /// `true` when `expected_b64` is the MAC of `parts` (constant-time comparison).
    pub fn verify(&self, parts: &[&[u8]], expected_b64: &str) -> bool {
        let Ok(expected) = URL_SAFE_NO_PAD.decode(expected_b64) else {
            return false;
        };
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC accepts any key length");
        for part in parts {
            mac.update(part);
        }
        mac.verify_slice(&expected).is_ok()
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
    let mac = key.mac(&token_parts(view, path, &issued));
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
    if !key.verify(&token_parts(view, path, issued), mac) {
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
