//! Mounting one view on the connection: the view's token, the snapshot it may carry (verified,
//! else ignored and logged), the view's factory, and its `mount` frame with a fresh signed
//! snapshot of its public state. Shared by `mount` and `mount_batch`.

use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};

use actix::AsyncContext;
use djust_core::{
    protocol::{ErrorFrame, ServerFrame},
    snapshot::{sign_snapshot, verify_snapshot, SnapshotState},
    token::verify_view_token,
};

use super::{Connection, Ctx, Delivery, Slot};
use crate::{
    mounted::{Deliver, Effect, MountFailure, MountRequest, MountedView},
    page::unix_now,
    socket::close_code,
};

/// What a `mount` (or one view of a `mount_batch`) asks for.
pub(super) struct MountSpec<'a> {
    pub(super) target: &'a str,
    pub(super) view: &'a str,
    pub(super) token: &'a str,
    pub(super) url: &'a str,
    pub(super) snapshot: Option<&'a str>,
}

/// A view now mounted: its encoded `mount` frame, its mount number and what its `mount` asked.
pub(super) struct MountDone {
    pub(super) frame: String,
    pub(super) mount: u64,
    pub(super) effects: Vec<Effect>,
}

/// Why a view was not mounted.
pub(super) struct Refusal {
    pub(super) code: &'static str,
    pub(super) message: String,
    /// The close code when a single `mount` refused this way ends the connection.
    pub(super) close: Option<(u16, &'static str)>,
}

impl Connection {
    /// Verifies and mounts one view (replacing a view of the same target) and encodes its
    /// `mount` frame, taking the next version. Sends nothing.
    pub(super) fn mount_view(
        &mut self,
        ctx: &mut Ctx,
        spec: &MountSpec<'_>,
    ) -> Result<MountDone, Refusal> {
        let MountSpec {
            target, view, url, ..
        } = *spec;
        let Some(factory) = self.runtime.registry.get(view) else {
            return Err(Refusal {
                code: "unknown_view",
                message: format!("unknown view `{view}`"),
                close: Some((close_code::VIEW_NOT_ALLOWED, "view not allowed")),
            });
        };
        let runtime = Arc::clone(&self.runtime);
        let config = &runtime.config;
        let path = url.split(['?', '#']).next().unwrap_or(url);
        let max_age = config.token_max_age.as_secs();
        if let Err(error) =
            verify_view_token(config.key(), spec.token, view, path, unix_now(), max_age)
        {
            return Err(Refusal {
                code: "bad_token",
                message: error.to_string(),
                close: Some((close_code::FORBIDDEN, "token refused")),
            });
        }
        let snapshot = spec
            .snapshot
            .and_then(|blob| self.verified_snapshot(blob, view));

        self.mounts += 1;
        let mount = self.mounts;
        let alive = Arc::new(AtomicBool::new(true));
        let deliver: Deliver = {
            let (address, target, alive) = (ctx.address(), target.to_owned(), Arc::clone(&alive));
            Arc::new(move |info| {
                if !alive.load(Ordering::Acquire) || !address.connected() {
                    return false;
                }
                address.do_send(Delivery {
                    target: target.clone(),
                    mount,
                    info,
                });
                true
            })
        };
        let mounted = factory(MountRequest {
            url,
            headers: &self.headers,
            data: &config.data,
            deliver: Some(deliver),
            snapshot,
        });
        let mounted = match mounted {
            Ok(mounted) => mounted,
            Err(MountFailure::Refused(error)) => {
                return Err(Refusal {
                    code: "mount_failed",
                    message: error.message().to_owned(),
                    close: None,
                });
            }
            Err(MountFailure::Broken(message)) => {
                log::error!("djust: {}: mounting {view}: {message}", self.session_id);
                let message = if message.starts_with("mount panicked") {
                    "the view panicked while mounting"
                } else {
                    "the view failed to render"
                };
                return Err(Refusal {
                    code: "mount_failed",
                    message: message.to_owned(),
                    close: None,
                });
            }
        };
        let snapshot = self.sign_snapshot_of(mounted.view.as_ref());
        self.views.insert(
            target.to_owned(),
            Slot {
                mount,
                view: mounted.view,
                alive,
            },
        );
        let version = self.next_version();
        let frame = ServerFrame::Mount {
            target,
            view,
            version,
            html: &mounted.html,
            title: mounted.title.as_deref(),
            snapshot: snapshot.as_deref(),
            restored: mounted.restored,
        };
        Ok(MountDone {
            frame: frame.to_json(),
            mount,
            effects: mounted.effects,
        })
    }

    /// Reports a refused single `mount`: an error frame, then the close its code calls for.
    pub(super) fn refuse(&mut self, ctx: &mut Ctx, target: &str, refusal: &Refusal) {
        self.send_error(
            ctx,
            ErrorFrame {
                code: refusal.code,
                error: &refusal.message,
                target: Some(target),
                recoverable: false,
                ..ErrorFrame::default()
            },
        );
        if let Some((code, why)) = refusal.close {
            self.close(ctx, actix_ws::CloseCode::Other(code), why);
        }
    }

    /// The browser session the connection belongs to (`""` without a session cookie).
    fn browser_session(&self) -> &str {
        crate::session::from_headers(&self.headers).unwrap_or("")
    }

    /// `view`'s current public state, signed for this browser session (snapshot-enabled views).
    pub(super) fn sign_snapshot_of(&self, view: &dyn MountedView) -> Option<String> {
        let state = view.snapshot()?;
        let signed = sign_snapshot(
            self.runtime.config.key(),
            view.name(),
            self.browser_session(),
            unix_now(),
            &state,
        );
        if signed.is_none() {
            log::warn!(
                "djust: {}: the state of {} is too large for a snapshot",
                self.session_id,
                view.name()
            );
        }
        signed
    }

    /// The state of `blob` when it verifies for `view` in this session; else `None`, logged
    /// (the view is then mounted: a bad snapshot is never the user's error).
    fn verified_snapshot(&self, blob: &str, view: &str) -> Option<SnapshotState> {
        let config = &self.runtime.config;
        let max_age = config.snapshot_max_age.as_secs();
        let session = self.browser_session();
        match verify_snapshot(config.key(), blob, view, session, unix_now(), max_age) {
            Ok(state) => Some(state),
            Err(error) => {
                log::warn!("djust: {}: {view}: {error}; mounting", self.session_id);
                None
            }
        }
    }
}
