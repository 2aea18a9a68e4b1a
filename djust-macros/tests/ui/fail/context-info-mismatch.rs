use djust_actix::prelude::*;

pub enum ChatMsg {
    Posted(String),
}

pub struct Tick;

#[live_view(template = "empty.html")]
#[derive(Default)]
pub struct Chat {
    pub messages: Vec<String>,
}

#[events]
impl Chat {
    fn handle_info(&mut self, msg: ChatMsg, _ctx: &mut Context<ChatMsg>) {
        let ChatMsg::Posted(body) = msg;
        self.messages.push(body);
    }

    #[event]
    fn send(&mut self, body: String, ctx: &mut Context<Tick>) {
        let _ = (body, ctx);
    }
}

#[live_view(template = "empty.html")]
pub struct Clock {
    pub ticks: u64,
}

#[events]
impl Clock {
    fn mount(_ctx: &mut MountContext<'_, Tick>) -> Self {
        Self { ticks: 0 }
    }
}

fn main() {}
