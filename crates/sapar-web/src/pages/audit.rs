//! The auditor's view of the access log: filter by user, person, purpose and period, page
//! through, download the same rows as CSV. Reading it changes nothing.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use sapar_model::{PersonId, ReadPurpose, Role};
use sapar_register::records::{AccessEntry, AccessFilter};
use serde::Deserialize;

use super::{PurposeOption, purpose_options, require};
use crate::WebState;
use crate::page::{Ctx, PageError, render};
use crate::session::Officer;

const PAGE: u32 = 100;
/// Most rows one CSV download holds.
const CSV_ROWS: u32 = 1000;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct AuditParams {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    page: u64,
}

impl AuditParams {
    /// The filter, or the name of the field that is not understood.
    fn filter(&self) -> Result<AccessFilter, &'static str> {
        let day = |text: &str, field| -> Result<Option<jiff::Timestamp>, &'static str> {
            match text.trim() {
                "" => Ok(None),
                t => t
                    .parse::<jiff::civil::Date>()
                    .ok()
                    .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
                    .map(|z| Some(z.timestamp()))
                    .ok_or(field),
            }
        };
        let until = day(&self.until, "until")?.map(|t| t + jiff::SignedDuration::from_hours(24));
        Ok(AccessFilter {
            actor: Some(self.actor.trim().to_owned()).filter(|a| !a.is_empty()),
            person: match self.person.trim() {
                "" => None,
                p => Some(p.parse::<uuid::Uuid>().map(PersonId::from_uuid).map_err(|_| "person")?),
            },
            purpose: match self.purpose.trim() {
                "" => None,
                p => Some(ReadPurpose::parse(p).ok_or("purpose")?),
            },
            from: day(&self.from, "from")?,
            until,
        })
    }
}

pub(crate) struct Row {
    at: String,
    actor: String,
    role: String,
    channel: String,
    person: String,
    view: String,
    purpose_key: String,
    note: String,
    address: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    ctx: Ctx,
    actor: String,
    person: String,
    from: String,
    until: String,
    purposes: Vec<PurposeOption>,
    total: i64,
    rows: Vec<Row>,
    csv_href: String,
    next_href: Option<String>,
}

/// `GET /audit`.
pub(crate) async fn audit(
    State(state): State<WebState>,
    officer: Officer,
    Query(params): Query<AuditParams>,
) -> Result<Response, PageError> {
    require(&officer, &[Role::Auditor])?;
    let lang = officer.lang;
    let ctx = Ctx::of(&officer);
    let (filter, flash) = match params.filter() {
        Ok(f) => (f, None),
        Err(field) => (AccessFilter::default(), Some(format!("{}: {field}", ctx.t("audit-bad-filter")))),
    };
    let offset = params.page.saturating_mul(u64::from(PAGE));
    let log = state
        .register
        .access_log(&officer.session.actor, &filter, PAGE, offset)
        .await
        .map_err(|e| PageError::from_register(lang, e))?;
    let query = officer.here.split_once('?').map_or("", |(_, q)| q).to_owned();
    let rows = log
        .entries
        .iter()
        .map(|e| Row {
            at: ctx.at(&e.at),
            actor: e.actor.clone(),
            role: ctx.t(crate::page::role_key(e.role)),
            channel: e.channel.as_str().to_owned(),
            person: e.person_id.to_string(),
            view: e.view.clone(),
            purpose_key: format!("purpose-{}", e.purpose.as_str().replace('_', "-")),
            note: e.purpose_note.clone().unwrap_or_default(),
            address: e.address.clone().unwrap_or_default(),
        })
        .collect();
    let shown = offset + log.entries.len() as u64;
    let next_href = (shown < log.total).then(|| {
        let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(&query).unwrap_or_default();
        pairs.retain(|(k, _)| k != "page");
        pairs.push(("page".into(), (params.page + 1).to_string()));
        format!("/audit?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
    });
    let page = AuditPage {
        actor: params.actor.chars().take(100).collect(),
        person: params.person.chars().take(36).collect(),
        from: params.from.chars().take(10).collect(),
        until: params.until.chars().take(10).collect(),
        purposes: purpose_options(ReadPurpose::parse(&params.purpose)),
        total: i64::try_from(log.total).unwrap_or(i64::MAX),
        rows,
        csv_href: format!("/audit.csv?{query}"),
        next_href,
        ctx: ctx.with_flash(flash),
    };
    Ok(render(&page, lang))
}

fn csv_of(entries: &[AccessEntry]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["at", "actor", "role", "channel", "person_id", "view", "purpose", "purpose_note", "address"])?;
    for e in entries {
        out.write_record([
            e.at.to_string().as_str(),
            &e.actor,
            e.role.as_str(),
            e.channel.as_str(),
            &e.person_id.to_string(),
            &e.view,
            e.purpose.as_str(),
            e.purpose_note.as_deref().unwrap_or(""),
            e.address.as_deref().unwrap_or(""),
        ])?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

/// `GET /audit.csv`: the filtered rows (newest first, at most [`CSV_ROWS`]) as CSV.
pub(crate) async fn audit_csv(
    State(state): State<WebState>,
    officer: Officer,
    Query(params): Query<AuditParams>,
) -> Result<Response, PageError> {
    require(&officer, &[Role::Auditor])?;
    let lang = officer.lang;
    let filter = params.filter().map_err(|_| PageError::NotFound(lang))?;
    let log = state
        .register
        .access_log(&officer.session.actor, &filter, CSV_ROWS, 0)
        .await
        .map_err(|e| PageError::from_register(lang, e))?;
    let body = csv_of(&log.entries).map_err(|_| PageError::Unavailable(lang))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"access-log.csv\""),
        ],
        body,
    )
        .into_response())
}
