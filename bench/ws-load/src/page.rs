//! Loading a page to find its live view, and reading a process's memory and open files.

use djust_core::page_scan::first_view_container;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What a client mounts: the page's first live view container (djust's has no target nor
/// token: empty; dioxus serves none: all empty).
#[derive(Debug, Clone, Default)]
pub(crate) struct ViewInfo {
    pub(crate) target: String,
    pub(crate) view: String,
    pub(crate) token: String,
}

/// Splits `http://host:port/path` into `(host:port, /path)`.
pub(crate) fn split_url(url: &str) -> Result<(String, String), String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: only http:// URLs are supported"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    Ok((host.to_owned(), format!("/{path}")))
}

/// GETs the page and reads the first `[dj-view]` container's attributes.
pub(crate) async fn load(url: &str) -> Result<ViewInfo, String> {
    let body = get(url).await?;
    let container = first_view_container(&body).map_err(|error| format!("{url}: {error}"))?;
    Ok(ViewInfo {
        target: container.id,
        view: container.view,
        token: container.token.unwrap_or_default(),
    })
}

/// The response to `GET url` (head and body) as text.
pub(crate) async fn get(url: &str) -> Result<String, String> {
    let (host, path) = split_url(url)?;
    let mut stream = tokio::net::TcpStream::connect(&host)
        .await
        .map_err(|error| format!("connect {host}: {error}"))?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|error| error.to_string())?;
    let mut body = Vec::new();
    stream
        .read_to_end(&mut body)
        .await
        .map_err(|error| error.to_string())?;
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// The value of counter `name` (without labels) that the server at `origin` exports at
/// `/metrics` in the Prometheus text format; 0 while it has never been incremented.
pub(crate) async fn counter(origin: &str, name: &str) -> Result<u64, String> {
    let text = get(&format!("{origin}/metrics")).await?;
    if !text.starts_with("HTTP/1.1 200") {
        return Err(format!(
            "{origin}/metrics: {}",
            text.lines().next().unwrap_or("")
        ));
    }
    Ok(text
        .lines()
        .filter_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .filter_map(|value| value.trim().parse::<f64>().ok())
        .map(|value| value as u64)
        .sum())
}

/// The resident set size of process `pid`, in KiB.
pub(crate) fn rss_kib(pid: u32) -> Result<u64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|error| format!("read /proc/{pid}/status: {error}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmRSS line".into())
}

/// How many files process `pid` has open (sockets included).
pub(crate) fn fd_count(pid: u32) -> Result<usize, String> {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(Iterator::count)
        .map_err(|error| format!("read /proc/{pid}/fd: {error}"))
}
