//! Helpers shared by the integration tests.
#![allow(unreachable_pub)]

pub mod dom;
pub mod gen;
