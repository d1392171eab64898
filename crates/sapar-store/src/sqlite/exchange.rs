//! The SQLite side of the exchange tables (see [`crate::exchange`]); the statements both backends
//! run and the decoding of their rows are in `exchange/sql.rs`.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::Timestamp;
use rusqlite::{Connection, params};
use tokio::sync::oneshot;
use uuid::Uuid;

use super::{SqliteStore, all, exec, lock, opt};
use crate::error::StoreError;
use crate::exchange::plan::{
    EnqueueSnapshot, IncomingPlan, IncomingSnapshot, RegistrySnapshot, lists_of, plan_enqueue, plan_incoming,
    plan_resequence,
};
use crate::exchange::sql::{self, ListHeader};
use crate::exchange::{
    CaseRow, ChainFn, DeliveredMessage, Enqueue, EnqueueError, ExchangeDirection, ExchangeRegistry, HeadRow,
    IncomingMessage, IncomingOutcome, IncomingRecord, LogRow, OutboxEntry, ReceiverView, RegistryChange,
    RegistryRecord, ResequenceError, ResignFn, SeenMessage, SignatoryListRow, due_run,
};

fn micros(at: Timestamp) -> i64 {
    at.as_microsecond()
}

fn append_log(tx: &Connection, chain: ChainFn) -> Result<(), StoreError> {
    let prev: Option<LogRow> = opt(tx, sql::LAST_LOG, [])?;
    let e = chain(prev.as_ref());
    let at = micros(e.at);
    let (id, hash, entry) = (e.message_id, &e.message_hash, &e.entry_hash);
    exec(tx, sql::APPEND_LOG, params![e.index, e.prev_entry_hash, at, e.direction, e.channel, e.seq, id, hash, entry])?;
    Ok(())
}

fn set_head(
    tx: &Connection,
    channel: &str,
    direction: ExchangeDirection,
    seq: i64,
    hash: &str,
) -> Result<(), StoreError> {
    exec(tx, sql::SET_HEAD, params![channel, direction.as_str(), seq, hash])?;
    Ok(())
}

fn head(conn: &Connection, channel: &str, direction: ExchangeDirection) -> Result<Option<HeadRow>, StoreError> {
    opt(conn, sql::HEAD, params![channel, direction.as_str()])
}

/// Marks a pending message delivered inside `tx`; its channel, or None when it was not pending.
fn deliver_in(tx: &Connection, id: Uuid, receipt: &str, chain: ChainFn) -> Result<Option<String>, StoreError> {
    let row: Option<(String, i64, String)> = opt(tx, sql::DELIVER, params![id, receipt])?;
    let Some((channel, seq, hash)) = row else { return Ok(None) };
    set_head(tx, &channel, ExchangeDirection::Sent, seq, &hash)?;
    append_log(tx, chain)?;
    Ok(Some(channel))
}

/// Writes an accepted incoming message: inbox row, received channel head and case.
fn insert_incoming(tx: &Connection, m: &IncomingMessage) -> Result<(), StoreError> {
    let (created, received) = (micros(m.created_at), micros(m.received_at));
    exec(
        tx,
        sql::INSERT_INCOMING,
        params![
            m.message_id,
            m.message_hash,
            m.channel,
            m.seq,
            m.case_id,
            m.agreement,
            m.from_authority,
            m.to_authority,
            m.message_type,
            created,
            received,
            m.signer,
            m.signatory_list_version,
            m.sealed_payload,
            m.receipt
        ],
    )?;
    set_head(tx, &m.channel, ExchangeDirection::Received, m.seq, &m.message_hash)?;
    upsert_case(tx, m.case_id, &m.case)
}

/// Records a case as it is after a message (new, or its state changed).
fn upsert_case(tx: &Connection, id: Uuid, case: &CaseRow) -> Result<(), StoreError> {
    exec(tx, sql::UPSERT_CASE, params![id, case.agreement, case.opened_by, case.state])?;
    Ok(())
}

/// The first `limit` pending messages of `channel`, in order.
fn pending_run(conn: &Connection, channel: &str, limit: usize) -> Result<Vec<OutboxEntry>, StoreError> {
    all(conn, sql::PENDING_RUN, params![channel, i64::try_from(limit).unwrap_or(i64::MAX)])
}

/// Marks a pending message rejected with `error`; false when it was not pending.
fn reject_pending(conn: &Connection, id: Uuid, error: &str) -> Result<bool, StoreError> {
    Ok(exec(conn, sql::REJECT_PENDING, params![id, error])? == 1)
}

fn generation(conn: &Connection) -> Result<i64, StoreError> {
    let (g,): (Option<i64>,) = opt(conn, sql::GENERATION, [])?.unwrap_or((None,));
    Ok(g.unwrap_or(0))
}

fn signatory_list(conn: &Connection, authority: &str, version: i64) -> Result<Option<SignatoryListRow>, StoreError> {
    let Some((effective_from,)) = opt(conn, sql::LIST_EFFECTIVE_FROM, params![authority, version])? else {
        return Ok(None);
    };
    let signatories = all(conn, sql::SIGNATORIES, params![authority, version])?;
    Ok(Some(SignatoryListRow { authority: authority.to_owned(), version, effective_from, signatories }))
}

/// The registry as changes meet it: its generation and the stored versions of `lists` (see
/// [`lists_of`]).
fn registry_snapshot(conn: &Connection, lists: &[(&str, i64)]) -> Result<RegistrySnapshot, StoreError> {
    let mut held_lists = Vec::new();
    for &(authority, version) in lists {
        held_lists.extend(signatory_list(conn, authority, version)?);
    }
    Ok(RegistrySnapshot { generation: generation(conn)?, held_lists })
}

/// Records `change`, carried by message `id`, at `generation` (as planned, see
/// [`crate::exchange::plan::plan_changes`]).
fn write_change(
    tx: &Connection,
    change: &RegistryChange,
    generation: i64,
    direction: ExchangeDirection,
    id: Uuid,
    at: Timestamp,
) -> Result<(), StoreError> {
    let (direction, at) = (direction.as_str(), micros(at));
    match change {
        RegistryChange::SignatoryList(l) => {
            let effective = micros(l.effective_from);
            exec(tx, sql::INSERT_LIST, params![l.authority, l.version, effective, generation, direction, id, at])?;
            for (i, s) in l.signatories.iter().enumerate() {
                let ordinal = i64::try_from(i).unwrap_or(i64::MAX);
                let p = params![l.authority, l.version, ordinal, s.name, s.position, s.certificate_sha256];
                exec(tx, sql::INSERT_SIGNATORY, p)?;
            }
        }
        RegistryChange::AuthorityChange(c) => {
            let new = c.new.as_ref();
            exec(
                tx,
                sql::INSERT_AUTHORITY_CHANGE,
                params![
                    id,
                    generation,
                    direction,
                    c.agreement,
                    c.state,
                    c.effective_on.to_string(),
                    c.replaced,
                    new.map(|n| n.id.as_str()),
                    new.map(|n| n.name_ru.as_str()),
                    new.map(|n| n.name_en.as_str()),
                    c.basis,
                    at
                ],
            )?;
        }
    }
    Ok(())
}

/// Appends an outgoing message inside `tx`: reads what its numbering, case and registry record
/// depend on, plans, and writes.
fn enqueue_in(tx: &Connection, job: Enqueue) -> Result<OutboxEntry, EnqueueError> {
    let last = opt(tx, sql::LAST_OUTGOING, [&job.channel])?;
    let case = job.case_id.map(|id| opt(tx, sql::CASE, [id])).transpose()?.flatten();
    let registry = match &job.change {
        Some(change) => registry_snapshot(tx, &lists_of([change]))?,
        None => RegistrySnapshot::default(),
    };
    let change = job.change.clone();
    let plan = plan_enqueue(job, EnqueueSnapshot { last, case, registry })?;
    let e = &plan.entry;
    let p = params![
        e.message_id,
        e.channel,
        e.seq,
        e.prev_hash,
        e.message_hash,
        e.jws,
        micros(e.next_attempt_at),
        plan.case_id,
        plan.message_type
    ];
    exec(tx, sql::INSERT_OUTBOX, p)?;
    if let Some((id, c)) = &plan.case {
        upsert_case(tx, *id, c)?;
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
    pub(crate) fn receiver_view(
        &self,
        message_ids: &[Uuid],
        channel: Option<&str>,
        case_ids: &[Uuid],
    ) -> Result<ReceiverView, StoreError> {
        let mut conn = self.reader()?;
        // One read transaction: the answers come from the same state of the database.
        let tx = conn.transaction()?;
        let mut seen = Vec::new();
        for id in message_ids {
            seen.extend(opt::<SeenMessage>(&tx, sql::SEEN, [id])?);
        }
        let head = channel.map(|c| head(&tx, c, ExchangeDirection::Received)).transpose()?.flatten();
        let mut cases = Vec::new();
        for id in case_ids {
            if !cases.iter().any(|(c, _)| c == id)
                && let Some(row) = opt(&tx, sql::CASE, [id])?
            {
                cases.push((*id, row));
            }
        }
        let registry_generation = generation(&tx)?;
        tx.finish()?;
        Ok(ReceiverView { seen, head, cases, registry_generation })
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
        for r in &records {
            let seen: Option<SeenMessage> = opt(&tx, sql::SEEN, [r.message.message_id])?;
            snapshot.stored = seen.map(|s| (s.message_hash, s.receipt));
            if snapshot.stored.is_some() {
                break;
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
        for e in plan.resigned.iter().map(|&i| &plan.pending[i]) {
            exec(&tx, sql::RESIGN, params![e.message_id, e.seq, e.prev_hash, e.message_hash, e.jws])?;
        }
        tx.commit().map_err(StoreError::from)?;
        Ok(plan.pending)
    }

    pub(crate) fn destroy_payload(
        &self,
        d: crate::exchange::retention::Destruction,
        chain: ChainFn,
    ) -> Result<bool, StoreError> {
        use crate::exchange::retention::{DROP_PAYLOAD, INSERT_DESTRUCTION};
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if exec(&tx, DROP_PAYLOAD, params![d.message_id])? == 0 {
            return Ok(false);
        }
        exec(
            &tx,
            INSERT_DESTRUCTION,
            params![
                d.message_id,
                d.case_id,
                d.channel,
                d.seq,
                d.message_type,
                micros(d.received_at),
                micros(d.destroyed_at),
                d.rule,
                d.basis,
                d.message_hash
            ],
        )?;
        append_log(&tx, chain)?;
        tx.commit()?;
        Ok(true)
    }

    pub(crate) fn mark_delivered(&self, id: Uuid, receipt: &str, chain: ChainFn) -> Result<bool, StoreError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let channel = deliver_in(&tx, id, receipt, chain)?;
        tx.commit()?;
        Ok(channel.is_some())
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
        let run = channel.map(|c| pending_run(&tx, &c, limit)).transpose()?.unwrap_or_default();
        tx.commit()?;
        Ok((marked, due_run(run, now)))
    }

    pub(crate) fn exchange_registry(&self) -> Result<ExchangeRegistry, StoreError> {
        let mut conn = self.reader()?;
        let tx = conn.transaction()?;
        let mut records = Vec::new();
        for list in all::<ListHeader>(&tx, sql::REGISTRY_LISTS, [])? {
            let (authority, version) = (&list.authority, list.version);
            let held = signatory_list(&tx, authority, version)?
                .ok_or_else(|| StoreError::Corrupt(format!("signatory list {authority} {version}")))?;
            records.push(list.record(held));
        }
        records.extend(all::<RegistryRecord>(&tx, sql::REGISTRY_CHANGES, [])?);
        tx.finish()?;
        records.sort_by_key(|r| r.generation);
        Ok(ExchangeRegistry { records })
    }
}
