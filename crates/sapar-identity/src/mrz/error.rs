//! Why a machine-readable zone was refused or a field found invalid; every error names the line,
//! the 1-based column, the field and what was expected.

use sapar_model::CountryError;

use super::layout::{Field, MrzFormat};

/// A problem with a machine-readable zone. Structural problems (line count, length, alphabet)
/// make [`super::Mrz::parse`] fail; the others are listed by [`super::Mrz::errors`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MrzError {
    #[error("no machine-readable zone found (expected 2 lines of 44 or 36, or 3 lines of 30)")]
    Empty,
    #[error("expected 2 or 3 lines, got {found}")]
    LineCount { found: usize },
    #[error("line {line}: expected {expected} characters, got {found}")]
    LineLength { line: usize, expected: usize, found: usize },
    #[error("lines have {found} characters, which matches no format (expected 30, 36 or 44)")]
    UnknownLength { found: usize },
    #[error("line {line}, position {column}: character {found:?} is not allowed (expected A-Z, 0-9 or <)")]
    InvalidCharacter { line: usize, column: usize, found: char },
    #[error("line {line}, position {column}, {field}: check digit is {found:?}, expected {expected}")]
    CheckDigit { field: Field, line: usize, column: usize, found: char, expected: char },
    #[error("line {line}, position {column}, {field}: {found:?} is not a valid date (expected YYMMDD)")]
    InvalidDate { field: Field, line: usize, column: usize, found: String },
    #[error("line {line}, position {column}, {field}: {reason}")]
    InvalidCountry { field: Field, line: usize, column: usize, reason: CountryError },
    #[error("line {line}, position {column}, sex: {found:?} is not allowed (expected M, F, X or <)")]
    InvalidSex { line: usize, column: usize, found: char },
    #[error(
        "line {line}, position {column}, document_code: {found:?} is not allowed in {format} (expected {expected})"
    )]
    InvalidDocumentCode { line: usize, column: usize, found: String, format: MrzFormat, expected: &'static str },
    #[error("line {line}, position {column}, document_number: the number is empty (expected letters or digits)")]
    EmptyDocumentNumber { line: usize, column: usize },
    #[error(
        "line {line}, position {column}, optional_data: a long document number must continue here (expected its remaining characters and its check digit)"
    )]
    MalformedLongNumber { line: usize, column: usize },
    #[error("line {line}, position {column}, name: the primary identifier is empty (expected a surname)")]
    EmptyName { line: usize, column: usize },
    #[error("line {line}, position {column}, name: {found:?} is not allowed (expected A-Z or <)")]
    InvalidName { line: usize, column: usize, found: char },
}

impl MrzError {
    /// The field concerned, if the error is about one.
    pub fn field(&self) -> Option<Field> {
        match self {
            MrzError::CheckDigit { field, .. }
            | MrzError::InvalidDate { field, .. }
            | MrzError::InvalidCountry { field, .. } => Some(*field),
            MrzError::InvalidSex { .. } => Some(Field::Sex),
            MrzError::InvalidDocumentCode { .. } => Some(Field::DocumentCode),
            MrzError::EmptyDocumentNumber { .. } => Some(Field::DocumentNumber),
            MrzError::MalformedLongNumber { .. } => Some(Field::OptionalData),
            MrzError::EmptyName { .. } | MrzError::InvalidName { .. } => Some(Field::Name),
            _ => None,
        }
    }

    /// The (line, column) the error points at, both 1-based.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            MrzError::InvalidCharacter { line, column, .. }
            | MrzError::CheckDigit { line, column, .. }
            | MrzError::InvalidDate { line, column, .. }
            | MrzError::InvalidCountry { line, column, .. }
            | MrzError::InvalidSex { line, column, .. }
            | MrzError::InvalidDocumentCode { line, column, .. }
            | MrzError::EmptyDocumentNumber { line, column }
            | MrzError::MalformedLongNumber { line, column }
            | MrzError::EmptyName { line, column } => Some((*line, *column)),
            MrzError::InvalidName { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }
}

/// Why fields could not be written as a machine-readable zone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmitError {
    #[error("{field}: {found:?} is not allowed (expected {expected})")]
    InvalidValue { field: Field, found: String, expected: &'static str },
    #[error("{field}: {found} characters do not fit (expected at most {max} in {format})")]
    TooLong { field: Field, found: usize, max: usize, format: MrzFormat },
    #[error("name: the surname has no letter A-Z after transliteration")]
    EmptySurname,
}
