//! A fake login with two users (`alice`, `bob`), no passwords: `GET /login/` shows the form,
//! `POST /login/` signs in and `POST /logout/` out. Both start a fresh djust session
//! ([`djust_actix::new_session_cookie`]), so the page's cache partition changes and the service
//! worker drops the previous user's cached pages. The user is a plain cookie: an example only.

use actix_web::{http::header, web, HttpResponse};
use serde::Deserialize;

/// The cookie naming the signed-in user.
pub const USER_COOKIE: &str = "example_user";
/// The users one may sign in as.
pub const USERS: [&str; 2] = ["alice", "bob"];

/// The user in a `Cookie` header, if one of [`USERS`].
pub fn user_of(cookie_header: &str) -> Option<&'static str> {
    cookie_header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == USER_COOKIE)
        .and_then(|(_, value)| USERS.into_iter().find(|user| *user == value))
}

/// Registers `/login/` and `/logout/`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login/", web::get().to(login_form))
        .route("/login/", web::post().to(login))
        .route("/logout/", web::post().to(logout));
}

#[derive(Deserialize)]
struct LoginForm {
    user: String,
}

async fn login_form() -> HttpResponse {
    let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
        <title>Log in · djust example</title></head><body><nav><a href=\"/\">Home</a></nav>\
        <main><h1>Log in</h1><form method=\"post\" action=\"/login/\">\
        <button id=\"login-alice\" name=\"user\" value=\"alice\">Log in as alice</button> \
        <button id=\"login-bob\" name=\"user\" value=\"bob\">Log in as bob</button></form>\
        <form method=\"post\" action=\"/logout/\"><button id=\"logout\">Log out</button></form>\
        </main></body></html>";
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(page)
}

async fn login(form: web::Form<LoginForm>) -> HttpResponse {
    let Some(user) = USERS.into_iter().find(|user| *user == form.user) else {
        return HttpResponse::BadRequest().body("unknown user");
    };
    redirect(
        "/notes/",
        &format!("{USER_COOKIE}={user}; Path=/; HttpOnly; SameSite=Lax"),
    )
}

async fn logout() -> HttpResponse {
    redirect(
        "/",
        &format!("{USER_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"),
    )
}

/// A 303 to `to` setting `user_cookie` and a fresh djust session.
fn redirect(to: &str, user_cookie: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .append_header((header::SET_COOKIE, user_cookie))
        .append_header((header::SET_COOKIE, djust_actix::new_session_cookie()))
        .finish()
}
