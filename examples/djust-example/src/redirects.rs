//! Pages that moved: `/old-counter/` answers `301 Moved Permanently` to `/counter/` (a live
//! page reached through a redirect, as the instant shell must handle it).

use actix_web::{http::header, web, HttpResponse};

/// Registers the redirects.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/old-counter/", web::get().to(old_counter));
}

async fn old_counter() -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, "/counter/"))
        .finish()
}
