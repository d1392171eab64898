//! Stay regimes as versioned data, production calendars, and the stay/overstay/deadline engine.
//!
//! Regimes and calendars are TOML files (`data/`), embedded at build time and validated when a
//! [`RuleBook`] is loaded. Every question takes the check date as an argument: the crate never
//! reads the clock. A day is always judged by the rule in force on that day.
//!
//! ```
//! use jiff::civil::date;
//! use sapar_model::Country;
//! use sapar_rules::{Host, RuleBook, Stay};
//!
//! let book = RuleBook::load_embedded().unwrap();
//! let stays = [Stay::closed(date(2025, 1, 10), date(2025, 3, 10)), Stay::open(date(2025, 6, 1))];
//! let answer = book.evaluate(Host::State(Country::RUS), Country::UZB, &stays, &[], date(2025, 6, 10)).unwrap();
//! assert_eq!(answer.days_used, 70);
//! assert_eq!(answer.last_legal_day, Some(date(2025, 6, 30)));
//! ```

mod calendar;
mod day;
mod engine;
mod error;
mod history;
mod load;
mod regime;
mod rulebook;
pub mod scenario;
mod sweep;
pub mod synth;
mod timeline;

pub use engine::{Answer, Check, MaxStay, Measure, Permit, RegistrationDue, Stay, StayAnswer, WALK_HORIZON_DAYS};
pub use error::{LoadError, StayError};
pub use history::{join_periods, permit_cover, push_crossing, stays_from_crossings};
pub use regime::{Anchoring, Counting, Host, Liable, PurposeLimit, RegistrationRule, RuleStatus, Shape, StayRule};
pub use rulebook::{EMBEDDED_CALENDARS, EMBEDDED_REGIMES, Resolved, RuleBook};
pub use scenario::{evaluate_scenario, parse_scenario};
pub use sweep::{Overstayer, SweepPerson, SweepReport, SweepSubject};
