//! Answers to a partner's request drafted from the register (Art. 6.1, 6.2, 7, 11.4). The person
//! the request describes (names in either script, birth date, sex, citizenship, document) is
//! looked for by name and by document number, and every person found is scored with the
//! register's linkage model, with the field-by-field evidence an officer reads before trusting a
//! match. For the person the officer takes as the one asked about (the best candidate when the
//! model is sure), each category asked is drafted from the register as Art. 7 records — names in
//! both scripts, exactly the fields the request asked for and the agreement lists — for the
//! officer to check, trim, refuse per category and send. Every candidate shown is an access-logged
//! read, made for answering an exchange request.

use std::collections::BTreeMap;

use jiff::civil::Date;
use sapar_identity::names::{Scheme, to_latin};
use sapar_match::{Linkage, Model};
use sapar_model::{
    DocumentNumber, FullName, IdentityDocument, InputCode, InputError, PersonDetails, PersonId, ReadPurpose, Script,
};
use sapar_store::search::{MAX_SEARCH_LIMIT, SearchCriteria};
use sapar_treaty::category::{DataCategory, PersonField};
use sapar_treaty::wire;
use serde_json::{Map, Value, json};

use crate::access::{Access, distinct, view};
use crate::border::scoring_model;
use crate::exchange::{AnswerTerms, CaseFuture, HitCheck, HitQuery, STEP_ROLES};
use crate::linking::{DEFAULT_LOWER, DEFAULT_UPPER, REGISTER_LINK_CONFIG, register_config, register_table};
use crate::records::{PermitKind, PermitPurpose, PersonRecord};
use crate::{Register, RegisterError};

/// The probability from which the best candidate is taken as the person asked about without the
/// officer choosing: the register's own threshold for merging without review.
pub const DRAFT_MATCH_AT: f64 = DEFAULT_UPPER;
/// Candidates below this probability are not shown: the register's threshold for review.
pub const DRAFT_SHOW_FROM: f64 = DEFAULT_LOWER;

/// The name the exchange node's automatic reads are logged under.
pub const HIT_READER: &str = "exchange-node";

impl HitCheck for Register {
    fn hit<'a>(&'a self, query: &'a HitQuery) -> CaseFuture<'a, bool> {
        Box::pin(Register::hit(self, query))
    }
}

/// How one field compared between the request's description and a candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub field: String,
    /// The comparison level (`exact`, `key`, `close`, `different`, `missing`, ...).
    pub level: String,
    /// log2 Bayes factor the field adds.
    pub weight: f64,
}

/// A person of the register who may be the one the request describes.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerCandidate {
    pub person_id: PersonId,
    pub details: PersonDetails,
    pub documents: Vec<IdentityDocument>,
    /// The linkage model's probability that this is the person asked about.
    pub probability: f64,
    pub evidence: Vec<Evidence>,
}

/// One category asked, drafted from the register.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftedCategory {
    pub category: DataCategory,
    /// The Art. 7 records found; empty for "not found".
    pub records: Vec<wire::Person>,
    /// False for a category the register does not hold (statistics, legislation, violations as
    /// practice reports): the officer answers or refuses it from other sources.
    pub from_register: bool,
}

/// A drafted answer: the candidates, the person taken, and each category asked.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerDraft {
    /// Best first; only those at [`DRAFT_SHOW_FROM`] or above.
    pub candidates: Vec<AnswerCandidate>,
    /// The person the categories are drafted for: the officer's choice, else the best candidate
    /// at [`DRAFT_MATCH_AT`] or above; `None` when nobody is taken (every category not found).
    pub chosen: Option<PersonId>,
    pub categories: Vec<DraftedCategory>,
}

/// The person a request describes, as linkage values.
#[derive(Debug, Clone, Default, PartialEq)]
struct Subject {
    surname: String,
    given_names: String,
    patronymic: String,
    birth_date: Option<Date>,
    sex: String,
    citizenship: String,
    document: Option<DocumentNumber>,
}

fn refused(field: &'static str, code: InputCode, message: impl Into<String>) -> RegisterError {
    RegisterError::Invalid(InputError::new(field, code, message.into()))
}

/// A name part of the wire person, preferring the Cyrillic spelling (the register's native one).
fn name_part(person: &wire::Person, key: &str) -> String {
    let Some(value) = person.get(key) else { return String::new() };
    let text = |k: &str| value.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    text("cyrillic").or_else(|| text("latin")).unwrap_or_default().to_owned()
}

fn subject_of(person: &wire::Person) -> Result<Subject, RegisterError> {
    let text = |key: &str| person.get(key).and_then(Value::as_str).map(str::trim).unwrap_or_default().to_owned();
    let birth_date = match text("birth_date").as_str() {
        "" => None,
        raw => Some(
            raw.parse::<Date>()
                .map_err(|_| refused("person.birth_date", InputCode::InvalidDate, format!("{raw:?} is not a date")))?,
        ),
    };
    // A document's series and number are one number in the register (`AC` `1234567` is
    // `AC1234567`, as the machine-readable zone prints it).
    let document = person.get("document").and_then(|d| {
        let part = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or_default();
        DocumentNumber::parse(&format!("{}{}", part("series"), part("number"))).ok()
    });
    let subject = Subject {
        surname: name_part(person, "surname"),
        given_names: name_part(person, "given_names"),
        patronymic: name_part(person, "patronymic"),
        birth_date,
        sex: text("sex"),
        citizenship: text("citizenship"),
        document,
    };
    if subject.surname.is_empty() && subject.given_names.is_empty() && subject.document.is_none() {
        return Err(RegisterError::ExchangeRefused {
            code: "request_names_no_person",
            message: "the request gives no name and no document number to look the person up by".into(),
        });
    }
    Ok(subject)
}

fn subject_record(subject: &Subject) -> sapar_match::Record {
    sapar_match::Record {
        id: "subject".to_owned(),
        values: vec![
            "subject".to_owned(),
            subject.surname.clone(),
            subject.given_names.clone(),
            subject.patronymic.clone(),
            subject.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            subject.sex.clone(),
            subject.citizenship.clone(),
            subject.document.as_ref().map(|d| d.as_str().to_owned()).unwrap_or_default(),
        ],
    }
}

/// Scores `found` against the subject: probability and evidence, in `found`'s order.
fn score(
    model: &Model,
    subject: &Subject,
    found: &[sapar_model::Person],
) -> Result<Vec<(f64, Vec<Evidence>)>, RegisterError> {
    let internal = |e: sapar_match::MatchError| RegisterError::Internal(format!("candidate scoring: {e}"));
    let config = register_config(REGISTER_LINK_CONFIG, DEFAULT_LOWER, DEFAULT_UPPER).map_err(internal)?;
    let left = register_table(vec![subject_record(subject)]).map_err(internal)?;
    let right = register_table(
        found
            .iter()
            .map(|p| {
                crate::linking::person_record(&p.id.to_string(), &p.details, p.documents.first().map(|d| &d.key.number))
            })
            .collect(),
    )
    .map_err(internal)?;
    let linkage = Linkage::new(&config, &left, Some(&right)).map_err(internal)?;
    Ok((0..found.len())
        .map(|j| {
            let pair = linkage.score_pair(model, 0, j as u32);
            let explanation = linkage.explain(model, &pair);
            let evidence = explanation
                .contributions
                .into_iter()
                .map(|c| Evidence { field: c.field, level: c.level, weight: c.weight })
                .collect();
            (pair.probability(), evidence)
        })
        .collect())
}

/// A name part in both scripts, as Art. 7 asks: the Cyrillic spelling when the register holds
/// one, the Latin one as recorded or, failing that, romanised by ICAO Doc 9303.
fn both_scripts(native: Option<&str>, native_script: Option<Script>, latin: Option<&str>) -> Option<Value> {
    let mut out = Map::new();
    if let (Some(text), Some(Script::Cyrillic)) = (native, native_script) {
        out.insert("cyrillic".into(), Value::String(text.to_owned()));
    }
    let latin = latin.map(str::to_owned).or_else(|| native.map(|n| to_latin(n, Scheme::Icao9303)));
    if let Some(l) = latin.filter(|l| !l.is_empty()) {
        out.insert("latin".into(), Value::String(l));
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

/// The identity fields of a person the answer may carry.
fn identity(details: &PersonDetails, document: Option<&IdentityDocument>, allowed: &[PersonField]) -> wire::Person {
    let mut out = BTreeMap::new();
    let native = details.name.native();
    let latin = details.name.latin();
    type Pick = fn(&FullName) -> Option<&sapar_model::NamePart>;
    let parts: [(PersonField, Pick); 3] = [
        (PersonField::Surname, |n| Some(&n.surname)),
        (PersonField::GivenNames, |n| n.given_names.as_ref()),
        (PersonField::Patronymic, |n| n.patronymic.as_ref()),
    ];
    for (field, pick) in parts {
        if !allowed.contains(&field) {
            continue;
        }
        let native_part = native.and_then(pick);
        let value = both_scripts(
            native_part.map(|p| p.as_str()),
            native_part.map(|p| p.script()),
            latin.and_then(pick).map(|p| p.as_str()),
        );
        if let Some(v) = value {
            out.insert(field.as_str().to_owned(), v);
        }
    }
    let mut put = |field: PersonField, value: Value| {
        if allowed.contains(&field) {
            out.insert(field.as_str().to_owned(), value);
        }
    };
    put(PersonField::Sex, Value::String(details.sex.code().to_owned()));
    if let Some(born) = details.birth_date {
        put(PersonField::BirthDate, Value::String(born.to_string()));
    }
    put(PersonField::Citizenship, Value::String(details.citizenship.code().to_owned()));
    if let Some(d) = document {
        put(PersonField::Document, json!({"number": d.key.number.as_str(), "issuer": d.key.issuing_state.code()}));
    }
    out
}

/// Everything the register holds that a category may carry, for one person.
struct Holdings {
    record: PersonRecord,
    registrations: Vec<crate::records::RegistrationRecord>,
    bans: Vec<crate::records::BanRecord>,
    expulsions: Vec<crate::records::ExpulsionRecord>,
    controls: Vec<crate::records::ControlEntry>,
}

fn opt_date(d: Option<Date>) -> Value {
    d.map_or(Value::Null, |d| Value::String(d.to_string()))
}

fn drop_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.into_iter().filter(|(_, v)| !v.is_null()).collect()),
        other => other,
    }
}

/// The category-specific Art. 7 field and its entries; `None` for categories that carry the
/// identity only.
fn category_entries(category: DataCategory, h: &Holdings) -> Option<(PersonField, Vec<Value>)> {
    let permits = |keep: &dyn Fn(&crate::records::PermitRecord) -> bool| -> Vec<Value> {
        h.record
            .permits
            .iter()
            .filter(|p| keep(p))
            .map(|p| {
                drop_nulls(json!({
                    "kind": p.kind.as_str(),
                    "number": p.number,
                    "purpose": p.purpose.map(|x| x.as_str()),
                    "valid_from": p.valid_from.to_string(),
                    "valid_to": p.valid_to.to_string(),
                    "revoked_from": opt_date(p.revocation.as_ref().map(|r| r.from)),
                }))
            })
            .collect()
    };
    match category {
        DataCategory::Registration => Some((
            PersonField::Registration,
            h.registrations
                .iter()
                .map(|r| {
                    drop_nulls(json!({
                        "region": r.address.region,
                        "locality": r.address.locality,
                        "street": r.address.street,
                        "building": r.address.building,
                        "flat": r.address.flat,
                        "valid_from": r.valid_from.to_string(),
                        "valid_until": r.valid_until.to_string(),
                        "state": r.state.as_str(),
                        "ended_on": opt_date(r.ended.as_ref().map(|(d, _)| *d)),
                    }))
                })
                .collect(),
        )),
        DataCategory::ResidencePermit => Some((
            PersonField::ResidencePermit,
            permits(&|p| matches!(p.kind, PermitKind::TemporaryResidence | PermitKind::PermanentResidence)),
        )),
        DataCategory::WorkRight => Some((
            PersonField::WorkRight,
            permits(&|p| {
                p.kind == PermitKind::WorkPermit
                    || p.kind == PermitKind::PermanentResidence
                    || (p.kind == PermitKind::TemporaryResidence && p.purpose == Some(PermitPurpose::Work))
            }),
        )),
        DataCategory::EntryRestriction => {
            let bans = h.bans.iter().map(|b| {
                drop_nulls(json!({
                    "kind": "entry_ban",
                    "ground": b.ground.as_str(),
                    "basis": b.basis,
                    "decision_ref": b.decision_ref,
                    "from": b.starts_on.to_string(),
                    "until": b.ends_on.to_string(),
                    "lifted_from": opt_date(b.lift.as_ref().map(|l| l.from)),
                }))
            });
            let controls = h.controls.iter().filter(|c| c.is_active()).map(|c| {
                drop_nulls(json!({
                    "kind": "control_register",
                    "ground": c.ground.as_str(),
                    "basis": c.basis,
                    "decision_ref": c.decision_ref,
                    "from": opt_date(c.decided_on),
                }))
            });
            Some((PersonField::EntryExitRestriction, bans.chain(controls).collect()))
        }
        DataCategory::Expulsion => Some((
            PersonField::MigrationLiability,
            h.expulsions
                .iter()
                .map(|e| {
                    drop_nulls(json!({
                        "kind": e.kind.as_str(),
                        "decided_on": e.decided_on.to_string(),
                        "decision_ref": e.decision_ref,
                        "basis": e.basis,
                        "leave_by": opt_date(e.leave_by),
                        "departed_on": opt_date(e.execution.as_ref().map(|x| x.departed_on)),
                    }))
                })
                .collect(),
        )),
        _ => None,
    }
}

/// True for the categories the register answers.
fn held_by_register(category: DataCategory) -> bool {
    matches!(
        category,
        DataCategory::Registration
            | DataCategory::ResidencePermit
            | DataCategory::WorkRight
            | DataCategory::Citizenship
            | DataCategory::IdentityDocument
            | DataCategory::EntryRestriction
            | DataCategory::Expulsion
    )
}

/// The records of `category` for the person held in `h`: none when the register holds nothing
/// of that kind about them.
fn draft_category(category: DataCategory, h: &Holdings, allowed: &[PersonField]) -> Vec<wire::Person> {
    let person = &h.record.person;
    let newest_document = person.documents.iter().max_by_key(|d| d.expiry);
    match category {
        DataCategory::Citizenship => vec![identity(&person.details, newest_document, allowed)],
        DataCategory::IdentityDocument => {
            person.documents.iter().map(|d| identity(&person.details, Some(d), allowed)).collect()
        }
        _ => match category_entries(category, h) {
            Some((_, entries)) if entries.is_empty() => Vec::new(),
            Some((field, entries)) => {
                let mut record = identity(&person.details, newest_document, allowed);
                if allowed.contains(&field) {
                    record.insert(field.as_str().to_owned(), Value::Array(entries));
                }
                vec![record]
            }
            None => Vec::new(),
        },
    }
}

impl Register {
    /// Drafts the answer to the request `terms` describes: the candidates (logged as read, view
    /// [`view::EXCHANGE_ANSWER`]), the person taken (`chosen`, which must be a candidate, else the
    /// best one the model is sure of) and each category asked from the register. Exchange
    /// officers and signatories, reading for [`ReadPurpose::ExchangeRequest`]; stores nothing
    /// but the access log.
    pub async fn draft_answer(
        &self,
        access: &Access,
        terms: &AnswerTerms,
        chosen: Option<PersonId>,
    ) -> Result<AnswerDraft, RegisterError> {
        access.actor.require(&STEP_ROLES, "draft answers to exchange requests")?;
        if access.purpose != ReadPurpose::ExchangeRequest {
            return Err(refused(
                "purpose",
                InputCode::InvalidChoice,
                "the register is read to answer a partner's request only for exchange_request",
            ));
        }
        let person = terms.person.as_ref().ok_or_else(|| RegisterError::ExchangeRefused {
            code: "request_names_no_person",
            message: "the request describes no person".into(),
        })?;
        let subject = subject_of(person)?;
        let mut candidates = self.answer_candidates(&subject).await?;
        candidates.retain(|c| c.probability >= DRAFT_SHOW_FROM);
        let chosen = match chosen {
            Some(id) if candidates.iter().any(|c| c.person_id == id) => Some(id),
            Some(_) => {
                return Err(refused("person", InputCode::InvalidChoice, "not one of the candidates for this request"));
            }
            None => candidates.first().filter(|c| c.probability >= DRAFT_MATCH_AT).map(|c| c.person_id),
        };
        let shown = distinct(candidates.iter().map(|c| c.person_id));
        if !shown.is_empty() {
            self.log_reads(access, view::EXCHANGE_ANSWER, &shown).await?;
        }
        let holdings = match chosen {
            Some(id) => Some(self.holdings_of(id).await?),
            None => None,
        };
        let categories = terms
            .categories
            .iter()
            .map(|&category| {
                let from_register = held_by_register(category);
                let records = match (&holdings, from_register) {
                    (Some(h), true) => draft_category(category, h, &terms.fields),
                    _ => Vec::new(),
                };
                DraftedCategory { category, records, from_register }
            })
            .collect();
        Ok(AnswerDraft { candidates, chosen, categories })
    }

    /// Whether the register holds data in the categories `query` asks about the person it
    /// describes (see [`HitCheck::hit`]). Reading the candidates is logged (view
    /// [`view::HIT_CHECK`]) as the exchange node's read for answering the partner's query.
    pub async fn hit(&self, query: &HitQuery) -> Result<bool, RegisterError> {
        let subject = match subject_of(&query.person) {
            Ok(subject) => subject,
            // Nobody the register could look up: no hit.
            Err(RegisterError::ExchangeRefused { .. } | RegisterError::Invalid(_)) => return Ok(false),
            Err(e) => return Err(e),
        };
        let candidates = self.answer_candidates(&subject).await?;
        // Nobody sees the candidates, but the node read and compared every one: each is logged.
        let compared: Vec<PersonId> = candidates.iter().map(|c| c.person_id).collect();
        if !compared.is_empty() {
            let access = Access::new(
                crate::Actor::new(HIT_READER, sapar_model::Role::Exchange),
                ReadPurpose::ExchangeRequest,
                crate::access::AccessChannel::Api,
            )
            .with_note(Some(&format!("hit/no-hit query, case {}, {}", query.case_id, query.agreement)))
            .map_err(|e| RegisterError::Internal(format!("hit access note: {e}")))?;
            self.log_reads(&access, view::HIT_CHECK, &compared).await?;
        }
        let Some(best) = candidates.first().filter(|c| c.probability >= DRAFT_MATCH_AT) else { return Ok(false) };
        let holdings = self.holdings_of(best.person_id).await?;
        Ok(query.categories.iter().any(|&c| held_by_register(c) && !draft_category(c, &holdings, &[]).is_empty()))
    }

    /// Everything a category may carry about the person `id` answers for.
    async fn holdings_of(&self, id: PersonId) -> Result<Holdings, RegisterError> {
        Ok(Holdings {
            record: self.person_answering_for(id).await?,
            registrations: self.store.registrations_of(id).await?,
            bans: self.store.bans_of(id).await?,
            expulsions: self.store.expulsions_of(id).await?,
            controls: self.store.control_entries_of(id).await?,
        })
    }

    /// The persons who may be the subject — found by surname and by given names (each with the
    /// birth date when given) and by document number — scored by the linkage model, best first.
    async fn answer_candidates(&self, subject: &Subject) -> Result<Vec<AnswerCandidate>, RegisterError> {
        let mut searches = Vec::new();
        for words in [&subject.surname, &subject.given_names] {
            if !words.is_empty()
                && let Ok(c) = SearchCriteria::new(
                    words.split_whitespace(),
                    None,
                    subject.birth_date,
                    None,
                    Some(MAX_SEARCH_LIMIT),
                )
            {
                searches.push(c);
            }
        }
        if let Some(number) = &subject.document
            && let Ok(c) = SearchCriteria::new([], Some(number.clone()), None, None, Some(MAX_SEARCH_LIMIT))
        {
            searches.push(c);
        }
        let mut found: Vec<sapar_model::Person> = Vec::new();
        for criteria in &searches {
            for hit in self.store.search_persons(criteria).await?.hits {
                if !found.iter().any(|p| p.id == hit.person.id) {
                    found.push(hit.person);
                }
            }
        }
        if found.is_empty() {
            return Ok(Vec::new());
        }
        let model = scoring_model(self.store.latest_link_model().await?.as_ref())?;
        let scores = score(&model, subject, &found)?;
        let mut candidates: Vec<AnswerCandidate> = found
            .into_iter()
            .zip(scores)
            .map(|(p, (probability, evidence))| AnswerCandidate {
                person_id: p.id,
                details: p.details,
                documents: p.documents,
                probability,
                evidence,
            })
            .collect();
        candidates.sort_by(|a, b| b.probability.total_cmp(&a.probability));
        Ok(candidates)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn person(value: Value) -> wire::Person {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn the_subject_prefers_the_cyrillic_spelling_and_needs_a_name_or_a_document() {
        let s = subject_of(&person(json!({
            "surname": {"cyrillic": "Асанов", "latin": "ASANOV"},
            "given_names": {"latin": "BAKYT"},
            "birth_date": "1990-02-03",
            "document": {"series": "ac", "number": "1234567"}
        })))
        .unwrap();
        assert_eq!((s.surname.as_str(), s.given_names.as_str()), ("Асанов", "BAKYT"));
        assert_eq!(s.document.unwrap().as_str(), "AC1234567");
        let none = subject_of(&person(json!({"birth_date": "1990-02-03", "sex": "M"})));
        assert!(matches!(none, Err(RegisterError::ExchangeRefused { code: "request_names_no_person", .. })));
        let bad_date = subject_of(&person(json!({"surname": {"latin": "A"}, "birth_date": "1990-13-03"})));
        assert!(matches!(bad_date, Err(RegisterError::Invalid(e)) if e.field == "person.birth_date"));
    }

    #[test]
    fn names_go_out_in_both_scripts_romanised_by_icao_when_no_latin_is_held() {
        let v = both_scripts(Some("Асанов"), Some(Script::Cyrillic), None).unwrap();
        assert_eq!(v, json!({"cyrillic": "Асанов", "latin": "ASANOV"}));
        let v = both_scripts(Some("Асанов"), Some(Script::Cyrillic), Some("ASSANOV")).unwrap();
        assert_eq!(v, json!({"cyrillic": "Асанов", "latin": "ASSANOV"}));
        // An Armenian native spelling is not Cyrillic: only its Latin form goes out.
        let v = both_scripts(Some("Պետրոսյան"), Some(Script::Armenian), None).unwrap();
        assert!(v.get("cyrillic").is_none() && v.get("latin").is_some());
        assert_eq!(both_scripts(None, None, None), None);
    }
}
