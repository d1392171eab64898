//! The register's use cases on SQLite and PostgreSQL, with an injected clock.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access;
mod accounts;
mod border;
mod cards;
mod control;
mod linking;
mod offences;
mod queues;
mod refusals;
mod registrations;
mod search;
mod use_cases;

use std::sync::Arc;

use sapar_model::{ReadPurpose, Role};
use sapar_register::access::{Access, AccessChannel};
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

/// `actor` reading for `purpose` through the command line, from no known address.
pub(crate) fn reads(actor: Actor, purpose: ReadPurpose) -> Access {
    Access::new(actor, purpose, AccessChannel::Cli)
}

/// The migration officer reading to control a stay.
pub(crate) fn officer_reads() -> Access {
    reads(officer(), ReadPurpose::StayControl)
}

/// The border post reading to check a traveller.
pub(crate) fn border_reads() -> Access {
    reads(border(), ReadPurpose::BorderCheck)
}
