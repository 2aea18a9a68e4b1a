//! [`VdomCacheConfig`]: how long and how many rendered pages the service worker keeps for
//! back-navigation. Built by a `const fn`, so a value out of range is a compile error when the
//! config is a `const` (djust's checks C301/C302 ran at start-up instead).

/// The smallest allowed TTL, in seconds.
pub const MIN_TTL_SECS: u32 = 1;
/// The largest allowed TTL, in seconds (one day).
pub const MAX_TTL_SECS: u32 = 86_400;
/// The smallest allowed number of cached pages.
pub const MIN_ENTRIES: u32 = 1;
/// The largest allowed number of cached pages.
pub const MAX_ENTRIES: u32 = 10_000;

/// Settings of the VDOM cache: TTL in seconds (1..=86400, default 300) and the most pages kept
/// (1..=10000, default 100). The server hands both to the service worker.
///
/// Build it in a `const` so that a bad value stops the build:
///
/// ```
/// use djust_core::cache_config::VdomCacheConfig;
/// const CACHE: VdomCacheConfig = VdomCacheConfig::new(600, 50);
/// assert_eq!(CACHE.ttl_secs(), 600);
/// ```
///
/// ```compile_fail
/// use djust_core::cache_config::VdomCacheConfig;
/// const CACHE: VdomCacheConfig = VdomCacheConfig::new(0, 50); // TTL out of range
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VdomCacheConfig {
    ttl_secs: u32,
    max_entries: u32,
}

impl VdomCacheConfig {
    /// TTL 300 s, 100 pages.
    pub const DEFAULT: Self = Self::new(300, 100);

    /// A config with `ttl_secs` and `max_entries`.
    ///
    /// # Panics
    /// When a value is out of range — at compile time when evaluated in a `const`.
    pub const fn new(ttl_secs: u32, max_entries: u32) -> Self {
        assert!(
            ttl_secs >= MIN_TTL_SECS && ttl_secs <= MAX_TTL_SECS,
            "VDOM cache TTL must be between 1 and 86400 seconds (one day)"
        );
        assert!(
            max_entries >= MIN_ENTRIES && max_entries <= MAX_ENTRIES,
            "VDOM cache max entries must be between 1 and 10000"
        );
        Self {
            ttl_secs,
            max_entries,
        }
    }

    /// Seconds a cached page may be painted after it was stored.
    pub const fn ttl_secs(&self) -> u32 {
        self.ttl_secs
    }

    /// The most pages kept; the least recently used goes first.
    pub const fn max_entries(&self) -> u32 {
        self.max_entries
    }
}

impl Default for VdomCacheConfig {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(VdomCacheConfig::default(), VdomCacheConfig::new(300, 100));
        let low = VdomCacheConfig::new(MIN_TTL_SECS, MIN_ENTRIES);
        let high = VdomCacheConfig::new(MAX_TTL_SECS, MAX_ENTRIES);
        assert_eq!((low.ttl_secs(), low.max_entries()), (1, 1));
        assert_eq!((high.ttl_secs(), high.max_entries()), (86_400, 10_000));
    }

    #[test]
    fn out_of_range_values_panic_at_run_time_too() {
        for (ttl, max) in [(0, 1), (86_401, 1), (1, 0), (1, 10_001)] {
            assert!(std::panic::catch_unwind(|| VdomCacheConfig::new(ttl, max)).is_err());
        }
    }
}
