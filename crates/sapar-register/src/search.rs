//! Person search from one search box: a name in any script (`Ерлан`, `YERLAN` and `ERLAN` find
//! the same person), a document number, or both tried at once, narrowed by birth date and
//! citizenship. Every hit shown is written to the access log before the answer leaves.

use jiff::civil::Date;
use sapar_model::{Country, DocumentNumber, IdentityDocument, InputCode, InputError, PersonDetails, PersonId, Role};
use sapar_store::search::{SearchCriteria, SearchMatch, SearchRefusal};

use crate::access::{Access, view};
use crate::{Register, RegisterError};

pub use sapar_store::search::{DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT, MAX_SEARCH_WORDS, MIN_PREFIX_LETTERS};

/// Who searches persons.
const SEARCHERS: &[Role] = &[Role::Border, Role::Officer, Role::Exchange];
/// Longest search text, in characters, after trimming.
pub const MAX_SEARCH_CHARS: usize = 200;
/// The field a refusal of the search text names.
const FIELD: &str = "q";

/// What an officer typed and chose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Name words in any script, or a document number (a text holding a digit is a number only).
    pub text: String,
    pub birth_date: Option<Date>,
    pub citizenship: Option<Country>,
    /// Hits wanted: [`DEFAULT_SEARCH_LIMIT`] when `None`, at most [`MAX_SEARCH_LIMIT`].
    pub limit: Option<u32>,
}

/// How a hit was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    /// Every word of the text is in the person's names (in either script).
    Name,
    /// The person holds a document with the number typed.
    Document,
    /// The text was empty: the person has the birth date and citizenship asked for.
    Filters,
}

impl MatchedBy {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::Name => "name",
            MatchedBy::Document => "document",
            MatchedBy::Filters => "filters",
        }
    }
}

/// One person found: details in both scripts, birth date, citizenship and documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub person_id: PersonId,
    pub details: PersonDetails,
    pub documents: Vec<IdentityDocument>,
    pub matched_by: MatchedBy,
}

/// The hits of a search: document matches first, then name matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// More persons match than were answered: the officer should narrow the search.
    pub truncated: bool,
}

fn refused(code: InputCode, message: impl Into<String>) -> RegisterError {
    RegisterError::Invalid(InputError::new(FIELD, code, message.into()))
}

/// The criteria a query stands for: its words and, when it reads as one, a document number.
fn criteria(query: &SearchQuery) -> Result<SearchCriteria, RegisterError> {
    let text = query.text.trim();
    if text.chars().count() > MAX_SEARCH_CHARS {
        return Err(refused(InputCode::TooLong, format!("a search holds at most {MAX_SEARCH_CHARS} characters")));
    }
    let number_only = text.chars().any(|c| c.is_ascii_digit());
    let document = if text.is_empty() {
        None
    } else if number_only {
        let number = DocumentNumber::parse(text)
            .map_err(|e| refused(InputCode::InvalidDocumentNumber, format!("not a name or a document number: {e}")))?;
        Some(number)
    } else {
        DocumentNumber::parse(text).ok()
    };
    let words: Vec<&str> =
        if number_only { Vec::new() } else { text.split(|c: char| c.is_whitespace() || c == ',').collect() };
    SearchCriteria::new(words, document, query.birth_date, query.citizenship, query.limit).map_err(|e| match e {
        SearchRefusal::Empty => {
            refused(InputCode::MissingField, "type a name or a document number, or choose a filter")
        }
        SearchRefusal::TooManyWords => refused(InputCode::TooLong, e.to_string()),
    })
}

impl Register {
    /// The persons `query` finds: holders of the document number typed, and persons whose names
    /// (in either script, under any transliteration scheme) hold every word typed, the last also
    /// as the start of a name; narrowed by birth date and citizenship. One access-log row per
    /// hit, view [`view::SEARCH_HIT`], is written before the answer. Border, officer and exchange
    /// roles.
    pub async fn search_persons(&self, access: &Access, query: &SearchQuery) -> Result<SearchResults, RegisterError> {
        access.actor.require(SEARCHERS, "search persons")?;
        let criteria = criteria(query)?;
        let outcome = self.store.search_persons(&criteria).await?;
        let ids: Vec<PersonId> = outcome.hits.iter().map(|h| h.person.id).collect();
        if !ids.is_empty() {
            self.log_reads(access, view::SEARCH_HIT, &ids).await?;
        }
        let hits = outcome
            .hits
            .into_iter()
            .map(|hit| SearchHit {
                person_id: hit.person.id,
                details: hit.person.details,
                documents: hit.person.documents,
                matched_by: match hit.matched_by {
                    SearchMatch::Name => MatchedBy::Name,
                    SearchMatch::Document => MatchedBy::Document,
                    SearchMatch::Filters => MatchedBy::Filters,
                },
            })
            .collect();
        Ok(SearchResults { hits, truncated: outcome.truncated })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn query(text: &str) -> SearchQuery {
        SearchQuery { text: text.to_owned(), ..SearchQuery::default() }
    }

    #[test]
    fn a_text_with_a_digit_is_a_document_number_only() {
        let c = criteria(&query(" ac 123-4567 ")).unwrap();
        assert!(c.keys().is_empty());
        assert!(
            matches!(criteria(&query("N12/34")), Err(RegisterError::Invalid(e)) if e.code == InputCode::InvalidDocumentNumber)
        );
    }

    #[test]
    fn a_name_is_keyed_word_by_word() {
        assert_eq!(criteria(&query("Ерлан,  Жанузаков")).unwrap().keys(), ["ERLAN", "JANUZAKOV"]);
    }

    #[test]
    fn blank_text_without_filters_is_a_missing_field() {
        assert!(matches!(criteria(&query("  ")), Err(RegisterError::Invalid(e)) if e.code == InputCode::MissingField));
        let by_birth = SearchQuery { birth_date: Some(jiff::civil::date(1990, 1, 2)), ..query(" ") };
        assert!(criteria(&by_birth).is_ok());
    }
}
