//! The example server: counter, a 1,000-row keyed table, a chat, a shared tally and a slow page.
//!
//! Run with `cargo run -p djust-example`; it serves on <http://127.0.0.1:8000> (`PORT` overrides,
//! `DJUST_SECRET` sets the signing secret (else a fixed, public development secret, so that
//! pages reconnect across restarts), `DJUST_EXAMPLE_RELEASE` the release shown in the footer
//! (it is part of the layout, so changing it changes the shell version), `RUST_LOG` the log level).
//! `/metrics` serves djust's metrics in the Prometheus format.

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
    let config = DjustConfig::new().secret(secret());
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
            .configure(|cfg| djust.configure(cfg))
    })
    .bind(("127.0.0.1", port))?
    .run()
    .await
}

/// The signing secret: `DJUST_SECRET`, else a fixed development secret, so that view tokens
/// survive a restart of the example (pages reconnect instead of needing a reload).
fn secret() -> String {
    std::env::var("DJUST_SECRET").unwrap_or_else(|_| {
        log::warn!(
            "DJUST_SECRET is not set: using the example's fixed development secret. \
             It is public; never use it in production."
        );
        DEV_SECRET.to_owned()
    })
}

/// The example's development secret (public, in the source: for development only).
const DEV_SECRET: &str = "djust-example-development-secret-not-for-production";
