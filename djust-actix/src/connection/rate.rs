//! [`RateLimit`]: a token bucket on the frames one client sends (opt-in,
//! [`DjustConfig::rate_limit`](crate::DjustConfig::rate_limit)). A client over the limit is
//! closed with [`close_code::RATE_LIMITED`](crate::close_code::RATE_LIMITED).

use std::time::Instant;

/// Frames per second and burst.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RateLimit {
    per_second: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl RateLimit {
    /// A full bucket of `burst` frames at `now`, refilled at `per_second`.
    pub(crate) fn new(per_second: u32, burst: u32, now: Instant) -> Self {
        let burst = f64::from(burst.max(1));
        Self {
            per_second: f64::from(per_second),
            burst,
            tokens: burst,
            last: now,
        }
    }

    /// Takes one frame's token at `now`; `false` when the client is over the limit.
    pub(crate) fn take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_burst_then_the_rate() {
        let start = Instant::now();
        let mut limit = RateLimit::new(10, 3, start);
        assert!((0..3).all(|_| limit.take(start)));
        assert!(!limit.take(start));
        // 100 ms at 10/s is one more frame, not two.
        let later = start + Duration::from_millis(100);
        assert!(limit.take(later));
        assert!(!limit.take(later));
        // A long pause refills only up to the burst.
        let much_later = later + Duration::from_secs(60);
        assert!((0..3).all(|_| limit.take(much_later)));
        assert!(!limit.take(much_later));
    }
}
