//! The example's views, unit-tested with the test kit (`djust_actix::test`): each page is
//! rendered by the page handler and mounted live on the connection core, in process.

use std::time::Duration;

use djust_actix::{
    test::{EventFailure, LivePage},
    Djust, DjustConfig,
};

fn app() -> Djust {
    djust_example::routes(DjustConfig::new().secret("a test secret of at least 32 bytes!!"))
}

#[test]
fn counter_counts_by_its_step() {
    let app = app();
    let mut page = LivePage::open(&app, "/counter/");
    assert_eq!(page.page_title(), Some("Counter"));
    page.element("#increment", None).click().unwrap();
    page.element("button", Some("+")).click().unwrap();
    assert_eq!(page.element("#count", None).text(), "2");
    page.element("#step", None).change("5").unwrap();
    page.element("#decrement", None).click().unwrap();
    assert_eq!(page.element("#count", None).text(), "-3");
    assert_eq!(page.element("#step-shown", None).text(), "5");
}

#[test]
fn counter_refuses_a_step_below_one_and_a_step_that_is_no_number() {
    let app = app();
    let mut page = LivePage::open(&app, "/counter/?step=2");
    page.element("#step", None).change("0").unwrap();
    assert!(page
        .element("#step-error", None)
        .text()
        .contains("at least 1"));
    let refused = page.element("#step", None).change("many").unwrap_err();
    assert_eq!(refused.code(), Some("invalid_param"));
    page.element("#increment", None).click().unwrap();
    assert_eq!(page.element("#count", None).text(), "2");
}

#[test]
fn rows_create_select_swap_and_remove() {
    let app = app();
    let mut page = LivePage::open(&app, "/rows/");
    page.element("#run", None).click().unwrap();
    assert_eq!(page.element(".summary", None).text(), "1000 rows");
    let first = page
        .element("#tbody tr:first-child td:first-child", None)
        .text();
    page.element(
        &format!("a[dj-click=select][dj-value-id=\"{first}\"]"),
        None,
    )
    .click()
    .unwrap();
    assert_eq!(page.element("tr.danger td:first-child", None).text(), first);
    page.element("#swaprows", None).click().unwrap();
    assert_eq!(
        page.element("#tbody tr:nth-child(999) td:first-child", None)
            .text(),
        first.parse::<u64>().map(|id| (id + 1).to_string()).unwrap()
    );
    page.element(
        &format!("a[dj-click=remove][dj-value-id=\"{first}\"]"),
        None,
    )
    .click()
    .unwrap();
    assert_eq!(page.element(".summary", None).text(), "999 rows");
    page.element("#clear", None).click().unwrap();
    assert!(!page.has_element("#tbody tr", None));
}

#[test]
fn chat_messages_reach_every_open_page() {
    let app = app();
    let mut alice = LivePage::open(&app, "/chat/");
    let mut bob = LivePage::open(&app, "/chat/");
    alice
        .form("#chat-form")
        .fill(&[("author", "alice"), ("body", "hello bob")])
        .submit()
        .unwrap();
    // dj-submit-reset: the message field is empty again once the server took it.
    assert_eq!(alice.element("#body", None).value(), "");
    assert!(bob.render().contains("hello bob"));
    assert_eq!(
        bob.element("#messages li", Some("hello bob")).text(),
        "alice: hello bob"
    );
    let empty = bob
        .form("#chat-form")
        .fill(&[("body", "  ")])
        .submit()
        .unwrap_err();
    assert_eq!(empty.code(), Some("handler_error"));
}

#[test]
fn chat_shows_a_message_delivered_to_the_view() {
    let app = app();
    let mut page = LivePage::open(&app, "/chat/");
    let message = djust_example::views::chat::Message {
        id: 99,
        author: "server".into(),
        body: "maintenance at noon".into(),
    };
    page.send_info(message).unwrap();
    assert_eq!(
        page.element("#messages li", Some("maintenance")).text(),
        "server: maintenance at noon"
    );
    let wrong = page.send_info(7_u32).unwrap_err();
    assert_eq!(wrong.code(), Some("handler_panicked"), "{wrong}");
}

/// The example's view sessions wait this long for a reconnect (`view_session_grace`).
const GRACE: Duration = Duration::from_secs(30);

fn app_with_grace() -> Djust {
    djust_example::routes(
        DjustConfig::new()
            .secret("a test secret of at least 32 bytes!!")
            .view_session_grace(GRACE),
    )
}

#[test]
fn counter_keeps_its_state_across_a_reconnect_by_resuming_its_session() {
    let app = app();
    let mut page = LivePage::open(&app, "/counter/");
    page.element("#step", None).change("3").unwrap();
    page.element("#increment", None).click().unwrap();
    assert_eq!(page.element("#count", None).text(), "3");
    page.disconnect();
    assert!(!page.is_connected());
    page.reconnect();
    assert!(page.resumed(), "{:?}", page.remounted());
    assert_eq!(page.element("#count", None).text(), "3");
    assert_eq!(page.element("#step-shown", None).text(), "3");
    page.element("#increment", None).click().unwrap();
    assert_eq!(page.element("#count", None).text(), "6");
}

#[test]
fn counter_clicks_made_while_disconnected_are_applied_once_after_the_resume() {
    let app = app();
    let mut page = LivePage::open(&app, "/counter/");
    page.element("#increment", None).click().unwrap();
    page.disconnect();
    for _ in 0..2 {
        let queued = page.element("#increment", None).click().unwrap_err();
        assert!(matches!(queued, EventFailure::Pending(_)), "{queued}");
    }
    assert_eq!(page.element("#count", None).text(), "1", "nothing sent yet");
    page.reconnect();
    assert!(page.resumed());
    assert_eq!(page.element("#count", None).text(), "3");
    // A second drop and resume sends nothing again: the server acknowledged both.
    page.reconnect();
    assert!(page.resumed());
    assert_eq!(page.element("#count", None).text(), "3");
    assert!(page.not_applied().is_empty(), "{:?}", page.not_applied());
}

#[test]
fn counter_is_mounted_afresh_when_the_reconnect_comes_after_the_grace_window() {
    let app = app_with_grace();
    let mut page = LivePage::open(&app, "/counter/");
    page.element("#increment", None).click().unwrap();
    page.element("#increment", None).click().unwrap();
    page.disconnect();
    page.element("#increment", None).click().unwrap_err();
    page.advance(GRACE + Duration::from_secs(1));
    page.reconnect();
    assert!(!page.resumed());
    assert_eq!(
        page.remounted(),
        vec![("djust_example::views::counter::Counter", "expired")]
    );
    // The state is new; the click made while disconnected went as a replay, applied once.
    assert_eq!(page.element("#count", None).text(), "1");
}

#[test]
fn form_fields_typed_while_disconnected_reach_the_resumed_session_without_recovery() {
    let app = app();
    let mut page = LivePage::open(&app, "/form/");
    page.element("#title", None).change("Draft").unwrap();
    page.element("#move-cursor", None).click().unwrap();
    page.disconnect();
    assert!(page.element("#title", None).change("Final title").is_err());
    page.element("#body", None)
        .input("typed offline")
        .unwrap_err();
    page.element("#search", None)
        .input("not recovered")
        .unwrap_err();
    page.reconnect();
    assert!(page.resumed());
    // The events made meanwhile went after the resume; dj-no-recover's was dropped.
    assert_offline_edits_applied(&mut page);
    // Nothing was lost, so nothing is recovered: the cursor is the session's own.
    assert_eq!(page.element("#server-cursor", None).text(), "1");
    assert_eq!(page.element("#server-recoveries", None).text(), "0");
    assert_saves_offline_edits(&mut page);
}

/// The title and body typed while disconnected reached the server; the `dj-no-recover` search
/// did not.
fn assert_offline_edits_applied(page: &mut LivePage) {
    assert_eq!(page.element("#server-title", None).text(), "Final title");
    assert_eq!(page.element("#server-body", None).text(), "typed offline");
    assert_eq!(page.element("#server-search", None).text(), "");
    assert_eq!(
        page.not_applied(),
        [("search".to_owned(), "no_recover".to_owned())]
    );
}

/// Saving the form stores what was typed while disconnected.
fn assert_saves_offline_edits(page: &mut LivePage) {
    page.element("#save", None).click().unwrap();
    assert_eq!(
        page.element("#server-saved", None).text(),
        "Final title — typed offline"
    );
}

#[test]
fn form_fields_typed_while_disconnected_are_recovered_on_a_reconnect_that_remounts() {
    let app = app_with_grace();
    let mut page = LivePage::open(&app, "/form/");
    page.element("#title", None).change("Draft").unwrap();
    page.element("#move-cursor", None).click().unwrap();
    page.disconnect();
    assert!(page.element("#title", None).change("Final title").is_err());
    page.element("#body", None)
        .input("typed offline")
        .unwrap_err();
    page.element("#search", None)
        .input("not recovered")
        .unwrap_err();
    page.advance(GRACE + Duration::from_secs(1));
    page.reconnect();
    assert_eq!(
        page.remounted(),
        vec![("djust_example::views::form::Form", "expired")]
    );
    // The kept events went as replays; the auto-recover section brought the cursor back.
    assert_offline_edits_applied(&mut page);
    assert_eq!(page.element("#server-cursor", None).text(), "1");
    assert_eq!(page.element("#server-canvas", None).text(), "sketch-1");
    assert_eq!(page.element("#server-recoveries", None).text(), "1");
    assert_saves_offline_edits(&mut page);
}

#[test]
fn form_fields_typed_before_a_server_restart_are_recovered() {
    let app = app();
    let mut page = LivePage::open(&app, "/form/");
    page.element("#title", None).change("Draft").unwrap();
    page.element("#move-cursor", None).click().unwrap();
    page.form("#post-form")
        .fill(&[("body", "typed before the restart")])
        .change()
        .unwrap();
    page.disconnect();
    // Another server (a restart): it has never heard of the page's view session.
    let restarted = app_with_grace();
    page.reconnect_to(&restarted);
    assert_eq!(
        page.remounted(),
        vec![("djust_example::views::form::Form", "unknown")]
    );
    assert_eq!(page.element("#server-title", None).text(), "Draft");
    assert_eq!(
        page.element("#server-body", None).text(),
        "typed before the restart"
    );
    assert_eq!(page.element("#server-cursor", None).text(), "1");
    assert_eq!(page.element("#server-recoveries", None).text(), "1");
}

#[test]
fn cart_is_restored_from_its_snapshot_on_back_navigation() {
    let app = app();
    let mut page = LivePage::open(&app, "/cart/");
    assert!(page.element("#origin", None).text().starts_with("mounted"));
    page.element("button", Some("Add Tea")).click().unwrap();
    page.element("button", Some("Add Cake")).click().unwrap();
    page.element("#coupon", None).change("spring").unwrap();
    page.element("#to-dashboard", None).click().unwrap();
    assert_eq!(page.url(), "/dashboard/");
    page.back();
    assert_eq!(page.url(), "/cart/");
    assert_eq!(page.page_title(), Some("Cart (2)"));
    assert!(page.element("#origin", None).text().starts_with("restored"));
    assert_eq!(page.element("#items", None).text(), "TeaCake");
    assert_eq!(page.element("#coupon-shown", None).text(), "Coupon: SPRING");
}

#[test]
fn home_links_navigate_over_the_connection() {
    let app = app();
    let mut page = LivePage::open(&app, "/");
    page.element("a", Some("Cart")).click().unwrap();
    assert_eq!(page.url(), "/cart/");
    assert_eq!(page.page_title(), Some("Cart (0)"));
    page.live_redirect("/counter/");
    page.element("#increment", None).click().unwrap();
    assert_eq!(page.element("#count", None).text(), "1");
}

#[test]
fn dashboard_mounts_its_lazy_views() {
    let app = app();
    let mut page = LivePage::open(&app, "/dashboard/");
    for lazy in ["visitors", "sales", "signups", "latency", "errors"] {
        assert!(
            page.has_element(&format!("#dj-v-{lazy} [dj-click=refresh]"), None),
            "{lazy} is mounted"
        );
    }
    assert_eq!(
        page.failed_views(),
        vec![(
            "dj-v-reports".to_owned(),
            "Reports: the reporting service is unavailable".to_owned()
        )]
    );
}

#[test]
fn todos_are_shared_live_and_the_archive_button_is_relabelled_by_its_answer() {
    let app = app();
    let mut one = LivePage::open(&app, "/todos/");
    let mut two = LivePage::open(&app, "/todos/");
    one.form("#todo-form")
        .fill(&[("text", "tea for two")])
        .submit()
        .unwrap();
    // The other board hears of it through the store's Topic.
    assert!(two.render().contains("tea for two"));
    two.element("#todo-list li .toggle", Some("Done"))
        .click()
        .unwrap();
    one.render();
    assert_eq!(one.element("#archive-done b.count", None).text(), "1");
    one.element("#archive-done", None).click().unwrap();
    let archive = one.element("#archive-done", None);
    assert_eq!(archive.text(), "Nothing to archive");
    assert!(archive.attr("disabled").is_some());
    // The filter is trimmed: the field's value is the server's.
    one.element("#todo-filter", None).input("tea ").unwrap();
    assert_eq!(
        one.element("#todo-filter", None).attr("value").as_deref(),
        Some("tea")
    );
}
