//! Command-line arguments of `ws-load`.

/// How to call `ws-load`.
pub(crate) const USAGE: &str = "usage: ws-load --page URL [--conns N] [--secs S] [--event NAME] [--setup NAME] [--mode latency|hold] [--pid PID]";

/// Parsed arguments.
#[derive(Debug)]
pub(crate) struct Args {
    pub(crate) page: String,
    pub(crate) conns: usize,
    pub(crate) secs: u64,
    pub(crate) event: String,
    /// An event sent once on each connection after mount (e.g. `create` to fill a table).
    pub(crate) setup: Option<String>,
    pub(crate) mode: String,
    pub(crate) pid: Option<u32>,
}

impl Args {
    pub(crate) fn parse(mut raw: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut args = Self {
            page: String::new(),
            conns: 1,
            secs: 3,
            event: "increment".into(),
            setup: None,
            mode: "latency".into(),
            pid: None,
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
                "--conns" => args.conns = number()? as usize,
                "--secs" => args.secs = number()?,
                "--event" => args.event = value.clone(),
                "--setup" => args.setup = Some(value.clone()),
                "--mode" if value == "latency" || value == "hold" => args.mode = value.clone(),
                "--pid" => args.pid = Some(number()? as u32),
                _ => return Err(format!("unknown argument {flag} {value}")),
            }
        }
        if args.page.is_empty() {
            return Err("--page is required".into());
        }
        Ok(args)
    }
}
