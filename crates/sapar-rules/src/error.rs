//! Errors: invalid stay scenarios (user errors) and invalid data files (load errors).

use jiff::civil::Date;
use sapar_model::Country;

use crate::regime::Host;

/// Why a stay question cannot be answered. Every variant names the offending record or date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StayError {
    #[error("stay {index}: exit {exit} is before entry {entry}")]
    ExitBeforeEntry { index: usize, entry: Date, exit: Date },
    #[error("stay {index}: entry {entry} is after the check date {on}")]
    EntryAfterCheckDate { index: usize, entry: Date, on: Date },
    #[error("stay {index}: exit {exit} is after the check date {on}")]
    ExitAfterCheckDate { index: usize, exit: Date, on: Date },
    #[error("stay {index} has no exit but stay {later} entered later, on {later_entry}")]
    OpenStayNotLast { index: usize, later: usize, later_entry: Date },
    #[error("permit {index}: end {to} is before start {from}")]
    PermitEndsBeforeStart { index: usize, from: Date, to: Date },
    #[error("permits {first} and {second} overlap on {day}")]
    OverlappingPermits { first: usize, second: usize, day: Date },
    #[error("no stay regime is loaded for host {0}")]
    UnknownHost(Host),
    #[error("the regime of {host} has no rule for citizens of {citizenship}")]
    NoRuleForCitizenship { host: Host, citizenship: Country },
    #[error("no stay rule of {host} for citizens of {citizenship} is in force on {date}")]
    NoRuleInForce { host: Host, citizenship: Country, date: Date },
    #[error(
        "the stay of citizens of {citizenship} in {host} is bounded by their visa (rule {rule}); the engine has no visa data"
    )]
    GovernedByVisa { host: Host, citizenship: Country, rule: String },
    #[error("entering on {entering} falls before the exit {exit} of recorded stay {index}")]
    EnteringDuringStay { index: usize, entering: Date, exit: Date },
    #[error("stay {index} is still open, so a new entry on {entering} is not possible without an exit")]
    EnteringWhilePresent { index: usize, entering: Date },
    #[error("no production calendar of {state} for {year}")]
    NoCalendar { state: String, year: i16 },
    #[error("regime override: {0}")]
    InvalidShape(String),
}

impl StayError {
    /// A stable machine-readable code for the error.
    pub fn code(&self) -> &'static str {
        match self {
            StayError::ExitBeforeEntry { .. } => "exit_before_entry",
            StayError::EntryAfterCheckDate { .. } => "stay_after_check_date",
            StayError::ExitAfterCheckDate { .. } => "exit_after_check_date",
            StayError::OpenStayNotLast { .. } => "open_stay_not_last",
            StayError::PermitEndsBeforeStart { .. } => "permit_ends_before_start",
            StayError::OverlappingPermits { .. } => "overlapping_permits",
            StayError::UnknownHost(_) => "unknown_host",
            StayError::NoRuleForCitizenship { .. } => "no_rule_for_citizenship",
            StayError::NoRuleInForce { .. } => "no_rule_in_force",
            StayError::GovernedByVisa { .. } => "governed_by_visa",
            StayError::EnteringDuringStay { .. } => "entering_during_stay",
            StayError::EnteringWhilePresent { .. } => "entering_while_present",
            StayError::NoCalendar { .. } => "no_calendar",
            StayError::InvalidShape(_) => "invalid_regime",
        }
    }

    /// The input field the error points at, in the scenario's JSON path notation.
    pub fn field(&self) -> Option<String> {
        match self {
            StayError::ExitBeforeEntry { index, .. } | StayError::ExitAfterCheckDate { index, .. } => {
                Some(format!("stays[{index}].to"))
            }
            StayError::EntryAfterCheckDate { index, .. } => Some(format!("stays[{index}].from")),
            StayError::OpenStayNotLast { index, .. } => Some(format!("stays[{index}].to")),
            StayError::PermitEndsBeforeStart { index, .. } => Some(format!("permits[{index}].to")),
            StayError::OverlappingPermits { second, .. } => Some(format!("permits[{second}]")),
            StayError::UnknownHost(_) => Some("host".to_owned()),
            StayError::NoRuleForCitizenship { .. } | StayError::GovernedByVisa { .. } => Some("citizenship".to_owned()),
            StayError::NoRuleInForce { .. } => Some("on".to_owned()),
            StayError::EnteringDuringStay { .. } | StayError::EnteringWhilePresent { .. } => {
                Some("entering_on".to_owned())
            }
            StayError::NoCalendar { .. } => Some("stays".to_owned()),
            StayError::InvalidShape(_) => Some("regime".to_owned()),
        }
    }
}

/// A data file (regime or production calendar) that cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct LoadError {
    /// The file name as given to the loader.
    pub file: String,
    /// 1-based line of the offending item (1 when the whole file is at fault).
    pub line: usize,
    /// What is wrong, lowercase, without a trailing period.
    pub reason: String,
}
