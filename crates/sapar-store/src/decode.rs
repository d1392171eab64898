//! Rebuilding domain values from stored columns; a stored value that no longer parses is corruption.

use jiff::{Timestamp, Zoned, civil::Date, tz::TimeZone};
use sapar_model::{
    Country, CrossingPoint, Direction, DocumentKey, DocumentNumber, DocumentType, FullName, NamePart, PersonName,
    Purpose, Role, Sex,
};

use crate::error::StoreError;

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

pub(crate) fn country(s: &str) -> Result<Country, StoreError> {
    Country::parse_allowing_specimen(s).map_err(|_| corrupt("country", s))
}

pub(crate) fn date(s: &str) -> Result<Date, StoreError> {
    s.parse().map_err(|_| corrupt("date", s))
}

/// A stored `YYYY-MM-DD` date, read without the general parser (the sweep reads millions).
pub(crate) fn iso_date(s: &str) -> Result<Date, StoreError> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i16> {
        let mut v: i16 = 0;
        for &c in b.get(r)? {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i16::from(c - b'0');
        }
        Some(v)
    };
    let parsed = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| Some((digits(0..4)?, digits(5..7)?, digits(8..10)?)))
        .flatten();
    match parsed {
        Some((y, m, d)) => Date::new(y, m as i8, d as i8).map_err(|_| corrupt("date", s)),
        None => Err(corrupt("date", s)),
    }
}

pub(crate) fn violation_status(s: &str) -> Result<crate::records::ViolationStatus, StoreError> {
    crate::records::ViolationStatus::parse(s).ok_or_else(|| corrupt("violation status", s))
}

pub(crate) fn direction(s: &str) -> Result<Direction, StoreError> {
    Direction::parse(s).map_err(|_| corrupt("direction", s))
}

pub(crate) fn purpose(s: &str) -> Result<Purpose, StoreError> {
    Purpose::parse(s).map_err(|_| corrupt("purpose", s))
}

/// A crossing's outcome from its three columns.
pub(crate) fn outcome(
    outcome: &str,
    ground: Option<&str>,
    note: Option<String>,
) -> Result<sapar_model::Outcome, StoreError> {
    match (outcome, ground) {
        ("crossed", None) => Ok(sapar_model::Outcome::Crossed),
        ("refused", Some(g)) => match sapar_model::RefusalGround::parse(g) {
            Some(ground) => Ok(sapar_model::Outcome::Refused { ground, note }),
            None => Err(corrupt("refusal ground", g)),
        },
        _ => Err(corrupt("crossing outcome", outcome)),
    }
}

pub(crate) fn point(s: &str) -> Result<CrossingPoint, StoreError> {
    CrossingPoint::parse(s).map_err(|_| corrupt("crossing point", s))
}

pub(crate) fn sex(s: &str) -> Result<Sex, StoreError> {
    Sex::parse(s).ok_or_else(|| corrupt("sex", s))
}

/// A stored read channel (`web`, `api`, `cli`).
pub(crate) fn access_channel(s: &str) -> Result<crate::access_log::AccessChannel, StoreError> {
    crate::access_log::AccessChannel::parse(s).ok_or_else(|| corrupt("access channel", s))
}

/// A stored purpose of reading personal data.
pub(crate) fn read_purpose(s: &str) -> Result<sapar_model::ReadPurpose, StoreError> {
    sapar_model::ReadPurpose::parse_stored(s).ok_or_else(|| corrupt("read purpose", s))
}

pub(crate) fn role(s: &str) -> Result<Role, StoreError> {
    Role::parse_stored(s).ok_or_else(|| corrupt("role", s))
}

pub(crate) fn document_type(s: &str) -> Result<DocumentType, StoreError> {
    DocumentType::parse(s).map_err(|_| corrupt("document type", s))
}

pub(crate) fn document_key(state: &str, number: &str) -> Result<DocumentKey, StoreError> {
    let number = DocumentNumber::parse(number).map_err(|_| corrupt("document number", number))?;
    DocumentKey::new(country(state)?, number).map_err(|_| corrupt("document issuer", state))
}

pub(crate) fn timestamp_micros(micros: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(micros).map_err(|_| corrupt("timestamp", &micros.to_string()))
}

/// A stored zone is an IANA name or a fixed offset such as `+05:00`.
pub(crate) fn zoned(at: Timestamp, zone: &str) -> Result<Zoned, StoreError> {
    let tz = match jiff::tz::db().get(zone) {
        Ok(tz) => tz,
        Err(_) => {
            let probe: Zoned =
                format!("2000-01-01T00:00:00{zone}[{zone}]").parse().map_err(|_| corrupt("time zone", zone))?;
            TimeZone::fixed(probe.offset())
        }
    };
    Ok(at.to_zoned(tz))
}

/// The stored name of a zone: its IANA name, or its fixed offset.
pub(crate) fn zone_name(at: &Zoned) -> String {
    at.time_zone().iana_name().map_or_else(|| at.offset().to_string(), str::to_owned)
}

fn part(s: Option<String>) -> Result<Option<NamePart>, StoreError> {
    s.map(|s| NamePart::parse(&s).map_err(|_| corrupt("name part", &s))).transpose()
}

fn full_name(parts: [Option<String>; 3]) -> Result<Option<FullName>, StoreError> {
    let [surname, given, patronymic] = parts;
    let Some(surname) = part(surname)? else { return Ok(None) };
    Ok(Some(FullName { surname, given_names: part(given)?, patronymic: part(patronymic)? }))
}

pub(crate) fn person_name(native: [Option<String>; 3], latin: [Option<String>; 3]) -> Result<PersonName, StoreError> {
    PersonName::new(full_name(native)?, full_name(latin)?).map_err(|e| StoreError::Corrupt(format!("person name: {e}")))
}

/// Columns of a name rendering: surname, given names, patronymic.
pub(crate) fn name_columns(name: Option<&FullName>) -> [Option<&str>; 3] {
    match name {
        Some(n) => [
            Some(n.surname.as_str()),
            n.given_names.as_ref().map(NamePart::as_str),
            n.patronymic.as_ref().map(NamePart::as_str),
        ],
        None => [None, None, None],
    }
}
