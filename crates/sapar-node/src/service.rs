//! What officers and operators do with the exchange: send a message (checked as the partner will
//! check it, signed by a signatory of the sending authority, and put in the outbox together with
//! the case it moves, in one transaction), list the messages sent and received with their delivery
//! state and receipts, send this state's new signatory lists and authority changes to partners
//! (recorded and applied here in the transaction that queues them), and look at and resume the
//! outgoing channels.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use jiff::Timestamp;
use sapar_model::Country;
use sapar_store::Store;
use sapar_store::exchange::{
    CaseRow, ChannelHalt, EnqueueError, OutboxEntry, OutboxStatus, OutgoingMessage, RegistryChange,
};
use sapar_treaty::case::{self, CaseState, Side};
use sapar_treaty::codes::ErrorCode;
use sapar_treaty::ids::{AgreementId, AuthorityId, CaseId, ChannelId, MessageId, Sha256Hash};
use sapar_treaty::message::{self, Body, MessageType};
use sapar_treaty::receive::Rejection;
use sapar_treaty::seal::PayloadKey;
use sapar_treaty::send::{self, Draft};
use sapar_treaty::{jws, receipt, wire};
use serde_json::Value;
use uuid::Uuid;

use crate::NodeError;
use crate::dispatcher::{Dispatcher, Partner};
use crate::registry::{self, Registry};
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
    /// `sender_not_local`, `partner_not_configured`, `signatory_not_available`, `invalid_value`,
    /// `no_recipient`).
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

/// Which way a listed message went, and where it stands: the case desk's own terms, so that a
/// listed message and a case's message say the same thing.
pub use sapar_register::exchange::{CaseDelivery as DeliveryState, CaseDirection as Direction};

/// Where an outgoing message stands, from its outbox row.
pub(crate) fn delivery_of(status: OutboxStatus) -> DeliveryState {
    match status {
        OutboxStatus::Pending => DeliveryState::Pending,
        OutboxStatus::Delivered => DeliveryState::Delivered,
        OutboxStatus::Rejected => DeliveryState::Rejected,
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

/// One signatory of a new list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSignatory {
    pub name: String,
    pub position: String,
    /// SHA-256 of the signatory certificate's DER, 64 hex digits.
    pub certificate_sha256: String,
}

/// A new version of one of this state's authorities' signatory lists (Art. 10.4), as an operator
/// gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSignatoryList {
    pub authority: String,
    /// Default: one above the highest version held (version 1 is the list exchanged out of band).
    pub version: Option<u32>,
    /// RFC 3339 UTC instant from which the list is in force.
    pub effective_from: String,
    pub signatories: Vec<NewSignatory>,
    /// The signatory who signs the messages (on the list in force now); default the first one.
    pub signatory: Option<String>,
}

/// A signatory list sent to every partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSent {
    pub authority: AuthorityId,
    pub version: u32,
    pub effective_from: Timestamp,
    /// One message per partner and agreement.
    pub messages: Vec<Queued>,
}

/// An authority change of this state (Art. 2) under one agreement, as an operator gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuthorityChange {
    pub agreement: String,
    /// The sending authority; default the first competent authority of this state with a key.
    pub from: Option<String>,
    /// `YYYY-MM-DD`.
    pub effective_on: String,
    pub replaced: Option<String>,
    /// Id, Russian name, English name.
    pub new: Option<(String, String, String)>,
    pub basis: String,
    pub signatory: Option<String>,
}

/// An outgoing channel, as operators see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelRecord {
    pub channel: String,
    pub agreement: String,
    pub partner: Country,
    /// The sequence number of the last message delivered with a receipt.
    pub delivered_seq: Option<i64>,
    /// The sequence number the next message queued gets.
    pub next_seq: i64,
    /// Messages waiting for delivery.
    pub queued: i64,
    pub halt: Option<ChannelHalt>,
}

/// Why a channel was not resumed.
#[derive(Debug, thiserror::Error)]
pub enum ResumeError {
    #[error("{0} is not a channel name (AGREEMENT:FROM>TO)")]
    NotAChannel(String),
    #[error("channel {0} is not halted")]
    NotHalted(String),
    #[error(transparent)]
    Node(#[from] NodeError),
}

/// The officers' side of the exchange node.
#[derive(Debug)]
pub struct ExchangeService {
    local_state: Country,
    registry: Arc<Registry>,
    store: Store,
    signatories: Vec<LocalSignatory>,
    partners: HashMap<Country, Partner>,
    own_ca_der: Vec<u8>,
    own_node: Sha256Hash,
    dispatcher: Dispatcher,
    /// Opens the payloads received from partners, sealed at rest.
    payload_key: PayloadKey,
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

/// The header a draft will have (numbers aside), for validating its body.
fn header_of(draft: &Draft) -> message::Header {
    message::Header {
        id: draft.id,
        agreement: draft.agreement.clone(),
        from: draft.from.clone(),
        to: draft.to.clone(),
        case_id: draft.case_id,
        in_reply_to: draft.in_reply_to,
        created_at: draft.created_at,
        seq: 1,
        prev_hash: None,
    }
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
        registry: Arc<Registry>,
        store: Store,
        partners: HashMap<Country, Partner>,
        dispatcher: Dispatcher,
        payload_key: PayloadKey,
    ) -> ExchangeService {
        ExchangeService {
            local_state: keys.state,
            registry,
            store,
            signatories: keys.signatories.clone(),
            partners,
            own_ca_der: keys.ca_cert_der.clone(),
            own_node: keys.node.fingerprint(),
            dispatcher,
            payload_key,
        }
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn registry(&self) -> &Registry {
        &self.registry
    }

    pub(crate) fn partner(&self, state: Country) -> Option<&Partner> {
        self.partners.get(&state)
    }

    pub(crate) fn payload_key(&self) -> &PayloadKey {
        &self.payload_key
    }

    /// This node's state.
    pub fn local_state(&self) -> Country {
        self.local_state
    }

    /// Checks, signs and enqueues a message; the dispatcher is woken to deliver it. A
    /// `signatory_list` or `authority_change` sent this way is recorded and applied here as
    /// [`ExchangeService::send_signatory_list`] and [`ExchangeService::send_authority_change`] do.
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
        let now = Timestamp::now();
        let draft = Draft {
            id: MessageId::new_at(now),
            agreement,
            from,
            to,
            message_type: mt,
            case_id,
            in_reply_to,
            created_at: now,
            body: out.body,
        };
        self.enqueue_draft(draft, out.signatory.as_deref()).await
    }

    /// The signatory of `from` whose key signs a message created at `at`: the one named, or the
    /// first whose key this node holds; when this node sent a list for `from`, only signatories
    /// on the list in force at `at` sign (the partner would refuse the others). A signatory list
    /// message is judged against the lists below its own version: the partner does not hold it yet.
    fn signatory_for(
        &self,
        view: &registry::RegistryView,
        from: &AuthorityId,
        name: Option<&str>,
        at: Timestamp,
        below: Option<u32>,
    ) -> Result<&LocalSignatory, SendError> {
        let list = view
            .signatories
            .lists()
            .iter()
            .filter(|l| &l.authority == from && l.effective_from <= at && below.is_none_or(|v| l.version < v))
            .max_by_key(|l| l.version);
        let listed = |s: &&LocalSignatory| list.is_none_or(|l| l.contains(&s.identity.fingerprint()));
        let mut keys = self.signatories.iter().filter(|s| &s.authority == from);
        let found = match name {
            Some(n) => keys.find(|s| s.name == n),
            None => keys.find(listed),
        };
        let signatory = found.ok_or_else(|| {
            let which = name.map_or_else(|| "any listed signatory".to_owned(), |n| format!("signatory {n}"));
            invalid("signatory_not_available", "signatory", format!("this node holds no key of {which} of {from}"))
        })?;
        if let Some(l) = list.filter(|l| !l.contains(&signatory.identity.fingerprint())) {
            return Err(SendError::Refused(Rejection {
                code: ErrorCode::SignatoryNotListed,
                message: format!("{} is not on {from}'s signatory list version {}", signatory.name, l.version),
            }));
        }
        Ok(signatory)
    }

    /// Checks a draft, signs it and enqueues it with its case (and the registry change it carries,
    /// recorded and applied in the same transaction).
    async fn enqueue_draft(&self, draft: Draft, signatory: Option<&str>) -> Result<Queued, SendError> {
        let (from, to, mt, case_id) = (draft.from.clone(), draft.to.clone(), draft.message_type, draft.case_id);
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
        let view = self.registry.at_least(&self.store).await?;
        send::check_draft(&view.book, &draft)?;
        let terms_date = view
            .book
            .get(&draft.agreement)
            .map(|a| a.local_date(self.local_state, draft.created_at))
            .ok_or_else(|| invalid("invalid_id", "agreement", format!("no agreement {}", draft.agreement)))?;
        let change = match view
            .book
            .get(&draft.agreement)
            .map(|a| message::validate_outgoing(a, &header_of(&draft), mt, &draft.body, terms_date))
        {
            Some(Ok(Body::SignatoryList(list))) => {
                self.check_list_is_newer(&view, &list)?;
                Some(RegistryChange::SignatoryList(registry::row_of_list(&list)))
            }
            Some(Ok(Body::AuthorityChange(c))) => {
                let agreement = view
                    .book
                    .get(&draft.agreement)
                    .ok_or_else(|| invalid("invalid_id", "agreement", format!("no agreement {}", draft.agreement)))?;
                c.apply_to(agreement).map_err(|e| Rejection {
                    code: ErrorCode::AuthorityChangeNotApplicable,
                    message: format!("on {} under {}: {e}", c.effective_on, draft.agreement),
                })?;
                Some(RegistryChange::AuthorityChange(registry::row_of_change(&draft.agreement, &c)))
            }
            _ => None,
        };
        let below = match &change {
            Some(RegistryChange::SignatoryList(l)) if l.authority == from.as_str() => u32::try_from(l.version).ok(),
            _ => None,
        };
        let signatory = self.signatory_for(&view, &from, signatory, draft.created_at, below)?;
        let stored = self.store.exchange_case(case_id.as_uuid()).await.map_err(NodeError::from)?;
        next_case(stored.as_ref(), self.local_state, mt)?;

        let channel = ChannelId { agreement: draft.agreement.clone(), from_state: self.local_state, to_state: partner };
        let refusal: Arc<OnceLock<Rejection>> = Arc::new(OnceLock::new());
        let compose = {
            let (book, signer, local, refusal) =
                (Arc::clone(&view.book), Arc::clone(&signatory.identity), self.local_state, Arc::clone(&refusal));
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
                    })
                    .into());
                }
                let prev = prev.map(|h| Sha256Hash::parse(&h)).transpose().map_err(|e| e.to_string())?;
                let seq = u64::try_from(seq).map_err(|e| e.to_string())?;
                let signed = send::compose(&book, &draft, seq, prev, &signer).map_err(|e| e.to_string())?;
                let message = OutgoingMessage {
                    message_id: draft.id.as_uuid(),
                    message_hash: signed.hash.to_hex(),
                    jws: signed.jws,
                    created_at: draft.created_at,
                    case_id: draft.case_id.as_uuid(),
                    message_type: draft.message_type.as_str().to_owned(),
                };
                let case =
                    CaseRow { agreement: draft.agreement.to_string(), opened_by, state: state.as_str().to_owned() };
                Ok((message, case))
            })
        };
        let channel_name = channel.to_string();
        let enqueued = match &change {
            Some(c) => self.store.enqueue_outgoing_recorded(&channel_name, case_id.as_uuid(), c.clone(), compose).await,
            None => self.store.enqueue_outgoing_in_case(&channel_name, case_id.as_uuid(), compose).await,
        };
        let entry = match enqueued {
            Ok(e) => e,
            Err(EnqueueError::Compose(m)) => {
                return Err(match refusal.get().cloned() {
                    Some(r) => SendError::Refused(r),
                    None => SendError::Node(NodeError::Draft(m.to_string())),
                });
            }
            Err(EnqueueError::RegistryConflict(c)) => return Err(SendError::Node(NodeError::Draft(c.to_string()))),
            Err(EnqueueError::Store(e)) => return Err(NodeError::from(e).into()),
        };
        if change.is_some() {
            self.registry.reload(&self.store).await?;
        }
        tracing::info!(id = %entry.message_id, channel = %entry.channel, seq = entry.seq, r#type = mt.as_str(), "message enqueued");
        self.dispatcher.wake();
        Ok(Queued { entry, case_id, message_type: mt, signatory: signatory.name.clone() })
    }

    /// A list of this state is sent only with a version above every one held for its authority
    /// (at least 1, the list exchanged out of band), or as the very list held at that version
    /// (the same list to another partner).
    fn check_list_is_newer(
        &self,
        view: &registry::RegistryView,
        list: &message::SignatoryList,
    ) -> Result<(), SendError> {
        let held = view.signatories.latest(&list.authority);
        if held.is_some_and(|h| h == list) {
            return Ok(());
        }
        let version = held.map_or(1, |l| l.version);
        if list.version <= version {
            return Err(SendError::Refused(Rejection {
                code: ErrorCode::SignatoryListNotNewer,
                message: format!(
                    "{}'s signatory list version {} is not newer than version {version}",
                    list.authority, list.version
                ),
            }));
        }
        Ok(())
    }

    /// Sends a new signatory list of one of this state's authorities to every partner with an
    /// agreement under which the authority is competent (one message per agreement, to the
    /// partner's first competent authority), each in a new case. The list is recorded in the
    /// transaction of the first message and applies here as at the partners.
    pub async fn send_signatory_list(&self, new: NewSignatoryList) -> Result<ListSent, SendError> {
        let authority = parse_id(&new.authority, "authority", AuthorityId::parse)?;
        let effective_from = message::parse_utc(&new.effective_from).ok_or_else(|| {
            invalid(
                "invalid_value",
                "effective_from",
                format!("{:?} is not an RFC 3339 UTC instant", new.effective_from),
            )
        })?;
        if new.signatories.is_empty() {
            return Err(invalid(
                "invalid_value",
                "signatories",
                format!("an empty list would let no officer of {authority} sign"),
            ));
        }
        for (i, s) in new.signatories.iter().enumerate() {
            Sha256Hash::parse(&s.certificate_sha256).map_err(|_| {
                invalid(
                    "invalid_value",
                    "signatories",
                    format!("signatories[{i}].certificate_sha256 is not 64 hex digits"),
                )
            })?;
        }
        let view = self.registry.at_least(&self.store).await?;
        let held = view.signatories.latest(&authority).map_or(1, |l| l.version);
        let version = new.version.unwrap_or(held.saturating_add(1));
        if version <= held {
            return Err(SendError::Refused(Rejection {
                code: ErrorCode::SignatoryListNotNewer,
                message: format!("{authority}'s signatory list version {version} is not newer than version {held}"),
            }));
        }
        let body = serde_json::json!({
            "authority": authority.to_string(),
            "version": version,
            "effective_from": message::format_utc(effective_from),
            "signatories": new.signatories.iter().map(|s| serde_json::json!({
                "name": s.name,
                "position": s.position,
                "certificate_sha256": s.certificate_sha256.to_ascii_lowercase(),
            })).collect::<Vec<_>>(),
        });
        let now = Timestamp::now();
        let mut recipients = Vec::new();
        let mut partners: Vec<&Country> = self.partners.keys().collect();
        partners.sort_by(|a, b| a.code().cmp(b.code()));
        for partner in partners {
            for agreement in view.book.between(self.local_state, *partner) {
                let date = agreement.local_date(self.local_state, now);
                if !agreement.is_competent(&authority, date) {
                    continue;
                }
                if let Some(to) = agreement.competent_authorities(*partner, date).next() {
                    recipients.push((agreement.id().clone(), to.id.clone()));
                }
            }
        }
        if recipients.is_empty() {
            return Err(invalid(
                "no_recipient",
                "authority",
                format!("{authority} is competent under no agreement with a configured partner"),
            ));
        }
        let mut messages = Vec::new();
        for (agreement, to) in recipients {
            let draft = Draft {
                id: MessageId::new_at(now),
                agreement,
                from: authority.clone(),
                to,
                message_type: MessageType::SignatoryList,
                case_id: CaseId::from_uuid(Uuid::now_v7()),
                in_reply_to: None,
                created_at: now,
                body: body.clone(),
            };
            // The first message records the list; the others carry the very list held.
            messages.push(self.enqueue_draft(draft, new.signatory.as_deref()).await?);
        }
        Ok(ListSent { authority, version, effective_from, messages })
    }

    /// Sends an authority change of this state under one agreement to the partner, in a new
    /// case. The change is recorded in the same transaction and applies here as at the partner.
    pub async fn send_authority_change(&self, new: NewAuthorityChange) -> Result<Queued, SendError> {
        let agreement_id = parse_id(&new.agreement, "agreement", AgreementId::parse)?;
        let view = self.registry.at_least(&self.store).await?;
        let agreement = view
            .book
            .get(&agreement_id)
            .ok_or_else(|| invalid("invalid_id", "agreement", format!("no agreement {agreement_id}")))?;
        let partner = agreement.partner_of(self.local_state).map(|p| p.state).ok_or_else(|| {
            invalid("invalid_id", "agreement", format!("{agreement_id} is not an agreement of {}", self.local_state))
        })?;
        let now = Timestamp::now();
        let date = agreement.local_date(self.local_state, now);
        let from = match &new.from {
            Some(raw) => parse_id(raw, "from", AuthorityId::parse)?,
            None => agreement
                .competent_authorities(self.local_state, date)
                .find(|a| self.signatories.iter().any(|s| s.authority == a.id))
                .map(|a| a.id.clone())
                .ok_or_else(|| {
                    invalid("signatory_not_available", "from", "this node holds no key of a competent authority")
                })?,
        };
        let to = agreement.competent_authorities(partner, date).next().map(|a| a.id.clone()).ok_or_else(|| {
            invalid("no_recipient", "agreement", format!("{partner} has no competent authority under {agreement_id}"))
        })?;
        let mut body = serde_json::json!({
            "state": self.local_state.code(),
            "effective_on": new.effective_on,
            "basis": new.basis,
        });
        if let Some(replaced) = &new.replaced {
            body["replaced"] = Value::String(replaced.clone());
        }
        if let Some((id, name_ru, name_en)) = &new.new {
            body["new"] = serde_json::json!({"id": id, "name_ru": name_ru, "name_en": name_en});
        }
        let draft = Draft {
            id: MessageId::new_at(now),
            agreement: agreement_id,
            from,
            to,
            message_type: MessageType::AuthorityChange,
            case_id: CaseId::from_uuid(Uuid::now_v7()),
            in_reply_to: None,
            created_at: now,
            body,
        };
        self.enqueue_draft(draft, new.signatory.as_deref()).await
    }

    /// The outgoing channels with their numbering, queue and halt, by name.
    pub async fn channels(&self) -> Result<Vec<ChannelRecord>, NodeError> {
        let states = self.store.channel_states().await?;
        states
            .into_iter()
            .map(|c| {
                let id = ChannelId::parse(&c.channel)
                    .map_err(|_| NodeError::Corrupt(format!("outbox channel {}", c.channel)))?;
                Ok(ChannelRecord {
                    agreement: id.agreement.to_string(),
                    partner: id.to_state,
                    channel: c.channel,
                    delivered_seq: c.delivered_seq,
                    next_seq: c.next_seq,
                    queued: c.queued,
                    halt: c.halt,
                })
            })
            .collect()
    }

    /// Lets a halted channel deliver again (its queued messages go out at once, in order); an
    /// operator's decision once this node and the partner agree on the channel again.
    pub async fn resume(&self, channel: &str) -> Result<ChannelRecord, ResumeError> {
        let id = ChannelId::parse(channel).map_err(|_| ResumeError::NotAChannel(channel.to_owned()))?;
        if !self.dispatcher.resume(&id).await? {
            return Err(ResumeError::NotHalted(channel.to_owned()));
        }
        let name = id.to_string();
        self.channels().await?.into_iter().find(|c| c.channel == name).ok_or(ResumeError::NotHalted(name))
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
        let state = delivery_of(e.status);
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
