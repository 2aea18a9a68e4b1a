//! `--mode fairness` (R9): `--conns` connections each grow the rows table to its cap and queue
//! `--events` expensive events (`--event`, e.g. `swap_rows`) without waiting; a counter
//! connection next to them measures its p99 before and during. Then every attacker's answers
//! are read: `attack_left_ms`, how long after the victim's window the last of them came,
//! shows the attack lasted the whole window (a positive value), and `answered` that each
//! queued event was answered.

use std::time::{Duration, Instant};

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
    let window_ended = Instant::now();
    let mut answered = 0;
    for attacker in &mut attackers {
        answered += drain(attacker, args.events).await;
    }
    let left_ms = window_ended.elapsed().as_millis();
    println!(
        "mode fairness conns {} queued {queued} answered {answered} \
         victim_p99_before_us {before} victim_p99_during_us {during} attack_left_ms {left_ms}",
        attackers.len()
    );
    for attacker in attackers {
        attacker.close().await;
    }
    Ok(())
}

/// Reads the answers to the `events` queued events of `attacker` (refs `100..`); how many came.
async fn drain(attacker: &mut crate::session::Session, events: u64) -> u64 {
    let last = serde_json::json!(100 + events - 1);
    let mut answered = 0;
    while let Ok(Ok(frame)) =
        tokio::time::timeout(Duration::from_secs(60), attacker.next_frame()).await
    {
        if frame["ref"]
            .as_u64()
            .is_some_and(|reference| reference >= 100)
        {
            answered += 1;
        }
        if frame["ref"] == last {
            break;
        }
    }
    answered
}
