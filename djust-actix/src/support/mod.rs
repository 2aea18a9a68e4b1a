//! The bottom layer: small helpers every other layer may use, one of each — time, random ids,
//! cookies, short hashes, HTML escaping, secret comparison, giving freed memory back. Imports nothing from the crate.

mod cookies;
mod hash;
mod html;
mod ids;
mod memory;
mod secret;
mod time;

pub(crate) use cookies::cookie_value;
pub(crate) use hash::short_hash;
pub(crate) use html::{escape, escape_into};
pub(crate) use ids::{random_bytes, random_id};
pub(crate) use memory::release_freed_memory;
pub(crate) use secret::same_secret;
pub(crate) use time::unix_now;
