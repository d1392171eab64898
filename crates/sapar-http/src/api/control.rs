//! `/api/v1/control-register…` and `/api/v1/removal-applications…`: the control register with due
//! process. Inclusion on a listed ground by a decision, with the restrictions that follow;
//! notices to the person and the printable notice; removal when the decision is cancelled;
//! applications for removal with a deadline in working days, decided once with reasons (and the
//! appeal route on a denial); a yes/no check for third parties; the register and a person's
//! entries, reads logged.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sapar_model::{DocumentKey, PersonId};
use sapar_register::control::{EntryFile, RawApplication, RawDecision, RawInclusion, RawNotice};
use sapar_register::records::{
    ApplicationStatus, ControlEntry, ControlNotice, ControlRemoval, DecisionRecord, RemovalApplication,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{ReadAccess, ReadHeaders};
use crate::api::{path_uuid, query_number};
use crate::auth::Caller;
use crate::error::{ApiCode, ApiError, ErrorBody, excerpt};
use crate::json::{ApiJson, ApiQuery};

const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 500;

/// How an entry ended.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RemovalView {
    /// `departure`, `legalised_status`, `decision_cancelled` or `application_granted`.
    #[schema(example = "departure")]
    pub reason: &'static str,
    /// The reasons stated, or what happened.
    pub note: Option<String>,
    /// The exit crossing, permit or application that removed it.
    #[schema(format = Uuid)]
    pub reference: Option<String>,
    pub removed_by: String,
    pub removed_at: String,
}

impl RemovalView {
    fn of(r: &ControlRemoval) -> RemovalView {
        RemovalView {
            reason: r.reason.as_str(),
            note: r.note.clone(),
            reference: r.reference.map(|id| id.to_string()),
            removed_by: r.by.clone(),
            removed_at: r.at.to_string(),
        }
    }
}

/// A control register entry.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ControlEntryView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub person_id: String,
    /// One of the listed grounds, e.g. `permit_expired_or_annulled`.
    #[schema(example = "permit_expired_or_annulled")]
    pub ground: &'static str,
    pub decision_ref: String,
    pub decided_on: Option<String>,
    pub basis: Option<String>,
    /// The officer who decided the inclusion.
    pub decided_by: String,
    pub included_at: String,
    /// What the person may not do while listed: `driving_licence`, `bank_operations_limited`,
    /// `marriage`, `change_of_residence`, `property_and_company_registration`.
    pub restrictions: Vec<&'static str>,
    pub active: bool,
    pub removal: Option<RemovalView>,
}

impl ControlEntryView {
    fn of(e: &ControlEntry) -> ControlEntryView {
        ControlEntryView {
            id: e.id.to_string(),
            person_id: e.person_id.to_string(),
            ground: e.ground.as_str(),
            decision_ref: e.decision_ref.clone(),
            decided_on: e.decided_on.map(|d| d.to_string()),
            basis: e.basis.clone(),
            decided_by: e.decided_by.clone(),
            included_at: e.included_at.to_string(),
            restrictions: e.ground.restrictions().iter().map(|r| r.as_str()).collect(),
            active: e.is_active(),
            removal: e.removal.as_ref().map(RemovalView::of),
        }
    }
}

/// A notice sent to the person.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct NoticeView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub entry_id: String,
    /// `in_person`, `post`, `email`, `sms` or `consular`.
    pub channel: &'static str,
    pub sent_on: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

impl NoticeView {
    fn of(n: &ControlNotice) -> NoticeView {
        NoticeView {
            id: n.id.to_string(),
            entry_id: n.entry_id.to_string(),
            channel: n.channel.as_str(),
            sent_on: n.sent_on.to_string(),
            recorded_by: n.recorded_by.clone(),
            recorded_at: n.recorded_at.to_string(),
        }
    }
}

/// The decision on an application.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DecisionView {
    /// `grant` or `deny`.
    pub decision: &'static str,
    pub reasons: String,
    /// Where a denial may be appealed.
    pub appeal_route: Option<String>,
    pub decided_by: String,
    pub decided_at: String,
}

impl DecisionView {
    fn of(d: &DecisionRecord) -> DecisionView {
        DecisionView {
            decision: d.decision.as_str(),
            reasons: d.reasons.clone(),
            appeal_route: d.appeal_route.clone(),
            decided_by: d.by.clone(),
            decided_at: d.at.to_string(),
        }
    }
}

/// An application for removal.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ApplicationView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub entry_id: String,
    /// `person`, `representative` or `state`.
    pub applicant: &'static str,
    pub applicant_name: String,
    /// `departure`, `legalised_status`, `decision_cancelled`, `court_ruling` or `error`.
    pub grounds: &'static str,
    pub statement: String,
    pub documents: Vec<String>,
    pub filed_by: String,
    pub filed_at: String,
    pub filed_on: String,
    /// The last day for the decision: working days on the host state's production calendar.
    pub due_on: String,
    /// Undecided after its last day.
    pub overdue: bool,
    pub decision: Option<DecisionView>,
}

impl ApplicationView {
    fn of(a: &RemovalApplication, today: jiff::civil::Date) -> ApplicationView {
        ApplicationView {
            id: a.id.to_string(),
            entry_id: a.entry_id.to_string(),
            applicant: a.applicant.as_str(),
            applicant_name: a.applicant_name.clone(),
            grounds: a.grounds.as_str(),
            statement: a.statement.clone(),
            documents: a.documents.clone(),
            filed_by: a.filed_by.clone(),
            filed_at: a.filed_at.to_string(),
            filed_on: a.filed_on.to_string(),
            due_on: a.due_on.to_string(),
            overdue: a.is_overdue_on(today),
            decision: a.decision.as_ref().map(DecisionView::of),
        }
    }
}

/// An entry with its applications and notices.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EntryFileView {
    #[serde(flatten)]
    pub entry: ControlEntryView,
    pub applications: Vec<ApplicationView>,
    pub notices: Vec<NoticeView>,
}

impl EntryFileView {
    fn of(f: &EntryFile, today: jiff::civil::Date) -> EntryFileView {
        EntryFileView {
            entry: ControlEntryView::of(&f.entry),
            applications: f.applications.iter().map(|a| ApplicationView::of(a, today)).collect(),
            notices: f.notices.iter().map(NoticeView::of).collect(),
        }
    }
}

/// A decision with the entry as it is after it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DecidedView {
    pub application: ApplicationView,
    pub entry: ControlEntryView,
}

/// A page of entries.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EntryPageView {
    /// `active` or `removed`.
    pub status: &'static str,
    pub total: i64,
    pub limit: u32,
    pub offset: u32,
    pub items: Vec<ControlEntryView>,
}

/// A third party's answer: listed or not, nothing more.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ControlCheckView {
    pub listed: bool,
}

/// The printable notice.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct NoticeTextView {
    /// The languages it is written in, Russian first (`ru`, `kk`, `ky`, `en`).
    pub languages: Vec<&'static str>,
    /// Plain text, ready to print.
    pub text: String,
}

/// An inclusion.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"person_id": "0190f3c4-8f6e-7c1a-9a55-3b1f0c6d2e11", "ground": "permit_expired_or_annulled",
    "decision_ref": "Решение УМС № 17-5/2026", "decided_on": "2026-01-12"}))]
pub(crate) struct InclusionBody {
    #[schema(format = Uuid)]
    pub person_id: Option<String>,
    /// One of `illegal_entry`, `court_sentence`, `permit_expired_or_annulled`, `stay_shortened`,
    /// `deportation`, `readmission`, `expulsion`, `citizenship_lost`, `refugee_status_refused`,
    /// `entry_ban`; required.
    pub ground: Option<String>,
    /// The decision's number and date; required.
    pub decision_ref: Option<String>,
    /// `YYYY-MM-DD`.
    pub decided_on: Option<String>,
    /// The legal basis: act and article.
    pub basis: Option<String>,
}

/// A notice sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoticeBody {
    /// `in_person`, `post`, `email`, `sms` or `consular`.
    pub channel: String,
    /// `YYYY-MM-DD`.
    pub sent_on: String,
}

/// The cancellation of the decision an entry rests on.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CancelBody {
    /// Required.
    pub reasons: String,
}

/// An application for removal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ApplicationBody {
    /// `person`, `representative` or `state`.
    pub applicant: String,
    pub applicant_name: String,
    /// `departure`, `legalised_status`, `decision_cancelled`, `court_ruling` or `error`.
    pub grounds: String,
    pub statement: String,
    #[serde(default)]
    pub documents: Vec<String>,
}

/// A decision on an application for removal from the control register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RemovalDecisionBody {
    /// `grant` or `deny`.
    pub decision: String,
    /// Required.
    pub reasons: String,
    /// Required on a denial.
    pub appeal_route: Option<String>,
}

/// Which entries, and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct EntryQuery {
    /// `active` (default) or `removed`.
    status: Option<String>,
    /// Items per page, 1 to 500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<u32>, minimum = 0, maximum = 2147483647)]
    offset: Option<String>,
}

/// Which applications.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ApplicationQuery {
    /// `pending` (default), `overdue` or `decided`.
    status: Option<String>,
}

/// The document to check.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct CheckQuery {
    /// `STATE:NUMBER`, e.g. `KGZ:AC1234567`.
    document: Option<String>,
}

/// The notice's second language.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct NoticeQuery {
    /// `ru`, `kk`, `ky` or `en`; default: the person's (Kyrgyz for KGZ, Kazakh for KAZ, else Russian only).
    lang: Option<String>,
}

fn invalid_status(text: &str, allowed: &str) -> ApiError {
    ApiError::new(ApiCode::InvalidQuery, format!("status must be {allowed}, got {:?}", excerpt(text))).at("status")
}

/// Include a person in the control register.
///
/// Only on a listed ground and a decision reference; the caller is recorded as the officer who
/// decided. The answer lists the restrictions that follow. A person has at most one active entry.
/// An event is left for the person's state. Migration officers only.
#[utoipa::path(
    post,
    path = "/api/v1/control-register",
    tag = "enforcement",
    request_body = InclusionBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Included", body = ControlEntryView),
        (status = 400, description = "person_id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only migration officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person has this id (`not_found`)", body = ErrorBody),
        (status = 409, description = "The person is already listed (`already_listed`)", body = ErrorBody),
        (status = 422, description = "`missing_field` (ground, decision_ref, person_id), `invalid_ground`, \
            `invalid_date`, `date_out_of_range`, `too_long`", body = ErrorBody),
    )
)]
pub(crate) async fn include(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<InclusionBody>,
) -> Result<(StatusCode, Json<ControlEntryView>), ApiError> {
    let person = match body.person_id.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => return Err(ApiError::new(ApiCode::MissingField, "person_id must not be empty").at("person_id")),
        Some(text) => PersonId::from_uuid(uuid::Uuid::parse_str(text).map_err(|_| {
            ApiError::new(ApiCode::InvalidId, format!("{:?} is not a UUID", excerpt(text))).at("person_id")
        })?),
    };
    let raw = RawInclusion {
        ground: body.ground,
        decision_ref: body.decision_ref,
        decided_on: body.decided_on,
        basis: body.basis,
    };
    let entry = state.register.include_in_control(&caller.actor(), person, &raw).await?;
    Ok((StatusCode::CREATED, Json(ControlEntryView::of(&entry))))
}

/// The control register: active (default) or removed entries, oldest inclusion first.
#[utoipa::path(
    get,
    path = "/api/v1/control-register",
    tag = "enforcement",
    params(EntryQuery, ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of entries", body = EntryPageView),
        (status = 400, description = "An unknown status, or limit or offset out of range (`invalid_query`)", body = ErrorBody),
        (status = 403, description = "Only migration officers (`forbidden`)", body = ErrorBody),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    ApiQuery(query): ApiQuery<EntryQuery>,
) -> Result<Json<EntryPageView>, ApiError> {
    let active = match query.status.as_deref() {
        None | Some("active") => true,
        Some("removed") => false,
        Some(other) => return Err(invalid_status(other, "active or removed")),
    };
    let limit = query_number(query.limit.as_deref(), "limit", DEFAULT_LIMIT, (1, MAX_LIMIT))?;
    let offset = query_number(query.offset.as_deref(), "offset", 0, (0, i32::MAX.unsigned_abs()))?;
    let page = state.register.control_entries(&access, active, limit, offset).await?;
    Ok(Json(EntryPageView {
        status: if active { "active" } else { "removed" },
        total: page.total,
        limit,
        offset,
        items: page.items.iter().map(ControlEntryView::of).collect(),
    }))
}

/// Whether the holder of a document is listed: `{"listed": true|false}` and nothing more.
///
/// For third parties connected through the exchange role, and for officers and the border. A
/// lookup that finds a person is logged against that person (view `control_check`).
#[utoipa::path(
    get,
    path = "/api/v1/control-register/check",
    tag = "enforcement",
    params(CheckQuery, ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Listed or not", body = ControlCheckView),
        (status = 400, description = "No document (`missing_query`) or not STATE:NUMBER \
            (`invalid_document_reference`)", body = ErrorBody),
        (status = 403, description = "Only officers, the border and the exchange role (`forbidden`)", body = ErrorBody),
    )
)]
pub(crate) async fn check(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    ApiQuery(query): ApiQuery<CheckQuery>,
) -> Result<Json<ControlCheckView>, ApiError> {
    let reference = query
        .document
        .ok_or_else(|| ApiError::new(ApiCode::MissingQuery, "give ?document=STATE:NUMBER").at("document"))?;
    let key = DocumentKey::parse_reference(&reference).map_err(|e| {
        ApiError::new(ApiCode::InvalidDocumentReference, format!("{:?}: {e}", excerpt(&reference))).at("document")
    })?;
    let listed = state.register.control_check(&access, &key).await?;
    Ok(Json(ControlCheckView { listed }))
}

/// One entry with its applications and notices.
#[utoipa::path(
    get,
    path = "/api/v1/control-register/{id}",
    tag = "enforcement",
    params(("id" = uuid::Uuid, Path, description = "Entry id"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The entry", body = EntryFileView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only migration and border officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No entry has this id (`not_found`)", body = ErrorBody),
    )
)]
pub(crate) async fn entry(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
) -> Result<Json<EntryFileView>, ApiError> {
    let file = state.register.control_entry(&access, path_uuid(&id)?).await?;
    Ok(Json(EntryFileView::of(&file, state.register.today())))
}

/// A person's control register entries, removed ones too, with applications and notices.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/control-register",
    tag = "enforcement",
    params(("id" = uuid::Uuid, Path, description = "Person id"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The person's entries", body = [EntryFileView]),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only migration and border officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person has this id (`not_found`)", body = ErrorBody),
    )
)]
pub(crate) async fn person_entries(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
) -> Result<Json<Vec<EntryFileView>>, ApiError> {
    let person = PersonId::from_uuid(path_uuid(&id)?);
    let files = state.register.control_entries_of(&access, person).await?;
    let today = state.register.today();
    Ok(Json(files.iter().map(|f| EntryFileView::of(f, today)).collect()))
}

/// Record a notice of an entry sent to the person.
#[utoipa::path(
    post,
    path = "/api/v1/control-register/{id}/notices",
    tag = "enforcement",
    params(("id" = uuid::Uuid, Path, description = "Entry id")),
    request_body = NoticeBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded", body = NoticeView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only migration officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No entry has this id (`not_found`)", body = ErrorBody),
        (status = 422, description = "`invalid_choice`, `missing_field`, `invalid_date`, `date_out_of_range`", body = ErrorBody),
    )
)]
pub(crate) async fn record_notice(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NoticeBody>,
) -> Result<(StatusCode, Json<NoticeView>), ApiError> {
    let raw = RawNotice { channel: body.channel, sent_on: body.sent_on };
    let notice = state.register.record_control_notice(&caller.actor(), path_uuid(&id)?, &raw).await?;
    Ok((StatusCode::CREATED, Json(NoticeView::of(&notice))))
}

/// The printable notice of an entry: plain text in Russian and the person's language.
///
/// It names the ground, the decision, the restrictions, how to apply for removal and the
/// deadline in working days. The read is logged. Migration officers only.
#[utoipa::path(
    get,
    path = "/api/v1/control-register/{id}/notice",
    tag = "enforcement",
    params(("id" = uuid::Uuid, Path, description = "Entry id"), NoticeQuery, ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The notice", body = NoticeTextView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only migration officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No entry has this id (`not_found`)", body = ErrorBody),
        (status = 422, description = "An unknown language (`invalid_choice`)", body = ErrorBody),
    )
)]
pub(crate) async fn notice_text(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<NoticeQuery>,
) -> Result<Json<NoticeTextView>, ApiError> {
    let notice = state.register.control_notice_text(&access, path_uuid(&id)?, query.lang.as_deref()).await?;
    Ok(Json(NoticeTextView { languages: notice.languages.iter().map(|l| l.as_str()).collect(), text: notice.text }))
}

/// Remove an entry because the decision it rests on was cancelled.
#[utoipa::path(
    post,
    path = "/api/v1/control-register/{id}/cancel-decision",
    tag = "enforcement",
    params(("id" = uuid::Uuid, Path, description = "Entry id")),
    request_body = CancelBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Removed; the entry as it is now", body = ControlEntryView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only migration officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No entry has this id (`not_found`)", body = ErrorBody),
        (status = 409, description = "Removed before (`entry_removed`)", body = ErrorBody),
        (status = 422, description = "No reasons (`reason_required`) or too long (`too_long`)", body = ErrorBody),
    )
)]
pub(crate) async fn cancel_decision(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CancelBody>,
) -> Result<Json<ControlEntryView>, ApiError> {
    let entry = state.register.cancel_control_decision(&caller.actor(), path_uuid(&id)?, &body.reasons).await?;
    Ok(Json(ControlEntryView::of(&entry)))
}

/// File an application for removal.
///
/// Due within 10 working days (a setting) on the host state's production calendar.
#[utoipa::path(
    post,
    path = "/api/v1/control-register/{id}/removal-applications",
    tag = "enforcement",
    params(("id" = uuid::Uuid, Path, description = "Entry id")),
    request_body = ApplicationBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Filed", body = ApplicationView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only migration officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No entry has this id (`not_found`)", body = ErrorBody),
        (status = 409, description = "The entry was removed before (`entry_removed`)", body = ErrorBody),
        (status = 422, description = "`invalid_choice`, `invalid_ground`, `missing_field`, `too_long`, or no \
            production calendar covers the term (`no_calendar`)", body = ErrorBody),
    )
)]
pub(crate) async fn file_application(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ApplicationBody>,
) -> Result<(StatusCode, Json<ApplicationView>), ApiError> {
    let raw = RawApplication {
        applicant: body.applicant,
        applicant_name: body.applicant_name,
        grounds: body.grounds,
        statement: body.statement,
        documents: body.documents,
    };
    let filed = state.register.file_removal_application(&caller.actor(), path_uuid(&id)?, &raw).await?;
    Ok((StatusCode::CREATED, Json(ApplicationView::of(&filed, state.register.today()))))
}

/// Applications for removal: `pending` (default), `overdue` or `decided`, earliest deadline first.
#[utoipa::path(
    get,
    path = "/api/v1/removal-applications",
    tag = "enforcement",
    params(ApplicationQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The applications", body = [ApplicationView]),
        (status = 400, description = "An unknown status (`invalid_query`)", body = ErrorBody),
        (status = 403, description = "Only migration officers (`forbidden`)", body = ErrorBody),
    )
)]
pub(crate) async fn list_applications(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ApplicationQuery>,
) -> Result<Json<Vec<ApplicationView>>, ApiError> {
    let status = match query.status.as_deref() {
        None | Some("pending") => ApplicationStatus::Pending,
        Some("overdue") => ApplicationStatus::Overdue,
        Some("decided") => ApplicationStatus::Decided,
        Some(other) => return Err(invalid_status(other, "pending, overdue or decided")),
    };
    let applications = state.register.removal_applications(&caller.actor(), status).await?;
    let today = state.register.today();
    Ok(Json(applications.iter().map(|a| ApplicationView::of(a, today)).collect()))
}

/// Decide an application for removal, once.
///
/// Reasons are required; a denial names the appeal route. A grant removes the entry.
#[utoipa::path(
    post,
    path = "/api/v1/removal-applications/{id}/decision",
    tag = "enforcement",
    params(("id" = uuid::Uuid, Path, description = "Application id")),
    request_body = RemovalDecisionBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Decided", body = DecidedView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only migration officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No application has this id (`not_found`)", body = ErrorBody),
        (status = 409, description = "Decided before (`already_decided`)", body = ErrorBody),
        (status = 422, description = "`invalid_choice`, `reason_required`, `appeal_route_required`, `too_long`", body = ErrorBody),
    )
)]
pub(crate) async fn decide_application(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RemovalDecisionBody>,
) -> Result<Json<DecidedView>, ApiError> {
    let raw = RawDecision { decision: body.decision, reasons: body.reasons, appeal_route: body.appeal_route };
    let (application, entry) =
        state.register.decide_removal_application(&caller.actor(), path_uuid(&id)?, &raw).await?;
    let today = state.register.today();
    Ok(Json(DecidedView { application: ApplicationView::of(&application, today), entry: ControlEntryView::of(&entry) }))
}
