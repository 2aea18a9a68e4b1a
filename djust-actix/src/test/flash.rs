//! The page's flash region as the client keeps it (`client/src/flash.js`): the messages of
//! every frame's `flash`, an unknown or malformed kind shown as `info`, at most five, each gone
//! six seconds (of the test's clock) after it came.

use std::time::Duration;

use djust_core::toolbox::Flash;
use serde_json::Value;

/// How long a message stays (the client's `FLASH.TIMEOUT_MS`).
const SHOWN_FOR: Duration = Duration::from_secs(6);
/// Messages shown at once (`FLASH.MAX_MESSAGES`); the oldest goes first.
const MAX_MESSAGES: usize = 5;
/// The kind a message without a class-name-safe kind is shown as (`FLASH.DEFAULT_KIND`).
const DEFAULT_KIND: &str = "info";

/// The messages shown, oldest first, each with the time it came.
#[derive(Debug, Default)]
pub(super) struct FlashRegion {
    shown: Vec<(Duration, Flash)>,
}

impl FlashRegion {
    /// Shows the messages of a frame's `flash` at `now` (anything else is ignored).
    pub(super) fn show(&mut self, messages: &Value, now: Duration) {
        for entry in messages.as_array().into_iter().flatten() {
            let Some(message) = entry["message"].as_str().filter(|text| !text.is_empty()) else {
                continue;
            };
            let kind = entry["kind"]
                .as_str()
                .filter(|kind| safe_kind(kind))
                .unwrap_or(DEFAULT_KIND);
            let flash = Flash {
                kind: kind.to_owned(),
                message: message.to_owned(),
            };
            self.shown.push((now, flash));
        }
        let over = self.shown.len().saturating_sub(MAX_MESSAGES);
        self.shown.drain(..over);
    }

    /// The messages still shown at `now`, oldest first.
    pub(super) fn current(&self, now: Duration) -> Vec<Flash> {
        self.shown
            .iter()
            .filter(|(since, _)| now < *since + SHOWN_FOR)
            .map(|(_, flash)| flash.clone())
            .collect()
    }
}

/// The client's `FLASH.KIND_PATTERN`: `^[a-z][a-z0-9_-]{0,31}$`.
fn safe_kind(kind: &str) -> bool {
    let mut bytes = kind.bytes();
    bytes.next().is_some_and(|first| first.is_ascii_lowercase())
        && kind.len() <= 32
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shows_at_most_five_for_six_seconds_with_safe_kinds() {
        let mut region = FlashRegion::default();
        region.show(
            &json!([{"kind": "error", "message": "a"}, {"kind": "Bad Kind", "message": "b"},
                {"kind": "info", "message": ""}, "junk"]),
            Duration::ZERO,
        );
        let kinds: Vec<(String, String)> = region
            .current(Duration::ZERO)
            .into_iter()
            .map(|flash| (flash.kind, flash.message))
            .collect();
        assert_eq!(
            kinds,
            [("error".into(), "a".into()), ("info".into(), "b".into())]
        );
        let later = Duration::from_secs(5);
        region.show(
            &json!((1..=4)
                .map(|n| json!({"kind": "info", "message": n.to_string()}))
                .collect::<Vec<_>>()),
            later,
        );
        let messages: Vec<String> = region
            .current(later)
            .into_iter()
            .map(|f| f.message)
            .collect();
        assert_eq!(messages, ["b", "1", "2", "3", "4"], "the oldest went first");
        let gone: Vec<String> = region
            .current(Duration::from_secs(6))
            .into_iter()
            .map(|f| f.message)
            .collect();
        assert_eq!(gone, ["1", "2", "3", "4"], "b's six seconds are over");
        assert!(safe_kind("warn_2-x") && !safe_kind("2x") && !safe_kind(&"a".repeat(33)));
    }
}
