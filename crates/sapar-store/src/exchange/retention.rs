//! Art. 12.4 in the store: the received payloads still held (for the node to judge their
//! retention), a payload's destruction — the sealed payload dropped, the destruction kept with the
//! rule applied, a `destroyed` entry chained into the message log, in one transaction — and the
//! record of destructions, which is only ever appended to.

use jiff::Timestamp;
use uuid::Uuid;

use crate::Store;
use crate::error::StoreError;
use crate::exchange::ChainFn;
use crate::row::{Decode, Row};

/// A received message whose payload is still held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldPayload {
    pub message_id: Uuid,
    pub case_id: Uuid,
    pub agreement: String,
    pub channel: String,
    pub seq: i64,
    pub message_type: String,
    pub received_at: Timestamp,
    /// SHA-256 of the signed payload, hex: the digest the destruction is recorded with.
    pub message_hash: String,
    pub sealed_payload: String,
}

/// A payload destroyed: what, under which rule, when, and its digest. The payload is not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destruction {
    pub message_id: Uuid,
    pub case_id: Uuid,
    pub channel: String,
    pub seq: i64,
    pub message_type: String,
    pub received_at: Timestamp,
    pub destroyed_at: Timestamp,
    /// The retention rule's id.
    pub rule: String,
    /// The rule's legal basis.
    pub basis: String,
    pub message_hash: String,
}

pub(crate) const HELD_PAYLOADS: &str = "SELECT i.message_id, i.case_id, i.agreement, i.channel, i.seq, i.message_type,
         i.received_at, i.message_hash, i.sealed_payload
     FROM exchange_inbox i WHERE i.sealed_payload IS NOT NULL ORDER BY i.received_at, i.channel, i.seq";
pub(crate) const DROP_PAYLOAD: &str =
    "UPDATE exchange_inbox SET sealed_payload = NULL WHERE message_id = $1 AND sealed_payload IS NOT NULL";
pub(crate) const INSERT_DESTRUCTION: &str = "INSERT INTO exchange_destructions (message_id, case_id, channel, seq,
         message_type, received_at, destroyed_at, rule, basis, message_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const DESTRUCTIONS: &str = "SELECT message_id, case_id, channel, seq, message_type, received_at, destroyed_at,
         rule, basis, message_hash
     FROM exchange_destructions ORDER BY destroyed_at, message_id";

impl Decode for HeldPayload {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(HeldPayload {
            message_id: r.col(0)?,
            case_id: r.col(1)?,
            agreement: r.col(2)?,
            channel: r.col(3)?,
            seq: r.col(4)?,
            message_type: r.col(5)?,
            received_at: r.col(6)?,
            message_hash: r.col(7)?,
            sealed_payload: r.col(8)?,
        })
    }
}

impl Decode for Destruction {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(Destruction {
            message_id: r.col(0)?,
            case_id: r.col(1)?,
            channel: r.col(2)?,
            seq: r.col(3)?,
            message_type: r.col(4)?,
            received_at: r.col(5)?,
            destroyed_at: r.col(6)?,
            rule: r.col(7)?,
            basis: r.col(8)?,
            message_hash: r.col(9)?,
        })
    }
}

impl Store {
    /// The received messages whose payload is still held, oldest first.
    pub async fn held_payloads(&self) -> Result<Vec<HeldPayload>, StoreError> {
        self.read(HELD_PAYLOADS, vec![]).await
    }

    /// Destroys a received payload: drops it, records `destruction` and appends the log entry
    /// `chain` builds, in one transaction. False (nothing written) when the payload was gone.
    pub async fn destroy_payload(&self, destruction: Destruction, chain: ChainFn) -> Result<bool, StoreError> {
        dispatch!(self, destroy_payload(destruction, chain))
    }

    /// Every destruction recorded, in the order made.
    pub async fn destructions(&self) -> Result<Vec<Destruction>, StoreError> {
        self.read(DESTRUCTIONS, vec![]).await
    }
}
