//! The register's use cases on SQLite and PostgreSQL, with an injected clock.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod linking;
mod search;
mod use_cases;

use std::sync::Arc;

use sapar_model::Role;
use sapar_register::{Actor, ManualClock, Register};
use sapar_test_support::TestDb;

/// A register over a fresh database whose clock stands at 2025-06-01T06:00Z until moved.
pub(crate) struct Fixture {
    pub(crate) register: Register,
    pub(crate) clock: Arc<ManualClock>,
    pub(crate) db: TestDb,
}

pub(crate) async fn fixture(db: TestDb) -> Fixture {
    let clock = Arc::new(ManualClock::new("2025-06-01T06:00:00Z".parse().unwrap()));
    let register = Register::with_embedded_rules(db.store.clone()).unwrap().with_clock(clock.clone());
    Fixture { register, clock, db }
}

pub(crate) fn admin() -> Actor {
    Actor::new("ops", Role::Admin)
}

pub(crate) fn officer() -> Actor {
    Actor::new("a.sadykova", Role::Officer)
}

pub(crate) fn border() -> Actor {
    Actor::new("korday-post-3", Role::Border)
}
