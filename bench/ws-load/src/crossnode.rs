//! `--mode crossnode`: broadcast latency across nodes. `--conns` connections mount the chat of
//! `--page` (node B; with `--spread`, every other one mounts `--publish`'s instead, node A) and
//! wait; one more on `--publish` (node A) posts `--events` messages, one at a time (after
//! `--warm` untimed ones). For each message: the time from sending the event on A to each
//! subscriber of B receiving its update (`remote`), and to the last of all subscribers receiving
//! it (`all`). Prints HDR percentiles of both, in µs.

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use serde_json::json;
use tokio::sync::mpsc;

use crate::{
    args::Args,
    modes::quantiles,
    page,
    session::{Session, Target},
};

/// How long one message may take to reach every subscriber.
const PATIENCE: Duration = Duration::from_secs(10);

pub(crate) async fn crossnode(args: &Args, to: &Target) -> Result<(), String> {
    let url = args
        .publish
        .as_ref()
        .ok_or("--mode crossnode needs --publish (the page of node A)")?;
    let from = Target {
        page: url.clone(),
        view: page::load(url).await?,
        protocol: args.protocol,
    };
    let mut publisher = Session::open(&from).await?;
    let (received, mut deliveries) = mpsc::unbounded_channel::<(bool, Instant)>();
    for index in 0..args.conns {
        let remote = !args.spread || index % 2 == 0;
        let mut session = Session::open(if remote { to } else { &from }).await?;
        let received = received.clone();
        tokio::spawn(async move {
            while let Ok(frame) = session.next_frame().await {
                let update = frame["type"] == "patch" || frame["type"] == "html_update";
                if update && received.send((remote, Instant::now())).is_err() {
                    break;
                }
            }
        });
    }
    drop(received);
    let histogram = || Histogram::<u64>::new(3).expect("histogram");
    let (mut remote_h, mut all_h) = (histogram(), histogram());
    for number in 0..args.warm + args.events {
        let started = Instant::now();
        let body = json!({ "body": format!("message {number}") });
        publisher.round_trip("send", &body, number + 1).await?;
        let mut last = started;
        for _ in 0..args.conns {
            let (remote, at) = tokio::time::timeout(PATIENCE, deliveries.recv())
                .await
                .map_err(|_| format!("message {number} did not reach every subscriber"))?
                .ok_or("the subscribers' connections closed")?;
            let micros = at.duration_since(started).as_micros() as u64;
            if number >= args.warm && remote {
                remote_h.record(micros).map_err(|error| error.to_string())?;
            }
            last = last.max(at);
        }
        if number >= args.warm {
            let micros = last.duration_since(started).as_micros() as u64;
            all_h.record(micros).map_err(|error| error.to_string())?;
        }
    }
    println!(
        "crossnode subscribers {} spread {} messages {} remote {} | all {}",
        args.conns,
        args.spread,
        args.events,
        quantiles(&remote_h),
        quantiles(&all_h)
    );
    Ok(())
}
