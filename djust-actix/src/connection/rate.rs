//! [`RateLimit`]: a token bucket on the frames one client sends
//! ([`DjustConfig::rate_limit`](crate::DjustConfig::rate_limit), on by default). A frame over
//! the limit is refused (an `error` frame `rate_limited`); a client that goes on sending while
//! refused — `burst` refused frames in a row — is closed with
//! [`close_code::RATE_LIMITED`](crate::close_code::RATE_LIMITED).

use std::time::Instant;

use djust_core::protocol::{ClientFrame, ErrorFrame};

use super::{close_code, Connection};

impl Connection {
    /// Answers a frame over the rate limit: refused with an `error` frame `rate_limited` (an
    /// event's names its target, event and ref), or the close when the client kept sending.
    pub(super) fn rate_limited(&mut self, verdict: Verdict, frame: Option<&ClientFrame>) {
        if verdict == Verdict::Close {
            log::warn!(
                "djust: {}: kept sending over the rate limit, closing",
                self.id
            );
            return self.close(close_code::RATE_LIMITED, "rate limited");
        }
        let (per_second, _) = self.runtime.config.rate_limit.unwrap_or_default();
        let error = format!("over {per_second} frames per second: refused, send it again later");
        let (target, event, reference) = match frame {
            Some(ClientFrame::Event {
                target,
                event,
                reference,
                ..
            }) => (Some(target.as_str()), Some(event.as_str()), *reference),
            _ => (None, None, None),
        };
        self.send_error(ErrorFrame {
            code: "rate_limited",
            error: &error,
            target,
            event,
            reference,
            recoverable: true,
            ..ErrorFrame::default()
        });
    }
}

/// What the bucket says of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Within the limit: handle it.
    Allowed,
    /// Over the limit: refuse it.
    Refused,
    /// Over the limit again and again: close.
    Close,
}

/// Frames per second and burst.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RateLimit {
    per_second: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
    /// Frames refused since the last one allowed.
    refused: u32,
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
            refused: 0,
        }
    }

    /// Takes one frame's token at `now`.
    pub(crate) fn take(&mut self, now: Instant) -> Verdict {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            self.refused = 0;
            Verdict::Allowed
        } else {
            self.refused += 1;
            if f64::from(self.refused) >= self.burst {
                Verdict::Close
            } else {
                Verdict::Refused
            }
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
        assert!((0..3).all(|_| limit.take(start) == Verdict::Allowed));
        assert_eq!(limit.take(start), Verdict::Refused);
        // 100 ms at 10/s is one more frame, not two.
        let later = start + Duration::from_millis(100);
        assert_eq!(limit.take(later), Verdict::Allowed);
        assert_eq!(limit.take(later), Verdict::Refused);
        // A long pause refills only up to the burst.
        let much_later = later + Duration::from_secs(60);
        assert!((0..3).all(|_| limit.take(much_later) == Verdict::Allowed));
        assert_eq!(limit.take(much_later), Verdict::Refused);
    }

    #[test]
    fn a_client_that_goes_on_while_refused_is_closed() {
        let start = Instant::now();
        let mut limit = RateLimit::new(10, 3, start);
        assert!((0..3).all(|_| limit.take(start) == Verdict::Allowed));
        assert_eq!(limit.take(start), Verdict::Refused);
        assert_eq!(limit.take(start), Verdict::Refused);
        assert_eq!(
            limit.take(start),
            Verdict::Close,
            "the burst-th refusal in a row"
        );
    }
}
