//! Mounting one view on the connection: the view's token, the snapshot it may carry (verified,
//! else ignored and logged), the view's factory, and its `mount` frame with a fresh signed
//! snapshot of its public state. Shared by `mount` and `mount_batch`.

use std::{sync::Arc, time::Instant};

use djust_core::{
    protocol::{ErrorFrame, ServerFrame},
    snapshot::{sign_snapshot, verify_snapshot, SnapshotState},
    token::verify_view_token,
};

use super::{close_code, Connection, ViewMessage};
use crate::{
    runtime::path_of,
    support::unix_now,
    telemetry::{self, Work},
    view::{Deliver, Effect, Failure, Liveness, MountRequest, MountedView, ViewSession},
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
#[derive(Debug)]
pub(super) enum MountRefusal {
    /// No view of that name is registered.
    UnknownView(String),
    /// The container's token did not verify (the reason).
    BadToken(String),
    /// The view's own code refused or failed.
    Failed(Failure),
}

impl MountRefusal {
    /// The `error` frame's (or the batch failure's) `code`.
    pub(super) fn code(&self) -> &'static str {
        match self {
            Self::UnknownView(_) => "unknown_view",
            Self::BadToken(_) => "bad_token",
            Self::Failed(_) => "mount_failed",
        }
    }

    /// What the client is told.
    pub(super) fn message(&self) -> String {
        match self {
            Self::UnknownView(view) => format!("unknown view `{view}`"),
            Self::BadToken(why) => why.clone(),
            Self::Failed(failure) => failure.public_message(),
        }
    }

    /// The close code and reason when a single `mount` refused this way ends the connection.
    fn close(&self) -> Option<(u16, &'static str)> {
        match self {
            Self::UnknownView(_) => Some((close_code::VIEW_NOT_ALLOWED, "view not allowed")),
            Self::BadToken(_) => Some((close_code::FORBIDDEN, "token refused")),
            Self::Failed(_) => None,
        }
    }
}

impl Connection {
    /// Verifies and mounts one view (replacing a view of the same target) and encodes its
    /// `mount` frame, taking the next version. Sends nothing.
    pub(super) fn mount_view(&mut self, spec: &MountSpec<'_>) -> Result<MountDone, MountRefusal> {
        let MountSpec {
            target, view, url, ..
        } = *spec;
        let Some(factory) = self.runtime.registry.get(view) else {
            return Err(MountRefusal::UnknownView(view.to_owned()));
        };
        let runtime = Arc::clone(&self.runtime);
        let config = &runtime.config;
        let max_age = config.token_max_age.as_secs();
        verify_view_token(
            config.key(),
            spec.token,
            view,
            path_of(url),
            unix_now(),
            max_age,
        )
        .map_err(|error| MountRefusal::BadToken(error.to_string()))?;
        let snapshot = spec
            .snapshot
            .and_then(|blob| self.verified_snapshot(blob, view));

        self.mounts += 1;
        let mount = self.mounts;
        let liveness = Liveness::new();
        let span = telemetry::work_span(&self.span, Work::Mount, view, None);
        let started = Instant::now();
        let mounted = span.in_scope(|| {
            factory(MountRequest {
                url,
                headers: &self.headers,
                data: &config.data,
                deliver: Some(self.deliver_to(target, mount, &liveness)),
                snapshot,
            })
        });
        let work = telemetry::WorkRecord {
            span: &span,
            work: Work::Mount,
            view,
        };
        telemetry::record_mount(&work, &mounted, started.elapsed());
        let mounted = mounted.map_err(|failure| {
            if failure.is_bug() {
                log::error!("djust: {}: mounting {view}: {failure}", self.id);
            }
            MountRefusal::Failed(failure)
        })?;
        let snapshot = self.sign_snapshot_of(mounted.view.as_ref());
        self.views.insert(
            target.to_owned(),
            ViewSession::new(mount, mounted.view, liveness),
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

    /// How the handles of the view mounted as number `mount` in `target` reach it: through the
    /// connection's mailbox, while the view session lives.
    fn deliver_to(&self, target: &str, mount: u64, liveness: &Liveness) -> Deliver {
        let (mailbox, target, liveness) = (
            Arc::clone(&self.mailbox),
            target.to_owned(),
            liveness.clone(),
        );
        Arc::new(move |info| {
            liveness.is_alive()
                && mailbox(ViewMessage {
                    target: target.clone(),
                    mount,
                    info,
                })
        })
    }

    /// Reports a refused single `mount`: an error frame, then the close its code calls for.
    pub(super) fn refuse(&mut self, target: &str, refusal: &MountRefusal) {
        let why = refusal.message();
        match refusal {
            MountRefusal::Failed(failure) if failure.is_bug() => {} // logged as an error
            MountRefusal::Failed(_) => {
                tracing::info!(target: telemetry::TARGET, connection = %self.id, target, "mount refused: {why}");
            }
            MountRefusal::UnknownView(_) | MountRefusal::BadToken(_) => {
                tracing::warn!(target: telemetry::TARGET, connection = %self.id, target, "{}: {why}", refusal.code());
            }
        }
        self.send_error(ErrorFrame {
            code: refusal.code(),
            error: &refusal.message(),
            target: Some(target),
            recoverable: false,
            ..ErrorFrame::default()
        });
        if let Some((code, why)) = refusal.close() {
            self.close(code, why);
        }
    }

    /// The browser session the connection belongs to (`""` without a session cookie).
    fn browser_session(&self) -> &str {
        crate::browser_session::from_headers(&self.headers).unwrap_or("")
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
                self.id,
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
                log::warn!("djust: {}: {view}: {error}; mounting", self.id);
                None
            }
        }
    }
}
