//! Identity and travel documents: type, number, issuing state and expiry.

use std::fmt;

use jiff::civil::Date;

use crate::country::{Country, CountryError};

/// Longest accepted document number. ICAO TD1/TD2 allow long numbers through the optional field.
pub const MAX_DOCUMENT_NUMBER_LEN: usize = 24;

/// The kind of document a person presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentType {
    Passport,
    IdCard,
    ResidencePermit,
    TravelDocument,
    Other,
}

impl DocumentType {
    /// All variants, in a stable order (for help texts and schemas).
    pub const ALL: [DocumentType; 5] = [
        DocumentType::Passport,
        DocumentType::IdCard,
        DocumentType::ResidencePermit,
        DocumentType::TravelDocument,
        DocumentType::Other,
    ];

    /// Stable snake_case identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentType::Passport => "passport",
            DocumentType::IdCard => "id_card",
            DocumentType::ResidencePermit => "residence_permit",
            DocumentType::TravelDocument => "travel_document",
            DocumentType::Other => "other",
        }
    }

    /// Parses the snake_case identifier.
    pub fn parse(s: &str) -> Result<DocumentType, DocumentError> {
        DocumentType::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| DocumentError::UnknownType(s.to_owned()))
    }
}

/// Why a document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("document number is empty")]
    EmptyNumber,
    #[error("document number is longer than {MAX_DOCUMENT_NUMBER_LEN} characters")]
    NumberTooLong,
    #[error("document number may contain only letters A-Z and digits, found {0:?}")]
    InvalidNumberCharacter(char),
    #[error(
        "unknown document type {0:?} (expected one of passport, id_card, residence_permit, travel_document, other)"
    )]
    UnknownType(String),
    #[error("issuing state: {0}")]
    IssuingState(#[from] CountryError),
    #[error("issuing state must be a state, not the ICAO category {0}")]
    IssuerNotAState(Country),
    #[error("document reference must look like KAZ:N1234567")]
    MalformedReference,
}

/// A document number: upper-case A-Z and 0-9; spaces and hyphens in input are removed.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentNumber(String);

impl DocumentNumber {
    /// Parses a number as printed, dropping spaces and hyphens, upper-casing letters.
    pub fn parse(raw: &str) -> Result<DocumentNumber, DocumentError> {
        let mut out = String::with_capacity(raw.len());
        for c in raw.chars() {
            match c {
                ' ' | '-' => {}
                'A'..='Z' | '0'..='9' => out.push(c),
                'a'..='z' => out.push(c.to_ascii_uppercase()),
                other => return Err(DocumentError::InvalidNumberCharacter(other)),
            }
        }
        if out.is_empty() {
            return Err(DocumentError::EmptyNumber);
        }
        if out.len() > MAX_DOCUMENT_NUMBER_LEN {
            return Err(DocumentError::NumberTooLong);
        }
        Ok(DocumentNumber(out))
    }

    /// The normalised number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentNumber({})", self.0)
    }
}

impl fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What identifies a document worldwide: the issuing state and the number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentKey {
    pub issuing_state: Country,
    pub number: DocumentNumber,
}

impl DocumentKey {
    /// Builds a key; the issuer must be a real state.
    pub fn new(issuing_state: Country, number: DocumentNumber) -> Result<DocumentKey, DocumentError> {
        if !issuing_state.is_state() {
            return Err(DocumentError::IssuerNotAState(issuing_state));
        }
        Ok(DocumentKey { issuing_state, number })
    }

    /// Parses the `STATE:NUMBER` form used in URLs, e.g. `KAZ:N1234567`.
    pub fn parse_reference(reference: &str) -> Result<DocumentKey, DocumentError> {
        let (state, number) = reference.split_once(':').ok_or(DocumentError::MalformedReference)?;
        DocumentKey::new(Country::parse(state)?, DocumentNumber::parse(number)?)
    }
}

impl fmt::Display for DocumentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.issuing_state, self.number)
    }
}

/// A document as recorded for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityDocument {
    pub document_type: DocumentType,
    pub key: DocumentKey,
    pub expiry: Option<Date>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_is_normalised() {
        assert_eq!(DocumentNumber::parse("n 123-4567").unwrap().as_str(), "N1234567");
    }

    #[test]
    fn number_rejects_bad_input() {
        assert_eq!(DocumentNumber::parse(" - "), Err(DocumentError::EmptyNumber));
        assert_eq!(DocumentNumber::parse("N12/34"), Err(DocumentError::InvalidNumberCharacter('/')));
        assert_eq!(DocumentNumber::parse("№123"), Err(DocumentError::InvalidNumberCharacter('№')));
        assert_eq!(DocumentNumber::parse(&"1".repeat(25)), Err(DocumentError::NumberTooLong));
    }

    #[test]
    fn reference_round_trips() {
        let key = DocumentKey::parse_reference("kaz:n1234567").unwrap();
        assert_eq!(key.to_string(), "KAZ:N1234567");
        assert_eq!(DocumentKey::parse_reference("KAZN1234567"), Err(DocumentError::MalformedReference));
        assert!(matches!(DocumentKey::parse_reference("XXA:1"), Err(DocumentError::IssuerNotAState(_))));
    }
}
