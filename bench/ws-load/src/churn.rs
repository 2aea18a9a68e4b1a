//! Leak checks: `churn` (open, use, close, repeat: memory must reach a plateau) and `soak`
//! (many connections with steady traffic: no errors, flat memory, stable p99).

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use hdrhistogram::Histogram;

use crate::{args::Args, modes::open_all, session::Target};

/// `--mode churn`: `--cycles` × (open `--conns`, `--events` events each, close all).
pub(crate) async fn churn(args: &Args, to: &Target) -> Result<(), String> {
    let (rss0, fds0) = (crate::rss(args), crate::fds(args));
    println!("cycle 0 rss_kib {rss0} fds {fds0}");
    let mut rss = vec![rss0];
    let mut fds_end = fds0;
    for cycle in 1..=args.cycles {
        let (sessions, _) = open_all(args, to).await?;
        let mut open = Vec::with_capacity(sessions.len());
        for mut session in sessions {
            for i in 0..args.events {
                session.round_trip(&args.event, &args.params, i + 1).await?;
            }
            open.push(session);
        }
        for session in open {
            session.close().await;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (now, fds) = (crate::rss(args), crate::fds(args));
        println!("cycle {cycle} rss_kib {now} fds {fds}");
        rss.push(now);
        fds_end = fds;
    }
    // Growth per cycle after the warm-up cycles (3, or fewer in short runs).
    let warm = 3.min(rss.len().saturating_sub(2));
    let tail = &rss[warm..];
    let growth = tail.last().unwrap_or(&0).saturating_sub(tail[0]) as f64
        / (tail.len().saturating_sub(1).max(1)) as f64;
    let worst = tail
        .windows(2)
        .map(|w| w[1].saturating_sub(w[0]))
        .max()
        .unwrap_or(0);
    println!(
        "mode churn cycles {} conns {} growth_kib_per_cycle {growth:.0} worst_cycle_kib {worst} \
         fds_before {fds0} fds_after {fds_end}",
        args.cycles, args.conns
    );
    Ok(())
}

/// `--mode soak`: `--conns` connections each sending `--rate` events/s for `--secs`.
pub(crate) async fn soak(args: &Args, to: &Target) -> Result<(), String> {
    let (sessions, _) = open_all(args, to).await?;
    let window = Arc::new(Mutex::new(new_histogram()?));
    let errors = Arc::new(Mutex::new(0_u64));
    let end = Instant::now() + Duration::from_secs(args.secs);
    let period = Duration::from_secs_f64(1.0 / args.rate.max(0.01));
    for (n, mut session) in sessions.into_iter().enumerate() {
        let (window, errors) = (Arc::clone(&window), Arc::clone(&errors));
        let (event, params) = (args.event.clone(), args.params.clone());
        // Spread the connections over the period.
        let offset = period.mul_f64(n as f64 / args.conns.max(1) as f64);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + offset, period);
            let mut reference = 0;
            while Instant::now() < end {
                ticks.tick().await;
                reference += 1;
                let started = Instant::now();
                match session.round_trip(&event, &params, reference).await {
                    Ok(_) => {
                        let micros = started.elapsed().as_micros() as u64;
                        let mut h = window.lock().unwrap_or_else(|e| e.into_inner());
                        let _ = h.record(micros);
                    }
                    Err(_) => {
                        *errors.lock().unwrap_or_else(|e| e.into_inner()) += 1;
                        return;
                    }
                }
            }
            session.close().await;
        });
    }
    let step = Duration::from_secs((args.secs / 10).clamp(1, 60));
    let mut windows = Vec::new();
    let started = Instant::now();
    while Instant::now() + step / 2 < end {
        tokio::time::sleep(step).await;
        let h = std::mem::replace(
            &mut *window.lock().unwrap_or_else(|e| e.into_inner()),
            new_histogram()?,
        );
        let (t, rss) = (started.elapsed().as_secs_f64(), crate::rss(args));
        println!(
            "t {t:.0}s events {} p99 {}us rss_kib {rss}",
            h.len(),
            h.value_at_quantile(0.99)
        );
        windows.push((t, rss as f64, h));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    // First half against second half: RSS slope (least squares, KiB/min) and p99 drift.
    let (first, second) = windows.split_at(windows.len() / 2);
    let slope = slope(second.iter().map(|w| (w.0, w.1))) * 60.0;
    let p99 = |part: &[(f64, f64, Histogram<u64>)]| {
        let mut all = new_histogram().ok()?;
        part.iter().try_for_each(|w| all.add(&w.2)).ok()?;
        Some(all.value_at_quantile(0.99).max(1))
    };
    let (p99_first, p99_last) = (p99(first).unwrap_or(1), p99(second).unwrap_or(1));
    let errors = *errors.lock().unwrap_or_else(|e| e.into_inner());
    println!(
        "mode soak conns {} secs {} errors {errors} rss_slope_kib_per_min {slope:.0} \
         p99_first_half_us {p99_first} p99_second_half_us {p99_last} p99_drift {:.2}",
        args.conns,
        args.secs,
        p99_last as f64 / p99_first as f64,
    );
    Ok(())
}

/// The least-squares slope of `points` (y per x).
fn slope(points: impl Iterator<Item = (f64, f64)> + Clone) -> f64 {
    let n = points.clone().count() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let (sx, sy) = points
        .clone()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / n, sy / n);
    let (num, den) = points.fold((0.0, 0.0), |(a, b), (x, y)| {
        (a + (x - mx) * (y - my), b + (x - mx) * (x - mx))
    });
    if den == 0.0 {
        0.0
    } else {
        num / den
    }
}

fn new_histogram() -> Result<Histogram<u64>, String> {
    Histogram::<u64>::new(3).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn slope_of_a_line_and_of_a_plateau() {
        let line = [(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)];
        assert!((super::slope(line.into_iter()) - 2.0).abs() < 1e-9);
        let flat = [(0.0, 7.0), (5.0, 7.0)];
        assert_eq!(super::slope(flat.into_iter()), 0.0);
        assert_eq!(super::slope([(1.0, 1.0)].into_iter()), 0.0);
    }
}
