//! The Rust peer of the benchmark: dioxus-liveview 0.7.10 (the newest stable release) serving
//! the same counter and 1,000-row table as `examples/djust-example`, on axum.
//!
//! `GET /counter/` and `GET /rows/` answer dioxus' page (an empty `#main` and its glue script:
//! dioxus-liveview renders nothing on the server); `/counter/ws` and `/rows/ws` run the apps.
//! Rows behave as ours: `create` builds 1,000 rows with the same xorshift labels,
//! `update_every_10th` toggles `" !!!"`, `swap_rows` swaps rows 1 and 998, `select` marks a row.
//! `ws-load --protocol dioxus` drives it (`bench/ws-load/src/dioxus.rs`).
//!
//! ```text
//! cargo run --release --manifest-path bench/peers/dioxus_app/Cargo.toml -- 18376
//! ```

mod rows;

use axum::{extract::WebSocketUpgrade, response::Html, routing::get, Router};
use dioxus::prelude::*;
use dioxus_liveview::{axum_socket, interpreter_glue, LiveViewPool};

fn counter() -> Element {
    let mut count = use_signal(|| 0_i64);
    rsx! {
        section { class: "counter",
            h1 { "Counter" }
            p { class: "value", "{count}" }
            button { onclick: move |_| count += 1, "+" }
            button { onclick: move |_| count -= 1, "-" }
        }
    }
}

/// dioxus' page for the app whose socket is at `ws`.
fn page(ws: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html><head><title>dioxus peer</title></head>\
         <body><div id=\"main\"></div>{}</body></html>",
        interpreter_glue(ws)
    ))
}

#[tokio::main]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|port| port.parse().ok())
        .unwrap_or(8000);
    let pool = LiveViewPool::new();
    let apps: [(&str, fn() -> Element); 2] = [("counter", counter), ("rows", rows::rows)];
    let mut router = Router::new();
    for (name, app) in apps {
        let ws = format!("/{name}/ws");
        let html = page(&ws);
        let pool = pool.clone();
        router = router
            .route(&format!("/{name}/"), get(move || async move { html }))
            .route(
                &ws,
                get(move |upgrade: WebSocketUpgrade| async move {
                    upgrade.on_upgrade(move |socket| async move {
                        let _ = pool.launch(axum_socket(socket), app).await;
                    })
                }),
            );
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("bind");
    axum::serve(listener, router).await.expect("serve");
}
