//! Runtime behaviour of `#[live_view(.., enable_state_snapshot)]`: what a snapshot carries,
//! how the generated `restore_snapshot` rebuilds the view, and both overrides.

use std::time::Duration;

use djust_actix::core::{snapshot::SnapshotState, DataMap};
use djust_actix::prelude::*;
use serde_json::{json, Map, Value};

#[live_view(template = "counter.html", enable_state_snapshot)]
#[derive(Debug, Default)]
pub struct Counter {
    pub count: i64,
    pub r#type: String,
    #[snapshot(skip)]
    pub cursor: u32,
    #[snapshot(allow)]
    pub token_count: u32,
    step: i64,
    secret_note: String,
}

#[events]
impl Counter {
    fn mount() -> Self {
        Self {
            step: 5,
            ..Self::default()
        }
    }

    #[event]
    fn increment(&mut self) {
        self.count += self.step;
    }

    #[event]
    fn set_step(&mut self, value: i64) {
        self.step = value;
    }
}

/// Overrides both: restores on top of the default and only snapshots under a minute old.
#[live_view(template = "counter.html", enable_state_snapshot)]
#[derive(Debug, Default)]
pub struct Picky {
    pub count: i64,
    pub origin: String,
    step: i64,
}

#[events]
impl Picky {
    #[event]
    fn increment(&mut self) {
        self.count += self.step;
    }

    #[event]
    fn set_step(&mut self, value: i64) {
        self.step = value;
    }

    fn restore_snapshot(
        state: &SnapshotState,
        ctx: &mut MountContext<'_, ()>,
    ) -> Result<Self, SnapshotError> {
        let mut view: Self = restore_public_fields(state)?;
        view.origin = format!("restored at {}", ctx.path());
        view.step = 2;
        Ok(view)
    }

    fn should_restore_snapshot(state: &SnapshotState, _ctx: &MountContext<'_, ()>) -> bool {
        state.age() < Duration::from_secs(60)
    }
}

#[live_view(template = "empty.html")]
#[derive(Debug, Default)]
pub struct Plain {
    pub count: i64,
    pub password: String,
}

#[events]
impl Plain {}

fn fields(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => unreachable!(),
    }
}

fn with_ctx<T>(f: impl FnOnce(&mut MountContext<'_, ()>) -> T) -> T {
    let data = DataMap::new();
    let mut ctx = MountContext::new("/counter/", &[], &data, Context::disconnected());
    f(&mut ctx)
}

#[test]
fn snapshots_carry_public_fields_only() {
    let view = Counter {
        count: 3,
        r#type: "x".into(),
        cursor: 9,
        token_count: 4,
        step: 7,
        secret_note: "hidden".into(),
    };
    const { assert!(Counter::SNAPSHOT) };
    assert_eq!(
        view.snapshot(),
        Some(fields(json!({"count": 3, "type": "x", "token_count": 4})))
    );
}

#[test]
fn default_restore_assigns_public_fields_and_defaults_the_rest() {
    let state = SnapshotState::new(
        fields(json!({"count": 3, "type": "x", "token_count": 4})),
        Duration::from_secs(10),
    );
    let view = with_ctx(|ctx| Counter::restore_snapshot(&state, ctx)).unwrap();
    assert_eq!(
        (view.count, view.r#type.as_str(), view.token_count),
        (3, "x", 4)
    );
    // Private and skipped fields are not reachable from a snapshot: `Default`, not `mount`'s 5.
    assert_eq!(
        (view.step, view.cursor, view.secret_note.as_str()),
        (0, 0, "")
    );
}

#[test]
fn private_fields_in_a_snapshot_are_refused() {
    for extra in [
        json!({"step": 100}),
        json!({"secret_note": "x"}),
        json!({"cursor": 1}),
    ] {
        let mut state = fields(json!({"count": 3, "type": "x", "token_count": 4}));
        state.extend(fields(extra));
        let state = SnapshotState::new(state, Duration::ZERO);
        let result = with_ctx(|ctx| Counter::restore_snapshot(&state, ctx));
        assert!(matches!(result, Err(SnapshotError::Shape(_))), "{result:?}");
    }
}

#[test]
fn restore_refuses_missing_and_ill_typed_fields() {
    for state in [
        json!({"count": 3}),
        json!({"count": "three", "type": "x", "token_count": 4}),
    ] {
        let state = SnapshotState::new(fields(state), Duration::ZERO);
        let result = with_ctx(|ctx| Counter::restore_snapshot(&state, ctx));
        assert!(matches!(result, Err(SnapshotError::Shape(_))), "{result:?}");
    }
}

#[test]
fn should_restore_defaults_to_five_minutes() {
    let at = |secs| SnapshotState::new(Map::new(), Duration::from_secs(secs));
    with_ctx(|ctx| {
        assert!(Counter::should_restore_snapshot(&at(0), ctx));
        assert!(Counter::should_restore_snapshot(&at(299), ctx));
        assert!(!Counter::should_restore_snapshot(&at(300), ctx));
    });
}

#[test]
fn overrides_are_used() {
    let state = SnapshotState::new(
        fields(json!({"count": 8, "origin": "x"})),
        Duration::from_secs(90),
    );
    with_ctx(|ctx| {
        assert!(!Picky::should_restore_snapshot(&state, ctx));
        let view = Picky::restore_snapshot(&state, ctx).unwrap();
        assert_eq!((view.count, view.step), (8, 2));
        assert_eq!(view.origin, "restored at /counter/");
    });
    let young = SnapshotState::new(Map::new(), Duration::from_secs(59));
    with_ctx(|ctx| assert!(Picky::should_restore_snapshot(&young, ctx)));
}

#[test]
fn views_without_snapshots_send_none_and_never_restore() {
    let view = Plain::default();
    const { assert!(!Plain::SNAPSHOT) };
    assert_eq!(view.snapshot(), None);
    let state = SnapshotState::new(fields(json!({"count": 1, "password": "x"})), Duration::ZERO);
    assert!(with_ctx(|ctx| Plain::restore_snapshot(&state, ctx)).is_err());
}
