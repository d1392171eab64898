//! The case desk of the exchange node as the HTTP API shows it: the API's query becomes the
//! node's filter, the register's read access becomes the node's case reader, and the node's
//! cases become the API's views. The clock is read here, at the edge: the node and the API take
//! "now" as given.

use sapar_http::{CaseMessageView, CaseQuery, CaseStatusView, CaseSummaryView, CaseView, DeadlineView, ExchangeError};
use sapar_node::cases::{CaseBody, CaseError, CaseFilter, CaseReader, CaseRecord, CaseStatus, CaseSummary};
use sapar_node::service::{Direction, ExchangeService};
use sapar_register::access::Access;

use crate::exchange::{node_error, utc};

fn status_view(s: CaseStatus) -> CaseStatusView {
    match s {
        CaseStatus::Open => CaseStatusView::Open,
        CaseStatus::DueSoon => CaseStatusView::DueSoon,
        CaseStatus::Overdue => CaseStatusView::Overdue,
        CaseStatus::Closed => CaseStatusView::Closed,
    }
}

fn status_of(s: CaseStatusView) -> CaseStatus {
    match s {
        CaseStatusView::Open => CaseStatus::Open,
        CaseStatusView::DueSoon => CaseStatus::DueSoon,
        CaseStatusView::Overdue => CaseStatus::Overdue,
        CaseStatusView::Closed => CaseStatus::Closed,
    }
}

fn summary_view(c: CaseSummary) -> CaseSummaryView {
    CaseSummaryView {
        case_id: c.case_id.to_string(),
        agreement: c.agreement,
        partner: c.partner.code().to_owned(),
        opened_by: c.opened_by.code().to_owned(),
        state: c.state.as_str().to_owned(),
        status: status_view(c.status),
        opened_at: c.opened_at.map(utc),
        last_activity_at: c.last_activity_at.map(utc),
        messages: c.messages,
        deadline: c.deadline.map(|d| DeadlineView {
            requested_party: d.requested_party.code().to_owned(),
            received_at: utc(d.received_at),
            received_on: d.received_on.to_string(),
            due_on: d.due_on.to_string(),
            days_left: d.days_left,
            answered_at: d.answered_at.map(utc),
            answered_on_time: d.answered_on_time,
        }),
    }
}

fn case_view(record: CaseRecord) -> CaseView {
    CaseView {
        case: summary_view(record.summary),
        messages: record
            .messages
            .into_iter()
            .map(|m| {
                let (body, body_destroyed) = match m.body {
                    CaseBody::Present(body) => (Some(body), false),
                    CaseBody::Destroyed => (None, true),
                };
                CaseMessageView {
                    direction: match m.direction {
                        Direction::In => "in",
                        Direction::Out => "out",
                    }
                    .to_owned(),
                    id: m.id.to_string(),
                    channel: m.channel,
                    seq: m.seq,
                    message_type: m.message_type,
                    from: m.from,
                    to: m.to,
                    in_reply_to: m.in_reply_to.map(|id| id.to_string()),
                    created_at: utc(m.created_at),
                    received_at: m.received_at.map(utc),
                    status: m.state.as_str().to_owned(),
                    body,
                    body_destroyed,
                }
            })
            .collect(),
    }
}

/// The cases `query` matches now.
pub(crate) async fn cases(service: &ExchangeService, query: CaseQuery) -> Result<Vec<CaseSummaryView>, ExchangeError> {
    let filter = CaseFilter { status: query.status.map(status_of), partner: query.partner, agreement: query.agreement };
    let cases = service.cases(&filter, jiff::Timestamp::now()).await.map_err(node_error)?;
    Ok(cases.into_iter().map(summary_view).collect())
}

/// One case, its read logged for `access`; `None` when there is no such case.
pub(crate) async fn case(
    service: &ExchangeService,
    access: &Access,
    case_id: uuid::Uuid,
) -> Result<Option<CaseView>, ExchangeError> {
    let reader = CaseReader {
        actor: access.actor.name.clone(),
        role: access.actor.role,
        channel: access.channel,
        purpose: access.purpose,
        purpose_note: access.purpose_note.clone(),
        address: access.address.map(|a| a.to_string()),
    };
    match service.case(&reader, case_id, jiff::Timestamp::now()).await {
        Ok(record) => Ok(Some(case_view(record))),
        Err(CaseError::NotFound(_)) => Ok(None),
        Err(CaseError::Node(e)) => Err(node_error(e)),
    }
}
