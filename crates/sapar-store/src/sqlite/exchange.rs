//! The SQLite side of the exchange tables (see [`crate::exchange`]).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{OptionalExtension, Row, Transaction, params};
use tokio::sync::oneshot;
use uuid::Uuid;

use super::{SqliteStore, lock};
use crate::error::StoreError;
use crate::exchange::plan::{
    EnqueueSnapshot, IncomingPlan, IncomingSnapshot, RegistrySnapshot, lists_of, plan_enqueue, plan_incoming,
    plan_resequence,
};
use crate::exchange::{
    AuthorityChangeRow, ChannelHalt, ChannelState, Enqueue, ExchangeRegistry, NewAuthorityRow, RegistryChange,
    RegistryRecord, ResequenceError, ResignFn, SignatoryListRow, SignatoryRow,
};
use crate::exchange::{
    CaseRow, ChainFn, DeliveredMessage, EnqueueError, ExchangeDirection, HeadRow, InboxEntry, InboxMessage,
    IncomingMessage, IncomingOutcome, IncomingRecord, LogRow, OutboxEntry, OutboxStatus, due_run,
};

fn micros(at: Timestamp) -> i64 {
    at.as_microsecond()
}

fn time(us: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(us).map_err(|e| StoreError::Corrupt(format!("timestamp {us}: {e}")))
}

fn uuid(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|_| StoreError::Corrupt(format!("uuid {text:?}")))
}

const OUTBOX_COLUMNS: &str =
    "message_id, channel, seq, prev_hash, message_hash, jws, status, attempts, next_attempt_at, last_error, receipt";

type RawOutbox =
    (String, String, i64, Option<String>, String, String, String, i64, i64, Option<String>, Option<String>);

fn raw_outbox(r: &Row<'_>) -> rusqlite::Result<RawOutbox> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
    ))
}

fn outbox(raw: RawOutbox) -> Result<OutboxEntry, StoreError> {
    let (id, channel, seq, prev_hash, message_hash, jws, status, attempts, next, last_error, receipt) = raw;
    Ok(OutboxEntry {
        message_id: uuid(&id)?,
        channel,
        seq,
        prev_hash,
        message_hash,
        jws,
        status: OutboxStatus::parse(&status)?,
        attempts,
        next_attempt_at: time(next)?,
        last_error,
        receipt,
    })
}

type RawLog = (i64, Option<String>, i64, String, String, i64, String, String, String);

fn raw_log(r: &Row<'_>) -> rusqlite::Result<RawLog> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?))
}

fn log_row(raw: RawLog) -> Result<LogRow, StoreError> {
    let (index, prev_entry_hash, at, direction, channel, seq, message_id, message_hash, entry_hash) = raw;
    Ok(LogRow {
        index,
        prev_entry_hash,
        at: time(at)?,
        direction,
        channel,
        seq,
        message_id: uuid(&message_id)?,
        message_hash,
        entry_hash,
    })
}

const LOG_COLUMNS: &str = "idx, prev_entry_hash, at, direction, channel, seq, message_id, message_hash, entry_hash";

fn last_log(tx: &rusqlite::Connection) -> Result<Option<LogRow>, StoreError> {
    let raw = tx
        .prepare_cached(&format!("SELECT {LOG_COLUMNS} FROM exchange_log ORDER BY idx DESC LIMIT 1"))?
        .query_row([], raw_log)
        .optional()?;
    raw.map(log_row).transpose()
}

fn append_log(tx: &Transaction<'_>, chain: ChainFn) -> Result<(), StoreError> {
    let prev = last_log(tx)?;
    let e = chain(prev.as_ref());
    tx.prepare_cached("INSERT INTO exchange_log (idx, prev_entry_hash, at, direction, channel, seq, message_id, message_hash, entry_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?.execute(params![
            e.index,
            e.prev_entry_hash,
            micros(e.at),
            e.direction,
            e.channel,
            e.seq,
            e.message_id.hyphenated().to_string(),
            e.message_hash,
            e.entry_hash
        ],
    )?;
    Ok(())
}

fn set_head(
    tx: &Transaction<'_>,
    channel: &str,
    direction: ExchangeDirection,
    seq: i64,
    hash: &str,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO exchange_channel_heads (channel, direction, seq, hash) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (channel, direction) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
    )?
    .execute(params![channel, direction.as_str(), seq, hash])?;
    Ok(())
}

fn head(
    conn: &rusqlite::Connection,
    channel: &str,
    direction: ExchangeDirection,
) -> Result<Option<HeadRow>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT seq, hash FROM exchange_channel_heads WHERE channel = ?1 AND direction = ?2")?
        .query_row(params![channel, direction.as_str()], |r| Ok(HeadRow { seq: r.get(0)?, hash: r.get(1)? }))
        .optional()?)
}

fn case(conn: &rusqlite::Connection, id: Uuid) -> Result<Option<CaseRow>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT agreement, opened_by, state FROM exchange_cases WHERE case_id = ?1")?
        .query_row(params![id.hyphenated().to_string()], |r| {
            Ok(CaseRow { agreement: r.get(0)?, opened_by: r.get(1)?, state: r.get(2)? })
        })
        .optional()?)
}

/// Marks a pending message delivered (status, receipt, sent head, log entry) in one transaction;
/// returns its channel, or None when it was not pending.
fn deliver(
    conn: &mut rusqlite::Connection,
    id: Uuid,
    receipt: &str,
    chain: ChainFn,
) -> Result<Option<String>, StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let channel = deliver_in(&tx, id, receipt, chain)?;
    tx.commit()?;
    Ok(channel)
}

/// Marks a pending message delivered inside `tx`; its channel, or None when it was not pending.
fn deliver_in(tx: &Transaction<'_>, id: Uuid, receipt: &str, chain: ChainFn) -> Result<Option<String>, StoreError> {
    let row: Option<(String, i64, String)> = tx
        .prepare_cached(
            "UPDATE exchange_outbox SET attempts = attempts + 1, status = 'delivered', receipt = ?2, last_error = NULL
             WHERE message_id = ?1 AND status = 'pending' RETURNING channel, seq, message_hash",
        )?
        .query_row(params![id.hyphenated().to_string(), receipt], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((channel, seq, hash)) = row else { return Ok(None) };
    set_head(tx, &channel, ExchangeDirection::Sent, seq, &hash)?;
    append_log(tx, chain)?;
    Ok(Some(channel))
}

/// Writes an accepted incoming message: inbox row, received channel head and case.
fn insert_incoming(tx: &Transaction<'_>, m: &IncomingMessage) -> Result<(), StoreError> {
    tx.prepare_cached("INSERT INTO exchange_inbox (message_id, message_hash, channel, seq, case_id, agreement, from_authority,
             to_authority, message_type, created_at, received_at, signer, signatory_list_version, sealed_payload, receipt)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)")?.execute(params![
            m.message_id.hyphenated().to_string(),
            m.message_hash,
            m.channel,
            m.seq,
            m.case_id.hyphenated().to_string(),
            m.agreement,
            m.from_authority,
            m.to_authority,
            m.message_type,
            micros(m.created_at),
            micros(m.received_at),
            m.signer,
            m.signatory_list_version,
            m.sealed_payload,
            m.receipt
        ],
    )?;
    set_head(tx, &m.channel, ExchangeDirection::Received, m.seq, &m.message_hash)?;
    upsert_case(tx, &m.case_id.hyphenated().to_string(), &m.case)
}

/// Records a case as it is after a message (new, or its state changed).
fn upsert_case(tx: &rusqlite::Connection, case_key: &str, case: &CaseRow) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO exchange_cases (case_id, agreement, opened_by, state) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (case_id) DO UPDATE SET state = excluded.state",
    )?
    .execute(params![case_key, case.agreement, case.opened_by, case.state])?;
    Ok(())
}

/// The first `limit` pending messages of `channel`, in order.
fn pending_run(conn: &rusqlite::Connection, channel: &str, limit: usize) -> Result<Vec<OutboxEntry>, StoreError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let raws = conn
        .prepare_cached(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM exchange_outbox
             WHERE channel = ?1 AND status = 'pending' ORDER BY seq LIMIT ?2"
        ))?
        .query_map(params![channel, limit], raw_outbox)?
        .collect::<Result<Vec<_>, _>>()?;
    raws.into_iter().map(outbox).collect()
}

/// Marks a pending message rejected with `error`; false when it was not pending.
fn reject_pending(conn: &rusqlite::Connection, id: Uuid, error: &str) -> Result<bool, StoreError> {
    let n = conn
        .prepare_cached(
            "UPDATE exchange_outbox SET attempts = attempts + 1, last_error = ?2, status = 'rejected'
             WHERE message_id = ?1 AND status = 'pending'",
        )?
        .execute(params![id.hyphenated().to_string(), error])?;
    Ok(n == 1)
}

const GENERATION: &str = "SELECT MAX(g) FROM (SELECT MAX(generation) AS g FROM exchange_signatory_lists
     UNION ALL SELECT MAX(generation) FROM exchange_authority_changes)";

fn generation(conn: &rusqlite::Connection) -> Result<i64, StoreError> {
    let g: Option<i64> = conn.prepare_cached(GENERATION)?.query_row([], |r| r.get(0))?;
    Ok(g.unwrap_or(0))
}

fn signatory_list(
    conn: &rusqlite::Connection,
    authority: &str,
    version: i64,
) -> Result<Option<SignatoryListRow>, StoreError> {
    let effective: Option<i64> = conn
        .prepare_cached("SELECT effective_from FROM exchange_signatory_lists WHERE authority = ?1 AND version = ?2")?
        .query_row(params![authority, version], |r| r.get(0))
        .optional()?;
    let Some(effective) = effective else { return Ok(None) };
    let signatories = conn
        .prepare_cached(
            "SELECT name, position, certificate_sha256 FROM exchange_signatories
             WHERE authority = ?1 AND version = ?2 ORDER BY ordinal",
        )?
        .query_map(params![authority, version], |r| {
            Ok(SignatoryRow { name: r.get(0)?, position: r.get(1)?, certificate_sha256: r.get(2)? })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(SignatoryListRow {
        authority: authority.to_owned(),
        version,
        effective_from: time(effective)?,
        signatories,
    }))
}

/// The registry as changes meet it: its generation and the stored versions of `lists` (see
/// [`lists_of`]).
fn registry_snapshot(conn: &rusqlite::Connection, lists: &[(&str, i64)]) -> Result<RegistrySnapshot, StoreError> {
    let mut held_lists = Vec::new();
    for &(authority, version) in lists {
        held_lists.extend(signatory_list(conn, authority, version)?);
    }
    Ok(RegistrySnapshot { generation: generation(conn)?, held_lists })
}

/// Records `change`, carried by message `id`, at `generation` (as planned, see
/// [`crate::exchange::plan::plan_changes`]).
fn write_change(
    tx: &rusqlite::Connection,
    change: &RegistryChange,
    generation: i64,
    direction: ExchangeDirection,
    id: Uuid,
    at: Timestamp,
) -> Result<(), StoreError> {
    let id = id.hyphenated().to_string();
    match change {
        RegistryChange::SignatoryList(l) => {
            tx.prepare_cached(
                "INSERT INTO exchange_signatory_lists (authority, version, effective_from, generation, direction,
                     message_id, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                l.authority,
                l.version,
                micros(l.effective_from),
                generation,
                direction.as_str(),
                id,
                micros(at)
            ])?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO exchange_signatories (authority, version, ordinal, name, position, certificate_sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (i, s) in l.signatories.iter().enumerate() {
                let ordinal = i64::try_from(i).unwrap_or(i64::MAX);
                insert.execute(params![l.authority, l.version, ordinal, s.name, s.position, s.certificate_sha256])?;
            }
        }
        RegistryChange::AuthorityChange(c) => {
            tx.prepare_cached(
                "INSERT INTO exchange_authority_changes (message_id, generation, direction, agreement, state,
                     effective_on, replaced, new_id, new_name_ru, new_name_en, basis, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                id,
                generation,
                direction.as_str(),
                c.agreement,
                c.state,
                c.effective_on.to_string(),
                c.replaced,
                c.new.as_ref().map(|n| n.id.as_str()),
                c.new.as_ref().map(|n| n.name_ru.as_str()),
                c.new.as_ref().map(|n| n.name_en.as_str()),
                c.basis,
                micros(at)
            ])?;
        }
    }
    Ok(())
}

/// Appends an outgoing message inside `tx`: reads what its numbering, case and registry record
/// depend on, plans, and writes.
fn enqueue_in(tx: &rusqlite::Connection, job: Enqueue) -> Result<OutboxEntry, EnqueueError> {
    let last = tx
        .prepare_cached(
            "SELECT seq, message_hash FROM exchange_outbox WHERE channel = ?1 AND status <> 'rejected'
             ORDER BY seq DESC LIMIT 1",
        )
        .map_err(StoreError::from)?
        .query_row(params![job.channel], |r| Ok(HeadRow { seq: r.get(0)?, hash: r.get(1)? }))
        .optional()
        .map_err(StoreError::from)?;
    let case = job.case_id.map(|id| case(tx, id)).transpose()?.flatten();
    let registry = match &job.change {
        Some(change) => registry_snapshot(tx, &lists_of([change]))?,
        None => RegistrySnapshot::default(),
    };
    let change = job.change.clone();
    let plan = plan_enqueue(job, EnqueueSnapshot { last, case, registry })?;
    let e = &plan.entry;
    tx.prepare_cached(
        "INSERT INTO exchange_outbox (message_id, channel, seq, prev_hash, message_hash, jws, next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )
    .map_err(StoreError::from)?
    .execute(params![
        e.message_id.hyphenated().to_string(),
        e.channel,
        e.seq,
        e.prev_hash,
        e.message_hash,
        e.jws,
        micros(e.next_attempt_at)
    ])
    .map_err(StoreError::from)?;
    if let Some((id, c)) = &plan.case {
        upsert_case(tx, &id.hyphenated().to_string(), c)?;
    }
    if let (Some(change), Some(generation)) = (&change, plan.generation) {
        write_change(tx, change, generation, ExchangeDirection::Sent, e.message_id, e.next_attempt_at)?;
    }
    Ok(plan.entry)
}

/// An enqueue waiting for the writer (see [`SqliteStore::drain_enqueues`]).
pub(crate) struct EnqueueJob {
    pub(crate) enqueue: Enqueue,
    pub(crate) reply: oneshot::Sender<Result<OutboxEntry, EnqueueError>>,
}

/// The enqueues waiting for the writer, and whether a drain is running.
#[derive(Default)]
pub(crate) struct EnqueueQueue {
    jobs: Mutex<Vec<EnqueueJob>>,
    draining: AtomicBool,
}

/// Ends a drain even when it unwinds: the jobs still queued are answered with an error (their
/// reply channels close) and the next enqueue starts a new drain.
struct DrainGuard<'a>(&'a EnqueueQueue);

impl Drop for DrainGuard<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            if let Ok(mut jobs) = self.0.jobs.lock() {
                jobs.clear();
            }
            self.0.draining.store(false, Ordering::Release);
        }
    }
}

fn fail_all(replies: impl Iterator<Item = oneshot::Sender<Result<OutboxEntry, EnqueueError>>>, e: &StoreError) {
    for reply in replies {
        let why = StoreError::Worker(format!("the transaction holding this message failed: {e}"));
        let _ = reply.send(Err(EnqueueError::Store(why)));
    }
}

impl SqliteStore {
    pub(crate) fn inbox_entry(&self, id: Uuid) -> Result<Option<InboxEntry>, StoreError> {
        let conn = self.reader()?;
        let raw = conn
            .prepare_cached(
                "SELECT message_hash, channel, seq, message_type, received_at, sealed_payload, receipt
                 FROM exchange_inbox WHERE message_id = ?1",
            )?
            .query_row(params![id.hyphenated().to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })
            .optional()?;
        raw.map(|(message_hash, channel, seq, message_type, received_at, sealed_payload, receipt)| {
            Ok(InboxEntry {
                message_id: id,
                message_hash,
                channel,
                seq,
                message_type,
                received_at: time(received_at)?,
                sealed_payload,
                receipt,
            })
        })
        .transpose()
    }

    pub(crate) fn inbox_count(&self) -> Result<i64, StoreError> {
        let conn = self.reader()?;
        Ok(conn.prepare_cached("SELECT COUNT(*) FROM exchange_inbox")?.query_row([], |r| r.get(0))?)
    }

    pub(crate) fn channel_head(
        &self,
        channel: &str,
        direction: ExchangeDirection,
    ) -> Result<Option<HeadRow>, StoreError> {
        let conn = self.reader()?;
        head(&conn, channel, direction)
    }

    pub(crate) fn receiver_view(
        &self,
        message_ids: &[Uuid],
        channel: Option<&str>,
        case_ids: &[Uuid],
    ) -> Result<crate::exchange::ReceiverView, StoreError> {
        let mut conn = self.reader()?;
        // One read transaction: the answers come from the same state of the database.
        let tx = conn.transaction()?;
        let mut seen = Vec::new();
        {
            let mut stmt =
                tx.prepare_cached("SELECT message_hash, receipt FROM exchange_inbox WHERE message_id = ?1")?;
            for id in message_ids {
                let found: Option<(String, String)> =
                    stmt.query_row(params![id.hyphenated().to_string()], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
                if let Some((message_hash, receipt)) = found {
                    seen.push(crate::exchange::SeenMessage { message_id: *id, message_hash, receipt });
                }
            }
        }
        let head = match channel {
            Some(c) => head(&tx, c, ExchangeDirection::Received)?,
            None => None,
        };
        let mut cases = Vec::new();
        for id in case_ids {
            if !cases.iter().any(|(c, _)| c == id)
                && let Some(row) = case(&tx, *id)?
            {
                cases.push((*id, row));
            }
        }
        let registry_generation = generation(&tx)?;
        tx.finish()?;
        Ok(crate::exchange::ReceiverView { seen, head, cases, registry_generation })
    }

    pub(crate) fn exchange_case(&self, id: Uuid) -> Result<Option<CaseRow>, StoreError> {
        let conn = self.reader()?;
        case(&conn, id)
    }

    /// Stores accepted messages of one channel; see [`crate::Store::store_incoming_batch`].
    pub(crate) fn store_incoming_batch(
        &self,
        records: Vec<IncomingRecord>,
        expected_head: Option<&HeadRow>,
        expected_generation: Option<i64>,
    ) -> Result<IncomingOutcome, StoreError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut snapshot = IncomingSnapshot::default();
        {
            let mut stored =
                tx.prepare_cached("SELECT message_hash, receipt FROM exchange_inbox WHERE message_id = ?1")?;
            for r in &records {
                let id = r.message.message_id.hyphenated().to_string();
                snapshot.stored = stored.query_row(params![id], |row| Ok((row.get(0)?, row.get(1)?))).optional()?;
                if snapshot.stored.is_some() {
                    break;
                }
            }
        }
        if let Some(first) = records.first() {
            snapshot.head = head(&tx, &first.message.channel, ExchangeDirection::Received)?;
        }
        snapshot.registry = registry_snapshot(&tx, &lists_of(records.iter().filter_map(|r| r.change.as_ref())))?;
        let generations = match plan_incoming(&records, &snapshot, expected_head, expected_generation)? {
            IncomingPlan::Answer(outcome) => return Ok(outcome),
            IncomingPlan::Write(generations) => generations,
        };
        for (IncomingRecord { message: m, change, chain }, generation) in records.into_iter().zip(generations) {
            insert_incoming(&tx, &m)?;
            if let (Some(change), Some(generation)) = (&change, generation) {
                write_change(&tx, change, generation, ExchangeDirection::Received, m.message_id, m.received_at)?;
            }
            append_log(&tx, chain)?;
        }
        tx.commit()?;
        Ok(IncomingOutcome::Stored)
    }

    /// Queues an enqueue for [`SqliteStore::drain_enqueues`]; true when no drain is running, so
    /// that the caller must start one.
    pub(crate) fn queue_enqueue(&self, job: EnqueueJob) -> bool {
        match self.enqueues.jobs.lock() {
            Ok(mut jobs) => jobs.push(job),
            // Dropping the job answers its caller with an error.
            Err(_) => return false,
        }
        !self.enqueues.draining.swap(true, Ordering::AcqRel)
    }

    /// Runs the queued enqueues until none is left, all those waiting at a time in one
    /// transaction (group commit): each in a savepoint, so that one whose composition fails
    /// leaves the others in, and each caller is answered once the transaction holding its
    /// message is committed.
    pub(crate) fn drain_enqueues(&self) {
        let _reset = DrainGuard(&self.enqueues);
        loop {
            let jobs = match self.enqueues.jobs.lock() {
                Ok(mut jobs) => std::mem::take(&mut *jobs),
                Err(_) => return,
            };
            if jobs.is_empty() {
                self.enqueues.draining.store(false, Ordering::Release);
                // A job queued between the take and the store above found the drain running.
                let waiting = self.enqueues.jobs.lock().map(|j| !j.is_empty()).unwrap_or(false);
                if !waiting || self.enqueues.draining.swap(true, Ordering::AcqRel) {
                    return;
                }
                continue;
            }
            self.run_enqueues(jobs);
        }
    }

    fn run_enqueues(&self, jobs: Vec<EnqueueJob>) {
        let mut conn = match lock(&self.writer) {
            Ok(c) => c,
            Err(e) => return fail_all(jobs.into_iter().map(|j| j.reply), &e),
        };
        let mut tx = match conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate) {
            Ok(tx) => tx,
            Err(e) => return fail_all(jobs.into_iter().map(|j| j.reply), &StoreError::from(e)),
        };
        let mut answers = Vec::with_capacity(jobs.len());
        for job in jobs {
            let result = match tx.savepoint() {
                Ok(mut sp) => {
                    let r = enqueue_in(&sp, job.enqueue);
                    match r {
                        Ok(entry) => sp.commit().map(|()| entry).map_err(|e| EnqueueError::Store(e.into())),
                        Err(e) => {
                            // Undoes this message's writes only.
                            let _ = sp.rollback();
                            Err(e)
                        }
                    }
                }
                Err(e) => Err(EnqueueError::Store(e.into())),
            };
            answers.push((job.reply, result));
        }
        if let Err(e) = tx.commit() {
            let e = StoreError::from(e);
            return fail_all(answers.into_iter().map(|(reply, _)| reply), &e);
        }
        for (reply, result) in answers {
            // A caller that stopped waiting is not an error: its message is queued.
            let _ = reply.send(result);
        }
    }

    pub(crate) fn inbox_messages(&self, limit: i64) -> Result<Vec<InboxMessage>, StoreError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(
            "SELECT * FROM (
                 SELECT message_id, message_hash, channel, seq, case_id, agreement, from_authority, to_authority,
                        message_type, created_at, received_at, receipt
                 FROM exchange_inbox ORDER BY received_at DESC, channel DESC, seq DESC LIMIT ?1)
             ORDER BY received_at, channel, seq",
        )?;
        let raws = stmt
            .query_map(params![limit.max(0)], |r| {
                Ok((
                    (r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?),
                    (r.get::<_, String>(4)?, r.get::<_, String>(5)?, r.get::<_, String>(6)?, r.get::<_, String>(7)?),
                    (r.get::<_, String>(8)?, r.get::<_, i64>(9)?, r.get::<_, i64>(10)?, r.get::<_, String>(11)?),
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        raws.into_iter()
            .map(|(a, b, c)| {
                Ok(InboxMessage {
                    message_id: uuid(&a.0)?,
                    message_hash: a.1,
                    channel: a.2,
                    seq: a.3,
                    case_id: uuid(&b.0)?,
                    agreement: b.1,
                    from_authority: b.2,
                    to_authority: b.3,
                    message_type: c.0,
                    created_at: time(c.1)?,
                    received_at: time(c.2)?,
                    receipt: c.3,
                })
            })
            .collect()
    }

    pub(crate) fn outbox_entries(&self, limit: i64) -> Result<Vec<OutboxEntry>, StoreError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM (
                 SELECT * FROM exchange_outbox ORDER BY created_at DESC, channel DESC, seq DESC LIMIT ?1)
             ORDER BY created_at, channel, seq"
        ))?;
        let raws = stmt.query_map(params![limit.max(0)], raw_outbox)?.collect::<Result<Vec<_>, _>>()?;
        raws.into_iter().map(outbox).collect()
    }

    pub(crate) fn outbox_entry(&self, id: Uuid) -> Result<Option<OutboxEntry>, StoreError> {
        let conn = self.reader()?;
        let raw = conn
            .prepare_cached(&format!("SELECT {OUTBOX_COLUMNS} FROM exchange_outbox WHERE message_id = ?1"))?
            .query_row(params![id.hyphenated().to_string()], raw_outbox)
            .optional()?;
        raw.map(outbox).transpose()
    }

    pub(crate) fn due_outgoing(&self, now: Timestamp) -> Result<Vec<OutboxEntry>, StoreError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM exchange_outbox o
             WHERE status = 'pending' AND next_attempt_at <= ?1
               AND seq = (SELECT MIN(seq) FROM exchange_outbox p WHERE p.channel = o.channel AND p.status = 'pending')
               AND channel NOT IN (SELECT channel FROM exchange_channel_halts)
             ORDER BY channel"
        ))?;
        let raws = stmt.query_map(params![micros(now)], raw_outbox)?.collect::<Result<Vec<_>, _>>()?;
        raws.into_iter().map(outbox).collect()
    }

    pub(crate) fn next_outgoing_at(&self) -> Result<Option<Timestamp>, StoreError> {
        let conn = self.reader()?;
        let us: Option<i64> = conn
            .prepare_cached(
                "SELECT MIN(next_attempt_at) FROM exchange_outbox
                 WHERE status = 'pending' AND channel NOT IN (SELECT channel FROM exchange_channel_halts)",
            )?
            .query_row([], |r| r.get(0))?;
        us.map(time).transpose()
    }

    pub(crate) fn record_attempt_failure(&self, id: Uuid, error: &str, next: Timestamp) -> Result<(), StoreError> {
        let conn = lock(&self.writer)?;
        conn.prepare_cached(
            "UPDATE exchange_outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3
             WHERE message_id = ?1 AND status = 'pending'",
        )?
        .execute(params![id.hyphenated().to_string(), error, micros(next)])?;
        Ok(())
    }

    pub(crate) fn resequence_outgoing(
        &self,
        channel: &str,
        reject: Option<(Uuid, String)>,
        mut resign: ResignFn,
    ) -> Result<Vec<OutboxEntry>, ResequenceError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let head = head(&tx, channel, ExchangeDirection::Sent)?;
        let pending = pending_run(&tx, channel, usize::MAX)?;
        let plan = plan_resequence(head, pending, reject.as_ref().map(|(id, _)| *id), &mut resign)
            .map_err(ResequenceError::Resign)?;
        if let (Some(id), Some((_, error))) = (plan.rejected, &reject) {
            reject_pending(&tx, id, error)?;
        }
        let mut update = tx
            .prepare_cached(
                "UPDATE exchange_outbox SET seq = ?2, prev_hash = ?3, message_hash = ?4, jws = ?5 WHERE message_id = ?1",
            )
            .map_err(StoreError::from)?;
        for e in plan.resigned.iter().map(|&i| &plan.pending[i]) {
            update
                .execute(params![e.message_id.hyphenated().to_string(), e.seq, e.prev_hash, e.message_hash, e.jws])
                .map_err(StoreError::from)?;
        }
        drop(update);
        tx.commit().map_err(StoreError::from)?;
        Ok(plan.pending)
    }

    pub(crate) fn halt_channel(&self, h: &ChannelHalt) -> Result<(), StoreError> {
        let conn = lock(&self.writer)?;
        conn.prepare_cached(
            "INSERT INTO exchange_channel_halts (channel, message_id, code, detail, halted_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (channel) DO UPDATE SET message_id = excluded.message_id, code = excluded.code,
                 detail = excluded.detail, halted_at = excluded.halted_at",
        )?
        .execute(params![h.channel, h.message_id.hyphenated().to_string(), h.code, h.detail, micros(h.halted_at)])?;
        Ok(())
    }

    pub(crate) fn channel_halts(&self) -> Result<Vec<ChannelHalt>, StoreError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(
            "SELECT channel, message_id, code, detail, halted_at FROM exchange_channel_halts ORDER BY channel",
        )?;
        let raws = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?, r.get::<_, i64>(4)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        raws.into_iter()
            .map(|(channel, id, code, detail, at)| {
                Ok(ChannelHalt { channel, message_id: uuid(&id)?, code, detail, halted_at: time(at)? })
            })
            .collect()
    }

    pub(crate) fn resume_channel(&self, channel: &str) -> Result<bool, StoreError> {
        let conn = lock(&self.writer)?;
        let n =
            conn.prepare_cached("DELETE FROM exchange_channel_halts WHERE channel = ?1")?.execute(params![channel])?;
        Ok(n == 1)
    }

    pub(crate) fn mark_rejected(&self, id: Uuid, error: &str) -> Result<bool, StoreError> {
        let conn = lock(&self.writer)?;
        reject_pending(&conn, id, error)
    }

    pub(crate) fn mark_delivered(&self, id: Uuid, receipt: &str, chain: ChainFn) -> Result<bool, StoreError> {
        let mut conn = lock(&self.writer)?;
        Ok(deliver(&mut conn, id, receipt, chain)?.is_some())
    }

    pub(crate) fn mark_delivered_run(
        &self,
        delivered: Vec<DeliveredMessage>,
        limit: usize,
        now: Timestamp,
    ) -> Result<(usize, Vec<OutboxEntry>), StoreError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut marked = 0;
        let mut channel = None;
        for d in delivered {
            if let Some(c) = deliver_in(&tx, d.message_id, &d.receipt, d.chain)? {
                marked += 1;
                channel = Some(c);
            }
        }
        let run = match &channel {
            Some(c) => pending_run(&tx, c, limit)?,
            None => Vec::new(),
        };
        tx.commit()?;
        Ok((marked, due_run(run, now)))
    }

    pub(crate) fn pending_run(&self, channel: &str, limit: usize) -> Result<Vec<OutboxEntry>, StoreError> {
        let conn = self.reader()?;
        pending_run(&conn, channel, limit)
    }

    pub(crate) fn log_entries(&self) -> Result<Vec<LogRow>, StoreError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(&format!("SELECT {LOG_COLUMNS} FROM exchange_log ORDER BY idx"))?;
        let raws = stmt.query_map([], raw_log)?.collect::<Result<Vec<_>, _>>()?;
        raws.into_iter().map(log_row).collect()
    }

    pub(crate) fn log_entries_from(&self, from: i64) -> Result<Vec<LogRow>, StoreError> {
        let conn = self.reader()?;
        let mut stmt =
            conn.prepare_cached(&format!("SELECT {LOG_COLUMNS} FROM exchange_log WHERE idx >= ?1 ORDER BY idx"))?;
        let raws = stmt.query_map(params![from], raw_log)?.collect::<Result<Vec<_>, _>>()?;
        raws.into_iter().map(log_row).collect()
    }

    pub(crate) fn last_checkpoint(&self) -> Result<Option<crate::exchange::StoredCheckpoint>, StoreError> {
        let conn = self.reader()?;
        let raw: Option<(i64, String, i64)> = conn
            .prepare_cached("SELECT idx, jws, at FROM exchange_checkpoints ORDER BY idx DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        raw.map(|(index, jws, at)| Ok(crate::exchange::StoredCheckpoint { index, jws, at: time(at)? })).transpose()
    }

    pub(crate) fn last_log_entry(&self) -> Result<Option<LogRow>, StoreError> {
        let conn = self.reader()?;
        last_log(&conn)
    }

    pub(crate) fn add_checkpoint(&self, index: i64, jws: &str, at: Timestamp) -> Result<bool, StoreError> {
        let conn = lock(&self.writer)?;
        let n = conn.execute(
            "INSERT INTO exchange_checkpoints (idx, jws, at) VALUES (?1, ?2, ?3) ON CONFLICT (idx) DO NOTHING",
            params![index, jws, micros(at)],
        )?;
        Ok(n == 1)
    }

    pub(crate) fn checkpoints(&self) -> Result<Vec<String>, StoreError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached("SELECT jws FROM exchange_checkpoints ORDER BY idx")?;
        let out = stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
        Ok(out)
    }

    pub(crate) fn registry_generation(&self) -> Result<i64, StoreError> {
        let conn = self.reader()?;
        generation(&conn)
    }

    pub(crate) fn exchange_registry(&self) -> Result<ExchangeRegistry, StoreError> {
        let mut conn = self.reader()?;
        let tx = conn.transaction()?;
        let mut records = Vec::new();
        let lists = tx
            .prepare_cached(
                "SELECT authority, version, generation, direction, message_id, recorded_at
                 FROM exchange_signatory_lists ORDER BY generation",
            )?
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        for (authority, version, generation, direction, id, at) in lists {
            let list = signatory_list(&tx, &authority, version)?
                .ok_or_else(|| StoreError::Corrupt(format!("signatory list {authority} {version}")))?;
            records.push(RegistryRecord {
                generation,
                direction: ExchangeDirection::parse(&direction)?,
                message_id: uuid(&id)?,
                recorded_at: time(at)?,
                change: RegistryChange::SignatoryList(list),
            });
        }
        type RawChange = (
            String,
            i64,
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            i64,
        );
        let changes: Vec<RawChange> = tx
            .prepare_cached(
                "SELECT message_id, generation, direction, agreement, state, effective_on, replaced, new_id,
                     new_name_ru, new_name_en, basis, recorded_at
                 FROM exchange_authority_changes ORDER BY generation",
            )?
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                    r.get(11)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        tx.finish()?;
        for (
            id,
            generation,
            direction,
            agreement,
            state,
            effective_on,
            replaced,
            new_id,
            name_ru,
            name_en,
            basis,
            at,
        ) in changes
        {
            let effective_on = effective_on
                .parse::<Date>()
                .map_err(|_| StoreError::Corrupt(format!("authority change {id}: effective_on {effective_on:?}")))?;
            let new = NewAuthorityRow::from_columns(new_id, name_ru, name_en);
            records.push(RegistryRecord {
                generation,
                direction: ExchangeDirection::parse(&direction)?,
                message_id: uuid(&id)?,
                recorded_at: time(at)?,
                change: RegistryChange::AuthorityChange(AuthorityChangeRow {
                    agreement,
                    state,
                    effective_on,
                    replaced,
                    new,
                    basis,
                }),
            });
        }
        records.sort_by_key(|r| r.generation);
        Ok(ExchangeRegistry { records })
    }

    pub(crate) fn channel_states(&self) -> Result<Vec<ChannelState>, StoreError> {
        let conn = self.reader()?;
        type RawState =
            (String, Option<i64>, Option<i64>, i64, Option<String>, Option<String>, Option<String>, Option<i64>);
        let raws: Vec<RawState> = conn
            .prepare_cached(
                "SELECT c.channel,
                     (SELECT seq FROM exchange_channel_heads h WHERE h.channel = c.channel AND h.direction = 'sent'),
                     (SELECT MAX(seq) FROM exchange_outbox o WHERE o.channel = c.channel AND o.status <> 'rejected'),
                     (SELECT COUNT(*) FROM exchange_outbox o WHERE o.channel = c.channel AND o.status = 'pending'),
                     x.message_id, x.code, x.detail, x.halted_at
                 FROM (SELECT channel FROM exchange_outbox UNION SELECT channel FROM exchange_channel_halts) c
                 LEFT JOIN exchange_channel_halts x ON x.channel = c.channel
                 ORDER BY c.channel",
            )?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        raws.into_iter()
            .map(|(channel, delivered, last, queued, id, code, detail, at)| {
                let halt = match (id, code, detail, at) {
                    (Some(id), Some(code), Some(detail), Some(at)) => Some(ChannelHalt {
                        channel: channel.clone(),
                        message_id: uuid(&id)?,
                        code,
                        detail,
                        halted_at: time(at)?,
                    }),
                    _ => None,
                };
                Ok(ChannelState { next_seq: last.unwrap_or(0) + 1, channel, delivered_seq: delivered, queued, halt })
            })
            .collect()
    }
}
