//! Command-line arguments.

/// How to call `restart-check`.
pub(crate) const USAGE: &str =
    "usage: restart-check --bin PATH [--clients N] [--port P (0: any free port)] [--page /counter/] [--down-ms MS]";

/// Parsed arguments.
#[derive(Debug)]
pub(crate) struct Args {
    /// The example server binary.
    pub(crate) bin: String,
    pub(crate) clients: usize,
    pub(crate) port: u16,
    /// The page whose view every client mounts.
    pub(crate) page: String,
    /// How long the server stays down.
    pub(crate) down_ms: u64,
}

impl Args {
    pub(crate) fn parse(mut raw: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut args = Self {
            bin: String::new(),
            clients: 1000,
            port: 0,
            page: "/counter/".into(),
            down_ms: 1000,
        };
        while let Some(flag) = raw.next() {
            let value = raw.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let number = || {
                value
                    .parse::<u64>()
                    .map_err(|_| format!("{flag}: not a number"))
            };
            match flag.as_str() {
                "--bin" => args.bin = value.clone(),
                "--clients" => args.clients = number()? as usize,
                "--port" => args.port = u16::try_from(number()?).map_err(|_| "--port: too big")?,
                "--page" => args.page = value.clone(),
                "--down-ms" => args.down_ms = number()?,
                _ => return Err(format!("unknown argument {flag}")),
            }
        }
        if args.bin.is_empty() {
            return Err("--bin is required".into());
        }
        Ok(args)
    }
}
