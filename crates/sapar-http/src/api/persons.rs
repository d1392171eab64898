//! `GET /api/v1/persons/{id}` and `GET /api/v1/persons?document=STATE:NUMBER`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use sapar_model::{DocumentKey, FullName, NamePart, PersonId, Role};
use sapar_store::PersonRecord;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

/// A rendering of a name.
#[derive(Debug, Serialize, ToSchema)]
pub struct NameView {
    pub surname: String,
    pub given_names: Option<String>,
    pub patronymic: Option<String>,
    /// `latin`, `cyrillic` or `armenian` (of the surname).
    pub script: &'static str,
}

impl NameView {
    fn of(name: &FullName) -> NameView {
        NameView {
            surname: name.surname.as_str().to_owned(),
            given_names: name.given_names.as_ref().map(|p| p.as_str().to_owned()),
            patronymic: name.patronymic.as_ref().map(NamePart::as_str).map(str::to_owned),
            script: name.surname.script().as_str(),
        }
    }
}

/// A document held by a person.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    #[serde(rename = "type")]
    pub document_type: &'static str,
    pub issuing_state: String,
    pub number: String,
    pub expiry: Option<String>,
}

/// A recorded crossing.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrossingView {
    pub id: String,
    pub direction: &'static str,
    /// RFC 9557 with the crossing's own zone or offset.
    pub at: String,
    /// Civil date at the crossing point.
    pub local_date: String,
    pub crossing_point: String,
    pub purpose: &'static str,
    /// `STATE:NUMBER` of the document presented.
    pub document: String,
}

/// A person with documents and crossings.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonView {
    pub id: String,
    pub native_name: Option<NameView>,
    pub latin_name: Option<NameView>,
    pub sex: &'static str,
    pub birth_date: Option<String>,
    pub citizenship: String,
    pub documents: Vec<DocumentView>,
    pub crossings: Vec<CrossingView>,
}

impl PersonView {
    pub(crate) fn of(record: &PersonRecord) -> PersonView {
        let p = &record.person;
        PersonView {
            id: p.id.to_string(),
            native_name: p.details.name.native().map(NameView::of),
            latin_name: p.details.name.latin().map(NameView::of),
            sex: p.details.sex.code(),
            birth_date: p.details.birth_date.map(|d| d.to_string()),
            citizenship: p.details.citizenship.code().to_owned(),
            documents: p
                .documents
                .iter()
                .map(|d| DocumentView {
                    document_type: d.document_type.as_str(),
                    issuing_state: d.key.issuing_state.code().to_owned(),
                    number: d.key.number.as_str().to_owned(),
                    expiry: d.expiry.map(|e| e.to_string()),
                })
                .collect(),
            crossings: record
                .crossings
                .iter()
                .map(|c| CrossingView {
                    id: c.id.to_string(),
                    direction: c.direction.as_str(),
                    at: c.at.to_string(),
                    local_date: c.at.date().to_string(),
                    crossing_point: c.point.as_str().to_owned(),
                    purpose: c.purpose.as_str(),
                    document: c.document.to_string(),
                })
                .collect(),
        }
    }
}

const READERS: &[Role] = &[Role::Border, Role::Officer];

/// A person by id.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}",
    tag = "register",
    params(("id" = String, Path, description = "Person id (UUID)")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = PersonView),
        (status = 400, description = "Id is not a UUID", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
pub(crate) async fn person_by_id(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<PersonView>, ApiError> {
    caller.require(READERS)?;
    let uuid = uuid::Uuid::parse_str(&id)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "invalid_id", format!("{id:?} is not a UUID")))?;
    let record = state.store.person(PersonId::from_uuid(uuid)).await?.ok_or_else(|| ApiError::not_found("person"))?;
    Ok(Json(PersonView::of(&record)))
}

/// Query of the person lookup.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct PersonQuery {
    /// Document reference `STATE:NUMBER`, e.g. `KAZ:N1234567`.
    document: Option<String>,
}

/// Find a person by a document they hold.
#[utoipa::path(
    get,
    path = "/api/v1/persons",
    tag = "register",
    params(PersonQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = PersonView),
        (status = 400, description = "Missing or malformed document reference", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
pub(crate) async fn person_by_document(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<PersonQuery>,
) -> Result<Json<PersonView>, ApiError> {
    caller.require(READERS)?;
    let reference = query.document.ok_or_else(|| ApiError {
        field: Some("document"),
        ..ApiError::new(StatusCode::BAD_REQUEST, "missing_query", "give ?document=STATE:NUMBER")
    })?;
    let key = DocumentKey::parse_reference(&reference).map_err(|e| ApiError {
        field: Some("document"),
        ..ApiError::new(StatusCode::BAD_REQUEST, "invalid_document_reference", e.to_string())
    })?;
    let record = state.store.person_by_document(&key).await?.ok_or_else(|| ApiError::not_found("person"))?;
    Ok(Json(PersonView::of(&record)))
}
