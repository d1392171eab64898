//! The treaty case desk as the front ends use it: cases with their Art. 11.3 deadlines, one case
//! with every message and its body, the requested party's steps, and the outgoing channels an
//! administrator looks after. The exchange node owns the cases (its outbox, inbox and sealed
//! payloads) and implements [`CaseDesk`]; the register defines what a case looks like to an
//! officer, so that the JSON API and the web pages show the same thing from one answer.

use std::future::Future;
use std::pin::Pin;

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::{Country, Role};
pub use sapar_treaty::agreement::RefusalGround;
use sapar_treaty::case::CaseState;
pub use sapar_treaty::category::{DataCategory, PersonField};
use sapar_treaty::wire;

/// A record of Art. 7 personal data as it travels: field names to their wire values.
pub type Art7Record = wire::Person;
use serde_json::Value;
use uuid::Uuid;

use crate::access::Access;
use crate::{Actor, RegisterError};

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
    /// The steps this node may take in the case's state (none when it is not the requested party
    /// of an open request).
    pub steps: Vec<CaseStepKind>,
    /// What the request asks and what the agreement lets this node answer, while this node is
    /// the requested party of a request it may still answer; `None` otherwise.
    pub answer: Option<AnswerTerms>,
}

/// What the requested party is asked in an open request (Art. 10.2), and what the agreement in
/// force lets it answer: the categories asked (Art. 6), the Art. 7 fields asked that the
/// agreement lists, and the agreement's refusal grounds (Art. 11.4).
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerTerms {
    /// The request being answered.
    pub request_id: Uuid,
    pub agreement: String,
    /// The purpose the requesting party stated.
    pub purpose: String,
    pub categories: Vec<DataCategory>,
    /// The fields an answer may carry: those asked that the agreement lists, in the agreement's
    /// order; every listed field when the request named none.
    pub fields: Vec<PersonField>,
    /// Who the request is about, as the requesting party described them (Art. 7 fields).
    pub person: Option<wire::Person>,
    pub grounds: Vec<RefusalGround>,
}

/// One category answered: the records found (Art. 7 fields only), none for "not found".
#[derive(Debug, Clone, PartialEq)]
pub struct AnsweredCategory {
    pub category: DataCategory,
    pub records: Vec<wire::Person>,
}

/// One category refused, on a ground the agreement lists, with reasons (Art. 11.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedCategory {
    pub category: DataCategory,
    pub ground: String,
    pub reasons: String,
}

/// The answer an officer sends to a request: every category asked, answered or refused.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CaseAnswer {
    pub results: Vec<AnsweredCategory>,
    pub refusals: Vec<RefusedCategory>,
}

impl CaseAnswer {
    /// The answer's body on the wire (`sapar-exchange/1` `answer`).
    pub fn to_wire(&self) -> wire::AnswerBody {
        wire::AnswerBody {
            results: self
                .results
                .iter()
                .map(|r| wire::CategoryResult {
                    category: r.category.as_str().to_owned(),
                    status: if r.records.is_empty() { "not_found" } else { "found" }.to_owned(),
                    records: r.records.clone(),
                })
                .collect(),
            refusals: self
                .refusals
                .iter()
                .map(|r| wire::CategoryRefusal {
                    category: r.category.as_str().to_owned(),
                    ground: Some(r.ground.clone()),
                    reasons: r.reasons.clone(),
                })
                .collect(),
        }
    }

    /// Checks the answer against what was asked, before the treaty's own checks: every category
    /// asked is answered or refused once, no other category appears, and no record carries a
    /// field the answer may not carry. A refusal names the field at fault and a stable code.
    pub fn check_against(&self, terms: &AnswerTerms) -> Result<(), AnswerRefusal> {
        let mut seen = Vec::new();
        for category in self.results.iter().map(|r| r.category).chain(self.refusals.iter().map(|r| r.category)) {
            if !terms.categories.contains(&category) {
                return Err(AnswerRefusal::CategoryNotRequested(category));
            }
            if seen.contains(&category) {
                return Err(AnswerRefusal::CategoryTwice(category));
            }
            seen.push(category);
        }
        if let Some(missing) = terms.categories.iter().find(|c| !seen.contains(c)) {
            return Err(AnswerRefusal::CategoryUnanswered(*missing));
        }
        for result in &self.results {
            for record in &result.records {
                for key in record.keys() {
                    match PersonField::parse(key) {
                        Ok(field) if terms.fields.contains(&field) => {}
                        Ok(_) => return Err(AnswerRefusal::FieldNotRequested(key.clone())),
                        Err(_) => return Err(AnswerRefusal::FieldOutsideArticle7(key.clone())),
                    }
                }
            }
        }
        for refusal in &self.refusals {
            if !terms.grounds.iter().any(|g| g.id == refusal.ground) {
                return Err(AnswerRefusal::GroundNotListed(refusal.ground.clone()));
            }
            if refusal.reasons.trim().is_empty() {
                return Err(AnswerRefusal::ReasonsMissing(refusal.category));
            }
        }
        Ok(())
    }
}

/// Why an answer does not fit the request it answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerRefusal {
    #[error("category {0} was not requested")]
    CategoryNotRequested(DataCategory),
    #[error("category {0} is answered or refused twice")]
    CategoryTwice(DataCategory),
    #[error("category {0} was requested but is neither answered nor refused")]
    CategoryUnanswered(DataCategory),
    #[error("field {0:?} is not an Art. 7 field")]
    FieldOutsideArticle7(String),
    #[error("field {0:?} was not requested, or the agreement does not list it")]
    FieldNotRequested(String),
    #[error("ground {0:?} is not a refusal ground of the agreement (Art. 11.4)")]
    GroundNotListed(String),
    #[error("the refusal of {0} gives no reasons (Art. 11.4)")]
    ReasonsMissing(DataCategory),
}

impl AnswerRefusal {
    /// The stable code: the treaty's own where it has one.
    pub fn code(&self) -> &'static str {
        match self {
            AnswerRefusal::CategoryNotRequested(_) => "category_not_requested",
            AnswerRefusal::CategoryTwice(_) | AnswerRefusal::CategoryUnanswered(_) => "answer_incomplete",
            AnswerRefusal::FieldOutsideArticle7(_) => "field_outside_agreement",
            AnswerRefusal::FieldNotRequested(_) => "field_not_requested",
            AnswerRefusal::GroundNotListed(_) => "refusal_ground_invalid",
            AnswerRefusal::ReasonsMissing(_) => "reason_required",
        }
    }
}

impl From<AnswerRefusal> for RegisterError {
    fn from(e: AnswerRefusal) -> RegisterError {
        RegisterError::ExchangeRefused { code: e.code(), message: e.to_string() }
    }
}

/// A step the requested party takes in an open request from the case page, each allowed only in
/// the states the treaty's case machine allows it (`docs/protocol.md`, section 7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseStep {
    /// The answer will be late (Art. 11.3), and why; when it is expected, if known.
    DelayNotice { reason: String, expected_on: Option<Date> },
    /// More information is needed to execute the request (Art. 11.1).
    ClarificationRequest { text: String },
    /// Execution is postponed or made conditional (Art. 11.2).
    Postponement { reason: String, conditions: Option<String>, until: Option<Date> },
    /// The request's authenticity or content is in doubt (Art. 10.5).
    AuthenticityQuery { text: String },
    /// The request cannot be executed confidentially (Art. 12.1).
    ConfidentialityNotice { text: String },
}

/// The kinds of [`CaseStep`], as the case page offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseStepKind {
    DelayNotice,
    ClarificationRequest,
    Postponement,
    AuthenticityQuery,
    ConfidentialityNotice,
}

impl CaseStepKind {
    /// Every kind, in the order the case page offers them.
    pub const ALL: [CaseStepKind; 5] = [
        CaseStepKind::ClarificationRequest,
        CaseStepKind::DelayNotice,
        CaseStepKind::Postponement,
        CaseStepKind::AuthenticityQuery,
        CaseStepKind::ConfidentialityNotice,
    ];

    /// The message type that carries the step.
    pub fn message_type(self) -> &'static str {
        match self {
            CaseStepKind::DelayNotice => "delay_notice",
            CaseStepKind::ClarificationRequest => "clarification_request",
            CaseStepKind::Postponement => "postponement",
            CaseStepKind::AuthenticityQuery => "authenticity_query",
            CaseStepKind::ConfidentialityNotice => "confidentiality_notice",
        }
    }

    /// Parses [`CaseStepKind::message_type`].
    pub fn parse(raw: &str) -> Option<CaseStepKind> {
        CaseStepKind::ALL.into_iter().find(|k| k.message_type() == raw)
    }
}

impl CaseStep {
    /// The step's kind.
    pub fn kind(&self) -> CaseStepKind {
        match self {
            CaseStep::DelayNotice { .. } => CaseStepKind::DelayNotice,
            CaseStep::ClarificationRequest { .. } => CaseStepKind::ClarificationRequest,
            CaseStep::Postponement { .. } => CaseStepKind::Postponement,
            CaseStep::AuthenticityQuery { .. } => CaseStepKind::AuthenticityQuery,
            CaseStep::ConfidentialityNotice { .. } => CaseStepKind::ConfidentialityNotice,
        }
    }

    /// The step from a form's or request's fields: its kind's text (the reason, for a delay or a
    /// postponement) is required; dates are `YYYY-MM-DD`. A refusal names the field.
    pub fn parse(
        kind: &str,
        text: &str,
        date: Option<&str>,
        conditions: Option<&str>,
    ) -> Result<CaseStep, sapar_model::InputError> {
        use sapar_model::{InputCode, InputError};
        let kind = CaseStepKind::parse(kind.trim())
            .ok_or_else(|| InputError::new("step", InputCode::InvalidChoice, "not a step of an open request"))?;
        let text = text.trim();
        if text.is_empty() {
            return Err(InputError::new("text", InputCode::MissingField, "say what the partner is told"));
        }
        if text.chars().count() > 4000 {
            return Err(InputError::new("text", InputCode::TooLong, "at most 4000 characters"));
        }
        let date = match date.map(str::trim).filter(|d| !d.is_empty()) {
            None => None,
            Some(d) => Some(
                d.parse::<Date>()
                    .map_err(|_| InputError::new("date", InputCode::InvalidDate, format!("{d:?} is not YYYY-MM-DD")))?,
            ),
        };
        let conditions = conditions.map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
        let text = text.to_owned();
        Ok(match kind {
            CaseStepKind::DelayNotice => CaseStep::DelayNotice { reason: text, expected_on: date },
            CaseStepKind::ClarificationRequest => CaseStep::ClarificationRequest { text },
            CaseStepKind::Postponement => CaseStep::Postponement { reason: text, conditions, until: date },
            CaseStepKind::AuthenticityQuery => CaseStep::AuthenticityQuery { text },
            CaseStepKind::ConfidentialityNotice => CaseStep::ConfidentialityNotice { text },
        })
    }
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

/// Why an outgoing channel stopped delivering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelStop {
    /// The partner's error code (`sequence_out_of_order`, `chain_hash_mismatch`) or `resign_failed`.
    pub code: String,
    /// The partner's message and this node's record of the channel.
    pub detail: String,
    /// The message the partner refused.
    pub message_id: Uuid,
    pub since: Timestamp,
}

/// An outgoing channel (one agreement, one partner, one direction) as operators see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeChannel {
    /// `AGREEMENT:FROM>TO`.
    pub channel: String,
    pub agreement: String,
    pub partner: Country,
    /// The sequence number of the last message delivered with a receipt.
    pub delivered_seq: Option<i64>,
    /// The sequence number the next message queued gets.
    pub next_seq: i64,
    /// Messages waiting for delivery.
    pub queued: i64,
    /// Set while the channel is halted: nothing goes out on it until an operator resumes it.
    pub halt: Option<ChannelStop>,
}

/// A boxed future answering a case desk call.
pub type CaseFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, RegisterError>> + Send + 'a>>;

/// The exchange node's desk: its cases for exchange officers, signatories and auditors, its
/// outgoing channels for administrators.
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

    /// Takes `step` in the case on behalf of `actor` (an exchange officer or signatory): the
    /// message goes to the partner's authority that sent the request, in reply to it, signed by a
    /// signatory of this state's authority it was addressed to. Refused with the treaty's code
    /// (`ExchangeRefused`) when the case's state does not allow it. The queued message's id.
    fn take_step<'a>(&'a self, actor: &'a Actor, case_id: Uuid, step: CaseStep) -> CaseFuture<'a, Uuid>;

    /// Sends `answer` to the case's request on behalf of `actor` (an exchange officer or
    /// signatory), as [`CaseDesk::take_step`] sends a step: checked against the request first
    /// ([`CaseAnswer::check_against`]), then as the partner will check it. The queued message's id.
    fn answer<'a>(&'a self, actor: &'a Actor, case_id: Uuid, answer: CaseAnswer) -> CaseFuture<'a, Uuid>;

    /// What cases can be opened with, per agreement in force with a configured partner.
    /// Exchange officers and signatories.
    fn openings<'a>(&'a self, role: Role) -> CaseFuture<'a, Vec<OpeningTerms>>;

    /// Opens a case with `opening` on behalf of `actor` (an exchange officer or signatory),
    /// signed by a signatory of the sending authority; refused with the treaty's code when the
    /// partner would refuse it. The new case's id.
    fn open_case<'a>(&'a self, actor: &'a Actor, opening: CaseOpening) -> CaseFuture<'a, Uuid>;

    /// The outgoing channels, by name. Administrators only.
    fn channels<'a>(&'a self, actor: &'a Actor) -> CaseFuture<'a, Vec<ExchangeChannel>>;

    /// Lets a halted channel deliver again (an administrator's decision once this node and the
    /// partner agree on the channel again); `ExchangeRefused` with `channel_not_halted` when it
    /// is not halted, `invalid_id` when `channel` is not a channel's name.
    fn resume_channel<'a>(&'a self, actor: &'a Actor, channel: &'a str) -> CaseFuture<'a, ExchangeChannel>;
}

/// An authority a case can be opened from or to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityChoice {
    pub id: String,
    pub name_ru: String,
    pub name_en: String,
}

/// What this node can open a case with under one agreement in force with a configured partner.
#[derive(Debug, Clone, PartialEq)]
pub struct OpeningTerms {
    pub agreement: String,
    pub partner: Country,
    /// This state's competent authorities today (the sender, signed by one of its signatories).
    pub local: Vec<AuthorityChoice>,
    /// The partner's competent authorities today.
    pub partner_authorities: Vec<AuthorityChoice>,
    /// The person categories (Art. 6) and Art. 7 fields the agreement allows.
    pub categories: Vec<DataCategory>,
    pub fields: Vec<PersonField>,
}

/// Whether a case opens with a hit/no-hit query or a request (Art. 10.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpeningKind {
    Query,
    Request,
}

/// A case an officer opens: a query or a request about a person, to a partner's authority.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseOpening {
    pub kind: OpeningKind,
    pub agreement: String,
    pub from: String,
    pub to: String,
    pub categories: Vec<DataCategory>,
    /// The Art. 7 fields asked for (a request).
    pub fields: Vec<PersonField>,
    pub person: Art7Record,
    pub purpose: String,
    /// A request's statement of substance and justification (Art. 10.2).
    pub substance: String,
    pub justification: String,
}

impl CaseOpening {
    /// The opening message's body on the wire (`query` or `request`).
    pub fn body(&self) -> Value {
        let categories: Vec<&str> = self.categories.iter().map(|c| c.as_str()).collect();
        match self.kind {
            OpeningKind::Query => serde_json::json!({
                "purpose": self.purpose,
                "categories": categories,
                "person": self.person,
            }),
            OpeningKind::Request => serde_json::json!({
                "requesting_authority": self.from,
                "requested_authority": self.to,
                "substance": self.substance,
                "purpose": self.purpose,
                "justification": self.justification,
                "categories": categories,
                "fields": self.fields.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
                "person": self.person,
            }),
        }
    }
}

/// A partner's hit/no-hit query (the first step of the Prüm model): whether the register holds
/// data in these categories about the person described. The answer carries no personal data.
#[derive(Debug, Clone, PartialEq)]
pub struct HitQuery {
    pub case_id: Uuid,
    pub agreement: String,
    pub categories: Vec<DataCategory>,
    pub person: Art7Record,
}

/// Answers hit/no-hit queries from the register; the register implements it, the exchange node
/// calls it for each query received under an agreement configured for automatic answers.
pub trait HitCheck: Send + Sync + std::fmt::Debug {
    /// True when the person is in the register, surely (the linkage model's probability of the
    /// best candidate at or above the register's automatic-merge threshold), and the register
    /// holds data about them in one of the categories asked.
    fn hit<'a>(&'a self, query: &'a HitQuery) -> CaseFuture<'a, bool>;
}

/// The roles that take steps in cases (auditors only read them).
pub const STEP_ROLES: [Role; 2] = [Role::Exchange, Role::Signatory];

/// Refuses a role that does not take steps in cases.
pub fn require_step_role(role: Role) -> Result<(), RegisterError> {
    if STEP_ROLES.contains(&role) {
        Ok(())
    } else {
        Err(RegisterError::Forbidden { role: role.as_str(), action: "take steps in exchange cases" })
    }
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
