//! The metrics in the Prometheus text format (cargo feature `prometheus`).
//!
//! ```no_run
//! use actix_web::App;
//!
//! let metrics = djust_actix::prometheus::install().expect("no other metrics recorder");
//! let app = App::new().configure(|cfg| djust_actix::prometheus::configure(cfg, "/metrics", &metrics));
//! ```
//!
//! Put the route behind your own access control in production: the labels name your views.

use actix_web::{web, HttpResponse};
pub use metrics_exporter_prometheus::{BuildError, PrometheusHandle};

/// Installs a Prometheus recorder as the process's `metrics` recorder; its handle renders
/// what was recorded.
///
/// # Errors
/// When another recorder is already installed.
pub fn install() -> Result<PrometheusHandle, BuildError> {
    metrics_exporter_prometheus::PrometheusBuilder::new().install_recorder()
}

/// Serves `GET path` with the metrics `handle` renders (`text/plain; version=0.0.4`).
pub fn configure(cfg: &mut web::ServiceConfig, path: &str, handle: &PrometheusHandle) {
    let handle = handle.clone();
    cfg.route(
        path,
        web::get().to(move || {
            let body = handle.render();
            async move {
                HttpResponse::Ok()
                    .content_type("text/plain; version=0.0.4")
                    .body(body)
            }
        }),
    );
}
