//! The exchange statements both backends run (written with `$n` placeholders, see
//! [`crate::row::sqlite`]) and the decoding of their rows, each written once.

use crate::error::StoreError;
use crate::exchange::{
    AuthorityChangeRow, CaseRow, ChannelHalt, ChannelState, ExchangeDirection, HeadRow, InboxEntry, InboxMessage,
    LogRow, NewAuthorityRow, OutboxEntry, OutboxStatus, RegistryChange, RegistryRecord, SeenMessage, SignatoryListRow,
    SignatoryRow, StoredCheckpoint,
};
use crate::row::{Decode, Row};

macro_rules! outbox {
    ($rest:literal) => {
        concat!(
            "SELECT message_id, channel, seq, prev_hash, message_hash, jws, status, attempts, next_attempt_at, \
             last_error, receipt FROM ",
            $rest
        )
    };
}

macro_rules! log {
    ($rest:literal) => {
        concat!(
            "SELECT idx, prev_entry_hash, at, direction, channel, seq, message_id, message_hash, entry_hash
             FROM exchange_log ",
            $rest
        )
    };
}

pub(crate) const PENDING_RUN: &str =
    outbox!("exchange_outbox WHERE channel = $1 AND status = 'pending' ORDER BY seq LIMIT $2");
pub(crate) const OUTBOX_ENTRY: &str = outbox!("exchange_outbox WHERE message_id = $1");
pub(crate) const CASE_OUTBOX: &str = outbox!("exchange_outbox WHERE case_id = $1 ORDER BY created_at, channel, seq");
pub(crate) const OUTBOX_ENTRIES: &str = outbox!(
    "(SELECT * FROM exchange_outbox ORDER BY created_at DESC, channel DESC, seq DESC LIMIT $1) latest
     ORDER BY created_at, channel, seq"
);
pub(crate) const DUE_OUTGOING: &str = outbox!(
    "exchange_outbox o
     WHERE status = 'pending' AND next_attempt_at <= $1
       AND seq = (SELECT MIN(seq) FROM exchange_outbox p WHERE p.channel = o.channel AND p.status = 'pending')
       AND channel NOT IN (SELECT channel FROM exchange_channel_halts)
     ORDER BY channel"
);
pub(crate) const NEXT_OUTGOING_AT: &str = "SELECT MIN(next_attempt_at) FROM exchange_outbox
     WHERE status = 'pending' AND channel NOT IN (SELECT channel FROM exchange_channel_halts)";
pub(crate) const LAST_OUTGOING: &str = "SELECT seq, message_hash FROM exchange_outbox
     WHERE channel = $1 AND status <> 'rejected' ORDER BY seq DESC LIMIT 1";
pub(crate) const INSERT_OUTBOX: &str = "INSERT INTO exchange_outbox (message_id, channel, seq, prev_hash,
         message_hash, jws, next_attempt_at, created_at, case_id, message_type)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)";
pub(crate) const RECORD_FAILURE: &str =
    "UPDATE exchange_outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3
     WHERE message_id = $1 AND status = 'pending'";
pub(crate) const REJECT_PENDING: &str =
    "UPDATE exchange_outbox SET attempts = attempts + 1, last_error = $2, status = 'rejected'
     WHERE message_id = $1 AND status = 'pending'";
pub(crate) const DELIVER: &str =
    "UPDATE exchange_outbox SET attempts = attempts + 1, status = 'delivered', receipt = $2, last_error = NULL
     WHERE message_id = $1 AND status = 'pending' RETURNING channel, seq, message_hash";
pub(crate) const RESIGN: &str =
    "UPDATE exchange_outbox SET seq = $2, prev_hash = $3, message_hash = $4, jws = $5 WHERE message_id = $1";

pub(crate) const HEAD: &str = "SELECT seq, hash FROM exchange_channel_heads WHERE channel = $1 AND direction = $2";
pub(crate) const SET_HEAD: &str = "INSERT INTO exchange_channel_heads (channel, direction, seq, hash)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (channel, direction) DO UPDATE SET seq = excluded.seq, hash = excluded.hash";
pub(crate) const CASE: &str = "SELECT agreement, opened_by, state FROM exchange_cases WHERE case_id = $1";
pub(crate) const UPSERT_CASE: &str = "INSERT INTO exchange_cases (case_id, agreement, opened_by, state)
     VALUES ($1, $2, $3, $4) ON CONFLICT (case_id) DO UPDATE SET state = excluded.state";

pub(crate) const INBOX_ENTRY: &str = "SELECT message_id, message_hash, channel, seq, message_type, received_at,
         sealed_payload, receipt
     FROM exchange_inbox WHERE message_id = $1";
pub(crate) const INBOX_COUNT: &str = "SELECT COUNT(*) FROM exchange_inbox";
pub(crate) const SEEN: &str = "SELECT message_id, message_hash, receipt FROM exchange_inbox WHERE message_id = $1";
pub(crate) const INBOX_MESSAGES: &str = "SELECT * FROM (
         SELECT message_id, message_hash, channel, seq, case_id, agreement, from_authority, to_authority,
                message_type, created_at, received_at, receipt
         FROM exchange_inbox ORDER BY received_at DESC, channel DESC, seq DESC LIMIT $1) latest
     ORDER BY received_at, channel, seq";
pub(crate) const INSERT_INCOMING: &str = "INSERT INTO exchange_inbox (message_id, message_hash, channel, seq,
         case_id, agreement, from_authority, to_authority, message_type, created_at, received_at, signer,
         signatory_list_version, sealed_payload, receipt)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";

pub(crate) const LAST_LOG: &str = log!("ORDER BY idx DESC LIMIT 1");
pub(crate) const LOG_ENTRIES: &str = log!("ORDER BY idx");
pub(crate) const LOG_ENTRIES_FROM: &str = log!("WHERE idx >= $1 ORDER BY idx");
pub(crate) const APPEND_LOG: &str = "INSERT INTO exchange_log (idx, prev_entry_hash, at, direction, channel, seq,
         message_id, message_hash, entry_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
pub(crate) const LAST_CHECKPOINT: &str = "SELECT idx, jws, at FROM exchange_checkpoints ORDER BY idx DESC LIMIT 1";
pub(crate) const ADD_CHECKPOINT: &str =
    "INSERT INTO exchange_checkpoints (idx, jws, at) VALUES ($1, $2, $3) ON CONFLICT (idx) DO NOTHING";
pub(crate) const CHECKPOINTS: &str = "SELECT jws FROM exchange_checkpoints ORDER BY idx";

pub(crate) const HALT_CHANNEL: &str = "INSERT INTO exchange_channel_halts (channel, message_id, code, detail,
         halted_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (channel) DO UPDATE SET message_id = excluded.message_id, code = excluded.code,
         detail = excluded.detail, halted_at = excluded.halted_at";
pub(crate) const CHANNEL_HALTS: &str =
    "SELECT channel, message_id, code, detail, halted_at FROM exchange_channel_halts ORDER BY channel";
pub(crate) const RESUME_CHANNEL: &str = "DELETE FROM exchange_channel_halts WHERE channel = $1";
pub(crate) const CHANNEL_STATES: &str = "SELECT c.channel,
         (SELECT seq FROM exchange_channel_heads h WHERE h.channel = c.channel AND h.direction = 'sent'),
         (SELECT MAX(seq) FROM exchange_outbox o WHERE o.channel = c.channel AND o.status <> 'rejected'),
         (SELECT COUNT(*) FROM exchange_outbox o WHERE o.channel = c.channel AND o.status = 'pending'),
         x.channel, x.message_id, x.code, x.detail, x.halted_at
     FROM (SELECT channel FROM exchange_outbox UNION SELECT channel FROM exchange_channel_halts) c
     LEFT JOIN exchange_channel_halts x ON x.channel = c.channel
     ORDER BY c.channel";

pub(crate) const GENERATION: &str = "SELECT MAX(g) FROM (SELECT MAX(generation) AS g FROM exchange_signatory_lists
     UNION ALL SELECT MAX(generation) FROM exchange_authority_changes) AS gs";
pub(crate) const LIST_EFFECTIVE_FROM: &str =
    "SELECT effective_from FROM exchange_signatory_lists WHERE authority = $1 AND version = $2";
pub(crate) const SIGNATORIES: &str = "SELECT name, position, certificate_sha256 FROM exchange_signatories
     WHERE authority = $1 AND version = $2 ORDER BY ordinal";
pub(crate) const REGISTRY_LISTS: &str = "SELECT authority, version, generation, direction, message_id, recorded_at
     FROM exchange_signatory_lists ORDER BY generation";
pub(crate) const REGISTRY_CHANGES: &str = "SELECT message_id, generation, direction, agreement, state, effective_on,
         replaced, new_id, new_name_ru, new_name_en, basis, recorded_at
     FROM exchange_authority_changes ORDER BY generation";
pub(crate) const INSERT_LIST: &str = "INSERT INTO exchange_signatory_lists (authority, version, effective_from,
         generation, direction, message_id, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
pub(crate) const INSERT_SIGNATORY: &str = "INSERT INTO exchange_signatories (authority, version, ordinal, name,
         position, certificate_sha256)
     VALUES ($1, $2, $3, $4, $5, $6)";
pub(crate) const INSERT_AUTHORITY_CHANGE: &str = "INSERT INTO exchange_authority_changes (message_id, generation,
         direction, agreement, state, effective_on, replaced, new_id, new_name_ru, new_name_en, basis, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

impl Decode for OutboxEntry {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(OutboxEntry {
            message_id: r.col(0)?,
            channel: r.col(1)?,
            seq: r.col(2)?,
            prev_hash: r.col(3)?,
            message_hash: r.col(4)?,
            jws: r.col(5)?,
            status: OutboxStatus::parse(&r.col::<String>(6)?)?,
            attempts: r.col(7)?,
            next_attempt_at: r.col(8)?,
            last_error: r.col(9)?,
            receipt: r.col(10)?,
        })
    }
}

impl Decode for LogRow {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(LogRow {
            index: r.col(0)?,
            prev_entry_hash: r.col(1)?,
            at: r.col(2)?,
            direction: r.col(3)?,
            channel: r.col(4)?,
            seq: r.col(5)?,
            message_id: r.col(6)?,
            message_hash: r.col(7)?,
            entry_hash: r.col(8)?,
        })
    }
}

impl Decode for HeadRow {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(HeadRow { seq: r.col(0)?, hash: r.col(1)? })
    }
}

impl Decode for CaseRow {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(CaseRow { agreement: r.col(0)?, opened_by: r.col(1)?, state: r.col(2)? })
    }
}

impl Decode for SeenMessage {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(SeenMessage { message_id: r.col(0)?, message_hash: r.col(1)?, receipt: r.col(2)? })
    }
}

impl Decode for InboxEntry {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(InboxEntry {
            message_id: r.col(0)?,
            message_hash: r.col(1)?,
            channel: r.col(2)?,
            seq: r.col(3)?,
            message_type: r.col(4)?,
            received_at: r.col(5)?,
            sealed_payload: r.col(6)?,
            receipt: r.col(7)?,
        })
    }
}

impl Decode for InboxMessage {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(InboxMessage {
            message_id: r.col(0)?,
            message_hash: r.col(1)?,
            channel: r.col(2)?,
            seq: r.col(3)?,
            case_id: r.col(4)?,
            agreement: r.col(5)?,
            from_authority: r.col(6)?,
            to_authority: r.col(7)?,
            message_type: r.col(8)?,
            created_at: r.col(9)?,
            received_at: r.col(10)?,
            receipt: r.col(11)?,
        })
    }
}

impl Decode for StoredCheckpoint {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(StoredCheckpoint { index: r.col(0)?, jws: r.col(1)?, at: r.col(2)? })
    }
}

/// A halt from columns `at..at + 5` (channel, message id, code, detail, time), which may all be
/// null (no halt) on a channel's row.
fn halt_at(r: &impl Row, at: usize) -> Result<Option<ChannelHalt>, StoreError> {
    let Some(channel) = r.col(at)? else { return Ok(None) };
    Ok(Some(ChannelHalt {
        channel,
        message_id: r.col(at + 1)?,
        code: r.col(at + 2)?,
        detail: r.col(at + 3)?,
        halted_at: r.col(at + 4)?,
    }))
}

impl Decode for ChannelHalt {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        halt_at(r, 0)?.ok_or_else(|| StoreError::Corrupt("channel halt without a channel".into()))
    }
}

impl Decode for ChannelState {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(ChannelState {
            channel: r.col(0)?,
            delivered_seq: r.col(1)?,
            next_seq: r.col::<Option<i64>>(2)?.unwrap_or(0) + 1,
            queued: r.col(3)?,
            halt: halt_at(r, 4)?,
        })
    }
}

impl Decode for SignatoryRow {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(SignatoryRow { name: r.col(0)?, position: r.col(1)?, certificate_sha256: r.col(2)? })
    }
}

/// A row of [`REGISTRY_LISTS`]: which signatory list, and how it was recorded.
pub(crate) struct ListHeader {
    pub(crate) authority: String,
    pub(crate) version: i64,
    generation: i64,
    direction: ExchangeDirection,
    message_id: uuid::Uuid,
    recorded_at: jiff::Timestamp,
}

impl Decode for ListHeader {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(ListHeader {
            authority: r.col(0)?,
            version: r.col(1)?,
            generation: r.col(2)?,
            direction: ExchangeDirection::parse(&r.col::<String>(3)?)?,
            message_id: r.col(4)?,
            recorded_at: r.col(5)?,
        })
    }
}

impl ListHeader {
    /// The record, with the list the caller read.
    pub(crate) fn record(self, list: SignatoryListRow) -> RegistryRecord {
        let ListHeader { generation, direction, message_id, recorded_at, .. } = self;
        RegistryRecord { generation, direction, message_id, recorded_at, change: RegistryChange::SignatoryList(list) }
    }
}

/// A row of [`REGISTRY_CHANGES`].
impl Decode for RegistryRecord {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(RegistryRecord {
            message_id: r.col(0)?,
            generation: r.col(1)?,
            direction: ExchangeDirection::parse(&r.col::<String>(2)?)?,
            recorded_at: r.col(11)?,
            change: RegistryChange::AuthorityChange(AuthorityChangeRow {
                agreement: r.col(3)?,
                state: r.col(4)?,
                effective_on: r.col(5)?,
                replaced: r.col(6)?,
                new: NewAuthorityRow::from_columns(r.col(7)?, r.col(8)?, r.col(9)?),
                basis: r.col(10)?,
            }),
        })
    }
}
