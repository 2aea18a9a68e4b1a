//! `/notes/`: the signed-in user's notes (the fake login of `crate::accounts`), with a button
//! saving the page for offline use.

use djust_actix::prelude::*;

use crate::accounts;

/// Notes of the signed-in user (kept in the view only).
#[live_view(template = "notes.html", title = "Notes")]
#[derive(Debug)]
pub struct Notes {
    /// Who is signed in (`anonymous` when nobody is).
    pub user: String,
    /// The notes added since the page was mounted.
    pub notes: Vec<String>,
}

#[events]
impl Notes {
    fn mount(ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        let user = accounts::user_of(ctx.header("cookie").unwrap_or(""));
        Ok(Self {
            user: user.unwrap_or("anonymous").to_owned(),
            notes: Vec::new(),
        })
    }

    /// Adds the note typed in the form.
    #[event]
    fn add(&mut self, note: String) {
        if !note.trim().is_empty() {
            self.notes.push(note.trim().to_owned());
        }
    }
}
