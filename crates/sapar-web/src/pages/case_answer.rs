//! Answering a partner's request from the register (Art. 6.1, 6.2, 7, 11.4): the page shows what
//! the request asks and whom it describes, the persons of the register who may be that person
//! with the linkage model's probability and field-by-field evidence (the officer may take another
//! candidate), and each category asked drafted as the Art. 7 records the answer would carry. The
//! officer ticks the fields that go out, and for each category sends what the register holds,
//! answers "not found", or refuses it on a ground of the agreement with reasons; then signs and
//! sends. The records sent are drafted again from the register when the form is posted, so what
//! leaves is the register's data, trimmed to the fields ticked, never text from the browser.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use sapar_model::{PersonId, ReadPurpose};
use sapar_register::RegisterError;
use sapar_register::access::Access;
use sapar_register::answers::AnswerDraft;
use sapar_register::exchange::{
    AnswerTerms, AnsweredCategory, Art7Record, CaseAnswer, CaseDesk, DataCategory, RefusalGround, RefusedCategory,
    STEP_ROLES,
};
use serde::Deserialize;
use serde_json::Value;

use super::cases::{BodyField, body_fields};
use super::control::access;
use super::form::FieldError;
use super::{purpose_prompt, require};
use crate::WebState;
use crate::i18n::Lang;
use crate::page::{Ctx, PageError, TwoScripts, render};
use crate::session::Officer;

/// The answer page's query: the purpose the case was opened for and the candidate taken.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct AnswerParams {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    person: String,
}

/// A candidate as the page lists it.
pub(crate) struct CandidateRow {
    id: String,
    name: TwoScripts,
    birth_date: String,
    citizenship: String,
    documents: String,
    /// The probability, as a percentage with one decimal.
    percent: String,
    evidence: Vec<EvidenceItem>,
    chosen: bool,
    href: String,
}

pub(crate) struct EvidenceItem {
    field: String,
    level: String,
    weight: String,
    /// The field speaks against the match.
    against: bool,
}

/// One category asked, with the draft and the officer's choice.
pub(crate) struct CategoryBlock {
    code: &'static str,
    label_key: String,
    records: Vec<Vec<BodyField>>,
    from_register: bool,
    /// `send`, `not_found` or `refuse`.
    outcome: String,
    ground: String,
    reasons: String,
    outcome_error: Option<String>,
    ground_error: Option<String>,
    reasons_error: Option<String>,
}

pub(crate) struct FieldChoice {
    code: &'static str,
    label_key: String,
    checked: bool,
}

pub(crate) struct GroundOption {
    id: String,
    name: String,
}

#[derive(Template)]
#[template(path = "case_answer.html")]
struct AnswerPage {
    ctx: Ctx,
    id: String,
    purpose: String,
    note: String,
    request_purpose: String,
    person: Vec<BodyField>,
    candidates: Vec<CandidateRow>,
    chosen: String,
    /// The request describes nobody the register can look up.
    no_person: bool,
    fields: Vec<FieldChoice>,
    categories: Vec<CategoryBlock>,
    grounds: Vec<GroundOption>,
    errors: Vec<FieldError>,
}

/// The officer's choices, as posted (or as first proposed).
#[derive(Debug, Default)]
struct Choices {
    person: Option<PersonId>,
    fields: Option<Vec<String>>,
    /// Per category code: outcome, ground, reasons.
    outcomes: Vec<(String, String, String, String)>,
}

impl Choices {
    /// The choices of a posted form, with its CSRF token, purpose and note.
    fn of(pairs: &[(String, String)]) -> (Choices, String, String, String) {
        let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default();
        let person = uuid::Uuid::parse_str(get("person").trim()).ok().map(PersonId::from_uuid);
        let fields = pairs.iter().filter(|(k, _)| k == "field").map(|(_, v)| v.clone()).collect();
        let outcomes = DataCategory::ALL
            .iter()
            .map(|c| {
                let c = c.as_str();
                (c.to_owned(), get(&format!("outcome_{c}")), get(&format!("ground_{c}")), get(&format!("reasons_{c}")))
            })
            .collect();
        (Choices { person, fields: Some(fields), outcomes }, get("csrf"), get("purpose"), get("note"))
    }

    fn outcome_of(&self, category: DataCategory) -> Option<&(String, String, String, String)> {
        self.outcomes.iter().find(|(c, ..)| c == category.as_str())
    }
}

fn desk(state: &WebState) -> Option<&dyn CaseDesk> {
    state.case_desk.as_deref()
}

/// A ground's name: the agreement gives it in Russian (its working language) and English.
fn ground_name(lang: Lang, g: &RefusalGround) -> String {
    if lang == Lang::En { g.name_en.clone() } else { g.name_ru.clone() }
}

/// The case's answer terms after the read is logged, or the case page when it cannot be answered.
async fn terms_of(
    desk: &dyn CaseDesk,
    state: &WebState,
    officer: &Officer,
    access: &Access,
    case_id: uuid::Uuid,
) -> Result<Result<AnswerTerms, Response>, PageError> {
    let lang = officer.lang;
    let record =
        desk.case(access, case_id, state.register.now()).await.map_err(|e| PageError::from_register(lang, e))?;
    Ok(match record.answer {
        Some(terms) => Ok(terms),
        None => {
            let query = serde_urlencoded::to_string([
                ("purpose", access.purpose.as_str()),
                ("note", access.purpose_note.as_deref().unwrap_or_default()),
                ("refused", "message_type_not_allowed"),
            ])
            .unwrap_or_default();
            Err(Redirect::to(&format!("/cases/{case_id}?{query}")).into_response())
        }
    })
}

/// The draft for `person` (for the best candidate when `person` is not one of the request's),
/// or an empty one when the request describes nobody to look up.
async fn draft_of(
    state: &WebState,
    lang: Lang,
    access: &Access,
    terms: &AnswerTerms,
    person: Option<PersonId>,
) -> Result<(AnswerDraft, bool), PageError> {
    let drafted = match state.register.draft_answer(access, terms, person).await {
        Err(RegisterError::Invalid(e)) if e.field == "person" => state.register.draft_answer(access, terms, None).await,
        other => other,
    };
    match drafted {
        Ok(draft) => Ok((draft, false)),
        Err(RegisterError::ExchangeRefused { code: "request_names_no_person", .. }) => {
            let categories = terms
                .categories
                .iter()
                .map(|&category| sapar_register::answers::DraftedCategory {
                    category,
                    records: Vec::new(),
                    from_register: false,
                })
                .collect();
            Ok((AnswerDraft { candidates: Vec::new(), chosen: None, categories }, true))
        }
        Err(e) => Err(PageError::from_register(lang, e)),
    }
}

fn category_key(c: DataCategory) -> String {
    format!("category-{}", c.as_str().replace('_', "-"))
}

/// Keeps the fields ticked of a record.
fn trimmed(record: &Art7Record, fields: &[String]) -> Art7Record {
    record.iter().filter(|(k, _)| fields.iter().any(|f| f == *k)).map(|(k, v)| (k.clone(), v.clone())).collect()
}

#[allow(clippy::too_many_arguments)]
fn page(
    officer: &Officer,
    case_id: uuid::Uuid,
    access: &Access,
    terms: &AnswerTerms,
    draft: &AnswerDraft,
    no_person: bool,
    choices: &Choices,
    errors: Vec<FieldError>,
) -> Response {
    let lang = officer.lang;
    let ctx = Ctx::of(officer);
    let purpose = access.purpose.as_str().to_owned();
    let note = access.purpose_note.clone().unwrap_or_default();
    let href = |person: PersonId| {
        let query = serde_urlencoded::to_string([
            ("purpose", purpose.as_str()),
            ("note", note.as_str()),
            ("person", &person.to_string()),
        ])
        .unwrap_or_default();
        format!("/cases/{case_id}/answer?{query}#answer-form")
    };
    let candidates = draft
        .candidates
        .iter()
        .map(|c| CandidateRow {
            id: c.person_id.to_string(),
            name: TwoScripts::of(&c.details.name),
            birth_date: ctx.opt_date(&c.details.birth_date),
            citizenship: c.details.citizenship.code().to_owned(),
            documents: c.documents.iter().map(|d| d.key.number.as_str().to_owned()).collect::<Vec<_>>().join(", "),
            percent: format!("{:.1} %", c.probability * 100.0),
            evidence: c
                .evidence
                .iter()
                .map(|e| EvidenceItem {
                    field: e.field.clone(),
                    level: e.level.clone(),
                    weight: format!("{:+.1}", e.weight),
                    against: e.weight < 0.0,
                })
                .collect(),
            chosen: Some(c.person_id) == draft.chosen,
            href: href(c.person_id),
        })
        .collect();
    let ticked = |f: &str| choices.fields.as_ref().is_none_or(|chosen| chosen.iter().any(|c| c == f));
    let fields = terms
        .fields
        .iter()
        .map(|f| FieldChoice {
            code: f.as_str(),
            label_key: format!("art7-{}", f.as_str().replace('_', "-")),
            checked: ticked(f.as_str()),
        })
        .collect();
    let categories = draft
        .categories
        .iter()
        .map(|d| {
            let (outcome, ground, reasons) = match choices.outcome_of(d.category) {
                Some((_, o, g, r)) if !o.is_empty() => (o.clone(), g.clone(), r.clone()),
                _ => {
                    ((if d.records.is_empty() { "not_found" } else { "send" }).to_owned(), String::new(), String::new())
                }
            };
            let code = d.category.as_str();
            let error = |prefix: &str| super::form::error_of(&errors, &format!("{prefix}_{code}")).map(str::to_owned);
            CategoryBlock {
                outcome_error: error("outcome"),
                ground_error: error("ground"),
                reasons_error: error("reasons"),
                code,
                label_key: category_key(d.category),
                records: d
                    .records
                    .iter()
                    .map(|r| body_fields(&serde_json::to_value(r).unwrap_or(Value::Null)))
                    .collect(),
                from_register: d.from_register,
                outcome,
                ground,
                reasons,
            }
        })
        .collect();
    let page = AnswerPage {
        id: case_id.to_string(),
        purpose: purpose.clone(),
        note: note.clone(),
        request_purpose: terms.purpose.clone(),
        person: terms
            .person
            .as_ref()
            .map(|p| body_fields(&serde_json::to_value(p).unwrap_or(Value::Null)))
            .unwrap_or_default(),
        candidates,
        chosen: draft.chosen.map(|p| p.to_string()).unwrap_or_default(),
        no_person,
        fields,
        categories,
        grounds: terms.grounds.iter().map(|g| GroundOption { id: g.id.clone(), name: ground_name(lang, g) }).collect(),
        errors,
        ctx,
    };
    render(&page, lang)
}

/// `GET /cases/{id}/answer`: the answer drafted from the register, for the candidate taken.
pub(crate) async fn answer_page(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Query(params): Query<AnswerParams>,
) -> Result<Response, PageError> {
    require(&officer, &STEP_ROLES)?;
    let lang = officer.lang;
    let case_id = uuid::Uuid::parse_str(&id).map_err(|_| PageError::NotFound(lang))?;
    let desk = desk(&state).ok_or(PageError::NotFound(lang))?;
    let purpose = ReadPurpose::parse(&params.purpose).filter(|p| *p == ReadPurpose::ExchangeRequest);
    let Some(purpose) = purpose else {
        return Ok(purpose_prompt(
            &officer,
            format!("/cases/{case_id}/answer"),
            vec![],
            Some(ReadPurpose::ExchangeRequest),
            &params.note,
        ));
    };
    let access = access(&officer, purpose, &params.note)?;
    let terms = match terms_of(desk, &state, &officer, &access, case_id).await? {
        Ok(terms) => terms,
        Err(back) => return Ok(back),
    };
    let person = uuid::Uuid::parse_str(params.person.trim()).ok().map(PersonId::from_uuid);
    let (draft, no_person) = draft_of(&state, lang, &access, &terms, person).await?;
    Ok(page(&officer, case_id, &access, &terms, &draft, no_person, &Choices::default(), Vec::new()))
}

/// `POST /cases/{id}/answer`: the answer as the officer settled it, drafted again from the
/// register and sent; the case page on success, the answer page with what is wrong otherwise.
pub(crate) async fn send_answer(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require(&officer, &STEP_ROLES)?;
    let (choices, csrf, purpose, note) = Choices::of(&pairs);
    officer.check_csrf(&csrf)?;
    let lang = officer.lang;
    let case_id = uuid::Uuid::parse_str(&id).map_err(|_| PageError::NotFound(lang))?;
    let desk = desk(&state).ok_or(PageError::NotFound(lang))?;
    let purpose = ReadPurpose::parse(&purpose).filter(|p| *p == ReadPurpose::ExchangeRequest);
    let Some(purpose) = purpose else { return Err(PageError::Forbidden(lang)) };
    let access = access(&officer, purpose, &note)?;
    let terms = match terms_of(desk, &state, &officer, &access, case_id).await? {
        Ok(terms) => terms,
        Err(back) => return Ok(back),
    };
    let (draft, no_person) = draft_of(&state, lang, &access, &terms, choices.person).await?;
    let ctx = Ctx::of(&officer);
    let fields = choices.fields.clone().unwrap_or_default();
    let mut answer = CaseAnswer::default();
    let mut errors = Vec::new();
    for d in &draft.categories {
        let code = d.category.as_str();
        let (outcome, ground, reasons) = match choices.outcome_of(d.category) {
            Some((_, o, g, r)) => (o.as_str(), g.trim(), r.trim()),
            None => ("", "", ""),
        };
        match outcome {
            "send" => answer.results.push(AnsweredCategory {
                category: d.category,
                records: d.records.iter().map(|r| trimmed(r, &fields)).filter(|r| !r.is_empty()).collect(),
            }),
            "not_found" => answer.results.push(AnsweredCategory { category: d.category, records: Vec::new() }),
            "refuse" => {
                if ground.is_empty() {
                    errors.push(FieldError { field: format!("ground_{code}"), message: ctx.t("answer-error-ground") });
                }
                if reasons.is_empty() {
                    errors
                        .push(FieldError { field: format!("reasons_{code}"), message: ctx.t("answer-error-reasons") });
                }
                answer.refusals.push(RefusedCategory {
                    category: d.category,
                    ground: ground.to_owned(),
                    reasons: reasons.to_owned(),
                });
            }
            _ => errors.push(FieldError { field: format!("outcome_{code}"), message: ctx.t("answer-error-outcome") }),
        }
    }
    if errors.is_empty() {
        match desk.answer(&officer.session.actor, case_id, answer).await {
            Ok(_) => {
                let query = serde_urlencoded::to_string([
                    ("purpose", purpose.as_str()),
                    ("note", note.as_str()),
                    ("sent", "answer"),
                ])
                .unwrap_or_default();
                return Ok(Redirect::to(&format!("/cases/{case_id}?{query}")).into_response());
            }
            Err(RegisterError::ExchangeRefused { code, .. }) => errors.push(FieldError {
                field: String::new(),
                message: format!("{} ({code})", ctx.t("answer-error-refused")),
            }),
            Err(e) => return Err(PageError::from_register(lang, e)),
        }
    }
    Ok(page(&officer, case_id, &access, &terms, &draft, no_person, &choices, errors))
}
