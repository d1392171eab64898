//! The tamper-evident message log (pure part): hash-chained entries that commit to each message's
//! hash (never to its personal payload, which lives apart and can be purged), signed checkpoints,
//! and verification that names the first bad entry.

use jiff::Timestamp;

use crate::error::{KeyError, SignedObjectError};
use crate::ids::{ChannelId, MessageId, Sha256Hash};
use crate::jws::{self, SigningIdentity};
use crate::message::{format_utc, parse_utc};
use crate::wire;

/// Whether the node sent or received the logged message, or destroyed its received payload at
/// the end of its retention period (Art. 12.4; the entry keeps the message's hash as evidence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogDirection {
    Sent,
    Received,
    Destroyed,
}

impl LogDirection {
    /// `sent` or `received`.
    pub fn as_str(self) -> &'static str {
        match self {
            LogDirection::Sent => "sent",
            LogDirection::Received => "received",
            LogDirection::Destroyed => "destroyed",
        }
    }

    /// Parses [`LogDirection::as_str`].
    pub fn parse(s: &str) -> Option<LogDirection> {
        match s {
            "sent" => Some(LogDirection::Sent),
            "received" => Some(LogDirection::Received),
            "destroyed" => Some(LogDirection::Destroyed),
            _ => None,
        }
    }
}

/// One log entry. `entry_hash` is SHA-256 of [`LogEntry::canonical_bytes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// 0 for the first entry, then consecutive.
    pub index: u64,
    /// `entry_hash` of the previous entry (None for index 0).
    pub prev_entry_hash: Option<Sha256Hash>,
    pub at: Timestamp,
    pub direction: LogDirection,
    pub channel: ChannelId,
    pub seq: u64,
    pub message_id: MessageId,
    /// SHA-256 of the message payload bytes (the personal payload itself is not in the log).
    pub message_hash: Sha256Hash,
    pub entry_hash: Sha256Hash,
}

/// What is logged about a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRecord {
    pub at: Timestamp,
    pub direction: LogDirection,
    pub channel: ChannelId,
    pub seq: u64,
    pub message_id: MessageId,
    pub message_hash: Sha256Hash,
}

impl LogEntry {
    /// The bytes hashed into `entry_hash`: UTF-8 lines separated by `\n`, ending with `\n`:
    /// `sapar-log/1`, index, previous entry hash (hex, or `-`), time (RFC 3339 UTC),
    /// direction, channel, seq, message id, message hash.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        format!(
            "sapar-log/1\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n",
            self.index,
            self.prev_entry_hash.map_or("-".to_owned(), |h| h.to_hex()),
            format_utc(self.at),
            self.direction.as_str(),
            self.channel,
            self.seq,
            self.message_id,
            self.message_hash.to_hex(),
        )
        .into_bytes()
    }

    /// Recomputes the entry hash from the other members.
    pub fn compute_hash(&self) -> Sha256Hash {
        Sha256Hash::of(&self.canonical_bytes())
    }

    /// Appends a record after `prev` (None for the first entry of a log).
    pub fn append(prev: Option<&LogEntry>, record: LogRecord) -> LogEntry {
        let mut e = LogEntry {
            index: prev.map_or(0, |p| p.index + 1),
            prev_entry_hash: prev.map(|p| p.entry_hash),
            at: record.at,
            direction: record.direction,
            channel: record.channel,
            seq: record.seq,
            message_id: record.message_id,
            message_hash: record.message_hash,
            entry_hash: Sha256Hash::of(b""),
        };
        e.entry_hash = e.compute_hash();
        e
    }
}

/// Signs a checkpoint over `entry` (the log's head) with the node key.
pub fn sign_checkpoint(
    entry: &LogEntry,
    log_name: &str,
    at: Timestamp,
    node: &SigningIdentity,
) -> Result<String, KeyError> {
    let c = wire::Checkpoint {
        kind: "checkpoint".to_owned(),
        log: log_name.to_owned(),
        index: entry.index,
        entry_hash: entry.entry_hash.to_hex(),
        at: format_utc(at),
    };
    let payload = serde_json::to_vec(&c).map_err(|_| KeyError::Signing)?;
    jws::sign_compact(&payload, wire::TYP_CHECKPOINT, node)
}

/// A verified checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub log: String,
    pub index: u64,
    pub entry_hash: Sha256Hash,
    pub at: Timestamp,
}

/// Verifies a checkpoint's signature; the signer must be exactly `trusted_cert_der`.
pub fn verify_checkpoint(jws_text: &str, trusted_cert_der: &[u8]) -> Result<Checkpoint, SignedObjectError> {
    let parsed =
        jws::parse_compact(jws_text, wire::TYP_CHECKPOINT).map_err(|e| SignedObjectError::Malformed(e.to_string()))?;
    if parsed.x5c[0] != trusted_cert_der {
        return Err(SignedObjectError::Certificate("checkpoint not signed by the trusted node certificate".into()));
    }
    parsed.verify_signature().map_err(|_| SignedObjectError::Signature)?;
    let c: wire::Checkpoint =
        wire::from_json_object(&parsed.payload).map_err(|e| SignedObjectError::Payload(e.to_string()))?;
    if c.kind != "checkpoint" {
        return Err(SignedObjectError::Payload("not a checkpoint".into()));
    }
    Ok(Checkpoint {
        log: c.log,
        index: c.index,
        entry_hash: Sha256Hash::parse(&c.entry_hash).map_err(|e| SignedObjectError::Payload(e.to_string()))?,
        at: parse_utc(&c.at).ok_or_else(|| SignedObjectError::Payload("at is not RFC 3339 UTC".into()))?,
    })
}

/// Why the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadEntryReason {
    /// The entry's index is not the previous index plus one (or 0 at the start).
    IndexGap { expected: u64 },
    /// `prev_entry_hash` is not the previous entry's hash.
    PrevHashMismatch,
    /// `entry_hash` is not the hash of the entry's content: the entry was altered.
    EntryHashMismatch,
    /// A signed checkpoint commits to another hash at this index.
    CheckpointMismatch,
    /// A checkpoint's signature or signer is not valid.
    CheckpointInvalid(String),
    /// A checkpoint refers to an index past the end: entries were removed.
    Truncated,
}

/// The first entry that fails verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("log entry {index} is bad: {reason:?}")]
pub struct FirstBadEntry {
    pub index: u64,
    pub reason: BadEntryReason,
}

/// Verifies a log from its first entry: indexes, links, entry hashes, and every checkpoint
/// (signed by `trusted_cert_der`) against the entry at its index. Returns the number of entries.
pub fn verify_chain(
    entries: &[LogEntry],
    checkpoints: &[String],
    trusted_cert_der: &[u8],
) -> Result<u64, FirstBadEntry> {
    let mut verified = Vec::with_capacity(checkpoints.len());
    let mut first_bad: Option<FirstBadEntry> = None;
    let mut note = |bad: FirstBadEntry| {
        if first_bad.as_ref().is_none_or(|b| bad.index < b.index) {
            first_bad = Some(bad);
        }
    };
    for c in checkpoints {
        match verify_checkpoint(c, trusted_cert_der) {
            Ok(cp) => verified.push(cp),
            Err(e) => {
                // An unreadable checkpoint points at the index it claims, when readable.
                let index = jws::parse_compact(c, wire::TYP_CHECKPOINT)
                    .ok()
                    .and_then(|p| wire::from_json_object::<wire::Checkpoint>(&p.payload).ok())
                    .map_or(0, |cp| cp.index);
                note(FirstBadEntry { index, reason: BadEntryReason::CheckpointInvalid(e.to_string()) });
            }
        }
    }
    let mut prev: Option<&LogEntry> = None;
    for (i, e) in entries.iter().enumerate() {
        let expected = prev.map_or(0, |p| p.index + 1);
        let reason = if e.index != expected {
            Some(BadEntryReason::IndexGap { expected })
        } else if e.prev_entry_hash != prev.map(|p| p.entry_hash) {
            Some(BadEntryReason::PrevHashMismatch)
        } else if e.compute_hash() != e.entry_hash {
            Some(BadEntryReason::EntryHashMismatch)
        } else {
            None
        };
        if let Some(reason) = reason {
            note(FirstBadEntry { index: u64::try_from(i).unwrap_or(u64::MAX), reason });
            break;
        }
        prev = Some(e);
    }
    let len = u64::try_from(entries.len()).unwrap_or(u64::MAX);
    for cp in &verified {
        match entries.get(usize::try_from(cp.index).unwrap_or(usize::MAX)) {
            Some(e) if e.entry_hash == cp.entry_hash => {}
            Some(_) => note(FirstBadEntry { index: cp.index, reason: BadEntryReason::CheckpointMismatch }),
            None => note(FirstBadEntry { index: len, reason: BadEntryReason::Truncated }),
        }
    }
    match first_bad {
        Some(b) => Err(b),
        None => Ok(len),
    }
}
