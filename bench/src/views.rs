//! Driving the example's views in process, the way the socket actor does per event:
//! handler, then render, then [`LiveDom::update`] (diff and encode).

use djust_core::{
    vdom::{LiveDom, Update},
    Context, DataMap, LiveView, MountContext, Params,
};

/// A mounted view and its server-side DOM.
#[derive(Debug)]
pub struct Mounted<V: LiveView> {
    /// The view's state.
    pub view: V,
    /// What the client shows.
    pub dom: LiveDom,
}

/// Renders `view` to a fresh string (panics on a template error: the example's cannot fail).
pub fn render<V: LiveView>(view: &V) -> String {
    let mut out = String::with_capacity(4096);
    view.render(&mut out)
        .expect("the example's templates render");
    out
}

impl<V: LiveView> Mounted<V> {
    /// Mounts `V` at `url` with no shared data, as a disconnected render does.
    pub fn new(url: &str) -> Self {
        let data = DataMap::new();
        let mut ctx = MountContext::new(url, &[], &data, Context::disconnected());
        let view = V::mount(&mut ctx).expect("the example's views mount");
        let dom = LiveDom::new(render(&view));
        Self { view, dom }
    }

    /// Runs handler `event` with `params` and returns the update the client would get.
    pub fn event(&mut self, event: &str, params: &Params) -> Update {
        let mut ctx = Context::disconnected();
        self.view
            .handle_event(event, params, &mut ctx)
            .expect("the example's handlers succeed");
        self.dom.update(render(&self.view))
    }
}

/// Median µs of `iters` calls of `f` (after 5 untimed ones) and the last update's size in bytes.
pub fn median_update(iters: usize, mut f: impl FnMut() -> Update) -> (f64, usize) {
    for _ in 0..5 {
        f();
    }
    let mut micros = Vec::with_capacity(iters);
    let mut bytes = 0;
    for _ in 0..iters {
        let started = std::time::Instant::now();
        let update = f();
        micros.push(started.elapsed().as_secs_f64() * 1e6);
        bytes = match update {
            Update::Patches(json) | Update::Html(json) => json.len(),
            Update::Unchanged => 0,
        };
    }
    micros.sort_by(f64::total_cmp);
    (micros[micros.len() / 2], bytes)
}

/// A one-entry params map (`{"id": "7"}`).
pub fn param(name: &str, value: &str) -> Params {
    let mut params = Params::new();
    params.insert(name.to_owned(), value.into());
    params
}

#[cfg(test)]
mod tests {
    use djust_example::views::{counter::Counter, rows::Rows};

    use super::*;

    #[test]
    fn counter_and_rows_update_with_patches() {
        let mut counter = Mounted::<Counter>::new("/counter/");
        assert!(matches!(
            counter.event("increment", &Params::new()),
            Update::Patches(_)
        ));
        let mut rows = Mounted::<Rows>::new("/rows/");
        rows.event("create", &Params::new());
        match rows.event("update_every_10th", &Params::new()) {
            Update::Patches(json) => assert!(json.contains("!!!")),
            other => panic!("expected patches, got {other:?}"),
        }
        assert!(matches!(
            rows.event("select", &param("id", "7")),
            Update::Patches(_)
        ));
    }
}
