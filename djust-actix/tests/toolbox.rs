//! A view's toolbox over a real server and a real WebSocket client: path parameters, the live
//! title (sent only when it changed), replies, flash messages (carried across a live
//! navigation), streams (limit pruned, nothing kept) and `push_event` after its patch.

mod common;

use std::fmt::Write as _;

use common::{config, container, get, Client, TestServer};
use djust_actix::{
    core::{
        stream::{StreamItem, StreamOptions},
        Context, EventError, LiveView, MountContext, MountError, Params, RenderError,
    },
    Djust,
};
use serde_json::json;

/// A board at `/boards/{id}/` whose title counts its cards.
struct Board {
    id: String,
    cards: u32,
}

struct Entry(u32);

impl StreamItem for Entry {
    fn dom_id(&self) -> String {
        format!("entry-{}", self.0)
    }

    fn render_item(&self, out: &mut String) -> Result<(), RenderError> {
        let _ = write!(out, "<li>entry {}</li>", self.0);
        Ok(())
    }
}

impl LiveView for Board {
    type Info = ();
    const NAME: &'static str = "tests::Board";
    const EVENTS: &'static [&'static str] = &["add", "same", "feed", "leave"];

    fn mount(ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        let id = ctx.path_param("id").unwrap_or("?").to_owned();
        let context = ctx.context();
        context.put_flash("info", format!("Welcome to board {id}"));
        context
            .stream("log", [Entry(1), Entry(2)])
            .map_err(|error| MountError::new(error.to_string()))?;
        Ok(Self { id, cards: 0 })
    }

    fn render(&self, out: &mut String) -> Result<(), RenderError> {
        let _ = write!(
            out,
            "<h1>Board {} has {} cards</h1><ul id=\"log\" dj-stream=\"log\"></ul>",
            self.id, self.cards
        );
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _params: &Params,
        ctx: &mut Context<()>,
    ) -> Result<(), EventError> {
        match event {
            "add" => {
                self.cards += 1;
                ctx.put_flash("info", "Card added");
                ctx.reply(json!({"cards": self.cards}));
                ctx.push_event("added", json!({"cards": self.cards}));
            }
            "same" => ctx.reply(json!("unchanged")),
            "feed" => ctx
                .stream_with(
                    "log",
                    (10..20).map(Entry),
                    StreamOptions::append().limit(-3),
                )
                .expect("entries render"),
            "leave" => {
                ctx.put_flash("info", "Moved on");
                ctx.live_redirect("/boards/2/");
            }
            _ => {
                return Err(EventError::UnknownEvent {
                    event: event.to_owned(),
                })
            }
        }
        Ok(())
    }

    fn title(&self) -> Option<String> {
        Some(format!("({}) Board {}", self.cards, self.id))
    }
}

fn server() -> TestServer {
    TestServer::start(Djust::new(config()).view::<Board>("/boards/{id}/"))
}

#[tokio::test]
async fn path_params_reach_the_http_render_and_the_mount() {
    let server = server();
    assert!(get(server.addr, "/boards/7/", &[])
        .body
        .contains("Board 7 has 0 cards"));
    let page = container(server.addr, "/boards/tea%20room/");
    let mut client = Client::connect(&server).await;
    let mount = client.mount(&page, "/boards/tea%20room/").await;
    assert_eq!(mount["title"], "(0) Board tea room", "{mount}");
    assert!(mount["html"]
        .as_str()
        .unwrap()
        .contains("Board tea room has 0"));
}

#[tokio::test]
async fn mount_carries_its_flash_and_streams() {
    let server = server();
    let page = container(server.addr, "/boards/7/");
    let mut client = Client::connect(&server).await;
    let mount = client.mount(&page, "/boards/7/").await;
    assert_eq!(mount["type"], "mount");
    assert_eq!(
        mount["flash"],
        json!([{"kind": "info", "message": "Welcome to board 7"}])
    );
    assert_eq!(
        mount["streams"],
        json!([{"op": "insert", "stream": "log", "at": -1, "items": [
            {"id": "entry-1", "html": "<li>entry 1</li>"},
            {"id": "entry-2", "html": "<li>entry 2</li>"}]}])
    );
    // The view's HTML keeps the stream container empty: items are not in the VDOM.
    assert!(mount["html"]
        .as_str()
        .unwrap()
        .contains("dj-stream=\"log\"></ul>"));
}

#[tokio::test]
async fn an_answer_carries_title_reply_flash_then_the_push_follows() {
    let server = server();
    let page = container(server.addr, "/boards/7/");
    let mut client = Client::connect(&server).await;
    client.mount(&page, "/boards/7/").await;

    let answer = client.event(&page.target, "add", json!({}), 1).await;
    assert_eq!(answer["ref"], 1, "{answer}");
    assert_eq!(answer["title"], "(1) Board 7");
    assert_eq!(answer["reply"], json!({"cards": 1}));
    assert_eq!(
        answer["flash"],
        json!([{"kind": "info", "message": "Card added"}])
    );
    let push = client.recv().await;
    assert_eq!(
        (push["type"].as_str(), push["event"].as_str()),
        (Some("push_event"), Some("added")),
        "{push}"
    );

    // Nothing changed: a noop with the reply, and no title (it did not change).
    let same = client.event(&page.target, "same", json!({}), 2).await;
    assert_eq!(same["type"], "noop", "{same}");
    for absent in ["title", "flash", "streams"] {
        assert!(same.get(absent).is_none(), "{same}");
    }
    assert_eq!(same["reply"], "unchanged");
}

#[tokio::test]
async fn streamed_items_the_limit_drops_are_not_sent() {
    let server = server();
    let page = container(server.addr, "/boards/7/");
    let mut client = Client::connect(&server).await;
    client.mount(&page, "/boards/7/").await;
    let answer = client.event(&page.target, "feed", json!({}), 1).await;
    assert_eq!(answer["type"], "noop", "the VDOM did not change: {answer}");
    let ids: Vec<&str> = answer["streams"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["entry-17", "entry-18", "entry-19"]);
    assert_eq!(answer["streams"][0]["limit"], -3);
    // The next render knows nothing of them: an unrelated change is a small patch.
    let next = client.event(&page.target, "add", json!({}), 2).await;
    assert_eq!(next["type"], "patch", "{next}");
    assert!(!next.to_string().contains("entry"), "{next}");
}

#[tokio::test]
async fn flash_of_a_handler_that_navigates_rides_on_the_navigate_frame() {
    let server = server();
    let page = container(server.addr, "/boards/7/");
    let mut client = Client::connect(&server).await;
    client.mount(&page, "/boards/7/").await;
    client
        .send(json!({"type": "event", "target": page.target, "event": "leave", "params": {}, "ref": 1}))
        .await;
    let mut frames = vec![client.recv().await];
    if frames[0]["type"] != "navigate" {
        frames.push(client.recv().await);
    }
    let navigate = frames.last().unwrap();
    assert_eq!(navigate["type"], "navigate", "{frames:?}");
    assert_eq!(navigate["url"], "/boards/2/");
    assert_eq!(
        navigate["flash"],
        json!([{"kind": "info", "message": "Moved on"}])
    );
    for frame in &frames[..frames.len() - 1] {
        assert!(frame.get("flash").is_none(), "flash sent once: {frame}");
    }
}
