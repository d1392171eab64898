//! The officers' work queues: overstay violations drafted by the nightly sweep (confirm, or
//! dismiss with a note) and pairs of persons the linking run found possibly the same (match or
//! non-match, with the explanation as bars). Each row shows how many days it has waited.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use sapar_model::{ReadPurpose, Role};
use sapar_register::RegisterError;
use sapar_register::access::{Access, AccessChannel};
use sapar_register::records::{ReviewDecision, ViolationStatus};
use sapar_register::violations::{RawFine, RawPenalty, ViolationVerdict};
use serde::Deserialize;

use super::require;
use crate::WebState;
use crate::page::{Ctx, PageError, TwoScripts, render};
use crate::session::Officer;

const OFFICERS: &[Role] = &[Role::Officer];
const PAGE: u32 = 50;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct QueueParams {
    #[serde(default)]
    error: String,
}

pub(crate) struct ViolationItem {
    id: String,
    person_href: String,
    name: TwoScripts,
    citizenship: String,
    detected: String,
    days_waiting: i64,
    overstay_days: i64,
}

#[derive(Template)]
#[template(path = "violations.html")]
struct ViolationsPage {
    ctx: Ctx,
    total: i64,
    items: Vec<ViolationItem>,
    /// The units the host state fines in, for the penalty fields.
    fine_units: Vec<String>,
}

fn access(officer: &Officer, purpose: ReadPurpose) -> Access {
    Access::new(officer.session.actor.clone(), purpose, AccessChannel::Web).from_address(officer.address)
}

fn flash_of(ctx: &Ctx, error: &str) -> Option<String> {
    match error {
        "" => None,
        "note" => Some(ctx.t("queue-note-required")),
        "decided" => Some(ctx.t("queue-already-decided")),
        _ => Some(ctx.t("queue-not-decided")),
    }
}

/// `GET /queues/violations`: drafts waiting for a decision, oldest first.
pub(crate) async fn violations(
    State(state): State<WebState>,
    officer: Officer,
    Query(params): Query<QueueParams>,
) -> Result<Response, PageError> {
    require(&officer, OFFICERS)?;
    let lang = officer.lang;
    let page = state
        .register
        .violations(&access(&officer, ReadPurpose::Enforcement), ViolationStatus::Draft, PAGE, 0)
        .await
        .map_err(|e| PageError::from_register(lang, e))?;
    let today = state.register.today();
    let ctx = Ctx::of(&officer);
    let flash = flash_of(&ctx, &params.error);
    let items = page
        .items
        .iter()
        .map(|v| {
            let record = &v.violation;
            let (name, citizenship) = v.person.as_ref().map_or_else(
                || (TwoScripts { native: "—".into(), latin: "—".into() }, String::new()),
                |p| (TwoScripts::of(&p.details.name), p.details.citizenship.code().to_owned()),
            );
            ViolationItem {
                id: record.id.to_string(),
                person_href: format!("/persons/{}", record.person_id),
                name,
                citizenship,
                detected: ctx.date(&record.detected_on),
                days_waiting: (today - record.detected_on).get_days().into(),
                overstay_days: record.overstay.as_ref().map_or(0, |o| i64::from(o.overstay_days)),
            }
        })
        .collect();
    let fine_units = sapar_register::violation_kinds::violation_kinds()
        .map(|data| data.units(state.register.host_state()).to_vec())
        .unwrap_or_default();
    Ok(render(&ViolationsPage { ctx: ctx.with_flash(flash), total: page.total, items, fine_units }, lang))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DecisionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
    /// On confirmation: the article, the decision and the fine (all optional).
    #[serde(default)]
    article: String,
    #[serde(default)]
    decision_ref: String,
    #[serde(default)]
    fine_amount: String,
    #[serde(default)]
    fine_unit: String,
}

impl DecisionForm {
    fn penalty(&self) -> RawPenalty {
        let given = |t: &str| Some(t.trim().to_owned()).filter(|t| !t.is_empty());
        RawPenalty {
            article: given(&self.article),
            decision_ref: given(&self.decision_ref),
            fine: given(&self.fine_amount).map(|amount| RawFine { amount, unit: self.fine_unit.trim().to_owned() }),
        }
    }
}

fn after_decision(queue: &str, result: Result<(), RegisterError>, lang: crate::Lang) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(queue).into_response()),
        Err(RegisterError::NoteRequired) => Ok(Redirect::to(&format!("{queue}?error=note")).into_response()),
        Err(RegisterError::AlreadyDecided { .. }) => {
            Ok(Redirect::to(&format!("{queue}?error=decided")).into_response())
        }
        Err(RegisterError::Invalid(_)) => Ok(Redirect::to(&format!("{queue}?error=invalid")).into_response()),
        Err(e) => Err(PageError::from_register(lang, e)),
    }
}

/// `POST /queues/violations/{id}`: confirm or dismiss one draft.
pub(crate) async fn decide_violation(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    require(&officer, OFFICERS)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let id: uuid::Uuid = id.parse().map_err(|_| PageError::NotFound(lang))?;
    let verdict = match form.decision.as_str() {
        "confirm" => ViolationVerdict::Confirm,
        "dismiss" => ViolationVerdict::Dismiss,
        _ => return Ok(Redirect::to("/queues/violations?error=invalid").into_response()),
    };
    let result = state
        .register
        .decide_violation(&access(&officer, ReadPurpose::Enforcement), id, verdict, Some(&form.note), &form.penalty())
        .await
        .map(|_| ());
    after_decision("/queues/violations", result, lang)
}

pub(crate) struct Bar {
    field: String,
    weight: String,
    width: i64,
    positive: bool,
}

pub(crate) struct ReviewRow {
    id: String,
    a: TwoScripts,
    b: TwoScripts,
    a_birth: String,
    b_birth: String,
    a_href: String,
    b_href: String,
    probability: String,
    days_waiting: i64,
    bars: Vec<Bar>,
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    ctx: Ctx,
    pending: i64,
    items: Vec<ReviewRow>,
}

/// `GET /queues/review`: pairs waiting for a decision, most probable first.
pub(crate) async fn review(
    State(state): State<WebState>,
    officer: Officer,
    Query(params): Query<QueueParams>,
) -> Result<Response, PageError> {
    require(&officer, OFFICERS)?;
    let lang = officer.lang;
    let page = state
        .register
        .review_queue(&access(&officer, ReadPurpose::StayControl), PAGE, 0)
        .await
        .map_err(|e| PageError::from_register(lang, e))?;
    let now = state.register.now();
    let ctx = Ctx::of(&officer);
    let flash = flash_of(&ctx, &params.error);
    let items = page
        .items
        .iter()
        .map(|case| {
            let item = &case.item;
            let bars = case.explanation.as_ref().map_or_else(Vec::new, |e| {
                let scale = e.fields.iter().map(|f| f.weight.abs()).fold(1.0_f64, f64::max);
                e.fields
                    .iter()
                    .map(|f| Bar {
                        field: f.field.clone(),
                        weight: format!("{:+.1}", f.weight),
                        width: ((f.weight.abs() / scale) * 100.0).round() as i64,
                        positive: f.weight >= 0.0,
                    })
                    .collect()
            });
            ReviewRow {
                id: item.id.to_string(),
                a: TwoScripts::of(&item.person_a.details.name),
                b: TwoScripts::of(&item.person_b.details.name),
                a_birth: ctx.opt_date(&item.person_a.details.birth_date),
                b_birth: ctx.opt_date(&item.person_b.details.birth_date),
                a_href: format!("/persons/{}", item.person_a.id),
                b_href: format!("/persons/{}", item.person_b.id),
                probability: format!("{:.0} %", item.probability * 100.0),
                days_waiting: now.duration_since(item.created_at).as_hours() / 24,
                bars,
            }
        })
        .collect();
    Ok(render(&ReviewPage { ctx: ctx.with_flash(flash), pending: page.pending, items }, lang))
}

/// `POST /queues/review/{id}`: match or non-match.
pub(crate) async fn decide_review(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    require(&officer, OFFICERS)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let id: uuid::Uuid = id.parse().map_err(|_| PageError::NotFound(lang))?;
    let decision = match form.decision.as_str() {
        "match" => ReviewDecision::Match,
        "non_match" => ReviewDecision::NonMatch,
        _ => return Ok(Redirect::to("/queues/review?error=invalid").into_response()),
    };
    let result = state.register.decide_review(&officer.session.actor, id, decision, Some(&form.note)).await.map(|_| ());
    after_decision("/queues/review", result, lang)
}
