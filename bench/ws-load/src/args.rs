//! Command-line arguments of `ws-load`.

/// How to call `ws-load`.
pub(crate) const USAGE: &str = "\
usage: ws-load --page URL [--protocol ours|djust] [--mode MODE] [--conns N] [--secs S]
               [--event NAME] [--params JSON] [--setup NAME] [--warm N] [--pid PID]
               [--header 'Name: value'] [--cycles N] [--events N] [--rate R]
modes: latency (default), hold, mount, http, churn, soak, slow, halfopen, malformed, storm,
       fairness";

/// Every mode `--mode` accepts.
const MODES: &[&str] = &[
    "latency",
    "hold",
    "mount",
    "http",
    "churn",
    "soak",
    "slow",
    "halfopen",
    "malformed",
    "storm",
    "fairness",
];

/// Which server's wire protocol to speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Protocol {
    /// Ours (`docs/protocol.md`): mount with target and signed token.
    Ours,
    /// djust 1.2.6: mount by dotted view path; events carry no target.
    Djust,
}

/// Parsed arguments.
#[derive(Debug, Clone)]
pub(crate) struct Args {
    pub(crate) page: String,
    pub(crate) protocol: Protocol,
    pub(crate) conns: usize,
    pub(crate) secs: u64,
    pub(crate) event: String,
    /// The event's `params` (a JSON object).
    pub(crate) params: serde_json::Value,
    /// An event sent once on each connection after mount (e.g. `create` to fill a table).
    pub(crate) setup: Option<String>,
    /// Events sent on each connection before measuring (not timed).
    pub(crate) warm: u64,
    pub(crate) mode: String,
    pub(crate) pid: Option<u32>,
    /// An extra request header for `--mode http`.
    pub(crate) header: Option<String>,
    /// Open/close cycles of `--mode churn`.
    pub(crate) cycles: u64,
    /// Events per connection and cycle (`churn`), or sent unread (`slow`).
    pub(crate) events: u64,
    /// Events per second per connection (`soak`).
    pub(crate) rate: f64,
}

impl Args {
    pub(crate) fn parse(mut raw: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut args = Self {
            page: String::new(),
            protocol: Protocol::Ours,
            conns: 1,
            secs: 3,
            event: "increment".into(),
            params: serde_json::json!({}),
            setup: None,
            warm: 2,
            mode: "latency".into(),
            pid: None,
            header: None,
            cycles: 8,
            events: 10,
            rate: 2.0,
        };
        while let Some(flag) = raw.next() {
            let value = raw.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let number = || {
                value
                    .parse::<u64>()
                    .map_err(|_| format!("{flag}: not a number"))
            };
            match flag.as_str() {
                "--page" => args.page = value.clone(),
                "--protocol" => {
                    args.protocol = match value.as_str() {
                        "ours" => Protocol::Ours,
                        "djust" => Protocol::Djust,
                        _ => return Err(format!("--protocol {value}: ours or djust")),
                    }
                }
                "--conns" => args.conns = number()? as usize,
                "--secs" => args.secs = number()?,
                "--event" => args.event = value.clone(),
                "--params" => {
                    args.params = serde_json::from_str(&value)
                        .map_err(|error| format!("--params: {error}"))?;
                }
                "--setup" => args.setup = Some(value.clone()),
                "--warm" => args.warm = number()?,
                "--mode" if MODES.contains(&value.as_str()) => args.mode = value.clone(),
                "--pid" => args.pid = Some(number()? as u32),
                "--header" => args.header = Some(value.clone()),
                "--cycles" => args.cycles = number()?,
                "--events" => args.events = number()?,
                "--rate" => {
                    args.rate = value.parse().map_err(|_| format!("{flag}: not a number"))?;
                }
                _ => return Err(format!("unknown argument {flag} {value}")),
            }
        }
        if args.page.is_empty() {
            return Err("--page is required".into());
        }
        Ok(args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Args, String> {
        Args::parse(line.split_whitespace().map(str::to_owned))
    }

    #[test]
    fn reads_flags_and_refuses_unknown_ones() {
        let args =
            parse("--page http://h/rows/ --protocol djust --mode soak --params {\"id\":\"7\"}")
                .expect("valid");
        assert_eq!(args.protocol, Protocol::Djust);
        assert_eq!(args.mode, "soak");
        assert_eq!(args.params["id"], "7");
        assert!(parse("--page http://h/ --mode nope").is_err());
        assert!(parse("--conns 3").is_err(), "--page is required");
    }
}
