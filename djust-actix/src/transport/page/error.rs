//! Errors of the page handler, turned into HTTP error pages: in development (with
//! `DjustConfig::error_details`) a page with the error, the view and the path; in production a
//! plain 500 page without details. The error is logged either way.

use std::fmt;

use actix_web::{
    http::{header, StatusCode},
    HttpResponse, ResponseError,
};

use crate::{support::escape, view::Failure};

/// Why a page could not be rendered.
#[derive(Debug)]
pub(crate) struct PageError {
    view: &'static str,
    path: String,
    cause: Failure,
    /// Whether the error page shows the details (development).
    details: bool,
}

impl PageError {
    /// A failure to mount `view` at `path`, its page showing the details when `details`; logs
    /// it.
    pub(crate) fn new(view: &'static str, path: &str, cause: Failure, details: bool) -> Self {
        let error = Self {
            view,
            path: path.to_owned(),
            cause,
            details,
        };
        log::error!("djust: {error}");
        error
    }

    /// The development page: what failed, where, and why.
    fn details_page(&self) -> String {
        let (view, path) = (escape(self.view), escape(&self.path));
        let cause = escape(&self.cause.to_string());
        let what = match self.cause {
            Failure::Panicked(..) => "panicked while mounting",
            _ => "failed to mount",
        };
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>500: {view} {what}</title></head><body>\
             <h1>Internal Server Error</h1>\
             <p>The view <code>{view}</code> {what} for <code>{path}</code>:</p>\
             <pre>{cause}</pre>\
             <p><small>Shown because <code>DjustConfig::error_details</code> is on (debug \
             builds); in production this page says only \u{201c}Internal Server \
             Error\u{201d}.</small></p></body></html>\n"
        )
    }
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "page {} ({}): {}", self.path, self.view, self.cause)
    }
}

/// The production page: nothing about the application.
const PLAIN_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
     <title>Internal Server Error</title></head>\
     <body><h1>Internal Server Error</h1></body></html>\n";

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        StatusCode::INTERNAL_SERVER_ERROR
    }

    fn error_response(&self) -> HttpResponse {
        let body = if self.details {
            self.details_page()
        } else {
            PLAIN_PAGE.to_owned()
        };
        HttpResponse::InternalServerError()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(body)
    }
}
