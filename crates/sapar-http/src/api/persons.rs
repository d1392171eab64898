//! `GET /api/v1/persons/{id}` and `GET /api/v1/persons?document=STATE:NUMBER`.

use axum::Json;
use axum::extract::{Path, State};
use sapar_model::{DocumentKey, FullName, IdentityDocument, NamePart, PersonId};
use sapar_register::records::PersonRecord;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{ReadAccess, ReadHeaders};
use crate::api::stay_views::StayView;
use crate::error::{ApiCode, ApiError, ErrorBody, excerpt};
use crate::json::ApiQuery;

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
    pub(crate) fn of(name: &FullName) -> NameView {
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

impl DocumentView {
    pub(crate) fn of(d: &IdentityDocument) -> DocumentView {
        DocumentView {
            document_type: d.document_type.as_str(),
            issuing_state: d.key.issuing_state.code().to_owned(),
            number: d.key.number.as_str().to_owned(),
            expiry: d.expiry.map(|e| e.to_string()),
        }
    }
}

/// A recorded crossing.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrossingView {
    #[schema(format = Uuid)]
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
    /// For a refused entry (in `refused_entries`): the ground of the refusal.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "entry_ban")]
    pub refusal_ground: Option<&'static str>,
    /// For a refused entry: the officer's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal_note: Option<String>,
}

impl CrossingView {
    fn of(c: &sapar_model::Crossing) -> CrossingView {
        let (refusal_ground, refusal_note) = match &c.outcome {
            sapar_model::Outcome::Crossed => (None, None),
            sapar_model::Outcome::Refused { ground, note } => (Some(ground.as_str()), note.clone()),
        };
        CrossingView {
            id: c.id.to_string(),
            direction: c.direction.as_str(),
            at: c.at.to_string(),
            local_date: c.at.date().to_string(),
            crossing_point: c.point.as_str().to_owned(),
            purpose: c.purpose.as_str(),
            document: c.document.to_string(),
            refusal_ground,
            refusal_note,
        }
    }
}

/// A person with documents and crossings.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonView {
    #[schema(format = Uuid)]
    pub id: String,
    pub native_name: Option<NameView>,
    pub latin_name: Option<NameView>,
    pub sex: &'static str,
    pub birth_date: Option<String>,
    pub citizenship: String,
    pub documents: Vec<DocumentView>,
    /// Crossings of the border, in time order: every stay is derived from these.
    pub crossings: Vec<CrossingView>,
    /// Entries refused at the border, in time order (each with its ground): part of the
    /// person's history, never of a stay.
    pub refused_entries: Vec<CrossingView>,
    /// Residence permits and long-stay visas, by first day covered.
    pub permits: Vec<crate::api::permits::PermitView>,
    /// Present when the id asked for was merged into this person (the survivor, whose id this
    /// is): the register found both records to be the same person.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = Uuid)]
    pub merged_into: Option<String>,
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
            documents: p.documents.iter().map(DocumentView::of).collect(),
            crossings: record.crossings.iter().map(CrossingView::of).collect(),
            refused_entries: record.refusals.iter().map(CrossingView::of).collect(),
            permits: record.permits.iter().map(crate::api::permits::PermitView::of).collect(),
            merged_into: None,
        }
    }
}

/// A person by id.
///
/// The id of a person merged into another answers for the survivor: the body is the survivor's,
/// with `merged_into` set.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}",
    tag = "register",
    params(("id" = uuid::Uuid, Path, description = "Person id"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The person, or the survivor of a merge", body = PersonView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "The token's role may not read persons (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person has this id (`not_found`)", body = ErrorBody),
    )
)]
pub(crate) async fn person_by_id(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
) -> Result<Json<PersonView>, ApiError> {
    let requested = PersonId::from_uuid(crate::api::path_uuid(&id)?);
    let found = state.register.person(&access, requested).await?;
    let mut view = PersonView::of(&found.record);
    view.merged_into = found.merged_from.map(|_| found.record.person.id.to_string());
    Ok(Json(view))
}

/// Query of the person lookup.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PersonQuery {
    /// Document reference `STATE:NUMBER`, e.g. `KAZ:N1234567`.
    #[param(required = true, value_type = String, example = "KGZ:AC1234567")]
    document: Option<String>,
}

/// Find a person by a document they hold.
#[utoipa::path(
    get,
    path = "/api/v1/persons",
    tag = "register",
    params(PersonQuery, ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The person holding the document", body = PersonView),
        (status = 400, description = "No document reference (`missing_query`), one that is not STATE:NUMBER \
            (`invalid_document_reference`), or a query string that does not parse (`invalid_query`)", body = ErrorBody),
        (status = 403, description = "The token's role may not read persons (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person holds this document (`not_found`)", body = ErrorBody),
    )
)]
pub(crate) async fn person_by_document(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    ApiQuery(query): ApiQuery<PersonQuery>,
) -> Result<Json<PersonView>, ApiError> {
    let reference = query
        .document
        .ok_or_else(|| ApiError::new(ApiCode::MissingQuery, "give ?document=STATE:NUMBER").at("document"))?;
    let key = DocumentKey::parse_reference(&reference).map_err(|e| {
        ApiError::new(ApiCode::InvalidDocumentReference, format!("{:?}: {e}", excerpt(&reference))).at("document")
    })?;
    let record = state.register.person_by_document(&access, &key).await?;
    Ok(Json(PersonView::of(&record)))
}

/// Query of the stay endpoint.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct StayQuery {
    /// Check date `YYYY-MM-DD` from 1900 to 2199; default: today in the node's state.
    #[param(value_type = Option<String>, format = Date, pattern = r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    on: Option<String>,
}

/// A person's stay in the node's state on a date.
///
/// Days used and left, legality, overstay days and last legal day of an open stay, the longest
/// stay if entering on that date (when not in the country), the registration deadline of the
/// latest arrival, and the rules with their legal basis. Crossings after `on` are not counted.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/stay",
    tag = "register",
    params(("id" = uuid::Uuid, Path, description = "Person id"), StayQuery, ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The person's stay on the date", body = StayView),
        (status = 400, description = "The id is not a UUID (`invalid_id`), or on is not a date from 1900 to 2199 \
            (`invalid_query`)", body = ErrorBody),
        (status = 403, description = "The token's role may not read stays (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person has this id (`not_found`)", body = ErrorBody),
        (status = 422, description = "The stay rules cannot judge this person on this date: `stay_not_judged`, \
            `no_rule_for_citizenship`, `no_rule_in_force`, `governed_by_visa`, `unknown_host`, `no_calendar`, \
            `invalid_regime`, `exit_before_entry`, `stay_after_check_date`, `exit_after_check_date`, \
            `open_stay_not_last`, `overlapping_permits`, `entering_during_stay`, `entering_while_present`", body = ErrorBody),
    )
)]
pub(crate) async fn person_stay(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<StayQuery>,
) -> Result<Json<StayView>, ApiError> {
    let id = PersonId::from_uuid(crate::api::path_uuid(&id)?);
    let on = match query.on.as_deref() {
        None => None,
        Some(text) => Some(
            sapar_model::parse_date(text, "on")
                .map_err(|e| ApiError::new(ApiCode::InvalidQuery, format!("on: {}", excerpt(&e.message))).at("on"))?,
        ),
    };
    let answer = state.register.stay(&access, id, on).await?;
    Ok(Json(StayView::of(&answer)))
}
