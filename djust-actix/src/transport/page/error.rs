//! Errors of the page handler, turned into opaque HTTP error pages.

use std::fmt;

use actix_web::{
    http::{header, StatusCode},
    HttpResponse, ResponseError,
};

use crate::view::Failure;

/// Why a page could not be rendered. The details are logged; the client sees a bare 500.
#[derive(Debug)]
pub(crate) struct PageError {
    view: &'static str,
    path: String,
    cause: Failure,
}

impl PageError {
    /// A failure to mount `view` at `path`; logs it.
    pub(crate) fn new(view: &'static str, path: &str, cause: Failure) -> Self {
        let error = Self {
            view,
            path: path.to_owned(),
            cause,
        };
        log::error!("djust: {error}");
        error
    }
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "page {} ({}): {}", self.path, self.view, self.cause)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        StatusCode::INTERNAL_SERVER_ERROR
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::InternalServerError()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(
                "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
                 <title>Internal Server Error</title></head>\
                 <body><h1>Internal Server Error</h1></body></html>\n",
            )
    }
}
