//! The register's one source of "now": injected, so every use case runs the same on any date in
//! tests and front ends never read the system clock themselves.

use std::fmt::Debug;
use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};

/// Tells the current instant.
pub trait Clock: Debug + Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that stands still until moved: for tests and replays.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<Timestamp>,
}

impl ManualClock {
    /// A clock showing `now`.
    pub fn new(now: Timestamp) -> ManualClock {
        ManualClock { now: Mutex::new(now) }
    }

    /// Sets the time shown.
    pub fn set(&self, now: Timestamp) {
        *self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = now;
    }

    /// Moves the time shown forward (or back, for a negative duration).
    pub fn advance(&self, by: SignedDuration) {
        let mut now = self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *now = now.checked_add(by).unwrap_or(*now);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
