//! Command-line arguments.

use clap::Parser;

/// The reconnect-storm load check: clients mounted, the server killed and restarted.
#[derive(Debug, Parser)]
#[command(name = "restart-check")]
pub(crate) struct Args {
    /// The example server binary.
    #[arg(long)]
    pub(crate) bin: String,
    /// WebSocket clients, each mounting the page's view.
    #[arg(long, default_value_t = 1000)]
    pub(crate) clients: usize,
    /// The port the server listens on (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub(crate) port: u16,
    /// The page whose view every client mounts.
    #[arg(long, default_value = "/counter/")]
    pub(crate) page: String,
    /// How long the server stays down, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    pub(crate) down_ms: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_flags_with_defaults_and_requires_the_binary() {
        let args = Args::try_parse_from(["restart-check", "--bin", "srv", "--clients", "100"])
            .expect("valid");
        assert_eq!((args.bin.as_str(), args.clients), ("srv", 100));
        assert_eq!(
            (args.port, args.page.as_str(), args.down_ms),
            (0, "/counter/", 1000)
        );
        assert!(Args::try_parse_from(["restart-check", "--clients", "3"]).is_err());
        assert!(Args::try_parse_from(["restart-check", "--bin", "s", "--port", "70000"]).is_err());
    }

    #[test]
    fn the_definition_is_consistent() {
        use clap::CommandFactory;
        Args::command().debug_assert();
    }
}
