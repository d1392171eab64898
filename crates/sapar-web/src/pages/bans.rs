//! Entry bans at the migration officer's desk: the form recording a ban on the person page's
//! person, and the form lifting one by a decision with reasons. A refused form comes back with
//! what was typed, an error summary linking to each field at fault and the field marked invalid.
//! Both return to the person page under the purpose it was opened for.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use sapar_model::{PersonId, ReadPurpose, Role};
use sapar_register::bans::{RawBan, RawLift};
use sapar_register::records::BanGround;
use serde::Deserialize;

use super::form::{FieldError, error_of, form_errors};
use super::require;
use crate::WebState;
use crate::page::{Ctx, PageError, render};
use crate::session::Officer;

const DECIDERS: &[Role] = &[Role::Officer];

/// The person page under `purpose`, at the bans section.
fn back_to_person(person: &str, purpose: &str) -> String {
    let purpose = ReadPurpose::parse(purpose).unwrap_or(ReadPurpose::Enforcement);
    format!("/persons/{person}?purpose={}#bans", purpose.as_str())
}

/// A ground as the form lists it.
pub(crate) struct GroundOption {
    code: &'static str,
    label_key: String,
    selected: bool,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct BanForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    ground: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    decision_ref: String,
    #[serde(default)]
    decided_by: String,
}

#[derive(Template)]
#[template(path = "ban_form.html")]
struct BanPage {
    ctx: Ctx,
    person: String,
    back: String,
    form: BanForm,
    grounds: Vec<GroundOption>,
    errors: Vec<FieldError>,
}

impl BanPage {
    /// The message for `field`, if it is at fault.
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

fn ban_page(officer: &Officer, person: String, form: BanForm, errors: Vec<FieldError>) -> BanPage {
    let grounds = BanGround::ALL
        .into_iter()
        .map(|g| GroundOption {
            code: g.as_str(),
            label_key: format!("ban-ground-{}", g.as_str().replace('_', "-")),
            selected: g.as_str() == form.ground,
        })
        .collect();
    BanPage { ctx: Ctx::of(officer), back: back_to_person(&person, &form.purpose), person, form, grounds, errors }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PurposeParam {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    person: String,
}

fn person_id(id: &str, officer: &Officer) -> Result<PersonId, PageError> {
    id.parse::<uuid::Uuid>().map(PersonId::from_uuid).map_err(|_| PageError::NotFound(officer.lang))
}

/// `GET /persons/{id}/bans/new`: the empty form.
pub(crate) async fn new_ban(
    officer: Officer,
    Path(id): Path<String>,
    Query(params): Query<PurposeParam>,
) -> Result<Response, PageError> {
    require(&officer, DECIDERS)?;
    let person = person_id(&id, &officer)?.to_string();
    let form = BanForm { purpose: params.purpose, ..BanForm::default() };
    Ok(render(&ban_page(&officer, person, form, Vec::new()), officer.lang))
}

/// `POST /persons/{id}/bans`: records the ban and returns to the person, or shows the form again
/// with what is wrong.
pub(crate) async fn record_ban(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<BanForm>,
) -> Result<Response, PageError> {
    require(&officer, DECIDERS)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let person = person_id(&id, &officer)?;
    let raw = RawBan {
        from: form.from.clone(),
        until: form.until.clone(),
        ground: form.ground.clone(),
        basis: form.basis.clone(),
        decision_ref: form.decision_ref.clone(),
        decided_by: Some(form.decided_by.clone()),
    };
    match state.register.record_ban(&officer.session.actor, person, &raw).await {
        Ok(ban) => Ok(Redirect::to(&back_to_person(&ban.person_id.to_string(), &form.purpose)).into_response()),
        Err(e) => {
            let errors = form_errors(lang, e).map_err(|e| PageError::from_register(lang, e))?;
            let page = ban_page(&officer, person.to_string(), form, errors);
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page, lang)).into_response())
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LiftForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    decision_ref: String,
}

#[derive(Template)]
#[template(path = "lift_form.html")]
struct LiftPage {
    ctx: Ctx,
    ban: String,
    back: String,
    form: LiftForm,
    errors: Vec<FieldError>,
}

impl LiftPage {
    /// The message for `field`, if it is at fault.
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

fn lift_page(officer: &Officer, ban: String, form: LiftForm, errors: Vec<FieldError>) -> LiftPage {
    let back = match form.person.parse::<uuid::Uuid>() {
        Ok(person) => back_to_person(&person.to_string(), &form.purpose),
        Err(_) => "/search".to_owned(),
    };
    LiftPage { ctx: Ctx::of(officer), ban, back, form, errors }
}

/// `GET /bans/{id}/lift`: the empty form (the person and purpose come along to return to).
pub(crate) async fn lift_form(
    officer: Officer,
    Path(id): Path<String>,
    Query(params): Query<PurposeParam>,
) -> Result<Response, PageError> {
    require(&officer, DECIDERS)?;
    let ban: uuid::Uuid = id.parse().map_err(|_| PageError::NotFound(officer.lang))?;
    let form = LiftForm { purpose: params.purpose, person: params.person, ..LiftForm::default() };
    Ok(render(&lift_page(&officer, ban.to_string(), form, Vec::new()), officer.lang))
}

/// `POST /bans/{id}/lift`: lifts the ban and returns to the person, or shows the form again with
/// what is wrong.
pub(crate) async fn lift(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<LiftForm>,
) -> Result<Response, PageError> {
    require(&officer, DECIDERS)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let ban: uuid::Uuid = id.parse().map_err(|_| PageError::NotFound(lang))?;
    let raw = RawLift {
        from: Some(form.from.clone()),
        reason: form.reason.clone(),
        decision_ref: Some(form.decision_ref.clone()),
    };
    match state.register.lift_ban(&officer.session.actor, ban, &raw).await {
        Ok(lifted) => Ok(Redirect::to(&back_to_person(&lifted.person_id.to_string(), &form.purpose)).into_response()),
        Err(e) => {
            let errors = form_errors(lang, e).map_err(|e| PageError::from_register(lang, e))?;
            let page = lift_page(&officer, ban.to_string(), form, errors);
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page, lang)).into_response())
        }
    }
}
