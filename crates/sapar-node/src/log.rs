//! The message log as stored: conversion between store rows and the treaty's hash-chained
//! entries, the chain function that appends inside the store's transaction, verification, and
//! the [`Checkpointer`] that signs the log periodically.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use sapar_store::Store;
use sapar_store::exchange::{ChainFn, LogRow};
use sapar_treaty::ids::{ChannelId, MessageId, Sha256Hash};
use sapar_treaty::jws::SigningIdentity;
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

/// When the [`Checkpointer`] signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckpointPolicy {
    /// Sign once this many entries follow the last checkpoint.
    pub every: u64,
    /// Sign entries that follow the last checkpoint once they waited this long, however few.
    pub max_wait: Duration,
    /// How often the log's head is looked at.
    pub poll: Duration,
}

impl Default for CheckpointPolicy {
    fn default() -> CheckpointPolicy {
        CheckpointPolicy { every: 1000, max_wait: Duration::from_secs(60), poll: Duration::from_secs(1) }
    }
}

/// Signs checkpoints of the node's message log with the node key (`docs/protocol.md`, section
/// 11): when [`CheckpointPolicy::every`] entries follow the last checkpoint, when entries waited
/// [`CheckpointPolicy::max_wait`], and once more at shutdown. A checkpoint is signed only over a
/// log that verifies from the previous checkpoint: a node never vouches for entries altered
/// behind its back.
#[derive(Clone)]
pub struct Checkpointer {
    store: Store,
    node: Arc<SigningIdentity>,
    log_name: String,
    policy: CheckpointPolicy,
    started: Timestamp,
}

impl std::fmt::Debug for Checkpointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checkpointer")
            .field("log", &self.log_name)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl Checkpointer {
    /// Signs the log of `store` as `log_name` (the node's name) with the node key `node`.
    pub fn new(store: Store, node: Arc<SigningIdentity>, log_name: &str, policy: CheckpointPolicy) -> Checkpointer {
        Checkpointer { store, node, log_name: log_name.to_owned(), policy, started: Timestamp::now() }
    }

    /// Signs a checkpoint over the log's last entry unless it has one; returns the index signed.
    /// Fails, signing nothing, when the entries since the previous checkpoint do not verify.
    pub async fn checkpoint(&self, now: Timestamp) -> Result<Option<u64>, NodeError> {
        let previous = self.store.last_checkpoint().await?;
        let from = previous.as_ref().map_or(0, |c| c.index);
        let rows = self.store.log_entries_from(from).await?;
        let entries = rows.iter().map(entry_of).collect::<Result<Vec<_>, _>>()?;
        let Some(last) = entries.last() else { return Ok(None) };
        let mut prev: Option<&LogEntry> = None;
        if let Some(c) = &previous {
            let signed = log::verify_checkpoint(&c.jws, self.node.certificate())
                .map_err(|e| NodeError::Corrupt(format!("checkpoint at log entry {}: {e}", c.index)))?;
            match entries.first() {
                Some(first) if first.index == signed.index && first.entry_hash == signed.entry_hash => {}
                _ => return Err(NodeError::Corrupt(format!("log entry {} is not the one checkpointed", c.index))),
            }
            if entries.len() == 1 {
                return Ok(None);
            }
            prev = entries.first();
        }
        for e in entries.iter().skip(usize::from(previous.is_some())) {
            let bad = |why: &str| NodeError::Corrupt(format!("log entry {}: {why}; no checkpoint signed", e.index));
            if e.index != prev.map_or(0, |p| p.index + 1) {
                return Err(bad("index out of sequence"));
            }
            if e.prev_entry_hash != prev.map(|p| p.entry_hash) {
                return Err(bad("not linked to the previous entry"));
            }
            if e.compute_hash() != e.entry_hash {
                return Err(bad("altered"));
            }
            prev = Some(e);
        }
        let jws =
            log::sign_checkpoint(last, &self.log_name, now, &self.node).map_err(|e| NodeError::Key(e.to_string()))?;
        let index = i64::try_from(last.index).map_err(|_| NodeError::Corrupt("log index beyond i64".into()))?;
        Ok(self.store.add_checkpoint(index, &jws, now).await?.then_some(last.index))
    }

    /// Signs when the policy says so: [`CheckpointPolicy::every`] entries after the last
    /// checkpoint, or any entry after it once [`CheckpointPolicy::max_wait`] has passed since
    /// that checkpoint (or since this checkpointer started, for a log never signed).
    pub async fn checkpoint_if_due(&self, now: Timestamp) -> Result<Option<u64>, NodeError> {
        let Some(last) = self.store.last_log_entry().await? else { return Ok(None) };
        let previous = self.store.last_checkpoint().await?;
        let waiting = u64::try_from(last.index - previous.as_ref().map_or(-1, |c| c.index)).unwrap_or(0);
        let since = previous.as_ref().map_or(self.started, |c| c.at);
        let waited =
            now.duration_since(since) >= SignedDuration::try_from(self.policy.max_wait).unwrap_or(SignedDuration::MAX);
        if waiting >= self.policy.every.max(1) || (waiting > 0 && waited) {
            return self.checkpoint(now).await;
        }
        Ok(None)
    }

    /// Signs as the policy says until `shutdown`, then once more over whatever is new.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = tokio::time::sleep(self.policy.poll) => {}
                () = &mut shutdown => break,
            }
            match self.checkpoint_if_due(Timestamp::now()).await {
                Ok(Some(index)) => tracing::debug!(index, "log checkpoint signed"),
                Ok(None) => {}
                Err(e) => tracing::error!(error = %e, "log checkpoint not signed"),
            }
        }
        match self.checkpoint(Timestamp::now()).await {
            Ok(Some(index)) => tracing::info!(index, "log checkpoint signed at shutdown"),
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "log checkpoint not signed at shutdown"),
        }
    }
}
