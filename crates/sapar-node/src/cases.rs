//! The treaty case desk as officers see it: every case with its partner, state and, for a
//! request, the Art. 11.3 deadline (receipt plus 30 calendar days in the requested party's zone)
//! with the days left and whether the answer came on time; and one case with every message in
//! both directions and its body — opened from the seal at rest for a received message, read from
//! the signed text for a sent one. Reading a case's messages is logged first (who, when, which
//! case, for what purpose, from where), in a log that is only ever appended to.

use std::cmp::Reverse;

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::{Country, ReadPurpose, Role};
use sapar_store::access_log::AccessChannel;
use sapar_store::exchange::OutboxStatus;
use sapar_store::exchange::desk::{CaseInboxRow, CaseIndexRow, CaseReadEntry};
use sapar_treaty::agreement::AgreementBook;
use sapar_treaty::case::CaseState;
use sapar_treaty::ids::{AgreementId, ChannelId};
use sapar_treaty::message::{self, MessageType};
use sapar_treaty::seal;
use sapar_treaty::{jws, receipt, wire};
use serde_json::Value;
use uuid::Uuid;

use crate::NodeError;
use crate::service::{DeliveryState, Direction, ExchangeService};

/// A request with this many days or fewer left before its deadline is due soon.
pub const DUE_SOON_DAYS: i64 = 5;

/// Where a case stands for the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseStatus {
    /// Waiting for a party to act, with no deadline close.
    Open,
    /// An open request with [`DUE_SOON_DAYS`] or fewer days left.
    DueSoon,
    /// An open request past its deadline.
    Overdue,
    /// Answered, refused, withdrawn, or a case of one message.
    Closed,
}

impl CaseStatus {
    /// Every status, in the order the desk lists them.
    pub const ALL: [CaseStatus; 4] = [CaseStatus::Overdue, CaseStatus::DueSoon, CaseStatus::Open, CaseStatus::Closed];

    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::DueSoon => "due_soon",
            CaseStatus::Overdue => "overdue",
            CaseStatus::Closed => "closed",
        }
    }

    /// Parses [`CaseStatus::as_str`].
    pub fn parse(raw: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    fn rank(self) -> usize {
        CaseStatus::ALL.iter().position(|s| *s == self).unwrap_or(CaseStatus::ALL.len())
    }
}

/// Which cases to list; `None` matches all. `Open` matches every case waiting for a party,
/// the due-soon and overdue ones included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub status: Option<CaseStatus>,
    pub partner: Option<Country>,
    pub agreement: Option<String>,
}

/// The Art. 11.3 deadline of a case's request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestDeadline {
    /// The party that must answer, in whose zone the days are counted.
    pub requested_party: Country,
    /// When the requested party received the request (for a request this node sent: the time
    /// in the partner's signed receipt).
    pub received_at: Timestamp,
    pub received_on: Date,
    /// The last day on which the answer is on time.
    pub due_on: Date,
    /// Whole days from today to `due_on` in the requested party's zone; negative once overdue.
    pub days_left: i64,
    /// When the first answer or refusal was sent (by this node) or received (from the partner).
    pub answered_at: Option<Timestamp>,
    /// Whether that answer came by the end of `due_on`; `None` while unanswered.
    pub answered_on_time: Option<bool>,
}

/// A case as the desk lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSummary {
    pub case_id: Uuid,
    pub agreement: String,
    /// The other state of the case.
    pub partner: Country,
    /// The state that opened the case.
    pub opened_by: Country,
    pub state: CaseState,
    pub status: CaseStatus,
    /// The case's first message, sent or received.
    pub opened_at: Option<Timestamp>,
    /// The case's latest message, sent or received.
    pub last_activity_at: Option<Timestamp>,
    /// Messages received and messages sent (not counting those the partner refused).
    pub messages: i64,
    pub deadline: Option<RequestDeadline>,
}

/// A message's body as the desk shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseBody {
    /// The body as signed.
    Present(Value),
    /// The received payload was destroyed at the end of its retention period; its hash stays in
    /// the message log.
    Destroyed,
}

/// One message of a case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseMessage {
    pub direction: Direction,
    pub id: Uuid,
    pub channel: String,
    pub seq: i64,
    pub message_type: String,
    pub from: String,
    pub to: String,
    pub in_reply_to: Option<Uuid>,
    pub created_at: Timestamp,
    /// When this node received it (incoming).
    pub received_at: Option<Timestamp>,
    pub state: DeliveryState,
    pub body: CaseBody,
}

/// A case with every message.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRecord {
    pub summary: CaseSummary,
    pub messages: Vec<CaseMessage>,
}

/// Who reads a case's messages, why, and through which front end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseReader {
    /// The user's or token's name.
    pub actor: String,
    pub role: Role,
    pub channel: AccessChannel,
    pub purpose: ReadPurpose,
    pub purpose_note: Option<String>,
    pub address: Option<String>,
}

/// Why a case was not shown.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("no exchange case {0}")]
    NotFound(Uuid),
    #[error(transparent)]
    Node(#[from] NodeError),
}

impl From<sapar_store::StoreError> for CaseError {
    fn from(e: sapar_store::StoreError) -> CaseError {
        CaseError::Node(NodeError::Store(e))
    }
}

/// The states in which a case waits for one of its parties to act.
fn is_waiting(state: CaseState) -> bool {
    matches!(
        state,
        CaseState::Queried
            | CaseState::Requested
            | CaseState::InProgress
            | CaseState::ClarificationRequested
            | CaseState::Postponed
            | CaseState::AuthenticityQueried
            | CaseState::ConfidentialityNotified
    )
}

fn earliest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn latest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    a.max(b)
}

impl ExchangeService {
    /// The cases `filter` matches at `now`: overdue first, then due soon (the nearest deadline
    /// first), then the other open cases and the closed ones (the latest activity first).
    pub async fn cases(&self, filter: &CaseFilter, now: Timestamp) -> Result<Vec<CaseSummary>, NodeError> {
        let rows = self.store().case_index(filter.agreement.as_deref()).await?;
        let book = self.registry().current().book.clone();
        let mut cases = Vec::with_capacity(rows.len());
        for row in &rows {
            let case = self.summary(row, &book, now)?;
            let status_matches = match filter.status {
                None => true,
                Some(CaseStatus::Open) => case.status != CaseStatus::Closed,
                Some(s) => case.status == s,
            };
            if status_matches && filter.partner.is_none_or(|p| p == case.partner) {
                cases.push(case);
            }
        }
        cases.sort_by_key(|c| {
            (c.status.rank(), c.deadline.as_ref().map(|d| d.due_on), Reverse(c.last_activity_at), c.case_id)
        });
        Ok(cases)
    }

    /// How many open cases are due soon and how many are overdue at `now` (for the metrics and
    /// the desk's badges).
    pub async fn case_counts(&self, now: Timestamp) -> Result<(usize, usize), NodeError> {
        let cases = self.cases(&CaseFilter::default(), now).await?;
        let count = |s: CaseStatus| cases.iter().filter(|c| c.status == s).count();
        Ok((count(CaseStatus::DueSoon), count(CaseStatus::Overdue)))
    }

    /// One case with every message and its body, after logging `reader`'s read of it.
    pub async fn case(&self, reader: &CaseReader, case_id: Uuid, now: Timestamp) -> Result<CaseRecord, CaseError> {
        let row = self.store().case_index_of(case_id).await?.ok_or(CaseError::NotFound(case_id))?;
        let book = self.registry().current().book.clone();
        let summary = self.summary(&row, &book, now)?;
        let received = self.store().case_inbox(case_id).await?;
        let sent = self.store().case_outbox(case_id).await?;
        let mut messages = Vec::with_capacity(received.len() + sent.len());
        for m in &received {
            messages.push(self.received_message(m)?);
        }
        for e in &sent {
            let (header, message_type, body) = self.signed_message(&e.jws, e.message_id)?;
            messages.push(CaseMessage {
                direction: Direction::Out,
                id: e.message_id,
                channel: e.channel.clone(),
                seq: e.seq,
                message_type,
                from: header.from.to_string(),
                to: header.to.to_string(),
                in_reply_to: header.in_reply_to.map(|m| m.as_uuid()),
                created_at: header.created_at,
                received_at: None,
                state: match e.status {
                    OutboxStatus::Pending => DeliveryState::Pending,
                    OutboxStatus::Delivered => DeliveryState::Delivered,
                    OutboxStatus::Rejected => DeliveryState::Rejected,
                },
                body: CaseBody::Present(body),
            });
        }
        messages.sort_by_key(|m| (m.received_at.unwrap_or(m.created_at), m.id));
        self.store()
            .append_case_read(&CaseReadEntry {
                id: Uuid::now_v7(),
                at: now,
                actor: reader.actor.clone(),
                role: reader.role,
                channel: reader.channel,
                case_id,
                purpose: reader.purpose,
                purpose_note: reader.purpose_note.clone(),
                address: reader.address.clone(),
            })
            .await?;
        Ok(CaseRecord { summary, messages })
    }

    /// The recorded reads of a case's messages, oldest first.
    pub async fn case_reads(&self, case_id: Uuid) -> Result<Vec<CaseReadEntry>, NodeError> {
        Ok(self.store().case_reads(case_id).await?)
    }

    fn summary(&self, row: &CaseIndexRow, book: &AgreementBook, now: Timestamp) -> Result<CaseSummary, NodeError> {
        let corrupt = |what: &str| NodeError::Corrupt(format!("exchange case {}: {what}", row.case_id));
        let state = CaseState::parse(&row.state).ok_or_else(|| corrupt("state"))?;
        let opened_by = Country::parse(&row.opened_by).map_err(|_| corrupt("opening state"))?;
        let channel = row.channel.as_deref().ok_or_else(|| corrupt("no message"))?;
        let channel = ChannelId::parse(channel).map_err(|_| corrupt("channel"))?;
        let local = self.local_state();
        let partner = if channel.from_state == local { channel.to_state } else { channel.from_state };
        let agreement = AgreementId::parse(&row.agreement).ok().and_then(|id| book.get(&id));
        // The requested party is the one that did not open the case.
        let request = match (row.request_received_at, row.request_receipt.as_deref()) {
            (Some(at), _) => Some((local, at, row.answer_sent_at)),
            (None, Some(receipt)) => {
                self.receipt_time(receipt, partner).map(|at| (partner, at, row.answer_received_at))
            }
            (None, None) => None,
        };
        let deadline = match (request, agreement) {
            (Some((requested_party, received_at, answered_at)), Some(agreement)) => {
                let d = agreement
                    .response_deadline_for(requested_party, received_at)
                    .map_err(|e| corrupt(&format!("deadline: {e}")))?;
                let today = agreement.local_date(requested_party, now);
                let days_left = today.until(d.due_on).map_err(|_| corrupt("deadline out of range"))?.get_days();
                Some(RequestDeadline {
                    requested_party,
                    received_at,
                    received_on: d.received_on,
                    due_on: d.due_on,
                    days_left: i64::from(days_left),
                    answered_at,
                    answered_on_time: answered_at.map(|a| !d.is_overdue(a)),
                })
            }
            _ => None,
        };
        let status = match (&deadline, is_waiting(state)) {
            (_, false) => CaseStatus::Closed,
            (Some(d), true) if d.answered_at.is_none() && d.days_left < 0 => CaseStatus::Overdue,
            (Some(d), true) if d.answered_at.is_none() && d.days_left <= DUE_SOON_DAYS => CaseStatus::DueSoon,
            (_, true) => CaseStatus::Open,
        };
        Ok(CaseSummary {
            case_id: row.case_id,
            agreement: row.agreement.clone(),
            partner,
            opened_by,
            state,
            status,
            opened_at: earliest(row.first_received_at, row.first_sent_at),
            last_activity_at: latest(row.last_received_at, row.last_sent_at),
            messages: row.received + row.sent,
            deadline,
        })
    }

    /// The time in a partner's receipt, when it verifies against the partner's pinned CA and nodes.
    fn receipt_time(&self, jws: &str, partner: Country) -> Option<Timestamp> {
        let p = self.partner(partner)?;
        receipt::verify_receipt(jws, &p.ca_cert_der, &p.node_cert_fingerprints).ok().map(|r| r.received_at)
    }

    fn received_message(&self, m: &CaseInboxRow) -> Result<CaseMessage, NodeError> {
        let corrupt = |what: String| NodeError::Corrupt(format!("received message {}: {what}", m.message_id));
        let (in_reply_to, body) = match &m.sealed_payload {
            None => (None, CaseBody::Destroyed),
            Some(sealed) => {
                let payload =
                    seal::open(std::slice::from_ref(self.payload_key()), sealed, m.message_id.to_string().as_bytes())
                        .map_err(|e| corrupt(format!("payload does not open: {e}")))?;
                let (header, _, body) =
                    message::parse_envelope(&payload).map_err(|e| corrupt(format!("payload: {e}")))?;
                (header.in_reply_to.map(|r| r.as_uuid()), CaseBody::Present(body))
            }
        };
        Ok(CaseMessage {
            direction: Direction::In,
            id: m.message_id,
            channel: m.channel.clone(),
            seq: m.seq,
            message_type: m.message_type.clone(),
            from: m.from_authority.clone(),
            to: m.to_authority.clone(),
            in_reply_to,
            created_at: m.created_at,
            received_at: Some(m.received_at),
            state: DeliveryState::Received,
            body,
        })
    }

    fn signed_message(&self, jws_text: &str, id: Uuid) -> Result<(message::Header, String, Value), NodeError> {
        let corrupt = |what: String| NodeError::Corrupt(format!("outbox message {id}: {what}"));
        let parsed = jws::parse_compact(jws_text, wire::TYP_MESSAGE).map_err(|e| corrupt(e.to_string()))?;
        message::parse_envelope(&parsed.payload).map_err(|e| corrupt(e.to_string()))
    }

    /// Stores the case and type beside every outgoing message queued before they were kept there
    /// (read from its signed header); run when the node starts. The number labelled.
    pub async fn label_outbox(&self) -> Result<usize, NodeError> {
        let mut labelled = 0;
        loop {
            let batch = self.store().unlabelled_outbox(500).await?;
            if batch.is_empty() {
                return Ok(labelled);
            }
            for (id, jws_text) in batch {
                let (header, message_type, _) = self.signed_message(&jws_text, id)?;
                MessageType::parse(&message_type)
                    .map_err(|_| NodeError::Corrupt(format!("outbox message {id}: message type {message_type:?}")))?;
                self.store().label_outbox(id, header.case_id.as_uuid(), &message_type).await?;
                labelled += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_list_overdue_first() {
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(CaseStatus::parse("pending"), None);
        assert!(CaseStatus::Overdue.rank() < CaseStatus::DueSoon.rank());
        assert!(CaseStatus::Open.rank() < CaseStatus::Closed.rank());
    }

    #[test]
    fn a_case_waits_until_it_is_answered_refused_or_withdrawn() {
        assert!(is_waiting(CaseState::Requested));
        assert!(is_waiting(CaseState::ClarificationRequested));
        assert!(!is_waiting(CaseState::Answered));
        assert!(!is_waiting(CaseState::Refused));
        assert!(!is_waiting(CaseState::Closed));
    }
}
