//! Short content hashes that name versions (shell, offline worker).

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

/// The first 8 bytes of the SHA-256 of `parts` (each followed by a 0 byte), as 16 hex digits.
pub(crate) fn short_hash(parts: &[&[u8]]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part);
        hash.update([0]);
    }
    hash.finalize()[..8]
        .iter()
        .fold(String::with_capacity(16), |mut out, byte| {
            let _ = write!(out, "{byte:02x}");
            out
        })
}

#[cfg(test)]
mod tests {
    use super::short_hash;

    #[test]
    fn hashes_are_short_hex_and_separate_parts() {
        let a = short_hash(&[b"ab", b"c"]);
        assert_eq!(a.len(), 16);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, short_hash(&[b"a", b"bc"]));
    }
}
