//! The PostgreSQL backend: a connection pool, set-based batch writes with `unnest`.

mod exchange;
mod identity;
mod permits;
mod violations;

use std::str::FromStr;

use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod};
use jiff::{Timestamp, civil::Date};
use sapar_model::{CrossingId, Direction, DocumentKey, Person, PersonId};
use tokio_postgres::{NoTls, error::SqlState};
use uuid::Uuid;

use crate::decode;
use crate::error::{RegisterRejection, StoreError};
use crate::migrations::{self, Migration};
use crate::plan::{Plan, Snapshot, StoredCrossing, StoredHolder, plan_batch};
use crate::records::{CrossingReceipt, OverstayDraft, PersonRecord, PresentPerson, RecordCrossing, TokenRecord};
use crate::row::{Decode, Param};
use crate::sql;
use crate::stay_history;
use sapar_rules::push_crossing;

/// How often a batch is retried when a concurrent writer created the same document first.
const CONFLICT_RETRIES: usize = 3;
/// Statement parameters.
pub(crate) type Params<'a> = &'a [&'a (dyn tokio_postgres::types::ToSql + Sync)];

/// Arbitrary constant naming the advisory lock that serialises concurrent migrations.
const MIGRATION_LOCK: i64 = 0x5a9a_0001;

/// A PostgreSQL database holding the register.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    /// The connection URL (may hold a password: never logged or shown by `Debug`).
    url: String,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").finish_non_exhaustive()
    }
}

fn pool_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Pool(e.to_string())
}

async fn migrate(client: &mut deadpool_postgres::Object, list: &[Migration]) -> Result<(), StoreError> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)",
    )
    .await?;
    let current: i64 = tx.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[]).await?.get(0);
    let known = migrations::latest(list);
    if current > known {
        return Err(StoreError::SchemaTooNew { found: current, known });
    }
    for m in list.iter().filter(|m| m.version > current) {
        tx.batch_execute(m.sql).await.map_err(|e| StoreError::Migration {
            version: m.version,
            name: m.name,
            reason: e.to_string(),
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            &[&m.version, &m.name, &Timestamp::now()],
        )
        .await?;
        tracing::info!(version = m.version, name = m.name, "applied postgres migration");
    }
    tx.commit().await?;
    Ok(())
}

impl PgStore {
    /// Connects to `postgres://…` and brings the schema up to date.
    pub async fn open(url: &str) -> Result<PgStore, StoreError> {
        let config = tokio_postgres::Config::from_str(url)?;
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager).max_size(16).build().map_err(pool_error)?;
        let mut client = pool.get().await.map_err(pool_error)?;
        migrate(&mut client, migrations::POSTGRES).await?;
        backfill_person_state(&mut client).await?;
        backfill_name_index(&mut client).await?;
        Ok(PgStore { pool, url: url.to_owned() })
    }

    /// The URL this store was opened with, to open it again (e.g. from another process).
    pub fn url(&self) -> &str {
        &self.url
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        self.pool.get().await.map_err(pool_error)
    }

    /// See [`crate::Store::read`].
    pub(crate) async fn read<T: Decode>(&self, sql: &str, params: &[Param]) -> Result<Vec<T>, StoreError> {
        all(&self.client().await?, sql, &params.iter().map(Param::pg).collect::<Vec<_>>()).await
    }

    /// See [`crate::Store::write`].
    pub(crate) async fn write(&self, sql: &str, params: &[Param]) -> Result<u64, StoreError> {
        Ok(self.client().await?.execute(sql, &params.iter().map(Param::pg).collect::<Vec<_>>()).await?)
    }

    /// See [`crate::Store::write_all`].
    pub(crate) async fn write_all(&self, sql: &str, rows: Vec<Vec<Param>>) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let stmt = tx.prepare_cached(sql).await?;
        for params in &rows {
            tx.execute(&stmt, &params.iter().map(Param::pg).collect::<Vec<_>>()).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// See [`crate::Store::write_steps`].
    pub(crate) async fn write_steps(&self, steps: &[crate::Step]) -> Result<Result<(), usize>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        for (index, step) in steps.iter().enumerate() {
            let stmt = tx.prepare_cached(step.sql).await?;
            let changed = tx.execute(&stmt, &step.params.iter().map(Param::pg).collect::<Vec<_>>()).await?;
            if step.must_change && changed == 0 {
                tx.rollback().await?;
                return Ok(Err(index));
            }
        }
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Answers when the database can be queried.
    pub async fn health(&self) -> Result<(), StoreError> {
        self.client().await?.query_one("SELECT 1", &[]).await?;
        Ok(())
    }

    /// Records a batch of crossings in one transaction; see [`crate::Store::record_batch`].
    pub async fn record_batch(
        &self,
        rows: &[RecordCrossing],
    ) -> Result<Vec<Result<CrossingReceipt, RegisterRejection>>, StoreError> {
        let mut client = self.client().await?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let tx = client.transaction().await?;
            let result = async {
                let snapshot = read_snapshot(&tx, rows).await?;
                let plan = plan_batch(rows, &snapshot);
                write_plan(&tx, rows, &plan).await?;
                Ok::<_, StoreError>(plan)
            }
            .await;
            match result {
                Ok(plan) => {
                    tx.commit().await?;
                    return Ok(plan.outcomes);
                }
                Err(e) if attempt < CONFLICT_RETRIES && is_retryable(&e) => {
                    tracing::debug!(attempt, "batch raced a concurrent writer; retrying");
                    drop(tx);
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// The person with this id, their documents and crossings.
    pub async fn person(&self, id: PersonId) -> Result<Option<PersonRecord>, StoreError> {
        let client = self.client().await?;
        read_person(&client, id).await
    }

    /// The person answering for `id` (itself, or the survivor it was merged into), read on one
    /// connection.
    pub(crate) async fn person_answering_for(&self, id: PersonId) -> Result<Option<PersonRecord>, StoreError> {
        let client = self.client().await?;
        match identity::resolve(&client, id).await? {
            Some(survivor) => read_person(&client, survivor).await,
            None => Ok(None),
        }
    }

    /// The person holding this document.
    pub async fn person_by_document(&self, key: &DocumentKey) -> Result<Option<PersonRecord>, StoreError> {
        let client = self.client().await?;
        match opt(&client, sql::HOLDER, &[&key.issuing_state.code(), &key.number.as_str()]).await? {
            Some((id,)) => read_person(&client, id).await,
            None => Ok(None),
        }
    }

    /// Stores a new token; false if the name is taken.
    pub async fn insert_token(&self, record: &TokenRecord, hash: &[u8; 32]) -> Result<bool, StoreError> {
        let (role, hash) = (record.role.as_str(), hash.as_slice());
        let row: Params<'_> = &[&record.id, &record.name, &role, &hash, &record.created_at, &record.expires_at];
        Ok(self.client().await?.execute(sql::INSERT_TOKEN, row).await? == 1)
    }

    /// Marks the named token revoked; false when no active token has that name.
    pub async fn revoke_token(&self, name: &str, at: Timestamp) -> Result<bool, StoreError> {
        Ok(self.client().await?.execute(sql::REVOKE_TOKEN, &[&name, &at]).await? == 1)
    }

    /// Row counts of persons, documents and crossings.
    pub async fn counts(&self) -> Result<[i64; 3], StoreError> {
        let (persons, documents, crossings) = one(&self.client().await?, sql::COUNTS, &[]).await?;
        Ok([persons, documents, crossings])
    }

    /// Every person whose latest crossing is an entry, with their stays: one pass over the person
    /// rows, whose stay history is kept in step with their crossings at recording.
    pub async fn present_persons(&self) -> Result<Vec<PresentPerson>, StoreError> {
        use futures_util::TryStreamExt;
        let client = self.client().await?;
        let stream = client
            .query_raw(
                "SELECT id, citizenship, stay_history, permit_periods FROM persons WHERE last_direction = 'entry'
                 ORDER BY id",
                std::iter::empty::<&(dyn tokio_postgres::types::ToSql + Sync)>(),
            )
            .await?;
        let mut stream = std::pin::pin!(stream);
        let mut out: Vec<PresentPerson> = Vec::new();
        while let Some(row) = stream.try_next().await? {
            let id: Uuid = row.try_get(0)?;
            let history: Option<&[u8]> = row.try_get(2)?;
            let history =
                history.ok_or_else(|| StoreError::Corrupt(format!("person {id} has crossings but no stay history")))?;
            out.push(PresentPerson {
                id: PersonId::from_uuid(id),
                citizenship: decode::country(row.try_get(1)?)?,
                stays: stay_history::decode(history)?,
                permits: crate::permits::decode_periods(row.try_get(3)?)?,
            });
        }
        Ok(out)
    }

    /// Records overstay drafts in one statement, skipping those already recorded.
    pub async fn record_overstay_drafts(&self, drafts: &[OverstayDraft], at: Timestamp) -> Result<u64, StoreError> {
        if drafts.is_empty() {
            return Ok(0);
        }
        let ids: Vec<Uuid> = drafts.iter().map(|_| Uuid::now_v7()).collect();
        let persons: Vec<Uuid> = drafts.iter().map(|d| d.person_id.as_uuid()).collect();
        let detected: Vec<Date> = drafts.iter().map(|d| d.detected_on).collect();
        let entries: Vec<Date> = drafts.iter().map(|d| d.stay_entry).collect();
        let days: Vec<i32> = drafts.iter().map(|d| i32::try_from(d.overstay_days).unwrap_or(i32::MAX)).collect();
        let last_legal: Vec<Option<Date>> = drafts.iter().map(|d| d.last_legal_day).collect();
        let rules: Vec<&str> = drafts.iter().map(|d| d.rule_id.as_str()).collect();
        let n = self
            .client()
            .await?
            .execute(
                "INSERT INTO violations (id, person_id, kind, stay_entry, detected_on, overstay_days, last_legal_day,
                     rule_id, status, created_at)
                 SELECT u.id, u.person_id, 'overstay', u.stay_entry, u.detected_on, u.days, u.last_legal, u.rule_id,
                     'draft', $7
                 FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::int[], $5::date[], $6::text[], $8::date[])
                     AS u (id, person_id, detected_on, days, last_legal, rule_id, stay_entry)
                 ON CONFLICT (person_id, kind, stay_entry) DO NOTHING",
                &[&ids, &persons, &detected, &days, &last_legal, &rules, &at, &entries],
            )
            .await?;
        Ok(n)
    }

    /// See [`crate::Store::recorded_overstays_since`].
    pub async fn recorded_overstays_since(
        &self,
        since: Date,
    ) -> Result<std::collections::HashSet<(PersonId, Date)>, StoreError> {
        let pairs: Vec<(PersonId, Date)> = all(&self.client().await?, sql::OVERSTAYS_SINCE, &[&since]).await?;
        Ok(pairs.into_iter().collect())
    }

    /// Sum of the daily crossing counters.
    pub async fn daily_count_total(&self) -> Result<i64, StoreError> {
        let (total,) = one(&self.client().await?, sql::DAILY_COUNT_TOTAL, &[]).await?;
        Ok(total)
    }
}

/// The rows a statement returns, decoded.
pub(crate) async fn all<T: Decode>(
    c: &impl GenericClient,
    sql: &str,
    params: Params<'_>,
) -> Result<Vec<T>, StoreError> {
    c.query(sql, params).await?.iter().map(T::decode).collect()
}

/// The first row a statement returns, decoded.
pub(crate) async fn opt<T: Decode>(
    c: &impl GenericClient,
    sql: &str,
    params: Params<'_>,
) -> Result<Option<T>, StoreError> {
    c.query_opt(sql, params).await?.as_ref().map(T::decode).transpose()
}

/// The single row a statement returns, decoded.
pub(crate) async fn one<T: Decode>(c: &impl GenericClient, sql: &str, params: Params<'_>) -> Result<T, StoreError> {
    T::decode(&c.query_one(sql, params).await?)
}

fn is_retryable(e: &StoreError) -> bool {
    let StoreError::Postgres(e) = e else { return false };
    matches!(e.code(), Some(c) if *c == SqlState::UNIQUE_VIOLATION
        || *c == SqlState::T_R_SERIALIZATION_FAILURE
        || *c == SqlState::T_R_DEADLOCK_DETECTED)
}

async fn read_snapshot(
    tx: &deadpool_postgres::Transaction<'_>,
    rows: &[RecordCrossing],
) -> Result<Snapshot, StoreError> {
    let mut snapshot = Snapshot::default();
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id.as_uuid()).collect();
    for r in tx.query("SELECT id, request_hash, person_id FROM crossings WHERE id = ANY($1)", &[&ids]).await? {
        let hash: Vec<u8> = r.get(1);
        let fingerprint =
            <[u8; 32]>::try_from(hash.as_slice()).map_err(|_| StoreError::Corrupt("crossing request hash".into()))?;
        snapshot.crossings.insert(
            CrossingId::from_uuid(r.get(0)),
            StoredCrossing { fingerprint, person_id: PersonId::from_uuid(r.get(2)) },
        );
    }
    let states: Vec<&str> = rows.iter().map(|r| r.crossing.document.key.issuing_state.code()).collect();
    let numbers: Vec<&str> = rows.iter().map(|r| r.crossing.document.key.number.as_str()).collect();
    let holders = tx
        .query(
            "SELECT d.issuing_state, d.number, p.id, p.citizenship, p.last_crossing_at, p.last_direction,
                    p.stay_history
             FROM documents d
             JOIN (SELECT DISTINCT s, n FROM unnest($1::text[], $2::text[]) AS k (s, n)) k
               ON d.issuing_state = k.s AND d.number = k.n
             JOIN persons p ON p.id = d.person_id
             FOR UPDATE OF p",
            &[&states, &numbers],
        )
        .await?;
    for r in holders {
        let key = decode::document_key(r.get(0), r.get(1))?;
        let citizenship = decode::country(r.get(3))?;
        let last_at: Option<Timestamp> = r.get(4);
        let last_dir: Option<&str> = r.get(5);
        let last = match (last_at, last_dir) {
            (Some(at), Some(dir)) => Some((at, decode::direction(dir)?)),
            _ => None,
        };
        let history: Option<&[u8]> = r.get(6);
        let stays = history.map(stay_history::decode).transpose()?;
        snapshot
            .holders
            .insert(key, StoredHolder { person_id: PersonId::from_uuid(r.get(2)), citizenship, last, stays });
    }
    let late: Vec<_> = snapshot.rows_needing_history(rows).collect();
    for (crossing_id, person_id, at) in late {
        let found = tx
            .query_opt(
                "SELECT occurred_at, direction FROM crossings
                 WHERE person_id = $1 AND occurred_at <= $2 AND outcome = 'crossed'
                 ORDER BY occurred_at DESC LIMIT 1",
                &[&person_id.as_uuid(), &at],
            )
            .await?;
        let previous = match found {
            Some(r) => Some((r.get::<_, Timestamp>(0), decode::direction(r.get(1))?)),
            None => None,
        };
        snapshot.history.insert(crossing_id, previous);
    }
    Ok(snapshot)
}

async fn write_plan(
    tx: &deadpool_postgres::Transaction<'_>,
    rows: &[RecordCrossing],
    plan: &Plan,
) -> Result<(), StoreError> {
    if !plan.new_persons.is_empty() {
        let mut ids = Vec::new();
        let mut cols: [Vec<Option<&str>>; 6] = Default::default();
        let mut sex = Vec::new();
        let mut birth: Vec<Option<Date>> = Vec::new();
        let mut citizenship = Vec::new();
        let mut created = Vec::new();
        for new in &plan.new_persons {
            let row = &rows[new.row];
            let d = &row.crossing.person;
            ids.push(new.person_id.as_uuid());
            let native = decode::name_columns(d.name.native());
            let latin = decode::name_columns(d.name.latin());
            for (i, v) in native.into_iter().chain(latin).enumerate() {
                cols[i].push(v);
            }
            sex.push(d.sex.code());
            birth.push(d.birth_date);
            citizenship.push(d.citizenship.code());
            created.push(row.recorded_at);
        }
        tx.execute(
            "INSERT INTO persons (id, surname_native, given_names_native, patronymic_native, surname_latin,
                 given_names_latin, patronymic_latin, sex, birth_date, citizenship, created_at)
             SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                 $7::text[], $8::text[], $9::date[], $10::text[], $11::timestamptz[])",
            &[&ids, &cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5], &sex, &birth, &citizenship, &created],
        )
        .await?;
    }
    let (keys, holders): (Vec<&str>, Vec<Uuid>) = plan
        .new_persons
        .iter()
        .flat_map(|new| new.name_keys.iter().map(move |key| (key.as_str(), new.person_id.as_uuid())))
        .unzip();
    if !keys.is_empty() {
        tx.execute(
            "INSERT INTO name_index (key, person_id) SELECT * FROM unnest($1::text[], $2::uuid[])",
            &[&keys, &holders],
        )
        .await?;
    }
    if !plan.new_documents.is_empty() {
        let mut states = Vec::new();
        let mut numbers = Vec::new();
        let mut types = Vec::new();
        let mut expiry: Vec<Option<Date>> = Vec::new();
        let mut holders = Vec::new();
        for (index, person_id) in &plan.new_documents {
            let doc = &rows[*index].crossing.document;
            states.push(doc.key.issuing_state.code());
            numbers.push(doc.key.number.as_str());
            types.push(doc.document_type.as_str());
            expiry.push(doc.expiry);
            holders.push(person_id.as_uuid());
        }
        tx.execute(
            "INSERT INTO documents (issuing_state, number, document_type, expiry, person_id)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::uuid[])",
            &[&states, &numbers, &types, &expiry, &holders],
        )
        .await?;
    }
    if !plan.new_crossings.is_empty() {
        let n = plan.new_crossings.len();
        let mut ids = Vec::with_capacity(n);
        let mut hashes = Vec::with_capacity(n);
        let mut persons = Vec::with_capacity(n);
        let mut directions = Vec::with_capacity(n);
        let mut at = Vec::with_capacity(n);
        let mut zones = Vec::with_capacity(n);
        let mut dates = Vec::with_capacity(n);
        let mut points = Vec::with_capacity(n);
        let mut purposes = Vec::with_capacity(n);
        let mut doc_states = Vec::with_capacity(n);
        let mut doc_numbers = Vec::with_capacity(n);
        let mut recorded = Vec::with_capacity(n);
        let mut recorded_by = Vec::with_capacity(n);
        let mut outcomes = Vec::with_capacity(n);
        let mut grounds = Vec::with_capacity(n);
        let mut notes = Vec::with_capacity(n);
        for new in &plan.new_crossings {
            let row = &rows[new.row];
            let c = &row.crossing;
            ids.push(row.id.as_uuid());
            hashes.push(new.fingerprint.to_vec());
            persons.push(new.person_id.as_uuid());
            directions.push(c.direction.as_str());
            at.push(c.at.timestamp());
            zones.push(decode::zone_name(&c.at));
            dates.push(c.local_date());
            points.push(c.point.as_str());
            purposes.push(c.purpose.as_str());
            doc_states.push(c.document.key.issuing_state.code());
            doc_numbers.push(c.document.key.number.as_str());
            recorded.push(row.recorded_at);
            recorded_by.push(row.recorded_by.as_deref());
            let (outcome, ground, note) = sql::outcome_columns(&c.outcome);
            outcomes.push(outcome);
            grounds.push(ground);
            notes.push(note);
        }
        tx.execute(
            "INSERT INTO crossings (id, request_hash, person_id, direction, occurred_at, time_zone, local_date,
                 point, purpose, document_state, document_number, recorded_at, recorded_by,
                 outcome, refusal_ground, refusal_note)
             SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::uuid[], $4::text[], $5::timestamptz[], $6::text[],
                 $7::date[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::text[],
                 $14::text[], $15::text[], $16::text[])",
            &[
                &ids,
                &hashes,
                &persons,
                &directions,
                &at,
                &zones,
                &dates,
                &points,
                &purposes,
                &doc_states,
                &doc_numbers,
                &recorded,
                &recorded_by,
                &outcomes,
                &grounds,
                &notes,
            ],
        )
        .await?;
    }
    if !plan.person_state.is_empty() {
        let mut ids = Vec::new();
        let mut at = Vec::new();
        let mut dirs = Vec::new();
        let mut histories = Vec::new();
        let mut rebuild = Vec::new();
        for (person_id, state) in &plan.person_state {
            match &state.stays {
                Some(stays) => {
                    ids.push(person_id.as_uuid());
                    at.push(state.latest.0);
                    dirs.push(state.latest.1.as_str());
                    histories.push(stay_history::encode(stays));
                }
                None => rebuild.push(*person_id),
            }
        }
        tx.execute(
            "UPDATE persons p SET last_crossing_at = u.at, last_direction = u.dir, stay_history = u.history
             FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::bytea[]) AS u (id, at, dir, history)
             WHERE p.id = u.id",
            &[&ids, &at, &dirs, &histories],
        )
        .await?;
        for person_id in rebuild {
            refresh_person_state(tx, person_id).await?;
        }
    }
    if !plan.daily_counts.is_empty() {
        let mut dates = Vec::new();
        let mut cits = Vec::new();
        let mut points = Vec::new();
        let mut dirs = Vec::new();
        let mut counts = Vec::new();
        for ((date, cit, point, dir), n) in &plan.daily_counts {
            dates.push(*date);
            cits.push(cit.code());
            points.push(point.as_str());
            dirs.push(dir.as_str());
            counts.push(*n);
        }
        tx.execute(
            "INSERT INTO crossing_daily_counts (local_date, citizenship, point, direction, count)
             SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::bigint[])
             ON CONFLICT (local_date, citizenship, point, direction)
             DO UPDATE SET count = crossing_daily_counts.count + excluded.count",
            &[&dates, &cits, &points, &dirs, &counts],
        )
        .await?;
    }
    Ok(())
}

/// Recomputes a person's derived columns (latest crossing, stay history) from their stored
/// crossings, in time order with ties in recording order, holding the person row locked. Used
/// when a batch cannot fold its crossings forward, when persons are merged, and to backfill
/// databases from before the stay history.
pub(crate) async fn refresh_person_state(
    client: &impl deadpool_postgres::GenericClient,
    person: PersonId,
) -> Result<(), StoreError> {
    let id = person.as_uuid();
    client.query_opt("SELECT 1 FROM persons WHERE id = $1 FOR UPDATE", &[&id]).await?;
    let rows = client
        .query(
            "SELECT occurred_at, direction, local_date FROM crossings WHERE person_id = $1 AND outcome = 'crossed'
             ORDER BY occurred_at, recorded_at, id",
            &[&id],
        )
        .await?;
    let mut stays = Vec::new();
    let mut latest: Option<(Timestamp, Direction)> = None;
    for r in &rows {
        let direction = decode::direction(r.try_get(1)?)?;
        push_crossing(&mut stays, r.try_get(2)?, direction);
        latest = Some((r.try_get(0)?, direction));
    }
    client
        .execute(
            "UPDATE persons SET last_crossing_at = $2, last_direction = $3, stay_history = $4 WHERE id = $1",
            &[&id, &latest.map(|(at, _)| at), &latest.map(|(_, d)| d.as_str()), &stay_history::encode(&stays)],
        )
        .await?;
    Ok(())
}

/// Fills the stay history of persons recorded before it existed (after migration 4), in one
/// transaction. On an up-to-date database this is one scan of `persons` that finds nothing.
async fn backfill_person_state(client: &mut deadpool_postgres::Object) -> Result<(), StoreError> {
    let tx = client.transaction().await?;
    let missing =
        tx.query("SELECT id FROM persons WHERE stay_history IS NULL AND last_crossing_at IS NOT NULL", &[]).await?;
    for r in &missing {
        refresh_person_state(&tx, PersonId::from_uuid(r.try_get(0)?)).await?;
    }
    tx.commit().await?;
    if !missing.is_empty() {
        tracing::info!(persons = missing.len(), "backfilled stay histories");
    }
    Ok(())
}

/// Writes the name-index keys of persons recorded before the index existed (after migration 14),
/// a batch per transaction, so an interrupted open resumes where it stopped. A merged person's
/// keys go to the person they answer for. On a database without such persons this reads one
/// empty table.
async fn backfill_name_index(client: &mut deadpool_postgres::Object) -> Result<(), StoreError> {
    use crate::search::{BACKFILL_BATCH, DROP_PENDING, INSERT_NAME_KEY, PENDING_NAMES, PendingNames};
    let mut done = 0usize;
    loop {
        let tx = client.transaction().await?;
        let pending: Vec<PendingNames> = all(&tx, PENDING_NAMES, &[&BACKFILL_BATCH]).await?;
        for person in &pending {
            let owner = match person.merged_into {
                Some(_) => identity::resolve(&tx, person.id).await?.unwrap_or(person.id),
                None => person.id,
            };
            for key in &person.keys {
                tx.execute(INSERT_NAME_KEY, &[key, &owner.as_uuid()]).await?;
            }
            tx.execute(DROP_PENDING, &[&person.id.as_uuid()]).await?;
        }
        tx.commit().await?;
        done += pending.len();
        if (pending.len() as i64) < BACKFILL_BATCH {
            break;
        }
    }
    if done > 0 {
        tracing::info!(persons = done, "backfilled the name index");
    }
    Ok(())
}

async fn read_person(client: &deadpool_postgres::Object, id: PersonId) -> Result<Option<PersonRecord>, StoreError> {
    let Some(details) = opt(client, sql::PERSON, &[&id.as_uuid()]).await? else { return Ok(None) };
    let documents = all(client, sql::DOCUMENTS_OF, &[&id.as_uuid()]).await?;
    let (crossings, refusals) = sql::split_refusals(all(client, sql::CROSSINGS_OF, &[&id.as_uuid()]).await?);
    let permits = permits::of_person(client, id).await?;
    Ok(Some(PersonRecord { person: Person { id, details, documents }, crossings, refusals, permits }))
}
