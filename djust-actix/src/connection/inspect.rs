//! What the test kit (`crate::test`) reads off a connection, as a browser could not: the
//! server's copy of a view's DOM, and a message addressed to the view mounted now.

use std::any::Any;

use super::{Connection, ViewMessage};
use crate::view::lock;

impl Connection {
    /// The server's copy of the DOM of the view in `target` (inner HTML, ids stamped).
    pub(crate) fn view_html(&self, target: &str) -> Option<String> {
        self.views
            .get(target)
            .map(|attached| lock(&attached.session).view.html())
    }

    /// A `handle_info` message for the view mounted in `target` now.
    pub(crate) fn message_for(
        &self,
        target: &str,
        info: Box<dyn Any + Send>,
    ) -> Option<ViewMessage> {
        let attached = self.views.get(target)?;
        Some(ViewMessage {
            session: attached.id.clone(),
            info,
        })
    }
}
