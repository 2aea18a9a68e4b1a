//! Command-line arguments of `ws-load`.

use clap::{Parser, ValueEnum};

/// Which server's wire protocol to speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Protocol {
    /// Ours (`docs/protocol.md`): mount with target and signed token.
    Ours,
    /// djust 1.2.6: mount by dotted view path; events carry no target.
    Djust,
    /// dioxus-liveview 0.7: the app starts on connect (`<page>ws`) with binary edits; an event
    /// is a `user_event` click on element `--event` (its numeric id); no answer to a no-op.
    Dioxus,
}

/// What to measure (see the crate's documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Mode {
    /// Closed loops of events on every connection: round-trip percentiles and rate.
    Latency,
    /// Mounted connections held open: the server's RSS per connection.
    Hold,
    /// Connect + mount, one connection after the other.
    Mount,
    /// Keep-alive GETs of the page in closed loops.
    Http,
    /// R1: open, mount, events, close; repeated.
    Churn,
    /// R2: many connections at a steady event rate.
    Soak,
    /// R3: events whose answers are never read.
    Slow,
    /// R4: mounted connections that go silent.
    Halfopen,
    /// R6: malformed frames.
    Malformed,
    /// R7: every connect + mount started at once.
    Storm,
    /// R8: answer bytes per request byte of a `mount_batch` and a `request_html` flood.
    Amplify,
    /// R9: an innocent client's round trip while other connections queue expensive events.
    Fairness,
    /// Broadcast latency across nodes (`--publish`: the page of the publishing node).
    Crossnode,
}

/// A WebSocket load generator speaking the djust protocol.
#[derive(Debug, Clone, Parser)]
#[command(name = "ws-load")]
pub(crate) struct Args {
    /// The page whose first live view is mounted (`http://host:port/path`).
    #[arg(long)]
    pub(crate) page: String,
    /// Which server's wire protocol to speak.
    #[arg(long, value_enum, default_value_t = Protocol::Ours)]
    pub(crate) protocol: Protocol,
    /// What to measure.
    #[arg(long, value_enum, default_value_t = Mode::Latency)]
    pub(crate) mode: Mode,
    /// Connections.
    #[arg(long, default_value_t = 1)]
    pub(crate) conns: usize,
    /// Length of the measuring window, in seconds.
    #[arg(long, default_value_t = 3)]
    pub(crate) secs: u64,
    /// The event sent in the closed loop.
    #[arg(long, default_value = "increment")]
    pub(crate) event: String,
    /// The event's `params` (a JSON object).
    #[arg(long, default_value = "{}", value_parser = json_object)]
    pub(crate) params: serde_json::Value,
    /// An event sent once on each connection after mount (e.g. `create` to fill a table).
    #[arg(long)]
    pub(crate) setup: Option<String>,
    /// Events sent on each connection before measuring (not timed).
    #[arg(long, default_value_t = 2)]
    pub(crate) warm: u64,
    /// The server's process id (to read its memory and open files).
    #[arg(long)]
    pub(crate) pid: Option<u32>,
    /// An extra request header for `--mode http` (`'Name: value'`).
    #[arg(long)]
    pub(crate) header: Option<String>,
    /// Open/close cycles of `--mode churn`.
    #[arg(long, default_value_t = 8)]
    pub(crate) cycles: u64,
    /// Events per connection and cycle (`churn`), or sent unread (`slow`).
    #[arg(long, default_value_t = 10)]
    pub(crate) events: u64,
    /// `--mode crossnode`: the chat page of the node that publishes.
    #[arg(long)]
    pub(crate) publish: Option<String>,
    /// `--mode crossnode`: spread the subscribers over both nodes.
    #[arg(long)]
    pub(crate) spread: bool,
    /// Numbers every event (`seq`, from 1) as the browser client does, so that each is
    /// recorded in its view session's ledger (and, with view sessions in Redis, written).
    #[arg(long)]
    pub(crate) seq: bool,
    /// Events per second per connection (`soak`).
    #[arg(long, default_value_t = 2.0)]
    pub(crate) rate: f64,
}

/// Parses `--params`: a JSON object.
fn json_object(text: &str) -> Result<serde_json::Value, String> {
    match serde_json::from_str(text) {
        Ok(value @ serde_json::Value::Object(_)) => Ok(value),
        Ok(_) => Err("a JSON object is expected".into()),
        Err(error) => Err(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Args, clap::Error> {
        Args::try_parse_from(std::iter::once("ws-load").chain(line.split_whitespace()))
    }

    #[test]
    fn reads_flags_and_refuses_unknown_ones() {
        let args =
            parse("--page http://h/rows/ --protocol djust --mode soak --params {\"id\":\"7\"}")
                .expect("valid");
        assert_eq!(args.protocol, Protocol::Djust);
        assert_eq!(args.mode, Mode::Soak);
        assert_eq!(args.params["id"], "7");
        assert_eq!((args.conns, args.secs, args.warm), (1, 3, 2), "defaults");
        assert!(parse("--page http://h/ --mode nope").is_err());
        assert!(parse("--page http://h/ --params [1]").is_err());
        assert!(parse("--conns 3").is_err(), "--page is required");
    }

    #[test]
    fn the_definition_is_consistent() {
        use clap::CommandFactory;
        Args::command().debug_assert();
    }
}
