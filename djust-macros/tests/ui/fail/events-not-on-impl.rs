use djust_actix::prelude::*;

pub struct Counter {
    pub count: i64,
}

#[events]
fn increment(counter: &mut Counter) {
    counter.count += 1;
}

fn main() {}
