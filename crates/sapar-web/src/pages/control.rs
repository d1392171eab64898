//! The control register at the migration officer's desk: the register's list (active or removed
//! entries, a page at a time, with the removal applications awaiting a decision and the overdue
//! ones flagged), an entry's page (ground and legal basis, the decision, the restrictions that
//! follow, the notices sent with the printable notice, the removal applications with their
//! deadlines, the removal history), and the forms: including a person, recording a notice, filing
//! and deciding a removal application, and removing an entry whose decision was cancelled.
//!
//! Every page showing a person asks the purpose first and is a logged read under it; every form
//! carries the purpose along to return to the entry under it. A refused form comes back with
//! what was typed, an error summary linking to each field at fault and the field marked invalid.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::{PersonId, ReadPurpose, Role};
use sapar_register::access::{Access, AccessChannel};
use sapar_register::control::{EntryFile, RawApplication, RawDecision, RawInclusion, RawNotice};
use sapar_register::records::{
    Applicant, ApplicationDecision, ApplicationGrounds, ApplicationStatus, ControlEntry, ControlGround, NoticeChannel,
    RemovalApplication,
};
use serde::Deserialize;
use uuid::Uuid;

use super::form::{FieldError, error_of, form_errors};
use super::{purpose_prompt, require};
use crate::WebState;
use crate::i18n::Lang;
use crate::page::{Ctx, PageError, TwoScripts, render};
use crate::session::Officer;

/// Who includes, records notices, files and decides applications, and reads the list.
const DECIDERS: &[Role] = &[Role::Officer];
/// Who reads an entry (from the person page).
const READERS: &[Role] = &[Role::Officer, Role::Border];
/// Entries on one page of the list.
const PAGE: u32 = 25;

/// The translation key of a closed-list value: `prefix-value-with-hyphens`.
pub(crate) fn key(prefix: &str, code: &str) -> String {
    format!("{prefix}-{}", code.replace('_', "-"))
}

/// The purpose a form carried, or enforcement (the control register's own purpose).
fn purpose_of(text: &str) -> ReadPurpose {
    ReadPurpose::parse(text).unwrap_or(ReadPurpose::Enforcement)
}

/// The entry's page under `purpose`, at `anchor`.
fn entry_href(entry: Uuid, purpose: ReadPurpose, anchor: &str) -> String {
    format!("/control-register/{entry}?purpose={}{anchor}", purpose.as_str())
}

fn uuid_of(text: &str, lang: Lang) -> Result<Uuid, PageError> {
    text.parse::<Uuid>().map_err(|_| PageError::NotFound(lang))
}

/// The read of `officer` under `purpose` with its note, from the officer's address.
pub(crate) fn access(officer: &Officer, purpose: ReadPurpose, note: &str) -> Result<Access, PageError> {
    Access::new(officer.session.actor.clone(), purpose, AccessChannel::Web)
        .from_address(officer.address)
        .with_note(Some(note))
        .map_err(|_| PageError::Forbidden(officer.lang))
}

/// A value of a closed list as a form offers it.
pub(crate) struct Choice {
    code: &'static str,
    label_key: String,
    selected: bool,
}

fn choices<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str, prefix: &str, chosen: &str) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice { code: name(*v), label_key: key(prefix, name(*v)), selected: name(*v) == chosen.trim() })
        .collect()
}

/// The query of a page showing persons: the purpose (asked when absent) and its note.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ReadParams {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    note: String,
    /// `active` (default) or `removed`, on the list.
    #[serde(default)]
    status: String,
    /// The list's page, from 1.
    #[serde(default)]
    page: String,
    /// The notice's second language, on the printable notice (not `lang`, which switches the
    /// workplace's own language).
    #[serde(default)]
    second: String,
    /// The entry a decision form returns to.
    #[serde(default)]
    entry: String,
}

// ---------------------------------------------------------------------------------------------
// The list

/// An application's deadline as the list shows it.
pub(crate) struct Due {
    due: String,
    overdue: bool,
}

pub(crate) struct ListRow {
    href: String,
    name: TwoScripts,
    citizenship: String,
    ground_key: String,
    included: String,
    /// Undecided applications, earliest deadline first.
    applications: Vec<Due>,
    /// The day and the reason's key, for a removed entry.
    removed: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "control_list.html")]
struct ListPage {
    ctx: Ctx,
    active: bool,
    total: i64,
    overdue: i64,
    rows: Vec<ListRow>,
    active_href: String,
    removed_href: String,
    page: i64,
    previous_href: Option<String>,
    next_href: Option<String>,
}

fn name_of(person: Option<&sapar_model::Person>) -> (TwoScripts, String) {
    person.map_or_else(
        || (TwoScripts { native: "—".into(), latin: "—".into() }, String::new()),
        |p| (TwoScripts::of(&p.details.name), p.details.citizenship.code().to_owned()),
    )
}

/// `GET /control-register`: the purpose form, then a page of active (or removed) entries with
/// their pending applications, the overdue ones flagged.
pub(crate) async fn list(
    State(state): State<WebState>,
    officer: Officer,
    Query(params): Query<ReadParams>,
) -> Result<Response, PageError> {
    require(&officer, DECIDERS)?;
    let lang = officer.lang;
    let active = params.status != "removed";
    let status = if active { "active" } else { "removed" };
    let Some(purpose) = ReadPurpose::parse(&params.purpose) else {
        let hidden = vec![("status", status.to_owned())];
        let prompt = purpose_prompt(
            &officer,
            "/control-register".to_owned(),
            hidden,
            Some(ReadPurpose::Enforcement),
            &params.note,
        );
        return Ok(prompt);
    };
    let access = access(&officer, purpose, &params.note)?;
    let page_no = params.page.trim().parse::<u32>().unwrap_or(1).clamp(1, 100_000);
    let register = &state.register;
    let page = register
        .control_entries(&access, active, PAGE, (page_no - 1) * PAGE)
        .await
        .map_err(|e| PageError::from_register(lang, e))?;
    let actor = &officer.session.actor;
    let mut undecided = register
        .removal_applications(actor, ApplicationStatus::Overdue)
        .await
        .map_err(|e| PageError::from_register(lang, e))?;
    undecided.extend(
        register
            .removal_applications(actor, ApplicationStatus::Pending)
            .await
            .map_err(|e| PageError::from_register(lang, e))?,
    );
    undecided.sort_by_key(|a| a.due_on);
    let today = register.today();
    let ctx = Ctx::of(&officer);
    let rows: Vec<ListRow> = page
        .items
        .iter()
        .map(|entry| {
            let (name, citizenship) = name_of(page.person_of(entry));
            ListRow {
                href: entry_href(entry.id, purpose, ""),
                name,
                citizenship,
                ground_key: key("control-ground", entry.ground.as_str()),
                included: ctx.date(&entry.included_at.to_zoned(jiff::tz::TimeZone::UTC).date()),
                applications: undecided
                    .iter()
                    .filter(|a| a.entry_id == entry.id)
                    .map(|a| Due { due: ctx.date(&a.due_on), overdue: a.is_overdue_on(today) })
                    .collect(),
                removed: entry.removal.as_ref().map(|r| {
                    (
                        ctx.date(&r.at.to_zoned(jiff::tz::TimeZone::UTC).date()),
                        key("control-removal", r.reason.as_str()),
                    )
                }),
            }
        })
        .collect();
    let overdue = rows.iter().flat_map(|r| &r.applications).filter(|a| a.overdue).count();
    let here =
        |status: &str, page: u32| format!("/control-register?status={status}&page={page}&purpose={}", purpose.as_str());
    let shown_until = i64::from(page_no) * i64::from(PAGE);
    let list = ListPage {
        active,
        total: page.total,
        overdue: i64::try_from(overdue).unwrap_or(i64::MAX),
        rows,
        active_href: here("active", 1),
        removed_href: here("removed", 1),
        page: i64::from(page_no),
        previous_href: (page_no > 1).then(|| here(status, page_no - 1)),
        next_href: (shown_until < page.total).then(|| here(status, page_no + 1)),
        ctx,
    };
    Ok(render(&list, lang))
}

// ---------------------------------------------------------------------------------------------
// The entry

pub(crate) struct NoticeRow {
    channel_key: String,
    sent_on: String,
    recorded_by: String,
}

pub(crate) struct DecisionView {
    granted: bool,
    reasons: String,
    appeal_route: Option<String>,
    by: String,
    at: String,
}

pub(crate) struct ApplicationRow {
    id: String,
    filed_on: String,
    applicant_key: String,
    applicant_name: String,
    grounds_key: String,
    statement: String,
    documents: Vec<String>,
    due: String,
    overdue: bool,
    decision: Option<DecisionView>,
    /// The decision form, for a migration officer and an undecided application.
    decide_href: Option<String>,
}

pub(crate) struct HistoryRow {
    at: Timestamp,
    when: String,
    label_key: String,
    detail: String,
    by: String,
}

fn application_row(
    ctx: &Ctx,
    a: &RemovalApplication,
    today: Date,
    decide: Option<(Uuid, ReadPurpose)>,
) -> ApplicationRow {
    ApplicationRow {
        id: a.id.to_string(),
        filed_on: ctx.date(&a.filed_on),
        applicant_key: key("control-applicant", a.applicant.as_str()),
        applicant_name: a.applicant_name.clone(),
        grounds_key: key("control-application-ground", a.grounds.as_str()),
        statement: a.statement.clone(),
        documents: a.documents.clone(),
        due: ctx.date(&a.due_on),
        overdue: a.is_overdue_on(today),
        decision: a.decision.as_ref().map(|d| DecisionView {
            granted: d.decision == ApplicationDecision::Grant,
            reasons: d.reasons.clone(),
            appeal_route: d.appeal_route.clone(),
            by: d.by.clone(),
            at: ctx.at(&d.at),
        }),
        decide_href: decide.filter(|_| a.decision.is_none()).map(|(entry, purpose)| {
            format!("/removal-applications/{}/decide?entry={entry}&purpose={}", a.id, purpose.as_str())
        }),
    }
}

/// Inclusion, notices, applications, decisions and the removal, in the order they happened.
fn history(ctx: &Ctx, file: &EntryFile) -> Vec<HistoryRow> {
    let entry = &file.entry;
    let mut rows = vec![HistoryRow {
        at: entry.included_at,
        when: ctx.at(&entry.included_at),
        label_key: "control-history-included".into(),
        detail: ctx.t(&key("control-ground", entry.ground.as_str())),
        by: entry.decided_by.clone(),
    }];
    for n in &file.notices {
        rows.push(HistoryRow {
            at: n.recorded_at,
            when: ctx.at(&n.recorded_at),
            label_key: "control-history-notice".into(),
            detail: format!("{}, {}", ctx.t(&key("control-channel", n.channel.as_str())), ctx.date(&n.sent_on)),
            by: n.recorded_by.clone(),
        });
    }
    for a in &file.applications {
        rows.push(HistoryRow {
            at: a.filed_at,
            when: ctx.at(&a.filed_at),
            label_key: "control-history-filed".into(),
            detail: format!("{}: {}", ctx.t(&key("control-applicant", a.applicant.as_str())), a.applicant_name),
            by: a.filed_by.clone(),
        });
        if let Some(d) = &a.decision {
            let label = match d.decision {
                ApplicationDecision::Grant => "control-history-granted",
                ApplicationDecision::Deny => "control-history-denied",
            };
            rows.push(HistoryRow {
                at: d.at,
                when: ctx.at(&d.at),
                label_key: label.into(),
                detail: d.reasons.clone(),
                by: d.by.clone(),
            });
        }
    }
    if let Some(r) = &entry.removal {
        let reason = ctx.t(&key("control-removal", r.reason.as_str()));
        rows.push(HistoryRow {
            at: r.at,
            when: ctx.at(&r.at),
            label_key: "control-history-removed".into(),
            detail: r.note.as_ref().map_or_else(|| reason.clone(), |note| format!("{reason}: {note}")),
            by: r.by.clone(),
        });
    }
    rows.sort_by_key(|r| r.at);
    rows
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct NoticeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    sent_on: String,
}

#[derive(Template)]
#[template(path = "control_entry.html")]
struct EntryPage {
    ctx: Ctx,
    id: String,
    name: TwoScripts,
    citizenship: String,
    person_href: String,
    purpose_key: String,
    active: bool,
    ground_key: String,
    basis: String,
    decision_ref: String,
    decided_on: String,
    decided_by: String,
    included_at: String,
    restriction_keys: Vec<String>,
    notices: Vec<NoticeRow>,
    applications: Vec<ApplicationRow>,
    history: Vec<HistoryRow>,
    /// The printable notice, for a migration officer.
    notice_href: Option<String>,
    /// The notice form, for a migration officer and an active entry.
    notice_form: Option<NoticeForm>,
    channels: Vec<Choice>,
    errors: Vec<FieldError>,
    apply_href: Option<String>,
    cancel_href: Option<String>,
}

impl EntryPage {
    /// The message for `field`, if it is at fault.
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

/// `GET /control-register/{id}`: the purpose form, then the entry.
pub(crate) async fn entry(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Query(params): Query<ReadParams>,
) -> Result<Response, PageError> {
    require(&officer, READERS)?;
    let lang = officer.lang;
    let id = uuid_of(&id, lang)?;
    let Some(purpose) = ReadPurpose::parse(&params.purpose) else {
        let action = format!("/control-register/{id}");
        return Ok(purpose_prompt(&officer, action, Vec::new(), Some(ReadPurpose::Enforcement), &params.note));
    };
    let access = access(&officer, purpose, &params.note)?;
    let file = state.register.control_entry(&access, id).await.map_err(|e| PageError::from_register(lang, e))?;
    let today = state.register.today();
    let form = NoticeForm { sent_on: today.to_string(), ..NoticeForm::default() };
    Ok(render(&entry_page(&officer, &file, purpose, today, form, Vec::new()), lang))
}

fn entry_page(
    officer: &Officer,
    file: &EntryFile,
    purpose: ReadPurpose,
    today: Date,
    form: NoticeForm,
    errors: Vec<FieldError>,
) -> EntryPage {
    let ctx = Ctx::of(officer);
    let entry: &ControlEntry = &file.entry;
    let decider = officer.session.actor.role == Role::Officer;
    let active = entry.is_active();
    let (name, citizenship) = name_of(file.person.as_ref());
    let person = file.person.as_ref().map_or(entry.person_id, |p| p.id);
    let channels = choices(NoticeChannel::ALL, NoticeChannel::as_str, "control-channel", &form.channel);
    EntryPage {
        id: entry.id.to_string(),
        name,
        citizenship,
        person_href: format!("/persons/{person}?purpose={}#control", purpose.as_str()),
        purpose_key: key("purpose", purpose.as_str()),
        active,
        ground_key: key("control-ground", entry.ground.as_str()),
        basis: entry.basis.clone().unwrap_or_else(|| "—".to_owned()),
        decision_ref: entry.decision_ref.clone(),
        decided_on: ctx.opt_date(&entry.decided_on),
        decided_by: entry.decided_by.clone(),
        included_at: ctx.at(&entry.included_at),
        restriction_keys: entry.ground.restrictions().iter().map(|r| key("control-restriction", r.as_str())).collect(),
        notices: file
            .notices
            .iter()
            .map(|n| NoticeRow {
                channel_key: key("control-channel", n.channel.as_str()),
                sent_on: ctx.date(&n.sent_on),
                recorded_by: n.recorded_by.clone(),
            })
            .collect(),
        applications: file
            .applications
            .iter()
            .map(|a| application_row(&ctx, a, today, decider.then_some((entry.id, purpose))))
            .collect(),
        history: history(&ctx, file),
        notice_href: decider.then(|| format!("/control-register/{}/notice?purpose={}", entry.id, purpose.as_str())),
        notice_form: (decider && active).then_some(NoticeForm { purpose: purpose.as_str().to_owned(), ..form }),
        channels,
        errors,
        apply_href: (decider && active)
            .then(|| format!("/control-register/{}/applications/new?purpose={}", entry.id, purpose.as_str())),
        cancel_href: (decider && active)
            .then(|| format!("/control-register/{}/cancel?purpose={}", entry.id, purpose.as_str())),
        ctx,
    }
}

/// `POST /control-register/{id}/notices`: records a notice and returns to the entry, or shows
/// the entry again (a logged read under the form's purpose) with what is wrong.
pub(crate) async fn record_notice(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<NoticeForm>,
) -> Result<Response, PageError> {
    require(&officer, DECIDERS)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let id = uuid_of(&id, lang)?;
    let purpose = purpose_of(&form.purpose);
    let raw = RawNotice { channel: form.channel.clone(), sent_on: form.sent_on.clone() };
    match state.register.record_control_notice(&officer.session.actor, id, &raw).await {
        Ok(_) => Ok(Redirect::to(&entry_href(id, purpose, "#notices")).into_response()),
        Err(e) => {
            let errors = form_errors(lang, e).map_err(|e| PageError::from_register(lang, e))?;
            let access = access(&officer, purpose, "")?;
            let file =
                state.register.control_entry(&access, id).await.map_err(|e| PageError::from_register(lang, e))?;
            let page = entry_page(&officer, &file, purpose, state.register.today(), form, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page, lang)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "control_notice.html")]
struct NoticePage {
    ctx: Ctx,
    back: String,
    /// The notice's lines, Russian first; an empty line separates paragraphs.
    lines: Vec<String>,
    /// Other second languages: endonym and link.
    others: Vec<(&'static str, &'static str, String)>,
}

/// `GET /control-register/{id}/notice`: the purpose form, then the printable notice in Russian
/// and the person's language (or the one `?second=` names).
pub(crate) async fn notice(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Query(params): Query<ReadParams>,
) -> Result<Response, PageError> {
    require(&officer, DECIDERS)?;
    let lang = officer.lang;
    let id = uuid_of(&id, lang)?;
    let Some(purpose) = ReadPurpose::parse(&params.purpose) else {
        let action = format!("/control-register/{id}/notice");
        return Ok(purpose_prompt(&officer, action, Vec::new(), Some(ReadPurpose::Enforcement), &params.note));
    };
    let access = access(&officer, purpose, &params.note)?;
    let second = Some(params.second.as_str()).filter(|l| Lang::parse(l).is_some());
    let text =
        state.register.control_notice_text(&access, id, second).await.map_err(|e| PageError::from_register(lang, e))?;
    let others = Lang::ALL
        .into_iter()
        .filter(|l| *l != Lang::Ru)
        .map(|l| {
            let href = format!("/control-register/{id}/notice?purpose={}&second={}", purpose.as_str(), l.tag());
            (l.tag(), l.endonym(), href)
        })
        .collect();
    let page = NoticePage {
        ctx: Ctx::of(&officer),
        back: entry_href(id, purpose, "#notices"),
        lines: text.text.lines().map(str::to_owned).collect(),
        others,
    };
    Ok(render(&page, lang))
}

// ---------------------------------------------------------------------------------------------
// Inclusion

#[derive(Debug, Default, Deserialize)]
pub(crate) struct IncludeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    ground: String,
    #[serde(default)]
    decision_ref: String,
    #[serde(default)]
    decided_on: String,
    #[serde(default)]
    basis: String,
}

#[derive(Template)]
#[template(path = "control_include_form.html")]
struct IncludePage {
    ctx: Ctx,
    person: String,
    back: String,
    form: IncludeForm,
    grounds: Vec<Choice>,
    errors: Vec<FieldError>,
    /// The entry already listing the person, when that is why the form was refused.
    listed_href: Option<String>,
}

impl IncludePage {
    /// The message for `field`, if it is at fault.
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

fn include_page(officer: &Officer, person: PersonId, form: IncludeForm, errors: Vec<FieldError>) -> IncludePage {
    let purpose = purpose_of(&form.purpose);
    IncludePage {
        ctx: Ctx::of(officer),
        person: person.to_string(),
        back: format!("/persons/{person}?purpose={}#control", purpose.as_str()),
        grounds: choices(ControlGround::ALL, ControlGround::as_str, "control-ground", &form.ground),
        form,
        errors,
        listed_href: None,
    }
}

fn person_id(id: &str, lang: Lang) -> Result<PersonId, PageError> {
    uuid_of(id, lang).map(PersonId::from_uuid)
}

/// `GET /persons/{id}/control/new`: the empty inclusion form.
pub(crate) async fn include_form(
    officer: Officer,
    Path(id): Path<String>,
    Query(params): Query<ReadParams>,
) -> Result<Response, PageError> {
    require(&officer, DECIDERS)?;
    let person = person_id(&id, officer.lang)?;
    let form = IncludeForm { purpose: params.purpose, ..IncludeForm::default() };
    Ok(render(&include_page(&officer, person, form, Vec::new()), officer.lang))
}

/// `POST /persons/{id}/control`: includes the person and opens the entry, or shows the form
/// again with what is wrong.
pub(crate) async fn include(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<IncludeForm>,
) -> Result<Response, PageError> {
    require(&officer, DECIDERS)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let person = person_id(&id, lang)?;
    let raw = RawInclusion {
        ground: Some(form.ground.clone()),
        decision_ref: Some(form.decision_ref.clone()),
        decided_on: Some(form.decided_on.clone()),
        basis: Some(form.basis.clone()),
    };
    match state.register.include_in_control(&officer.session.actor, person, &raw).await {
        Ok(entry) => Ok(Redirect::to(&entry_href(entry.id, purpose_of(&form.purpose), "")).into_response()),
        Err(e) => {
            let listed = match &e {
                sapar_register::RegisterError::AlreadyListed(entry) => Some(*entry),
                _ => None,
            };
            let errors = form_errors(lang, e).map_err(|e| PageError::from_register(lang, e))?;
            let purpose = purpose_of(&form.purpose);
            let mut page = include_page(&officer, person, form, errors);
            page.listed_href = listed.map(|entry| entry_href(entry, purpose, ""));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page, lang)).into_response())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Removal applications

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ApplicationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    applicant: String,
    #[serde(default)]
    applicant_name: String,
    #[serde(default)]
    grounds: String,
    #[serde(default)]
    statement: String,
    /// One document per line.
    #[serde(default)]
    documents: String,
}

#[derive(Template)]
#[template(path = "control_application_form.html")]
struct ApplicationPage {
    ctx: Ctx,
    entry: String,
    back: String,
    form: ApplicationForm,
    applicants: Vec<Choice>,
    grounds: Vec<Choice>,
    errors: Vec<FieldError>,
}

impl ApplicationPage {
    /// The message for `field`, if it is at fault.
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

fn application_page(officer: &Officer, entry: Uuid, form: ApplicationForm, errors: Vec<FieldError>) -> ApplicationPage {
    ApplicationPage {
        ctx: Ctx::of(officer),
        entry: entry.to_string(),
        back: entry_href(entry, purpose_of(&form.purpose), "#applications"),
        applicants: choices(Applicant::ALL, Applicant::as_str, "control-applicant", &form.applicant),
        grounds: choices(
            ApplicationGrounds::ALL,
            ApplicationGrounds::as_str,
            "control-application-ground",
            &form.grounds,
        ),
        form,
        errors,
    }
}

/// `GET /control-register/{id}/applications/new`: the empty application form.
pub(crate) async fn application_form(
    officer: Officer,
    Path(id): Path<String>,
    Query(params): Query<ReadParams>,
) -> Result<Response, PageError> {
    require(&officer, DECIDERS)?;
    let entry = uuid_of(&id, officer.lang)?;
    let form = ApplicationForm { purpose: params.purpose, ..ApplicationForm::default() };
    Ok(render(&application_page(&officer, entry, form, Vec::new()), officer.lang))
}

/// `POST /control-register/{id}/applications`: files the application (its deadline counted in
/// working days) and returns to the entry, or shows the form again with what is wrong.
pub(crate) async fn file_application(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<ApplicationForm>,
) -> Result<Response, PageError> {
    require(&officer, DECIDERS)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let entry = uuid_of(&id, lang)?;
    let raw = RawApplication {
        applicant: form.applicant.clone(),
        applicant_name: form.applicant_name.clone(),
        grounds: form.grounds.clone(),
        statement: form.statement.clone(),
        documents: form.documents.lines().map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned).collect(),
    };
    match state.register.file_removal_application(&officer.session.actor, entry, &raw).await {
        Ok(_) => Ok(Redirect::to(&entry_href(entry, purpose_of(&form.purpose), "#applications")).into_response()),
        Err(e) => {
            let errors = form_errors(lang, e).map_err(|e| PageError::from_register(lang, e))?;
            let page = application_page(&officer, entry, form, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page, lang)).into_response())
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DecisionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    entry: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reasons: String,
    #[serde(default)]
    appeal_route: String,
}

#[derive(Template)]
#[template(path = "control_decide_form.html")]
struct DecidePage {
    ctx: Ctx,
    application: String,
    back: String,
    /// The application decided, as the entry's page shows it.
    summary: ApplicationRow,
    form: DecisionForm,
    decisions: Vec<Choice>,
    errors: Vec<FieldError>,
}

impl DecidePage {
    /// The message for `field`, if it is at fault.
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

/// The decision form over the application `application` of `entry`, read (and logged) under
/// the form's purpose.
async fn decide_page(
    state: &WebState,
    officer: &Officer,
    application: Uuid,
    entry: Uuid,
    form: DecisionForm,
    errors: Vec<FieldError>,
) -> Result<DecidePage, PageError> {
    let lang = officer.lang;
    let purpose = purpose_of(&form.purpose);
    let file = state
        .register
        .control_entry(&access(officer, purpose, "")?, entry)
        .await
        .map_err(|e| PageError::from_register(lang, e))?;
    let found = file.applications.iter().find(|a| a.id == application).ok_or(PageError::NotFound(lang))?;
    let ctx = Ctx::of(officer);
    let summary = application_row(&ctx, found, state.register.today(), None);
    Ok(DecidePage {
        application: application.to_string(),
        back: entry_href(entry, purpose, "#applications"),
        summary,
        decisions: choices(ApplicationDecision::ALL, ApplicationDecision::as_str, "control-decision", &form.decision),
        form: DecisionForm { purpose: purpose.as_str().to_owned(), entry: entry.to_string(), ..form },
        errors,
        ctx,
    })
}

/// `GET /removal-applications/{id}/decide?entry=…`: the purpose form, then the application and
/// the decision form.
pub(crate) async fn decide_form(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Query(params): Query<ReadParams>,
) -> Result<Response, PageError> {
    require(&officer, DECIDERS)?;
    let lang = officer.lang;
    let application = uuid_of(&id, lang)?;
    let entry = uuid_of(&params.entry, lang)?;
    if ReadPurpose::parse(&params.purpose).is_none() {
        let action = format!("/removal-applications/{application}/decide");
        let hidden = vec![("entry", entry.to_string())];
        return Ok(purpose_prompt(&officer, action, hidden, Some(ReadPurpose::Enforcement), &params.note));
    }
    let form = DecisionForm { purpose: params.purpose, ..DecisionForm::default() };
    Ok(render(&decide_page(&state, &officer, application, entry, form, Vec::new()).await?, lang))
}

/// `POST /removal-applications/{id}/decision`: decides the application once and returns to the
/// entry, or shows the form again with what is wrong.
pub(crate) async fn decide(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    require(&officer, DECIDERS)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let application = uuid_of(&id, lang)?;
    let raw = RawDecision {
        decision: form.decision.clone(),
        reasons: form.reasons.clone(),
        appeal_route: Some(form.appeal_route.clone()),
    };
    match state.register.decide_removal_application(&officer.session.actor, application, &raw).await {
        Ok((_, entry)) => {
            Ok(Redirect::to(&entry_href(entry.id, purpose_of(&form.purpose), "#applications")).into_response())
        }
        Err(e) => {
            let errors = form_errors(lang, e).map_err(|e| PageError::from_register(lang, e))?;
            let entry = uuid_of(&form.entry, lang)?;
            let page = decide_page(&state, &officer, application, entry, form, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page, lang)).into_response())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The decision cancelled

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CancelForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    reasons: String,
}

#[derive(Template)]
#[template(path = "control_cancel_form.html")]
struct CancelPage {
    ctx: Ctx,
    entry: String,
    back: String,
    form: CancelForm,
    errors: Vec<FieldError>,
}

impl CancelPage {
    /// The message for `field`, if it is at fault.
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

fn cancel_page(officer: &Officer, entry: Uuid, form: CancelForm, errors: Vec<FieldError>) -> CancelPage {
    CancelPage {
        ctx: Ctx::of(officer),
        entry: entry.to_string(),
        back: entry_href(entry, purpose_of(&form.purpose), ""),
        form,
        errors,
    }
}

/// `GET /control-register/{id}/cancel`: the empty form.
pub(crate) async fn cancel_form(
    officer: Officer,
    Path(id): Path<String>,
    Query(params): Query<ReadParams>,
) -> Result<Response, PageError> {
    require(&officer, DECIDERS)?;
    let entry = uuid_of(&id, officer.lang)?;
    let form = CancelForm { purpose: params.purpose, ..CancelForm::default() };
    Ok(render(&cancel_page(&officer, entry, form, Vec::new()), officer.lang))
}

/// `POST /control-register/{id}/cancel`: removes the entry because its decision was cancelled,
/// with the reasons, and returns to it; or shows the form again with what is wrong.
pub(crate) async fn cancel(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<CancelForm>,
) -> Result<Response, PageError> {
    require(&officer, DECIDERS)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let entry = uuid_of(&id, lang)?;
    match state.register.cancel_control_decision(&officer.session.actor, entry, &form.reasons).await {
        Ok(removed) => Ok(Redirect::to(&entry_href(removed.id, purpose_of(&form.purpose), "#history")).into_response()),
        Err(e) => {
            let errors = form_errors(lang, e).map_err(|e| PageError::from_register(lang, e))?;
            let page = cancel_page(&officer, entry, form, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page, lang)).into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use sapar_model::{InputCode, InputError};
    use sapar_register::records::{PersonEventKind, RemovalReason, Restriction};
    use sapar_register::{Entity, RegisterError};

    use super::*;
    use crate::i18n::keys;
    use crate::pages::form::refusal_key;

    /// Every key the control register's pages build from a closed list.
    fn built_keys() -> Vec<String> {
        let mut all = Vec::new();
        all.extend(ControlGround::ALL.iter().map(|v| key("control-ground", v.as_str())));
        all.extend(Restriction::ALL.iter().map(|v| key("control-restriction", v.as_str())));
        all.extend(RemovalReason::ALL.iter().map(|v| key("control-removal", v.as_str())));
        all.extend(NoticeChannel::ALL.iter().map(|v| key("control-channel", v.as_str())));
        all.extend(Applicant::ALL.iter().map(|v| key("control-applicant", v.as_str())));
        all.extend(ApplicationGrounds::ALL.iter().map(|v| key("control-application-ground", v.as_str())));
        all.extend(ApplicationDecision::ALL.iter().map(|v| key("control-decision", v.as_str())));
        all.extend(PersonEventKind::ALL.iter().map(|v| key("event", v.as_str())));
        all
    }

    #[test]
    fn every_ground_restriction_channel_applicant_and_decision_has_a_name_in_every_language() {
        for lang in Lang::ALL {
            let present: BTreeSet<String> = keys(lang).into_iter().collect();
            let missing: Vec<String> = built_keys().into_iter().filter(|k| !present.contains(k)).collect();
            assert!(missing.is_empty(), "{}.ftl lacks {missing:?}", lang.tag());
        }
    }

    /// The refusals the control register's forms can meet.
    fn control_refusals() -> Vec<RegisterError> {
        let input = |field, code| RegisterError::Invalid(InputError::new(field, code, "refused"));
        vec![
            input("ground", InputCode::InvalidGround),
            input("decision_ref", InputCode::MissingField),
            input("decision_ref", InputCode::TooLong),
            input("decided_on", InputCode::InvalidDate),
            input("decided_on", InputCode::DateOutOfRange),
            input("channel", InputCode::InvalidChoice),
            input("sent_on", InputCode::InvalidDate),
            input("applicant", InputCode::InvalidChoice),
            input("grounds", InputCode::InvalidGround),
            input("statement", InputCode::MissingField),
            input("decision", InputCode::InvalidChoice),
            input("reasons", InputCode::ReasonRequired),
            input("appeal_route", InputCode::AppealRouteRequired),
            RegisterError::AlreadyListed(Uuid::nil()),
            RegisterError::EntryRemoved { reason: "departure" },
            RegisterError::AlreadyDecided { entity: Entity::RemovalApplication, status: "grant" },
        ]
    }

    #[test]
    fn every_refusal_of_the_control_register_is_explained_in_every_language() {
        for e in control_refusals() {
            let described = format!("{e:?}");
            let (_, key) = refusal_key(&e).unwrap_or_else(|| panic!("{described} is not explained by the forms"));
            for lang in Lang::ALL {
                let text = crate::i18n::translate(lang, &key, None);
                assert!(text != key && !text.is_empty(), "{described}: {}.ftl lacks {key}", lang.tag());
            }
        }
    }

    #[test]
    fn a_denial_without_an_appeal_route_is_shown_at_that_field() {
        let e = RegisterError::Invalid(InputError::new("appeal_route", InputCode::AppealRouteRequired, "refused"));
        let errors = form_errors(Lang::En, e).map_err(|e| e.to_string()).unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "appeal_route");
        assert!(errors[0].message.contains("appeal"), "{}", errors[0].message);
    }

    #[test]
    fn a_missing_record_is_not_the_forms_to_explain() {
        assert!(refusal_key(&RegisterError::NotFound(Entity::ControlEntry)).is_none());
    }
}
