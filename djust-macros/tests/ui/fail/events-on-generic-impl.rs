use djust_actix::prelude::*;

pub struct List<T> {
    pub items: Vec<T>,
}

#[events]
impl<T: 'static> List<T> {
    #[event]
    fn clear(&mut self) {
        self.items.clear();
    }
}

fn main() {}
