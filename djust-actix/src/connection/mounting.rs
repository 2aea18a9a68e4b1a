//! Mounting one view on the connection: resuming the view session a reconnect names (its
//! `resumed` frame replays what the client missed), or else verifying the view's token and
//! the snapshot it may carry (verified, else ignored and logged), running the view's factory
//! in a fresh view session, and encoding its `mount` frame with a fresh signed snapshot of its
//! public state. Shared by `mount` and `mount_batch`.

use std::{
    any::Any,
    sync::{Arc, Mutex},
    time::Instant,
};

use djust_core::{
    protocol::{ErrorFrame, FrameExtras, Resume, ServerFrame},
    snapshot::{fits_mount_frame, sign_snapshot, verify_snapshot, SnapshotState},
    token::{sign_view_token, verify_view_token},
};
use serde_json::value::RawValue;

use super::{close_code, Attached, Connection};
use crate::{
    runtime::path_of,
    support::{random_id, unix_now},
    telemetry::{self, delivery, Work},
    view::{
        lock, verify_token, Deliver, Effect, Factory, Failure, Gone, MountRequest, Mounted,
        MountedView, Restore, Route, SharedSession, ViewSession,
    },
};

/// What a `mount` (or one view of a `mount_batch`) asks for.
pub(super) struct MountSpec<'a> {
    pub(super) target: &'a str,
    pub(super) view: &'a str,
    pub(super) token: &'a str,
    pub(super) url: &'a str,
    pub(super) snapshot: Option<&'a str>,
    pub(super) resume: Option<&'a Resume>,
}

/// A view now mounted or resumed: its encoded `mount`/`resumed` frame, what its `mount` asked,
/// and the messages it got while it waited for a reconnect.
pub(super) struct MountDone {
    pub(super) frame: String,
    pub(super) effects: Vec<Effect>,
    pub(super) queued: Vec<Box<dyn Any + Send>>,
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
    /// The connection already holds as many views as it may (the cap).
    TooManyViews(usize),
}

impl MountRefusal {
    /// The `error` frame's (or the batch failure's) `code`.
    pub(super) fn code(&self) -> &'static str {
        match self {
            Self::UnknownView(_) => "unknown_view",
            Self::BadToken(_) => "bad_token",
            Self::Failed(_) => "mount_failed",
            Self::TooManyViews(_) => "too_many_views",
        }
    }

    /// What the client is told.
    pub(super) fn message(&self) -> String {
        match self {
            Self::UnknownView(view) => format!("unknown view `{view}`"),
            Self::BadToken(why) => why.clone(),
            Self::Failed(failure) => failure.public_message(),
            Self::TooManyViews(cap) => format!("a connection holds at most {cap} views"),
        }
    }

    /// The close code and reason when a single `mount` refused this way ends the connection.
    fn close(&self) -> Option<(u16, &'static str)> {
        match self {
            Self::UnknownView(_) => Some((close_code::VIEW_NOT_ALLOWED, "view not allowed")),
            Self::BadToken(_) => Some((close_code::FORBIDDEN, "token refused")),
            Self::Failed(_) | Self::TooManyViews(_) => None,
        }
    }
}

impl Connection {
    /// Resumes or mounts one view (replacing a view of the same target) and encodes its
    /// frame, taking the next version. Sends nothing.
    pub(super) fn mount_view(&mut self, spec: &MountSpec<'_>) -> Result<MountDone, MountRefusal> {
        let MountSpec {
            target, view, url, ..
        } = *spec;
        let Some(factory) = self.runtime.registry.get(view) else {
            return Err(MountRefusal::UnknownView(view.to_owned()));
        };
        let cap = self.runtime.config.max_views_per_connection;
        if !self.views.contains_key(target) && self.views.len() >= cap {
            return Err(MountRefusal::TooManyViews(cap));
        }
        let remounted = match spec.resume {
            Some(resume) => match self.resume(target, view, url, resume) {
                Ok(done) => return Ok(done),
                Err(Gone::Unknown) => match self.take_over(target, spec, factory) {
                    Some(done) => return Ok(done),
                    None => Some(Gone::Unknown),
                },
                Err(gone) => Some(gone),
            },
            None => None,
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

        let id = random_id(16);
        let route = Route::new(&id, Arc::clone(&self.mailbox));
        let restore = snapshot.map(Restore::Snapshot);
        let mounted = self.run_factory(factory, view, url, &route, restore)?;
        let snapshot = self.sign_snapshot_of(mounted.view.as_ref());
        let name = mounted.view.name();
        let session = ViewSession::new(id.clone(), mounted.view, route, &self.id);
        let vs = session.token(config.key(), self.browser_session());
        let fresh_token = sign_view_token(config.key(), view, path_of(url), unix_now());
        let session: SharedSession = Arc::new(Mutex::new(session));
        runtime.sessions.insert(&id, name, &session);
        self.attach(target, id, session);
        let version = self.next_version();
        let frame = ServerFrame::Mount {
            target,
            view,
            version,
            html: &mounted.html,
            title: mounted.title.as_deref(),
            snapshot: snapshot.as_deref(),
            restored: mounted.restored,
            vs: Some(&vs),
            rev: Some(0),
            ack: Some(0),
            remounted: remounted.map(Gone::as_str),
            token: Some(&fresh_token),
        };
        // The mount's own `title` field carries the title; its flash and streams ride along.
        let extras = FrameExtras::of(&mounted.extras, None);
        Ok(MountDone {
            frame: frame.to_json_with(&extras),
            effects: mounted.effects,
            queued: Vec::new(),
        })
    }

    /// Runs `view`'s `factory` for `url` (restoring `snapshot` if the view accepts it), its
    /// handles on `route`.
    pub(super) fn run_factory(
        &self,
        factory: Factory,
        view: &str,
        url: &str,
        route: &Route,
        snapshot: Option<Restore>,
    ) -> Result<Mounted, MountRefusal> {
        let config = &self.runtime.config;
        // Path parameters come from the page route serving the URL (lazy views share it).
        let path_params = self
            .runtime
            .page_of(url)
            .map(|route| route.path_params(path_of(url)))
            .unwrap_or_default();
        let span = telemetry::work_span(&self.span, Work::Mount, view, None);
        let started = Instant::now();
        let mounted = span.in_scope(|| {
            factory(MountRequest {
                url,
                headers: &self.headers,
                data: &config.data,
                deliver: Some(deliver_to(route)),
                snapshot,
                path_params,
            })
        });
        let work = telemetry::WorkRecord {
            span: &span,
            work: Work::Mount,
            view,
        };
        telemetry::record_mount(&work, &mounted, started.elapsed());
        mounted.map_err(|failure| {
            if failure.is_bug() {
                log::error!("djust: {}: mounting {view}: {failure}", self.id);
            }
            MountRefusal::Failed(failure)
        })
    }

    /// Takes over the view session `resume` names and encodes its `resumed` frame (in a
    /// `djust.resume` span, counted by outcome).
    fn resume(
        &mut self,
        target: &str,
        view: &str,
        url: &str,
        resume: &Resume,
    ) -> Result<MountDone, Gone> {
        let span = delivery::resume_span(&self.span, view, resume.rev);
        let resumed = span.in_scope(|| self.resume_here(target, view, url, resume, &span));
        if let Err(gone) = &resumed {
            delivery::record_resume(
                &span,
                view,
                delivery::Resume::Remounted(gone.as_str()),
                None,
            );
        }
        resumed
    }

    /// [`Connection::resume`] from this node's store.
    fn resume_here(
        &mut self,
        target: &str,
        view: &str,
        url: &str,
        resume: &Resume,
        span: &tracing::Span,
    ) -> Result<MountDone, Gone> {
        let runtime = Arc::clone(&self.runtime);
        let key = runtime.config.key();
        let id =
            verify_token(key, &resume.vs, view, self.browser_session()).ok_or(Gone::Refused)?;
        let mailbox = Arc::clone(&self.mailbox);
        let (shared, queued) = runtime
            .sessions
            .claim(id, view, &self.id, mailbox, self.now)?;
        let session = lock(&shared);
        let (rev, ack) = (session.rev(), session.ledger.ack());
        let missed = session.ring.since(resume.rev, rev);
        let lists: Option<Vec<Box<RawValue>>> = missed.as_ref().map(|missed| {
            missed
                .patches
                .iter()
                .map(|list| {
                    RawValue::from_string((*list).to_owned()).expect("patch lists are JSON")
                })
                .collect()
        });
        let (flash, streams) = missed.map_or_else(Default::default, |m| (m.flash, m.streams));
        let html = lists.is_none().then(|| session.view.html());
        let title = session.view.title().map(str::to_owned);
        drop(session);
        let fresh_token = sign_view_token(key, view, path_of(url), unix_now());
        let outcome = delivery::Resume::Resumed {
            missed: lists.as_ref().map(Vec::len),
        };
        delivery::record_resume(span, view, outcome, Some(rev));
        log::info!(
            "djust: {}: resumed {view} at rev {rev} (client at {})",
            self.id,
            resume.rev
        );
        self.attach(target, id.to_owned(), shared);
        let version = self.next_version();
        let frame = ServerFrame::Resumed {
            target,
            view,
            version,
            vs: &resume.vs,
            rev,
            ack,
            patches: lists
                .as_ref()
                .map(|lists| lists.iter().map(AsRef::as_ref).collect()),
            html: html.as_deref(),
            token: Some(&fresh_token),
        };
        let extras = FrameExtras {
            title: title.as_deref(),
            reply: None,
            flash: &flash,
            streams: &streams,
        };
        Ok(MountDone {
            frame: frame.to_json_with(&extras),
            effects: Vec::new(),
            queued,
        })
    }

    /// Attaches session `id` as `target`, ending the session it replaces.
    pub(super) fn attach(&mut self, target: &str, id: String, session: SharedSession) {
        if let Some(old) = self.views.insert(
            target.to_owned(),
            Attached {
                id,
                session,
                recovered: None,
            },
        ) {
            self.runtime.sessions.end(&old.id, &self.id);
        }
    }

    /// Reports a refused single `mount`: an error frame, then the close its code calls for.
    pub(super) fn refuse(&mut self, target: &str, refusal: &MountRefusal) {
        let why = refusal.message();
        match refusal {
            MountRefusal::Failed(failure) if failure.is_bug() => {} // logged as an error
            MountRefusal::Failed(_) | MountRefusal::TooManyViews(_) => {
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
    pub(super) fn browser_session(&self) -> &str {
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
        let max_frame = self.runtime.config.max_frame_bytes;
        let signed = signed.filter(|blob| fits_mount_frame(blob, max_frame));
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

/// How the handles of a view reach it: along its session's route.
fn deliver_to(route: &Route) -> Deliver {
    let route = route.clone();
    Arc::new(move |info| route.deliver(info))
}
