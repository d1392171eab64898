//! The border desk: paste or scan a machine-readable zone, see the person (or "new"), their
//! stay and every finding, then record the entry or exit with one keystroke (the record button
//! has the focus). The form carries the crossing's id, so a double submit records once.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sapar_model::{RawCrossing, ReadPurpose, Role};
use sapar_register::RegisterError;
use sapar_register::access::{Access, AccessChannel};
use sapar_register::border::BorderFinding;
use serde::Deserialize;

use super::require;
use crate::WebState;
use crate::page::{Ctx, PageError, TwoScripts, render};
use crate::session::Officer;

const DESK: &[Role] = &[Role::Border, Role::Officer];

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DeskForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    mrz: String,
    #[serde(default)]
    point: String,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    crossing_id: String,
}

pub(crate) struct CheckView {
    name: TwoScripts,
    document: String,
    birth_date: String,
    citizenship: String,
    person_href: Option<String>,
    findings: Vec<String>,
    days_used: Option<i64>,
    days_left: Option<i64>,
}

#[derive(Template)]
#[template(path = "border.html")]
struct DeskPage {
    ctx: Ctx,
    mrz: String,
    point: String,
    check: Option<CheckView>,
    crossing_id: String,
    recorded: Option<String>,
}

fn raw(form: &DeskForm, direction: &str, at: jiff::Timestamp) -> RawCrossing {
    RawCrossing {
        id: (!form.crossing_id.is_empty()).then(|| form.crossing_id.clone()),
        mrz: Some(form.mrz.chars().take(400).collect()),
        direction: Some(direction.to_owned()),
        at: Some(at.to_string()),
        crossing_point: Some(form.point.trim().to_owned()),
        purpose: Some("other".to_owned()),
        ..RawCrossing::default()
    }
}

fn page(officer: &Officer, form: &DeskForm) -> DeskPage {
    DeskPage {
        ctx: Ctx::of(officer),
        mrz: form.mrz.chars().take(400).collect(),
        point: form.point.chars().take(40).collect(),
        check: None,
        crossing_id: uuid::Uuid::now_v7().to_string(),
        recorded: None,
    }
}

/// `GET /border`: the empty desk.
pub(crate) async fn desk(officer: Officer) -> Result<Response, PageError> {
    require(&officer, DESK)?;
    Ok(render(&page(&officer, &DeskForm::default()), officer.lang))
}

fn border_access(officer: &Officer) -> Access {
    Access::new(officer.session.actor.clone(), ReadPurpose::BorderCheck, AccessChannel::Web)
        .from_address(officer.address)
}

/// `POST /border`: the check of a scanned document.
pub(crate) async fn check(
    State(state): State<WebState>,
    officer: Officer,
    Form(form): Form<DeskForm>,
) -> Result<Response, PageError> {
    require(&officer, DESK)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let mut desk = page(&officer, &form);
    // The check validates the crossing with the id the record form will carry.
    let form = DeskForm { crossing_id: desk.crossing_id.clone(), ..form };
    let now = state.register.now();
    match state.register.border_check(&border_access(&officer), &raw(&form, "entry", now)).await {
        Ok(check) => {
            let ctx = &desk.ctx;
            let details = &check.crossing.person;
            desk.check = Some(CheckView {
                name: TwoScripts::of(&details.name),
                document: check.crossing.document.key.to_string(),
                birth_date: ctx.opt_date(&details.birth_date),
                citizenship: details.citizenship.code().to_owned(),
                person_href: check.person.as_ref().map(|p| format!("/persons/{}?purpose=border_check", p.person.id)),
                findings: check
                    .findings
                    .iter()
                    .map(|f| match f {
                        BorderFinding::DocumentExpired(d) => {
                            format!("{} {}", ctx.t("finding-document-expired"), ctx.date(d))
                        }
                        BorderFinding::Overstaying { days } => {
                            format!("{} {}", ctx.t("finding-overstaying"), ctx.tn("days-count", &i64::from(*days)))
                        }
                        BorderFinding::NewPerson => ctx.t("finding-new-person"),
                        BorderFinding::NoStayRule => ctx.t("finding-no-stay-rule"),
                    })
                    .collect(),
                days_used: check.stay.as_ref().map(|s| i64::from(s.days_used)),
                days_left: check.stay.as_ref().and_then(|s| s.days_left).map(i64::from),
            });
            Ok(render(&desk, lang))
        }
        Err(RegisterError::Invalid(e)) => {
            desk.ctx = desk.ctx.with_flash(Some(e.to_string()));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&desk, lang)).into_response())
        }
        Err(e) => Err(PageError::from_register(lang, e)),
    }
}

/// `POST /border/record`: records the entry or exit and shows the verdict.
pub(crate) async fn record(
    State(state): State<WebState>,
    officer: Officer,
    Form(form): Form<DeskForm>,
) -> Result<Response, PageError> {
    require(&officer, DESK)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let direction = if form.direction == "exit" { "exit" } else { "entry" };
    let now = state.register.now();
    let mut desk = page(&officer, &form);
    match state.register.record_crossing(&officer.session.actor, &raw(&form, direction, now)).await {
        Ok(_) => {
            // The next traveller: the desk keeps the crossing point only. The stay was shown (and
            // its read logged) by the check before.
            desk.mrz = String::new();
            desk.recorded =
                Some(if direction == "entry" { desk.ctx.t("recorded-entry") } else { desk.ctx.t("recorded-exit") });
            Ok(render(&desk, lang))
        }
        Err(RegisterError::Invalid(e)) => {
            desk.ctx = desk.ctx.with_flash(Some(e.to_string()));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&desk, lang)).into_response())
        }
        Err(RegisterError::ExitWithoutEntry) => {
            let message = desk.ctx.t("exit-without-entry");
            desk.ctx = desk.ctx.with_flash(Some(message));
            Ok((StatusCode::CONFLICT, render(&desk, lang)).into_response())
        }
        Err(e) => Err(PageError::from_register(lang, e)),
    }
}
