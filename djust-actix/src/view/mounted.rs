//! A mounted view behind a type-erased interface: the page handler and the connection core
//! talk to views only through [`MountedView`], never through the view's own type.
//!
//! Every call into user code (mount, handlers, render) runs under `catch_unwind`
//! ([`super::catch`]), so a panicking view becomes a [`Failure`] instead of a dead worker.

use std::{any::Any, sync::Arc};

use djust_core::{
    snapshot::SnapshotState,
    toolbox::{Extras, TitleTracker},
    vdom::{LiveDom, Update},
    view::Command,
    AfterRemount, Context, DataMap, EventError, EventMeta, LiveView, MountContext, Params,
    ViewHandle,
};

use super::{
    catch::{catch, render},
    Effect, Failure, Outcome, Stage,
};

/// Delivers a type-erased `handle_info` message to one mounted view; `false` when it is gone.
pub(crate) type Deliver = Arc<dyn Fn(Box<dyn Any + Send>) -> bool + Send + Sync>;

/// Everything a view needs to mount.
pub(crate) struct MountRequest<'a> {
    /// Path and query of the page.
    pub(crate) url: &'a str,
    /// Selected request headers.
    pub(crate) headers: &'a [(String, String)],
    /// The application's shared data.
    pub(crate) data: &'a DataMap,
    /// How to reach the view once mounted; `None` for the HTTP render.
    pub(crate) deliver: Option<Deliver>,
    /// A state to restore instead of mounting.
    pub(crate) snapshot: Option<Restore>,
    /// The parameters the page route's pattern matched in the path (`/todos/{id}/`).
    pub(crate) path_params: Vec<(String, String)>,
}

/// What a view is restored from instead of mounted, through its snapshot path
/// (`restore_snapshot`: public fields only).
#[derive(Debug)]
pub(crate) enum Restore {
    /// A verified snapshot the client carried (see `djust_core::snapshot`): restored when the
    /// view's `should_restore_snapshot` accepts it (by default: younger than five minutes).
    Snapshot(SnapshotState),
    /// The Redis copy of a live view session another node held (`remote_store`): still in
    /// its grace window (its TTL) and fenced, so restored whatever its age, as a resume on
    /// the same node would be; the age policy is not asked.
    TakeOver(SnapshotState),
}

/// A freshly mounted view and its first render.
pub(crate) struct Mounted {
    pub(crate) view: Box<dyn MountedView>,
    /// Inner HTML with ids stamped.
    pub(crate) html: String,
    pub(crate) title: Option<String>,
    /// What `mount` asked of the connection (timers, client events).
    pub(crate) effects: Vec<Effect>,
    /// The flash messages and stream operations `mount` left for its frame.
    pub(crate) extras: Extras,
    /// `true` when the view was restored from the request's snapshot instead of mounted.
    pub(crate) restored: bool,
}

/// Mounts a `V`: the type-erased factory stored in the registry.
pub(crate) fn mount<V: LiveView>(request: MountRequest<'_>) -> Result<Mounted, Failure> {
    let context = match request.deliver {
        Some(deliver) => Context::connected(ViewHandle::new(move |info: V::Info| {
            deliver(Box::new(info))
        })),
        None => Context::disconnected(),
    };
    let mut mount_context = MountContext::new(request.url, request.headers, request.data, context)
        .with_path_params(request.path_params);
    let restored = request
        .snapshot
        .and_then(|restore| restored::<V>(&restore, &mut mount_context));
    let is_restored = restored.is_some();
    let view = match restored {
        Some(view) => view,
        None => catch(|| V::mount(&mut mount_context))
            .map_err(|panic| Failure::Panicked(Stage::Mount, panic))?
            .map_err(Failure::MountRefused)?,
    };
    let html = render(&view).map_err(Failure::Render)?;
    let title = catch(|| view.title()).map_err(Failure::Render)?;
    let mut live = Live {
        view,
        dom: LiveDom::new(html),
        context: mount_context.into_context(),
        titles: TitleTracker::new(title.clone()),
    };
    live.log_notice();
    let effects = live.effects();
    let extras = live.context.take_extras();
    Ok(Mounted {
        html: live.dom.html(),
        view: Box::new(live),
        title,
        effects,
        extras,
        restored: is_restored,
    })
}

/// The view restored from `restore`, when it restores snapshots, its policy accepts a client's
/// snapshot and the restore succeeds; `None` (logged) means: mount it instead.
fn restored<V: LiveView>(restore: &Restore, ctx: &mut MountContext<'_, V::Info>) -> Option<V> {
    if !V::SNAPSHOT {
        log::info!("djust: {}: does not restore snapshots; mounting", V::NAME);
        return None;
    }
    let state = match restore {
        Restore::Snapshot(state) => state,
        Restore::TakeOver(state) => return restore_fields::<V>(state, ctx),
    };
    match catch(|| V::should_restore_snapshot(state, ctx)) {
        Ok(true) => {}
        Ok(false) => {
            log::info!(
                "djust: {}: snapshot declined by should_restore_snapshot; mounting",
                V::NAME
            );
            return None;
        }
        Err(panic) => {
            log::error!(
                "djust: {}: should_restore_snapshot panicked: {panic}; mounting",
                V::NAME
            );
            return None;
        }
    }
    restore_fields::<V>(state, ctx)
}

/// `V::restore_snapshot` of `state`; `None` (logged) when it fails.
fn restore_fields<V: LiveView>(
    state: &SnapshotState,
    ctx: &mut MountContext<'_, V::Info>,
) -> Option<V> {
    match catch(|| V::restore_snapshot(state, ctx)) {
        Ok(Ok(view)) => Some(view),
        Ok(Err(error)) => {
            log::warn!("djust: {}: {error}; mounting", V::NAME);
            None
        }
        Err(panic) => {
            log::error!(
                "djust: {}: restore_snapshot panicked: {panic}; mounting",
                V::NAME
            );
            None
        }
    }
}

/// One mounted view, whatever its type.
pub(crate) trait MountedView: Send {
    /// Runs handler `event`, re-renders and diffs.
    /// `meta`: what the server knows of the client event (its stable id, whether it is a
    /// replay), readable by the handler through its `Context`.
    fn handle_event(&mut self, event: &str, params: &Params, meta: Option<EventMeta>) -> Outcome;
    /// Delivers a message from a `ViewHandle` or a timer, re-renders and diffs.
    fn handle_info(&mut self, info: Box<dyn Any + Send>) -> Outcome;
    /// The view's current inner HTML, ids stamped.
    fn html(&self) -> String;
    /// The view's name (`LiveView::NAME`).
    fn name(&self) -> &'static str;
    /// The title the page shows (the last one sent), if the view has one.
    fn title(&self) -> Option<&str>;
    /// The public state a snapshot carries (`None` unless the view opted into snapshots).
    fn snapshot(&self) -> Option<serde_json::Map<String, serde_json::Value>>;
    /// What the view does with events replayed after a remount.
    fn after_remount(&self) -> AfterRemount;
    /// Bytes its kept tree holds.
    fn kept_bytes(&self) -> usize;
    /// The view is idle: its kept tree goes to its compact form (`LiveDom::hibernate`);
    /// whether that freed the parsed tree.
    fn hibernate(&mut self) -> bool;
    /// The client refused a patch (`reason` as it said): updates go as whole HTML for a while.
    fn patch_refused(&mut self, reason: Option<&str>);
}

struct Live<V: LiveView> {
    view: V,
    dom: LiveDom,
    context: Context<V::Info>,
    /// The last title sent, so frames carry `title` only when it changed.
    titles: TitleTracker,
}

impl<V: LiveView> Live<V> {
    fn effects(&mut self) -> Vec<Effect> {
        self.context
            .take_commands()
            .into_iter()
            .filter_map(|command| match command {
                Command::SendAfter { after, info } => Some(Effect::SendAfter {
                    after,
                    info: Box::new(info),
                }),
                Command::PushEvent { event, payload } => Some(Effect::PushEvent { event, payload }),
                Command::LiveRedirect { url } => Some(Effect::LiveRedirect { url }),
                Command::LivePatch { url } => Some(Effect::LivePatch { url }),
                _ => {
                    log::warn!("djust: {}: ignoring an unsupported command", V::NAME);
                    None
                }
            })
            .collect()
    }

    /// After a handler ran: its commands, and the diff of a fresh render.
    fn rerender(&mut self) -> Outcome {
        let effects = self.effects();
        let extras = self.context.take_extras();
        let (update, failure) = self.diff();
        Outcome {
            failure,
            update,
            effects,
            extras,
            title: self.title_change(),
        }
    }

    /// The view's title after a run, when it differs from the last one sent.
    fn title_change(&mut self) -> Option<String> {
        match catch(|| self.view.title()) {
            Ok(title) => self.titles.changed(title).map(str::to_owned),
            Err(panic) => {
                log::error!("djust: {}: title() panicked: {panic}", V::NAME);
                None
            }
        }
    }

    /// After a handler failed part-way (returned `Err` or panicked): the state is as the
    /// handler left it, so the client still gets the diff; the handler's commands are dropped
    /// because it did not finish its work.
    fn failed_after_running(&mut self, failure: Failure) -> Outcome {
        drop(self.context.take_commands());
        drop(self.context.take_extras());
        let (update, render_failure) = self.diff();
        if let Some(Failure::Render(why)) = render_failure {
            log::error!(
                "djust: {}: render after a failed handler failed: {why}",
                V::NAME
            );
        }
        Outcome {
            failure: Some(failure),
            update,
            effects: Vec::new(),
            extras: Extras::default(),
            title: self.title_change(),
        }
    }

    /// The event was refused before its handler ran: nothing changed.
    fn refused(failure: Failure) -> Outcome {
        Outcome {
            failure: Some(failure),
            update: None,
            effects: Vec::new(),
            extras: Extras::default(),
            title: None,
        }
    }

    fn diff(&mut self) -> (Option<Update>, Option<Failure>) {
        let update = render(&self.view).and_then(|html| {
            catch(|| self.dom.update(html)).map_err(|panic| format!("diff panicked: {panic}"))
        });
        self.log_notice();
        match update {
            Ok(update) => (Some(update), None),
            Err(why) => (None, Some(Failure::Render(why))),
        }
    }

    /// Tells the developer, once per view, where the kept tree and the browser's part.
    fn log_notice(&mut self) {
        if let Some(notice) = self.dom.take_notice() {
            log::warn!("djust: {}: {notice}", V::NAME);
        }
    }
}

impl<V: LiveView> MountedView for Live<V> {
    fn handle_event(&mut self, event: &str, params: &Params, meta: Option<EventMeta>) -> Outcome {
        self.context.set_event(meta);
        let result = catch(|| self.view.handle_event(event, params, &mut self.context));
        self.context.set_event(None);
        match result {
            Ok(Ok(())) => self.rerender(),
            Ok(Err(error @ EventError::Handler { .. })) => {
                self.failed_after_running(Failure::Event(error))
            }
            Ok(Err(error)) => Self::refused(Failure::Event(error)),
            Err(panic) => self.failed_after_running(Failure::Panicked(Stage::Handler, panic)),
        }
    }

    fn handle_info(&mut self, info: Box<dyn Any + Send>) -> Outcome {
        let Ok(info) = info.downcast::<V::Info>() else {
            let message = format!("{}: message of the wrong type", V::NAME);
            return Self::refused(Failure::Panicked(Stage::Handler, message));
        };
        match catch(|| self.view.handle_info(*info, &mut self.context)) {
            Ok(()) => self.rerender(),
            Err(panic) => self.failed_after_running(Failure::Panicked(Stage::Handler, panic)),
        }
    }

    fn html(&self) -> String {
        self.dom.html()
    }

    fn title(&self) -> Option<&str> {
        self.titles.current()
    }

    fn name(&self) -> &'static str {
        V::NAME
    }

    fn snapshot(&self) -> Option<serde_json::Map<String, serde_json::Value>> {
        catch(|| self.view.snapshot()).ok().flatten()
    }

    fn after_remount(&self) -> AfterRemount {
        V::AFTER_REMOUNT
    }

    fn kept_bytes(&self) -> usize {
        self.dom.heap_bytes()
    }

    fn hibernate(&mut self) -> bool {
        self.dom.hibernate()
    }

    fn patch_refused(&mut self, reason: Option<&str>) {
        log::warn!(
            "djust: {}: the client refused a patch ({reason:?})",
            V::NAME
        );
        self.dom.refused(reason);
        self.log_notice();
    }
}
