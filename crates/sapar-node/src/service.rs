//! What officers do with the exchange: send a message (checked as the partner will check it,
//! signed by a signatory of the sending authority, and put in the outbox together with the case
//! it moves, in one transaction) and list the messages sent and received with their delivery
//! state and receipts.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use jiff::Timestamp;
use sapar_model::Country;
use sapar_store::Store;
use sapar_store::exchange::{CaseRow, EnqueueError, OutboxEntry, OutboxStatus, OutgoingMessage};
use sapar_treaty::agreement::AgreementBook;
use sapar_treaty::case::{self, CaseState, Side};
use sapar_treaty::codes::ErrorCode;
use sapar_treaty::ids::{AgreementId, AuthorityId, CaseId, ChannelId, MessageId, Sha256Hash};
use sapar_treaty::message::{self, MessageType};
use sapar_treaty::receive::Rejection;
use sapar_treaty::send::{self, Draft};
use sapar_treaty::{jws, receipt, wire};
use serde_json::Value;
use uuid::Uuid;

use crate::NodeError;
use crate::dispatcher::{Dispatcher, Partner};
use crate::setup::{LocalKeys, LocalSignatory};

/// A message an officer wants to send, as given (every field is checked here).
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub agreement: String,
    /// The sending authority, of this node's state.
    pub from: String,
    /// The receiving authority, of a partner state.
    pub to: String,
    pub message_type: String,
    /// The case; a new one when `None`.
    pub case_id: Option<String>,
    pub in_reply_to: Option<String>,
    /// The signatory (file stem in the keys directory, e.g. `KAZ-MVD-1`); default the first
    /// signatory of `from`.
    pub signatory: Option<String>,
    pub body: Value,
}

/// Why a message was not put in the outbox.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// A field is not usable; `code` is stable (`invalid_id`, `message_type_unknown`,
    /// `sender_not_local`, `partner_not_configured`, `signatory_not_available`).
    #[error("{field}: {message}")]
    Invalid { code: &'static str, field: &'static str, message: String },
    /// The partner would refuse the message with this code, so it is not sent.
    #[error(transparent)]
    Refused(#[from] Rejection),
    #[error(transparent)]
    Node(#[from] NodeError),
}

fn invalid(code: &'static str, field: &'static str, message: impl Into<String>) -> SendError {
    SendError::Invalid { code, field, message: message.into() }
}

/// A message put in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub entry: OutboxEntry,
    pub case_id: CaseId,
    pub message_type: MessageType,
    /// The signatory who signed it.
    pub signatory: String,
}

/// Which way a listed message went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
}

/// Where a listed message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    /// Outgoing, waiting for a receipt.
    Pending,
    /// Outgoing, delivered with a verified receipt.
    Delivered,
    /// Outgoing, refused by the partner (not retried).
    Rejected,
    /// Incoming, stored and acknowledged.
    Received,
}

impl DeliveryState {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Rejected => "rejected",
            DeliveryState::Received => "received",
        }
    }
}

/// A receipt, as listed: the signed text and, when it verifies, what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptRecord {
    pub jws: String,
    /// The receipt verifies against the receiving node's pinned CA and node certificate, and
    /// names this message and its hash.
    pub verified: bool,
    pub received_at: Option<Timestamp>,
    pub receiver: Option<String>,
}

/// One message sent or received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRecord {
    pub direction: Direction,
    pub id: Uuid,
    pub channel: String,
    pub seq: i64,
    pub message_type: String,
    pub case_id: Uuid,
    pub agreement: String,
    pub from: String,
    pub to: String,
    pub created_at: Timestamp,
    pub message_hash: String,
    pub state: DeliveryState,
    /// Delivery attempts so far (outgoing).
    pub attempts: Option<i64>,
    /// The last delivery error or the partner's refusal code (outgoing).
    pub last_error: Option<String>,
    /// When the next attempt is due (outgoing, pending).
    pub next_attempt_at: Option<Timestamp>,
    pub receipt: Option<ReceiptRecord>,
}

/// The officers' side of the exchange node.
#[derive(Debug)]
pub struct ExchangeService {
    local_state: Country,
    book: Arc<AgreementBook>,
    store: Store,
    signatories: Vec<LocalSignatory>,
    partners: HashMap<Country, Partner>,
    own_ca_der: Vec<u8>,
    own_node: Sha256Hash,
    dispatcher: Dispatcher,
}

fn parse_id<T, E>(raw: &str, field: &'static str, parse: impl FnOnce(&str) -> Result<T, E>) -> Result<T, SendError>
where
    E: std::fmt::Display,
{
    parse(raw).map_err(|e| invalid("invalid_id", field, e.to_string()))
}

fn state_of(authority: &AuthorityId) -> Option<Country> {
    Country::parse(authority.state_prefix()).ok()
}

/// The side of a case a message from `sender` comes from, and the case state after it.
fn next_case(case: Option<&CaseRow>, sender: Country, mt: MessageType) -> Result<(CaseState, String), Rejection> {
    let corrupt = |what: &str| Rejection {
        code: ErrorCode::InternalError,
        message: format!("the stored case has an unreadable {what}"),
    };
    let (state, opened_by) = match case {
        Some(c) => (Some(CaseState::parse(&c.state).ok_or_else(|| corrupt("state"))?), c.opened_by.clone()),
        None => (None, sender.code().to_owned()),
    };
    let side = if opened_by == sender.code() { Side::Opener } else { Side::Responder };
    let next = case::transition(state, mt, side)
        .map_err(|e| Rejection { code: ErrorCode::MessageTypeNotAllowed, message: e.to_string() })?;
    Ok((next, opened_by))
}

impl ExchangeService {
    /// The service of the node holding `keys`, sending to `partners` through `dispatcher`.
    pub fn new(
        keys: &LocalKeys,
        book: Arc<AgreementBook>,
        store: Store,
        partners: HashMap<Country, Partner>,
        dispatcher: Dispatcher,
    ) -> ExchangeService {
        ExchangeService {
            local_state: keys.state,
            book,
            store,
            signatories: keys.signatories.clone(),
            partners,
            own_ca_der: keys.ca_cert_der.clone(),
            own_node: keys.node.fingerprint(),
            dispatcher,
        }
    }

    /// This node's state.
    pub fn local_state(&self) -> Country {
        self.local_state
    }

    /// Checks, signs and enqueues a message; the dispatcher is woken to deliver it.
    pub async fn send(&self, out: Outgoing) -> Result<Queued, SendError> {
        let agreement = parse_id(&out.agreement, "agreement", AgreementId::parse)?;
        let from = parse_id(&out.from, "from", AuthorityId::parse)?;
        let to = parse_id(&out.to, "to", AuthorityId::parse)?;
        let mt = MessageType::parse(&out.message_type).map_err(|_| {
            invalid("message_type_unknown", "type", format!("{:?} is not a message type", out.message_type))
        })?;
        let case_id = match &out.case_id {
            Some(raw) => parse_id(raw, "case_id", CaseId::parse)?,
            None => CaseId::from_uuid(Uuid::now_v7()),
        };
        let in_reply_to =
            out.in_reply_to.as_deref().map(|raw| parse_id(raw, "in_reply_to", MessageId::parse)).transpose()?;

        if state_of(&from) != Some(self.local_state) {
            return Err(invalid(
                "sender_not_local",
                "from",
                format!("{from} is not an authority of this node's state {}", self.local_state),
            ));
        }
        let partner = state_of(&to).filter(|s| self.partners.contains_key(s)).ok_or_else(|| {
            invalid("partner_not_configured", "to", format!("{to} is not an authority of a configured partner"))
        })?;
        let signatory = self
            .signatories
            .iter()
            .find(|s| s.authority == from && out.signatory.as_deref().is_none_or(|name| name == s.name))
            .ok_or_else(|| {
                let which =
                    out.signatory.as_deref().map_or_else(|| "any signatory".to_owned(), |n| format!("signatory {n}"));
                invalid("signatory_not_available", "signatory", format!("this node holds no key of {which} of {from}"))
            })?;

        let now = Timestamp::now();
        let draft = Draft {
            id: MessageId::new_at(now),
            agreement: agreement.clone(),
            from,
            to,
            message_type: mt,
            case_id,
            in_reply_to,
            created_at: now,
            body: out.body,
        };
        send::check_draft(&self.book, &draft)?;
        let stored = self.store.exchange_case(case_id.as_uuid()).await.map_err(NodeError::from)?;
        next_case(stored.as_ref(), self.local_state, mt)?;

        let channel = ChannelId { agreement: agreement.clone(), from_state: self.local_state, to_state: partner };
        let refusal: Arc<OnceLock<Rejection>> = Arc::new(OnceLock::new());
        let compose = {
            let (book, signer, local, refusal) =
                (Arc::clone(&self.book), Arc::clone(&signatory.identity), self.local_state, Arc::clone(&refusal));
            let draft = draft.clone();
            Box::new(move |seq: i64, prev: Option<String>, case: Option<CaseRow>| {
                let refuse = |r: Rejection| {
                    let text = r.to_string();
                    let _ = refusal.set(r);
                    text
                };
                let (state, opened_by) = next_case(case.as_ref(), local, draft.message_type).map_err(refuse)?;
                if let Some(c) = case.as_ref().filter(|c| c.agreement != draft.agreement.as_str()) {
                    return Err(refuse(Rejection {
                        code: ErrorCode::MessageTypeNotAllowed,
                        message: format!("case {} is under {}, not {}", draft.case_id, c.agreement, draft.agreement),
                    }));
                }
                let prev = prev.map(|h| Sha256Hash::parse(&h)).transpose().map_err(|e| e.to_string())?;
                let seq = u64::try_from(seq).map_err(|e| e.to_string())?;
                let signed = send::compose(&book, &draft, seq, prev, &signer).map_err(|e| e.to_string())?;
                let message = OutgoingMessage {
                    message_id: draft.id.as_uuid(),
                    message_hash: signed.hash.to_hex(),
                    jws: signed.jws,
                    created_at: draft.created_at,
                };
                let case =
                    CaseRow { agreement: draft.agreement.to_string(), opened_by, state: state.as_str().to_owned() };
                Ok((message, case))
            })
        };
        let entry = match self.store.enqueue_outgoing_in_case(&channel.to_string(), case_id.as_uuid(), compose).await {
            Ok(e) => e,
            Err(EnqueueError::Compose(m)) => {
                return Err(match refusal.get().cloned() {
                    Some(r) => SendError::Refused(r),
                    None => SendError::Node(NodeError::Draft(m)),
                });
            }
            Err(EnqueueError::Store(e)) => return Err(NodeError::from(e).into()),
        };
        tracing::info!(id = %entry.message_id, channel = %entry.channel, seq = entry.seq, r#type = mt.as_str(), "message enqueued");
        self.dispatcher.wake();
        Ok(Queued { entry, case_id, message_type: mt, signatory: signatory.name.clone() })
    }

    /// The latest `limit` messages in `direction`, oldest first.
    pub async fn list(&self, direction: Direction, limit: i64) -> Result<Vec<MessageRecord>, NodeError> {
        match direction {
            Direction::Out => {
                let entries = self.store.outbox_entries(limit).await?;
                entries.iter().map(|e| self.outgoing_record(e)).collect()
            }
            Direction::In => {
                let rows = self.store.inbox_messages(limit).await?;
                Ok(rows
                    .into_iter()
                    .map(|m| MessageRecord {
                        direction: Direction::In,
                        receipt: Some(self.read_receipt(
                            &m.receipt,
                            &self.own_ca_der,
                            &[self.own_node],
                            m.message_id,
                            &m.message_hash,
                        )),
                        id: m.message_id,
                        channel: m.channel,
                        seq: m.seq,
                        message_type: m.message_type,
                        case_id: m.case_id,
                        agreement: m.agreement,
                        from: m.from_authority,
                        to: m.to_authority,
                        created_at: m.created_at,
                        message_hash: m.message_hash,
                        state: DeliveryState::Received,
                        attempts: None,
                        last_error: None,
                        next_attempt_at: None,
                    })
                    .collect())
            }
        }
    }

    fn outgoing_record(&self, e: &OutboxEntry) -> Result<MessageRecord, NodeError> {
        let corrupt = |what: &str| NodeError::Corrupt(format!("outbox message {}: {what}", e.message_id));
        let parsed = jws::parse_compact(&e.jws, wire::TYP_MESSAGE).map_err(|err| corrupt(&err.to_string()))?;
        let (header, message_type, _) =
            message::parse_envelope(&parsed.payload).map_err(|err| corrupt(&err.to_string()))?;
        let partner = ChannelId::parse(&e.channel).ok().and_then(|c| self.partners.get(&c.to_state));
        let receipt = e.receipt.as_deref().map(|r| match partner {
            Some(p) => self.read_receipt(r, &p.ca_cert_der, &p.node_cert_fingerprints, e.message_id, &e.message_hash),
            None => ReceiptRecord { jws: r.to_owned(), verified: false, received_at: None, receiver: None },
        });
        let state = match e.status {
            OutboxStatus::Pending => DeliveryState::Pending,
            OutboxStatus::Delivered => DeliveryState::Delivered,
            OutboxStatus::Rejected => DeliveryState::Rejected,
        };
        Ok(MessageRecord {
            direction: Direction::Out,
            id: e.message_id,
            channel: e.channel.clone(),
            seq: e.seq,
            message_type,
            case_id: header.case_id.as_uuid(),
            agreement: header.agreement.to_string(),
            from: header.from.to_string(),
            to: header.to.to_string(),
            created_at: header.created_at,
            message_hash: e.message_hash.clone(),
            state,
            attempts: Some(e.attempts),
            last_error: e.last_error.clone(),
            next_attempt_at: (e.status == OutboxStatus::Pending).then_some(e.next_attempt_at),
            receipt,
        })
    }

    fn read_receipt(&self, jws: &str, ca: &[u8], nodes: &[Sha256Hash], id: Uuid, hash: &str) -> ReceiptRecord {
        match receipt::verify_receipt(jws, ca, nodes) {
            Ok(info) => ReceiptRecord {
                jws: jws.to_owned(),
                verified: info.message_id.as_uuid() == id && info.message_hash.to_hex() == hash,
                received_at: Some(info.received_at),
                receiver: Some(info.receiver),
            },
            Err(_) => ReceiptRecord { jws: jws.to_owned(), verified: false, received_at: None, receiver: None },
        }
    }
}
