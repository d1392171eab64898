//! Sapar's domain types. Every value is constructed through a parser that rejects invalid input
//! with a precise error, so invalid states cannot exist past the boundary. No IO, no clock.

mod country;
mod country_table;
mod crossing;
mod document;
mod ids;
mod input;
mod name;
mod person;
mod read_purpose;
mod role;

pub use country::{Country, CountryError};
pub use crossing::{
    Crossing, CrossingError, CrossingPoint, Direction, MAX_CLOCK_SKEW, MAX_REFUSAL_NOTE_CHARS, NewCrossing, Outcome,
    Purpose, RefusalGround, check_not_in_future, parse_crossing_time,
};
pub use document::{
    DocumentError, DocumentKey, DocumentNumber, DocumentType, IdentityDocument, MAX_DOCUMENT_NUMBER_LEN,
};
pub use ids::{CrossingId, DocumentId, PersonId};
pub use input::{
    CheckSubmission, EARLIEST_CROSSING_YEAR, EARLIEST_DATE, InputCode, InputError, LATEST_DATE, RawCrossing, RawName,
    fields, parse_date, parse_document_key,
};
pub use name::{FullName, MAX_NAME_PART_CHARS, NameError, NamePart, PersonName, Script};
pub use person::{Person, PersonDetails, Sex};
pub use read_purpose::ReadPurpose;
pub use role::Role;
