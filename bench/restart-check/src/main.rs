//! `restart-check`: the reconnect-storm load check of issue 3 (not a test: it reports).
//!
//! Starts the example server, connects `--clients` WebSocket clients that each mount a view,
//! kills the server (SIGKILL), starts it again on the same port after `--down-ms`, and lets
//! every client reconnect with the browser client's policy (full jitter: attempt n waits a
//! uniform random delay in [500 ms, min(1000·2^(n−1), 30000) ms], at most 10 attempts). It
//! reports how long after the restart all clients were mounted again and how many got an
//! error: an attempt that fails while the new server is up (HTTP error on the upgrade, a close
//! or `error` frame instead of `mount`, a reset) or a client out of attempts. Attempts refused
//! while the server is down are expected and only counted.
//!
//! ```text
//! cargo build --release -p djust-example -p restart-check
//! target/release/restart-check --bin target/release/djust-example --clients 1000
//! ```

mod args;
mod client;
mod server;

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use clap::Parser as _;

use crate::{
    args::Args,
    client::{Outcome, Shared},
    server::Server,
};

#[tokio::main]
async fn main() {
    let args = Args::parse();
    match run(&args).await {
        Ok(clean) => std::process::exit(if clean { 0 } else { 1 }),
        Err(message) => {
            eprintln!("restart-check: {message}");
            std::process::exit(2);
        }
    }
}

async fn run(args: &Args) -> Result<bool, String> {
    let port = match args.port {
        0 => server::free_port()?,
        port => port,
    };
    let mut server = Server::start(&args.bin, port).await?;
    let view = server::load_view(port, &args.page).await?;
    let shared = Arc::new(Shared::new(port, view, args.clients));

    let connect_started = Instant::now();
    let mut tasks = Vec::with_capacity(args.clients);
    for index in 0..args.clients {
        tasks.push(tokio::spawn(client::run(Arc::clone(&shared), index)));
    }
    shared.wait_all_mounted(1, Duration::from_secs(120)).await?;
    println!(
        "connected: {} clients mounted in {:.2} s",
        args.clients,
        connect_started.elapsed().as_secs_f64()
    );

    let killed = Instant::now();
    shared.mark_down();
    server.kill().await;
    tokio::time::sleep(Duration::from_millis(args.down_ms)).await;
    let restarted = Instant::now();
    server = Server::start(&args.bin, port).await?;
    let answering = Instant::now();
    shared.mark_up(answering);
    println!(
        "restart: killed, down {} ms, new process answering {:.2} s after its start",
        args.down_ms,
        (answering - restarted).as_secs_f64()
    );

    let waited = shared.wait_all_mounted(2, Duration::from_secs(180)).await;
    let report = shared.report(killed, answering);
    println!("{report}");
    shared.finish();
    for task in tasks {
        let _ = task.await;
    }
    server.kill().await;
    waited?;
    Ok(report.errors == 0 && report.outcomes.iter().all(|o| *o == Outcome::Back))
}
