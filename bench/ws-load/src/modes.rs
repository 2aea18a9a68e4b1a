//! The measuring modes: `latency`, `hold` and `mount`.

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

use crate::{
    args::Args,
    session::{Session, Target},
};

/// Opens `args.conns` mounted sessions one after the other, each with its `--setup` event.
pub(crate) async fn open_all(args: &Args, to: &Target) -> Result<(Vec<Session>, f64), String> {
    let started = Instant::now();
    let mut sessions = Vec::with_capacity(args.conns);
    for _ in 0..args.conns {
        let mut session = Session::open(to).await?;
        if args.seq {
            session.number_events();
        }
        if let Some(setup) = &args.setup {
            session.round_trip(setup, &args.params, 0).await?;
        }
        sessions.push(session);
    }
    Ok((sessions, started.elapsed().as_secs_f64() * 1e3))
}

/// Prints the usual quantiles of `h` (µs) after `prefix`.
pub(crate) fn quantiles(h: &Histogram<u64>) -> String {
    format!(
        "p50 {}us p90 {}us p99 {}us p999 {}us max {}us",
        h.value_at_quantile(0.5),
        h.value_at_quantile(0.9),
        h.value_at_quantile(0.99),
        h.value_at_quantile(0.999),
        h.max()
    )
}

/// `--mode hold`: RSS per mounted connection. Prints `holding N` once all are mounted, so that
/// a harness running several of these processes (S9) can measure while all hold.
pub(crate) async fn hold(args: &Args, to: &Target) -> Result<(), String> {
    let before = crate::rss(args);
    let (sessions, connect_ms) = open_all(args, to).await?;
    println!("holding {}", sessions.len());
    std::io::Write::flush(&mut std::io::stdout()).map_err(|error| error.to_string())?;
    tokio::time::sleep(Duration::from_secs(args.secs.max(1))).await;
    let after = crate::rss(args);
    let per_conn = (after.saturating_sub(before)) as f64 / sessions.len().max(1) as f64;
    println!(
        "mode hold conns {} connect_all_ms {connect_ms:.1} rss_before_kib {before} \
         rss_after_kib {after} per_conn_kib {per_conn:.1}",
        sessions.len()
    );
    Ok(())
}

/// `--mode mount`: connect + `connect` frame + mount, one connection at a time.
pub(crate) async fn mount(args: &Args, to: &Target) -> Result<(), String> {
    let mut histogram = Histogram::<u64>::new(3).map_err(|error| error.to_string())?;
    let mut cold = 0;
    for i in 0..args.conns as u64 + args.warm {
        let started = Instant::now();
        let session = Session::open(to).await?;
        let micros = started.elapsed().as_micros() as u64;
        if i == 0 {
            cold = micros;
        }
        if i >= args.warm {
            histogram
                .record(micros)
                .map_err(|error| error.to_string())?;
        }
        session.close().await;
    }
    println!(
        "mode mount conns {} first_us {cold} {}",
        histogram.len(),
        quantiles(&histogram)
    );
    Ok(())
}

/// `--mode latency`: closed loops on every connection for `--secs`; also the bytes of an event
/// frame and the bytes received per event (S11).
pub(crate) async fn latency(args: &Args, to: &Target) -> Result<(), String> {
    let (sessions, connect_ms) = open_all(args, to).await?;
    let mount_bytes = sessions.first().map_or(0, |session| session.mount_bytes);
    let window = Duration::from_secs(args.secs);
    let mut tasks = Vec::new();
    for session in sessions {
        let (event, params, warm) = (args.event.clone(), args.params.clone(), args.warm);
        tasks.push(tokio::spawn(async move {
            session.closed_loop(&event, &params, warm, window).await
        }));
    }
    let mut total = Histogram::<u64>::new(3).map_err(|error| error.to_string())?;
    let mut frames = std::collections::BTreeMap::<String, u64>::new();
    let (mut event_bytes, mut received) = (0, 0);
    for task in tasks {
        let stats = task.await.map_err(|error| error.to_string())??;
        total
            .add(&stats.histogram)
            .map_err(|error| error.to_string())?;
        for (kind, count) in stats.kinds {
            *frames.entry(kind).or_default() += count;
        }
        event_bytes = stats.event_bytes;
        received += stats.received_bytes;
    }
    let rate = total.len() as f64 / args.secs as f64;
    let answer_bytes = received as f64 / total.len().max(1) as f64;
    println!(
        "mode latency conns {} connect_all_ms {connect_ms:.1} events {} rate {rate:.0}/s {} \
         mount_bytes {mount_bytes} event_bytes {event_bytes} answer_bytes {answer_bytes:.0} \
         answers {frames:?}",
        args.conns,
        total.len(),
        quantiles(&total),
    );
    Ok(())
}
