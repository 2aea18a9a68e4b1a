//! A file download: `/downloads/report.csv` (a navigation that is not a page — the instant
//! shell must leave it to the network).

use actix_web::{http::header, web, HttpResponse};

/// Registers the downloads.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/downloads/report.csv", web::get().to(report));
}

async fn report() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"report.csv\"",
        ))
        .body("page,views\n/counter/,1\n")
}
