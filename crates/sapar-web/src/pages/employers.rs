//! Employers at the migration officer's desk: the list found by part of a name or a whole
//! registration number, the form recording one (its BIN checked), and an employer's page with
//! the work permits' holders and the violations that name it, each linking to the worker's
//! record. Opening an employer's page logs a read of each worker its violations concern.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use sapar_model::{ReadPurpose, Role};
use sapar_register::access::{Access, AccessChannel};
use sapar_register::employers::RawEmployer;
use serde::Deserialize;

use super::form::{FieldError, error_of, form_errors};
use super::require;
use crate::WebState;
use crate::page::{Ctx, PageError, render};
use crate::session::Officer;

const OFFICERS: &[Role] = &[Role::Officer];
/// Employers one page lists.
const PAGE: u32 = 50;

/// One employer in the list.
pub(crate) struct EmployerRow {
    href: String,
    name: String,
    number: String,
    region: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct EmployerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    registration_number: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    address: String,
}

#[derive(Template)]
#[template(path = "employers.html")]
struct EmployersPage {
    ctx: Ctx,
    q: String,
    rows: Vec<EmployerRow>,
    form: EmployerForm,
    errors: Vec<FieldError>,
}

impl EmployersPage {
    /// The message for `field`, if it is at fault.
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListParams {
    #[serde(default)]
    q: String,
}

async fn employers_page(
    state: &WebState,
    officer: &Officer,
    q: String,
    form: EmployerForm,
    errors: Vec<FieldError>,
) -> Result<EmployersPage, PageError> {
    let found = state
        .register
        .employers(&officer.session.actor, Some(&q), PAGE, 0)
        .await
        .map_err(|e| PageError::from_register(officer.lang, e))?;
    let rows = found
        .into_iter()
        .map(|e| EmployerRow {
            href: format!("/employers/{}", e.id),
            name: e.name,
            number: e.registration_number,
            region: e.region,
        })
        .collect();
    Ok(EmployersPage { ctx: Ctx::of(officer), q, rows, form, errors })
}

/// `GET /employers`: the list (filtered by `q`) and the empty form.
pub(crate) async fn list(
    State(state): State<WebState>,
    officer: Officer,
    Query(params): Query<ListParams>,
) -> Result<Response, PageError> {
    require(&officer, OFFICERS)?;
    let page = employers_page(&state, &officer, params.q, EmployerForm::default(), Vec::new()).await?;
    Ok(render(&page, officer.lang))
}

/// `POST /employers`: records the employer and opens its page, or shows the form again with what
/// is wrong.
pub(crate) async fn record(
    State(state): State<WebState>,
    officer: Officer,
    Form(form): Form<EmployerForm>,
) -> Result<Response, PageError> {
    require(&officer, OFFICERS)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let raw = RawEmployer {
        registration_number: form.registration_number.clone(),
        name: form.name.clone(),
        region: form.region.clone(),
        address: Some(form.address.clone()),
    };
    match state.register.record_employer(&officer.session.actor, &raw).await {
        Ok(employer) => Ok(Redirect::to(&format!("/employers/{}", employer.id)).into_response()),
        Err(e) => {
            let errors = form_errors(lang, e).map_err(|e| PageError::from_register(lang, e))?;
            let page = employers_page(&state, &officer, String::new(), form, errors).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page, lang)).into_response())
        }
    }
}

/// One violation naming the employer.
pub(crate) struct EmployerViolation {
    kind: String,
    detected: String,
    person_href: String,
    article: String,
    fine: String,
}

#[derive(Template)]
#[template(path = "employer.html")]
struct EmployerPage {
    ctx: Ctx,
    name: String,
    number: String,
    region: String,
    address: String,
    recorded: String,
    violations: Vec<EmployerViolation>,
}

/// `GET /employers/{id}`: the employer and the violations naming it; a logged read of each
/// worker they concern, for enforcement.
pub(crate) async fn employer(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require(&officer, OFFICERS)?;
    let lang = officer.lang;
    let id: uuid::Uuid = id.parse().map_err(|_| PageError::NotFound(lang))?;
    let access = Access::new(officer.session.actor.clone(), ReadPurpose::Enforcement, AccessChannel::Web)
        .from_address(officer.address);
    let file = state.register.employer(&access, id).await.map_err(|e| PageError::from_register(lang, e))?;
    let ctx = Ctx::of(&officer);
    let violations = file
        .violations
        .iter()
        .map(|v| EmployerViolation {
            kind: ctx.t(&format!("violation-kind-{}", v.kind.replace('_', "-"))),
            detected: ctx.date(&v.detected_on),
            person_href: format!("/persons/{}?purpose=enforcement#violations", v.person_id),
            article: v.article.clone().unwrap_or_default(),
            fine: v.fine.as_ref().map_or_else(String::new, |f| {
                let paid = if f.payment.is_some() { ctx.t("violation-paid") } else { ctx.t("violation-unpaid") };
                format!("{} {} — {paid}", ctx.num(&f.amount), f.unit)
            }),
        })
        .collect();
    let e = file.employer;
    let page = EmployerPage {
        recorded: ctx.at(&e.recorded_at),
        ctx,
        name: e.name,
        number: e.registration_number,
        region: e.region,
        address: e.address.unwrap_or_default(),
        violations,
    };
    Ok(render(&page, lang))
}
