//! Testing live views in process, in the spirit of `Phoenix.LiveViewTest` and
//! `actix_web::test` (cargo feature `test`).
//!
//! [`LivePage::open`] renders a page through the page handler (the "dead" render), then mounts
//! its views on the real connection core, as the browser's client would — no socket, no
//! browser, no runtime. Interactions find elements by CSS selector (exactly one must match)
//! and send what the client would send for their binding; the answers' patches are applied to
//! a mirror DOM, which after every interaction must equal the server's fresh render, so each
//! test also checks the diff and the patches.
//!
//! ```
//! use djust_actix::{core::RenderError, prelude::*, test::LivePage, Djust, DjustConfig};
//!
//! struct Counter(i64);
//!
//! impl LiveView for Counter {
//!     type Info = ();
//!     const NAME: &'static str = "doc::Counter";
//!     const EVENTS: &'static [&'static str] = &["add"];
//!     fn mount(_: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
//!         Ok(Counter(0))
//!     }
//!     fn render(&self, out: &mut String) -> Result<(), RenderError> {
//!         out.push_str(&format!("<p id=\"n\">{}</p><button dj-click=\"add\">+</button>", self.0));
//!         Ok(())
//!     }
//!     fn handle_event(&mut self, event: &str, _: &Params, _: &mut Context<()>)
//!         -> Result<(), EventError> {
//!         match event {
//!             "add" => Ok(self.0 += 1),
//!             _ => Err(EventError::UnknownEvent { event: event.to_owned() }),
//!         }
//!     }
//! }
//!
//! let app = Djust::new(DjustConfig::new()).view::<Counter>("/counter/");
//! let mut page = LivePage::open(&app, "/counter/");
//! page.element("button", Some("+")).click().unwrap();
//! assert_eq!(page.element("#n", None).text(), "1");
//! ```
//!
//! [`LivePage::page_title`] and [`LivePage::flash`] read what the page shows. Time is under the
//! test's control: timers (`Context::send_after`) fire only when
//! [`LivePage::advance`] moves the clock past them.
//!
//! [`LivePage::disconnect`] drops the connection as a network drop does (the server parks the
//! view sessions for their grace window, on the test's clock); [`LivePage::reconnect`] mounts
//! each view with `resume: {vs, rev}`, as the client does: a `resumed` answer keeps the state
//! and brings what was missed, events made meanwhile go once, and form recovery runs only
//! after a remount ([`LivePage::resumed`], [`LivePage::remounted`]).
//!
//! Failures are panics with what went wrong: no element or several for a selector, a missing
//! binding (`dj-click`, `dj-submit`, …), a disabled element, a form field name the markup does
//! not have, a patch that does not apply, a patched DOM that differs from a fresh render. What
//! the server refused (an `error` frame) is an [`EventFailure`] the interaction returns.

mod dom;
mod element;
mod failure;
mod flash;
mod frames;
mod outbox;
mod page;

pub use element::{Element, Form};
pub use failure::EventFailure;
pub use page::LivePage;
