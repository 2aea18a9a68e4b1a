//! Unguessable ids: connection ids, browser session ids, SSE owner secrets, generated secrets.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};

/// `bytes` random bytes from the OS, as URL-safe base64 without padding.
pub(crate) fn random_id(bytes: usize) -> String {
    URL_SAFE_NO_PAD.encode(random_bytes(bytes))
}

/// `len` random bytes from the OS.
pub(crate) fn random_bytes(len: usize) -> Vec<u8> {
    let mut bytes = vec![0_u8; len];
    getrandom::getrandom(&mut bytes).expect("the OS random source is available");
    bytes
}

#[cfg(test)]
mod tests {
    use super::random_id;

    #[test]
    fn ids_are_url_safe_and_differ() {
        let id = random_id(18);
        assert_eq!(id.len(), 24);
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(id, random_id(18));
    }
}
