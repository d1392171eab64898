//! Violations at the migration officer's desk: the form recording a violation of any kind on the
//! person page's person (kind, day, article, employer, decision and fine), and the payment of a
//! fine, recorded once from the person page. A refused form comes back with what was typed, an
//! error summary linking to each field at fault and the field marked invalid. Both return to the
//! person page under the purpose it was opened for.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use sapar_model::{PersonId, ReadPurpose, Role};
use sapar_register::violation_kinds::violation_kinds;
use sapar_register::violations::{RawFine, RawPayment, RawPenalty, RawViolation};
use serde::Deserialize;

use super::form::{FieldError, error_of, form_errors};
use super::require;
use crate::WebState;
use crate::page::{Ctx, PageError, render};
use crate::session::Officer;

const RECORDERS: &[Role] = &[Role::Officer];
/// Most employers the form offers to choose from.
const EMPLOYER_CHOICES: u32 = 200;

/// The person page under `purpose`, at the violations section.
fn back_to_person(person: &str, purpose: &str) -> String {
    let purpose = ReadPurpose::parse(purpose).unwrap_or(ReadPurpose::Enforcement);
    format!("/persons/{person}?purpose={}#violations", purpose.as_str())
}

/// A choice in a select: its value, its label, whether it is chosen.
pub(crate) struct Choice {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}

impl Choice {
    pub(crate) fn new(value: String, label: String, selected: bool) -> Choice {
        Choice { value, label, selected }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ViolationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    detected_on: String,
    #[serde(default)]
    article: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    employer_id: String,
    #[serde(default)]
    decision_ref: String,
    #[serde(default)]
    fine_amount: String,
    #[serde(default)]
    fine_unit: String,
}

#[derive(Template)]
#[template(path = "violation_form.html")]
struct ViolationPage {
    ctx: Ctx,
    person: String,
    back: String,
    form: ViolationForm,
    kinds: Vec<Choice>,
    employers: Vec<Choice>,
    units: Vec<Choice>,
    errors: Vec<FieldError>,
}

impl ViolationPage {
    /// The message for `field`, if it is at fault.
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

async fn violation_page(
    state: &WebState,
    officer: &Officer,
    person: String,
    form: ViolationForm,
    errors: Vec<FieldError>,
) -> Result<ViolationPage, PageError> {
    let ctx = Ctx::of(officer);
    let data = violation_kinds()
        .map_err(|e| PageError::from_register(officer.lang, sapar_register::RegisterError::Internal(e)))?;
    let kinds = data
        .kinds
        .iter()
        .map(|k| Choice {
            value: k.id.clone(),
            label: ctx.t(&format!("violation-kind-{}", k.id.replace('_', "-"))),
            selected: k.id == form.kind,
        })
        .collect();
    let units = data
        .units(state.register.host_state())
        .iter()
        .map(|u| Choice { value: u.clone(), label: u.clone(), selected: *u == form.fine_unit })
        .collect();
    let employers = state
        .register
        .employers(&officer.session.actor, None, EMPLOYER_CHOICES, 0)
        .await
        .map_err(|e| PageError::from_register(officer.lang, e))?
        .into_iter()
        .map(|e| Choice {
            selected: e.id.to_string() == form.employer_id,
            value: e.id.to_string(),
            label: format!("{} — {}", e.name, e.registration_number),
        })
        .collect();
    Ok(ViolationPage {
        ctx,
        back: back_to_person(&person, &form.purpose),
        person,
        form,
        kinds,
        employers,
        units,
        errors,
    })
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PurposeParam {
    #[serde(default)]
    purpose: String,
}

fn person_id(id: &str, officer: &Officer) -> Result<PersonId, PageError> {
    id.parse::<uuid::Uuid>().map(PersonId::from_uuid).map_err(|_| PageError::NotFound(officer.lang))
}

/// `GET /persons/{id}/violations/new`: the empty form.
pub(crate) async fn new_violation(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Query(params): Query<PurposeParam>,
) -> Result<Response, PageError> {
    require(&officer, RECORDERS)?;
    let person = person_id(&id, &officer)?.to_string();
    let form = ViolationForm { purpose: params.purpose, ..ViolationForm::default() };
    let page = violation_page(&state, &officer, person, form, Vec::new()).await?;
    Ok(render(&page, officer.lang))
}

/// `POST /persons/{id}/violations`: records the violation and returns to the person, or shows
/// the form again with what is wrong.
pub(crate) async fn record_violation(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<ViolationForm>,
) -> Result<Response, PageError> {
    require(&officer, RECORDERS)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let person = person_id(&id, &officer)?;
    let given = |t: &str| Some(t.trim().to_owned()).filter(|t| !t.is_empty());
    let raw = RawViolation {
        kind: form.kind.clone(),
        detected_on: form.detected_on.clone(),
        description: given(&form.description),
        employer_id: given(&form.employer_id),
        penalty: RawPenalty {
            article: given(&form.article),
            decision_ref: given(&form.decision_ref),
            fine: given(&form.fine_amount).map(|amount| RawFine { amount, unit: form.fine_unit.clone() }),
        },
    };
    match state.register.record_violation(&officer.session.actor, person, &raw).await {
        Ok(v) => Ok(Redirect::to(&back_to_person(&v.person_id.to_string(), &form.purpose)).into_response()),
        Err(e) => {
            let mut errors = form_errors(lang, e).map_err(|e| PageError::from_register(lang, e))?;
            for error in &mut errors {
                // The register names the fine's parts as the JSON does.
                error.field = error.field.replace("fine.amount", "fine_amount").replace("fine.unit", "fine_unit");
            }
            let page = violation_page(&state, &officer, person.to_string(), form, errors).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page, lang)).into_response())
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PaymentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    paid_on: String,
    #[serde(default)]
    reference: String,
}

#[derive(Template)]
#[template(path = "payment_form.html")]
struct PaymentPage {
    ctx: Ctx,
    violation: String,
    back: String,
    form: PaymentForm,
    errors: Vec<FieldError>,
}

impl PaymentPage {
    /// The message for `field`, if it is at fault.
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

fn payment_page(officer: &Officer, violation: String, form: PaymentForm, errors: Vec<FieldError>) -> PaymentPage {
    let back = match form.person.parse::<uuid::Uuid>() {
        Ok(person) => back_to_person(&person.to_string(), &form.purpose),
        Err(_) => "/search".to_owned(),
    };
    PaymentPage { ctx: Ctx::of(officer), violation, back, form, errors }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PaymentParams {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    person: String,
}

/// `GET /violations/{id}/payment`: the empty form (the person and purpose come along to return
/// to).
pub(crate) async fn payment_form(
    officer: Officer,
    Path(id): Path<String>,
    Query(params): Query<PaymentParams>,
) -> Result<Response, PageError> {
    require(&officer, RECORDERS)?;
    let violation: uuid::Uuid = id.parse().map_err(|_| PageError::NotFound(officer.lang))?;
    let form = PaymentForm { purpose: params.purpose, person: params.person, ..PaymentForm::default() };
    Ok(render(&payment_page(&officer, violation.to_string(), form, Vec::new()), officer.lang))
}

/// `POST /violations/{id}/payment`: records the fine's payment and returns to the person, or
/// shows the form again with what is wrong.
pub(crate) async fn record_payment(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<PaymentForm>,
) -> Result<Response, PageError> {
    require(&officer, RECORDERS)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let id: uuid::Uuid = id.parse().map_err(|_| PageError::NotFound(lang))?;
    let raw = RawPayment { paid_on: form.paid_on.clone(), reference: form.reference.clone() };
    match state.register.record_fine_payment(&officer.session.actor, id, &raw).await {
        Ok(v) => Ok(Redirect::to(&back_to_person(&v.person_id.to_string(), &form.purpose)).into_response()),
        Err(e) => {
            let errors = form_errors(lang, e).map_err(|e| PageError::from_register(lang, e))?;
            let page = payment_page(&officer, id.to_string(), form, errors);
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page, lang)).into_response())
        }
    }
}
