//! `/notes/`: the signed-in user's notes (the fake login of `crate::accounts`), with a button
//! saving the page for offline use.

use djust_actix::prelude::*;

use crate::accounts;

/// How many notes one page keeps.
pub const MAX_NOTES: usize = 100;
/// The longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 1_000;

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
    fn add(&mut self, note: String) -> Result<(), String> {
        let note = note.trim();
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(format!("a note has at most {MAX_NOTE_CHARS} characters"));
        }
        if self.notes.len() >= MAX_NOTES {
            return Err(format!("a page keeps at most {MAX_NOTES} notes"));
        }
        if !note.is_empty() {
            self.notes.push(note.to_owned());
        }
        Ok(())
    }
}
