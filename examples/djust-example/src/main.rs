//! Run with `cargo run -p djust-example`.
fn main() {}
