//! The example's live views.

pub mod cart;
pub mod chat;
pub mod counter;
pub mod dashboard;
pub mod form;
pub mod home;
pub mod notes;
pub mod offline;
pub mod rows;
pub mod slow;
pub mod tally;
