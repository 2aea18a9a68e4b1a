//! What a handler leaves besides its render (reply, flash, streams) and the path parameters a
//! mount sees, through the public `Context` / `MountContext` API.

use djust_core::{
    protocol::{FrameExtras, ServerFrame},
    stream::{StreamItem, StreamOptions},
    Context, DataMap, MountContext, RenderError, ViewHandle,
};
use serde_json::json;

struct Row(u32);

impl StreamItem for Row {
    fn dom_id(&self) -> String {
        format!("row-{}", self.0)
    }

    fn render_item(&self, out: &mut String) -> Result<(), RenderError> {
        out.push_str(&format!("<tr><td>{}</td></tr>", self.0));
        Ok(())
    }
}

fn connected() -> Context<()> {
    Context::connected(ViewHandle::new(|()| true))
}

#[test]
fn a_handler_s_reply_flash_and_streams_ride_on_its_frame() {
    let mut ctx = connected();
    ctx.reply(json!({"ok": true}));
    ctx.put_flash("info", "Saved");
    ctx.stream_with("rows", (1..=5).map(Row), StreamOptions::append().limit(-2))
        .unwrap();
    ctx.stream_delete("rows", ["row-1"]);
    ctx.stream_reset("other");
    let extras = ctx.take_extras();
    assert!(ctx.take_extras().is_empty(), "taken once");
    let frame = ServerFrame::Noop {
        target: "v",
        reference: Some(4),
        event: Some("save"),
        ack: None,
        rev: None,
        duplicate: false,
    };
    assert_eq!(
        frame.to_json_with(&FrameExtras::of(&extras, None)),
        concat!(
            r#"{"type":"noop","target":"v","ref":4,"event":"save","reply":{"ok":true},"#,
            r#""flash":[{"kind":"info","message":"Saved"}],"streams":["#,
            r#"{"op":"insert","stream":"rows","at":-1,"limit":-2,"items":[{"id":"row-4","html":"<tr><td>4</td></tr>"},{"id":"row-5","html":"<tr><td>5</td></tr>"}]},"#,
            r#"{"op":"delete","stream":"rows","ids":["row-1"]},{"op":"reset","stream":"other"}]}"#
        )
    );
}

#[test]
fn nothing_is_collected_for_the_http_render() {
    let mut ctx = Context::<()>::disconnected();
    ctx.reply(json!(1));
    ctx.put_flash("info", "x");
    ctx.stream("rows", [Row(1)]).unwrap();
    ctx.stream_reset("rows");
    assert!(ctx.take_extras().is_empty());
}

#[test]
fn path_params_are_read_by_name() {
    let data = DataMap::new();
    let ctx = MountContext::new(
        "/todos/7/?tab=done",
        &[],
        &data,
        Context::<()>::disconnected(),
    )
    .with_path_params(vec![("id".into(), "7".into())]);
    assert_eq!(ctx.path(), "/todos/7/");
    assert_eq!(ctx.path_param("id"), Some("7"));
    assert_eq!(ctx.path_param("nope"), None);
    assert_eq!(ctx.path_params(), [("id".to_owned(), "7".to_owned())]);
    assert_eq!(ctx.query("tab"), Some("done"));
}
