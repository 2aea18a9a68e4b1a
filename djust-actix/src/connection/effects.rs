//! Carrying out what a view asked for: timers, navigation and client events.

use djust_core::protocol::ServerFrame;

use super::{Action, Connection, ViewMessage};
use crate::view::Effect;

impl Connection {
    /// Runs `effects` of view session `session`, attached as `target`, in order.
    pub(super) fn run_effects(&mut self, target: &str, session: &str, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::SendAfter { after, info } => self.push(Action::Timer {
                    after,
                    message: ViewMessage {
                        session: session.to_owned(),
                        info,
                    },
                }),
                Effect::LiveRedirect { url } => self.live_redirect(&url),
                Effect::LivePatch { url } => self.live_patch(target, &url),
                Effect::PushEvent { event, payload } => self.send_frame(&ServerFrame::PushEvent {
                    target,
                    event: &event,
                    payload: &payload,
                    ack: None,
                }),
            }
        }
    }
}
