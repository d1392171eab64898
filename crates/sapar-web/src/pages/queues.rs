//! The officers' work queues: overstay violations drafted by the nightly sweep (confirm, or
//! dismiss with a note) and pairs of persons the linking run found possibly the same (match or
//! non-match, with the explanation as bars). Each row shows how many days it has waited.
//!
//! A violation or a pair is claimed before it is decided: its row offers "take" until someone
//! holds it, then the decision to its holder and the holder's name to everyone else. Ticked rows are
//! decided together after a confirmation page that lists what will be decided and what will be
//! skipped (taken by another officer, decided meanwhile).

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
    /// After a bulk decision: how many were decided and skipped.
    #[serde(default)]
    decided: Option<usize>,
    #[serde(default)]
    skipped: Option<usize>,
}

fn bulk_notice(ctx: &Ctx, params: &QueueParams) -> Option<String> {
    let decided = params.decided?;
    let skipped = params.skipped.unwrap_or(0);
    let decided = i64::try_from(decided).unwrap_or(i64::MAX);
    let skipped = i64::try_from(skipped).unwrap_or(i64::MAX);
    Some(format!("{} {}", ctx.tn("queue-bulk-decided", &decided), ctx.tn("queue-bulk-skipped", &skipped)))
}

pub(crate) struct ViolationItem {
    id: String,
    /// Who holds the claim on it, when someone does.
    claimed_by: Option<String>,
    /// Whether that is the reader.
    mine: bool,
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
    /// What a bulk decision just did.
    notice: Option<String>,
}

/// The claims in force on the items of `queue` (violations or review), by item.
async fn claims_by_item(
    state: &WebState,
    officer: &Officer,
    queue: Queue,
) -> Result<std::collections::HashMap<uuid::Uuid, String>, PageError> {
    let actor = &officer.session.actor;
    let claims = match queue {
        Queue::Violations => state.register.violation_claims(actor).await,
        Queue::Review => state.register.review_claims(actor).await,
    }
    .map_err(|e| PageError::from_register(officer.lang, e))?;
    Ok(claims.into_iter().map(|c| (c.item, c.by)).collect())
}

/// A work queue whose items are taken before they are decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Queue {
    Violations,
    Review,
}

impl Queue {
    /// The queue a path segment names (`violations`, `review`).
    fn parse(segment: &str) -> Option<Queue> {
        match segment {
            "violations" => Some(Queue::Violations),
            "review" => Some(Queue::Review),
            _ => None,
        }
    }

    fn path(self) -> &'static str {
        match self {
            Queue::Violations => "/queues/violations",
            Queue::Review => "/queues/review",
        }
    }

    /// The anchor of an item's row on the queue's page.
    fn anchor(self, id: uuid::Uuid) -> String {
        match self {
            Queue::Violations => format!("{}#violation-{id}", self.path()),
            Queue::Review => format!("{}#review-{id}", self.path()),
        }
    }
}

/// Takes (`take`) or gives back an item of `queue`, then back to the queue.
async fn take_or_release(
    state: &WebState,
    officer: &Officer,
    queue: Queue,
    id: &str,
    csrf: &str,
    take: bool,
) -> Result<Response, PageError> {
    require(officer, OFFICERS)?;
    officer.check_csrf(csrf)?;
    let lang = officer.lang;
    let id: uuid::Uuid = id.parse().map_err(|_| PageError::NotFound(lang))?;
    let actor = &officer.session.actor;
    let register = &state.register;
    let result = match (queue, take) {
        (Queue::Violations, true) => register.claim_violation(actor, id).await.map(|_| ()),
        (Queue::Review, true) => register.claim_review(actor, id).await.map(|_| ()),
        (Queue::Violations, false) => register.release_violation(actor, id).await,
        (Queue::Review, false) => register.release_review(actor, id).await,
    };
    match result {
        Ok(()) if take => Ok(Redirect::to(&queue.anchor(id)).into_response()),
        Ok(()) => Ok(Redirect::to(queue.path()).into_response()),
        other => after_decision(queue.path(), other, lang),
    }
}

fn access(officer: &Officer, purpose: ReadPurpose) -> Access {
    Access::new(officer.session.actor.clone(), purpose, AccessChannel::Web).from_address(officer.address)
}

fn flash_of(ctx: &Ctx, error: &str) -> Option<String> {
    match error {
        "" => None,
        "note" => Some(ctx.t("queue-note-required")),
        "decided" => Some(ctx.t("queue-already-decided")),
        "claimed" => Some(ctx.t("queue-claimed-by-other")),
        "none" => Some(ctx.t("queue-bulk-none")),
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
    let claims = claims_by_item(&state, &officer, Queue::Violations).await?;
    let me = officer.session.actor.name.clone();
    let ctx = Ctx::of(&officer);
    let flash = flash_of(&ctx, &params.error);
    let notice = bulk_notice(&ctx, &params);
    let items = page
        .items
        .iter()
        .map(|v| {
            let record = &v.violation;
            let (name, citizenship) = v.person.as_ref().map_or_else(
                || (TwoScripts { native: "—".into(), latin: "—".into() }, String::new()),
                |p| (TwoScripts::of(&p.details.name), p.details.citizenship.code().to_owned()),
            );
            let claimed_by = claims.get(&record.id).cloned();
            ViolationItem {
                mine: claimed_by.as_deref() == Some(me.as_str()),
                claimed_by,
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
    Ok(render(&ViolationsPage { ctx: ctx.with_flash(flash), total: page.total, items, fine_units, notice }, lang))
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
        Err(RegisterError::ClaimedByOther { .. }) => {
            Ok(Redirect::to(&format!("{queue}?error=claimed")).into_response())
        }
        Err(RegisterError::Invalid(_)) => Ok(Redirect::to(&format!("{queue}?error=invalid")).into_response()),
        Err(e) => Err(PageError::from_register(lang, e)),
    }
}

/// The verdict a form's `decision` names: `confirm` or `dismiss`.
fn verdict_of(decision: &str) -> Option<ViolationVerdict> {
    match decision {
        "confirm" => Some(ViolationVerdict::Confirm),
        "dismiss" => Some(ViolationVerdict::Dismiss),
        _ => None,
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
    let Some(verdict) = verdict_of(&form.decision) else {
        return Ok(Redirect::to("/queues/violations?error=invalid").into_response());
    };
    let result = state
        .register
        .decide_violation(&access(&officer, ReadPurpose::Enforcement), id, verdict, Some(&form.note), &form.penalty())
        .await
        .map(|_| ());
    after_decision("/queues/violations", result, lang)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /queues/{queue}/{id}/claim`: takes the violation or pair, then back to the queue.
pub(crate) async fn claim(
    State(state): State<WebState>,
    officer: Officer,
    Path((queue, id)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    let queue = Queue::parse(&queue).ok_or(PageError::NotFound(officer.lang))?;
    take_or_release(&state, &officer, queue, &id, &form.csrf, true).await
}

/// `POST /queues/{queue}/{id}/release`: gives the violation or pair back to the queue.
pub(crate) async fn release(
    State(state): State<WebState>,
    officer: Officer,
    Path((queue, id)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    let queue = Queue::parse(&queue).ok_or(PageError::NotFound(officer.lang))?;
    take_or_release(&state, &officer, queue, &id, &form.csrf, false).await
}

/// A row of the bulk confirmation page.
pub(crate) struct BulkRow {
    id: String,
    name: TwoScripts,
    /// Why it will be skipped, translated; `None` when it will be decided.
    skip: Option<String>,
}

#[derive(Template)]
#[template(path = "violations_bulk.html")]
struct BulkPage {
    ctx: Ctx,
    decision: String,
    decision_label: String,
    note: String,
    to_decide: Vec<BulkRow>,
    to_skip: Vec<BulkRow>,
}

/// The ticked ids, the decision and the note of a bulk form (`ids` repeats).
fn bulk_fields(pairs: &[(String, String)]) -> (Vec<uuid::Uuid>, String, String, String) {
    let mut ids = Vec::new();
    let (mut decision, mut note, mut csrf) = (String::new(), String::new(), String::new());
    for (key, value) in pairs {
        match key.as_str() {
            "ids" => ids.extend(value.parse::<uuid::Uuid>().ok()),
            "decision" => decision.clone_from(value),
            "note" => note.clone_from(value),
            "csrf" => csrf.clone_from(value),
            _ => {}
        }
    }
    (ids, decision, note, csrf)
}

/// `POST /queues/violations/bulk`: the confirmation page for the ticked rows — what will be
/// decided, and what will be skipped and why. Nothing is decided yet.
pub(crate) async fn bulk_preview(
    State(state): State<WebState>,
    officer: Officer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require(&officer, OFFICERS)?;
    let (ids, decision, note, csrf) = bulk_fields(&pairs);
    officer.check_csrf(&csrf)?;
    let lang = officer.lang;
    let decision_key = match verdict_of(&decision) {
        Some(ViolationVerdict::Confirm) => "violation-confirm",
        Some(ViolationVerdict::Dismiss) => "violation-dismiss",
        None => return Ok(Redirect::to("/queues/violations?error=invalid").into_response()),
    };
    if ids.is_empty() {
        return Ok(Redirect::to("/queues/violations?error=none").into_response());
    }
    if decision == "dismiss" && note.trim().is_empty() {
        return Ok(Redirect::to("/queues/violations?error=note").into_response());
    }
    let claims = claims_by_item(&state, &officer, Queue::Violations).await?;
    let me = officer.session.actor.name.clone();
    let ctx = Ctx::of(&officer);
    let access = access(&officer, ReadPurpose::Enforcement);
    let (mut to_decide, mut to_skip) = (Vec::new(), Vec::new());
    for id in ids.iter().take(sapar_register::queues::MAX_BULK) {
        let found = match state.register.violation(&access, *id).await {
            Ok(found) => found,
            Err(RegisterError::NotFound(_)) => continue,
            Err(e) => return Err(PageError::from_register(lang, e)),
        };
        let name = found
            .person
            .as_ref()
            .map_or_else(|| TwoScripts { native: "—".into(), latin: "—".into() }, |p| TwoScripts::of(&p.details.name));
        let skip = if found.violation.status != ViolationStatus::Draft {
            Some(ctx.t("queue-skip-decided"))
        } else {
            match claims.get(id) {
                Some(holder) if *holder != me => Some(format!("{} {holder}", ctx.t("queue-skip-claimed"))),
                _ => None,
            }
        };
        let row = BulkRow { id: id.to_string(), name, skip };
        if row.skip.is_some() { to_skip.push(row) } else { to_decide.push(row) }
    }
    let page = BulkPage { decision_label: ctx.t(decision_key), ctx, decision, note, to_decide, to_skip };
    Ok(render(&page, lang))
}

/// `POST /queues/violations/bulk/confirm`: claims and decides the confirmed rows, then back to
/// the queue with how many were decided and skipped.
pub(crate) async fn bulk_decide(
    State(state): State<WebState>,
    officer: Officer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require(&officer, OFFICERS)?;
    let (ids, decision, note, csrf) = bulk_fields(&pairs);
    officer.check_csrf(&csrf)?;
    let lang = officer.lang;
    let Some(verdict) = verdict_of(&decision) else {
        return Ok(Redirect::to("/queues/violations?error=invalid").into_response());
    };
    let note = Some(note.as_str()).filter(|n| !n.trim().is_empty());
    match state.register.decide_violations(&access(&officer, ReadPurpose::Enforcement), &ids, verdict, note).await {
        Ok(outcome) => Ok(Redirect::to(&format!(
            "/queues/violations?decided={}&skipped={}",
            outcome.decided.len(),
            outcome.skipped.len()
        ))
        .into_response()),
        Err(e) => after_decision("/queues/violations", Err(e), lang),
    }
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
    /// Who holds the claim on it, when someone does.
    claimed_by: Option<String>,
    /// The signed-in officer holds it: the decision form is theirs.
    mine: bool,
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
    let claims = claims_by_item(&state, &officer, Queue::Review).await?;
    let me = officer.session.actor.name.clone();
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
                mine: claims.get(&item.id).map(String::as_str) == Some(me.as_str()),
                claimed_by: claims.get(&item.id).cloned(),
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
