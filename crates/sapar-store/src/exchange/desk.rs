//! The treaty case desk's reads: every case with what its messages say about its course (when it
//! opened and last moved, when a request was received or its receipt came back, when it was
//! answered), one case's messages in both directions, the labelling of outgoing messages queued
//! before their case and type were stored beside them, and the append-only log of officers'
//! reads of a case's messages.

use jiff::Timestamp;
use sapar_model::{ReadPurpose, Role};
use uuid::Uuid;

use crate::Store;
use crate::access_log::AccessChannel;
use crate::decode;
use crate::error::StoreError;
use crate::exchange::OutboxEntry;
use crate::exchange::sql::CASE_OUTBOX;
use crate::row::{Decode, Param, Row};

/// One case and what its messages say about its course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseIndexRow {
    pub case_id: Uuid,
    pub agreement: String,
    /// The state that opened the case (ISO alpha-3).
    pub opened_by: String,
    pub state: String,
    /// The channel of one of its messages (both directions name the same two states).
    pub channel: Option<String>,
    pub first_received_at: Option<Timestamp>,
    pub last_received_at: Option<Timestamp>,
    pub received: i64,
    pub first_sent_at: Option<Timestamp>,
    pub last_sent_at: Option<Timestamp>,
    /// Outgoing messages not refused by the partner.
    pub sent: i64,
    /// When this node received the case's request.
    pub request_received_at: Option<Timestamp>,
    /// The partner's signed receipt for the request this node sent.
    pub request_receipt: Option<String>,
    /// The first answer or refusal this node queued.
    pub answer_sent_at: Option<Timestamp>,
    /// The first answer or refusal this node received.
    pub answer_received_at: Option<Timestamp>,
}

/// An incoming message of a case, its payload still sealed (None once destroyed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseInboxRow {
    pub message_id: Uuid,
    pub channel: String,
    pub seq: i64,
    pub message_type: String,
    pub from_authority: String,
    pub to_authority: String,
    pub created_at: Timestamp,
    pub received_at: Timestamp,
    pub signer: String,
    pub sealed_payload: Option<String>,
}

/// One officer's read of a case's messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseReadEntry {
    pub id: Uuid,
    pub at: Timestamp,
    pub actor: String,
    pub role: Role,
    pub channel: AccessChannel,
    pub case_id: Uuid,
    pub purpose: ReadPurpose,
    pub purpose_note: Option<String>,
    pub address: Option<String>,
}

macro_rules! case_index {
    ($rest:literal) => {
        concat!(
            "SELECT c.case_id, c.agreement, c.opened_by, c.state,
         COALESCE((SELECT MIN(channel) FROM exchange_inbox i WHERE i.case_id = c.case_id),
                  (SELECT MIN(channel) FROM exchange_outbox o WHERE o.case_id = c.case_id)),
         (SELECT MIN(received_at) FROM exchange_inbox i WHERE i.case_id = c.case_id),
         (SELECT MAX(received_at) FROM exchange_inbox i WHERE i.case_id = c.case_id),
         (SELECT COUNT(*) FROM exchange_inbox i WHERE i.case_id = c.case_id),
         (SELECT MIN(created_at) FROM exchange_outbox o WHERE o.case_id = c.case_id AND o.status <> 'rejected'),
         (SELECT MAX(created_at) FROM exchange_outbox o WHERE o.case_id = c.case_id AND o.status <> 'rejected'),
         (SELECT COUNT(*) FROM exchange_outbox o WHERE o.case_id = c.case_id AND o.status <> 'rejected'),
         (SELECT MIN(received_at) FROM exchange_inbox i WHERE i.case_id = c.case_id AND i.message_type = 'request'),
         (SELECT MIN(receipt) FROM exchange_outbox o
             WHERE o.case_id = c.case_id AND o.message_type = 'request' AND o.status = 'delivered'),
         (SELECT MIN(created_at) FROM exchange_outbox o
             WHERE o.case_id = c.case_id AND o.message_type IN ('answer', 'refusal') AND o.status <> 'rejected'),
         (SELECT MIN(received_at) FROM exchange_inbox i
             WHERE i.case_id = c.case_id AND i.message_type IN ('answer', 'refusal'))
     FROM exchange_cases c
     ",
            $rest
        )
    };
}

const CASE_INDEX: &str = case_index!("WHERE ($1 = '' OR c.agreement = $1)");
const CASE_INDEX_OF: &str = case_index!("WHERE c.case_id = $1");

const CASE_INBOX: &str = "SELECT message_id, channel, seq, message_type, from_authority,
         to_authority, created_at, received_at, signer, sealed_payload
     FROM exchange_inbox WHERE case_id = $1 ORDER BY received_at, channel, seq";

const UNLABELLED_OUTBOX: &str = "SELECT message_id, jws FROM exchange_outbox WHERE case_id IS NULL
     ORDER BY created_at LIMIT $1";
const LABEL_OUTBOX: &str =
    "UPDATE exchange_outbox SET case_id = $2, message_type = $3 WHERE message_id = $1 AND case_id IS NULL";

const INSERT_READ: &str = "INSERT INTO exchange_case_reads (id, at, actor, role, channel, case_id, purpose,
         purpose_note, address)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const READS_OF_CASE: &str = "SELECT id, at, actor, role, channel, case_id, purpose, purpose_note, address
     FROM exchange_case_reads WHERE case_id = $1 ORDER BY at, id";

impl Decode for CaseIndexRow {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(CaseIndexRow {
            case_id: r.col(0)?,
            agreement: r.col(1)?,
            opened_by: r.col(2)?,
            state: r.col(3)?,
            channel: r.col(4)?,
            first_received_at: r.col(5)?,
            last_received_at: r.col(6)?,
            received: r.col(7)?,
            first_sent_at: r.col(8)?,
            last_sent_at: r.col(9)?,
            sent: r.col(10)?,
            request_received_at: r.col(11)?,
            request_receipt: r.col(12)?,
            answer_sent_at: r.col(13)?,
            answer_received_at: r.col(14)?,
        })
    }
}

impl Decode for CaseInboxRow {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(CaseInboxRow {
            message_id: r.col(0)?,
            channel: r.col(1)?,
            seq: r.col(2)?,
            message_type: r.col(3)?,
            from_authority: r.col(4)?,
            to_authority: r.col(5)?,
            created_at: r.col(6)?,
            received_at: r.col(7)?,
            signer: r.col(8)?,
            sealed_payload: r.col(9)?,
        })
    }
}

impl CaseReadEntry {
    fn params(&self) -> Vec<Param> {
        vec![
            self.id.into(),
            self.at.into(),
            self.actor.as_str().into(),
            self.role.as_str().into(),
            self.channel.as_str().into(),
            self.case_id.into(),
            self.purpose.as_str().into(),
            self.purpose_note.clone().into(),
            self.address.clone().into(),
        ]
    }
}

impl Decode for CaseReadEntry {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(CaseReadEntry {
            id: r.col(0)?,
            at: r.col(1)?,
            actor: r.col(2)?,
            role: decode::role(&r.col::<String>(3)?)?,
            channel: decode::access_channel(&r.col::<String>(4)?)?,
            case_id: r.col(5)?,
            purpose: decode::read_purpose(&r.col::<String>(6)?)?,
            purpose_note: r.col(7)?,
            address: r.col(8)?,
        })
    }
}

impl Store {
    /// Every case (of `agreement`, when given) with what its messages say about its course.
    pub async fn case_index(&self, agreement: Option<&str>) -> Result<Vec<CaseIndexRow>, StoreError> {
        self.read(CASE_INDEX, vec![agreement.unwrap_or_default().into()]).await
    }

    /// One case with what its messages say about its course.
    pub async fn case_index_of(&self, case_id: Uuid) -> Result<Option<CaseIndexRow>, StoreError> {
        self.read_opt(CASE_INDEX_OF, vec![case_id.into()]).await
    }

    /// The messages this node received in `case_id`, in the order received.
    pub async fn case_inbox(&self, case_id: Uuid) -> Result<Vec<CaseInboxRow>, StoreError> {
        self.read(CASE_INBOX, vec![case_id.into()]).await
    }

    /// The messages this node queued in `case_id`, in the order queued.
    pub async fn case_outbox(&self, case_id: Uuid) -> Result<Vec<OutboxEntry>, StoreError> {
        self.read(CASE_OUTBOX, vec![case_id.into()]).await
    }

    /// Up to `limit` outgoing messages queued before their case and type were stored beside them:
    /// id and signed text.
    pub async fn unlabelled_outbox(&self, limit: i64) -> Result<Vec<(Uuid, String)>, StoreError> {
        self.read(UNLABELLED_OUTBOX, vec![limit.max(0).into()]).await
    }

    /// Stores the case and type an outgoing message's header names beside it (once).
    pub async fn label_outbox(&self, message_id: Uuid, case_id: Uuid, message_type: &str) -> Result<bool, StoreError> {
        Ok(self.write(LABEL_OUTBOX, vec![message_id.into(), case_id.into(), message_type.into()]).await? == 1)
    }

    /// Appends an officer's read of a case's messages to the case read log.
    pub async fn append_case_read(&self, entry: &CaseReadEntry) -> Result<(), StoreError> {
        self.write(INSERT_READ, entry.params()).await?;
        Ok(())
    }

    /// The recorded reads of `case_id`'s messages, oldest first.
    pub async fn case_reads(&self, case_id: Uuid) -> Result<Vec<CaseReadEntry>, StoreError> {
        self.read(READS_OF_CASE, vec![case_id.into()]).await
    }
}
