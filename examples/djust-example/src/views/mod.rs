//! The example's live views.

pub mod cart;
pub mod chat;
pub mod counter;
pub mod dashboard;
pub mod feed;
pub mod form;
pub mod home;
pub mod hooks;
pub mod notes;
pub mod offline;
pub mod rows;
pub mod slow;
pub mod stream_rows;
pub mod tally;
pub mod todos;
