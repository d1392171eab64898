//! Border crossings: entry or exit, when (with its time zone), where and for what purpose.

use std::fmt;

use jiff::{SignedDuration, Timestamp, Zoned, civil::Date, tz::TimeZone};

use crate::document::IdentityDocument;
use crate::ids::{CrossingId, PersonId};
use crate::person::PersonDetails;

/// How far into the future a crossing time may lie, to allow for unsynchronised clocks.
pub const MAX_CLOCK_SKEW: SignedDuration = SignedDuration::from_mins(5);

/// Entry into or exit from the host state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Entry,
    Exit,
}

impl Direction {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Entry => "entry",
            Direction::Exit => "exit",
        }
    }

    /// Parses `entry` or `exit`.
    pub fn parse(s: &str) -> Result<Direction, CrossingError> {
        match s {
            "entry" => Ok(Direction::Entry),
            "exit" => Ok(Direction::Exit),
            other => Err(CrossingError::UnknownDirection(other.to_owned())),
        }
    }
}

/// The purpose the traveller declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    Work,
    Study,
    Family,
    Private,
    Tourism,
    Transit,
    Other,
}

impl Purpose {
    /// All purposes in a stable order.
    pub const ALL: [Purpose; 7] = [
        Purpose::Work,
        Purpose::Study,
        Purpose::Family,
        Purpose::Private,
        Purpose::Tourism,
        Purpose::Transit,
        Purpose::Other,
    ];

    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Work => "work",
            Purpose::Study => "study",
            Purpose::Family => "family",
            Purpose::Private => "private",
            Purpose::Tourism => "tourism",
            Purpose::Transit => "transit",
            Purpose::Other => "other",
        }
    }

    /// Parses a stable identifier.
    pub fn parse(s: &str) -> Result<Purpose, CrossingError> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| CrossingError::UnknownPurpose(s.to_owned()))
    }
}

/// Why the border service refused a traveller entry: a closed list, so every refusal is counted
/// under one ground (statistics) and each ground carries its legal basis (the register's data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefusalGround {
    /// An entry ban in force.
    EntryBan,
    /// The document is expired, not yet valid, false or not the holder's.
    InvalidDocument,
    /// No visa where one is required.
    NoVisa,
    /// No day of legal stay left on the day of entry.
    NoDaysLeft,
    /// An earlier breach of the stay rules.
    StayRulesBreach,
    /// The person is in a control register whose restrictions bar entry.
    ControlRegister,
    /// The declared purpose of travel does not hold.
    FalsePurpose,
    /// National security, public order or public health.
    PublicSafety,
    /// Another ground, named in the note.
    Other,
}

impl RefusalGround {
    /// Every ground, in a stable order.
    pub const ALL: [RefusalGround; 9] = [
        RefusalGround::EntryBan,
        RefusalGround::InvalidDocument,
        RefusalGround::NoVisa,
        RefusalGround::NoDaysLeft,
        RefusalGround::StayRulesBreach,
        RefusalGround::ControlRegister,
        RefusalGround::FalsePurpose,
        RefusalGround::PublicSafety,
        RefusalGround::Other,
    ];

    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalGround::EntryBan => "entry_ban",
            RefusalGround::InvalidDocument => "invalid_document",
            RefusalGround::NoVisa => "no_visa",
            RefusalGround::NoDaysLeft => "no_days_left",
            RefusalGround::StayRulesBreach => "stay_rules_breach",
            RefusalGround::ControlRegister => "control_register",
            RefusalGround::FalsePurpose => "false_purpose",
            RefusalGround::PublicSafety => "public_safety",
            RefusalGround::Other => "other",
        }
    }

    /// Parses a stable identifier.
    pub fn parse(s: &str) -> Option<RefusalGround> {
        RefusalGround::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// The longest note a refusal of entry keeps.
pub const MAX_REFUSAL_NOTE_CHARS: usize = 2000;

/// What happened at the border: the traveller crossed, or was refused entry. A refused entry is
/// kept with the crossings (it is part of the person's history and counted), but it is no
/// crossing of the border: it opens no stay.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Outcome {
    #[default]
    Crossed,
    Refused {
        ground: RefusalGround,
        /// The officer's note (at most [`MAX_REFUSAL_NOTE_CHARS`] characters).
        note: Option<String>,
    },
}

impl Outcome {
    /// `crossed` or `refused`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Crossed => "crossed",
            Outcome::Refused { .. } => "refused",
        }
    }

    /// Whether the traveller crossed the border (entered or left).
    pub fn crossed(&self) -> bool {
        matches!(self, Outcome::Crossed)
    }
}

/// Why a crossing was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CrossingError {
    #[error("unknown direction {0:?} (expected entry or exit)")]
    UnknownDirection(String),
    #[error("unknown purpose {0:?} (expected work, study, family, private, tourism, transit or other)")]
    UnknownPurpose(String),
    #[error("crossing point code must be 2-32 characters of A-Z, 0-9 and '-', got {0:?}")]
    InvalidPoint(String),
    #[error("time {0:?} is not an RFC 3339 / RFC 9557 date-time with an offset or time zone")]
    InvalidTime(String),
    #[error("crossing time {at} lies in the future (now {now}, allowed clock skew 5 minutes)")]
    InFuture { at: Timestamp, now: Timestamp },
}

/// A crossing point's code, e.g. `KZ-ALA-AIR` or `KG-AKJOL`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CrossingPoint(String);

impl CrossingPoint {
    /// Parses a code: 2-32 characters of upper-case A-Z, 0-9 and `-` (lower case is upper-cased).
    pub fn parse(raw: &str) -> Result<CrossingPoint, CrossingError> {
        let upper = raw.to_ascii_uppercase();
        let ok = (2..=32).contains(&upper.len())
            && upper.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
        if ok { Ok(CrossingPoint(upper)) } else { Err(CrossingError::InvalidPoint(raw.to_owned())) }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for CrossingPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CrossingPoint({})", self.0)
    }
}

impl fmt::Display for CrossingPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses a crossing time: RFC 9557 with an IANA zone (`2025-04-01T09:30:00+05:00[Asia/Almaty]`)
/// or RFC 3339 with an offset (`2025-04-01T09:30:00+05:00`, kept with that fixed offset).
pub fn parse_crossing_time(raw: &str) -> Result<Zoned, CrossingError> {
    if raw.contains('[') {
        return raw.parse::<Zoned>().map_err(|_| CrossingError::InvalidTime(raw.to_owned()));
    }
    let ts: Timestamp = raw.parse().map_err(|_| CrossingError::InvalidTime(raw.to_owned()))?;
    // RFC 3339 requires an offset; jiff's Timestamp parser enforces that. Recover it for the zone.
    let offset = jiff::fmt::temporal::DateTimeParser::new()
        .parse_zoned_with(jiff::tz::db(), format!("{raw}[{}]", offset_suffix(raw)))
        .map(|z| z.offset())
        .map_err(|_| CrossingError::InvalidTime(raw.to_owned()))?;
    Ok(ts.to_zoned(TimeZone::fixed(offset)))
}

fn offset_suffix(raw: &str) -> String {
    if raw.ends_with('Z') || raw.ends_with('z') {
        return "UTC".to_owned();
    }
    // The offset is the last `+hh:mm` / `-hh:mm`; a bracketed offset is a valid RFC 9557 zone.
    raw.len()
        .checked_sub(6)
        .and_then(|i| raw.get(i..))
        .filter(|s| s.starts_with('+') || s.starts_with('-'))
        .unwrap_or("UTC")
        .to_owned()
}

/// Refuses a crossing time further in the future than [`MAX_CLOCK_SKEW`] from `now`.
pub fn check_not_in_future(at: &Zoned, now: Timestamp) -> Result<(), CrossingError> {
    if at.timestamp().duration_since(now) > MAX_CLOCK_SKEW {
        return Err(CrossingError::InFuture { at: at.timestamp(), now });
    }
    Ok(())
}

/// A crossing as submitted: who (by document and details), which way, when, where, why.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCrossing {
    pub direction: Direction,
    pub at: Zoned,
    pub point: CrossingPoint,
    pub purpose: Purpose,
    pub document: IdentityDocument,
    pub person: PersonDetails,
    /// Crossed, or refused entry (never an exit).
    pub outcome: Outcome,
}

impl NewCrossing {
    /// The civil date of the crossing in its own time zone: the day stay rules count.
    pub fn local_date(&self) -> Date {
        self.at.date()
    }
}

/// A crossing stored in the register.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossing {
    pub id: CrossingId,
    pub person_id: PersonId,
    pub direction: Direction,
    pub at: Zoned,
    pub point: CrossingPoint,
    pub purpose: Purpose,
    pub document: crate::document::DocumentKey,
    /// Crossed, or refused entry.
    pub outcome: Outcome,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_zone_and_offset_forms() {
        let z = parse_crossing_time("2025-04-01T09:30:00+05:00[Asia/Almaty]").unwrap();
        assert_eq!(z.time_zone().iana_name(), Some("Asia/Almaty"));
        let o = parse_crossing_time("2025-04-01T23:30:00+06:00").unwrap();
        assert_eq!(o.date(), jiff::civil::date(2025, 4, 1));
        assert_eq!(o.offset(), jiff::tz::Offset::from_hours(6).unwrap());
        let u = parse_crossing_time("2025-04-01T23:30:00Z").unwrap();
        assert_eq!(u.offset(), jiff::tz::Offset::UTC);
    }

    #[test]
    fn rejects_times_without_offset_or_garbage() {
        for bad in ["2025-04-01T09:30:00", "2025-04-01", "yesterday", "2025-13-01T00:00:00Z"] {
            assert_eq!(parse_crossing_time(bad), Err(CrossingError::InvalidTime(bad.into())), "{bad}");
        }
    }

    #[test]
    fn future_beyond_skew_is_refused() {
        let now: Timestamp = "2025-04-01T10:00:00Z".parse().unwrap();
        let ok = parse_crossing_time("2025-04-01T10:04:59Z").unwrap();
        let bad = parse_crossing_time("2025-04-01T10:05:01Z").unwrap();
        assert!(check_not_in_future(&ok, now).is_ok());
        assert!(matches!(check_not_in_future(&bad, now), Err(CrossingError::InFuture { .. })));
    }

    #[test]
    fn point_codes() {
        assert_eq!(CrossingPoint::parse("kz-ala-air").unwrap().as_str(), "KZ-ALA-AIR");
        assert!(CrossingPoint::parse("K").is_err());
        assert!(CrossingPoint::parse("KZ ALA").is_err());
    }
}
