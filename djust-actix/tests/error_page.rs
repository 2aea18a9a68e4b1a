//! A page whose view fails to mount (its `mount` returns `Err` or panics): in development the
//! 500 page shows the error, the view and the path; in production it says nothing more than
//! "Internal Server Error".

mod common;

use common::{app, config, get, views::Counter, TestServer};
use djust_actix::{
    core::{Context, EventError, LiveView, MountContext, MountError, Params, RenderError},
    Djust, DjustConfig,
};

/// A view whose mount panics.
struct Exploding;

impl LiveView for Exploding {
    type Info = ();
    const NAME: &'static str = "errors::Exploding";
    const EVENTS: &'static [&'static str] = &[];

    fn mount(_: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        panic!("the <database> is down");
    }

    fn render(&self, out: &mut String) -> Result<(), RenderError> {
        out.push_str("<p>never</p>");
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Params,
        _: &mut Context<()>,
    ) -> Result<(), EventError> {
        Err(EventError::UnknownEvent {
            event: event.to_owned(),
        })
    }
}

fn served(config: DjustConfig) -> TestServer {
    let djust: Djust = app(config).view::<Exploding>("/exploding/");
    TestServer::start(djust)
}

#[test]
fn in_development_a_failed_mount_shows_the_error_the_view_and_the_path() {
    let server = served(config().error_details(true));
    let refused = get(server.addr, "/counter/?fail=1", &[]);
    assert_eq!(refused.status, 500);
    assert_eq!(refused.header("cache-control"), Some("no-store"));
    for part in [
        Counter::NAME,
        "/counter/",
        "failed to mount",
        "no such counter",
    ] {
        assert!(refused.body.contains(part), "{part} in {}", refused.body);
    }
    let panicked = get(server.addr, "/exploding/", &[]);
    assert_eq!(panicked.status, 500);
    for part in [
        Exploding::NAME,
        "/exploding/",
        "panicked while mounting",
        "the &lt;database&gt; is down",
    ] {
        assert!(panicked.body.contains(part), "{part} in {}", panicked.body);
    }
    assert!(!panicked.body.contains("<database>"), "escaped");
    // The server goes on.
    assert_eq!(get(server.addr, "/counter/", &[]).status, 200);
    server.stop();
}

#[test]
fn in_production_a_failed_mount_is_a_plain_500() {
    let server = served(config().error_details(false));
    for path in ["/counter/?fail=1", "/exploding/"] {
        let page = get(server.addr, path, &[]);
        assert_eq!(page.status, 500, "{path}");
        assert!(
            page.body.contains("<h1>Internal Server Error</h1>"),
            "{}",
            page.body
        );
        for secret in [
            Counter::NAME,
            Exploding::NAME,
            "no such counter",
            "database",
            "panicked",
        ] {
            assert!(
                !page.body.contains(secret),
                "{secret} leaked: {}",
                page.body
            );
        }
    }
    server.stop();
}
