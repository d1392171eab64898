//! The treaty case desk as the front ends use it: cases with their Art. 11.3 deadlines, and one
//! case with every message and its body. The exchange node owns the cases (its outbox, inbox and
//! sealed payloads) and implements [`CaseDesk`]; the register defines what a case looks like to an
//! officer, so that the JSON API and the web pages show the same thing from one answer.

use std::future::Future;
use std::pin::Pin;

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::{Country, Role};
use sapar_treaty::case::CaseState;
use serde_json::Value;
use uuid::Uuid;

use crate::RegisterError;
use crate::access::Access;

/// A request with this many days or fewer left before its deadline is due soon.
pub const DUE_SOON_DAYS: i64 = 5;

/// The roles that work cases: requests are confidential (Art. 5), so migration and border
/// officers do not see them.
pub const CASE_ROLES: [Role; 3] = [Role::Exchange, Role::Signatory, Role::Auditor];

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

    /// The position in the desk's order (overdue first).
    pub fn rank(self) -> usize {
        match self {
            CaseStatus::Overdue => 0,
            CaseStatus::DueSoon => 1,
            CaseStatus::Open => 2,
            CaseStatus::Closed => 3,
        }
    }

    /// True when `self` is listed under `filter`: `Open` takes in every case waiting for a party,
    /// the due-soon and overdue ones included.
    pub fn matches(self, filter: CaseStatus) -> bool {
        match filter {
            CaseStatus::Open => self != CaseStatus::Closed,
            other => self == other,
        }
    }
}

/// Which cases to list; `None` matches all.
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

/// Which way a case's message went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseDirection {
    /// Received from the partner.
    In,
    /// Sent by this node.
    Out,
}

/// Where a case's message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseDelivery {
    /// Outgoing, waiting for the partner's receipt.
    Pending,
    /// Outgoing, delivered with a verified receipt.
    Delivered,
    /// Outgoing, refused by the partner.
    Rejected,
    /// Incoming, stored and acknowledged.
    Received,
}

impl CaseDelivery {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseDelivery::Pending => "pending",
            CaseDelivery::Delivered => "delivered",
            CaseDelivery::Rejected => "rejected",
            CaseDelivery::Received => "received",
        }
    }
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
    pub direction: CaseDirection,
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
    pub delivery: CaseDelivery,
    pub body: CaseBody,
}

/// A case with every message, in the order sent or received.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRecord {
    pub summary: CaseSummary,
    pub messages: Vec<CaseMessage>,
}

/// How many cases stand where, for the metrics and the desk's badges. No personal data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseCounts {
    /// Waiting for a party, with no deadline close.
    pub open: u64,
    pub due_soon: u64,
    pub overdue: u64,
    pub closed: u64,
}

impl CaseCounts {
    /// The counts of `statuses`.
    pub fn of(statuses: impl IntoIterator<Item = CaseStatus>) -> CaseCounts {
        let mut counts = CaseCounts::default();
        for s in statuses {
            let slot = match s {
                CaseStatus::Open => &mut counts.open,
                CaseStatus::DueSoon => &mut counts.due_soon,
                CaseStatus::Overdue => &mut counts.overdue,
                CaseStatus::Closed => &mut counts.closed,
            };
            *slot += 1;
        }
        counts
    }
}

/// A boxed future answering a case desk call.
pub type CaseFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, RegisterError>> + Send + 'a>>;

/// The exchange node's case desk.
pub trait CaseDesk: Send + Sync + std::fmt::Debug {
    /// The cases `filter` matches at `now`: overdue first, then due soon (the nearest deadline
    /// first), then the other open cases and the closed ones (the latest activity first). No
    /// personal data; `Forbidden` outside [`CASE_ROLES`].
    fn cases<'a>(&'a self, role: Role, filter: &'a CaseFilter, now: Timestamp) -> CaseFuture<'a, Vec<CaseSummary>>;

    /// One case with every message and its body, after logging the read `access` makes;
    /// `NotFound(ExchangeCase)` when no case has this id (nothing is logged then), `Forbidden`
    /// outside [`CASE_ROLES`].
    fn case<'a>(&'a self, access: &'a Access, case_id: Uuid, now: Timestamp) -> CaseFuture<'a, CaseRecord>;

    /// How many cases stand where at `now`: counts only, for the node's metrics.
    fn case_counts(&self, now: Timestamp) -> CaseFuture<'_, CaseCounts>;
}

/// Refuses a role that does not work cases.
pub fn require_case_role(role: Role, action: &'static str) -> Result<(), RegisterError> {
    if CASE_ROLES.contains(&role) { Ok(()) } else { Err(RegisterError::Forbidden { role: role.as_str(), action }) }
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
        let ranks: Vec<usize> = CaseStatus::ALL.iter().map(|s| s.rank()).collect();
        assert_eq!(ranks, [0, 1, 2, 3]);
    }

    #[test]
    fn the_open_filter_takes_in_due_soon_and_overdue_cases() {
        assert!(CaseStatus::Overdue.matches(CaseStatus::Open));
        assert!(CaseStatus::DueSoon.matches(CaseStatus::Open));
        assert!(!CaseStatus::Closed.matches(CaseStatus::Open));
        assert!(!CaseStatus::Open.matches(CaseStatus::Overdue));
        assert!(CaseStatus::Closed.matches(CaseStatus::Closed));
    }

    #[test]
    fn only_exchange_officers_signatories_and_auditors_work_cases() {
        assert!(require_case_role(Role::Exchange, "x").is_ok());
        assert!(require_case_role(Role::Auditor, "x").is_ok());
        assert!(matches!(require_case_role(Role::Officer, "x"), Err(RegisterError::Forbidden { .. })));
        assert!(matches!(require_case_role(Role::Border, "x"), Err(RegisterError::Forbidden { .. })));
    }
}
