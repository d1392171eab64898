//! `GET /api/v1/violations`, `GET`/`POST /api/v1/violations/{id}`,
//! `GET`/`POST /api/v1/persons/{id}/violations` and `POST /api/v1/violations/{id}/payment`: the
//! overstays the nightly sweep drafted, for officers to confirm (with article, decision and fine)
//! or dismiss, once; violations of every kind officers record; and the payment of a fine.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sapar_model::{Person, PersonId};
use sapar_register::records::{ViolationRecord, ViolationStatus};
use sapar_register::violation_kinds::violation_kinds;
use sapar_register::violations::{
    RawFine, RawPayment, RawPenalty, RawViolation, ViolationVerdict, ViolationWithPerson,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{ReadAccess, ReadHeaders};
use crate::api::persons::NameView;
use crate::api::query_number;
use crate::auth::Caller;
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

/// A fine and its payment.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FineView {
    /// Whole units of `unit`.
    pub amount: i64,
    /// `MRP` (Kazakhstan's monthly calculation index), `KZT`, `KGS`, `RUB` or `AMD`.
    pub unit: String,
    /// The fine in tenge: the amount itself in KZT, or MRP at the index of the year it was
    /// detected in, where that year's index is on record.
    pub amount_kzt: Option<i64>,
    /// `unpaid` or `paid`.
    #[schema(example = "unpaid")]
    pub payment_status: &'static str,
    pub paid_on: Option<String>,
    /// The payment's receipt or transaction number.
    pub payment_reference: Option<String>,
}

/// A violation: an overstay the register found, or one an officer recorded.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ViolationView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub person_id: String,
    /// `overstay`, `registration_failure`, `illegal_work`, `document_rules` or
    /// `employer_violation` (the kinds are rule data).
    #[schema(example = "overstay")]
    pub kind: String,
    /// `draft`, `confirmed` or `dismissed`.
    #[schema(example = "draft")]
    pub status: &'static str,
    /// The first day of the overstayed stay (an overstay the register found).
    pub stay_entry: Option<String>,
    /// The day it was found: the sweep's night, the exit, or the day an officer gave.
    pub detected_on: String,
    /// Days past the last legal day when found (an overstay the register found).
    pub overstay_days: Option<u32>,
    pub last_legal_day: Option<String>,
    /// The stay rule broken (an overstay the register found).
    pub rule_id: Option<String>,
    pub created_at: String,
    /// The officer who recorded it; absent when the register found it.
    pub recorded_by: Option<String>,
    /// The article of the code of administrative offences.
    pub article: Option<String>,
    pub description: Option<String>,
    /// The employer who committed it or at whose premises it was found.
    #[schema(format = Uuid)]
    pub employer_id: Option<String>,
    /// The decision imposing the penalty.
    pub decision_ref: Option<String>,
    pub fine: Option<FineView>,
    pub decision: Option<ViolationDecisionView>,
    /// Present in lists and single reads; absent in a person's own list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<ViolatorView>,
}

/// The fine of `v` in tenge, when it can be told.
fn amount_kzt(v: &ViolationRecord) -> Option<i64> {
    let fine = v.fine.as_ref()?;
    match fine.unit.as_str() {
        "KZT" => Some(fine.amount),
        "MRP" => violation_kinds().ok()?.mrp_in_kzt(fine.amount, v.detected_on.year()),
        _ => None,
    }
}

impl ViolationView {
    pub(crate) fn of(v: &ViolationRecord, person: Option<ViolatorView>) -> ViolationView {
        let overstay = v.overstay.as_ref();
        ViolationView {
            id: v.id.to_string(),
            person_id: v.person_id.to_string(),
            kind: v.kind.clone(),
            status: v.status.as_str(),
            stay_entry: overstay.map(|o| o.stay_entry.to_string()),
            detected_on: v.detected_on.to_string(),
            overstay_days: overstay.map(|o| o.overstay_days),
            last_legal_day: overstay.and_then(|o| o.last_legal_day).map(|d| d.to_string()),
            rule_id: overstay.map(|o| o.rule_id.clone()),
            created_at: v.created_at.to_string(),
            recorded_by: v.recorded_by.clone(),
            article: v.article.clone(),
            description: v.description.clone(),
            employer_id: v.employer_id.map(|id| id.to_string()),
            decision_ref: v.decision_ref.clone(),
            fine: v.fine.as_ref().map(|f| FineView {
                amount: f.amount,
                unit: f.unit.clone(),
                amount_kzt: amount_kzt(v),
                payment_status: if f.payment.is_some() { "paid" } else { "unpaid" },
                paid_on: f.payment.as_ref().map(|p| p.paid_on.to_string()),
                payment_reference: f.payment.as_ref().map(|p| p.reference.clone()),
            }),
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

/// A fine as submitted.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FineBody {
    /// Whole units, at least 0.
    #[schema(value_type = i64, minimum = 0)]
    pub amount: serde_json::Number,
    /// One of the units the host state fines in: `MRP` or `KZT` in Kazakhstan.
    #[schema(example = "MRP")]
    pub unit: String,
}

impl FineBody {
    fn raw(&self) -> RawFine {
        RawFine { amount: self.amount.to_string(), unit: self.unit.clone() }
    }
}

/// A decision on a draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decision": "confirm", "article": "ст. 517 ч. 1", "decision_ref": "АП-2026/0412", "fine": {"amount": 10, "unit": "MRP"}}))]
pub(crate) struct ViolationDecisionBody {
    pub decision: ViolationDecisionKind,
    /// Why (at most 2000 characters; required to dismiss).
    pub note: Option<String>,
    /// On confirmation: the article of the code (kept as recorded when absent).
    pub article: Option<String>,
    /// On confirmation: the decision imposing the penalty; required with a fine.
    pub decision_ref: Option<String>,
    /// On confirmation: the fine imposed.
    pub fine: Option<FineBody>,
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
        (status = 409, description = "Already decided (`already_decided`), or claimed by another officer (`claimed`)", body = ErrorBody),
        (status = 422, description = "A dismissal without a note (`note_required`) or with a penalty (`invalid_choice`), \
            a note too long (`note_too_long`), a fine's amount or unit refused (`invalid_fine_amount`, \
            `invalid_fine_unit`), a fine without its decision (`missing_field`)", body = ErrorBody),
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
    let penalty = RawPenalty {
        article: body.article,
        decision_ref: body.decision_ref,
        fine: body.fine.as_ref().map(FineBody::raw),
    };
    let decided = state.register.decide_violation(&access, id, verdict, body.note.as_deref(), &penalty).await?;
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

/// A violation an officer records.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "illegal_work", "detected_on": "2026-11-20", "article": "ст. 517 ч. 3",
    "description": "worked at a construction site without a permit",
    "employer_id": "01937c1e-5a2b-7c3d-8e4f-a1b2c3d4e5f6",
    "decision_ref": "АП-2026/0981", "fine": {"amount": 30, "unit": "MRP"}
}))]
pub(crate) struct NewViolationBody {
    /// `registration_failure`, `illegal_work`, `document_rules`, `employer_violation`, or
    /// `overstay` found by an officer.
    pub kind: String,
    /// The day it was committed or found, `YYYY-MM-DD`; not after today.
    pub detected_on: String,
    /// The article of the code of administrative offences; the kind's article in the host
    /// state's code when absent (`article_required` where the data has none).
    pub article: Option<String>,
    pub description: Option<String>,
    /// The employer who committed it or at whose premises it was found; required for
    /// `employer_violation`.
    #[schema(format = Uuid)]
    pub employer_id: Option<String>,
    /// The decision imposing the penalty: a violation recorded with one is `confirmed`, without
    /// one a `draft` to be decided.
    pub decision_ref: Option<String>,
    pub fine: Option<FineBody>,
}

/// Record a violation of any kind.
///
/// Kinds are rule data, each with the article of the host state's code. A violation by an
/// employer (illegal foreign labour) names the employer and the worker concerned (the person).
/// Recorded with its decision it is `confirmed`; without, a `draft` for the queue. Migration
/// officers only.
#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/violations",
    tag = "violations",
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    request_body = NewViolationBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded", body = ViolationView),
        (status = 400, description = "The person id or the employer id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only migration officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person has this id (`not_found`)", body = ErrorBody),
        (status = 422, description = "A field is refused: `invalid_kind`, `invalid_date`, `date_out_of_range`, \
            `article_required`, `employer_required`, `unknown_employer`, `invalid_fine_amount`, \
            `invalid_fine_unit`, `missing_field`, `too_long`", body = ErrorBody),
    )
)]
pub(crate) async fn record_violation(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewViolationBody>,
) -> Result<(StatusCode, Json<ViolationView>), ApiError> {
    let person = PersonId::from_uuid(crate::api::path_uuid(&id)?);
    let raw = RawViolation {
        kind: body.kind,
        detected_on: body.detected_on,
        description: body.description,
        employer_id: body.employer_id,
        penalty: RawPenalty {
            article: body.article,
            decision_ref: body.decision_ref,
            fine: body.fine.as_ref().map(FineBody::raw),
        },
    };
    let recorded = state.register.record_violation(&caller.actor(), person, &raw).await?;
    Ok((StatusCode::CREATED, Json(ViolationView::of(&recorded, None))))
}

/// A fine's payment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"paid_on": "2026-11-28", "reference": "KASPI-7781230045"}))]
pub(crate) struct PaymentBody {
    /// `YYYY-MM-DD`; not after today.
    pub paid_on: String,
    /// The receipt or transaction number.
    pub reference: String,
}

/// Record that a violation's fine was paid.
///
/// Recorded once; a violation without a fine, or dismissed, has nothing to pay. Migration
/// officers only.
#[utoipa::path(
    post,
    path = "/api/v1/violations/{id}/payment",
    tag = "violations",
    params(("id" = uuid::Uuid, Path, description = "Violation id")),
    request_body = PaymentBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Paid; the violation as it is now", body = ViolationView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only migration officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No violation has this id (`not_found`)", body = ErrorBody),
        (status = 409, description = "No fine to pay (`no_fine`), paid before (`already_paid`), or the violation was \
            dismissed (`violation_dismissed`)", body = ErrorBody),
        (status = 422, description = "A field is refused: `invalid_date`, `date_out_of_range`, `missing_field`, \
            `too_long`", body = ErrorBody),
    )
)]
pub(crate) async fn record_payment(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PaymentBody>,
) -> Result<Json<ViolationView>, ApiError> {
    let id = crate::api::path_uuid(&id)?;
    let raw = RawPayment { paid_on: body.paid_on, reference: body.reference };
    let paid = state.register.record_fine_payment(&caller.actor(), id, &raw).await?;
    Ok(Json(ViolationView::of(&paid, None)))
}
