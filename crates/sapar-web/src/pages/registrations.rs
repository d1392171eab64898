//! Registration of place of stay at the officer's desk: the form filing one for the person page's
//! person (the region chosen from the host state's list, the address, the period and the
//! receiving party), and the form extending or ending one in force. A refused form comes back
//! with what was typed, an error summary linking to each field at fault and the field marked
//! invalid. Both return to the person page under the purpose it was opened for.
//!
//! A receiving party's account (the host role: a landlord, a hotel, an employer) has its own
//! desk, `/host/registrations`: it names its guest by travel document and birth date, never
//! browsing the register, and is shown what it filed and by when it was due.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use sapar_model::{PersonId, ReadPurpose, Role};
use sapar_register::records::FilingChannel;
use sapar_register::registrations::{RawAddress, RawGuest, RawParty, RawRegistration};
use sapar_register::{Entity, RegisterError};
use serde::Deserialize;

use super::form::{FieldError, error_of, form_errors};
use super::require;
use super::violations::Choice;
use crate::WebState;
use crate::page::{Ctx, PageError, render};
use crate::session::Officer;

/// Who files, extends and ends registrations at the workplace.
pub(crate) const FILERS: &[Role] = &[Role::Border, Role::Officer];

/// The person page under `purpose`, at the registrations section.
fn back_to_person(person: &str, purpose: &str) -> String {
    let purpose = ReadPurpose::parse(purpose).unwrap_or(ReadPurpose::StayControl);
    format!("/persons/{person}?purpose={}#registrations", purpose.as_str())
}

/// Who files for guests they name by travel document: receiving parties.
pub(crate) const GUEST_FILERS: &[Role] = &[Role::Host];

/// The form's name for a field the register names as the JSON does.
fn form_field(field: &str) -> String {
    field.replace("address.", "").replace("party.", "party_").replace("guest.", "guest_")
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RegistrationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    locality: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    building: String,
    #[serde(default)]
    flat: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_until: String,
    #[serde(default)]
    party_kind: String,
    #[serde(default)]
    party_name: String,
    #[serde(default)]
    party_identity: String,
    #[serde(default)]
    guest_document_state: String,
    #[serde(default)]
    guest_document_number: String,
    #[serde(default)]
    guest_birth_date: String,
}

impl RegistrationForm {
    /// The registration as typed.
    fn raw(&self) -> RawRegistration {
        let given = |t: &str| Some(t.trim().to_owned()).filter(|t| !t.is_empty());
        RawRegistration {
            address: RawAddress {
                region: self.region.clone(),
                locality: self.locality.clone(),
                street: given(&self.street),
                building: given(&self.building),
                flat: given(&self.flat),
            },
            valid_from: self.valid_from.clone(),
            valid_until: self.valid_until.clone(),
            party: RawParty {
                kind: self.party_kind.clone(),
                name: given(&self.party_name),
                identity: given(&self.party_identity),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "registration_form.html")]
struct RegistrationPage {
    ctx: Ctx,
    person: String,
    back: String,
    form: RegistrationForm,
    regions: Vec<Choice>,
    kinds: Vec<Choice>,
    errors: Vec<FieldError>,
}

impl RegistrationPage {
    /// The message for `field`, if it is at fault.
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

/// The host state's regions as choices, `chosen` selected.
fn region_choices(state: &WebState, officer: &Officer, chosen: &str) -> Result<Vec<Choice>, PageError> {
    let lang = officer.lang.tag();
    Ok(state
        .register
        .regions(&officer.session.actor)
        .map_err(|e| PageError::from_register(officer.lang, e))?
        .iter()
        .map(|r| Choice::new(r.code.clone(), r.name(lang).to_owned(), r.code == chosen))
        .collect())
}

/// The kinds of receiving party as choices, `chosen` selected.
fn party_choices(ctx: &Ctx, kinds: &[&str], chosen: &str) -> Vec<Choice> {
    kinds
        .iter()
        .map(|k| {
            let label = ctx.t(&format!("registration-party-{}", k.replace('_', "-")));
            Choice::new((*k).to_owned(), label, *k == chosen)
        })
        .collect()
}

fn registration_page(
    state: &WebState,
    officer: &Officer,
    person: String,
    form: RegistrationForm,
    errors: Vec<FieldError>,
) -> Result<RegistrationPage, PageError> {
    let ctx = Ctx::of(officer);
    let regions = region_choices(state, officer, &form.region)?;
    let kinds = ["private_person", "legal_entity", "migrant"]
        .into_iter()
        .map(|k| {
            let label = ctx.t(&format!("registration-party-{}", k.replace('_', "-")));
            Choice::new(k.to_owned(), label, k == form.party_kind)
        })
        .collect();
    Ok(RegistrationPage { ctx, back: back_to_person(&person, &form.purpose), person, form, regions, kinds, errors })
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PurposeParam {
    #[serde(default)]
    purpose: String,
}

fn person_id(id: &str, officer: &Officer) -> Result<PersonId, PageError> {
    id.parse::<uuid::Uuid>().map(PersonId::from_uuid).map_err(|_| PageError::NotFound(officer.lang))
}

/// `GET /persons/{id}/registrations/new`: the empty form.
pub(crate) async fn new_registration(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Query(params): Query<PurposeParam>,
) -> Result<Response, PageError> {
    require(&officer, FILERS)?;
    let person = person_id(&id, &officer)?.to_string();
    let form = RegistrationForm { purpose: params.purpose, ..RegistrationForm::default() };
    let page = registration_page(&state, &officer, person, form, Vec::new())?;
    Ok(render(&page, officer.lang))
}

/// `POST /persons/{id}/registrations`: files the registration and returns to the person, or
/// shows the form again with what is wrong.
pub(crate) async fn file_registration(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<RegistrationForm>,
) -> Result<Response, PageError> {
    require(&officer, FILERS)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let person = person_id(&id, &officer)?;
    let raw = form.raw();
    match state.register.file_registration(&officer.session.actor, person, &raw, FilingChannel::Web).await {
        Ok(r) => Ok(Redirect::to(&back_to_person(&r.person_id.to_string(), &form.purpose)).into_response()),
        Err(e) => {
            let mut errors = form_errors(lang, e).map_err(|e| PageError::from_register(lang, e))?;
            for error in &mut errors {
                error.field = form_field(&error.field);
            }
            let page = registration_page(&state, &officer, person.to_string(), form, errors)?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page, lang)).into_response())
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ChangeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    person: String,
    /// `extend` or `end`.
    #[serde(default)]
    action: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    note: String,
}

#[derive(Template)]
#[template(path = "registration_change.html")]
struct ChangePage {
    ctx: Ctx,
    registration: String,
    back: String,
    form: ChangeForm,
    errors: Vec<FieldError>,
}

impl ChangePage {
    /// The message for `field`, if it is at fault.
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

fn change_page(officer: &Officer, registration: String, form: ChangeForm, errors: Vec<FieldError>) -> ChangePage {
    let back = match form.person.parse::<uuid::Uuid>() {
        Ok(person) => back_to_person(&person.to_string(), &form.purpose),
        Err(_) => "/search".to_owned(),
    };
    ChangePage { ctx: Ctx::of(officer), registration, back, form, errors }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ChangeParams {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    person: String,
}

/// `GET /registrations/{id}/change`: the empty form (the person and purpose come along to
/// return to).
pub(crate) async fn change_form(
    officer: Officer,
    Path(id): Path<String>,
    Query(params): Query<ChangeParams>,
) -> Result<Response, PageError> {
    require(&officer, FILERS)?;
    let registration: uuid::Uuid = id.parse().map_err(|_| PageError::NotFound(officer.lang))?;
    let form = ChangeForm { purpose: params.purpose, person: params.person, ..ChangeForm::default() };
    Ok(render(&change_page(&officer, registration.to_string(), form, Vec::new()), officer.lang))
}

/// `POST /registrations/{id}/change`: extends the registration to the day, or ends it on the
/// day, and returns to the person; or shows the form again with what is wrong.
pub(crate) async fn change(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<ChangeForm>,
) -> Result<Response, PageError> {
    require(&officer, FILERS)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let id: uuid::Uuid = id.parse().map_err(|_| PageError::NotFound(lang))?;
    let actor = &officer.session.actor;
    let note = Some(form.note.trim()).filter(|n| !n.is_empty());
    let done = if form.action == "extend" {
        state.register.extend_registration(actor, id, &form.day).await
    } else {
        state.register.deregister(actor, id, Some(form.day.as_str()), note).await
    };
    match done {
        Ok(r) => Ok(Redirect::to(&back_to_person(&r.person_id.to_string(), &form.purpose)).into_response()),
        Err(e) => {
            let mut errors = form_errors(lang, e).map_err(|e| PageError::from_register(lang, e))?;
            for error in &mut errors {
                if error.field == "valid_until" {
                    "day".clone_into(&mut error.field);
                }
            }
            let page = change_page(&officer, id.to_string(), form, errors);
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page, lang)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "host_registration.html")]
struct HostPage {
    ctx: Ctx,
    form: RegistrationForm,
    regions: Vec<Choice>,
    kinds: Vec<Choice>,
    errors: Vec<FieldError>,
    /// What was just filed: the last day, the day it was due by, whether it was late.
    filed: Option<HostReceipt>,
}

/// What a receiving party is told of a registration it filed: no more than it typed, the
/// deadline and whether it was met.
struct HostReceipt {
    reference: String,
    address: String,
    valid_until: String,
    due_on: Option<String>,
    late: bool,
}

impl HostPage {
    /// The message for `field`, if it is at fault.
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

fn host_page(
    state: &WebState,
    officer: &Officer,
    form: RegistrationForm,
    errors: Vec<FieldError>,
    filed: Option<HostReceipt>,
) -> Result<HostPage, PageError> {
    let ctx = Ctx::of(officer);
    let regions = region_choices(state, officer, &form.region)?;
    let kinds = party_choices(&ctx, &["private_person", "legal_entity"], &form.party_kind);
    Ok(HostPage { ctx, form, regions, kinds, errors, filed })
}

/// `GET /host/registrations`: the receiving party's empty form.
pub(crate) async fn host_form(State(state): State<WebState>, officer: Officer) -> Result<Response, PageError> {
    require(&officer, GUEST_FILERS)?;
    let page = host_page(&state, &officer, RegistrationForm::default(), Vec::new(), None)?;
    Ok(render(&page, officer.lang))
}

/// `POST /host/registrations`: files the registration for the guest named, then shows the
/// receipt above an empty form for the next guest; or the form again with what is wrong. A
/// guest not found is one message on the document number, whichever detail differs.
pub(crate) async fn host_file(
    State(state): State<WebState>,
    officer: Officer,
    Form(form): Form<RegistrationForm>,
) -> Result<Response, PageError> {
    require(&officer, GUEST_FILERS)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let guest = RawGuest {
        document_state: form.guest_document_state.clone(),
        document_number: form.guest_document_number.clone(),
        birth_date: form.guest_birth_date.clone(),
    };
    let filed = state
        .register
        .file_registration_for_guest(&officer.session.actor, &guest, &form.raw(), FilingChannel::Web)
        .await;
    match filed {
        Ok(r) => {
            let ctx = Ctx::of(&officer);
            let receipt = HostReceipt {
                reference: r.id.to_string(),
                address: [
                    Some(r.address.locality.as_str()),
                    r.address.street.as_deref(),
                    r.address.building.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", "),
                valid_until: ctx.date(&r.valid_until),
                due_on: r.deadline.as_ref().map(|d| ctx.date(&d.due_on)),
                late: r.late(),
            };
            let next = RegistrationForm {
                region: form.region,
                locality: form.locality,
                street: form.street,
                building: form.building,
                party_kind: form.party_kind,
                party_name: form.party_name,
                party_identity: form.party_identity,
                ..RegistrationForm::default()
            };
            Ok(render(&host_page(&state, &officer, next, Vec::new(), Some(receipt))?, lang))
        }
        Err(RegisterError::NotFound(Entity::Person)) => {
            let message = crate::i18n::translate(lang, "host-guest-not-found", None);
            let errors = vec![FieldError { field: "guest_document_number".to_owned(), message }];
            let page = host_page(&state, &officer, form, errors, None)?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page, lang)).into_response())
        }
        Err(e) => {
            let mut errors = form_errors(lang, e).map_err(|e| PageError::from_register(lang, e))?;
            for error in &mut errors {
                error.field = form_field(&error.field);
            }
            let page = host_page(&state, &officer, form, errors, None)?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page, lang)).into_response())
        }
    }
}
