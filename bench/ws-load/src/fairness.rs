//! `--mode fairness` (R9): `--conns` connections each grow the rows table to its cap and queue
//! `--events` expensive events (`--event`, e.g. `swap_rows`) without waiting; a counter
//! connection next to them measures its p99 before and during. Reports the figures; whether
//! the innocent client stalls is what the run shows.

use std::time::Duration;

use tokio_tungstenite::tungstenite::Message;

use crate::{abuse::victim_p99, args::Args, modes::open_all, session::Target};

/// Appends that take the table from 1,000 rows to the example's cap (11,000).
const APPENDS: u64 = 10;

pub(crate) async fn fairness(args: &Args, to: &Target) -> Result<(), String> {
    let before = victim_p99(to, Duration::from_secs(1)).await?;
    let (mut attackers, _) = open_all(args, to).await?;
    for attacker in &mut attackers {
        attacker
            .round_trip("create", &serde_json::json!({}), 1)
            .await?;
        for n in 0..APPENDS {
            attacker
                .round_trip("append", &serde_json::json!({}), 2 + n)
                .await?;
        }
    }
    let victim = tokio::spawn({
        let to = to.clone();
        async move { victim_p99(&to, Duration::from_secs(3)).await }
    });
    let mut queued = 0;
    for attacker in &mut attackers {
        for n in 0..args.events {
            let frame = attacker.event_frame(&args.event, &args.params, 100 + n);
            attacker.send(Message::text(frame)).await?;
            queued += 1;
        }
    }
    let during = victim
        .await
        .map_err(|error| error.to_string())?
        .map_or(-1, |p99| p99 as i64);
    println!(
        "mode fairness conns {} queued {queued} victim_p99_before_us {before} \
         victim_p99_during_us {during}",
        attackers.len()
    );
    for attacker in attackers {
        attacker.close().await;
    }
    Ok(())
}
