//! The example server: counter, a 1,000-row keyed table, a chat, a shared tally and a slow page.
//!
//! Run with `cargo run -p djust-example`; it serves on <http://127.0.0.1:8000> (`PORT` overrides,
//! `DJUST_SECRET` sets the signing secret (required by a release build; a debug build generates
//! a development secret into `examples/djust-example/.dev-secret` on first run, so that pages
//! reconnect across restarts), `DJUST_ALLOWED_HOSTS` adds comma-separated hosts to `127.0.0.1`
//! and `localhost`, `DJUST_EXAMPLE_RELEASE` the release shown in the footer (it is part of the
//! layout, so changing it changes the shell version), `DJUST_REDIS_URL` (`redis://host:port/`)
//! runs topics and view sessions on Redis so that several processes serve one site,
//! `DJUST_RATE_LIMIT=off` lifts djust's per-connection frame rate limit (the benchmarks'
//! closed loops go far over it), `RUST_LOG`
//! the log level).
//! `/metrics` serves djust's metrics in the Prometheus format.

mod secret;

use actix_web::{
    middleware::{from_fn, Logger},
    App, HttpServer,
};
use djust_actix::{DjustConfig, MainOnly};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::init_from_env(env_logger::Env::default().default_filter_or("info"));
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port
            .parse()
            .map_err(|_| std::io::Error::other(format!("PORT={port} is not a port number")))?,
        Err(_) => 8000,
    };
    let secret = secret::load().map_err(|error| {
        log::error!("{error}");
        error
    })?;
    let mut config = rate_limit(allowed_hosts(DjustConfig::new().secret(secret)));
    if let Ok(url) = std::env::var("DJUST_REDIS_URL") {
        // More than one node: topics and view sessions go through Redis (README).
        let pubsub = djust_actix::PubSub::redis(&url).map_err(std::io::Error::other)?;
        log::info!(
            "pub/sub and view sessions on {url} (node {})",
            pubsub.node()
        );
        config = config.pubsub(pubsub);
    }
    let djust = djust_example::routes(config);
    let metrics = djust_actix::prometheus::install().map_err(std::io::Error::other)?;
    log::info!("serving on http://127.0.0.1:{port}");
    HttpServer::new(move || {
        // MainOnly trims the page the handler (and the /slow/ delay) produced; with
        // `Compress`, it would go inside it (see `djust_actix::MainOnly`).
        App::new()
            .wrap(from_fn(djust_example::slow::delay_slow_page))
            .wrap(MainOnly)
            .wrap(Logger::new("%r %s %Dms"))
            .configure(|cfg| djust_actix::prometheus::configure(cfg, "/metrics", &metrics))
            .configure(djust_example::accounts::configure)
            .configure(djust_example::redirects::configure)
            .configure(djust_example::downloads::configure)
            .configure(|cfg| djust.configure(cfg))
    })
    .bind(("127.0.0.1", port))?
    .run()
    .await
}

/// The hosts the example answers for: loopback (it binds 127.0.0.1 only) and
/// `DJUST_ALLOWED_HOSTS` (comma-separated; e.g. the name a tunnel gives it).
fn allowed_hosts(config: DjustConfig) -> DjustConfig {
    let extra = std::env::var("DJUST_ALLOWED_HOSTS").unwrap_or_default();
    let hosts = ["127.0.0.1", "localhost"].into_iter().map(str::to_owned);
    let extra = extra
        .split(',')
        .map(str::trim)
        .filter(|host| !host.is_empty());
    hosts
        .chain(extra.map(str::to_owned))
        .fold(config, DjustConfig::allowed_host)
}

/// djust's rate limit (on by default), lifted by `DJUST_RATE_LIMIT=off`.
fn rate_limit(config: DjustConfig) -> DjustConfig {
    match std::env::var("DJUST_RATE_LIMIT").as_deref() {
        Ok("off") => config.without_rate_limit(),
        _ => config,
    }
}
