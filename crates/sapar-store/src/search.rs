//! Person search: the name index's keys, the search criteria, and the query over the index.
//!
//! Every person has one `name_index` row per distinct word of the scheme-invariant keys
//! ([`sapar_identity::name_key`]) of their surname, given names and patronymic in both scripts,
//! written in the transaction that writes the person. A query word is keyed the same way, so
//! `Ерлан`, `YERLAN` and `ERLAN` meet on `ERLAN`. All words must be present; the last also
//! matches as the start of a key once it has [`MIN_PREFIX_LETTERS`] letters, so a name half typed
//! already finds. A document number is looked up on its own, across issuing states.
//!
//! The query is driven by what selects fewest persons: the birth date when one is filtered on
//! (a few dozen persons share one in a million), otherwise the rarest word — each word's rows are
//! counted, capped at [`COUNT_CAP`] — scanned in key order, the other words checked per candidate
//! against the primary key or the per-person index, and person rows read for the hits only.
//! Details and documents of the hits come back in two statements whatever their number.

use std::collections::{BTreeSet, HashMap};

use jiff::civil::Date;
use sapar_identity::name_key;
use sapar_model::{Country, DocumentNumber, IdentityDocument, Person, PersonDetails, PersonId, PersonName};

use crate::Store;
use crate::decode;
use crate::error::StoreError;
use crate::row::{Decode, Param, Row};
use crate::sql::{detail_columns, details_at};

/// Hits a search answers when the caller names no limit.
pub const DEFAULT_SEARCH_LIMIT: u32 = 20;
/// Most hits one search answers.
pub const MAX_SEARCH_LIMIT: u32 = 100;
/// Most name words one search takes.
pub const MAX_SEARCH_WORDS: usize = 8;
/// Letters (of its key) the last word needs before it also matches as a prefix.
pub const MIN_PREFIX_LETTERS: usize = 2;
/// Rows counted per word when choosing the word that drives the query: past this, a word is
/// common enough that which of two common words drives matters little.
pub const COUNT_CAP: i64 = 1000;
/// Persons whose keys the backfill writes per transaction.
pub(crate) const BACKFILL_BATCH: i64 = 2000;

pub(crate) const INSERT_NAME_KEY: &str =
    "INSERT INTO name_index (key, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
/// A merge: the merged person's keys become the survivor's (those the survivor lacks), then the
/// merged person keeps none, so a name either of them was recorded under finds the survivor.
pub(crate) const MOVE_NAME_KEYS: &str = "UPDATE name_index SET person_id = $2
     WHERE person_id = $1 AND key NOT IN (SELECT key FROM name_index WHERE person_id = $2)";
pub(crate) const DROP_NAME_KEYS: &str = "DELETE FROM name_index WHERE person_id = $1";
/// Persons recorded before the index, with their names and the person they were merged into.
pub(crate) const PENDING_NAMES: &str = "SELECT q.person_id, p.surname_native, p.given_names_native,
         p.patronymic_native, p.surname_latin, p.given_names_latin, p.patronymic_latin, m.survivor_id
     FROM name_index_pending q
     JOIN persons p ON p.id = q.person_id
     LEFT JOIN person_merges m ON m.merged_id = q.person_id
     ORDER BY q.person_id LIMIT $1";
pub(crate) const DROP_PENDING: &str = "DELETE FROM name_index_pending WHERE person_id = $1";

/// The distinct word keys of a name in both scripts, sorted: what the index holds for a person.
pub fn name_keys(name: &PersonName) -> Vec<String> {
    let mut keys = BTreeSet::new();
    for full in name.native().into_iter().chain(name.latin()) {
        for part in full.parts() {
            keys.extend(name_key(part.as_str()).split(' ').filter(|w| !w.is_empty()).map(str::to_owned));
        }
    }
    keys.into_iter().collect()
}

/// Why criteria were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchRefusal {
    #[error("a search needs a name, a document number, a birth date or a citizenship")]
    Empty,
    #[error("a search holds at most {MAX_SEARCH_WORDS} name words")]
    TooManyWords,
}

/// What to search for: name words (keyed), a document number, filters and a limit. Built by
/// [`SearchCriteria::new`], which refuses criteria that would name everyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchCriteria {
    /// Keys of the words, in the order typed; the last may match as a prefix.
    keys: Vec<String>,
    document: Option<DocumentNumber>,
    birth_date: Option<Date>,
    citizenship: Option<Country>,
    limit: u32,
}

impl SearchCriteria {
    /// Criteria from name words in any script (a word whose key is empty, e.g. punctuation, is
    /// left out), a document number, filters and a limit (default [`DEFAULT_SEARCH_LIMIT`],
    /// at most [`MAX_SEARCH_LIMIT`], at least 1).
    pub fn new<'a>(
        words: impl IntoIterator<Item = &'a str>,
        document: Option<DocumentNumber>,
        birth_date: Option<Date>,
        citizenship: Option<Country>,
        limit: Option<u32>,
    ) -> Result<SearchCriteria, SearchRefusal> {
        let keys: Vec<String> = words
            .into_iter()
            .flat_map(|w| name_key(w).split(' ').filter(|k| !k.is_empty()).map(str::to_owned).collect::<Vec<_>>())
            .collect();
        if keys.len() > MAX_SEARCH_WORDS {
            return Err(SearchRefusal::TooManyWords);
        }
        if keys.is_empty() && document.is_none() && birth_date.is_none() && citizenship.is_none() {
            return Err(SearchRefusal::Empty);
        }
        let limit = limit.unwrap_or(DEFAULT_SEARCH_LIMIT).clamp(1, MAX_SEARCH_LIMIT);
        Ok(SearchCriteria { keys, document, birth_date, citizenship, limit })
    }

    /// The keys of the name words.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// Hits answered at most.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The word conditions: every word but the last exactly, the last as a prefix when it is
    /// long enough. A repeated word is one condition.
    fn terms(&self) -> Vec<Term> {
        let Some((last, rest)) = self.keys.split_last() else { return Vec::new() };
        let mut terms: Vec<Term> = Vec::new();
        for key in rest {
            let term = Term::Exact(key.clone());
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
        let last = match prefix_end(last) {
            Some(end) if last.len() >= MIN_PREFIX_LETTERS => Term::Prefix(last.clone(), end),
            _ => Term::Exact(last.clone()),
        };
        if !terms.contains(&last) {
            terms.push(last);
        }
        terms
    }

    /// The filter conditions on `p`, numbering parameters after `params`.
    fn filters(&self, params: &mut Vec<Param>) -> String {
        let mut sql = String::new();
        if let Some(birth) = self.birth_date {
            params.push(birth.into());
            sql.push_str(&format!(" AND p.birth_date = ${}", params.len()));
        }
        if let Some(citizenship) = self.citizenship {
            params.push(citizenship.code().into());
            sql.push_str(&format!(" AND p.citizenship = ${}", params.len()));
        }
        sql
    }
}

/// The first key after every key starting with `prefix` (keys are A-Z only).
fn prefix_end(prefix: &str) -> Option<String> {
    let mut bytes = prefix.as_bytes().to_vec();
    let last = bytes.last_mut()?;
    *last = last.checked_add(1)?;
    String::from_utf8(bytes).ok()
}

/// One word's condition on the index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Term {
    Exact(String),
    /// Keys from the first up to (not including) the second.
    Prefix(String, String),
}

impl Term {
    /// The condition on the index row `alias`, its parameters appended to `params`.
    fn condition(&self, alias: &str, params: &mut Vec<Param>) -> String {
        match self {
            Term::Exact(key) => {
                params.push(key.as_str().into());
                format!("{alias}.key = ${}", params.len())
            }
            Term::Prefix(from, to) => {
                params.push(from.as_str().into());
                params.push(to.as_str().into());
                format!("{alias}.key >= ${} AND {alias}.key < ${}", params.len() - 1, params.len())
            }
        }
    }
}

/// How a hit was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchMatch {
    /// Every name word is among the person's keys.
    Name,
    /// The person holds a document with the number searched for.
    Document,
    /// No name or number was given: the person has the birth date and citizenship filtered on.
    Filters,
}

impl SearchMatch {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            SearchMatch::Name => "name",
            SearchMatch::Document => "document",
            SearchMatch::Filters => "filters",
        }
    }
}

/// One person found, with details in both scripts and their documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub person: Person,
    pub matched_by: SearchMatch,
}

/// The persons a search found: document matches first, then name matches, at most the limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOutcome {
    pub hits: Vec<SearchHit>,
    /// More persons match than were answered.
    pub truncated: bool,
}

/// A person row the search reads: id, then [`detail_columns`].
struct FoundPerson {
    id: PersonId,
    details: PersonDetails,
}

impl Decode for FoundPerson {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(FoundPerson { id: r.col(0)?, details: details_at(r, 1)? })
    }
}

/// A document of a hit.
struct HeldDocument {
    holder: PersonId,
    document: IdentityDocument,
}

impl Decode for HeldDocument {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(HeldDocument {
            holder: r.col(0)?,
            document: IdentityDocument {
                document_type: decode::document_type(&r.col::<String>(1)?)?,
                key: decode::document_key(&r.col::<String>(2)?, &r.col::<String>(3)?)?,
                expiry: r.col(4)?,
            },
        })
    }
}

/// A person whose keys the backfill writes: under the person they answer for today.
pub(crate) struct PendingNames {
    pub(crate) id: PersonId,
    pub(crate) keys: Vec<String>,
    pub(crate) merged_into: Option<PersonId>,
}

impl Decode for PendingNames {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        let part = |i: usize| r.col::<Option<String>>(i);
        let name = decode::person_name([part(1)?, part(2)?, part(3)?], [part(4)?, part(5)?, part(6)?])?;
        let merged_into = r.col::<Option<uuid::Uuid>>(7)?.map(PersonId::from_uuid);
        Ok(PendingNames { id: r.col(0)?, keys: name_keys(&name), merged_into })
    }
}

/// The capped row counts of `terms`, by position.
fn count_statement(terms: &[Term]) -> (String, Vec<Param>) {
    let mut params = Vec::new();
    let selects: Vec<String> = terms
        .iter()
        .enumerate()
        .map(|(i, term)| {
            let condition = term.condition("k", &mut params);
            format!("SELECT {i}, COUNT(*) FROM (SELECT 1 FROM name_index k WHERE {condition} LIMIT {COUNT_CAP}) c{i}")
        })
        .collect();
    (selects.join(" UNION ALL "), params)
}

/// What a name search scans first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Driver {
    /// The persons born on the date filtered on (a few dozen in a million).
    BirthDate,
    /// The index rows of `terms[i]`.
    Term(usize),
}

/// The conditions that every term other than the driver's holds for the person `id` (an SQL
/// expression), appended to `sql`.
fn probes(terms: &[Term], driver: Driver, id: &str, sql: &mut String, params: &mut Vec<Param>) {
    for (i, term) in terms.iter().enumerate().filter(|(i, _)| driver != Driver::Term(*i)) {
        let alias = format!("k{}", i + 1);
        let condition = term.condition(&alias, params);
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM name_index {alias} WHERE {alias}.person_id = {id} AND {condition})"
        ));
    }
}

/// The persons having every term, driven by `driver`, filtered, at most `take`.
fn name_statement(criteria: &SearchCriteria, terms: &[Term], driver: Driver, take: u32) -> (String, Vec<Param>) {
    let mut params = Vec::new();
    let mut sql;
    match driver {
        Driver::BirthDate => {
            sql = format!("SELECT p.id, {} FROM persons p WHERE 1 = 1", detail_columns!());
            sql.push_str(&criteria.filters(&mut params));
            probes(terms, driver, "p.id", &mut sql, &mut params);
        }
        Driver::Term(i) if criteria.citizenship.is_none() && criteria.birth_date.is_none() => {
            // Candidates are matched on the index alone; only the hits' person rows are read.
            let drive = terms[i].condition("k0", &mut params);
            let distinct = if matches!(terms[i], Term::Prefix(..)) { "DISTINCT " } else { "" };
            let mut inner = format!("SELECT {distinct}k0.person_id FROM name_index k0 WHERE {drive}");
            probes(terms, driver, "k0.person_id", &mut inner, &mut params);
            params.push(i64::from(take).into());
            inner.push_str(&format!(" LIMIT ${}", params.len()));
            let sql = format!("SELECT p.id, {} FROM persons p WHERE p.id IN ({inner})", detail_columns!());
            return (sql, params);
        }
        Driver::Term(i) => {
            let drive = terms[i].condition("k0", &mut params);
            // A prefix may meet one person through two of their keys.
            let distinct = if matches!(terms[i], Term::Prefix(..)) { "DISTINCT " } else { "" };
            sql = format!(
                "SELECT {distinct}p.id, {} FROM name_index k0 CROSS JOIN persons p WHERE {drive} AND p.id = k0.person_id",
                detail_columns!()
            );
            sql.push_str(&criteria.filters(&mut params));
            probes(terms, driver, "k0.person_id", &mut sql, &mut params);
        }
    }
    params.push(i64::from(take).into());
    sql.push_str(&format!(" LIMIT ${}", params.len()));
    (sql, params)
}

/// The holders of documents numbered `number` (any issuing state), filtered, at most `take`.
fn document_statement(criteria: &SearchCriteria, number: &DocumentNumber, take: u32) -> (String, Vec<Param>) {
    let mut params: Vec<Param> = vec![number.as_str().into()];
    let mut sql = format!(
        "SELECT DISTINCT p.id, {} FROM documents d CROSS JOIN persons p WHERE d.number = $1 AND p.id = d.person_id",
        detail_columns!()
    );
    sql.push_str(&criteria.filters(&mut params));
    params.push(i64::from(take).into());
    sql.push_str(&format!(" LIMIT ${}", params.len()));
    (sql, params)
}

/// Persons with the filtered birth date and citizenship, at most `take`.
fn filter_statement(criteria: &SearchCriteria, take: u32) -> (String, Vec<Param>) {
    let mut params = Vec::new();
    let mut sql = format!("SELECT p.id, {} FROM persons p WHERE 1 = 1", detail_columns!());
    sql.push_str(&criteria.filters(&mut params));
    params.push(i64::from(take).into());
    sql.push_str(&format!(" LIMIT ${}", params.len()));
    (sql, params)
}

/// The documents of `persons`, ordered by holder, issuing state and number.
fn documents_statement(persons: &[PersonId]) -> (String, Vec<Param>) {
    let placeholders: Vec<String> = (1..=persons.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT person_id, document_type, issuing_state, number, expiry FROM documents
         WHERE person_id IN ({}) ORDER BY person_id, issuing_state, number",
        placeholders.join(", ")
    );
    (sql, persons.iter().map(|p| p.as_uuid().into()).collect())
}

impl Store {
    /// The persons matching `criteria`: holders of the document number, and persons having every
    /// name word (the last also as a prefix), both filtered by birth date and citizenship; with
    /// neither words nor number, the persons the filters select. At most the criteria's limit,
    /// with `truncated` when more match.
    pub async fn search_persons(&self, criteria: &SearchCriteria) -> Result<SearchOutcome, StoreError> {
        let take = criteria.limit + 1;
        let mut found: Vec<(FoundPerson, SearchMatch)> = Vec::new();
        if let Some(number) = &criteria.document {
            let (sql, params) = document_statement(criteria, number, take);
            found.extend(
                self.read_built::<FoundPerson>(sql, params).await?.into_iter().map(|p| (p, SearchMatch::Document)),
            );
        }
        let terms = criteria.terms();
        if !terms.is_empty() {
            let driver = if criteria.birth_date.is_some() {
                Driver::BirthDate
            } else if terms.len() == 1 {
                Driver::Term(0)
            } else {
                let (sql, params) = count_statement(&terms);
                let counts: Vec<(i64, i64)> = self.read_built(sql, params).await?;
                let rarest = counts.iter().min_by_key(|(i, n)| (*n, *i)).map_or(0, |(i, _)| *i);
                Driver::Term(usize::try_from(rarest).unwrap_or(0).min(terms.len() - 1))
            };
            let (sql, params) = name_statement(criteria, &terms, driver, take);
            for person in self.read_built::<FoundPerson>(sql, params).await? {
                if !found.iter().any(|(p, _)| p.id == person.id) {
                    found.push((person, SearchMatch::Name));
                }
            }
        }
        if criteria.document.is_none() && terms.is_empty() {
            let (sql, params) = filter_statement(criteria, take);
            found.extend(
                self.read_built::<FoundPerson>(sql, params).await?.into_iter().map(|p| (p, SearchMatch::Filters)),
            );
        }
        let truncated = found.len() > criteria.limit as usize;
        found.truncate(criteria.limit as usize);
        let ids: Vec<PersonId> = found.iter().map(|(p, _)| p.id).collect();
        let mut documents: HashMap<PersonId, Vec<IdentityDocument>> = HashMap::new();
        if !ids.is_empty() {
            let (sql, params) = documents_statement(&ids);
            for held in self.read_built::<HeldDocument>(sql, params).await? {
                documents.entry(held.holder).or_default().push(held.document);
            }
        }
        let hits = found
            .into_iter()
            .map(|(p, matched_by)| SearchHit {
                person: Person { id: p.id, details: p.details, documents: documents.remove(&p.id).unwrap_or_default() },
                matched_by,
            })
            .collect();
        Ok(SearchOutcome { hits, truncated })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use sapar_model::{FullName, NamePart};

    fn full(surname: &str, given: &str, patronymic: Option<&str>) -> FullName {
        FullName {
            surname: NamePart::parse(surname).unwrap(),
            given_names: Some(NamePart::parse(given).unwrap()),
            patronymic: patronymic.map(|p| NamePart::parse(p).unwrap()),
        }
    }

    #[test]
    fn a_person_has_one_key_per_distinct_word_of_both_scripts() {
        let name = PersonName::new(
            Some(full("Жанұзақов", "Ерлан", Some("Серік ұлы"))),
            Some(full("ZHANUZAKOV", "YERLAN", None)),
        )
        .unwrap();
        assert_eq!(name_keys(&name), ["ERLAN", "JANUZAKOV", "SERIK", "ULI"]);
    }

    #[test]
    fn the_last_word_is_a_prefix_only_from_two_letters() {
        let criteria = SearchCriteria::new(["Ерлан", "ZHAN"], None, None, None, None).unwrap();
        assert_eq!(criteria.terms(), [Term::Exact("ERLAN".into()), Term::Prefix("JAN".into(), "JAO".into())]);
        let short = SearchCriteria::new(["Ерлан", "Z"], None, None, None, None).unwrap();
        assert_eq!(short.terms(), [Term::Exact("ERLAN".into()), Term::Exact("Z".into())]);
    }

    #[test]
    fn criteria_naming_everyone_or_too_many_words_are_refused() {
        assert_eq!(SearchCriteria::new(["  ", "--"], None, None, None, None), Err(SearchRefusal::Empty));
        let words = ["A"; MAX_SEARCH_WORDS + 1];
        assert_eq!(SearchCriteria::new(words, None, None, None, None), Err(SearchRefusal::TooManyWords));
        let by_country = SearchCriteria::new([], None, None, Some(Country::KAZ), Some(1000)).unwrap();
        assert_eq!(by_country.limit(), MAX_SEARCH_LIMIT);
    }
}
