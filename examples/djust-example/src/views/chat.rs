//! `/chat/`: server push. A message sent from one tab appears in every other tab.

use std::sync::Mutex;

use djust_actix::prelude::*;

/// How many messages a room keeps for people who join later.
const HISTORY: usize = 50;
/// The longest message, in characters (the room holds at most `HISTORY` of them).
pub const MAX_BODY_CHARS: usize = 2_000;
/// The longest author name, in characters.
pub const MAX_AUTHOR_CHARS: usize = 40;

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Increasing id, the message's `dj-key`.
    pub id: u64,
    /// Who sent it.
    pub author: String,
    /// What they said.
    pub body: String,
}

/// The shared room: recent history and the views listening to it.
#[derive(Debug, Default)]
pub struct ChatRoom {
    history: Mutex<Vec<Message>>,
    listeners: Topic<Message>,
}

impl ChatRoom {
    fn recent(&self) -> Vec<Message> {
        self.history
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn post(&self, author: &str, body: &str) {
        let message = {
            let mut history = self
                .history
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let message = Message {
                id: history.last().map_or(1, |last| last.id + 1),
                author: author.to_owned(),
                body: body.to_owned(),
            };
            history.push(message.clone());
            let excess = history.len().saturating_sub(HISTORY);
            history.drain(..excess);
            message
        };
        self.listeners.broadcast(&message);
    }
}

/// One participant's view of the room.
#[live_view(template = "chat.html", title = "Chat")]
#[derive(Debug)]
pub struct Chat {
    /// Messages shown, oldest first.
    pub messages: Vec<Message>,
    /// The name this participant posts under.
    pub author: String,
    room: std::sync::Arc<ChatRoom>,
}

#[events]
impl Chat {
    fn mount(ctx: &mut MountContext<'_, Message>) -> Result<Self, MountError> {
        let room = std::sync::Arc::clone(ctx.require_data::<std::sync::Arc<ChatRoom>>()?);
        if let Some(handle) = ctx.context().handle() {
            room.listeners.subscribe(handle);
        }
        Ok(Self {
            messages: room.recent(),
            author: "anonymous".into(),
            room,
        })
    }

    /// Posts the form's message to everyone in the room.
    #[event]
    fn send(&mut self, body: String, author: Option<String>) -> Result<(), String> {
        if let Some(author) = author.filter(|author| !author.trim().is_empty()) {
            self.set_author(author)?;
        }
        let body = body.trim();
        if body.is_empty() {
            return Err("an empty message is not sent".into());
        }
        if body.chars().count() > MAX_BODY_CHARS {
            return Err(format!("a message has at most {MAX_BODY_CHARS} characters"));
        }
        self.room.post(&self.author, body);
        Ok(())
    }

    /// Changes the name this participant posts under.
    #[event]
    fn set_author(&mut self, value: String) -> Result<(), String> {
        let value = value.trim();
        if value.chars().count() > MAX_AUTHOR_CHARS {
            return Err(format!("a name has at most {MAX_AUTHOR_CHARS} characters"));
        }
        if !value.is_empty() {
            self.author = value.to_owned();
        }
        Ok(())
    }

    /// A message posted by anyone (this tab included) arrives here.
    fn handle_info(&mut self, message: Message, _ctx: &mut Context<Message>) {
        self.messages.push(message);
        let excess = self.messages.len().saturating_sub(HISTORY);
        self.messages.drain(..excess);
    }
}
