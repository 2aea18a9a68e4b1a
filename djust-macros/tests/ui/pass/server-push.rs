use std::time::Duration;

use djust_actix::prelude::*;

#[derive(Debug)]
pub enum ChatMsg {
    Posted(String),
}

#[live_view(template = "chat.html")]
pub struct Chat {
    pub messages: Vec<String>,
}

#[events]
impl Chat {
    fn mount(_ctx: &mut MountContext<'_, ChatMsg>) -> Self {
        Self {
            messages: Vec::new(),
        }
    }

    fn handle_info(&mut self, msg: ChatMsg, _ctx: &mut Context<ChatMsg>) {
        let ChatMsg::Posted(body) = msg;
        self.messages.push(body);
    }

    #[event]
    fn send(&mut self, body: String, ctx: &mut Context<ChatMsg>) {
        ctx.send_after(Duration::from_millis(1), ChatMsg::Posted(body));
    }

    /// A shared context, and the message type spelled another way: the same type.
    #[event]
    fn peek(&mut self, ctx: &djust_actix::prelude::Context<crate::ChatMsg>) {
        let _ = ctx.handle().is_some();
    }
}

fn assert_info<V: LiveView<Info = ChatMsg>>() {}

fn main() {
    assert_info::<Chat>();
}
