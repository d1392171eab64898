//! The treaty case desk: the queue of exchange cases with their Art. 11.3 deadlines (tabs for
//! open, due soon, overdue and closed cases with their counts, a partner filter, a countdown on
//! every request), and the case page with every message sent and received and its body, shown
//! after the purpose is asked and the read logged, with a form for the steps the case's state
//! allows the requested party (clarification request, delay notice, postponement, authenticity
//! query, confidentiality notice). Exchange officers, signatories and auditors only: requests are
//! confidential (Art. 5); auditors take no steps.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use sapar_model::{Country, ReadPurpose};
use sapar_register::RegisterError;
use sapar_register::exchange::{
    CASE_ROLES, CaseBody, CaseDelivery, CaseDesk, CaseDirection, CaseFilter, CaseStatus, CaseStep, CaseStepKind,
    CaseSummary, RequestDeadline, STEP_ROLES,
};
use serde::Deserialize;
use serde_json::Value;

use super::control::access;
use super::{purpose_prompt, require, usual_purpose};
use crate::WebState;
use crate::page::{Ctx, PageError, render};
use crate::session::Officer;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListParams {
    #[serde(default)]
    status: String,
    #[serde(default)]
    partner: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ReadParams {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    note: String,
    /// The message type of a step just sent.
    #[serde(default)]
    sent: String,
    /// Why a step was not sent: the field at fault (`text`, `date`) or the treaty's code.
    #[serde(default)]
    refused: String,
}

/// A step's form as posted from the case page, with the purpose the page was opened for.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct StepForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    step: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    conditions: String,
}

/// A step the case page offers.
pub(crate) struct StepOption {
    code: &'static str,
    label_key: String,
}

/// A tab of the queue: a status with its count.
pub(crate) struct Tab {
    id: &'static str,
    label_key: &'static str,
    count: i64,
    href: String,
    current: bool,
}

/// A partner of the filter.
pub(crate) struct PartnerOption {
    code: String,
    selected: bool,
}

/// What the deadline column says.
pub(crate) struct DeadlineCell {
    due_on: String,
    /// The countdown's text.
    text: String,
    /// `govuk-tag--red`, `--orange`, `--green` or `--grey`.
    tag: &'static str,
}

pub(crate) struct CaseRow {
    href: String,
    short_id: String,
    partner: String,
    incoming: bool,
    state_key: String,
    deadline: Option<DeadlineCell>,
    last_activity: String,
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage {
    ctx: Ctx,
    configured: bool,
    /// The officer may open cases (exchange officers and signatories).
    can_open: bool,
    tabs: Vec<Tab>,
    status: String,
    partners: Vec<PartnerOption>,
    rows: Vec<CaseRow>,
}

/// One field of a message body, by its path in the body.
pub(crate) struct BodyField {
    pub(crate) path: String,
    pub(crate) value: String,
}

pub(crate) struct MessageItem {
    id: String,
    incoming: bool,
    type_key: String,
    from: String,
    to: String,
    /// When sent (out) or received (in).
    at: String,
    /// Where a sent message stands (a received one is received).
    delivery_key: Option<&'static str>,
    in_reply_to: Option<String>,
    fields: Vec<BodyField>,
    destroyed: bool,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    ctx: Ctx,
    id: String,
    agreement: String,
    partner: String,
    opened_by: String,
    /// The other party to the case: the partner when this state opened it, else this state.
    addressee: String,
    state_key: String,
    purpose_key: String,
    deadline: Option<DeadlineCell>,
    received_on: String,
    messages: Vec<MessageItem>,
    /// The steps the officer may take now; empty for an auditor or a case in no such state.
    steps: Vec<StepOption>,
    /// The purpose and note the page was opened with, carried by the step form.
    purpose: String,
    note: String,
    /// What a step just sent or refused says.
    notice: Option<String>,
    /// The answer page, while this node may answer the case's request (officers who send only).
    answer_href: Option<String>,
}

const STATUS_TABS: [(CaseStatus, &str, &str); 4] = [
    (CaseStatus::Open, "tab-open", "cases-filter-open"),
    (CaseStatus::DueSoon, "tab-due-soon", "cases-filter-due-soon"),
    (CaseStatus::Overdue, "tab-overdue", "cases-filter-overdue"),
    (CaseStatus::Closed, "tab-closed", "cases-filter-closed"),
];

fn desk(state: &WebState) -> Option<&dyn CaseDesk> {
    state.case_desk.as_deref()
}

fn list_href(status: CaseStatus, partner: Option<Country>) -> String {
    let mut href = format!("/cases?status={}", status.as_str());
    if let Some(p) = partner {
        href.push_str("&partner=");
        href.push_str(p.code());
    }
    href
}

/// The deadline's cell: the due day and a countdown, or how the answer came.
fn deadline_cell(ctx: &Ctx, d: &RequestDeadline, status: CaseStatus) -> DeadlineCell {
    let (text, tag) = match (d.answered_on_time, status) {
        (Some(true), _) => (ctx.t("cases-answered-on-time"), "govuk-tag--green"),
        (Some(false), _) => (ctx.t("cases-answered-late"), "govuk-tag--grey"),
        (None, CaseStatus::Closed) => (ctx.t("cases-not-answered"), "govuk-tag--grey"),
        (None, _) if d.days_left < 0 => (ctx.tn("cases-overdue-by", &(-d.days_left)), "govuk-tag--red"),
        (None, _) if d.days_left == 0 => (ctx.t("cases-due-today"), "govuk-tag--orange"),
        (None, CaseStatus::DueSoon) => (ctx.tn("cases-days-left", &d.days_left), "govuk-tag--orange"),
        (None, _) => (ctx.tn("cases-days-left", &d.days_left), "govuk-tag--blue"),
    };
    DeadlineCell { due_on: ctx.date(&d.due_on), text, tag }
}

fn state_key(case: &CaseSummary) -> String {
    format!("case-state-{}", case.state.as_str().replace('_', "-"))
}

/// `GET /cases`: the queue.
pub(crate) async fn list(
    State(state): State<WebState>,
    officer: Officer,
    Query(params): Query<ListParams>,
) -> Result<Response, PageError> {
    require(&officer, &CASE_ROLES)?;
    let lang = officer.lang;
    let ctx = Ctx::of(&officer);
    let status = CaseStatus::parse(&params.status).unwrap_or(CaseStatus::Open);
    let partner = Country::parse(params.partner.trim()).ok();
    let Some(desk) = desk(&state) else {
        let page = CasesPage {
            ctx,
            configured: false,
            can_open: false,
            tabs: vec![],
            status: String::new(),
            partners: vec![],
            rows: vec![],
        };
        return Ok(render(&page, lang));
    };
    let role = officer.session.actor.role;
    let now = state.register.now();
    let all = desk.cases(role, &CaseFilter::default(), now).await.map_err(|e| PageError::from_register(lang, e))?;
    let mut partner_codes: Vec<Country> = all.iter().map(|c| c.partner).collect();
    partner_codes.sort_by(|a, b| a.code().cmp(b.code()));
    partner_codes.dedup();
    let of_partner: Vec<&CaseSummary> = all.iter().filter(|c| partner.is_none_or(|p| p == c.partner)).collect();
    let count = |s: CaseStatus| i64::try_from(of_partner.iter().filter(|c| c.status.matches(s)).count()).unwrap_or(0);
    let tabs = STATUS_TABS
        .iter()
        .map(|(s, id, label_key)| Tab {
            id,
            label_key,
            count: count(*s),
            href: list_href(*s, partner),
            current: *s == status,
        })
        .collect();
    let local = state.register.host_state();
    let rows = of_partner
        .iter()
        .filter(|c| c.status.matches(status))
        .map(|c| CaseRow {
            href: format!("/cases/{}", c.case_id),
            short_id: c.case_id.to_string().chars().take(8).collect(),
            partner: c.partner.code().to_owned(),
            incoming: c.opened_by != local,
            state_key: state_key(c),
            deadline: c.deadline.as_ref().map(|d| deadline_cell(&ctx, d, c.status)),
            last_activity: c.last_activity_at.map(|t| ctx.at(&t)).unwrap_or_default(),
        })
        .collect();
    let partners = partner_codes
        .into_iter()
        .map(|p| PartnerOption { code: p.code().to_owned(), selected: Some(p) == partner })
        .collect();
    let can_open = STEP_ROLES.contains(&role);
    let page = CasesPage { ctx, configured: true, can_open, tabs, status: status.as_str().to_owned(), partners, rows };
    Ok(render(&page, lang))
}

fn step_key(kind: CaseStepKind) -> String {
    format!("message-type-{}", kind.message_type().replace('_', "-"))
}

/// `POST /cases/{id}/steps`: takes a step in the case, then back to the case page (opened for
/// the same purpose) saying what was sent or why not.
pub(crate) async fn take_step(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> Result<Response, PageError> {
    require(&officer, &STEP_ROLES)?;
    officer.check_csrf(&form.csrf)?;
    let lang = officer.lang;
    let case_id = uuid::Uuid::parse_str(&id).map_err(|_| PageError::NotFound(lang))?;
    let desk = desk(&state).ok_or(PageError::NotFound(lang))?;
    let back = |outcome: (&str, &str)| {
        let query =
            serde_urlencoded::to_string([("purpose", form.purpose.as_str()), ("note", form.note.as_str()), outcome])
                .unwrap_or_default();
        Redirect::to(&format!("/cases/{case_id}?{query}#case-step")).into_response()
    };
    let step = match CaseStep::parse(&form.step, &form.text, Some(&form.date), Some(&form.conditions)) {
        Ok(step) => step,
        Err(e) => return Ok(back(("refused", e.field))),
    };
    let kind = step.kind();
    match desk.take_step(&officer.session.actor, case_id, step).await {
        Ok(_) => Ok(back(("sent", kind.message_type()))),
        Err(RegisterError::ExchangeRefused { code, .. }) => Ok(back(("refused", code))),
        Err(e) => Err(PageError::from_register(lang, e)),
    }
}

/// A body as rows of `path: value`: members in alphabetical order, nested ones by their dotted
/// path, list items by their index from 1.
pub(crate) fn body_fields(body: &Value) -> Vec<BodyField> {
    fn walk(value: &Value, path: String, out: &mut Vec<BodyField>) {
        match value {
            Value::Object(members) if !members.is_empty() => {
                for (key, v) in members {
                    let next = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                    walk(v, next, out);
                }
            }
            Value::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, format!("{path}[{}]", i + 1), out);
                }
            }
            Value::Array(items) => {
                let text: Vec<String> = items.iter().map(scalar).collect();
                out.push(BodyField { path, value: text.join(", ") });
            }
            other => out.push(BodyField { path, value: scalar(other) }),
        }
    }
    fn scalar(v: &Value) -> String {
        match v {
            Value::String(s) => s.clone(),
            Value::Null => "—".to_owned(),
            other => other.to_string(),
        }
    }
    let mut out = Vec::new();
    walk(body, String::new(), &mut out);
    out
}

/// `GET /cases/{id}`: the purpose first, then the case with its messages.
pub(crate) async fn case(
    State(state): State<WebState>,
    officer: Officer,
    Path(id): Path<String>,
    Query(params): Query<ReadParams>,
) -> Result<Response, PageError> {
    require(&officer, &CASE_ROLES)?;
    let lang = officer.lang;
    let case_id = uuid::Uuid::parse_str(&id).map_err(|_| PageError::NotFound(lang))?;
    let desk = desk(&state).ok_or(PageError::NotFound(lang))?;
    let Some(purpose) = ReadPurpose::parse(&params.purpose) else {
        let role = officer.session.actor.role;
        return Ok(purpose_prompt(&officer, format!("/cases/{case_id}"), vec![], usual_purpose(role), &params.note));
    };
    let access = access(&officer, purpose, &params.note)?;
    let record =
        desk.case(&access, case_id, state.register.now()).await.map_err(|e| PageError::from_register(lang, e))?;
    let ctx = Ctx::of(&officer);
    let summary = &record.summary;
    let messages = record
        .messages
        .iter()
        .map(|m| {
            let (fields, destroyed) = match &m.body {
                CaseBody::Present(body) => (body_fields(body), false),
                CaseBody::Destroyed => (Vec::new(), true),
            };
            MessageItem {
                id: m.id.to_string(),
                incoming: m.direction == CaseDirection::In,
                type_key: format!("message-type-{}", m.message_type.replace('_', "-")),
                from: m.from.clone(),
                to: m.to.clone(),
                at: ctx.at(&m.received_at.unwrap_or(m.created_at)),
                delivery_key: match m.delivery {
                    CaseDelivery::Pending => Some("case-delivery-pending"),
                    CaseDelivery::Delivered => Some("case-delivery-delivered"),
                    CaseDelivery::Rejected => Some("case-delivery-rejected"),
                    CaseDelivery::Received => None,
                },
                in_reply_to: m.in_reply_to.map(|r| r.to_string()),
                fields,
                destroyed,
            }
        })
        .collect();
    let steps = if STEP_ROLES.contains(&officer.session.actor.role) {
        record
            .steps
            .iter()
            .map(|k| StepOption {
                code: k.message_type(),
                label_key: format!("message-type-{}", k.message_type().replace('_', "-")),
            })
            .collect()
    } else {
        Vec::new()
    };
    let answer_href = (record.answer.is_some() && STEP_ROLES.contains(&officer.session.actor.role)).then(|| {
        let query = serde_urlencoded::to_string([
            ("purpose", ReadPurpose::ExchangeRequest.as_str()),
            ("note", params.note.as_str()),
        ])
        .unwrap_or_default();
        format!("/cases/{case_id}/answer?{query}")
    });
    let notice = match (params.sent.as_str(), params.refused.as_str()) {
        ("", "") => None,
        ("answer", "") => Some(format!("{}: {}", ctx.t("case-step-sent"), ctx.t("message-type-answer"))),
        ("query" | "request", "") => {
            Some(format!("{}: {}", ctx.t("case-opened"), ctx.t(&format!("message-type-{}", params.sent))))
        }
        (sent, "") => {
            CaseStepKind::parse(sent).map(|k| format!("{}: {}", ctx.t("case-step-sent"), ctx.t(&step_key(k))))
        }
        (_, "text") => Some(ctx.t("case-step-text-required")),
        (_, "date") => Some(ctx.t("case-step-date-invalid")),
        (_, code) => Some(format!("{} ({code})", ctx.t("case-step-refused"))),
    };
    let page = CasePage {
        answer_href,
        steps,
        purpose: purpose.as_str().to_owned(),
        note: params.note.chars().take(500).collect(),
        notice,
        id: summary.case_id.to_string(),
        agreement: summary.agreement.clone(),
        partner: summary.partner.code().to_owned(),
        opened_by: summary.opened_by.code().to_owned(),
        addressee: if summary.opened_by == summary.partner {
            state.register.host_state().code().to_owned()
        } else {
            summary.partner.code().to_owned()
        },
        state_key: state_key(summary),
        purpose_key: format!("purpose-{}", purpose.as_str().replace('_', "-")),
        deadline: summary.deadline.as_ref().map(|d| deadline_cell(&ctx, d, summary.status)),
        received_on: summary.deadline.as_ref().map(|d| ctx.date(&d.received_on)).unwrap_or_default(),
        messages,
        ctx,
    };
    Ok(render(&page, lang))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, translate};

    #[test]
    fn every_case_state_message_type_delivery_category_and_art7_field_has_its_text() {
        let states = sapar_treaty::case::CaseState::ALL.iter().map(|s| format!("case-state-{}", s.as_str()));
        let types = sapar_treaty::message::MessageType::ALL.iter().map(|t| format!("message-type-{}", t.as_str()));
        let deliveries = ["pending", "delivered", "rejected"].map(|d| format!("case-delivery-{d}"));
        let categories = sapar_register::exchange::DataCategory::ALL.iter().map(|c| format!("category-{}", c.as_str()));
        let fields = sapar_register::exchange::PersonField::ALL.iter().map(|f| format!("art7-{}", f.as_str()));
        for key in states.chain(types).chain(deliveries).chain(categories).chain(fields) {
            let key = key.replace('_', "-");
            assert_ne!(translate(Lang::Ru, &key, None), key, "ru.ftl lacks {key}");
        }
    }

    #[test]
    fn a_body_reads_as_dotted_paths() {
        let body = serde_json::json!({
            "purpose": "проверка",
            "categories": ["registration", "residence_permit"],
            "person": {"surname": {"cyrillic": "Асанов", "latin": "ASANOV"}, "birth_date": "1990-02-03"},
            "results": [{"category": "registration", "found": false}],
            "other_information": null
        });
        let rows: Vec<(String, String)> = body_fields(&body).into_iter().map(|f| (f.path, f.value)).collect();
        assert_eq!(
            rows,
            [
                ("categories", "registration, residence_permit"),
                ("other_information", "—"),
                ("person.birth_date", "1990-02-03"),
                ("person.surname.cyrillic", "Асанов"),
                ("person.surname.latin", "ASANOV"),
                ("purpose", "проверка"),
                ("results[1].category", "registration"),
                ("results[1].found", "false"),
            ]
            .map(|(p, v)| (p.to_owned(), v.to_owned()))
        );
    }
}
