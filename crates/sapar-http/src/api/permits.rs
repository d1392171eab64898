//! `POST`/`GET /api/v1/persons/{id}/permits` and `POST /api/v1/permits/{id}/revoke`: residence
//! permits, long-stay visas and work permits, whose days the stay answers, the entry verdicts and the overstayer
//! sweep leave out of short-stay limits.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sapar_model::PersonId;
use sapar_register::permits::{RawPermit, RawRevocation};
use sapar_register::records::{PermitPurpose, PermitRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::access::{ReadAccess, ReadHeaders};
use crate::api::path_uuid;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;

/// When the permit no longer covers days before its term.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevocationView {
    /// The first day no longer covered.
    pub from: String,
    pub reason: String,
    /// Name of the token that revoked it.
    pub revoked_by: String,
    pub revoked_at: String,
}

/// A residence permit, long-stay visa or work permit.
#[derive(Debug, Serialize, ToSchema)]
pub struct PermitView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub person_id: String,
    /// `temporary_residence`, `permanent_residence`, `long_stay_visa` or `work_permit`.
    #[schema(example = "temporary_residence")]
    pub kind: &'static str,
    /// `work`, `family`, `study`, `business`, `humanitarian` or `other`.
    pub purpose: Option<&'static str>,
    pub number: String,
    pub valid_from: String,
    pub valid_to: String,
    /// The days it covers after a revocation (`null` when none): what the stay rules use.
    pub covers: Option<[String; 2]>,
    pub issued_by: Option<String>,
    /// The employer a work permit binds the worker to.
    #[schema(format = Uuid)]
    pub employer_id: Option<String>,
    /// Name of the token that recorded it.
    pub recorded_by: String,
    pub recorded_at: String,
    pub revocation: Option<RevocationView>,
}

impl PermitView {
    pub fn of(p: &PermitRecord) -> PermitView {
        PermitView {
            id: p.id.to_string(),
            person_id: p.person_id.to_string(),
            kind: p.kind.as_str(),
            purpose: p.purpose.map(PermitPurpose::as_str),
            number: p.number.clone(),
            valid_from: p.valid_from.to_string(),
            valid_to: p.valid_to.to_string(),
            covers: p.covered().map(|c| [c.from.to_string(), c.to.to_string()]),
            issued_by: p.issued_by.clone(),
            employer_id: p.employer_id.map(|id| id.to_string()),
            recorded_by: p.recorded_by.clone(),
            recorded_at: p.created_at.to_string(),
            revocation: p.revocation.as_ref().map(|r| RevocationView {
                from: r.from.to_string(),
                reason: r.reason.clone(),
                revoked_by: r.by.clone(),
                revoked_at: r.at.to_string(),
            }),
        }
    }
}

/// A permit to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "temporary_residence",
    "purpose": "work",
    "number": "TR-2025-004711",
    "valid_from": "2025-03-01",
    "valid_to": "2026-02-28",
    "issued_by": "KAZ-MVD"
}))]
pub(crate) struct NewPermitBody {
    /// `temporary_residence`, `permanent_residence`, `long_stay_visa` or `work_permit`.
    #[schema(example = "temporary_residence")]
    pub kind: String,
    /// Required for a temporary residence permit: `work`, `family`, `study`, `business`,
    /// `humanitarian` or `other`.
    #[schema(example = "work")]
    pub purpose: Option<String>,
    /// As printed on the permit; unique per kind.
    #[schema(example = "TR-2025-004711")]
    pub number: String,
    /// First day covered, `YYYY-MM-DD`.
    #[schema(example = "2025-03-01")]
    pub valid_from: String,
    /// Last day covered, `YYYY-MM-DD`.
    #[schema(example = "2026-02-28")]
    pub valid_to: String,
    pub issued_by: Option<String>,
    /// For a work permit: the employer (id) it binds the worker to.
    #[schema(format = Uuid)]
    pub employer_id: Option<String>,
}

fn person_id(id: &str) -> Result<PersonId, ApiError> {
    path_uuid(id).map(PersonId::from_uuid)
}

/// Record a permit.
///
/// The person is the one the id answers for (the survivor when it was merged). From then on the
/// permit's days are left out of short-stay limits in stay answers, entry verdicts and the
/// overstayer sweep. Officers only.
#[utoipa::path(
    post,
    path = "/api/v1/persons/{id}/permits",
    tag = "register",
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    request_body = NewPermitBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded", body = PermitView),
        (status = 400, description = "The person id or the employer id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only officers record permits (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person has this id (`not_found`)", body = ErrorBody),
        (status = 409, description = "A permit of this kind with this number exists (`duplicate_permit`)", body = ErrorBody),
        (status = 422, description = "A field is invalid: `invalid_kind`, `invalid_purpose`, `purpose_required`, \
            `invalid_date`, `date_out_of_range`, `permit_ends_before_start`, `missing_field`, `too_long`, \
            `unknown_employer`, `invalid_choice` (an employer on a permit other than a work permit)", body = ErrorBody),
    )
)]
pub(crate) async fn record_permit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewPermitBody>,
) -> Result<(StatusCode, Json<PermitView>), ApiError> {
    let person = person_id(&id)?;
    let raw = RawPermit {
        kind: body.kind,
        purpose: body.purpose,
        number: body.number,
        valid_from: body.valid_from,
        valid_to: body.valid_to,
        issued_by: body.issued_by,
        employer_id: body.employer_id,
    };
    let recorded = state.register.record_permit(&caller.actor(), person, &raw).await?;
    Ok((StatusCode::CREATED, Json(PermitView::of(&recorded))))
}

/// A person's permits, by first day covered.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/permits",
    tag = "register",
    params(("id" = uuid::Uuid, Path, description = "Person id"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The person's permits", body = [PermitView]),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "The token's role may not read permits (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person has this id (`not_found`)", body = ErrorBody),
    )
)]
pub(crate) async fn person_permits(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
) -> Result<Json<Vec<PermitView>>, ApiError> {
    let permits = state.register.permits_of(&access, person_id(&id)?).await?;
    Ok(Json(permits.iter().map(PermitView::of).collect()))
}

/// A revocation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"from": "2025-09-01", "reason": "annulled by the issuing authority"}))]
pub(crate) struct RevokeBody {
    /// The first day the permit no longer covers, `YYYY-MM-DD`.
    #[schema(example = "2025-09-01")]
    pub from: String,
    /// Why (required, at most 200 characters).
    pub reason: String,
}

/// Revoke a permit.
///
/// The permit stays on record and keeps covering the days before `from`, so answers for earlier
/// dates do not change. A permit is revoked once. Officers only.
#[utoipa::path(
    post,
    path = "/api/v1/permits/{id}/revoke",
    tag = "register",
    params(("id" = uuid::Uuid, Path, description = "Permit id")),
    request_body = RevokeBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Revoked; the permit as it is now", body = PermitView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only officers revoke permits (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No permit has this id (`not_found`)", body = ErrorBody),
        (status = 409, description = "Already revoked (`already_revoked`)", body = ErrorBody),
        (status = 422, description = "A field is invalid (`invalid_date`, `date_out_of_range`, `missing_field`, \
            `too_long`), or the permit had ended before from (`revoked_after_expiry`)", body = ErrorBody),
    )
)]
pub(crate) async fn revoke_permit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RevokeBody>,
) -> Result<Json<PermitView>, ApiError> {
    let id = path_uuid(&id)?;
    let raw = RawRevocation { from: body.from, reason: body.reason };
    let revoked = state.register.revoke_permit(&caller.actor(), id, &raw).await?;
    Ok(Json(PermitView::of(&revoked)))
}
