//! `POST`/`GET /api/v1/employers` and `GET /api/v1/employers/{id}`: employers of foreign
//! workers, by registration number (in Kazakhstan the BIN), with the violations that name them —
//! employers' fines for illegal foreign labour among them.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sapar_register::employers::RawEmployer;
use sapar_register::records::EmployerRecord;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{ReadAccess, ReadHeaders};
use crate::api::violations::ViolationView;
use crate::api::{path_uuid, query_number};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::json::{ApiJson, ApiQuery};

const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 200;

/// An employer.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EmployerView {
    #[schema(format = Uuid)]
    pub id: String,
    /// BIN in Kazakhstan; the host state's registration number elsewhere.
    #[schema(example = "080540002494")]
    pub registration_number: String,
    pub name: String,
    pub region: String,
    pub address: Option<String>,
    /// Name of the user or token that recorded it.
    pub recorded_by: String,
    pub recorded_at: String,
}

impl EmployerView {
    fn of(e: &EmployerRecord) -> EmployerView {
        EmployerView {
            id: e.id.to_string(),
            registration_number: e.registration_number.clone(),
            name: e.name.clone(),
            region: e.region.clone(),
            address: e.address.clone(),
            recorded_by: e.recorded_by.clone(),
            recorded_at: e.recorded_at.to_string(),
        }
    }
}

/// An employer with the violations naming it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EmployerFileView {
    pub employer: EmployerView,
    /// By detection date; each about the worker concerned (`person_id`).
    pub violations: Vec<ViolationView>,
}

/// An employer to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "registration_number": "080540002494", "name": "ТОО «Стройсервис Алатау»", "region": "Алматы",
    "address": "пр. Райымбека, 212"
}))]
pub(crate) struct NewEmployerBody {
    /// In Kazakhstan the 12-digit BIN (its control digit is checked); spaces and dashes are
    /// dropped.
    pub registration_number: String,
    pub name: String,
    /// The region (oblast or city of republican significance).
    pub region: String,
    pub address: Option<String>,
}

/// Record an employer.
///
/// The registration number is unique. Migration officers only.
#[utoipa::path(
    post,
    path = "/api/v1/employers",
    tag = "enforcement",
    request_body = NewEmployerBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded", body = EmployerView),
        (status = 403, description = "Only migration officers (`forbidden`)", body = ErrorBody),
        (status = 409, description = "The registration number is on record (`duplicate_employer`)", body = ErrorBody),
        (status = 422, description = "A field is refused: `invalid_registration_number`, `missing_field`, `too_long`", body = ErrorBody),
    )
)]
pub(crate) async fn record_employer(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewEmployerBody>,
) -> Result<(StatusCode, Json<EmployerView>), ApiError> {
    let raw = RawEmployer {
        registration_number: body.registration_number,
        name: body.name,
        region: body.region,
        address: body.address,
    };
    let recorded = state.register.record_employer(&caller.actor(), &raw).await?;
    Ok((StatusCode::CREATED, Json(EmployerView::of(&recorded))))
}

/// Which employers, and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct EmployerQuery {
    /// Part of the name (any case), or a whole registration number.
    q: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<u32>, minimum = 0, maximum = 4294967295_u64)]
    offset: Option<String>,
}

/// Employers by name.
///
/// Migration officers and analysts.
#[utoipa::path(
    get,
    path = "/api/v1/employers",
    tag = "enforcement",
    params(EmployerQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Employers by name", body = [EmployerView]),
        (status = 400, description = "limit or offset out of range (`invalid_query`)", body = ErrorBody),
        (status = 403, description = "Only migration officers and analysts (`forbidden`)", body = ErrorBody),
    )
)]
pub(crate) async fn list_employers(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<EmployerQuery>,
) -> Result<Json<Vec<EmployerView>>, ApiError> {
    let limit = query_number(query.limit.as_deref(), "limit", DEFAULT_LIMIT, (1, MAX_LIMIT))?;
    let offset = query_number(query.offset.as_deref(), "offset", 0, (0, u32::MAX))?;
    let found = state.register.employers(&caller.actor(), query.q.as_deref(), limit, offset).await?;
    Ok(Json(found.iter().map(EmployerView::of).collect()))
}

/// One employer with the violations naming it.
///
/// Each violation concerns a worker: the read is access-logged for each. Migration officers only.
#[utoipa::path(
    get,
    path = "/api/v1/employers/{id}",
    tag = "enforcement",
    params(("id" = uuid::Uuid, Path, description = "Employer id"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The employer and its violations", body = EmployerFileView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only migration officers (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No employer has this id (`not_found`)", body = ErrorBody),
    )
)]
pub(crate) async fn employer(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
) -> Result<Json<EmployerFileView>, ApiError> {
    let id = path_uuid(&id)?;
    let file = state.register.employer(&access, id).await?;
    Ok(Json(EmployerFileView {
        employer: EmployerView::of(&file.employer),
        violations: file.violations.iter().map(|v| ViolationView::of(v, None)).collect(),
    }))
}
