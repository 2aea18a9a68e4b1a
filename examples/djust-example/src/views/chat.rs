//! `/chat/`: server push. A message sent from one tab appears in every other tab — of every
//! node, when the server runs on Redis (`DJUST_REDIS_URL`).

use std::sync::{Arc, Mutex};

use djust_actix::{prelude::*, NamedTopic, PubSub};
use serde::{Deserialize, Serialize};

/// How many messages a room keeps for people who join later.
const HISTORY: usize = 50;
/// The longest message, in characters (the room holds at most `HISTORY` of them).
pub const MAX_BODY_CHARS: usize = 2_000;
/// The longest author name, in characters.
pub const MAX_AUTHOR_CHARS: usize = 40;

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// A random id, the message's `dj-key` (unique across nodes).
    pub id: u64,
    /// Who sent it.
    pub author: String,
    /// What they said.
    pub body: String,
}

/// The shared room: recent history and the views listening to it, on topic `chat`.
///
/// The room itself listens to the topic too: the history of every node gets every message,
/// whichever node it was posted on.
#[derive(Debug)]
pub struct ChatRoom {
    history: Arc<Mutex<Vec<Message>>>,
    listeners: NamedTopic<Message>,
}

impl ChatRoom {
    /// The room on `pubsub`'s topic `chat`.
    pub fn new(pubsub: &PubSub) -> Self {
        let history = Arc::new(Mutex::new(Vec::<Message>::new()));
        let listeners = pubsub.topic::<Message>("chat");
        let kept = Arc::clone(&history);
        listeners.subscribe(ViewHandle::new(move |message| {
            let mut history = kept
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            history.push(message);
            let excess = history.len().saturating_sub(HISTORY);
            history.drain(..excess);
            true
        }));
        Self { history, listeners }
    }

    fn recent(&self) -> Vec<Message> {
        self.history
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn post(&self, author: &str, body: &str) {
        let mut id = [0_u8; 8];
        getrandom::getrandom(&mut id).expect("the OS has random numbers");
        // Below 2^53, so that JavaScript reads it exactly too.
        let id = u64::from_le_bytes(id) >> 11;
        self.listeners.broadcast(&Message {
            id,
            author: author.to_owned(),
            body: body.to_owned(),
        });
    }
}

impl Default for ChatRoom {
    /// A room of this process only.
    fn default() -> Self {
        Self::new(&PubSub::local())
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
    room: Arc<ChatRoom>,
}

#[events]
impl Chat {
    fn mount(ctx: &mut MountContext<'_, Message>) -> Result<Self, MountError> {
        let room = Arc::clone(ctx.require_data::<Arc<ChatRoom>>()?);
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
