//! `ws-load`: a WebSocket load generator that speaks the djust protocol (ours, or djust's own
//! with `--protocol djust`), or dioxus-liveview's (`--protocol dioxus`).
//!
//! It loads a page over HTTP to read its live view container, opens connections to
//! `/ws/live/`, mounts the view on each, and then runs one `--mode`:
//! - `latency` (default): every connection runs a closed loop (send one event, wait for its
//!   answer) for `--secs`; HDR percentiles of the round trip and the event rate;
//! - `hold`: keeps the mounted connections open and prints the server's RSS before and after
//!   (`--pid`), i.e. the memory one mounted connection costs;
//! - `mount`: opens and closes `--conns` connections one after the other; percentiles of
//!   connect + `connect` frame + mount;
//! - `http`: `--conns` keep-alive connections GET the page in a closed loop (req/s);
//! - reliability runs (see `docs/benchmarks.md`): `churn`, `soak`, `slow`, `halfopen`,
//!   `malformed`, `storm`, `amplify`, `fairness`;
//! - `crossnode`: broadcast latency from a node to the subscribers of another (`--publish`).
//!
//! Every mode prints one line of `name value` pairs (the last line for multi-line modes).
//!
//! ```text
//! ws-load --page http://127.0.0.1:8000/counter/ --conns 1 --secs 3 --event increment
//! ws-load --page http://127.0.0.1:8000/counter/ --mode hold --conns 1000 --pid 1234
//! ws-load --page http://127.0.0.1:8765/counter/ --protocol djust --conns 20
//! ```

mod abuse;
mod amplify;
mod args;
mod churn;
mod crossnode;
mod fairness;
mod http;
mod modes;
mod page;
mod session;
mod storm;

use clap::Parser as _;

use crate::{
    args::{Args, Mode, Protocol},
    session::Target,
};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = Args::parse();
    if let Err(message) = run(&args).await {
        eprintln!("ws-load: {message}");
        std::process::exit(1);
    }
}

async fn run(args: &Args) -> Result<(), String> {
    let to = match args.mode {
        Mode::Http => return http::run(args).await,
        _ => Target {
            page: args.page.clone(),
            view: match args.protocol {
                // dioxus serves no container: its app starts when the socket opens.
                Protocol::Dioxus => page::ViewInfo::default(),
                _ => page::load(&args.page).await?,
            },
            protocol: args.protocol,
        },
    };
    match args.mode {
        Mode::Hold => modes::hold(args, &to).await,
        Mode::Mount => modes::mount(args, &to).await,
        Mode::Churn => churn::churn(args, &to).await,
        Mode::Soak => churn::soak(args, &to).await,
        Mode::Slow => abuse::slow(args, &to).await,
        Mode::Halfopen => abuse::halfopen(args, &to).await,
        Mode::Malformed => abuse::malformed(args, &to).await,
        Mode::Storm => storm::storm(args, &to).await,
        Mode::Fairness => fairness::fairness(args, &to).await,
        Mode::Crossnode => crossnode::crossnode(args, &to).await,
        Mode::Amplify => amplify::amplify(args, &to).await,
        Mode::Latency | Mode::Http => modes::latency(args, &to).await,
    }
}

/// The server's RSS in KiB (0 without `--pid`).
pub(crate) fn rss(args: &Args) -> u64 {
    args.pid
        .and_then(|pid| page::rss_kib(pid).ok())
        .unwrap_or(0)
}

/// The server's open files (0 without `--pid`).
pub(crate) fn fds(args: &Args) -> usize {
    args.pid
        .and_then(|pid| page::fd_count(pid).ok())
        .unwrap_or(0)
}
