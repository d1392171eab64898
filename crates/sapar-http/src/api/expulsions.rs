//! `POST`/`GET /api/v1/persons/{id}/expulsions` and `POST /api/v1/expulsions/{id}/departure`:
//! expulsion, deportation and readmission decisions, executed once when the person leaves (by the
//! exit crossing, or a departure an officer records) with the entry ban the host state's law
//! implies.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sapar_model::PersonId;
use sapar_register::expulsions::RawExpulsion;
use sapar_register::records::ExpulsionRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::access::{ReadAccess, ReadHeaders};
use crate::api::path_uuid;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;

/// How an expulsion was carried out.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ExecutionView {
    /// The day the person left.
    pub departed_on: String,
    /// The exit crossing, when the register recorded it.
    #[schema(format = Uuid)]
    pub exit_crossing_id: Option<String>,
    /// The entry ban it implied (`null` when the host state's law implies none by itself).
    #[schema(format = Uuid)]
    pub ban_id: Option<String>,
    pub executed_at: String,
}

/// An expulsion, deportation or readmission.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ExpulsionView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub person_id: String,
    /// `administrative_expulsion`, `deportation` or `readmission`.
    #[schema(example = "administrative_expulsion")]
    pub kind: &'static str,
    pub decided_on: String,
    pub decision_ref: String,
    pub basis: String,
    pub leave_by: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
    /// `null` until the person has left.
    pub execution: Option<ExecutionView>,
}

impl ExpulsionView {
    fn of(e: &ExpulsionRecord) -> ExpulsionView {
        ExpulsionView {
            id: e.id.to_string(),
            person_id: e.person_id.to_string(),
            kind: e.kind.as_str(),
            decided_on: e.decided_on.to_string(),
            decision_ref: e.decision_ref.clone(),
            basis: e.basis.clone(),
            leave_by: e.leave_by.map(|d| d.to_string()),
            recorded_by: e.recorded_by.clone(),
            recorded_at: e.recorded_at.to_string(),
            execution: e.execution.as_ref().map(|x| ExecutionView {
                departed_on: x.departed_on.to_string(),
                exit_crossing_id: x.exit_crossing.map(|c| c.to_string()),
                ban_id: x.ban_id.map(|b| b.to_string()),
                executed_at: x.at.to_string(),
            }),
        }
    }
}

/// An expulsion decision to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "administrative_expulsion",
    "decided_on": "2025-04-01",
    "decision_ref": "Постановление суда № 5-1201/2025",
    "basis": "КоАП РК, ст. 517, ч. 2",
    "leave_by": "2025-04-11"
}))]
pub(crate) struct NewExpulsionBody {
    /// `administrative_expulsion`, `deportation` or `readmission`.
    #[schema(example = "administrative_expulsion")]
    pub kind: String,
    /// `YYYY-MM-DD`.
    #[schema(example = "2025-04-01")]
    pub decided_on: String,
    /// The decision's number and date (at most 200 characters).
    pub decision_ref: String,
    /// The legal basis (at most 200 characters).
    pub basis: String,
    /// The last day to leave, `YYYY-MM-DD`, when the decision sets one.
    pub leave_by: Option<String>,
}

/// A departure under an expulsion the register saw no exit crossing for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"departed_on": "2025-04-10"}))]
pub(crate) struct DepartureBody {
    /// `YYYY-MM-DD`.
    #[schema(example = "2025-04-10")]
    pub departed_on: String,
}

fn person_id(id: &str) -> Result<PersonId, ApiError> {
    path_uuid(id).map(PersonId::from_uuid)
}

/// Record an expulsion, deportation or readmission decision.
///
/// It is executed when the person leaves: the next exit crossing recorded for them does it, and
/// with it the entry ban the host state's law implies (Kazakhstan: five years from the day of
/// departure). An event is left for the person's state. Migration officers only.
#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/expulsions",
    tag = "enforcement",
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    request_body = NewExpulsionBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded", body = ExpulsionView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only migration officers record expulsions (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person has this id (`not_found`)", body = ErrorBody),
        (status = 422, description = "A field is invalid: `invalid_kind`, `invalid_date`, `date_out_of_range`, \
            `leave_by_before_decision`, `missing_field`, `too_long`", body = ErrorBody),
    )
)]
pub(crate) async fn record_expulsion(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewExpulsionBody>,
) -> Result<(StatusCode, Json<ExpulsionView>), ApiError> {
    let raw = RawExpulsion {
        kind: body.kind,
        decided_on: body.decided_on,
        decision_ref: body.decision_ref,
        basis: body.basis,
        leave_by: body.leave_by,
    };
    let recorded = state.register.record_expulsion(&caller.actor(), person_id(&id)?, &raw).await?;
    Ok((StatusCode::CREATED, Json(ExpulsionView::of(&recorded))))
}

/// A person's expulsions, executed ones too, by decision date.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/expulsions",
    tag = "enforcement",
    params(("id" = uuid::Uuid, Path, description = "Person id"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The person's expulsions", body = [ExpulsionView]),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "The token's role may not read expulsions (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person has this id (`not_found`)", body = ErrorBody),
    )
)]
pub(crate) async fn person_expulsions(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
) -> Result<Json<Vec<ExpulsionView>>, ApiError> {
    let expulsions = state.register.expulsions_of(&access, person_id(&id)?).await?;
    Ok(Json(expulsions.iter().map(ExpulsionView::of).collect()))
}

/// Record the departure under an expulsion.
///
/// For a departure the register saw no exit crossing for (an escorted flight, a handover at a
/// border it does not record). Executes the expulsion once, with its implied ban. Migration
/// officers only.
#[utoipa::path(
    post,
    path = "/api/v1/expulsions/{id}/departure",
    tag = "enforcement",
    params(("id" = uuid::Uuid, Path, description = "Expulsion id")),
    request_body = DepartureBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Executed; the expulsion as it is now", body = ExpulsionView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only migration officers record departures (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No expulsion has this id (`not_found`)", body = ErrorBody),
        (status = 409, description = "Already executed (`already_executed`)", body = ErrorBody),
        (status = 422, description = "A field is invalid (`invalid_date`, `date_out_of_range`, `missing_field`), or \
            the departure lies before the decision (`departure_before_decision`)", body = ErrorBody),
    )
)]
pub(crate) async fn record_departure(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DepartureBody>,
) -> Result<Json<ExpulsionView>, ApiError> {
    let executed = state.register.record_departure(&caller.actor(), path_uuid(&id)?, &body.departed_on).await?;
    Ok(Json(ExpulsionView::of(&executed)))
}
