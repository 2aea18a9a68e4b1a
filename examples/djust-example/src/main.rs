//! The example server: counter, a 1,000-row keyed table and a chat.
//!
//! Run with `cargo run -p djust-example`; it serves on <http://127.0.0.1:8000> (`PORT` overrides,
//! `DJUST_SECRET` sets the signing secret, `RUST_LOG` the log level).

use actix_web::{middleware::Logger, App, HttpServer};
use djust_actix::DjustConfig;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::init_from_env(env_logger::Env::default().default_filter_or("info"));
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port
            .parse()
            .map_err(|_| std::io::Error::other(format!("PORT={port} is not a port number")))?,
        Err(_) => 8000,
    };
    let mut config = DjustConfig::new();
    if let Ok(secret) = std::env::var("DJUST_SECRET") {
        config = config.secret(secret);
    }
    let djust = djust_example::routes(config);
    log::info!("serving on http://127.0.0.1:{port}");
    HttpServer::new(move || {
        App::new()
            .wrap(Logger::new("%r %s %Dms"))
            .configure(|cfg| djust.configure(cfg))
    })
    .bind(("127.0.0.1", port))?
    .run()
    .await
}
