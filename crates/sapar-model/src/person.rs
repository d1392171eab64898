//! Persons: a linked identity with names, sex, birth date, citizenship and documents.

use jiff::civil::Date;

use crate::country::Country;
use crate::document::IdentityDocument;
use crate::ids::PersonId;
use crate::name::PersonName;

/// Sex as recorded in travel documents (ICAO: M, F or unspecified).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Male,
    Female,
    Unspecified,
}

impl Sex {
    /// Stable one-letter code as in the MRZ (`X` for unspecified).
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "M",
            Sex::Female => "F",
            Sex::Unspecified => "X",
        }
    }

    /// Parses `M`, `F` or `X` (also `<`, as in the MRZ), case-insensitive.
    pub fn parse(s: &str) -> Option<Sex> {
        match s {
            "M" | "m" => Some(Sex::Male),
            "F" | "f" => Some(Sex::Female),
            "X" | "x" | "<" => Some(Sex::Unspecified),
            _ => None,
        }
    }
}

/// Who a person is, without the register's history of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonDetails {
    pub name: PersonName,
    pub sex: Sex,
    pub birth_date: Option<Date>,
    pub citizenship: Country,
}

/// A person in the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub details: PersonDetails,
    pub documents: Vec<IdentityDocument>,
}
