//! The example server process: start (wait until it answers), kill; and reading its page.

use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

use djust_core::page_scan::first_view_container;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A running server process.
#[derive(Debug)]
pub(crate) struct Server {
    child: Child,
}

impl Server {
    /// Starts `bin` on `port` with a fixed secret (tokens survive the restart) and waits until
    /// `GET /` answers.
    pub(crate) async fn start(bin: &str, port: u16) -> Result<Self, String> {
        let child = Command::new(bin)
            .env("PORT", port.to_string())
            .env("RUST_LOG", "warn")
            .env("DJUST_SECRET", "restart-check-secret-restart-check-secret")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|error| format!("start {bin}: {error}"))?;
        let mut server = Self { child };
        for _ in 0..600 {
            if get(port, "/")
                .await
                .is_ok_and(|page| page.starts_with("HTTP/1.1 200"))
            {
                return Ok(server);
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!("the server exited: {status}"));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        server.kill().await;
        Err("the server did not answer".into())
    }

    /// SIGKILL, and wait for the process.
    pub(crate) async fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port free on 127.0.0.1 (the OS picks it).
pub(crate) fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// `GET path` over HTTP/1.1 with `Connection: close`; the whole response.
pub(crate) async fn get(port: u16, path: &str) -> Result<String, String> {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .map_err(|error| error.to_string())?;
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
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

/// What a client needs to mount the page's first view.
#[derive(Debug, Clone)]
pub(crate) struct View {
    pub(crate) target: String,
    pub(crate) name: String,
    pub(crate) token: String,
    pub(crate) path: String,
}

/// Reads the first view container of `path`.
pub(crate) async fn load_view(port: u16, path: &str) -> Result<View, String> {
    let html = get(port, path).await?;
    let container = first_view_container(&html)?;
    Ok(View {
        target: container.id,
        name: container.view,
        token: container.token.ok_or("the container has no dj-token")?,
        path: path.to_owned(),
    })
}
