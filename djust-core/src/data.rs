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
    values: HashMap<TypeId, (&'static str, Arc<dyn Any + Send + Sync>)>,
}

impl DataMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores `value`, replacing any earlier value of the same type.
    pub fn insert<T: Send + Sync + 'static>(&mut self, value: T) {
        let name = std::any::type_name::<T>();
        self.values
            .insert(TypeId::of::<T>(), (name, Arc::new(value)));
    }

    /// The value of type `T`, if one was stored.
    pub fn get<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.values
            .get(&TypeId::of::<T>())
            .and_then(|(_, value)| value.downcast_ref::<T>())
    }

    /// The value of type `T`, or an error naming `T` and the types that are stored.
    pub fn require<T: Send + Sync + 'static>(&self) -> Result<&T, MissingData> {
        self.get::<T>().ok_or_else(|| MissingData {
            wanted: std::any::type_name::<T>(),
            stored: self.type_names(),
        })
    }

    /// The names of the stored types, sorted.
    pub fn type_names(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self.values.values().map(|(name, _)| *name).collect();
        names.sort_unstable();
        names
    }
}

/// No value of the type a view asked for is stored ([`DataMap::require`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingData {
    /// The type asked for.
    pub wanted: &'static str,
    /// The types stored.
    pub stored: Vec<&'static str>,
}

impl fmt::Display for MissingData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no shared data of type `{}` (add it with `DjustConfig::data`); the types stored are {:?}",
            self.wanted, self.stored
        )
    }
}

impl std::error::Error for MissingData {}

impl fmt::Debug for DataMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataMap")
            .field("types", &self.type_names())
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

    #[test]
    fn a_miss_names_the_stored_types() {
        let mut map = DataMap::new();
        map.insert(5_u32);
        map.insert(String::from("x"));
        let missing = map.require::<i64>().unwrap_err();
        assert_eq!(missing.wanted, "i64");
        assert_eq!(missing.stored, vec!["alloc::string::String", "u32"]);
        assert!(missing.to_string().contains("`i64`"), "{missing}");
        assert_eq!(map.require::<u32>(), Ok(&5));
    }
}
