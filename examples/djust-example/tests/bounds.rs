//! The example's shared and per-view state is bounded in count and bytes (issue 13): chat
//! history, message and name length, notes, and tally entries shown. (The rows table's cap,
//! 11,000 rows, is reached by bench run R9; through the test kit it takes minutes in a debug
//! build.)

use djust_actix::{test::LivePage, Djust, DjustConfig};
use djust_example::views::{chat::MAX_BODY_CHARS, notes::MAX_NOTES};

fn app() -> Djust {
    djust_example::routes(DjustConfig::new().secret("a test secret of at least 32 bytes!!"))
}

fn say(page: &mut LivePage, body: &str) -> Result<String, String> {
    page.form("#chat-form")
        .fill(&[("body", body)])
        .submit()
        .map_err(|refused| format!("{:?}", refused.code()))
}

#[test]
fn the_chat_keeps_50_messages_of_at_most_2000_characters() {
    let app = app();
    let mut writer = LivePage::open(&app, "/chat/");
    for n in 0..60 {
        say(&mut writer, &format!("message {n}")).unwrap();
    }
    let mut reader = LivePage::open(&app, "/chat/");
    let html = reader.render();
    assert_eq!(html.matches("<li").count(), 50, "the room keeps 50");
    assert!(
        !html.contains("message 9<")
            && html.contains("message 10<")
            && html.contains("message 59<")
    );
    let longest = "&".repeat(MAX_BODY_CHARS);
    say(&mut writer, &longest).unwrap();
    assert_eq!(
        say(&mut writer, &format!("{longest}&")),
        Err("Some(\"handler_error\")".into())
    );
    let long_name = "n".repeat(41);
    let refused = writer
        .form("#chat-form")
        .fill(&[("author", long_name.as_str()), ("body", "hi")])
        .submit()
        .unwrap_err();
    assert_eq!(refused.code(), Some("handler_error"));
    // Bytes: at most 50 messages of 2,000 characters, escaped (5 bytes per `&`) and named.
    assert!(reader.render().len() < 50 * (MAX_BODY_CHARS * 5 + 200) + 4096);
}

#[test]
fn a_notes_page_keeps_at_most_100_notes_of_1000_characters() {
    let app = app();
    let mut page = LivePage::open(&app, "/notes/");
    for n in 0..MAX_NOTES {
        page.form("#note-form")
            .fill(&[("note", &format!("note {n}"))])
            .submit()
            .unwrap();
    }
    let refused = page
        .form("#note-form")
        .fill(&[("note", "one more")])
        .submit()
        .unwrap_err();
    assert_eq!(refused.code(), Some("handler_error"));
    assert_eq!(page.render().matches("<li").count(), MAX_NOTES);
    let mut fresh = LivePage::open(&app, "/notes/");
    let long = "x".repeat(1_001);
    let refused = fresh
        .form("#note-form")
        .fill(&[("note", long.as_str())])
        .submit()
        .unwrap_err();
    assert_eq!(refused.code(), Some("handler_error"));
    assert!(!fresh.has_element("#notes li", None));
}

#[test]
fn the_tally_shows_its_last_100_entries_however_many_were_added() {
    let app = app();
    let mut page = LivePage::open(&app, "/tally/");
    for _ in 0..150 {
        page.element("#add-3", None).click().unwrap();
    }
    assert_eq!(page.element("#tally-count", None).text(), "150");
    let latest = page.element("#tally-latest", None).text();
    assert_eq!(latest.split(',').count(), 100, "{latest}");
}
