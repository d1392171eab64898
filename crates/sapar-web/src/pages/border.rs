//! The border desk: paste or scan a machine-readable zone, see the advice (admit, refer, refuse)
//! first, the person (or "new"), every check with its legal basis and the persons who may be the
//! traveller on another document, then record the entry or exit with one keystroke (the record
//! button has the focus), or refuse entry on a ground from the closed list. The crossing point is
//! chosen from the host state's posts. The form carries the crossing's id, so a double submit
//! records once.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sapar_model::{PersonId, RawCrossing, ReadPurpose, RefusalGround, Role};
use sapar_register::RegisterError;
use sapar_register::access::{Access, AccessChannel};
use sapar_register::border::{Advice, BorderCheck, Check, Finding};
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
    #[serde(default)]
    refusal_ground: String,
    #[serde(default)]
    refusal_note: String,
}

/// A crossing point the desk offers.
pub(crate) struct PointOption {
    code: String,
    name: String,
    selected: bool,
}

/// A ground of refusal the desk offers.
pub(crate) struct GroundOption {
    code: &'static str,
    name: String,
    selected: bool,
}

/// The ground of refusal a check's finding points to, if it advises refusal.
fn ground_of(check: &Check) -> Option<RefusalGround> {
    if check.advice != Advice::Refuse {
        return None;
    }
    match check.finding {
        Finding::EntryBan { .. } => Some(RefusalGround::EntryBan),
        Finding::DocumentExpired { .. } => Some(RefusalGround::InvalidDocument),
        Finding::Stay { .. } => Some(RefusalGround::NoDaysLeft),
        _ => None,
    }
}

pub(crate) struct CheckView {
    name: TwoScripts,
    document: String,
    birth_date: String,
    citizenship: String,
    person_href: Option<String>,
    /// `admit`, `refer` or `refuse`, for the page's id and tests.
    advice: &'static str,
    advice_text: String,
    /// The GOV.UK tag colour of the advice.
    advice_class: &'static str,
    checks: Vec<CheckLine>,
    candidates: Vec<CandidateLine>,
    days_used: Option<i64>,
    days_left: Option<i64>,
}

/// One check as the desk shows it.
pub(crate) struct CheckLine {
    code: &'static str,
    advice_text: String,
    advice_class: &'static str,
    text: String,
    basis: String,
}

/// A person who may be the traveller, linked to their record.
pub(crate) struct CandidateLine {
    name: TwoScripts,
    href: String,
    birth_date: String,
    citizenship: String,
    documents: String,
    probability: String,
}

fn advice_of(ctx: &Ctx, advice: Advice) -> (String, &'static str) {
    match advice {
        Advice::Admit => (ctx.t("advice-admit"), "govuk-tag--green"),
        Advice::Refer => (ctx.t("advice-refer"), "govuk-tag--yellow"),
        Advice::Refuse => (ctx.t("advice-refuse"), "govuk-tag--red"),
    }
}

/// Whose record a finding is about: the holder's, or the named candidate's.
fn whose(ctx: &Ctx, check: &BorderCheck, person_id: PersonId, candidate: bool) -> String {
    if !candidate {
        return ctx.t("finding-overstay-of-holder");
    }
    let name = check
        .candidates
        .iter()
        .find(|c| c.person.id == person_id)
        .map(|c| {
            let name = TwoScripts::of(&c.person.details.name);
            format!("{} ({})", name.native, name.latin)
        })
        .unwrap_or_default();
    format!("{} {name}", ctx.t("finding-overstay-of-candidate"))
}

/// What a check found, in the officer's language.
fn finding_text(ctx: &Ctx, check: &BorderCheck, finding: &Finding) -> String {
    match finding {
        Finding::DocumentExpired { expiry } => format!("{} {}", ctx.t("finding-document-expired"), ctx.date(expiry)),
        Finding::Overstaying { days, .. } => {
            format!("{} {}", ctx.t("finding-overstaying"), ctx.tn("days-count", &i64::from(*days)))
        }
        Finding::EntryBan { person_id, candidate, until, ground, decision_ref, .. } => format!(
            "{} {} ({}; {decision_ref}), {}",
            ctx.t("finding-entry-ban"),
            ctx.date(until),
            ctx.t(&format!("ban-ground-{}", ground.as_str().replace('_', "-"))),
            whose(ctx, check, *person_id, *candidate),
        ),
        Finding::OverstayHistory { person_id, candidate, violations, longest_days, .. } => {
            let whose = whose(ctx, check, *person_id, *candidate);
            format!(
                "{} {} ({} {}), {whose}",
                ctx.t("finding-overstay-history"),
                ctx.num(&(*violations as i64)),
                ctx.t("finding-overstay-longest"),
                ctx.tn("days-count", &i64::from(*longest_days)),
            )
        }
        Finding::StayNotJudged { code, .. } if finding.code() == "no_stay_rule" => {
            format!("{} ({code})", ctx.t("finding-no-stay-rule"))
        }
        Finding::StayNotJudged { code, .. } => format!("{} {code}", ctx.t("finding-stay-not-judged")),
        Finding::Stay { days_used, days_left, .. } => {
            let mut parts = Vec::new();
            if let Some(used) = days_used {
                parts.push(format!("{} {}", ctx.t("stay-days-used"), ctx.tn("days-count", &i64::from(*used))));
            }
            if let Some(left) = days_left {
                parts.push(format!("{} {}", ctx.t("stay-days-left"), ctx.tn("days-count", &i64::from(*left))));
            }
            format!("{} {}", ctx.t("finding-stay"), parts.join("; "))
        }
        Finding::PurposeNotAllowed { purpose, rule_id } => {
            format!("{} {} ({rule_id})", ctx.t("finding-purpose-not-allowed"), purpose.as_str())
        }
        Finding::NewPerson => ctx.t("finding-new-person"),
    }
}

fn check_line(ctx: &Ctx, check: &BorderCheck, c: &Check) -> CheckLine {
    let (advice_text, advice_class) = advice_of(ctx, c.advice);
    CheckLine {
        code: c.finding.code(),
        advice_text,
        advice_class,
        text: finding_text(ctx, check, &c.finding),
        basis: c.basis.clone().unwrap_or_default(),
    }
}

fn check_view(ctx: &Ctx, check: &BorderCheck) -> CheckView {
    let details = check.details();
    let (advice_text, advice_class) = advice_of(ctx, check.advice);
    CheckView {
        name: details
            .map_or_else(|| TwoScripts { native: "—".to_owned(), latin: "—".to_owned() }, |d| TwoScripts::of(&d.name)),
        document: check.submission.document.key.to_string(),
        birth_date: details.map(|d| ctx.opt_date(&d.birth_date)).unwrap_or_default(),
        citizenship: details.map(|d| d.citizenship.code().to_owned()).unwrap_or_default(),
        person_href: check.person.as_ref().map(|p| format!("/persons/{}?purpose=border_check", p.person.id)),
        advice: check.advice.as_str(),
        advice_text,
        advice_class,
        checks: check.checks.iter().map(|c| check_line(ctx, check, c)).collect(),
        candidates: check
            .candidates
            .iter()
            .map(|c| CandidateLine {
                name: TwoScripts::of(&c.person.details.name),
                href: format!("/persons/{}?purpose=border_check", c.person.id),
                birth_date: ctx.opt_date(&c.person.details.birth_date),
                citizenship: c.person.details.citizenship.code().to_owned(),
                documents: c.person.documents.iter().map(|d| d.key.to_string()).collect::<Vec<_>>().join(", "),
                probability: format!("{} %", ctx.num(&((c.probability * 100.0).floor() as i64))),
            })
            .collect(),
        days_used: check.stay.as_ref().map(|s| i64::from(s.days_used)),
        days_left: check.stay.as_ref().and_then(|s| s.days_left).map(i64::from),
    }
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
    /// The host state's posts; empty when it has no list (the desk then takes a typed code).
    points: Vec<PointOption>,
    grounds: Vec<GroundOption>,
}

/// What the officer records: the traveller entered, left, or was refused entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Entry,
    Exit,
    Refuse,
}

fn raw(form: &DeskForm, action: Action, at: jiff::Timestamp) -> RawCrossing {
    let refused = action == Action::Refuse;
    let direction = if action == Action::Exit { "exit" } else { "entry" };
    let given = |s: &str| (refused && !s.trim().is_empty()).then(|| s.trim().to_owned());
    RawCrossing {
        outcome: refused.then(|| "refused".to_owned()),
        refusal_ground: given(&form.refusal_ground),
        refusal_note: given(&form.refusal_note),
        id: (!form.crossing_id.is_empty()).then(|| form.crossing_id.clone()),
        mrz: Some(form.mrz.chars().take(400).collect()),
        direction: Some(direction.to_owned()),
        at: Some(at.to_string()),
        crossing_point: Some(form.point.trim().to_owned()),
        purpose: Some("other".to_owned()),
        ..RawCrossing::default()
    }
}

fn page(state: &WebState, officer: &Officer, form: &DeskForm) -> Result<DeskPage, PageError> {
    let ctx = Ctx::of(officer);
    let point: String = form.point.chars().take(40).collect();
    let posts = state
        .register
        .crossing_points(&officer.session.actor)
        .map_err(|e| PageError::from_register(officer.lang, e))?;
    let points = posts
        .iter()
        .map(|p| PointOption {
            code: p.code.as_str().to_owned(),
            name: format!("{} ({})", p.name(officer.lang.tag()), p.code),
            selected: p.code.as_str() == point,
        })
        .collect();
    let grounds = RefusalGround::ALL
        .iter()
        .map(|g| GroundOption {
            code: g.as_str(),
            name: ctx.t(&format!("refusal-ground-{}", g.as_str().replace('_', "-"))),
            selected: false,
        })
        .collect();
    Ok(DeskPage {
        ctx,
        mrz: form.mrz.chars().take(400).collect(),
        point,
        check: None,
        crossing_id: uuid::Uuid::now_v7().to_string(),
        recorded: None,
        points,
        grounds,
    })
}

/// `GET /border`: the empty desk.
pub(crate) async fn desk(State(state): State<WebState>, officer: Officer) -> Result<Response, PageError> {
    require(&officer, DESK)?;
    Ok(render(&page(&state, &officer, &DeskForm::default())?, officer.lang))
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
    let mut desk = page(&state, &officer, &form)?;
    // The check validates the crossing with the id the record form will carry.
    let form = DeskForm { crossing_id: desk.crossing_id.clone(), ..form };
    let now = state.register.now();
    match state.register.border_check(&border_access(&officer), &raw(&form, Action::Entry, now)).await {
        Ok(check) => {
            // The refusal form offers first the ground of the first check that advises refusal.
            if let Some(ground) = check.checks.iter().find_map(ground_of) {
                for option in &mut desk.grounds {
                    option.selected = option.code == ground.as_str();
                }
            }
            desk.check = Some(check_view(&desk.ctx, &check));
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
    let action = match form.direction.as_str() {
        "exit" => Action::Exit,
        "refuse" => Action::Refuse,
        _ => Action::Entry,
    };
    let now = state.register.now();
    let mut desk = page(&state, &officer, &form)?;
    match state.register.record_crossing(&officer.session.actor, &raw(&form, action, now)).await {
        Ok(_) => {
            // The next traveller: the desk keeps the crossing point only. The stay was shown (and
            // its read logged) by the check before.
            desk.mrz = String::new();
            desk.recorded = Some(desk.ctx.t(match action {
                Action::Entry => "recorded-entry",
                Action::Exit => "recorded-exit",
                Action::Refuse => "recorded-refusal",
            }));
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
