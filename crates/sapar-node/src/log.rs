//! The message log as stored: conversion between store rows and the treaty's hash-chained
//! entries, the chain function that appends inside the store's transaction, and verification.

use jiff::Timestamp;
use sapar_store::Store;
use sapar_store::exchange::{ChainFn, LogRow};
use sapar_treaty::ids::{ChannelId, MessageId, Sha256Hash};
use sapar_treaty::log::{self, FirstBadEntry, LogDirection, LogEntry, LogRecord};

use crate::NodeError;

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The row stored for an entry.
pub fn row_of(e: &LogEntry) -> LogRow {
    LogRow {
        index: to_i64(e.index),
        prev_entry_hash: e.prev_entry_hash.map(|h| h.to_hex()),
        at: e.at,
        direction: e.direction.as_str().to_owned(),
        channel: e.channel.to_string(),
        seq: to_i64(e.seq),
        message_id: e.message_id.as_uuid(),
        message_hash: e.message_hash.to_hex(),
        entry_hash: e.entry_hash.to_hex(),
    }
}

/// The entry a stored row holds; an error names the row and the column that does not parse.
pub fn entry_of(r: &LogRow) -> Result<LogEntry, NodeError> {
    let bad = |what: &str| NodeError::Corrupt(format!("log entry {}: {what} does not parse", r.index));
    let hash = |s: &str, what: &str| Sha256Hash::parse(s).map_err(|_| bad(what));
    Ok(LogEntry {
        index: u64::try_from(r.index).map_err(|_| bad("index"))?,
        prev_entry_hash: r.prev_entry_hash.as_deref().map(|h| hash(h, "prev_entry_hash")).transpose()?,
        at: r.at,
        direction: LogDirection::parse(&r.direction).ok_or_else(|| bad("direction"))?,
        channel: ChannelId::parse(&r.channel).map_err(|_| bad("channel"))?,
        seq: u64::try_from(r.seq).map_err(|_| bad("seq"))?,
        message_id: MessageId::from_uuid(r.message_id).map_err(|_| bad("message_id"))?,
        message_hash: hash(&r.message_hash, "message_hash")?,
        entry_hash: hash(&r.entry_hash, "entry_hash")?,
    })
}

/// A chain function appending `record` after whatever entry is last when the store writes it.
/// Only the previous entry's index and hash enter the new entry; an unreadable previous hash is
/// replaced by the hash of its text, so that the damage stays visible to [`verify`].
pub fn chain_fn(record: LogRecord) -> ChainFn {
    Box::new(move |prev: Option<&LogRow>| {
        let prev_entry = prev.map(|p| LogEntry {
            index: u64::try_from(p.index).unwrap_or(0),
            prev_entry_hash: None,
            at: record.at,
            direction: record.direction,
            channel: record.channel.clone(),
            seq: record.seq,
            message_id: record.message_id,
            message_hash: record.message_hash,
            entry_hash: Sha256Hash::parse(&p.entry_hash).unwrap_or_else(|_| Sha256Hash::of(p.entry_hash.as_bytes())),
        });
        row_of(&LogEntry::append(prev_entry.as_ref(), record))
    })
}

/// The record of a message received or sent on `channel`. `at` is cut to whole microseconds,
/// the precision both databases keep, so that a stored entry hashes as it was written.
pub fn record(
    at: Timestamp,
    direction: LogDirection,
    channel: ChannelId,
    seq: u64,
    message_id: MessageId,
    message_hash: Sha256Hash,
) -> LogRecord {
    let at = Timestamp::from_microsecond(at.as_microsecond()).unwrap_or(at);
    LogRecord { at, direction, channel, seq, message_id, message_hash }
}

/// Why a stored log does not verify.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Bad(#[from] FirstBadEntry),
    #[error(transparent)]
    Node(#[from] NodeError),
}

/// Verifies the stored log and its checkpoints (signed by `node_cert_der`): returns the number
/// of entries, or the first bad entry. A row whose columns do not parse is reported as altered.
pub async fn verify(store: &Store, node_cert_der: &[u8]) -> Result<u64, VerifyError> {
    let rows = store.log_entries().await.map_err(NodeError::from)?;
    let checkpoints = store.checkpoints().await.map_err(NodeError::from)?;
    let mut entries = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        match entry_of(r) {
            Ok(e) => entries.push(e),
            Err(_) => {
                // Verify what precedes it; the unreadable row is the first bad one otherwise.
                log::verify_chain(&entries, &[], node_cert_der)?;
                return Err(FirstBadEntry {
                    index: u64::try_from(i).unwrap_or(u64::MAX),
                    reason: log::BadEntryReason::EntryHashMismatch,
                }
                .into());
            }
        }
    }
    Ok(log::verify_chain(&entries, &checkpoints, node_cert_der)?)
}
