//! `GET /api/v1/audit`: the access log for auditors — who read which person's data, when, through
//! which channel, from where and for what stated purpose. The API only lists it; no route changes
//! or removes a row.

use axum::Json;
use axum::extract::State;
use jiff::Timestamp;
use sapar_model::{PersonId, ReadPurpose};
use sapar_register::access::MAX_ACCESS_PAGE;
use sapar_register::records::{AccessEntry, AccessFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::purpose_schema;
use crate::api::query_number;
use crate::auth::Caller;
use crate::error::{ApiCode, ApiError, ErrorBody, excerpt};
use crate::json::ApiQuery;

const DEFAULT_LIMIT: u32 = 100;
/// Largest offset a page may start at (the databases count rows in signed 64 bits).
const MAX_OFFSET: u64 = i64::MAX as u64;

/// One read of one person's data.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditEntryView {
    #[schema(format = Uuid)]
    pub id: String,
    /// When, RFC 3339 in UTC.
    #[schema(format = DateTime)]
    pub at: String,
    /// The token's or user's name.
    pub actor: String,
    /// The actor's role at the time.
    #[schema(example = "border")]
    pub role: &'static str,
    /// `api`, `web` or `cli`.
    #[schema(example = "api")]
    pub channel: &'static str,
    #[schema(format = Uuid)]
    pub person_id: String,
    /// What was shown: `person`, `stay`, `permits`, `violations`, `violation`, `violation_queue`,
    /// `review`.
    #[schema(example = "person")]
    pub view: String,
    /// The stated purpose.
    #[schema(schema_with = purpose_schema)]
    pub purpose: &'static str,
    /// The reader's own words on the purpose.
    pub purpose_note: Option<String>,
    /// The client's address as the server saw it.
    pub address: Option<String>,
}

impl AuditEntryView {
    fn of(e: &AccessEntry) -> AuditEntryView {
        AuditEntryView {
            id: e.id.to_string(),
            at: e.at.to_string(),
            actor: e.actor.clone(),
            role: e.role.as_str(),
            channel: e.channel.as_str(),
            person_id: e.person_id.to_string(),
            view: e.view.clone(),
            purpose: e.purpose.as_str(),
            purpose_note: e.purpose_note.clone(),
            address: e.address.clone(),
        }
    }
}

/// A page of the access log, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditPage {
    pub entries: Vec<AuditEntryView>,
    /// Rows the filters match in all.
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
}

/// Filters and paging of the access log; every filter left out matches all rows.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AuditQuery {
    /// Only reads by this token or user name.
    actor: Option<String>,
    /// Only reads of this person.
    #[param(value_type = Option<uuid::Uuid>)]
    person: Option<String>,
    /// Only reads for this purpose.
    #[param(schema_with = purpose_schema)]
    purpose: Option<String>,
    /// Only reads at or after this instant (RFC 3339 with an offset).
    #[param(value_type = Option<String>, format = DateTime)]
    from: Option<String>,
    /// Only reads before this instant (RFC 3339 with an offset).
    #[param(value_type = Option<String>, format = DateTime)]
    until: Option<String>,
    /// Rows per page, 1 to 1000 (default 100).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
    /// Rows to skip (default 0).
    #[param(value_type = Option<u64>, minimum = 0, maximum = 9223372036854775807_u64)]
    offset: Option<String>,
}

fn invalid(field: &'static str, message: String) -> ApiError {
    ApiError::new(ApiCode::InvalidQuery, message).at(field)
}

fn instant(value: Option<&str>, field: &'static str) -> Result<Option<Timestamp>, ApiError> {
    value
        .map(|text| {
            text.parse::<Timestamp>().map_err(|_| {
                invalid(field, format!("{field} must be an RFC 3339 instant with an offset, got {:?}", excerpt(text)))
            })
        })
        .transpose()
}

impl AuditQuery {
    fn filter(&self) -> Result<AccessFilter, ApiError> {
        let person = self
            .person
            .as_deref()
            .map(|text| {
                uuid::Uuid::parse_str(text)
                    .map(PersonId::from_uuid)
                    .map_err(|_| invalid("person", format!("person must be a UUID, got {:?}", excerpt(text))))
            })
            .transpose()?;
        let purpose = self
            .purpose
            .as_deref()
            .map(|text| {
                ReadPurpose::parse(text).ok_or_else(|| {
                    let known: Vec<&str> = ReadPurpose::ALL.iter().map(|p| p.as_str()).collect();
                    invalid("purpose", format!("purpose {:?} is not one of {}", excerpt(text), known.join(", ")))
                })
            })
            .transpose()?;
        Ok(AccessFilter {
            actor: self.actor.clone(),
            person,
            purpose,
            from: instant(self.from.as_deref(), "from")?,
            until: instant(self.until.as_deref(), "until")?,
        })
    }

    fn offset(&self) -> Result<u64, ApiError> {
        let Some(text) = self.offset.as_deref() else { return Ok(0) };
        text.parse::<u64>().ok().filter(|n| *n <= MAX_OFFSET).ok_or_else(|| {
            invalid("offset", format!("offset must be a whole number from 0 to {MAX_OFFSET}, got {:?}", excerpt(text)))
        })
    }
}

/// The access log: who read which person's data, when, and why.
///
/// One row per person shown by a read, newest first, with the reader's name and role, the
/// channel (`api`, `web`, `cli`), the view, the stated purpose and note, and the client's
/// address. Filters combine. Auditors only; nothing changes or deletes a row.
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "audit",
    params(AuditQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of the access log", body = AuditPage),
        (status = 400, description = "A filter that does not parse, an unknown purpose, or limit or offset out of range \
            (`invalid_query`)", body = ErrorBody),
        (status = 403, description = "Only auditors (`forbidden`)", body = ErrorBody),
    )
)]
pub(crate) async fn access_log(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    let filter = query.filter()?;
    let limit = query_number(query.limit.as_deref(), "limit", DEFAULT_LIMIT, (1, MAX_ACCESS_PAGE))?;
    let offset = query.offset()?;
    let page = state.register.access_log(&caller.actor(), &filter, limit, offset).await?;
    Ok(Json(AuditPage {
        entries: page.entries.iter().map(AuditEntryView::of).collect(),
        total: page.total,
        limit,
        offset,
    }))
}
