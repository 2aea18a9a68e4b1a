//! The views a server knows, by name: what a socket `mount` frame looks up.

use std::{any::TypeId, collections::HashMap};

use djust_core::LiveView;

use crate::view::{self, Factory};

/// Registered views: `LiveView::NAME` → type-erased factory.
#[derive(Clone, Default)]
pub(crate) struct Registry {
    views: HashMap<&'static str, (TypeId, Factory)>,
}

impl Registry {
    /// Registers `V` (again is fine).
    ///
    /// # Panics
    /// When another type already registered the same `NAME`.
    pub(crate) fn register<V: LiveView>(&mut self) -> Factory {
        let (type_id, factory) = *self
            .views
            .entry(V::NAME)
            .or_insert((TypeId::of::<V>(), view::mount::<V> as Factory));
        assert!(
            type_id == TypeId::of::<V>(),
            "two different live views are both named `{}`",
            V::NAME
        );
        factory
    }

    /// The factory of the view named `name`.
    pub(crate) fn get(&self, name: &str) -> Option<Factory> {
        self.views.get(name).map(|(_, factory)| *factory)
    }
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.views.keys()).finish()
    }
}
