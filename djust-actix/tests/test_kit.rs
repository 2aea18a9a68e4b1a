//! The test kit (`djust_actix::test`) on a view with timers, push events, flash messages,
//! navigation and key bindings, and its failure messages.

use std::time::Duration;

use djust_actix::{
    core::{Context, EventError, LiveView, MountContext, MountError, Params, RenderError},
    test::{EventFailure, LivePage},
    Djust, DjustConfig,
};

/// A board: a `tick` timer, a push event, a redirect, a URL patch and a search box.
struct Board {
    ticks: u32,
    query: String,
    keys: Vec<String>,
}

impl LiveView for Board {
    type Info = u32;
    const NAME: &'static str = "kit::Board";
    const EVENTS: &'static [&'static str] = &["start", "notify", "leave", "filter", "key", "save"];

    fn mount(_: &mut MountContext<'_, u32>) -> Result<Self, MountError> {
        Ok(Self {
            ticks: 0,
            query: String::new(),
            keys: Vec::new(),
        })
    }

    fn render(&self, out: &mut String) -> Result<(), RenderError> {
        out.push_str(&format!(
            "<p id=\"ticks\">{}</p><button id=\"start\" dj-click=\"start\">Start</button>\
             <button class=\"b\" dj-click=\"notify\" dj-value-level=\"high\">Notify</button>\
             <button class=\"b\" dj-click=\"leave\">Leave</button>\
             <button id=\"save\" dj-click=\"save\">Save</button>\
             <button id=\"off\" disabled dj-click=\"start\">Off</button><span id=\"plain\">x</span>\
             <input id=\"q\" name=\"q\" value=\"{}\" dj-keyup=\"key\" dj-key-filter=\"Enter\">\
             <form id=\"f\" dj-submit=\"filter\"><input name=\"q\" value=\"\"></form>\
             <p id=\"keys\">{}</p>",
            self.ticks,
            self.query,
            self.keys.join(",")
        ));
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        params: &Params,
        ctx: &mut Context<u32>,
    ) -> Result<(), EventError> {
        let text = |name: &str| {
            params
                .get(name)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_owned()
        };
        match event {
            "start" => ctx.send_after(Duration::from_secs(5), 1),
            "notify" => ctx.push_event("notice", serde_json::json!({"level": text("level")})),
            "leave" => {
                ctx.put_flash("info", "Left the board");
                ctx.live_redirect("/other/");
            }
            "save" => {
                ctx.put_flash("info", format!("Saved at {}", self.ticks));
                ctx.put_flash("Not A Kind", "Shown as info");
            }
            "filter" => {
                self.query = text("q");
                ctx.live_patch(format!("/board/?q={}", self.query));
            }
            "key" => self.keys.push(format!("{}={}", text("key"), text("value"))),
            _ => {
                return Err(EventError::UnknownEvent {
                    event: event.to_owned(),
                })
            }
        }
        Ok(())
    }

    fn handle_info(&mut self, ticks: u32, ctx: &mut Context<u32>) {
        self.ticks += ticks;
        if self.ticks < 3 {
            ctx.send_after(Duration::from_secs(5), 1);
        }
    }
}

/// The page `Board` redirects to.
struct Other;

impl LiveView for Other {
    type Info = ();
    const NAME: &'static str = "kit::Other";
    const EVENTS: &'static [&'static str] = &[];

    fn mount(_: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        Ok(Self)
    }

    fn render(&self, out: &mut String) -> Result<(), RenderError> {
        out.push_str("<h1 id=\"other\">Other</h1>");
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

fn app() -> Djust {
    Djust::new(DjustConfig::new().secret("a test secret of at least 32 bytes!!"))
        .view::<Board>("/board/")
        .view::<Other>("/other/")
}

#[test]
fn timers_fire_only_when_the_test_moves_the_clock() {
    let app = app();
    let mut page = LivePage::open(&app, "/board/");
    page.element("#start", None).click().unwrap();
    assert_eq!(page.pending_timers(), vec![Duration::from_secs(5)]);
    page.advance(Duration::from_secs(4));
    assert_eq!(page.element("#ticks", None).text(), "0");
    page.advance(Duration::from_secs(1));
    assert_eq!(page.element("#ticks", None).text(), "1");
    page.advance(Duration::from_secs(60));
    assert_eq!(page.element("#ticks", None).text(), "3");
    assert!(page.pending_timers().is_empty());
}

#[test]
fn push_events_redirects_and_patches_are_asserted() {
    let app = app();
    let mut page = LivePage::open(&app, "/board/");
    page.element("button", Some("Notify")).click().unwrap();
    page.assert_push_event("notice", &serde_json::json!({"level": "high"}));
    page.form("#f").fill(&[("q", "rust")]).submit().unwrap();
    page.assert_patch("/board/?q=rust");
    assert_eq!(page.url(), "/board/?q=rust");
    page.element("button", Some("Leave")).click().unwrap();
    page.assert_redirect("/other/").follow_redirect();
    assert_eq!(page.element("#other", None).text(), "Other");
}

/// `(kind, message)` of each message the page shows.
fn shown(page: &mut LivePage) -> Vec<(String, String)> {
    page.flash()
        .into_iter()
        .map(|flash| (flash.kind, flash.message))
        .collect()
}

#[test]
fn flash_messages_are_read_as_the_client_shows_them() {
    let mut page = LivePage::open(&app(), "/board/");
    assert!(page.flash().is_empty());
    page.element("#save", None).click().expect("saved");
    let saved = vec![
        ("info".to_owned(), "Saved at 0".to_owned()),
        ("info".to_owned(), "Shown as info".to_owned()),
    ];
    assert_eq!(shown(&mut page), saved);
    page.advance(Duration::from_secs(5));
    assert_eq!(shown(&mut page), saved, "still shown");
    page.advance(Duration::from_secs(1));
    assert!(page.flash().is_empty(), "gone after six seconds");
    // A message put by the handler that navigates comes with the navigation.
    page.element("button", Some("Leave")).click().expect("left");
    page.assert_redirect("/other/").follow_redirect();
    assert_eq!(
        shown(&mut page),
        [("info".to_owned(), "Left the board".to_owned())]
    );
}

#[test]
fn key_bindings_send_their_key_and_honour_the_filter() {
    let app = app();
    let mut page = LivePage::open(&app, "/board/");
    let ignored = page.element("#q", None).keyup("a").unwrap_err();
    assert!(ignored.to_string().contains("dj-key-filter"), "{ignored}");
    page.element("#q", None).keyup("Enter").unwrap();
    assert_eq!(page.element("#keys", None).text(), "Enter=");
}

#[test]
fn a_reconnect_resumes_the_session_and_applies_what_the_lost_answers_carried_once() {
    let app = app();
    let mut page = LivePage::open(&app, "/board/");
    page.element("#q", None).keyup("Enter").unwrap();
    page.lose_server_frames();
    let lost = page.element("#q", None).keyup("Enter").unwrap_err();
    assert!(matches!(lost, EventFailure::Pending(_)), "{lost}");
    page.element("#save", None).click().unwrap_err();
    assert_eq!(
        page.element("#keys", None).text(),
        "Enter=",
        "no answer came"
    );
    assert!(page.flash().is_empty());
    page.disconnect();
    page.reconnect();
    assert!(page.resumed(), "{:?}", page.remounted());
    // The missed revisions came with `resumed` (the patch, the flash); the two events went
    // again under their numbers and were not applied a second time.
    assert_eq!(page.element("#keys", None).text(), "Enter=,Enter=");
    assert_eq!(
        shown(&mut page),
        [
            ("info".to_owned(), "Saved at 0".to_owned()),
            ("info".to_owned(), "Shown as info".to_owned()),
        ]
    );
    page.element("#q", None).keyup("Enter").unwrap();
    assert_eq!(page.element("#keys", None).text(), "Enter=,Enter=,Enter=");
}

#[test]
fn timers_end_with_the_connection_and_a_late_reconnect_mounts_afresh() {
    let app = app();
    let mut page = LivePage::open(&app, "/board/");
    page.element("#start", None).click().unwrap();
    page.advance(Duration::from_secs(5));
    assert_eq!(page.element("#ticks", None).text(), "1");
    page.disconnect();
    assert!(page.pending_timers().is_empty());
    page.reconnect();
    assert!(page.resumed());
    assert_eq!(page.element("#ticks", None).text(), "1");
    page.disconnect();
    // The default grace window is 30 s of the page's clock.
    page.advance(Duration::from_secs(31));
    page.reconnect();
    assert_eq!(page.remounted(), vec![("kit::Board", "expired")]);
    assert_eq!(page.element("#ticks", None).text(), "0");
}

#[test]
fn an_event_kept_past_the_outbox_age_bound_is_reported_not_applied() {
    let app = app();
    let mut page = LivePage::open(&app, "/board/");
    page.disconnect();
    let kept = page.element("#save", None).click().unwrap_err();
    assert!(matches!(kept, EventFailure::Pending(_)), "{kept}");
    page.advance(Duration::from_secs(11 * 60));
    page.reconnect();
    assert_eq!(
        page.not_applied(),
        [("save".to_owned(), "too_old".to_owned())]
    );
    assert!(page.flash().is_empty(), "the event was not sent");
}

#[test]
#[should_panic(expected = "2 elements match `.b` (exactly one must)")]
fn an_ambiguous_selector_fails() {
    let app = app();
    LivePage::open(&app, "/board/").element(".b", None);
}

#[test]
#[should_panic(expected = "no element matches `#nope`")]
fn a_missing_element_fails() {
    let app = app();
    LivePage::open(&app, "/board/").element("#nope", None);
}

#[test]
#[should_panic(expected = "<span id=\"plain\">x has no dj-click")]
fn a_missing_binding_fails() {
    let app = app();
    let _ = LivePage::open(&app, "/board/")
        .element("#plain", None)
        .click();
}

#[test]
#[should_panic(expected = "<button id=\"off\">Off is disabled")]
fn a_disabled_element_fails() {
    let app = app();
    let _ = LivePage::open(&app, "/board/")
        .element("#off", None)
        .click();
}

#[test]
#[should_panic(expected = "the form has no field named `query` (for \"x\"); its fields: [\"q\"]")]
fn a_field_name_the_form_does_not_have_fails() {
    let app = app();
    let _ = LivePage::open(&app, "/board/")
        .form("#f")
        .fill(&[("query", "x")]);
}

#[test]
#[should_panic(expected = "no page serves /nowhere/")]
fn a_url_no_page_serves_fails() {
    LivePage::open(&app(), "/nowhere/");
}
