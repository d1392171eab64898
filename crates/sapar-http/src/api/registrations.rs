//! Registration of place of stay: `POST /api/v1/registrations` (a host, hotel, employer or the
//! migrant's registration, filed by the receiving party's own token or an officer),
//! `GET /api/v1/persons/{id}/registrations`, `POST /api/v1/registrations/{id}/extend` and
//! `/end`, and `GET /api/v1/regions`, the regions an address may name.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sapar_model::{InputCode, InputError, PersonId};
use sapar_register::RegisterError;
use sapar_register::records::{FilingChannel, RegistrationEvent, RegistrationRecord};
use sapar_register::registrations::{RawAddress, RawGuest, RawParty, RawRegistration, RegistrationFile};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::access::{ReadAccess, ReadHeaders};
use crate::api::path_uuid;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;

/// The address of the place of stay.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AddressBody {
    /// A region code of the host state (`GET /api/v1/regions`).
    #[schema(example = "KZ-75")]
    pub region: String,
    #[schema(example = "Алматы")]
    pub locality: String,
    pub street: Option<String>,
    pub building: Option<String>,
    pub flat: Option<String>,
}

/// The party receiving the foreigner.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PartyBody {
    /// `private_person`, `legal_entity` or `migrant`.
    #[schema(example = "legal_entity")]
    pub kind: String,
    /// The host's or organisation's name; for the migrant, absent takes the name on record.
    pub name: Option<String>,
    /// A private host's identity document number; a legal entity's registration number (in
    /// Kazakhstan the 12-digit BIN, its control digit checked).
    pub identity: Option<String>,
}

/// The guest as their travel document reads, for a receiving party that does not know the
/// register's person id.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GuestBody {
    /// The document's issuing state (alpha-3).
    #[schema(example = "KGZ")]
    pub document_state: String,
    #[schema(example = "AC1234567")]
    pub document_number: String,
    /// `YYYY-MM-DD`.
    #[schema(format = Date, example = "1991-07-14")]
    pub birth_date: String,
}

/// A registration to file, for the person `person_id` or the `guest` a receiving party names
/// (one of the two).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "person_id": "01937c1e-5a2b-7c3d-8e4f-a1b2c3d4e5f6",
    "address": {"region": "KZ-75", "locality": "Алматы", "street": "ул. Жибек Жолы", "building": "50", "flat": "12"},
    "valid_from": "2026-08-03", "valid_until": "2026-10-30",
    "party": {"kind": "legal_entity", "name": "ТОО «Отель Алатау»", "identity": "080540002494"}
}))]
pub(crate) struct NewRegistrationBody {
    /// The person, by the register's id; or else `guest`.
    #[schema(format = Uuid)]
    pub person_id: Option<String>,
    /// The person, by travel document and birth date; or else `person_id`.
    pub guest: Option<GuestBody>,
    pub address: AddressBody,
    /// `YYYY-MM-DD`: the first day of the stay at the address.
    pub valid_from: String,
    /// `YYYY-MM-DD`: the last day; not before `valid_from`.
    pub valid_until: String,
    pub party: PartyBody,
}

/// A new last day for a registration in force.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"valid_until": "2026-12-31"}))]
pub(crate) struct ExtendBody {
    /// `YYYY-MM-DD`, later than the current last day.
    pub valid_until: String,
}

/// A deregistration.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"day": "2026-10-15", "note": "left the flat"}))]
pub(crate) struct EndBody {
    /// `YYYY-MM-DD`, the day it ends (today when absent); not before its first day.
    pub day: Option<String>,
    pub note: Option<String>,
}

/// The receiving party as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PartyView {
    /// `private_person`, `legal_entity` or `migrant`.
    pub kind: &'static str,
    pub name: String,
    /// A private host's document number, a legal entity's registration number (normalised).
    pub identity: Option<String>,
    /// The employer on record with this registration number, for a legal entity.
    #[schema(format = Uuid)]
    pub employer_id: Option<String>,
}

/// A change in a registration's history.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RegistrationEventView {
    /// `filed`, `extended`, `superseded` or `ended`.
    pub kind: &'static str,
    pub day: String,
    /// For an extension: the last day before and after.
    pub until_before: Option<String>,
    pub until_after: Option<String>,
    pub reason: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

impl RegistrationEventView {
    fn of(e: &RegistrationEvent) -> RegistrationEventView {
        RegistrationEventView {
            kind: e.kind.as_str(),
            day: e.day.to_string(),
            until_before: e.until_before.map(|d| d.to_string()),
            until_after: e.until_after.map(|d| d.to_string()),
            reason: e.reason.clone(),
            recorded_by: e.recorded_by.clone(),
            recorded_at: e.recorded_at.to_string(),
        }
    }
}

/// A registration of place of stay.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RegistrationView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub person_id: String,
    /// The day of the arrival it is for, and its entry crossing.
    pub arrival_on: String,
    #[schema(format = Uuid)]
    pub arrival_crossing_id: Option<String>,
    pub address: AddressBody,
    pub valid_from: String,
    pub valid_until: String,
    pub party: PartyView,
    /// Name of the user or token that filed it.
    pub filed_by: String,
    /// `desk`, `api`, `web` or `self`.
    pub channel: &'static str,
    pub filed_on: String,
    pub filed_at: String,
    /// `submitted`, `accepted`, `refused`, `superseded` or `ended`.
    pub state: &'static str,
    /// A refusal's reason and legal basis.
    pub state_reason: Option<String>,
    pub legal_basis: Option<String>,
    /// The registration at the new address that replaced it.
    #[schema(format = Uuid)]
    pub superseded_by: Option<String>,
    /// The day it ended, and why: `exit` or `deregistered`.
    pub ended_on: Option<String>,
    pub end_reason: Option<&'static str>,
    /// The last day to register the arrival on time, the rule that sets it and who answers
    /// for it (`receiving_party` or `migrant`); null when no rule covers the person.
    pub due_on: Option<String>,
    pub rule_id: Option<String>,
    pub liable: Option<&'static str>,
    /// Filed after the deadline as the arrival's first registration.
    pub late: bool,
    /// The failure-to-register violation of the arrival, when late.
    #[schema(format = Uuid)]
    pub violation_id: Option<String>,
    /// The changes, oldest first (in a person's list of registrations; empty otherwise).
    pub history: Vec<RegistrationEventView>,
}

impl RegistrationView {
    fn of(r: &RegistrationRecord, events: &[RegistrationEvent]) -> RegistrationView {
        let deadline = r.deadline.as_ref();
        RegistrationView {
            id: r.id.to_string(),
            person_id: r.person_id.to_string(),
            arrival_on: r.arrival_on.to_string(),
            arrival_crossing_id: r.arrival_crossing.map(|c| c.to_string()),
            address: AddressBody {
                region: r.address.region.clone(),
                locality: r.address.locality.clone(),
                street: r.address.street.clone(),
                building: r.address.building.clone(),
                flat: r.address.flat.clone(),
            },
            valid_from: r.valid_from.to_string(),
            valid_until: r.valid_until.to_string(),
            party: PartyView {
                kind: r.party.kind.as_str(),
                name: r.party.name.clone(),
                identity: r.party.identity.clone(),
                employer_id: r.party.employer_id.map(|e| e.to_string()),
            },
            filed_by: r.filed_by.clone(),
            channel: r.channel.as_str(),
            filed_on: r.filed_on.to_string(),
            filed_at: r.filed_at.to_string(),
            state: r.state.as_str(),
            state_reason: r.state_reason.clone(),
            legal_basis: r.legal_basis.clone(),
            superseded_by: r.superseded_by.map(|s| s.to_string()),
            ended_on: r.ended.map(|(day, _)| day.to_string()),
            end_reason: r.ended.map(|(_, reason)| reason.as_str()),
            due_on: deadline.map(|d| d.due_on.to_string()),
            rule_id: deadline.map(|d| d.rule_id.clone()),
            liable: deadline.map(|d| d.liable.as_str()),
            late: r.late(),
            violation_id: r.violation_id.map(|v| v.to_string()),
            history: events.iter().map(RegistrationEventView::of).collect(),
        }
    }
}

/// File a registration of place of stay.
///
/// For a person in the country (an entry with no later exit), for the arrival of their open
/// stay; a registration in force is superseded (an address change). Filed after the deadline the
/// stay rules set for the arrival, it is accepted and marked late, and the failure-to-register
/// violation is drafted in the same transaction against the party the rule names (the migrant;
/// or the receiving party: a legal entity by its employer record, found or recorded by its
/// registration number, a private host named in the description). Border and migration
/// officers, administrators and receiving parties (`host` tokens).
#[utoipa::path(
    post,
    path = "/api/v1/registrations",
    tag = "register",
    request_body = NewRegistrationBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Filed", body = RegistrationView),
        (status = 400, description = "The person id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only officers, administrators and receiving parties (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person has this id, or no person holds the guest's document with that birth date (`not_found`)", body = ErrorBody),
        (status = 409, description = "The registration to supersede ended meanwhile (`registration_ended`)", body = ErrorBody),
        (status = 422, description = "Refused, nothing stored: `unknown_region`, `invalid_period`, `invalid_date`, \
            `date_out_of_range`, `person_not_in_country`, `invalid_kind`, `invalid_document_number`, \
            `invalid_registration_number`, `missing_field`, `too_long`, `no_calendar`; the guest's \
            `unknown_country`, `invalid_country`, `specimen_country`, `issuer_not_a_state`", body = ErrorBody),
    )
)]
pub(crate) async fn file_registration(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewRegistrationBody>,
) -> Result<(StatusCode, Json<RegistrationView>), ApiError> {
    let raw = RawRegistration {
        address: RawAddress {
            region: body.address.region,
            locality: body.address.locality,
            street: body.address.street,
            building: body.address.building,
            flat: body.address.flat,
        },
        valid_from: body.valid_from,
        valid_until: body.valid_until,
        party: RawParty { kind: body.party.kind, name: body.party.name, identity: body.party.identity },
    };
    let actor = caller.actor();
    let filed = match (body.person_id, body.guest) {
        (Some(id), None) => {
            let person = PersonId::from_uuid(path_uuid(&id).map_err(|e| e.at("person_id"))?);
            state.register.file_registration(&actor, person, &raw, FilingChannel::Api).await?
        }
        (None, Some(guest)) => {
            let guest = RawGuest {
                document_state: guest.document_state,
                document_number: guest.document_number,
                birth_date: guest.birth_date,
            };
            state.register.file_registration_for_guest(&actor, &guest, &raw, FilingChannel::Api).await?
        }
        (person, _) => {
            let which = if person.is_some() { "person_id or guest, not both" } else { "person_id or guest" };
            let refusal = InputError::new("person_id", InputCode::MissingField, format!("name the person: {which}"));
            return Err(RegisterError::Invalid(refusal).into());
        }
    };
    Ok((StatusCode::CREATED, Json(RegistrationView::of(&filed, &[]))))
}

/// A person's registrations of place of stay.
///
/// In the order they were filed, each with its history. The read is logged. Border and migration
/// officers and administrators.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}/registrations",
    tag = "register",
    params(("id" = uuid::Uuid, Path, description = "Person id"), ReadHeaders),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The person's registrations", body = [RegistrationView]),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only officers and administrators (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No person has this id (`not_found`)", body = ErrorBody),
    )
)]
pub(crate) async fn person_registrations(
    State(state): State<AppState>,
    ReadAccess(access): ReadAccess,
    Path(id): Path<String>,
) -> Result<Json<Vec<RegistrationView>>, ApiError> {
    let person = PersonId::from_uuid(path_uuid(&id)?);
    let files: Vec<RegistrationFile> = state.register.registrations_of(&access, person).await?;
    Ok(Json(files.iter().map(|f| RegistrationView::of(&f.registration, &f.events)).collect()))
}

/// Extend a registration in force.
///
/// Border and migration officers and administrators.
#[utoipa::path(
    post,
    path = "/api/v1/registrations/{id}/extend",
    tag = "register",
    params(("id" = uuid::Uuid, Path, description = "Registration id")),
    request_body = ExtendBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Extended", body = RegistrationView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only officers and administrators (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No registration has this id (`not_found`)", body = ErrorBody),
        (status = 409, description = "The registration is no longer in force (`registration_ended`)", body = ErrorBody),
        (status = 422, description = "Refused: `invalid_period` (not later than the current last day), `invalid_date`, \
            `date_out_of_range`", body = ErrorBody),
    )
)]
pub(crate) async fn extend_registration(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ExtendBody>,
) -> Result<Json<RegistrationView>, ApiError> {
    let id = path_uuid(&id)?;
    let extended = state.register.extend_registration(&caller.actor(), id, &body.valid_until).await?;
    Ok(Json(RegistrationView::of(&extended, &[])))
}

/// End a registration in force (deregistration).
///
/// An exit ends the registration by itself. Border and migration officers and administrators.
#[utoipa::path(
    post,
    path = "/api/v1/registrations/{id}/end",
    tag = "register",
    params(("id" = uuid::Uuid, Path, description = "Registration id")),
    request_body = EndBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Ended", body = RegistrationView),
        (status = 400, description = "The id is not a UUID (`invalid_id`)", body = ErrorBody),
        (status = 403, description = "Only officers and administrators (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No registration has this id (`not_found`)", body = ErrorBody),
        (status = 409, description = "The registration is no longer in force (`registration_ended`)", body = ErrorBody),
        (status = 422, description = "Refused: `invalid_period` (before its first day), `invalid_date`, \
            `date_out_of_range`, `note_too_long`", body = ErrorBody),
    )
)]
pub(crate) async fn end_registration(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EndBody>,
) -> Result<Json<RegistrationView>, ApiError> {
    let id = path_uuid(&id)?;
    let ended = state.register.deregister(&caller.actor(), id, body.day.as_deref(), body.note.as_deref()).await?;
    Ok(Json(RegistrationView::of(&ended, &[])))
}

/// One region of the host state.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RegionView {
    /// ISO 3166-2.
    #[schema(example = "KZ-75")]
    pub code: String,
    /// `city` (with a region's status) or `region`.
    #[schema(example = "city")]
    pub kind: &'static str,
    /// Names by language tag: `ru`, `en` and the state's language (`kk`, `ky`, `hy`).
    #[schema(example = json!({"ru": "Алматы", "kk": "Алматы", "en": "Almaty"}))]
    pub names: BTreeMap<String, String>,
}

/// The node's regions.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RegionList {
    /// The host state the node serves (alpha-3).
    #[schema(example = "KAZ")]
    pub host_state: String,
    /// Cities first; empty when the node's data lists none for its state (then no address is
    /// accepted).
    pub regions: Vec<RegionView>,
}

/// The regions of the node's state.
///
/// The codes a registration's `address.region` may name; any other is refused
/// (`unknown_region`). Every role may read the list.
#[utoipa::path(
    get,
    path = "/api/v1/regions",
    tag = "register",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The regions", body = RegionList),
    )
)]
pub(crate) async fn regions(State(state): State<AppState>, caller: Caller) -> Result<Json<RegionList>, ApiError> {
    let regions = state.register.regions(&caller.actor())?;
    Ok(Json(RegionList {
        host_state: state.register.host_state().code().to_owned(),
        regions: regions
            .iter()
            .map(|r| RegionView { code: r.code.clone(), kind: r.kind.as_str(), names: r.names.clone() })
            .collect(),
    }))
}
