//! Treaty exchange storage: inbox, outbox, channel heads, cases, the hash-chained message log,
//! halted channels, and the registry of signatory lists and authority changes the exchange
//! carried.
//!
//! The store knows no cryptography: hashes, signed messages and receipts arrive as text, and the
//! caller computes each log entry's hash from the previous entry (a [`ChainFn`]) so that the
//! entry is appended in the same transaction as the message it records. The rules the store
//! applies (numbering, chaining, the checks a batch must still pass when written, registry
//! generations) are pure planners in `exchange/plan.rs`; each backend reads, plans and writes.

use jiff::Timestamp;
use jiff::civil::Date;
use uuid::Uuid;

use std::sync::Arc;

use crate::Store;
use crate::error::StoreError;
use crate::sqlite::SqliteStore;
use crate::sqlite::exchange::EnqueueJob;

pub mod desk;
pub(crate) mod plan;
pub mod retention;
pub(crate) mod sql;

/// Which way a message went, for channel heads and log entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExchangeDirection {
    Sent,
    Received,
}

impl ExchangeDirection {
    /// The stored name: `sent` or `received`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExchangeDirection::Sent => "sent",
            ExchangeDirection::Received => "received",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<ExchangeDirection, StoreError> {
        match s {
            "sent" => Ok(ExchangeDirection::Sent),
            "received" => Ok(ExchangeDirection::Received),
            other => Err(StoreError::Corrupt(format!("exchange direction {other:?}"))),
        }
    }
}

/// The last message of a channel in one direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadRow {
    pub seq: i64,
    pub hash: String,
}

/// One entry of the message log, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    pub index: i64,
    pub prev_entry_hash: Option<String>,
    pub at: Timestamp,
    pub direction: String,
    pub channel: String,
    pub seq: i64,
    pub message_id: Uuid,
    pub message_hash: String,
    pub entry_hash: String,
}

/// A signed checkpoint as stored: the log index it covers, the JWS and when it was signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCheckpoint {
    pub index: i64,
    pub jws: String,
    pub at: Timestamp,
}

/// Builds the next log entry from the last one (None for the first), inside the writing transaction.
pub type ChainFn = Box<dyn FnOnce(Option<&LogRow>) -> LogRow + Send>;

/// A case as the exchange tracks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub agreement: String,
    pub opened_by: String,
    pub state: String,
}

/// An accepted incoming message and everything recorded with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingMessage {
    pub message_id: Uuid,
    pub message_hash: String,
    pub channel: String,
    pub seq: i64,
    pub case_id: Uuid,
    pub agreement: String,
    pub from_authority: String,
    pub to_authority: String,
    pub message_type: String,
    pub created_at: Timestamp,
    pub received_at: Timestamp,
    pub signer: String,
    pub signatory_list_version: i64,
    /// The payload sealed for storage at rest.
    pub sealed_payload: String,
    /// The signed receipt returned to the sender.
    pub receipt: String,
    /// The case after this message.
    pub case: CaseRow,
}

/// What [`Store::store_incoming`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncomingOutcome {
    /// Inbox row, channel head, case and log entry are committed.
    Stored,
    /// A message with this id is already stored: its hash and receipt.
    AlreadyStored { message_hash: String, receipt: String },
    /// The channel head is no longer the one the message was checked against: check again.
    HeadMoved,
    /// A signatory list or authority change was recorded since the registry generation the
    /// message was checked against: check again with the registry as it is now.
    RegistryMoved,
}

/// What incoming messages are checked against, read in one go: which of their ids are stored
/// (with hash and receipt), their channel's received head and their cases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceiverView {
    /// The stored incoming messages among those asked about.
    pub seen: Vec<SeenMessage>,
    pub head: Option<HeadRow>,
    /// The stored cases among those asked about.
    pub cases: Vec<(Uuid, CaseRow)>,
    /// The registry generation (see [`ExchangeRegistry::generation`]).
    pub registry_generation: i64,
}

/// A stored incoming message, as far as a receiver checking a message with the same id needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenMessage {
    pub message_id: Uuid,
    pub message_hash: String,
    pub receipt: String,
}

/// An accepted incoming message, what it records in the registry (a signatory list or an
/// authority change) and its log entry.
pub struct IncomingRecord {
    pub message: IncomingMessage,
    pub change: Option<RegistryChange>,
    pub chain: ChainFn,
}

impl std::fmt::Debug for IncomingRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IncomingRecord").field("message", &self.message).field("change", &self.change).finish()
    }
}

/// A message the partner acknowledged with a verified receipt, and its log entry.
pub struct DeliveredMessage {
    pub message_id: Uuid,
    pub receipt: String,
    pub chain: ChainFn,
}

impl std::fmt::Debug for DeliveredMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeliveredMessage").field("message_id", &self.message_id).finish_non_exhaustive()
    }
}

/// A stored incoming message, as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxEntry {
    pub message_id: Uuid,
    pub message_hash: String,
    pub channel: String,
    pub seq: i64,
    pub message_type: String,
    pub received_at: Timestamp,
    pub sealed_payload: Option<String>,
    pub receipt: String,
}

/// A signed message ready to go out, built once its sequence number and previous hash are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    pub message_id: Uuid,
    pub message_hash: String,
    pub jws: String,
    pub created_at: Timestamp,
    /// The case the message belongs to, as its header names it.
    pub case_id: Uuid,
    /// The message type, as its header names it.
    pub message_type: String,
}

/// Why a caller's callback did not compose (or sign again) a message: the caller's own error,
/// kept whole, so that the caller can tell its refusals apart (by downcasting).
pub type ComposeError = Box<dyn std::error::Error + Send + Sync>;

/// Composes the outgoing message for sequence number `seq` after the message hashed `prev_hash`.
pub type ComposeFn = Box<dyn FnOnce(i64, Option<String>) -> Result<OutgoingMessage, ComposeError> + Send>;

/// Composes the outgoing message for sequence number `seq` after the message hashed `prev_hash`,
/// knowing the case it belongs to (`None` for a new case), and returns the case after it.
pub type CaseComposeFn =
    Box<dyn FnOnce(i64, Option<String>, Option<CaseRow>) -> Result<(OutgoingMessage, CaseRow), ComposeError> + Send>;

/// Composition inside the enqueueing transaction: the message, and the case to write if any.
pub(crate) type Compose = Box<
    dyn FnOnce(i64, Option<String>, Option<CaseRow>) -> Result<(OutgoingMessage, Option<CaseRow>), ComposeError> + Send,
>;

/// An outgoing message to enqueue: its channel, its case, the registry change it carries.
pub(crate) struct Enqueue {
    pub(crate) channel: String,
    pub(crate) case_id: Option<Uuid>,
    pub(crate) change: Option<RegistryChange>,
    pub(crate) compose: Compose,
}

/// A stored incoming message with its envelope's header, for listing (without the payload).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxMessage {
    pub message_id: Uuid,
    pub message_hash: String,
    pub channel: String,
    pub seq: i64,
    pub case_id: Uuid,
    pub agreement: String,
    pub from_authority: String,
    pub to_authority: String,
    pub message_type: String,
    pub created_at: Timestamp,
    pub received_at: Timestamp,
    /// The signed receipt returned to the sender.
    pub receipt: String,
}

/// Signs a pending outgoing message again for a new sequence number and previous hash (the
/// content unchanged): returns the new message hash and signed message.
pub type ResignFn = Box<dyn FnMut(&OutboxEntry, i64, Option<String>) -> Result<(String, String), ComposeError> + Send>;

/// A channel whose delivery is stopped until an operator resumes it: its partner refused the
/// channel's next message with a sequence or chain error although the message carries the numbers
/// this node's record of the channel gives, so re-signing cannot help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelHalt {
    pub channel: String,
    /// The message the partner refused.
    pub message_id: Uuid,
    /// The partner's error code.
    pub code: String,
    /// The partner's message, and what this node expected.
    pub detail: String,
    pub halted_at: Timestamp,
}

/// One signatory of a stored list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatoryRow {
    pub name: String,
    pub position: String,
    /// SHA-256 of the signatory certificate's DER, hex.
    pub certificate_sha256: String,
}

/// One version of an authority's signatory list (Art. 10.3, 10.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatoryListRow {
    pub authority: String,
    pub version: i64,
    pub effective_from: Timestamp,
    pub signatories: Vec<SignatoryRow>,
}

/// An authority an authority change makes competent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuthorityRow {
    pub id: String,
    pub name_ru: String,
    pub name_en: String,
}

impl NewAuthorityRow {
    /// The new authority from its nullable columns: all three set, or none.
    pub(crate) fn from_columns(id: Option<String>, name_ru: Option<String>, name_en: Option<String>) -> Option<Self> {
        Some(NewAuthorityRow { id: id?, name_ru: name_ru?, name_en: name_en? })
    }
}

/// An authority change (Art. 2) under one agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityChangeRow {
    pub agreement: String,
    /// The state whose authority changes (alpha-3).
    pub state: String,
    pub effective_on: Date,
    pub replaced: Option<String>,
    pub new: Option<NewAuthorityRow>,
    pub basis: String,
}

/// What a `signatory_list` or `authority_change` message changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryChange {
    SignatoryList(SignatoryListRow),
    AuthorityChange(AuthorityChangeRow),
}

/// A change as recorded, with the message that carried it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryRecord {
    /// Position among all records, from 1, in the order they were recorded.
    pub generation: i64,
    pub direction: ExchangeDirection,
    pub message_id: Uuid,
    pub recorded_at: Timestamp,
    pub change: RegistryChange,
}

/// Every recorded signatory list and authority change, by generation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExchangeRegistry {
    pub records: Vec<RegistryRecord>,
}

impl ExchangeRegistry {
    /// The generation of the last record (0 when there is none): it changes whenever a record
    /// is added.
    pub fn generation(&self) -> i64 {
        self.records.last().map_or(0, |r| r.generation)
    }
}

/// An outgoing channel as operators see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelState {
    pub channel: String,
    /// The sequence number of the last message delivered with a receipt.
    pub delivered_seq: Option<i64>,
    /// The sequence number the next message queued on the channel gets.
    pub next_seq: i64,
    /// Messages waiting for delivery.
    pub queued: i64,
    /// Set while the channel is halted.
    pub halt: Option<ChannelHalt>,
}

/// Why an outgoing message was not enqueued (or a channel's queue not renumbered).
#[derive(Debug, thiserror::Error)]
pub enum EnqueueError {
    /// The caller's composition or re-signing failed.
    #[error("outgoing message not composed: {0}")]
    Compose(ComposeError),
    #[error(transparent)]
    RegistryConflict(#[from] RegistryConflict),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a channel's queue was not renumbered (nothing is written then).
#[derive(Debug, thiserror::Error)]
pub enum ResequenceError {
    /// The caller's re-signing failed.
    #[error("outgoing message not signed again: {0}")]
    Resign(ComposeError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A signatory list version recorded already with other content: versions are never replaced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("signatory list {authority} version {version} is recorded already, with other content")]
pub struct RegistryConflict {
    pub authority: String,
    pub version: i64,
}

/// Delivery state of an outgoing message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    Pending,
    Delivered,
    Rejected,
}

impl OutboxStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Delivered => "delivered",
            OutboxStatus::Rejected => "rejected",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<OutboxStatus, StoreError> {
        match s {
            "pending" => Ok(OutboxStatus::Pending),
            "delivered" => Ok(OutboxStatus::Delivered),
            "rejected" => Ok(OutboxStatus::Rejected),
            other => Err(StoreError::Corrupt(format!("outbox status {other:?}"))),
        }
    }
}

/// One row of the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub message_id: Uuid,
    pub channel: String,
    pub seq: i64,
    pub prev_hash: Option<String>,
    pub message_hash: String,
    pub jws: String,
    pub status: OutboxStatus,
    pub attempts: i64,
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    pub receipt: Option<String>,
}

/// A channel's pending run as a dispatcher may send it: all of it when its first message is due
/// at `now`, nothing otherwise (a channel delivers in order).
pub(crate) fn due_run(run: Vec<OutboxEntry>, now: Timestamp) -> Vec<OutboxEntry> {
    match run.first() {
        Some(first) if first.next_attempt_at <= now => run,
        _ => Vec::new(),
    }
}

/// An enqueue on the SQLite backend: queued with the others waiting for the writer and committed
/// with them in one transaction (group commit, see `sqlite/exchange.rs`); answered once committed.
async fn queued_enqueue(s: &Arc<SqliteStore>, enqueue: Enqueue) -> Result<OutboxEntry, EnqueueError> {
    let (reply, answer) = tokio::sync::oneshot::channel();
    let job = EnqueueJob { enqueue, reply };
    if s.queue_enqueue(job) {
        let s = Arc::clone(s);
        tokio::task::spawn_blocking(move || s.drain_enqueues());
    }
    answer.await.map_err(|_| StoreError::Worker("the enqueue was abandoned (the store worker failed)".into()))?
}

impl Store {
    /// The stored incoming message with this id.
    pub async fn inbox_entry(&self, id: Uuid) -> Result<Option<InboxEntry>, StoreError> {
        self.read_opt(sql::INBOX_ENTRY, vec![id.into()]).await
    }

    /// Number of stored incoming messages.
    pub async fn inbox_count(&self) -> Result<i64, StoreError> {
        Ok(self.read_opt::<(i64,)>(sql::INBOX_COUNT, vec![]).await?.map_or(0, |(n,)| n))
    }

    /// The last message of `channel` in `direction`.
    pub async fn channel_head(
        &self,
        channel: &str,
        direction: ExchangeDirection,
    ) -> Result<Option<HeadRow>, StoreError> {
        self.read_opt(sql::HEAD, vec![channel.into(), direction.as_str().into()]).await
    }

    /// Which of `message_ids` are stored (hash and receipt), the received head of `channel` (when
    /// known) and which of `case_ids` are stored, read together (one trip to the database, one
    /// state of it).
    pub async fn receiver_view(
        &self,
        message_ids: Vec<Uuid>,
        channel: Option<&str>,
        case_ids: Vec<Uuid>,
    ) -> Result<ReceiverView, StoreError> {
        let channel = channel.map(str::to_owned);
        dispatch!(self, receiver_view(&message_ids, channel.as_deref(), &case_ids))
    }

    /// The case with this id.
    pub async fn exchange_case(&self, id: Uuid) -> Result<Option<CaseRow>, StoreError> {
        self.read_opt(sql::CASE, vec![id.into()]).await
    }

    /// Stores an accepted message in one transaction: inbox row, received channel head, case and
    /// log entry. Nothing is written when the id is already stored or when the received head of
    /// the channel is no longer `expected_head`.
    pub async fn store_incoming(
        &self,
        message: IncomingMessage,
        expected_head: Option<HeadRow>,
        chain: ChainFn,
    ) -> Result<IncomingOutcome, StoreError> {
        self.store_incoming_batch(vec![IncomingRecord { message, change: None, chain }], expected_head, None).await
    }

    /// Like [`Store::store_incoming`], for a message checked against registry generation
    /// `expected_generation`: nothing is written when a record was added since
    /// ([`IncomingOutcome::RegistryMoved`]), and `change`, when given, is recorded (received) in
    /// the same transaction as the message.
    pub async fn store_incoming_recorded(
        &self,
        message: IncomingMessage,
        expected_head: Option<HeadRow>,
        expected_generation: i64,
        change: Option<RegistryChange>,
        chain: ChainFn,
    ) -> Result<IncomingOutcome, StoreError> {
        let records = vec![IncomingRecord { message, change, chain }];
        self.store_incoming_batch(records, expected_head, Some(expected_generation)).await
    }

    /// Stores accepted messages of one channel, in their order, in one transaction: for each its
    /// inbox row, the channel head, its case, the registry change it carries and its log entry.
    /// Nothing is written when one of the ids is already stored
    /// ([`IncomingOutcome::AlreadyStored`] for the first of them), when the received head of the
    /// channel is no longer `expected_head`, or, with `expected_generation`, when a registry record
    /// was added since that generation.
    pub async fn store_incoming_batch(
        &self,
        records: Vec<IncomingRecord>,
        expected_head: Option<HeadRow>,
        expected_generation: Option<i64>,
    ) -> Result<IncomingOutcome, StoreError> {
        dispatch!(self, store_incoming_batch(records, expected_head.as_ref(), expected_generation))
    }

    /// Every recorded signatory list and authority change, by generation.
    pub async fn exchange_registry(&self) -> Result<ExchangeRegistry, StoreError> {
        dispatch!(self, exchange_registry())
    }

    /// The registry generation (see [`ExchangeRegistry::generation`]), without reading the records.
    pub async fn registry_generation(&self) -> Result<i64, StoreError> {
        Ok(self.read_opt::<(Option<i64>,)>(sql::GENERATION, vec![]).await?.and_then(|(g,)| g).unwrap_or(0))
    }

    /// The outgoing channels (those with a queued, delivered or rejected message, or halted),
    /// by name.
    pub async fn channel_states(&self) -> Result<Vec<ChannelState>, StoreError> {
        self.read(sql::CHANNEL_STATES, vec![]).await
    }

    /// Appends an outgoing message to `channel`'s queue in one transaction: `compose` receives
    /// the next sequence number and the hash of the channel's previous outgoing message.
    pub async fn enqueue_outgoing(&self, channel: &str, compose: ComposeFn) -> Result<OutboxEntry, EnqueueError> {
        let compose: Compose = Box::new(move |seq, prev, _| compose(seq, prev).map(|m| (m, None)));
        self.enqueue(Enqueue { channel: channel.to_owned(), case_id: None, change: None, compose }).await
    }

    /// Like [`Store::enqueue_outgoing`], and in the same transaction records the case the message
    /// belongs to: `compose` also receives the case `case_id` as stored (None when new) and
    /// returns the case as it is after this message.
    pub async fn enqueue_outgoing_in_case(
        &self,
        channel: &str,
        case_id: Uuid,
        compose: CaseComposeFn,
    ) -> Result<OutboxEntry, EnqueueError> {
        let compose: Compose = Box::new(move |seq, prev, case| compose(seq, prev, case).map(|(m, c)| (m, Some(c))));
        self.enqueue(Enqueue { channel: channel.to_owned(), case_id: Some(case_id), change: None, compose }).await
    }

    /// Like [`Store::enqueue_outgoing_in_case`], and in the same transaction records `change` as
    /// sent by this node with the message. A signatory list version already recorded (sent to
    /// another partner) is not recorded again; with other content, nothing is enqueued
    /// ([`EnqueueError::RegistryConflict`]).
    pub async fn enqueue_outgoing_recorded(
        &self,
        channel: &str,
        case_id: Uuid,
        change: RegistryChange,
        compose: CaseComposeFn,
    ) -> Result<OutboxEntry, EnqueueError> {
        let compose: Compose = Box::new(move |seq, prev, case| compose(seq, prev, case).map(|(m, c)| (m, Some(c))));
        let channel = channel.to_owned();
        self.enqueue(Enqueue { channel, case_id: Some(case_id), change: Some(change), compose }).await
    }

    async fn enqueue(&self, enqueue: Enqueue) -> Result<OutboxEntry, EnqueueError> {
        match self {
            Store::Sqlite(s) => queued_enqueue(s, enqueue).await,
            Store::Postgres(p) => p.enqueue(enqueue).await,
        }
    }

    /// The latest `limit` incoming messages, oldest first (by time received, then channel and seq).
    pub async fn inbox_messages(&self, limit: i64) -> Result<Vec<InboxMessage>, StoreError> {
        self.read(sql::INBOX_MESSAGES, vec![limit.max(0).into()]).await
    }

    /// The latest `limit` outbox rows, oldest first (by time enqueued, then channel and seq).
    pub async fn outbox_entries(&self, limit: i64) -> Result<Vec<OutboxEntry>, StoreError> {
        self.read(sql::OUTBOX_ENTRIES, vec![limit.max(0).into()]).await
    }

    /// The outbox row with this id.
    pub async fn outbox_entry(&self, id: Uuid) -> Result<Option<OutboxEntry>, StoreError> {
        self.read_opt(sql::OUTBOX_ENTRY, vec![id.into()]).await
    }

    /// For each channel, its oldest pending message, when that message is due at `now`. A channel
    /// whose oldest pending message is not due yet offers nothing (delivery is in order).
    pub async fn due_outgoing(&self, now: Timestamp) -> Result<Vec<OutboxEntry>, StoreError> {
        self.read(sql::DUE_OUTGOING, vec![now.into()]).await
    }

    /// The earliest next attempt among pending messages.
    pub async fn next_outgoing_at(&self) -> Result<Option<Timestamp>, StoreError> {
        Ok(self.read_opt::<(Option<Timestamp>,)>(sql::NEXT_OUTGOING_AT, vec![]).await?.and_then(|(at,)| at))
    }

    /// Records a failed delivery attempt and when to try again.
    pub async fn record_attempt_failure(
        &self,
        id: Uuid,
        error: &str,
        next_attempt_at: Timestamp,
    ) -> Result<(), StoreError> {
        self.write(sql::RECORD_FAILURE, vec![id.into(), error.into(), next_attempt_at.into()]).await?;
        Ok(())
    }

    /// Gives the pending messages of `channel` the sequence numbers and previous hashes that follow
    /// the channel's sent head (its last message with a receipt), re-signing with `resign` every
    /// message that does not carry them, in one transaction. When `reject` names a pending message,
    /// it is first marked rejected with that error: a rejected message gives its number back.
    /// Returns the channel's pending messages, in order, as they are afterwards; nothing is written
    /// when `resign` fails.
    pub async fn resequence_outgoing(
        &self,
        channel: &str,
        reject: Option<(Uuid, String)>,
        resign: ResignFn,
    ) -> Result<Vec<OutboxEntry>, ResequenceError> {
        let channel = channel.to_owned();
        dispatch!(self, resequence_outgoing(&channel, reject, resign), ResequenceError::Store)
    }

    /// Stops delivery on a channel (replacing an earlier halt of it): its messages stay pending.
    pub async fn halt_channel(&self, halt: ChannelHalt) -> Result<(), StoreError> {
        let h = halt;
        self.write(
            sql::HALT_CHANNEL,
            vec![h.channel.into(), h.message_id.into(), h.code.into(), h.detail.into(), h.halted_at.into()],
        )
        .await?;
        Ok(())
    }

    /// The halted channels.
    pub async fn channel_halts(&self) -> Result<Vec<ChannelHalt>, StoreError> {
        self.read(sql::CHANNEL_HALTS, vec![]).await
    }

    /// Lets a halted channel deliver again; false when it was not halted.
    pub async fn resume_channel(&self, channel: &str) -> Result<bool, StoreError> {
        Ok(self.write(sql::RESUME_CHANNEL, vec![channel.into()]).await? == 1)
    }

    /// Marks a pending message rejected by the partner (it is not retried).
    pub async fn mark_rejected(&self, id: Uuid, error: &str) -> Result<bool, StoreError> {
        Ok(self.write(sql::REJECT_PENDING, vec![id.into(), error.into()]).await? == 1)
    }

    /// Marks a pending message delivered with its verified receipt, advances the sent channel
    /// head and appends the log entry, in one transaction. False when it was not pending.
    pub async fn mark_delivered(&self, id: Uuid, receipt: &str, chain: ChainFn) -> Result<bool, StoreError> {
        let receipt = receipt.to_owned();
        dispatch!(self, mark_delivered(id, &receipt, chain))
    }

    /// Marks messages of one channel delivered, in their order, in one transaction (as
    /// [`Store::mark_delivered`] does for one; those no longer pending are left as they are), then
    /// reads the channel's next run: its first `limit` pending messages in order, or none when the
    /// first of them is not due at `now` (so that a dispatcher can go on with the channel without
    /// another look at the outbox). Returns how many were marked, and the run.
    pub async fn mark_delivered_run(
        &self,
        delivered: Vec<DeliveredMessage>,
        limit: usize,
        now: Timestamp,
    ) -> Result<(usize, Vec<OutboxEntry>), StoreError> {
        dispatch!(self, mark_delivered_run(delivered, limit, now))
    }

    /// The first `limit` pending messages of `channel`, in order.
    pub async fn pending_run(&self, channel: &str, limit: usize) -> Result<Vec<OutboxEntry>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(sql::PENDING_RUN, vec![channel.into(), limit.into()]).await
    }

    /// The whole message log, in order.
    pub async fn log_entries(&self) -> Result<Vec<LogRow>, StoreError> {
        self.read(sql::LOG_ENTRIES, vec![]).await
    }

    /// The last log entry.
    pub async fn last_log_entry(&self) -> Result<Option<LogRow>, StoreError> {
        self.read_opt(sql::LAST_LOG, vec![]).await
    }

    /// Stores a signed checkpoint over the log entry `index` (once per index).
    pub async fn add_checkpoint(&self, index: i64, jws: &str, at: Timestamp) -> Result<bool, StoreError> {
        Ok(self.write(sql::ADD_CHECKPOINT, vec![index.into(), jws.into(), at.into()]).await? == 1)
    }

    /// The log entries from index `from` on, in order.
    pub async fn log_entries_from(&self, from: i64) -> Result<Vec<LogRow>, StoreError> {
        self.read(sql::LOG_ENTRIES_FROM, vec![from.into()]).await
    }

    /// The checkpoint with the highest index.
    pub async fn last_checkpoint(&self) -> Result<Option<StoredCheckpoint>, StoreError> {
        self.read_opt(sql::LAST_CHECKPOINT, vec![]).await
    }

    /// Every stored checkpoint (signed JWS), by index.
    pub async fn checkpoints(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.read::<(String,)>(sql::CHECKPOINTS, vec![]).await?.into_iter().map(|(jws,)| jws).collect())
    }
}
