//! `--mode http`: keep-alive HTTP/1.1 GETs of the page in a closed loop on `--conns`
//! connections (what `wrk -c N` does, without needing wrk).

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};

use crate::{args::Args, modes::quantiles, page::split_url};

/// Runs the load and prints req/s, percentiles and the body size.
pub(crate) async fn run(args: &Args) -> Result<(), String> {
    let (host, path) = split_url(&args.page)?;
    let extra = args
        .header
        .as_ref()
        .map_or_else(String::new, |header| format!("{header}\r\n"));
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n");
    let window = Duration::from_secs(args.secs);
    let mut tasks = Vec::new();
    for _ in 0..args.conns {
        let (host, request) = (host.clone(), request.clone());
        tasks.push(tokio::spawn(async move {
            client(&host, &request, window).await
        }));
    }
    let mut total = Histogram::<u64>::new(3).map_err(|error| error.to_string())?;
    let mut bytes = 0;
    for task in tasks {
        let (histogram, body) = task.await.map_err(|error| error.to_string())??;
        total.add(&histogram).map_err(|error| error.to_string())?;
        bytes = body;
    }
    println!(
        "mode http conns {} requests {} rate {:.0}/s body_bytes {bytes} {}",
        args.conns,
        total.len(),
        total.len() as f64 / args.secs as f64,
        quantiles(&total)
    );
    Ok(())
}

/// One connection's closed loop; returns its histogram (µs) and the last body's length.
async fn client(
    host: &str,
    request: &str,
    window: Duration,
) -> Result<(Histogram<u64>, usize), String> {
    let stream = TcpStream::connect(host)
        .await
        .map_err(|error| format!("connect {host}: {error}"))?;
    stream
        .set_nodelay(true)
        .map_err(|error| error.to_string())?;
    let mut stream = BufReader::new(stream);
    let mut histogram = Histogram::<u64>::new(3).map_err(|error| error.to_string())?;
    let mut body = Vec::new();
    // One warm-up request, then the timed window.
    get(&mut stream, request, &mut body).await?;
    let deadline = Instant::now() + window;
    while Instant::now() < deadline {
        let started = Instant::now();
        get(&mut stream, request, &mut body).await?;
        histogram
            .record(started.elapsed().as_micros() as u64)
            .map_err(|error| error.to_string())?;
    }
    Ok((histogram, body.len()))
}

/// Sends the request and reads one response (`Content-Length` or chunked) into `body`.
async fn get(
    stream: &mut BufReader<TcpStream>,
    request: &str,
    body: &mut Vec<u8>,
) -> Result<(), String> {
    let error = |error: std::io::Error| error.to_string();
    stream
        .get_mut()
        .write_all(request.as_bytes())
        .await
        .map_err(error)?;
    let mut line = String::new();
    let (mut length, mut chunked, mut status) = (None, false, String::new());
    loop {
        line.clear();
        if stream.read_line(&mut line).await.map_err(error)? == 0 {
            return Err("connection closed".into());
        }
        let header = line.trim_end().to_ascii_lowercase();
        if header.is_empty() {
            break;
        }
        if status.is_empty() {
            status = header.clone();
        } else if let Some(value) = header.strip_prefix("content-length:") {
            length = value.trim().parse::<usize>().ok();
        } else if header.starts_with("transfer-encoding:") && header.contains("chunked") {
            chunked = true;
        }
    }
    if !status.contains(" 200") {
        return Err(format!("HTTP status {status}"));
    }
    body.clear();
    if chunked {
        loop {
            line.clear();
            stream.read_line(&mut line).await.map_err(error)?;
            let size = usize::from_str_radix(line.trim(), 16).map_err(|e| e.to_string())?;
            let start = body.len();
            body.resize(start + size + 2, 0);
            stream.read_exact(&mut body[start..]).await.map_err(error)?;
            body.truncate(start + size);
            if size == 0 {
                return Ok(());
            }
        }
    }
    let length = length.ok_or("no content-length")?;
    body.resize(length, 0);
    stream.read_exact(body).await.map_err(error)?;
    Ok(())
}
