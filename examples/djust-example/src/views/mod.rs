//! The example's live views.

pub mod chat;
pub mod counter;
pub mod form;
pub mod home;
pub mod rows;
pub mod slow;
pub mod tally;
