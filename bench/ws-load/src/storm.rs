//! `--mode storm`: `--conns` connections opened and mounted all at once.

use std::time::{Duration, Instant};

use crate::{
    args::Args,
    session::{Session, Target},
};

/// Starts every connect at the same moment; counts mounted, refused and failed connections,
/// then checks a fresh connection is still served.
pub(crate) async fn storm(args: &Args, to: &Target) -> Result<(), String> {
    let rss0 = crate::rss(args);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(args.conns);
    for _ in 0..args.conns {
        let to = to.clone();
        tasks.push(tokio::spawn(async move {
            let result = tokio::time::timeout(Duration::from_secs(30), Session::open(&to)).await;
            (result, started.elapsed())
        }));
    }
    let (mut mounted, mut refused, mut failed, mut timed_out) = (0, 0, 0, 0);
    let mut last = Duration::ZERO;
    let mut sessions = Vec::new();
    let mut first_error = String::new();
    for task in tasks {
        let (result, at) = task.await.map_err(|error| error.to_string())?;
        last = last.max(at);
        match result {
            Ok(Ok(session)) => {
                mounted += 1;
                sessions.push(session);
            }
            Ok(Err(error)) if error.contains("HTTP error") || error.contains("closed") => {
                refused += 1;
                keep_first(&mut first_error, error);
            }
            Ok(Err(error)) => {
                failed += 1;
                keep_first(&mut first_error, error);
            }
            Err(_) => timed_out += 1,
        }
    }
    let rss_held = crate::rss(args);
    for session in sessions {
        session.close().await;
    }
    let alive = Session::open(to).await.is_ok();
    println!(
        "mode storm conns {} mounted {mounted} refused {refused} failed {failed} \
         timed_out {timed_out} all_done_ms {:.0} rss_before_kib {rss0} rss_held_kib {rss_held} \
         server_serves {} first_error {first_error:?}",
        args.conns,
        last.as_secs_f64() * 1e3,
        u8::from(alive)
    );
    Ok(())
}

/// Keeps the first error message only.
fn keep_first(first: &mut String, error: String) {
    if first.is_empty() {
        *first = error;
    }
}
