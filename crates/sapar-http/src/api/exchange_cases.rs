//! The treaty case desk: `GET /api/v1/exchange/cases` lists cases with their Art. 11.3
//! deadlines (open, due soon, overdue, closed; by partner and agreement), and
//! `GET /api/v1/exchange/cases/{id}` shows one case with every message and its body, a read logged
//! with its purpose before anything is shown, with the steps the case's state allows;
//! `POST /api/v1/exchange/cases/{id}/steps` takes one. `GET …/{id}/answer-draft` drafts the
//! answer to a received request from the register (the person found with the linkage engine and
//! why, each category asked as Art. 7 records) and `POST …/{id}/answer` sends the answer the
//! officer settled on, each category answered or refused with a ground of the agreement.
//! Requests are confidential (Art. 5): only exchange officers, signatories and auditors read
//! cases, and auditors take no steps.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sapar_model::Country;
use sapar_model::{InputCode, InputError, PersonId};
use sapar_register::RegisterError;
use sapar_register::answers::AnswerDraft;
use sapar_register::exchange::{
    AnswerTerms, AnsweredCategory, CaseAnswer, CaseBody, CaseDirection, CaseFilter, CaseRecord, CaseStatus, CaseStep,
    CaseSummary, DataCategory, RefusedCategory,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{ReadAccess, ReadHeaders};
use crate::api::exchange::exchange_of;
use crate::auth::Caller;
use crate::error::{ApiCode, ApiError, ErrorBody};
use crate::json::{ApiJson, ApiQuery};

/// Where a case stands for the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatusView {
    /// Waiting for a party to act, with no deadline close.
    Open,
    /// An open request with five days or fewer left.
    DueSoon,
    /// An open request past its deadline.
    Overdue,
    /// Answered, refused, withdrawn, or a case of one message.
    Closed,
}

impl CaseStatusView {
    fn of(status: CaseStatus) -> CaseStatusView {
        match status {
            CaseStatus::Open => CaseStatusView::Open,
            CaseStatus::DueSoon => CaseStatusView::DueSoon,
            CaseStatus::Overdue => CaseStatusView::Overdue,
            CaseStatus::Closed => CaseStatusView::Closed,
        }
    }
}

/// The Art. 11.3 deadline of a case's request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeadlineView {
    /// The party that must answer (alpha-3); the days are counted in its zone.
    pub requested_party: String,
    /// RFC 3339 UTC: when the requested party received the request (for a request this node
    /// sent, the time in the partner's signed receipt).
    pub received_at: String,
    /// The receipt's date in the requested party's zone.
    pub received_on: String,
    /// The last day on which the answer is on time: the receipt date plus 30 calendar days.
    pub due_on: String,
    /// Whole days from today to `due_on` in the requested party's zone; negative once overdue.
    pub days_left: i64,
    /// RFC 3339 UTC: the first answer or refusal, sent or received.
    pub answered_at: Option<String>,
    /// Whether that answer came by the end of `due_on`; absent while unanswered.
    pub answered_on_time: Option<bool>,
}

/// A case as the desk lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseSummaryView {
    #[schema(format = Uuid)]
    pub case_id: String,
    pub agreement: String,
    /// The other state of the case (alpha-3).
    pub partner: String,
    /// The state that opened the case (alpha-3).
    pub opened_by: String,
    /// The case's state in the treaty's state machine (`docs/protocol.md`, section 7).
    #[schema(example = "in_progress")]
    pub state: String,
    pub status: CaseStatusView,
    /// RFC 3339 UTC: the first message, sent or received.
    pub opened_at: Option<String>,
    /// RFC 3339 UTC: the latest message, sent or received.
    pub last_activity_at: Option<String>,
    /// Messages received and sent (not counting those the partner refused).
    pub messages: i64,
    /// Present for a request once the requested party has received it.
    pub deadline: Option<DeadlineView>,
}

/// Cases, overdue first, then due soon (nearest deadline first), then the others by latest
/// activity.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CaseList {
    pub(crate) cases: Vec<CaseSummaryView>,
}

/// One message of a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseMessageView {
    /// `in` or `out`.
    pub direction: String,
    #[schema(format = Uuid)]
    pub id: String,
    pub channel: String,
    pub seq: i64,
    #[serde(rename = "type")]
    pub message_type: String,
    pub from: String,
    pub to: String,
    #[schema(format = Uuid)]
    pub in_reply_to: Option<String>,
    /// RFC 3339 UTC, set by the sender.
    pub created_at: String,
    /// RFC 3339 UTC, when this node received it (in).
    pub received_at: Option<String>,
    /// `pending`, `delivered` or `rejected` (out); `received` (in).
    pub status: String,
    /// The body as signed (`docs/protocol.md`, section 5); absent once destroyed.
    #[schema(value_type = Option<Object>)]
    pub body: Option<serde_json::Value>,
    /// The received payload was destroyed at the end of its retention period (its hash stays in
    /// the message log).
    pub body_destroyed: bool,
}

/// A case with every message, in the order sent or received.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseView {
    pub case: CaseSummaryView,
    pub messages: Vec<CaseMessageView>,
    /// The steps this node may take in the case's state (`POST …/steps`), e.g. `delay_notice`.
    pub steps: Vec<String>,
    /// Present while this node may answer the case's request (`POST …/answer`).
    pub answer: Option<AnswerTermsView>,
}

/// A refusal ground the agreement lists (Art. 11.4).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RefusalGroundView {
    #[schema(example = "security")]
    pub id: String,
    pub name_ru: String,
    pub name_en: String,
}

/// What a received request asks and what the agreement lets this node answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AnswerTermsView {
    #[schema(format = Uuid)]
    pub request_id: String,
    /// The purpose the requesting party stated.
    pub purpose: String,
    /// The categories asked; the answer answers or refuses each, once.
    pub categories: Vec<String>,
    /// The Art. 7 fields an answer's records may carry: those asked that the agreement lists.
    pub fields: Vec<String>,
    /// Who the request is about (Art. 7 fields), as the requesting party described them.
    #[schema(value_type = Option<Object>)]
    pub person: Option<serde_json::Value>,
    /// The grounds a category may be refused on.
    pub grounds: Vec<RefusalGroundView>,
}

impl AnswerTermsView {
    fn of(t: &AnswerTerms) -> AnswerTermsView {
        AnswerTermsView {
            request_id: t.request_id.to_string(),
            purpose: t.purpose.clone(),
            categories: t.categories.iter().map(|c| c.as_str().to_owned()).collect(),
            fields: t.fields.iter().map(|f| f.as_str().to_owned()).collect(),
            person: t.person.as_ref().and_then(|p| serde_json::to_value(p).ok()),
            grounds: t
                .grounds
                .iter()
                .map(|g| RefusalGroundView { id: g.id.clone(), name_ru: g.name_ru.clone(), name_en: g.name_en.clone() })
                .collect(),
        }
    }
}

/// An instant as the API writes it: RFC 3339 UTC.
fn utc(at: jiff::Timestamp) -> String {
    at.to_string()
}

impl CaseSummaryView {
    fn of(c: &CaseSummary) -> CaseSummaryView {
        CaseSummaryView {
            case_id: c.case_id.to_string(),
            agreement: c.agreement.clone(),
            partner: c.partner.code().to_owned(),
            opened_by: c.opened_by.code().to_owned(),
            state: c.state.as_str().to_owned(),
            status: CaseStatusView::of(c.status),
            opened_at: c.opened_at.map(utc),
            last_activity_at: c.last_activity_at.map(utc),
            messages: c.messages,
            deadline: c.deadline.as_ref().map(|d| DeadlineView {
                requested_party: d.requested_party.code().to_owned(),
                received_at: utc(d.received_at),
                received_on: d.received_on.to_string(),
                due_on: d.due_on.to_string(),
                days_left: d.days_left,
                answered_at: d.answered_at.map(utc),
                answered_on_time: d.answered_on_time,
            }),
        }
    }
}

impl CaseView {
    fn of(record: CaseRecord) -> CaseView {
        CaseView {
            case: CaseSummaryView::of(&record.summary),
            steps: record.steps.iter().map(|k| k.message_type().to_owned()).collect(),
            answer: record.answer.as_ref().map(AnswerTermsView::of),
            messages: record
                .messages
                .into_iter()
                .map(|m| {
                    let (body, body_destroyed) = match m.body {
                        CaseBody::Present(body) => (Some(body), false),
                        CaseBody::Destroyed => (None, true),
                    };
                    CaseMessageView {
                        direction: match m.direction {
                            CaseDirection::In => "in",
                            CaseDirection::Out => "out",
                        }
                        .to_owned(),
                        id: m.id.to_string(),
                        channel: m.channel,
                        seq: m.seq,
                        message_type: m.message_type,
                        from: m.from,
                        to: m.to,
                        in_reply_to: m.in_reply_to.map(|id| id.to_string()),
                        created_at: utc(m.created_at),
                        received_at: m.received_at.map(utc),
                        status: m.delivery.as_str().to_owned(),
                        body,
                        body_destroyed,
                    }
                })
                .collect(),
        }
    }
}

/// The case list's query.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct CaseListQuery {
    /// `open` (every case waiting for a party, due-soon and overdue ones too), `due_soon`,
    /// `overdue` or `closed`; all when absent.
    #[param(value_type = Option<CaseStatusView>)]
    status: Option<String>,
    /// The partner state, alpha-3.
    #[param(example = "KGZ")]
    partner: Option<String>,
    /// The agreement, e.g. `KAZ-KGZ-2019`.
    agreement: Option<String>,
}

impl CaseListQuery {
    fn checked(self) -> Result<CaseFilter, ApiError> {
        let status = self
            .status
            .map(|s| {
                CaseStatus::parse(&s).ok_or_else(|| {
                    ApiError::new(ApiCode::InvalidQuery, "status must be open, due_soon, overdue or closed")
                        .at("status")
                })
            })
            .transpose()?;
        let partner = self
            .partner
            .map(|p| {
                Country::parse(&p).map_err(|_| {
                    ApiError::new(ApiCode::InvalidQuery, "partner must be a state's alpha-3 code").at("partner")
                })
            })
            .transpose()?;
        Ok(CaseFilter { status, partner, agreement: self.agreement })
    }
}

/// List the treaty exchange's cases with their deadlines (Art. 11.3): a request is due 30
/// calendar days after its receipt, counted in the requested party's zone. No personal data.
#[utoipa::path(
    get,
    path = "/api/v1/exchange/cases",
    tag = "exchange",
    params(CaseListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The cases", body = CaseList),
        (status = 400, description = "status or partner is not one of the listed values (`invalid_query`)", body = ErrorBody),
        (status = 403, description = "Only exchange officers, signatories and auditors (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No exchange configured on this node (`exchange_not_configured`)", body = ErrorBody),
    )
)]
pub(crate) async fn list_cases(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<CaseListQuery>,
) -> Result<Json<CaseList>, ApiError> {
    let filter = query.checked()?;
    let desk = exchange_of(&state)?.case_desk();
    let cases = desk.cases(caller.role, &filter, state.register.now()).await?;
    Ok(Json(CaseList { cases: cases.iter().map(CaseSummaryView::of).collect() }))
}

/// One case with every message sent and received and its body (a received payload opened from
/// its encryption at rest). The read is logged with its purpose before the case is shown.
#[utoipa::path(
    get,
    path = "/api/v1/exchange/cases/{id}",
    tag = "exchange",
    params(("id" = uuid::Uuid, Path, description = "Case id"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The case", body = CaseView),
        (status = 400, description = "The id is not a UUID (`invalid_id`), or the purpose is missing or unknown", body = ErrorBody),
        (status = 403, description = "Only exchange officers, signatories and auditors (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No case has this id (`not_found`), or no exchange is configured \
            (`exchange_not_configured`)", body = ErrorBody),
    )
)]
pub(crate) async fn get_case(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
) -> Result<Json<CaseView>, ApiError> {
    let case_id = case_id_of(&id)?;
    let desk = exchange_of(&state)?.case_desk();
    let record = desk.case(&access, case_id, state.register.now()).await?;
    Ok(Json(CaseView::of(record)))
}

/// A step the requested party takes in an open request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CaseStepBody {
    /// `clarification_request` (Art. 11.1), `delay_notice` (Art. 11.3), `postponement`
    /// (Art. 11.2), `authenticity_query` (Art. 10.5) or `confidentiality_notice` (Art. 12.1).
    #[schema(example = "delay_notice")]
    step: String,
    /// What the partner is told: the reason of a delay or a postponement, else the text.
    text: String,
    /// `YYYY-MM-DD`: when the answer is expected (delay) or until when execution is postponed.
    date: Option<String>,
    /// The conditions of a postponement.
    conditions: Option<String>,
}

/// A step put in the outbox.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CaseStepQueued {
    /// The message carrying the step.
    #[schema(format = Uuid)]
    id: String,
    #[serde(rename = "type")]
    message_type: String,
}

/// Take a step in a request received from a partner: ask for clarification, give notice of a
/// delay, postpone, query its authenticity or say it cannot stay confidential. The message goes
/// to the authority that sent the request, in reply to it, signed by a signatory of the authority
/// it was addressed to, and only where the case's state allows it.
#[utoipa::path(
    post,
    path = "/api/v1/exchange/cases/{id}/steps",
    tag = "exchange",
    params(("id" = uuid::Uuid, Path, description = "Case id")),
    request_body = CaseStepBody,
    security(("bearer" = [])),
    responses(
        (status = 202, description = "In the outbox; delivered in order with retries", body = CaseStepQueued),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only exchange officers and signatories (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No case has this id (`not_found`), or no exchange is configured \
            (`exchange_not_configured`)", body = ErrorBody),
        (status = 422, description = "A field is invalid (`invalid_choice`, `missing_field`, `too_long`, \
            `invalid_date`), or the step is not sendable: `message_type_not_allowed` in the case's state, \
            `signatory_not_available`, `body_invalid`", body = ErrorBody),
    )
)]
pub(crate) async fn take_step(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CaseStepBody>,
) -> Result<(StatusCode, Json<CaseStepQueued>), ApiError> {
    let case_id = case_id_of(&id)?;
    let desk = exchange_of(&state)?.case_desk();
    let step = CaseStep::parse(&body.step, &body.text, body.date.as_deref(), body.conditions.as_deref())
        .map_err(RegisterError::from)?;
    let kind = step.kind();
    let id = desk.take_step(&caller.actor(), case_id, step).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(CaseStepQueued { id: id.to_string(), message_type: kind.message_type().to_owned() }),
    ))
}

/// How one field compared between the request's description and a candidate.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EvidenceView {
    #[schema(example = "surname")]
    pub field: String,
    /// The comparison level, e.g. `exact`, `different` or `missing`.
    pub level: String,
    /// The log2 Bayes factor the field adds to the match weight.
    pub weight: f64,
}

/// A person of the register who may be the one the request is about.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AnswerCandidateView {
    #[schema(format = Uuid)]
    pub person_id: String,
    pub native_name: Option<crate::api::persons::NameView>,
    pub latin_name: Option<crate::api::persons::NameView>,
    pub sex: &'static str,
    pub birth_date: Option<String>,
    pub citizenship: String,
    pub documents: Vec<crate::api::persons::DocumentView>,
    /// The linkage model's probability that this is the person asked about.
    pub probability: f64,
    pub evidence: Vec<EvidenceView>,
}

/// One category asked, as drafted from the register.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DraftedCategoryView {
    pub category: String,
    /// `found` (records follow) or `not_found`.
    pub status: &'static str,
    /// Art. 7 records: exactly the fields asked that the agreement lists, names in both scripts.
    #[schema(value_type = Vec<Object>)]
    pub records: Vec<serde_json::Value>,
    /// False for a category the register does not hold: answer or refuse it from other sources.
    pub from_register: bool,
}

/// A drafted answer: the candidates with their evidence, the person taken, each category asked.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AnswerDraftView {
    /// The person the categories are drafted for: the one asked for with `person`, else the best
    /// candidate when the model is sure (probability 0.99 or more); absent when nobody is taken.
    #[schema(format = Uuid)]
    pub chosen: Option<String>,
    /// Best first; candidates below probability 0.5 are not shown.
    pub candidates: Vec<AnswerCandidateView>,
    pub categories: Vec<DraftedCategoryView>,
}

impl AnswerDraftView {
    fn of(draft: AnswerDraft) -> AnswerDraftView {
        use crate::api::persons::{DocumentView, NameView};
        AnswerDraftView {
            chosen: draft.chosen.map(|id| id.to_string()),
            candidates: draft
                .candidates
                .into_iter()
                .map(|c| AnswerCandidateView {
                    person_id: c.person_id.to_string(),
                    native_name: c.details.name.native().map(NameView::of),
                    latin_name: c.details.name.latin().map(NameView::of),
                    sex: c.details.sex.code(),
                    birth_date: c.details.birth_date.map(|d| d.to_string()),
                    citizenship: c.details.citizenship.code().to_owned(),
                    documents: c.documents.iter().map(DocumentView::of).collect(),
                    probability: c.probability,
                    evidence: c
                        .evidence
                        .into_iter()
                        .map(|e| EvidenceView { field: e.field, level: e.level, weight: e.weight })
                        .collect(),
                })
                .collect(),
            categories: draft
                .categories
                .into_iter()
                .map(|c| DraftedCategoryView {
                    category: c.category.as_str().to_owned(),
                    status: if c.records.is_empty() { "not_found" } else { "found" },
                    records: c.records.into_iter().filter_map(|r| serde_json::to_value(r).ok()).collect(),
                    from_register: c.from_register,
                })
                .collect(),
        }
    }
}

/// The draft's query.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct AnswerDraftQuery {
    /// The candidate to draft for, instead of the best one.
    #[param(value_type = Option<uuid::Uuid>)]
    person: Option<String>,
}

fn case_id_of(id: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(id).map_err(|_| ApiError::new(ApiCode::InvalidId, "the case id is not a UUID"))
}

/// Draft the answer to a request received from a partner, from the register: the person the
/// request describes is looked for by name (in any script) and document number, each person
/// found scored by the linkage engine with its field-by-field evidence, and each category asked
/// drafted for the person taken as Art. 7 records. Reading the case and every candidate shown is
/// logged with the purpose, which must be `exchange_request`. Nothing is sent.
#[utoipa::path(
    get,
    path = "/api/v1/exchange/cases/{id}/answer-draft",
    tag = "exchange",
    params(("id" = uuid::Uuid, Path, description = "Case id"), AnswerDraftQuery, ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The draft", body = AnswerDraftView),
        (status = 400, description = "The id is not a UUID (`invalid_id`), the person asked for is not a UUID \
            (`invalid_query`), or the purpose is missing or unknown", body = ErrorBody),
        (status = 403, description = "Only exchange officers and signatories (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No case has this id (`not_found`), or no exchange is configured \
            (`exchange_not_configured`)", body = ErrorBody),
        (status = 422, description = "The case's request cannot be answered in its state (`message_type_not_allowed`), \
            describes no person (`request_names_no_person`), the person asked for is not a candidate or the purpose \
            is not exchange_request (`invalid_choice`)", body = ErrorBody),
    )
)]
pub(crate) async fn answer_draft(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<AnswerDraftQuery>,
) -> Result<Json<AnswerDraftView>, ApiError> {
    let case_id = case_id_of(&id)?;
    let chosen = query
        .person
        .map(|p| {
            uuid::Uuid::parse_str(&p)
                .map(PersonId::from_uuid)
                .map_err(|_| ApiError::new(ApiCode::InvalidQuery, "person must be a UUID").at("person"))
        })
        .transpose()?;
    sapar_register::exchange::require_step_role(access.actor.role)?;
    let desk = exchange_of(&state)?.case_desk();
    let record = desk.case(&access, case_id, state.register.now()).await?;
    let terms = record.answer.ok_or_else(|| {
        ApiError::new(ApiCode::MessageTypeNotAllowed, "this node cannot answer a request of this case in its state")
    })?;
    let draft = state.register.draft_answer(&access, &terms, chosen).await?;
    Ok(Json(AnswerDraftView::of(draft)))
}

/// One category answered: its records (Art. 7 fields only), none for "not found".
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnsweredCategoryBody {
    #[schema(example = "registration")]
    category: String,
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    records: Vec<sapar_register::exchange::Art7Record>,
}

/// One category refused (Art. 11.4).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RefusedCategoryBody {
    category: String,
    /// A refusal ground the agreement lists (`answer.grounds` of the case).
    #[schema(example = "security")]
    ground: String,
    /// The reasons, in the agreement's working language.
    reasons: String,
}

/// The answer to a request: every category asked, answered or refused, once.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CaseAnswerBody {
    #[serde(default)]
    results: Vec<AnsweredCategoryBody>,
    #[serde(default)]
    refusals: Vec<RefusedCategoryBody>,
}

fn category_of(raw: &str, field: &'static str) -> Result<DataCategory, ApiError> {
    DataCategory::parse(raw).map_err(|_| {
        ApiError::from(RegisterError::from(InputError::new(
            field,
            InputCode::InvalidChoice,
            format!("{raw:?} is not a data category"),
        )))
    })
}

impl CaseAnswerBody {
    fn checked(self) -> Result<CaseAnswer, ApiError> {
        let mut answer = CaseAnswer::default();
        for r in self.results {
            answer
                .results
                .push(AnsweredCategory { category: category_of(&r.category, "results")?, records: r.records });
        }
        for r in self.refusals {
            answer.refusals.push(RefusedCategory {
                category: category_of(&r.category, "refusals")?,
                ground: r.ground.trim().to_owned(),
                reasons: r.reasons.trim().to_owned(),
            });
        }
        Ok(answer)
    }
}

/// Answer a request received from a partner (Art. 11.3, 11.4): each category asked is answered
/// with its records or "not found", or refused on a ground the agreement lists, with reasons.
/// The records carry only the Art. 7 fields the request asked for. The answer goes to the
/// authority that sent the request, in reply to it, signed by a signatory of the authority it was
/// addressed to; nothing is sent when any check fails.
#[utoipa::path(
    post,
    path = "/api/v1/exchange/cases/{id}/answer",
    tag = "exchange",
    params(("id" = uuid::Uuid, Path, description = "Case id")),
    request_body = CaseAnswerBody,
    security(("bearer" = [])),
    responses(
        (status = 202, description = "In the outbox; delivered in order with retries", body = CaseStepQueued),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only exchange officers and signatories (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No case has this id (`not_found`), or no exchange is configured \
            (`exchange_not_configured`)", body = ErrorBody),
        (status = 422, description = "Not an answer to this request: `category_not_requested`, \
            `answer_incomplete`, `field_not_requested`, `field_outside_agreement`, `refusal_ground_invalid`, \
            `reason_required`, `invalid_choice`; or not sendable: `message_type_not_allowed` once the case is \
            answered or closed, `body_invalid`, `signatory_not_available`", body = ErrorBody),
    )
)]
pub(crate) async fn answer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CaseAnswerBody>,
) -> Result<(StatusCode, Json<CaseStepQueued>), ApiError> {
    let case_id = case_id_of(&id)?;
    let desk = exchange_of(&state)?.case_desk();
    let answer = body.checked()?;
    let id = desk.answer(&caller.actor(), case_id, answer).await?;
    Ok((StatusCode::ACCEPTED, Json(CaseStepQueued { id: id.to_string(), message_type: "answer".to_owned() })))
}
