//! [`LivePage`]: one page open in the test's "browser", live on the real connection core.

mod lifecycle;

pub(super) use lifecycle::Made;

use std::{
    any::Any,
    collections::{HashMap, HashSet, VecDeque},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use actix_web::{body::MessageBody, http::header};
use djust_core::{
    toolbox::Flash,
    vdom::mirror::{self, from_html},
};
use futures_util::FutureExt;
use serde_json::{json, Value};

use super::{
    dom::{Handle, PageDom, ViewDom},
    element::{Element, Form},
    flash::FlashRegion,
    frames::PushEvent,
    outbox::{reason, Entry, Outbox},
    EventFailure,
};
use crate::{
    connection::{Connection, Mailbox, ViewMessage},
    runtime::Runtime,
    transport::page,
    Djust,
};

/// A field's tag and name, and its value (see [`PageDom::typed`]).
pub(super) type Captured = ((String, Option<String>), String);

/// The user agent the kit's requests carry.
const USER_AGENT: &str = "djust-test";

/// A page of the application, rendered by the page handler and then mounted live on a
/// connection core, as a browser would, without a socket. See [the module](super).
pub struct LivePage {
    pub(super) runtime: Arc<Runtime>,
    /// The headers the connection was opened with (user agent, session cookie).
    pub(super) headers: Vec<(String, String)>,
    pub(super) url: String,
    pub(super) history: Vec<String>,
    pub(super) dom: PageDom,
    pub(super) title: Option<String>,
    pub(super) flash: FlashRegion,
    pub(super) connection: Option<Connection>,
    /// Messages the views' handles sent, waiting for the connection.
    pub(super) inbox: Arc<Mutex<VecDeque<ViewMessage>>>,
    /// Frames the "client" sends once the server's current answer is read.
    pub(super) outgoing: VecDeque<String>,
    pub(super) started: Instant,
    /// Time under test control: only [`LivePage::advance`] moves it.
    pub(super) clock: Duration,
    pub(super) timers: Vec<(Duration, ViewMessage)>,
    pub(super) version: u64,
    pub(super) next_ref: u64,
    pub(super) errors: Vec<Value>,
    pub(super) push_events: Vec<PushEvent>,
    pub(super) live_patches: VecDeque<String>,
    /// A `navigate` the server decided (not the user): [`LivePage::follow_redirect`] mounts it.
    pub(super) pending_navigation: Option<Value>,
    pub(super) redirects: VecDeque<String>,
    /// Whether the next `navigate` answers the user (followed at once) or is a back navigation.
    pub(super) user_navigation: Option<bool>,
    /// The snapshot kept under each URL left (`{view, snapshot}`), as the client keeps them.
    pub(super) snapshots: HashMap<String, (String, String)>,
    pub(super) closed: Option<(u16, String)>,
    /// Whether the `mount`/`resumed` answers now arriving answer a reconnect.
    pub(super) reconnecting: bool,
    /// What the fields held when the reconnect began, put back over a new mount's HTML.
    pub(super) carried: HashMap<Handle, Captured>,
    /// The views the reconnect mounted again, with the fields whose events were replayed.
    pub(super) remounted: Vec<(String, HashSet<Handle>)>,
    /// How the last reconnect brought back each view: `(view, None)` resumed, `(view,
    /// Some(why))` mounted again.
    pub(super) reconnected: Vec<(String, Option<String>)>,
    /// Events that will not be applied: `(event, reason)`.
    pub(super) not_applied: Vec<(String, String)>,
    /// Whether what the server sends is lost on the way ([`LivePage::lose_server_frames`]).
    pub(super) losing: bool,
}

impl std::fmt::Debug for LivePage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LivePage")
            .field("url", &self.url)
            .field("views", &self.dom.views)
            .field("connected", &self.connection.is_some())
            .finish_non_exhaustive()
    }
}

impl LivePage {
    /// `GET url` through the page handler (the dead render), then mounts the page's views on a
    /// new connection, lazy views included.
    ///
    /// # Panics
    /// When no page serves `url`, the page handler fails, or a view fails to mount.
    pub fn open(djust: &Djust, url: &str) -> Self {
        let runtime = Arc::clone(djust.runtime());
        let (document, cookie) = dead_render(&runtime, url);
        let mut headers = vec![("user-agent".to_owned(), USER_AGENT.to_owned())];
        headers.extend(cookie.map(|cookie| ("cookie".to_owned(), cookie)));
        let mut page = Self {
            runtime,
            headers,
            url: url.to_owned(),
            history: vec![url.to_owned()],
            dom: PageDom::default(),
            title: None,
            flash: FlashRegion::default(),
            connection: None,
            inbox: Arc::default(),
            outgoing: VecDeque::new(),
            started: Instant::now(),
            clock: Duration::ZERO,
            timers: Vec::new(),
            version: 0,
            next_ref: 0,
            errors: Vec::new(),
            push_events: Vec::new(),
            live_patches: VecDeque::new(),
            pending_navigation: None,
            redirects: VecDeque::new(),
            user_navigation: None,
            snapshots: HashMap::new(),
            closed: None,
            reconnecting: false,
            carried: HashMap::new(),
            remounted: Vec::new(),
            reconnected: Vec::new(),
            not_applied: Vec::new(),
            losing: false,
        };
        page.read_document(&document);
        page.connect();
        page.mount_all();
        page.pump();
        page.assert_mounted();
        page
    }

    /// The page's URL now (after live redirects and patches).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The page's title, as the last mount set it (`LiveView::title`).
    pub fn page_title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// The flash messages the page shows now (`Context::put_flash`), oldest first, as the
    /// client shows them: the messages of every answer, at most five, each for six seconds of
    /// the test's clock ([`LivePage::advance`]); an unknown kind is shown as `info`.
    pub fn flash(&mut self) -> Vec<Flash> {
        self.pump();
        self.flash.current(self.clock)
    }

    /// Reads what the server sent meanwhile (messages from other connections, say), then
    /// returns the inner HTML of the page's view, ids stamped.
    pub fn render(&mut self) -> String {
        self.pump();
        let target = &self.dom.views.first().expect("a page has a view").target;
        self.render_target(target)
    }

    /// The inner HTML of the view in container `target`.
    pub(super) fn render_target(&self, target: &str) -> String {
        self.dom
            .view(target)
            .map(|view| mirror::to_html(&view.nodes))
            .unwrap_or_default()
    }

    /// The one element matching `selector` (and containing `text`, when given).
    ///
    /// # Panics
    /// When no element or more than one matches: the message says how many and shows them.
    pub fn element(&mut self, selector: &str, text: Option<&str>) -> Element<'_> {
        let handle = self.one(selector, text);
        Element::new(self, handle)
    }

    /// Whether any element matches `selector` (and contains `text`).
    pub fn has_element(&mut self, selector: &str, text: Option<&str>) -> bool {
        self.pump();
        !self.dom.select(selector, text).is_empty()
    }

    /// The one `<form>` matching `selector`, to [`fill`](Form::fill) and
    /// [`submit`](Form::submit).
    ///
    /// # Panics
    /// As [`LivePage::element`], and when the element is not a form.
    pub fn form(&mut self, selector: &str) -> Form<'_> {
        let handle = self.one(selector, None);
        Form::new(self, handle)
    }

    fn one(&mut self, selector: &str, text: Option<&str>) -> Handle {
        self.pump();
        self.check_no_pending_navigation();
        let hits = self.dom.select(selector, text);
        let filter = text.map_or_else(String::new, |text| format!(" with text {text:?}"));
        match hits.as_slice() {
            [one] => one.clone(),
            [] => {
                let views: Vec<String> = self
                    .dom
                    .views
                    .iter()
                    .map(|view| self.render_target(&view.target))
                    .collect();
                panic!(
                    "no element matches `{selector}`{filter} on {}:\n{}",
                    self.url,
                    views.join("\n")
                )
            }
            many => {
                let shown: Vec<String> = many
                    .iter()
                    .map(|handle| {
                        self.dom
                            .node(handle)
                            .map(super::dom::describe)
                            .unwrap_or_default()
                    })
                    .collect();
                panic!(
                    "{} elements match `{selector}`{filter} (exactly one must): {}",
                    many.len(),
                    shown.join(", ")
                )
            }
        }
    }

    /// Sends `info` to the page's view, as a `ViewHandle` would (`V::Info` of the view).
    pub fn send_info<M: Any + Send>(&mut self, info: M) -> Result<String, EventFailure> {
        let target = self
            .dom
            .views
            .first()
            .expect("a page has a view")
            .target
            .clone();
        self.pump();
        let Some(connection) = self.connection.as_mut() else {
            return Err(EventFailure::NotSent("the page is disconnected".into()));
        };
        let message = connection
            .message_for(&target, Box::new(info))
            .unwrap_or_else(|| panic!("no view is mounted in `{target}`"));
        let before = self.errors.len();
        connection.deliver(message);
        self.pump();
        self.answer(&target, before, None)
    }

    /// Moves the test's clock forward by `by`, firing the timers (`Context::send_after`) due
    /// meanwhile, in order. Nothing else moves the clock.
    pub fn advance(&mut self, by: Duration) {
        let until = self.clock + by;
        loop {
            self.pump();
            let due = self
                .timers
                .iter()
                .enumerate()
                .filter(|(_, (at, _))| *at <= until)
                .min_by_key(|(_, (at, _))| *at)
                .map(|(index, _)| index);
            let Some(index) = due else { break };
            let (at, message) = self.timers.remove(index);
            self.clock = at;
            if let Some(connection) = self.connection.as_mut() {
                connection.deliver(message);
            }
        }
        self.clock = until;
    }

    /// When the timers still armed are due, from now.
    pub fn pending_timers(&self) -> Vec<Duration> {
        let mut due: Vec<Duration> = self
            .timers
            .iter()
            .map(|(at, _)| at.saturating_sub(self.clock))
            .collect();
        due.sort();
        due
    }

    /// Asserts that the view pushed client event `event` with `payload` (`Context::push_event`)
    /// and forgets it; earlier pushes of other events stay.
    ///
    /// # Panics
    /// When no such push event arrived; the message lists those that did.
    pub fn assert_push_event(&mut self, event: &str, payload: &Value) {
        self.pump();
        let found = self
            .push_events
            .iter()
            .position(|push| push.event == event && push.payload == *payload);
        match found {
            Some(index) => {
                self.push_events.remove(index);
            }
            None => panic!(
                "no push event `{event}` with payload {payload}; pushed: {:?}",
                self.push_events
            ),
        }
    }

    /// Asserts that the server navigated the page to `url` (`Context::live_redirect`); the
    /// page stays where it was until [`LivePage::follow_redirect`].
    ///
    /// # Panics
    /// When the next live redirect is not to `url`, or there is none.
    pub fn assert_redirect(&mut self, url: &str) -> &mut Self {
        self.pump();
        match self.redirects.pop_front() {
            Some(to) if to == url => self,
            Some(to) => panic!("expected a live redirect to {url}, got one to {to}"),
            None => panic!("expected a live redirect to {url}, there was none"),
        }
    }

    /// Asserts that the view changed the page URL to `url` (`Context::live_patch`).
    ///
    /// # Panics
    /// When the next live patch is not to `url`, or there is none.
    pub fn assert_patch(&mut self, url: &str) {
        self.pump();
        match self.live_patches.pop_front() {
            Some(to) if to == url => {}
            Some(to) => panic!("expected a live patch to {url}, got one to {to}"),
            None => panic!("expected a live patch to {url}, there was none"),
        }
    }

    /// Mounts the page the server navigated to, as the client does on a `navigate` frame.
    ///
    /// # Panics
    /// When no navigation is pending, or a view of the new page fails to mount.
    pub fn follow_redirect(&mut self) -> &mut Self {
        self.pump();
        let frame = self
            .pending_navigation
            .take()
            .expect("follow_redirect: the server did not navigate the page");
        self.redirects.clear();
        self.arrive(&frame, false);
        self.pump();
        self.assert_mounted();
        self
    }

    /// Navigates to `url` over the open connection, as a `dj-link` click does.
    pub fn live_redirect(&mut self, url: &str) -> &mut Self {
        self.user_navigation = Some(false);
        self.send(&json!({"type": "live_redirect", "url": url}));
        self.pump();
        self.assert_mounted();
        self
    }

    /// The browser's back button: navigates to the previous URL, sending the snapshot kept
    /// for it (views with `snapshot` restore their state from it).
    ///
    /// # Panics
    /// When there is no previous URL.
    pub fn back(&mut self) -> &mut Self {
        assert!(self.history.len() > 1, "back: no previous page");
        self.history.pop();
        let url = self.history.last().cloned().unwrap_or_default();
        self.user_navigation = Some(true);
        self.send(&json!({"type": "live_redirect", "url": url}));
        self.pump();
        self.assert_mounted();
        self
    }

    /// The lazy views that failed to mount: `(target, error)`.
    pub fn failed_views(&self) -> Vec<(String, String)> {
        self.errors
            .iter()
            .filter(|error| error["code"] == "mount_failed")
            .map(|error| {
                let field = |name: &str| error[name].as_str().unwrap_or_default().to_owned();
                (field("target"), field("error"))
            })
            .collect()
    }

    /// Panics when a view of the page is not mounted, with the server's error.
    fn assert_mounted(&self) {
        if let Some(navigation) = &self.pending_navigation {
            let _ = navigation; // a mount that redirects at once: follow_redirect mounts the next
            return;
        }
        for view in self.dom.views.iter().filter(|view| !view.lazy) {
            let mounted = self
                .connection
                .as_ref()
                .is_some_and(|connection| connection.view_html(&view.target).is_some());
            if !mounted {
                let error = self
                    .errors
                    .iter()
                    .rev()
                    .find(|error| error["target"].as_str() == Some(&view.target));
                panic!(
                    "{} ({}) did not mount on {}: {}",
                    view.view,
                    view.target,
                    self.url,
                    error.map_or_else(
                        || format!("closed {:?}", self.closed),
                        |error| error.to_string()
                    )
                );
            }
        }
    }

    /// Panics when the server navigated and the test did not follow.
    pub(super) fn check_no_pending_navigation(&self) {
        if let Some(navigation) = &self.pending_navigation {
            panic!(
                "the server navigated to {}: assert_redirect and follow_redirect first",
                navigation["url"]
            );
        }
    }

    /// Reads the page handler's document: its title and view containers.
    fn read_document(&mut self, document: &str) {
        let html = scraper::Html::parse_document(document);
        let select = |selector| scraper::Selector::parse(selector).expect("selector");
        self.title = html
            .select(&select("title"))
            .next()
            .map(|title| title.text().collect());
        for container in html.select(&select("[dj-view]")) {
            let attr = |name| container.attr(name).unwrap_or_default().to_owned();
            self.dom.views.push(ViewDom {
                target: attr("id"),
                view: attr("dj-view"),
                token: attr("dj-token"),
                lazy: container.attr("dj-lazy").is_some(),
                nodes: from_html(&container.inner_html()),
                outbox: Outbox::default(),
            });
        }
    }
}

/// The page handler's document for `url` and the session cookie it set (`name=value`).
fn dead_render(runtime: &Arc<Runtime>, url: &str) -> (String, Option<String>) {
    let route = runtime.page_of(url).unwrap_or_else(|| {
        let pages: Vec<&str> = runtime
            .pages
            .iter()
            .map(|page| page.path.as_str())
            .collect();
        panic!("no page serves {url}; the pages are {pages:?}")
    });
    let request = actix_web::test::TestRequest::get()
        .uri(url)
        .insert_header((header::HOST, "localhost"))
        .insert_header((header::USER_AGENT, USER_AGENT))
        .to_http_request();
    let response = page::render(Arc::clone(runtime), route, request)
        .now_or_never()
        .expect("the page handler completes without waiting")
        .unwrap_or_else(|error| panic!("GET {url} failed: {error}"));
    assert!(
        response.status().is_success(),
        "GET {url} answered {}",
        response.status()
    );
    let cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::to_owned);
    let body = response
        .into_body()
        .try_into_bytes()
        .unwrap_or_else(|_| panic!("GET {url}: the page is not one piece"));
    (String::from_utf8_lossy(&body).into_owned(), cookie)
}
