//! The PostgreSQL side of the exchange tables (see [`crate::exchange`]); the statements both
//! backends run and the decoding of their rows are in `exchange/sql.rs`.

use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use uuid::Uuid;

use super::{PgStore, all, one, opt};
use crate::error::StoreError;
use crate::exchange::plan::{
    EnqueueSnapshot, IncomingPlan, IncomingSnapshot, RegistrySnapshot, lists_of, plan_enqueue, plan_incoming,
    plan_resequence,
};
use crate::exchange::sql::{self, ListHeader};
use crate::exchange::{
    CaseRow, ChainFn, DeliveredMessage, Enqueue, EnqueueError, ExchangeDirection, ExchangeRegistry, HeadRow,
    IncomingMessage, IncomingOutcome, IncomingRecord, LogRow, OutboxEntry, ReceiverView, RegistryChange,
    RegistryRecord, ResequenceError, ResignFn, SignatoryListRow, due_run,
};

/// Arbitrary constant naming the advisory lock that serialises exchange writes.
const EXCHANGE_LOCK: i64 = 0x5a9a_0003;

async fn append_log(c: &impl GenericClient, chain: ChainFn) -> Result<(), StoreError> {
    let prev: Option<LogRow> = opt(c, sql::LAST_LOG, &[]).await?;
    let e = chain(prev.as_ref());
    let (id, hash, entry) = (&e.message_id, &e.message_hash, &e.entry_hash);
    c.execute(
        sql::APPEND_LOG,
        &[&e.index, &e.prev_entry_hash, &e.at, &e.direction, &e.channel, &e.seq, id, hash, entry],
    )
    .await?;
    Ok(())
}

async fn set_head(
    c: &impl GenericClient,
    channel: &str,
    direction: ExchangeDirection,
    seq: i64,
    hash: &str,
) -> Result<(), StoreError> {
    c.execute(sql::SET_HEAD, &[&channel, &direction.as_str(), &seq, &hash]).await?;
    Ok(())
}

async fn head(
    c: &impl GenericClient,
    channel: &str,
    direction: ExchangeDirection,
) -> Result<Option<HeadRow>, StoreError> {
    opt(c, sql::HEAD, &[&channel, &direction.as_str()]).await
}

/// Marks a pending message delivered (status, receipt, sent head, log entry) inside the caller's
/// transaction; its channel, or None when it was not pending.
async fn deliver_in(
    c: &impl GenericClient,
    id: Uuid,
    receipt: &str,
    chain: ChainFn,
) -> Result<Option<String>, StoreError> {
    let row: Option<(String, i64, String)> = opt(c, sql::DELIVER, &[&id, &receipt]).await?;
    let Some((channel, seq, hash)) = row else { return Ok(None) };
    set_head(c, &channel, ExchangeDirection::Sent, seq, &hash).await?;
    append_log(c, chain).await?;
    Ok(Some(channel))
}

/// Writes an accepted incoming message: inbox row, received channel head and case.
async fn insert_incoming(c: &impl GenericClient, m: &IncomingMessage) -> Result<(), StoreError> {
    c.execute(
        sql::INSERT_INCOMING,
        &[
            &m.message_id,
            &m.message_hash,
            &m.channel,
            &m.seq,
            &m.case_id,
            &m.agreement,
            &m.from_authority,
            &m.to_authority,
            &m.message_type,
            &m.created_at,
            &m.received_at,
            &m.signer,
            &m.signatory_list_version,
            &m.sealed_payload,
            &m.receipt,
        ],
    )
    .await?;
    set_head(c, &m.channel, ExchangeDirection::Received, m.seq, &m.message_hash).await?;
    upsert_case(c, m.case_id, &m.case).await
}

/// Records a case as it is after a message (new, or its state changed).
async fn upsert_case(c: &impl GenericClient, case_id: Uuid, case: &CaseRow) -> Result<(), StoreError> {
    c.execute(sql::UPSERT_CASE, &[&case_id, &case.agreement, &case.opened_by, &case.state]).await?;
    Ok(())
}

/// The first `limit` pending messages of `channel`, in order.
async fn pending_run(c: &impl GenericClient, channel: &str, limit: usize) -> Result<Vec<OutboxEntry>, StoreError> {
    all(c, sql::PENDING_RUN, &[&channel, &i64::try_from(limit).unwrap_or(i64::MAX)]).await
}

/// Marks a pending message rejected with `error`; false when it was not pending.
async fn reject_pending(c: &impl GenericClient, id: Uuid, error: &str) -> Result<bool, StoreError> {
    Ok(c.execute(sql::REJECT_PENDING, &[&id, &error]).await? == 1)
}

async fn lock_exchange(c: &impl GenericClient) -> Result<(), StoreError> {
    c.execute("SELECT pg_advisory_xact_lock($1)", &[&EXCHANGE_LOCK]).await?;
    Ok(())
}

/// The first key of the advisory locks that serialise the numbering of one channel's outbox (the
/// second key is a hash of the channel's name).
const CHANNEL_LOCK_CLASS: i32 = 0x5a9a_0006;

/// Takes the advisory lock of `channel`'s outbox numbering until the end of the transaction: two
/// processes on one database never give two messages of a channel the same number. When both
/// locks are needed, the channel's is taken first.
async fn lock_channel(c: &impl GenericClient, channel: &str) -> Result<(), StoreError> {
    c.execute("SELECT pg_advisory_xact_lock($1, hashtext($2))", &[&CHANNEL_LOCK_CLASS, &channel]).await?;
    Ok(())
}

async fn generation(c: &impl GenericClient) -> Result<i64, StoreError> {
    let (g,): (Option<i64>,) = one(c, sql::GENERATION, &[]).await?;
    Ok(g.unwrap_or(0))
}

async fn signatory_list(
    c: &impl GenericClient,
    authority: &str,
    version: i64,
) -> Result<Option<SignatoryListRow>, StoreError> {
    let Some((effective_from,)) = opt(c, sql::LIST_EFFECTIVE_FROM, &[&authority, &version]).await? else {
        return Ok(None);
    };
    let signatories = all(c, sql::SIGNATORIES, &[&authority, &version]).await?;
    Ok(Some(SignatoryListRow { authority: authority.to_owned(), version, effective_from, signatories }))
}

/// The registry as changes meet it: its generation and the stored versions of `lists` (see
/// [`lists_of`]).
async fn registry_snapshot(c: &impl GenericClient, lists: &[(&str, i64)]) -> Result<RegistrySnapshot, StoreError> {
    let mut held_lists = Vec::new();
    for &(authority, version) in lists {
        held_lists.extend(signatory_list(c, authority, version).await?);
    }
    Ok(RegistrySnapshot { generation: generation(c).await?, held_lists })
}

/// Records `change`, carried by message `id`, at `generation` (as planned, see
/// [`crate::exchange::plan::plan_changes`]; the caller holds the exchange lock).
async fn write_change(
    c: &impl GenericClient,
    change: &RegistryChange,
    generation: i64,
    direction: ExchangeDirection,
    id: Uuid,
    at: Timestamp,
) -> Result<(), StoreError> {
    let direction = direction.as_str();
    match change {
        RegistryChange::SignatoryList(l) => {
            let p: [&(dyn tokio_postgres::types::ToSql + Sync); 7] =
                [&l.authority, &l.version, &l.effective_from, &generation, &direction, &id, &at];
            c.execute(sql::INSERT_LIST, &p).await?;
            for (i, s) in l.signatories.iter().enumerate() {
                let ordinal = i32::try_from(i).unwrap_or(i32::MAX);
                let p: [&(dyn tokio_postgres::types::ToSql + Sync); 6] =
                    [&l.authority, &l.version, &ordinal, &s.name, &s.position, &s.certificate_sha256];
                c.execute(sql::INSERT_SIGNATORY, &p).await?;
            }
        }
        RegistryChange::AuthorityChange(ch) => {
            let new_id = ch.new.as_ref().map(|n| n.id.as_str());
            let name_ru = ch.new.as_ref().map(|n| n.name_ru.as_str());
            let name_en = ch.new.as_ref().map(|n| n.name_en.as_str());
            c.execute(
                sql::INSERT_AUTHORITY_CHANGE,
                &[
                    &id,
                    &generation,
                    &direction,
                    &ch.agreement,
                    &ch.state,
                    &ch.effective_on,
                    &ch.replaced,
                    &new_id,
                    &name_ru,
                    &name_en,
                    &ch.basis,
                    &at,
                ],
            )
            .await?;
        }
    }
    Ok(())
}

impl PgStore {
    pub(crate) async fn receiver_view(
        &self,
        message_ids: &[Uuid],
        channel: Option<&str>,
        case_ids: &[Uuid],
    ) -> Result<ReceiverView, StoreError> {
        let mut c = self.client().await?;
        // One snapshot: the answers come from the same state of the database.
        let tx = c.build_transaction().isolation_level(tokio_postgres::IsolationLevel::RepeatableRead).start().await?;
        let seen_sql = "SELECT message_id, message_hash, receipt FROM exchange_inbox WHERE message_id = ANY($1)";
        let seen = all(&tx, seen_sql, &[&message_ids]).await?;
        let head = match channel {
            Some(channel) => head(&tx, channel, ExchangeDirection::Received).await?,
            None => None,
        };
        let cases_sql = "SELECT case_id, agreement, opened_by, state FROM exchange_cases WHERE case_id = ANY($1)";
        let mut cases = Vec::new();
        for r in tx.query(cases_sql, &[&case_ids]).await? {
            cases.push((
                r.try_get(0)?,
                CaseRow { agreement: r.try_get(1)?, opened_by: r.try_get(2)?, state: r.try_get(3)? },
            ));
        }
        let registry_generation = generation(&tx).await?;
        tx.commit().await?;
        Ok(ReceiverView { seen, head, cases, registry_generation })
    }

    /// Stores accepted messages of one channel; see [`crate::Store::store_incoming_batch`].
    pub(crate) async fn store_incoming_batch(
        &self,
        records: Vec<IncomingRecord>,
        expected_head: Option<&HeadRow>,
        expected_generation: Option<i64>,
    ) -> Result<IncomingOutcome, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        lock_exchange(&tx).await?;
        let ids: Vec<Uuid> = records.iter().map(|r| r.message.message_id).collect();
        let stored = tx
            .query_opt(
                "SELECT message_hash, receipt FROM exchange_inbox i
                 JOIN unnest($1::uuid[]) WITH ORDINALITY AS asked (id, n) ON asked.id = i.message_id
                 ORDER BY asked.n LIMIT 1",
                &[&ids],
            )
            .await?;
        let head = match records.first() {
            Some(first) => head(&tx, &first.message.channel, ExchangeDirection::Received).await?,
            None => None,
        };
        // Collected first: the records are not `Sync`, so nothing borrowing them lives across an await.
        let lists = lists_of(records.iter().filter_map(|r| r.change.as_ref()));
        let snapshot = IncomingSnapshot {
            stored: stored.map(|r| Ok::<_, StoreError>((r.try_get(0)?, r.try_get(1)?))).transpose()?,
            head,
            registry: registry_snapshot(&tx, &lists).await?,
        };
        let generations = match plan_incoming(&records, &snapshot, expected_head, expected_generation)? {
            IncomingPlan::Answer(outcome) => return Ok(outcome),
            IncomingPlan::Write(generations) => generations,
        };
        for (IncomingRecord { message: m, change, chain }, generation) in records.into_iter().zip(generations) {
            insert_incoming(&tx, &m).await?;
            if let (Some(change), Some(generation)) = (&change, generation) {
                write_change(&tx, change, generation, ExchangeDirection::Received, m.message_id, m.received_at).await?;
            }
            append_log(&tx, chain).await?;
        }
        tx.commit().await?;
        Ok(IncomingOutcome::Stored)
    }

    /// Appends an outgoing message in one transaction: reads what its numbering, case and
    /// registry record depend on, plans, and writes.
    pub(crate) async fn enqueue(&self, job: Enqueue) -> Result<OutboxEntry, EnqueueError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(StoreError::from)?;
        lock_channel(&tx, &job.channel).await?;
        if job.case_id.is_some() || job.change.is_some() {
            // The case and the registry are read and written here as the receiver writes them:
            // under the exchange lock.
            lock_exchange(&tx).await?;
        }
        let last = opt(&tx, sql::LAST_OUTGOING, &[&job.channel]).await?;
        let case = match job.case_id {
            Some(id) => opt(&tx, sql::CASE, &[&id]).await?,
            None => None,
        };
        let registry = match &job.change {
            Some(change) => registry_snapshot(&tx, &lists_of([change])).await?,
            None => RegistrySnapshot::default(),
        };
        let change = job.change.clone();
        let plan = plan_enqueue(job, EnqueueSnapshot { last, case, registry })?;
        let e = &plan.entry;
        tx.execute(
            sql::INSERT_OUTBOX,
            &[
                &e.message_id,
                &e.channel,
                &e.seq,
                &e.prev_hash,
                &e.message_hash,
                &e.jws,
                &e.next_attempt_at,
                &plan.case_id,
                &plan.message_type,
            ],
        )
        .await
        .map_err(StoreError::from)?;
        if let Some((id, c)) = &plan.case {
            upsert_case(&tx, *id, c).await?;
        }
        if let (Some(change), Some(generation)) = (&change, plan.generation) {
            write_change(&tx, change, generation, ExchangeDirection::Sent, e.message_id, e.next_attempt_at).await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(plan.entry)
    }

    pub(crate) async fn resequence_outgoing(
        &self,
        channel: &str,
        reject: Option<(Uuid, String)>,
        mut resign: ResignFn,
    ) -> Result<Vec<OutboxEntry>, ResequenceError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(StoreError::from)?;
        lock_channel(&tx, channel).await?;
        lock_exchange(&tx).await?;
        let head = head(&tx, channel, ExchangeDirection::Sent).await?;
        let pending = pending_run(&tx, channel, usize::MAX).await?;
        let plan = plan_resequence(head, pending, reject.as_ref().map(|(id, _)| *id), &mut resign)
            .map_err(ResequenceError::Resign)?;
        if let (Some(id), Some((_, error))) = (plan.rejected, &reject) {
            reject_pending(&tx, id, error).await?;
        }
        for e in plan.resigned.iter().map(|&i| &plan.pending[i]) {
            let p: [&(dyn tokio_postgres::types::ToSql + Sync); 5] =
                [&e.message_id, &e.seq, &e.prev_hash, &e.message_hash, &e.jws];
            tx.execute(sql::RESIGN, &p).await.map_err(StoreError::from)?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(plan.pending)
    }

    pub(crate) async fn destroy_payload(
        &self,
        d: crate::exchange::retention::Destruction,
        chain: ChainFn,
    ) -> Result<bool, StoreError> {
        use crate::exchange::retention::{DROP_PAYLOAD, INSERT_DESTRUCTION};
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        lock_exchange(&tx).await?;
        if tx.execute(DROP_PAYLOAD, &[&d.message_id]).await? == 0 {
            return Ok(false);
        }
        tx.execute(
            INSERT_DESTRUCTION,
            &[
                &d.message_id,
                &d.case_id,
                &d.channel,
                &d.seq,
                &d.message_type,
                &d.received_at,
                &d.destroyed_at,
                &d.rule,
                &d.basis,
                &d.message_hash,
            ],
        )
        .await?;
        append_log(&tx, chain).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub(crate) async fn mark_delivered(&self, id: Uuid, receipt: &str, chain: ChainFn) -> Result<bool, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        lock_exchange(&tx).await?;
        let channel = deliver_in(&tx, id, receipt, chain).await?;
        tx.commit().await?;
        Ok(channel.is_some())
    }

    pub(crate) async fn mark_delivered_run(
        &self,
        delivered: Vec<DeliveredMessage>,
        limit: usize,
        now: Timestamp,
    ) -> Result<(usize, Vec<OutboxEntry>), StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        lock_exchange(&tx).await?;
        let mut marked = 0;
        let mut channel = None;
        for d in delivered {
            if let Some(ch) = deliver_in(&tx, d.message_id, &d.receipt, d.chain).await? {
                marked += 1;
                channel = Some(ch);
            }
        }
        let run = match &channel {
            Some(ch) => pending_run(&tx, ch, limit).await?,
            None => Vec::new(),
        };
        tx.commit().await?;
        Ok((marked, due_run(run, now)))
    }

    pub(crate) async fn exchange_registry(&self) -> Result<ExchangeRegistry, StoreError> {
        let mut c = self.client().await?;
        // One snapshot: the lists, their signatories and the changes of the same state.
        let tx = c.build_transaction().isolation_level(tokio_postgres::IsolationLevel::RepeatableRead).start().await?;
        let mut records = Vec::new();
        for list in all::<ListHeader>(&tx, sql::REGISTRY_LISTS, &[]).await? {
            let (authority, version) = (&list.authority, list.version);
            let held = signatory_list(&tx, authority, version)
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("signatory list {authority} {version}")))?;
            records.push(list.record(held));
        }
        records.extend(all::<RegistryRecord>(&tx, sql::REGISTRY_CHANGES, &[]).await?);
        tx.commit().await?;
        records.sort_by_key(|r| r.generation);
        Ok(ExchangeRegistry { records })
    }
}
