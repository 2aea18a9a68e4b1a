//! The example's live views.

pub mod chat;
pub mod counter;
pub mod home;
pub mod rows;
