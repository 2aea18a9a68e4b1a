//! A closed tab or a lost network (the TCP connection ends without a WebSocket close frame) is
//! a normal close: the view session waits for a reconnect, and nothing is logged as an error, a
//! warning or a broken stream — at any level.

mod common;

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use common::{app, config, container, Client, TestServer};

/// Every log line of the process.
struct Lines(Mutex<Vec<(log::Level, String)>>);

impl log::Log for Lines {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{}: {}", record.target(), record.args());
        self.0.lock().unwrap().push((record.level(), line));
    }

    fn flush(&self) {}
}

static LINES: Lines = Lines(Mutex::new(Vec::new()));

#[tokio::test]
async fn a_connection_ended_without_a_close_frame_is_a_normal_close() {
    log::set_logger(&LINES).expect("the only logger");
    log::set_max_level(log::LevelFilter::Trace);
    let djust = app(config());
    let watch = djust.clone();
    let server = TestServer::start(djust);
    let page = container(server.addr, "/counter/");
    let mut client = Client::connect(&server).await;
    assert_eq!(client.mount(&page, "/counter/").await["type"], "mount");
    drop(client); // the TCP connection ends: no close frame
    let deadline = Instant::now() + Duration::from_secs(20);
    while watch.parked_view_sessions().sessions == 0 {
        assert!(Instant::now() < deadline, "the server noticed the close");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.stop();
    let lines = LINES.0.lock().unwrap();
    let djust_lines: Vec<_> = lines
        .iter()
        .filter(|(_, line)| line.starts_with("djust"))
        .collect();
    assert!(!djust_lines.is_empty(), "the logger sees djust's lines");
    let bad: Vec<_> = djust_lines
        .iter()
        .filter(|(level, line)| *level <= log::Level::Warn || line.contains("broken"))
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
}
