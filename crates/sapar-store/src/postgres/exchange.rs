//! The PostgreSQL side of the exchange tables (see [`crate::exchange`]).

use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use tokio_postgres::Row;
use uuid::Uuid;

use super::PgStore;
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

/// Arbitrary constant naming the advisory lock that serialises exchange writes.
const EXCHANGE_LOCK: i64 = 0x5a9a_0003;

const OUTBOX_COLUMNS: &str =
    "message_id, channel, seq, prev_hash, message_hash, jws, status, attempts, next_attempt_at, last_error, receipt";

const LOG_COLUMNS: &str = "idx, prev_entry_hash, at, direction, channel, seq, message_id, message_hash, entry_hash";

fn outbox(r: &Row) -> Result<OutboxEntry, StoreError> {
    Ok(OutboxEntry {
        message_id: r.try_get(0)?,
        channel: r.try_get(1)?,
        seq: r.try_get(2)?,
        prev_hash: r.try_get(3)?,
        message_hash: r.try_get(4)?,
        jws: r.try_get(5)?,
        status: OutboxStatus::parse(r.try_get(6)?)?,
        attempts: i64::from(r.try_get::<_, i32>(7)?),
        next_attempt_at: r.try_get(8)?,
        last_error: r.try_get(9)?,
        receipt: r.try_get(10)?,
    })
}

fn log_row(r: &Row) -> Result<LogRow, StoreError> {
    Ok(LogRow {
        index: r.try_get(0)?,
        prev_entry_hash: r.try_get(1)?,
        at: r.try_get(2)?,
        direction: r.try_get(3)?,
        channel: r.try_get(4)?,
        seq: r.try_get(5)?,
        message_id: r.try_get(6)?,
        message_hash: r.try_get(7)?,
        entry_hash: r.try_get(8)?,
    })
}

async fn last_log(c: &impl GenericClient) -> Result<Option<LogRow>, StoreError> {
    let row = c.query_opt(&format!("SELECT {LOG_COLUMNS} FROM exchange_log ORDER BY idx DESC LIMIT 1"), &[]).await?;
    row.as_ref().map(log_row).transpose()
}

async fn append_log(c: &impl GenericClient, chain: ChainFn) -> Result<(), StoreError> {
    let prev = last_log(c).await?;
    let e = chain(prev.as_ref());
    c.execute(
        "INSERT INTO exchange_log (idx, prev_entry_hash, at, direction, channel, seq, message_id, message_hash, entry_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &e.index,
            &e.prev_entry_hash,
            &e.at,
            &e.direction,
            &e.channel,
            &e.seq,
            &e.message_id,
            &e.message_hash,
            &e.entry_hash,
        ],
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
    c.execute(
        "INSERT INTO exchange_channel_heads (channel, direction, seq, hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (channel, direction) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        &[&channel, &direction.as_str(), &seq, &hash],
    )
    .await?;
    Ok(())
}

async fn head(
    c: &impl GenericClient,
    channel: &str,
    direction: ExchangeDirection,
) -> Result<Option<HeadRow>, StoreError> {
    let row = c
        .query_opt(
            "SELECT seq, hash FROM exchange_channel_heads WHERE channel = $1 AND direction = $2",
            &[&channel, &direction.as_str()],
        )
        .await?;
    row.map(|r| Ok(HeadRow { seq: r.try_get(0)?, hash: r.try_get(1)? })).transpose()
}

/// Marks a pending message delivered (status, receipt, sent head, log entry) inside the caller's
/// transaction; its channel, or None when it was not pending.
async fn deliver_in(
    c: &impl GenericClient,
    id: Uuid,
    receipt: &str,
    chain: ChainFn,
) -> Result<Option<String>, StoreError> {
    let row = c
        .query_opt(
            "UPDATE exchange_outbox SET attempts = attempts + 1, status = 'delivered', receipt = $2, last_error = NULL
             WHERE message_id = $1 AND status = 'pending' RETURNING channel, seq, message_hash",
            &[&id, &receipt],
        )
        .await?;
    let Some(r) = row else { return Ok(None) };
    let (channel, seq, hash): (String, i64, String) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
    set_head(c, &channel, ExchangeDirection::Sent, seq, &hash).await?;
    append_log(c, chain).await?;
    Ok(Some(channel))
}

/// Writes an accepted incoming message: inbox row, received channel head and case.
async fn insert_incoming(c: &impl GenericClient, m: &IncomingMessage) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO exchange_inbox (message_id, message_hash, channel, seq, case_id, agreement, from_authority,
             to_authority, message_type, created_at, received_at, signer, signatory_list_version, sealed_payload, receipt)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
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
    c.execute(
        "INSERT INTO exchange_cases (case_id, agreement, opened_by, state) VALUES ($1, $2, $3, $4)
         ON CONFLICT (case_id) DO UPDATE SET state = excluded.state",
        &[&case_id, &case.agreement, &case.opened_by, &case.state],
    )
    .await?;
    Ok(())
}

/// The first `limit` pending messages of `channel`, in order.
async fn pending_run(c: &impl GenericClient, channel: &str, limit: usize) -> Result<Vec<OutboxEntry>, StoreError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = c
        .query(
            &format!(
                "SELECT {OUTBOX_COLUMNS} FROM exchange_outbox
                 WHERE channel = $1 AND status = 'pending' ORDER BY seq LIMIT $2"
            ),
            &[&channel, &limit],
        )
        .await?;
    rows.iter().map(outbox).collect()
}

/// Marks a pending message rejected with `error`; false when it was not pending.
async fn reject_pending(c: &impl GenericClient, id: Uuid, error: &str) -> Result<bool, StoreError> {
    let n = c
        .execute(
            "UPDATE exchange_outbox SET attempts = attempts + 1, last_error = $2, status = 'rejected'
             WHERE message_id = $1 AND status = 'pending'",
            &[&id, &error],
        )
        .await?;
    Ok(n == 1)
}

async fn case(c: &impl GenericClient, id: Uuid) -> Result<Option<CaseRow>, StoreError> {
    let row = c.query_opt("SELECT agreement, opened_by, state FROM exchange_cases WHERE case_id = $1", &[&id]).await?;
    row.map(|r| Ok(CaseRow { agreement: r.try_get(0)?, opened_by: r.try_get(1)?, state: r.try_get(2)? })).transpose()
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

const GENERATION: &str = "SELECT MAX(g) FROM (SELECT MAX(generation) AS g FROM exchange_signatory_lists
     UNION ALL SELECT MAX(generation) FROM exchange_authority_changes) AS gs";

async fn generation(c: &impl GenericClient) -> Result<i64, StoreError> {
    let g: Option<i64> = c.query_one(GENERATION, &[]).await?.try_get(0)?;
    Ok(g.unwrap_or(0))
}

async fn signatory_list(
    c: &impl GenericClient,
    authority: &str,
    version: i64,
) -> Result<Option<SignatoryListRow>, StoreError> {
    let Some(row) = c
        .query_opt(
            "SELECT effective_from FROM exchange_signatory_lists WHERE authority = $1 AND version = $2",
            &[&authority, &version],
        )
        .await?
    else {
        return Ok(None);
    };
    let signatories = c
        .query(
            "SELECT name, position, certificate_sha256 FROM exchange_signatories
             WHERE authority = $1 AND version = $2 ORDER BY ordinal",
            &[&authority, &version],
        )
        .await?
        .iter()
        .map(|r| Ok(SignatoryRow { name: r.try_get(0)?, position: r.try_get(1)?, certificate_sha256: r.try_get(2)? }))
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Some(SignatoryListRow {
        authority: authority.to_owned(),
        version,
        effective_from: row.try_get(0)?,
        signatories,
    }))
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
    match change {
        RegistryChange::SignatoryList(l) => {
            c.execute(
                "INSERT INTO exchange_signatory_lists (authority, version, effective_from, generation, direction,
                     message_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[&l.authority, &l.version, &l.effective_from, &generation, &direction.as_str(), &id, &at],
            )
            .await?;
            for (i, s) in l.signatories.iter().enumerate() {
                let ordinal = i32::try_from(i).unwrap_or(i32::MAX);
                c.execute(
                    "INSERT INTO exchange_signatories (authority, version, ordinal, name, position, certificate_sha256)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                    &[&l.authority, &l.version, &ordinal, &s.name, &s.position, &s.certificate_sha256],
                )
                .await?;
            }
        }
        RegistryChange::AuthorityChange(ch) => {
            let new_id = ch.new.as_ref().map(|n| n.id.as_str());
            let name_ru = ch.new.as_ref().map(|n| n.name_ru.as_str());
            let name_en = ch.new.as_ref().map(|n| n.name_en.as_str());
            c.execute(
                "INSERT INTO exchange_authority_changes (message_id, generation, direction, agreement, state,
                     effective_on, replaced, new_id, new_name_ru, new_name_en, basis, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                &[
                    &id,
                    &generation,
                    &direction.as_str(),
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
    pub(crate) async fn inbox_entry(&self, id: Uuid) -> Result<Option<InboxEntry>, StoreError> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                "SELECT message_hash, channel, seq, message_type, received_at, sealed_payload, receipt
                 FROM exchange_inbox WHERE message_id = $1",
                &[&id],
            )
            .await?;
        row.map(|r| {
            Ok(InboxEntry {
                message_id: id,
                message_hash: r.try_get(0)?,
                channel: r.try_get(1)?,
                seq: r.try_get(2)?,
                message_type: r.try_get(3)?,
                received_at: r.try_get(4)?,
                sealed_payload: r.try_get(5)?,
                receipt: r.try_get(6)?,
            })
        })
        .transpose()
    }

    pub(crate) async fn inbox_count(&self) -> Result<i64, StoreError> {
        let c = self.client().await?;
        Ok(c.query_one("SELECT COUNT(*) FROM exchange_inbox", &[]).await?.try_get(0)?)
    }

    pub(crate) async fn channel_head(
        &self,
        channel: &str,
        direction: ExchangeDirection,
    ) -> Result<Option<HeadRow>, StoreError> {
        let c = self.client().await?;
        head(&c, channel, direction).await
    }

    pub(crate) async fn receiver_view(
        &self,
        message_ids: &[Uuid],
        channel: Option<&str>,
        case_ids: &[Uuid],
    ) -> Result<crate::exchange::ReceiverView, StoreError> {
        let mut c = self.client().await?;
        // One snapshot: the answers come from the same state of the database.
        let tx = c.build_transaction().isolation_level(tokio_postgres::IsolationLevel::RepeatableRead).start().await?;
        let seen = tx
            .query(
                "SELECT message_id, message_hash, receipt FROM exchange_inbox WHERE message_id = ANY($1)",
                &[&message_ids],
            )
            .await?
            .iter()
            .map(|r| {
                Ok(crate::exchange::SeenMessage {
                    message_id: r.try_get(0)?,
                    message_hash: r.try_get(1)?,
                    receipt: r.try_get(2)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let head = match channel {
            Some(channel) => head(&tx, channel, ExchangeDirection::Received).await?,
            None => None,
        };
        let cases = tx
            .query(
                "SELECT case_id, agreement, opened_by, state FROM exchange_cases WHERE case_id = ANY($1)",
                &[&case_ids],
            )
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    CaseRow { agreement: r.try_get(1)?, opened_by: r.try_get(2)?, state: r.try_get(3)? },
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let registry_generation = generation(&tx).await?;
        tx.commit().await?;
        Ok(crate::exchange::ReceiverView { seen, head, cases, registry_generation })
    }

    pub(crate) async fn exchange_case(&self, id: Uuid) -> Result<Option<CaseRow>, StoreError> {
        case(&self.client().await?, id).await
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
        let last = tx
            .query_opt(
                "SELECT seq, message_hash FROM exchange_outbox WHERE channel = $1 AND status <> 'rejected'
                 ORDER BY seq DESC LIMIT 1",
                &[&job.channel],
            )
            .await
            .map_err(StoreError::from)?
            .map(|r| Ok::<_, StoreError>(HeadRow { seq: r.try_get(0)?, hash: r.try_get(1)? }))
            .transpose()?;
        let case = match job.case_id {
            Some(id) => case(&tx, id).await?,
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
            "INSERT INTO exchange_outbox (message_id, channel, seq, prev_hash, message_hash, jws, next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
            &[&e.message_id, &e.channel, &e.seq, &e.prev_hash, &e.message_hash, &e.jws, &e.next_attempt_at],
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

    pub(crate) async fn inbox_messages(&self, limit: i64) -> Result<Vec<InboxMessage>, StoreError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT * FROM (
                     SELECT message_id, message_hash, channel, seq, case_id, agreement, from_authority, to_authority,
                            message_type, created_at, received_at, receipt
                     FROM exchange_inbox ORDER BY received_at DESC, channel DESC, seq DESC LIMIT $1) latest
                 ORDER BY received_at, channel, seq",
                &[&limit.max(0)],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(InboxMessage {
                    message_id: r.try_get(0)?,
                    message_hash: r.try_get(1)?,
                    channel: r.try_get(2)?,
                    seq: r.try_get(3)?,
                    case_id: r.try_get(4)?,
                    agreement: r.try_get(5)?,
                    from_authority: r.try_get(6)?,
                    to_authority: r.try_get(7)?,
                    message_type: r.try_get(8)?,
                    created_at: r.try_get(9)?,
                    received_at: r.try_get(10)?,
                    receipt: r.try_get(11)?,
                })
            })
            .collect()
    }

    pub(crate) async fn outbox_entries(&self, limit: i64) -> Result<Vec<OutboxEntry>, StoreError> {
        let c = self.client().await?;
        let rows = c
            .query(
                &format!(
                    "SELECT {OUTBOX_COLUMNS} FROM (
                         SELECT * FROM exchange_outbox ORDER BY created_at DESC, channel DESC, seq DESC LIMIT $1) latest
                     ORDER BY created_at, channel, seq"
                ),
                &[&limit.max(0)],
            )
            .await?;
        rows.iter().map(outbox).collect()
    }

    pub(crate) async fn outbox_entry(&self, id: Uuid) -> Result<Option<OutboxEntry>, StoreError> {
        let c = self.client().await?;
        let row =
            c.query_opt(&format!("SELECT {OUTBOX_COLUMNS} FROM exchange_outbox WHERE message_id = $1"), &[&id]).await?;
        row.as_ref().map(outbox).transpose()
    }

    pub(crate) async fn due_outgoing(&self, now: Timestamp) -> Result<Vec<OutboxEntry>, StoreError> {
        let c = self.client().await?;
        let rows = c
            .query(
                &format!(
                    "SELECT {OUTBOX_COLUMNS} FROM exchange_outbox o
                     WHERE status = 'pending' AND next_attempt_at <= $1
                       AND seq = (SELECT MIN(seq) FROM exchange_outbox p WHERE p.channel = o.channel AND p.status = 'pending')
                       AND channel NOT IN (SELECT channel FROM exchange_channel_halts)
                     ORDER BY channel"
                ),
                &[&now],
            )
            .await?;
        rows.iter().map(outbox).collect()
    }

    pub(crate) async fn next_outgoing_at(&self) -> Result<Option<Timestamp>, StoreError> {
        let c = self.client().await?;
        Ok(c.query_one(
            "SELECT MIN(next_attempt_at) FROM exchange_outbox
             WHERE status = 'pending' AND channel NOT IN (SELECT channel FROM exchange_channel_halts)",
            &[],
        )
        .await?
        .try_get(0)?)
    }

    pub(crate) async fn record_attempt_failure(
        &self,
        id: Uuid,
        error: &str,
        next: Timestamp,
    ) -> Result<(), StoreError> {
        let c = self.client().await?;
        c.execute(
            "UPDATE exchange_outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3
             WHERE message_id = $1 AND status = 'pending'",
            &[&id, &error, &next],
        )
        .await?;
        Ok(())
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
            tx.execute(
                "UPDATE exchange_outbox SET seq = $2, prev_hash = $3, message_hash = $4, jws = $5 WHERE message_id = $1",
                &[&e.message_id, &e.seq, &e.prev_hash, &e.message_hash, &e.jws],
            )
            .await
            .map_err(StoreError::from)?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(plan.pending)
    }

    pub(crate) async fn halt_channel(&self, h: &ChannelHalt) -> Result<(), StoreError> {
        let c = self.client().await?;
        c.execute(
            "INSERT INTO exchange_channel_halts (channel, message_id, code, detail, halted_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (channel) DO UPDATE SET message_id = excluded.message_id, code = excluded.code,
                 detail = excluded.detail, halted_at = excluded.halted_at",
            &[&h.channel, &h.message_id, &h.code, &h.detail, &h.halted_at],
        )
        .await?;
        Ok(())
    }

    pub(crate) async fn channel_halts(&self) -> Result<Vec<ChannelHalt>, StoreError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT channel, message_id, code, detail, halted_at FROM exchange_channel_halts ORDER BY channel",
                &[],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ChannelHalt {
                    channel: r.try_get(0)?,
                    message_id: r.try_get(1)?,
                    code: r.try_get(2)?,
                    detail: r.try_get(3)?,
                    halted_at: r.try_get(4)?,
                })
            })
            .collect()
    }

    pub(crate) async fn resume_channel(&self, channel: &str) -> Result<bool, StoreError> {
        let c = self.client().await?;
        Ok(c.execute("DELETE FROM exchange_channel_halts WHERE channel = $1", &[&channel]).await? == 1)
    }

    pub(crate) async fn mark_rejected(&self, id: Uuid, error: &str) -> Result<bool, StoreError> {
        reject_pending(&self.client().await?, id, error).await
    }

    pub(crate) async fn mark_delivered(&self, id: Uuid, receipt: &str, chain: ChainFn) -> Result<bool, StoreError> {
        Ok(self.deliver(id, receipt, chain).await?.is_some())
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

    pub(crate) async fn pending_run(&self, channel: &str, limit: usize) -> Result<Vec<OutboxEntry>, StoreError> {
        let c = self.client().await?;
        pending_run(&c, channel, limit).await
    }

    /// Marks a pending message delivered in one transaction; its channel, or None when it was not
    /// pending.
    async fn deliver(&self, id: Uuid, receipt: &str, chain: ChainFn) -> Result<Option<String>, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        lock_exchange(&tx).await?;
        let channel = deliver_in(&tx, id, receipt, chain).await?;
        tx.commit().await?;
        Ok(channel)
    }

    pub(crate) async fn log_entries(&self) -> Result<Vec<LogRow>, StoreError> {
        let c = self.client().await?;
        let rows = c.query(&format!("SELECT {LOG_COLUMNS} FROM exchange_log ORDER BY idx"), &[]).await?;
        rows.iter().map(log_row).collect()
    }

    pub(crate) async fn log_entries_from(&self, from: i64) -> Result<Vec<LogRow>, StoreError> {
        let c = self.client().await?;
        let rows =
            c.query(&format!("SELECT {LOG_COLUMNS} FROM exchange_log WHERE idx >= $1 ORDER BY idx"), &[&from]).await?;
        rows.iter().map(log_row).collect()
    }

    pub(crate) async fn last_checkpoint(&self) -> Result<Option<crate::exchange::StoredCheckpoint>, StoreError> {
        let c = self.client().await?;
        let row = c.query_opt("SELECT idx, jws, at FROM exchange_checkpoints ORDER BY idx DESC LIMIT 1", &[]).await?;
        row.map(|r| {
            Ok(crate::exchange::StoredCheckpoint { index: r.try_get(0)?, jws: r.try_get(1)?, at: r.try_get(2)? })
        })
        .transpose()
    }

    pub(crate) async fn last_log_entry(&self) -> Result<Option<LogRow>, StoreError> {
        let c = self.client().await?;
        last_log(&c).await
    }

    pub(crate) async fn add_checkpoint(&self, index: i64, jws: &str, at: Timestamp) -> Result<bool, StoreError> {
        let c = self.client().await?;
        let n = c
            .execute(
                "INSERT INTO exchange_checkpoints (idx, jws, at) VALUES ($1, $2, $3) ON CONFLICT (idx) DO NOTHING",
                &[&index, &jws, &at],
            )
            .await?;
        Ok(n == 1)
    }

    pub(crate) async fn checkpoints(&self) -> Result<Vec<String>, StoreError> {
        let c = self.client().await?;
        let rows = c.query("SELECT jws FROM exchange_checkpoints ORDER BY idx", &[]).await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    pub(crate) async fn registry_generation(&self) -> Result<i64, StoreError> {
        let c = self.client().await?;
        generation(&c).await
    }

    pub(crate) async fn exchange_registry(&self) -> Result<ExchangeRegistry, StoreError> {
        let mut c = self.client().await?;
        // One snapshot: the lists, their signatories and the changes of the same state.
        let tx = c.build_transaction().isolation_level(tokio_postgres::IsolationLevel::RepeatableRead).start().await?;
        let mut records = Vec::new();
        for r in tx
            .query(
                "SELECT authority, version, generation, direction, message_id, recorded_at
                 FROM exchange_signatory_lists ORDER BY generation",
                &[],
            )
            .await?
        {
            let (authority, version): (String, i64) = (r.try_get(0)?, r.try_get(1)?);
            let list = signatory_list(&tx, &authority, version)
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("signatory list {authority} {version}")))?;
            records.push(RegistryRecord {
                generation: r.try_get(2)?,
                direction: ExchangeDirection::parse(r.try_get(3)?)?,
                message_id: r.try_get(4)?,
                recorded_at: r.try_get(5)?,
                change: RegistryChange::SignatoryList(list),
            });
        }
        for r in tx
            .query(
                "SELECT message_id, generation, direction, agreement, state, effective_on, replaced, new_id,
                     new_name_ru, new_name_en, basis, recorded_at
                 FROM exchange_authority_changes ORDER BY generation",
                &[],
            )
            .await?
        {
            let new = NewAuthorityRow::from_columns(r.try_get(7)?, r.try_get(8)?, r.try_get(9)?);
            records.push(RegistryRecord {
                generation: r.try_get(1)?,
                direction: ExchangeDirection::parse(r.try_get(2)?)?,
                message_id: r.try_get(0)?,
                recorded_at: r.try_get(11)?,
                change: RegistryChange::AuthorityChange(AuthorityChangeRow {
                    agreement: r.try_get(3)?,
                    state: r.try_get(4)?,
                    effective_on: r.try_get(5)?,
                    replaced: r.try_get(6)?,
                    new,
                    basis: r.try_get(10)?,
                }),
            });
        }
        tx.commit().await?;
        records.sort_by_key(|r| r.generation);
        Ok(ExchangeRegistry { records })
    }

    pub(crate) async fn channel_states(&self) -> Result<Vec<ChannelState>, StoreError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT c.channel,
                     (SELECT seq FROM exchange_channel_heads h WHERE h.channel = c.channel AND h.direction = 'sent'),
                     (SELECT MAX(seq) FROM exchange_outbox o WHERE o.channel = c.channel AND o.status <> 'rejected'),
                     (SELECT COUNT(*) FROM exchange_outbox o WHERE o.channel = c.channel AND o.status = 'pending'),
                     x.message_id, x.code, x.detail, x.halted_at
                 FROM (SELECT channel FROM exchange_outbox UNION SELECT channel FROM exchange_channel_halts) c
                 LEFT JOIN exchange_channel_halts x ON x.channel = c.channel
                 ORDER BY c.channel",
                &[],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let channel: String = r.try_get(0)?;
                let halt = match (
                    r.try_get::<_, Option<Uuid>>(4)?,
                    r.try_get::<_, Option<String>>(5)?,
                    r.try_get::<_, Option<String>>(6)?,
                    r.try_get::<_, Option<Timestamp>>(7)?,
                ) {
                    (Some(message_id), Some(code), Some(detail), Some(halted_at)) => {
                        Some(ChannelHalt { channel: channel.clone(), message_id, code, detail, halted_at })
                    }
                    _ => None,
                };
                let last: Option<i64> = r.try_get(2)?;
                Ok(ChannelState {
                    channel,
                    delivered_seq: r.try_get(1)?,
                    next_seq: last.unwrap_or(0) + 1,
                    queued: r.try_get(3)?,
                    halt,
                })
            })
            .collect()
    }
}
