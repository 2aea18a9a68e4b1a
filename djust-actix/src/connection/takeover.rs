//! Taking over a view session that another node held (it died, or the balancer moved the
//! client): its public state, ledger and revision come from Redis, the view is restored through
//! the snapshot path (never private fields), and the client gets `resumed` with a full render.
//! From then on this node owns the session; the former owner's writes are refused.

use std::sync::{Arc, Mutex};

use djust_core::{
    protocol::{FrameExtras, ServerFrame},
    snapshot::SnapshotState,
    token::sign_view_token,
};

use super::{
    mounting::{MountDone, MountSpec},
    Connection,
};
use crate::{
    runtime::path_of,
    support::unix_now,
    view::{verify_token, Factory, Ledger, Restore, Route, SharedSession, ViewSession},
};

impl Connection {
    /// Resumes the view session `spec.resume` names from Redis; `None` when Redis does not
    /// have it or the view does not restore it (the caller then mounts afresh).
    pub(super) fn take_over(
        &mut self,
        target: &str,
        spec: &MountSpec<'_>,
        factory: Factory,
    ) -> Option<MountDone> {
        let resume = spec.resume?;
        let runtime = Arc::clone(&self.runtime);
        let key = runtime.config.key();
        let id = verify_token(key, &resume.vs, spec.view, self.browser_session())?.to_owned();
        let stored = runtime.sessions.take_over(&id, spec.view)?;
        let route = Route::new(&id, Arc::clone(&self.mailbox));
        // Fresh by its TTL (the grace window) and its fence, whatever its age: a live session.
        let restore = Restore::TakeOver(SnapshotState::new(stored.state, stored.age));
        let mounted = match self.run_factory(factory, spec.view, spec.url, &route, Some(restore)) {
            Ok(mounted) if mounted.restored => mounted,
            Ok(_) | Err(_) => {
                log::warn!(
                    "djust: {}: {} did not restore the state another node left; mounting",
                    self.id,
                    spec.view
                );
                return None;
            }
        };
        let name = mounted.view.name();
        let ledger = Ledger::restored(stored.ack, stored.above);
        let session = ViewSession::new(id.clone(), mounted.view, route, &self.id).taken_over(
            stored.rev,
            ledger,
            stored.owner,
        );
        let (rev, ack) = (session.rev(), session.ledger.ack());
        let shared: SharedSession = Arc::new(Mutex::new(session));
        runtime.sessions.insert(&id, name, &shared);
        self.attach(target, id, shared);
        log::info!(
            "djust: {}: took {} over from another node at rev {rev}, ack {ack}",
            self.id,
            spec.view
        );
        let version = self.next_version();
        let fresh_token = sign_view_token(key, spec.view, path_of(spec.url), unix_now());
        let frame = ServerFrame::Resumed {
            target,
            view: spec.view,
            version,
            vs: &resume.vs,
            rev,
            ack,
            patches: None,
            html: Some(&mounted.html),
            token: Some(&fresh_token),
        };
        let extras = FrameExtras {
            title: mounted.title.as_deref(),
            ..FrameExtras::default()
        };
        Some(MountDone {
            frame: frame.to_json_with(&extras),
            effects: mounted.effects,
            queued: Vec::new(),
        })
    }
}
