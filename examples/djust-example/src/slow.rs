//! A middleware delaying the answers of `/slow/` (full page and main-only alike; the
//! WebSocket is not delayed).

use std::time::Duration;

use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    middleware::Next,
    Error,
};

/// The path that answers slowly.
pub const SLOW_PATH: &str = "/slow/";
/// How long it waits before answering.
pub const SLOW_DELAY: Duration = Duration::from_millis(1500);

/// Waits [`SLOW_DELAY`] before handling a request for [`SLOW_PATH`]; use with
/// `actix_web::middleware::from_fn(delay_slow_page)`.
pub async fn delay_slow_page(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.path() == SLOW_PATH {
        actix_web::rt::time::sleep(SLOW_DELAY).await;
    }
    next.call(req).await
}
