//! The vocabulary of stay regimes: hosts, limit shapes, stay rules and registration rules.

use std::fmt;

use jiff::civil::Date;
use sapar_model::{Country, CountryError, Purpose};
use serde::{Deserialize, Serialize};

use crate::day::{Day, day_of};

/// A host: a state, or the Schengen area taken as one (its 90/180 rule is the reference).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Host {
    State(Country),
    Schengen,
}

impl Host {
    /// Parses an ISO 3166-1 alpha-3 code, or `SCHENGEN` for the Schengen area.
    pub fn parse(code: &str) -> Result<Host, CountryError> {
        if code.eq_ignore_ascii_case("SCHENGEN") { Ok(Host::Schengen) } else { Country::parse(code).map(Host::State) }
    }

    /// `SCHENGEN` or the state's alpha-3 code.
    pub fn code(&self) -> &str {
        match self {
            Host::State(c) => c.code(),
            Host::Schengen => "SCHENGEN",
        }
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Host({})", self.code())
    }
}

/// How anchored periods follow one another (an open point of Kyrgyz practice).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Anchoring {
    /// Periods are back to back from the very first entry: [A, A+P-1], [A+P, A+2P-1], …
    #[default]
    Consecutive,
    /// When a period has ended, the next one starts on the next day of stay.
    NextEntry,
}

/// One limit on the days of stay. A rule may combine several; each must hold on every day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Shape {
    /// One continuous stay may not exceed `max_days` days.
    PerEntry {
        max_days: u16,
        /// Whether an exit and re-entry on the same day starts a new stay (open point).
        #[serde(default = "default_true")]
        reentry_restarts: bool,
    },
    /// On any day d, the days of stay in [d − window + 1, d] may not exceed `max`.
    Rolling { window: u16, max: u16 },
    /// Fixed periods of `period` days counted from the first entry; at most `max` days in each.
    AnchoredFromFirstEntry {
        period: u16,
        max: u16,
        #[serde(default)]
        anchoring: Anchoring,
    },
    /// At most `max` days in a calendar year and, if set, no continuous stay over `max_continuous`.
    CalendarYear {
        max: u16,
        #[serde(default)]
        max_continuous: Option<u16>,
        #[serde(default = "default_true")]
        reentry_restarts: bool,
    },
}

fn default_true() -> bool {
    true
}

impl Shape {
    /// Checks the numbers make sense; the reason is lowercase, for error messages.
    pub fn validate(&self) -> Result<(), String> {
        match *self {
            Shape::PerEntry { max_days: 0, .. } => Err("per_entry max_days must be at least 1".into()),
            Shape::Rolling { window, max } if window == 0 || max == 0 || max > window => {
                Err(format!("rolling needs 1 <= max <= window, got max {max} and window {window}"))
            }
            Shape::AnchoredFromFirstEntry { period, max, .. } if period == 0 || max == 0 || max > period => {
                Err(format!("anchored_from_first_entry needs 1 <= max <= period, got max {max} and period {period}"))
            }
            Shape::CalendarYear { max, max_continuous, .. } if max == 0 || max > 366 || max_continuous == Some(0) => {
                Err(format!("calendar_year needs 1 <= max <= 366 and max_continuous >= 1, got max {max}"))
            }
            _ => Ok(()),
        }
    }

    /// A short human label, e.g. `rolling 90/180`.
    pub fn label(&self) -> String {
        match *self {
            Shape::PerEntry { max_days, .. } => format!("per entry {max_days}"),
            Shape::Rolling { window, max } => format!("rolling {max}/{window}"),
            Shape::AnchoredFromFirstEntry { period, max, anchoring } => {
                let how = match anchoring {
                    Anchoring::Consecutive => "consecutive",
                    Anchoring::NextEntry => "next entry",
                };
                format!("anchored {max}/{period} ({how})")
            }
            Shape::CalendarYear { max, max_continuous: Some(c), .. } => {
                format!("calendar year {max}, continuous {c}")
            }
            Shape::CalendarYear { max, max_continuous: None, .. } => format!("calendar year {max}"),
        }
    }
}

/// What a stay rule says about a citizenship group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    /// The shapes limit the stay.
    #[default]
    Limited,
    /// No short-stay limit (own citizens, free movement, union state).
    Unrestricted,
    /// A visa is required; its shapes (if any) apply on top of the visa's own validity,
    /// and with no shapes the engine cannot answer.
    VisaRequired,
}

/// The declared purposes of stay a rule covers, and the legal text that limits them. A rule
/// without such a limit covers every purpose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurposeLimit {
    /// The purposes the rule covers, in [`Purpose::ALL`] order; never empty.
    pub covered: Vec<Purpose>,
    /// The legal text that limits the purposes.
    pub basis: String,
}

impl PurposeLimit {
    /// The purposes of [`Purpose::ALL`] the rule does not cover.
    pub fn not_covered(&self) -> impl Iterator<Item = Purpose> + '_ {
        Purpose::ALL.into_iter().filter(|p| !self.covered.contains(p))
    }
}

/// A version of a stay rule, in force from `valid_from` to `valid_to` (inclusive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StayRule {
    pub id: String,
    pub basis: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub status: RuleStatus,
    pub shapes: Vec<Shape>,
    /// The declared purposes the rule covers, when it does not cover them all.
    pub purposes: Option<PurposeLimit>,
    pub(crate) from_day: Day,
    pub(crate) to_day: Day,
}

impl StayRule {
    pub(crate) fn new(
        id: String,
        basis: String,
        valid_from: Date,
        valid_to: Option<Date>,
        status: RuleStatus,
        shapes: Vec<Shape>,
    ) -> StayRule {
        StayRule {
            from_day: day_of(valid_from),
            to_day: valid_to.map_or(Day::MAX, day_of),
            id,
            basis,
            valid_from,
            valid_to,
            status,
            shapes,
            purposes: None,
        }
    }

    pub(crate) fn in_force(&self, day: Day) -> bool {
        self.from_day <= day && day <= self.to_day
    }

    /// Whether a stay under this rule may have the declared `purpose`: true unless the rule
    /// limits purposes and leaves this one out.
    pub fn covers(&self, purpose: Purpose) -> bool {
        self.purposes.as_ref().is_none_or(|limit| limit.covered.contains(&purpose))
    }
}

/// Calendar or working days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    CalendarDays,
    WorkingDays,
}

/// Who the law makes answer for registering a foreigner at the place of stay on time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Liable {
    /// The host, landlord, hotel or employer receiving the foreigner.
    #[default]
    ReceivingParty,
    /// The foreigner themself.
    Migrant,
}

impl Liable {
    /// Stable identifier, as written in the rule data.
    pub fn as_str(self) -> &'static str {
        match self {
            Liable::ReceivingParty => "receiving_party",
            Liable::Migrant => "migrant",
        }
    }
}

/// A registration deadline at the place of stay, in force for arrivals in [valid_from, valid_to].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationRule {
    pub id: String,
    pub basis: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    /// The number of days allowed.
    pub days: u16,
    pub counting: Counting,
    /// Open point: whether the day of crossing is day 1 of the term (else day 1 is the next day).
    pub crossing_day_is_day_one: bool,
    /// Whether a deadline falling on a non-working day moves to the next working day.
    pub roll_to_working_day: bool,
    /// Who answers for registering on time.
    pub liable: Liable,
    pub(crate) from_day: Day,
    pub(crate) to_day: Day,
}

impl RegistrationRule {
    pub(crate) fn in_force(&self, day: Day) -> bool {
        self.from_day <= day && day <= self.to_day
    }
}
