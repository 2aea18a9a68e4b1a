//! [`DataMap`]: shared application data views can read on mount.

use std::{
    any::{Any, TypeId},
    collections::HashMap,
    fmt,
    sync::Arc,
};

/// A map from type to one shared value of that type.
///
/// The server holds one `DataMap`; views read from it with [`crate::MountContext::data`].
#[derive(Clone, Default)]
pub struct DataMap {
    values: HashMap<TypeId, Arc<dyn Any + Send + Sync>>,
}

impl DataMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores `value`, replacing any earlier value of the same type.
    pub fn insert<T: Send + Sync + 'static>(&mut self, value: T) {
        self.values.insert(TypeId::of::<T>(), Arc::new(value));
    }

    /// The value of type `T`, if one was stored.
    pub fn get<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.values
            .get(&TypeId::of::<T>())
            .and_then(|value| value.downcast_ref::<T>())
    }
}

impl fmt::Debug for DataMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataMap")
            .field("len", &self.values.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_one_value_per_type() {
        let mut map = DataMap::new();
        map.insert(5_u32);
        map.insert(String::from("x"));
        map.insert(7_u32);
        assert_eq!(map.get::<u32>(), Some(&7));
        assert_eq!(map.get::<String>().map(String::as_str), Some("x"));
        assert_eq!(map.get::<i64>(), None);
    }
}
