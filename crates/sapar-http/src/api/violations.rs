//! `GET /api/v1/violations`, `GET`/`POST /api/v1/violations/{id}` and
//! `GET /api/v1/persons/{id}/violations`: the overstays the nightly sweep drafted, for officers to
//! confirm or dismiss. A decision is made once and keeps who made it, when and why.

use axum::Json;
use axum::extract::{Path, State};
use sapar_model::{Person, PersonId};
use sapar_register::records::{ViolationRecord, ViolationStatus};
use sapar_register::violations::{ViolationVerdict, ViolationWithPerson};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{ReadAccess, ReadHeaders};
use crate::api::persons::NameView;
use crate::api::query_number;
use crate::error::{ApiCode, ApiError, ErrorBody, excerpt};
use crate::json::{ApiJson, ApiQuery};

const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 500;

/// Who the violation is about, as the officer needs to recognise them.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ViolatorView {
    #[schema(format = Uuid)]
    pub id: String,
    pub native_name: Option<NameView>,
    pub latin_name: Option<NameView>,
    pub birth_date: Option<String>,
    pub citizenship: String,
    /// `STATE:NUMBER` of each document held.
    pub documents: Vec<String>,
}

/// The officer's decision.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ViolationDecisionView {
    pub decided_at: String,
    /// Name of the token that decided.
    pub decided_by: String,
    pub note: Option<String>,
}

/// An overstay the sweep found.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ViolationView {
    #[schema(format = Uuid)]
    pub id: String,
    /// `overstay`.
    pub kind: &'static str,
    /// `draft`, `confirmed` or `dismissed`.
    #[schema(example = "draft")]
    pub status: &'static str,
    /// The first day of the overstayed stay.
    pub stay_entry: String,
    /// The night the sweep first found it.
    pub detected_on: String,
    /// Days past the last legal day on that night.
    pub overstay_days: u32,
    pub last_legal_day: Option<String>,
    /// The rule broken.
    pub rule_id: String,
    pub created_at: String,
    pub decision: Option<ViolationDecisionView>,
    /// Present in lists and single reads; absent in a person's own list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<ViolatorView>,
}

impl ViolationView {
    fn of(v: &ViolationRecord, person: Option<ViolatorView>) -> ViolationView {
        ViolationView {
            id: v.id.to_string(),
            kind: "overstay",
            status: v.status.as_str(),
            stay_entry: v.stay_entry.to_string(),
            detected_on: v.detected_on.to_string(),
            overstay_days: v.overstay_days,
            last_legal_day: v.last_legal_day.map(|d| d.to_string()),
            rule_id: v.rule_id.clone(),
            created_at: v.created_at.to_string(),
            decision: v.decision.as_ref().map(|d| ViolationDecisionView {
                decided_at: d.at.to_string(),
                decided_by: d.by.clone(),
                note: d.note.clone(),
            }),
            person,
        }
    }
}

impl ViolatorView {
    fn of(p: &Person) -> ViolatorView {
        ViolatorView {
            id: p.id.to_string(),
            native_name: p.details.name.native().map(NameView::of),
            latin_name: p.details.name.latin().map(NameView::of),
            birth_date: p.details.birth_date.map(|d| d.to_string()),
            citizenship: p.details.citizenship.code().to_owned(),
            documents: p.documents.iter().map(|d| d.key.to_string()).collect(),
        }
    }
}

impl ViolationView {
    fn with_person(v: &ViolationWithPerson) -> ViolationView {
        ViolationView::of(&v.violation, v.person.as_ref().map(ViolatorView::of))
    }
}

/// A page of violations of one status.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ViolationPage {
    pub status: &'static str,
    /// Violations with this status in all.
    pub total: i64,
    pub limit: u32,
    pub offset: u32,
    pub items: Vec<ViolationView>,
}

/// Which violations, and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ViolationQuery {
    /// `draft` (default), `confirmed` or `dismissed`.
    #[param(value_type = Option<ViolationStatusParam>, inline)]
    status: Option<String>,
    /// Items per page, 1 to 500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<u32>, minimum = 0, maximum = 4294967295_u64)]
    offset: Option<String>,
}

/// The status of a violation, as a query parameter.
#[derive(Debug, ToSchema)]
#[schema(as = ViolationStatus)]
#[allow(dead_code)]
pub(crate) enum ViolationStatusParam {
    #[schema(rename = "draft")]
    Draft,
    #[schema(rename = "confirmed")]
    Confirmed,
    #[schema(rename = "dismissed")]
    Dismissed,
}

/// Violations by status, oldest detection first.
///
/// The default is the officers' queue: drafts the sweep recorded, waiting for a decision. Each
/// item names the person with their names in both scripts and their documents. Officers only.
#[utoipa::path(
    get,
    path = "/api/v1/violations",
    tag = "violations",
    params(ViolationQuery, ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of violations", body = ViolationPage),
        (status = 400, description = "An unknown status, or limit or offset out of range (`invalid_query`)", body = ErrorBody),
        (status = 403, description = "Only officers (`forbidden`)", body = ErrorBody),
    )
)]
pub(crate) async fn list_violations(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    ApiQuery(query): ApiQuery<ViolationQuery>,
) -> Result<Json<ViolationPage>, ApiError> {
    let status = match query.status.as_deref() {
        None => ViolationStatus::Draft,
        Some(text) => ViolationStatus::parse(text).ok_or_else(|| {
            ApiError::new(
                ApiCode::InvalidQuery,
                format!("status must be draft, confirmed or dismissed, got {:?}", excerpt(text)),
            )
            .at("status")
        })?,
    };
    let limit = query_number(query.limit.as_deref(), "limit", DEFAULT_LIMIT, (1, MAX_LIMIT))?;
    let offset = query_number(query.offset.as_deref(), "offset", 0, (0, u32::MAX))?;
    let page = state.register.violations(&access, status, limit, offset).await?;
    let items = page.items.iter().map(ViolationView::with_person).collect();
    Ok(Json(ViolationPage { status: page.status.as_str(), total: page.total, limit, offset, items }))
}

/// One violation, with the person it is about.
#[utoipa::path(
    get,
    path = "/api/v1/violations/{id}",
    tag = "violations",
    params(("id" = uuid::Uuid, Path, description = "Violation id"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The violation", body = ViolationView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No violation has this id (`not_found`)", body = ErrorBody),
    )
)]
pub(crate) async fn violation(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
) -> Result<Json<ViolationView>, ApiError> {
    let id = crate::api::path_uuid(&id)?;
    let found = state.register.violation(&access, id).await?;
    Ok(Json(ViolationView::with_person(&found)))
}

/// What the officer decided.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ViolationDecisionKind {
    /// The overstay stands.
    Confirm,
    /// Not a violation (e.g. a permit or an exit the register did not know of); a note is required.
    Dismiss,
}

/// A decision on a draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decision": "dismiss", "note": "a residence permit the register did not hold"}))]
pub(crate) struct ViolationDecisionBody {
    pub decision: ViolationDecisionKind,
    /// Why (at most 2000 characters; required to dismiss).
    pub note: Option<String>,
}

/// Confirm or dismiss a draft violation.
///
/// A violation is decided once. A dismissal needs a note, so the record says why the register's
/// finding was set aside. Officers only.
#[utoipa::path(
    post,
    path = "/api/v1/violations/{id}",
    tag = "violations",
    params(("id" = uuid::Uuid, Path, description = "Violation id"), ReadHeaders),
    request_body = ViolationDecisionBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Decided; the violation as it is now", body = ViolationView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No violation has this id (`not_found`)", body = ErrorBody),
        (status = 409, description = "Already decided (`already_decided`)", body = ErrorBody),
        (status = 422, description = "A dismissal without a note (`note_required`) or a note too long (`note_too_long`)", body = ErrorBody),
    )
)]
pub(crate) async fn decide_violation(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ViolationDecisionBody>,
) -> Result<Json<ViolationView>, ApiError> {
    let id = crate::api::path_uuid(&id)?;
    let verdict = match body.decision {
        ViolationDecisionKind::Confirm => ViolationVerdict::Confirm,
        ViolationDecisionKind::Dismiss => ViolationVerdict::Dismiss,
    };
    let decided = state.register.decide_violation(&access, id, verdict, body.note.as_deref()).await?;
    Ok(Json(ViolationView::with_person(&decided)))
}

/// A person's violations, by detection date.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/violations",
    tag = "violations",
    params(("id" = uuid::Uuid, Path, description = "Person id"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The person's violations", body = [ViolationView]),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person has this id (`not_found`)", body = ErrorBody),
    )
)]
pub(crate) async fn person_violations(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
) -> Result<Json<Vec<ViolationView>>, ApiError> {
    let person = PersonId::from_uuid(crate::api::path_uuid(&id)?);
    let records = state.register.violations_of(&access, person).await?;
    Ok(Json(records.iter().map(|v| ViolationView::of(v, None)).collect()))
}
