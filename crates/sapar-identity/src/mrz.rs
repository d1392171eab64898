//! ICAO Doc 9303 machine-readable zones: reading, validating and writing TD1, TD2, TD3, MRV-A
//! and MRV-B.

mod check;
mod emit;
mod error;
mod layout;
mod ocr;
mod parse;

pub use check::check_digit;
pub use emit::{EmittedMrz, MrzFields, emit};
pub use error::{EmitError, MrzError};
pub use layout::{Field, MrzFormat};
pub use ocr::Suggestion;
pub use parse::{CheckResult, Mrz, ParseOptions, SpecimenPolicy};
