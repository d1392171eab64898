//! The embedded SQLite backend: one writer connection, a few readers, WAL journal.
//!
//! Calls are blocking; the async [`crate::Store`] runs them on tokio's blocking pool. Bulk callers
//! (the importer, the ingest benchmark) call [`SqliteStore::record_batch`] directly from a thread.

mod checkpoint;
pub(crate) mod exchange;
mod identity;
mod permits;
mod violations;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Params, Transaction, params};
use sapar_model::{Direction, DocumentKey, Person, PersonId};
use uuid::Uuid;

use crate::Durability;
use crate::decode;
use crate::error::{RegisterRejection, StoreError};
use crate::migrations::{self, Migration};
use crate::plan::{Snapshot, StoredCrossing, StoredHolder, plan_batch};
use crate::records::{CrossingReceipt, OverstayDraft, PersonRecord, PresentPerson, RecordCrossing, TokenRecord};
use crate::row::{self, Decode, Param};
use crate::sql;
use crate::stay_history;
use sapar_rules::push_crossing;

const READERS: usize = 4;

/// An SQLite database file holding the register.
pub struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    /// Enqueues from async callers, committed in groups (see `exchange.rs`).
    enqueues: exchange::EnqueueQueue,
    _checkpointer: checkpoint::WalCheckpointer,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").field("path", &self.path).finish_non_exhaustive()
    }
}

/// A connection with the store's settings. The automatic checkpoint stays on as a safety net
/// behind the background checkpointer (`checkpoint.rs`), which normally leaves it nothing to copy.
fn connect(path: &Path, durability: Durability) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    let synchronous = match durability {
        Durability::Normal => "NORMAL",
        Durability::Full => "FULL",
    };
    conn.execute_batch(&format!("PRAGMA synchronous = {synchronous};"))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 10000;
         PRAGMA cache_size = -65536;
         PRAGMA temp_store = MEMORY;
         PRAGMA wal_autocheckpoint = 16384;",
    )?;
    Ok(conn)
}

fn lock(m: &Mutex<Connection>) -> Result<std::sync::MutexGuard<'_, Connection>, StoreError> {
    m.lock().map_err(|_| StoreError::Worker("a database connection was poisoned by a panic".into()))
}

fn migrate(conn: &mut Connection, list: &[Migration]) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
    )?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let current: i64 = tx.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))?;
    let known = migrations::latest(list);
    if current > known {
        return Err(StoreError::SchemaTooNew { found: current, known });
    }
    for m in list.iter().filter(|m| m.version > current) {
        tx.execute_batch(m.sql).map_err(|e| StoreError::Migration {
            version: m.version,
            name: m.name,
            reason: e.to_string(),
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            params![m.version, m.name, Timestamp::now().as_microsecond()],
        )?;
        tracing::info!(version = m.version, name = m.name, "applied sqlite migration");
    }
    tx.commit()?;
    Ok(())
}

/// The rows a statement shared with PostgreSQL (`$n` placeholders) returns, decoded.
pub(crate) fn all<T: Decode>(conn: &Connection, sql: &str, params: impl Params) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare_cached(&row::sqlite(sql))?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(T::decode(r)?);
    }
    Ok(out)
}

/// The first row a shared statement returns, decoded.
pub(crate) fn opt<T: Decode>(conn: &Connection, sql: &str, params: impl Params) -> Result<Option<T>, StoreError> {
    let mut stmt = conn.prepare_cached(&row::sqlite(sql))?;
    let mut rows = stmt.query(params)?;
    rows.next()?.map(T::decode).transpose()
}

/// Runs a shared statement; the number of rows it changed.
pub(crate) fn exec(conn: &Connection, sql: &str, params: impl Params) -> Result<usize, StoreError> {
    Ok(conn.prepare_cached(&row::sqlite(sql))?.execute(params)?)
}

fn uuid_from_blob(bytes: &[u8]) -> Result<Uuid, StoreError> {
    Uuid::from_slice(bytes).map_err(|_| StoreError::Corrupt("uuid blob".into()))
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        SqliteStore::open_with(path, Durability::Normal)
    }

    /// Opens (creating if needed) and migrates the database at `path`, committing with
    /// `durability`.
    pub fn open_with(path: impl AsRef<Path>, durability: Durability) -> Result<SqliteStore, StoreError> {
        let path = path.as_ref().to_path_buf();
        let mut writer = connect(&path, durability)?;
        migrate(&mut writer, migrations::SQLITE)?;
        backfill_person_state(&mut writer)?;
        backfill_name_index(&mut writer)?;
        let readers = (0..READERS).map(|_| connect(&path, durability).map(Mutex::new)).collect::<Result<_, _>>()?;
        let checkpointer = checkpoint::WalCheckpointer::start(&path)?;
        Ok(SqliteStore {
            path,
            writer: Mutex::new(writer),
            readers,
            next_reader: AtomicUsize::new(0),
            enqueues: exchange::EnqueueQueue::default(),
            _checkpointer: checkpointer,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn reader(&self) -> Result<std::sync::MutexGuard<'_, Connection>, StoreError> {
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        for i in 0..self.readers.len() {
            if let Ok(guard) = self.readers[(start + i) % self.readers.len()].try_lock() {
                return Ok(guard);
            }
        }
        lock(&self.readers[start % self.readers.len()])
    }

    /// See [`crate::Store::read`].
    pub(crate) fn read<T: Decode>(&self, sql: &str, params: &[Param]) -> Result<Vec<T>, StoreError> {
        all(&*self.reader()?, sql, rusqlite::params_from_iter(params))
    }

    /// See [`crate::Store::write`].
    pub(crate) fn write(&self, sql: &str, params: &[Param]) -> Result<u64, StoreError> {
        Ok(exec(&*lock(&self.writer)?, sql, rusqlite::params_from_iter(params))? as u64)
    }

    /// See [`crate::Store::write_all`].
    pub(crate) fn write_all(&self, sql: &str, rows: Vec<Vec<Param>>) -> Result<(), StoreError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut stmt = tx.prepare_cached(&row::sqlite(sql))?;
            for params in &rows {
                stmt.execute(rusqlite::params_from_iter(params))?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// See [`crate::Store::write_steps`].
    pub(crate) fn write_steps(&self, steps: &[crate::Step]) -> Result<Result<(), usize>, StoreError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for (index, step) in steps.iter().enumerate() {
            let changed =
                tx.prepare_cached(&row::sqlite(step.sql))?.execute(rusqlite::params_from_iter(&step.params))?;
            if step.must_change && changed == 0 {
                // Dropping the transaction rolls it back.
                return Ok(Err(index));
            }
        }
        tx.commit()?;
        Ok(Ok(()))
    }

    /// Answers when the database can be queried.
    pub fn health(&self) -> Result<(), StoreError> {
        self.reader()?.query_row("SELECT 1", [], |_| Ok(()))?;
        Ok(())
    }

    /// Records a batch of crossings in one transaction; see [`crate::Store::record_batch`].
    pub fn record_batch(
        &self,
        rows: &[RecordCrossing],
    ) -> Result<Vec<Result<CrossingReceipt, RegisterRejection>>, StoreError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let snapshot = read_snapshot(&tx, rows)?;
        let plan = plan_batch(rows, &snapshot);
        write_plan(&tx, rows, &plan)?;
        tx.commit()?;
        Ok(plan.outcomes)
    }

    /// The person with this id, their documents and crossings.
    pub fn person(&self, id: PersonId) -> Result<Option<PersonRecord>, StoreError> {
        let conn = self.reader()?;
        read_person(&conn, id)
    }

    /// The person answering for `id` (itself, or the survivor it was merged into), read on one
    /// connection.
    pub(crate) fn person_answering_for(&self, id: PersonId) -> Result<Option<PersonRecord>, StoreError> {
        let conn = self.reader()?;
        match identity::resolve(&conn, id)? {
            Some(survivor) => read_person(&conn, survivor),
            None => Ok(None),
        }
    }

    /// The person holding this document.
    pub fn person_by_document(&self, key: &DocumentKey) -> Result<Option<PersonRecord>, StoreError> {
        let conn = self.reader()?;
        match opt(&conn, sql::HOLDER, [key.issuing_state.code(), key.number.as_str()])? {
            Some((id,)) => read_person(&conn, id),
            None => Ok(None),
        }
    }

    /// Stores a new token; fails if the name is taken.
    pub fn insert_token(&self, record: &TokenRecord, hash: &[u8; 32]) -> Result<bool, StoreError> {
        let (role, created, expires) =
            (record.role.as_str(), record.created_at.as_microsecond(), record.expires_at.map(|t| t.as_microsecond()));
        let row = params![record.id, record.name, role, hash.as_slice(), created, expires];
        Ok(exec(&*lock(&self.writer)?, sql::INSERT_TOKEN, row)? == 1)
    }

    /// Marks the named token revoked; false when no active token has that name.
    pub fn revoke_token(&self, name: &str, at: Timestamp) -> Result<bool, StoreError> {
        Ok(exec(&*lock(&self.writer)?, sql::REVOKE_TOKEN, params![name, at.as_microsecond()])? == 1)
    }

    /// Row counts of the register tables: persons, documents, crossings (for summaries and tests).
    pub fn counts(&self) -> Result<[i64; 3], StoreError> {
        let (persons, documents, crossings) = opt(&*self.reader()?, sql::COUNTS, [])?.unwrap_or_default();
        Ok([persons, documents, crossings])
    }

    /// Every person whose latest crossing is an entry, with their stays: one pass over the person
    /// rows, whose stay history is kept in step with their crossings at recording.
    pub fn present_persons(&self) -> Result<Vec<PresentPerson>, StoreError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(
            "SELECT id, citizenship, stay_history, permit_periods FROM persons WHERE last_direction = 'entry'
             ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        let mut out: Vec<PresentPerson> = Vec::new();
        while let Some(row) = rows.next()? {
            let id = uuid_from_blob(row.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?)?;
            let citizenship = decode::country(row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?)?;
            let history = row
                .get_ref(2)?
                .as_blob_or_null()
                .map_err(rusqlite::Error::from)?
                .ok_or_else(|| StoreError::Corrupt(format!("person {id} has crossings but no stay history")))?;
            let permits = row.get_ref(3)?.as_blob_or_null().map_err(rusqlite::Error::from)?;
            out.push(PresentPerson {
                id: PersonId::from_uuid(id),
                citizenship,
                stays: stay_history::decode(history)?,
                permits: crate::permits::decode_periods(permits)?,
            });
        }
        Ok(out)
    }

    /// Records overstay drafts in one transaction, skipping those already recorded.
    pub fn record_overstay_drafts(&self, drafts: &[OverstayDraft], at: Timestamp) -> Result<u64, StoreError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut new = 0u64;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO violations (id, person_id, kind, stay_entry, detected_on, overstay_days, last_legal_day,
                     rule_id, status, created_at)
                 VALUES (?1, ?2, 'overstay', ?8, ?3, ?4, ?5, ?6, 'draft', ?7)
                 ON CONFLICT (person_id, kind, stay_entry) DO NOTHING",
            )?;
            for d in drafts {
                new += insert.execute(params![
                    Uuid::now_v7().as_bytes().as_slice(),
                    d.person_id.as_uuid().as_bytes().as_slice(),
                    d.detected_on.to_string(),
                    d.overstay_days,
                    d.last_legal_day.map(|d| d.to_string()),
                    d.rule_id,
                    at.as_microsecond(),
                    d.stay_entry.to_string(),
                ])? as u64;
            }
        }
        tx.commit()?;
        Ok(new)
    }

    /// See [`crate::Store::recorded_overstays_since`]. One pass over the violations.
    pub fn recorded_overstays_since(
        &self,
        since: jiff::civil::Date,
    ) -> Result<std::collections::HashSet<(PersonId, jiff::civil::Date)>, StoreError> {
        let conn = self.reader()?;
        let pairs: Vec<(PersonId, jiff::civil::Date)> = all(&conn, sql::OVERSTAYS_SINCE, [since.to_string()])?;
        Ok(pairs.into_iter().collect())
    }

    /// Sum of the daily crossing counters (must equal the number of crossings).
    pub fn daily_count_total(&self) -> Result<i64, StoreError> {
        let (total,) = opt(&*self.reader()?, sql::DAILY_COUNT_TOTAL, [])?.unwrap_or_default();
        Ok(total)
    }
}

fn read_snapshot(tx: &Transaction<'_>, rows: &[RecordCrossing]) -> Result<Snapshot, StoreError> {
    let mut snapshot = Snapshot::default();
    {
        let mut by_id = tx.prepare_cached("SELECT request_hash, person_id FROM crossings WHERE id = ?1")?;
        let mut by_doc = tx.prepare_cached(
            "SELECT p.id, p.citizenship, p.last_crossing_at, p.last_direction, p.stay_history
             FROM documents d JOIN persons p ON p.id = d.person_id
             WHERE d.issuing_state = ?1 AND d.number = ?2",
        )?;
        for row in rows {
            let found = by_id
                .query_row(params![row.id.as_uuid().as_bytes().as_slice()], |r| {
                    Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, Vec<u8>>(1)?))
                })
                .optional()?;
            if let Some((hash, person)) = found {
                let fingerprint: [u8; 32] =
                    hash.try_into().map_err(|_| StoreError::Corrupt("crossing request hash".into()))?;
                let person_id = PersonId::from_uuid(uuid_from_blob(&person)?);
                snapshot.crossings.insert(row.id, StoredCrossing { fingerprint, person_id });
                continue;
            }
            let key = &row.crossing.document.key;
            if snapshot.holders.contains_key(key) {
                continue;
            }
            let holder = by_doc
                .query_row(params![key.issuing_state.code(), key.number.as_str()], |r| {
                    Ok((
                        r.get::<_, Vec<u8>>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<Vec<u8>>>(4)?,
                    ))
                })
                .optional()?;
            if let Some((person, citizenship, last_at, last_dir, history)) = holder {
                let last = match (last_at, last_dir) {
                    (Some(at), Some(dir)) => Some((decode::timestamp_micros(at)?, decode::direction(&dir)?)),
                    _ => None,
                };
                snapshot.holders.insert(
                    key.clone(),
                    StoredHolder {
                        person_id: PersonId::from_uuid(uuid_from_blob(&person)?),
                        citizenship: decode::country(&citizenship)?,
                        last,
                        stays: history.as_deref().map(stay_history::decode).transpose()?,
                    },
                );
            }
        }
    }
    let late: Vec<_> = snapshot.rows_needing_history(rows).collect();
    if !late.is_empty() {
        let mut before = tx.prepare_cached(
            "SELECT occurred_at, direction FROM crossings
             WHERE person_id = ?1 AND occurred_at <= ?2 AND outcome = 'crossed'
             ORDER BY occurred_at DESC LIMIT 1",
        )?;
        for (crossing_id, person_id, at) in late {
            let found = before
                .query_row(params![person_id.as_uuid().as_bytes().as_slice(), at.as_microsecond()], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })
                .optional()?;
            let previous = match found {
                Some((t, d)) => Some((decode::timestamp_micros(t)?, decode::direction(&d)?)),
                None => None,
            };
            snapshot.history.insert(crossing_id, previous);
        }
    }
    Ok(snapshot)
}

fn write_plan(tx: &Transaction<'_>, rows: &[RecordCrossing], plan: &crate::plan::Plan) -> Result<(), StoreError> {
    let mut insert_person = tx.prepare_cached(
        "INSERT INTO persons (id, surname_native, given_names_native, patronymic_native,
             surname_latin, given_names_latin, patronymic_latin, sex, birth_date, citizenship, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for new in &plan.new_persons {
        let row = &rows[new.row];
        let details = &row.crossing.person;
        let [sn, gn, pn] = decode::name_columns(details.name.native());
        let [sl, gl, pl] = decode::name_columns(details.name.latin());
        insert_person.execute(params![
            new.person_id.as_uuid().as_bytes().as_slice(),
            sn,
            gn,
            pn,
            sl,
            gl,
            pl,
            details.sex.code(),
            details.birth_date.map(|d| d.to_string()),
            details.citizenship.code(),
            row.recorded_at.as_microsecond(),
        ])?;
    }
    let mut insert_key = tx.prepare_cached(&row::sqlite(crate::search::INSERT_NAME_KEY))?;
    for new in &plan.new_persons {
        let id = new.person_id.as_uuid();
        for key in &new.name_keys {
            insert_key.execute(params![key, id])?;
        }
    }
    let mut insert_document = tx.prepare_cached(
        "INSERT INTO documents (issuing_state, number, document_type, expiry, person_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (index, person_id) in &plan.new_documents {
        let doc = &rows[*index].crossing.document;
        insert_document.execute(params![
            doc.key.issuing_state.code(),
            doc.key.number.as_str(),
            doc.document_type.as_str(),
            doc.expiry.map(|d| d.to_string()),
            person_id.as_uuid().as_bytes().as_slice(),
        ])?;
    }
    let mut insert_crossing = tx.prepare_cached(
        "INSERT INTO crossings (id, request_hash, person_id, direction, occurred_at, time_zone, local_date,
             point, purpose, document_state, document_number, recorded_at, recorded_by,
             outcome, refusal_ground, refusal_note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    for new in &plan.new_crossings {
        let row = &rows[new.row];
        let c = &row.crossing;
        let (outcome, ground, note) = crate::sql::outcome_columns(&c.outcome);
        insert_crossing.execute(params![
            row.id.as_uuid().as_bytes().as_slice(),
            new.fingerprint.as_slice(),
            new.person_id.as_uuid().as_bytes().as_slice(),
            c.direction.as_str(),
            c.at.timestamp().as_microsecond(),
            decode::zone_name(&c.at),
            c.local_date().to_string(),
            c.point.as_str(),
            c.purpose.as_str(),
            c.document.key.issuing_state.code(),
            c.document.key.number.as_str(),
            row.recorded_at.as_microsecond(),
            row.recorded_by.as_deref(),
            outcome,
            ground,
            note,
        ])?;
    }
    let mut update_state = tx.prepare_cached(
        "UPDATE persons SET last_crossing_at = ?2, last_direction = ?3, stay_history = ?4 WHERE id = ?1",
    )?;
    for (person_id, state) in &plan.person_state {
        match &state.stays {
            Some(stays) => {
                let (at, direction) = state.latest;
                update_state.execute(params![
                    person_id.as_uuid().as_bytes().as_slice(),
                    at.as_microsecond(),
                    direction.as_str(),
                    stay_history::encode(stays),
                ])?;
            }
            None => refresh_person_state(tx, *person_id)?,
        }
    }
    let mut bump = tx.prepare_cached(
        "INSERT INTO crossing_daily_counts (local_date, citizenship, point, direction, count)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (local_date, citizenship, point, direction) DO UPDATE SET count = count + excluded.count",
    )?;
    for ((date, citizenship, point, direction), n) in &plan.daily_counts {
        bump.execute(params![date.to_string(), citizenship.code(), point, direction.as_str(), n])?;
    }
    Ok(())
}

/// Recomputes a person's derived columns (latest crossing, stay history) from their stored
/// crossings, in time order with ties in recording order. Used when a batch cannot fold its
/// crossings forward, when persons are merged, and to backfill databases from before the stay
/// history.
pub(crate) fn refresh_person_state(conn: &Connection, person: PersonId) -> Result<(), StoreError> {
    let id = person.as_uuid().as_bytes().to_vec();
    let mut stmt = conn.prepare_cached(
        "SELECT occurred_at, direction, local_date FROM crossings WHERE person_id = ?1 AND outcome = 'crossed'
         ORDER BY occurred_at, seq",
    )?;
    let mut rows = stmt.query(params![id])?;
    let mut stays = Vec::new();
    let mut latest: Option<(i64, Direction)> = None;
    while let Some(row) = rows.next()? {
        let at: i64 = row.get(0)?;
        let direction = decode::direction(row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?)?;
        let date = decode::iso_date(row.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?)?;
        push_crossing(&mut stays, date, direction);
        latest = Some((at, direction));
    }
    conn.prepare_cached(
        "UPDATE persons SET last_crossing_at = ?2, last_direction = ?3, stay_history = ?4 WHERE id = ?1",
    )?
    .execute(params![
        id,
        latest.map(|(at, _)| at),
        latest.map(|(_, d)| d.as_str()),
        stay_history::encode(&stays)
    ])?;
    Ok(())
}

/// Fills the stay history of persons recorded before it existed (after migration 4), in one
/// transaction. On an up-to-date database this is one scan of `persons` that finds nothing.
fn backfill_person_state(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let missing: Vec<Vec<u8>> = tx
        .prepare("SELECT id FROM persons WHERE stay_history IS NULL AND last_crossing_at IS NOT NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for id in &missing {
        refresh_person_state(&tx, PersonId::from_uuid(uuid_from_blob(id)?))?;
    }
    tx.commit()?;
    if !missing.is_empty() {
        tracing::info!(persons = missing.len(), "backfilled stay histories");
    }
    Ok(())
}

/// Writes the name-index keys of persons recorded before the index existed (after migration 14),
/// a batch per transaction, so an interrupted open resumes where it stopped. A merged person's
/// keys go to the person they answer for. On a database without such persons this reads one
/// empty table.
fn backfill_name_index(conn: &mut Connection) -> Result<(), StoreError> {
    use crate::search::{BACKFILL_BATCH, DROP_PENDING, INSERT_NAME_KEY, PENDING_NAMES, PendingNames};
    let mut done = 0usize;
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let pending: Vec<PendingNames> = all(&tx, PENDING_NAMES, [BACKFILL_BATCH])?;
        for person in &pending {
            let owner = match person.merged_into {
                Some(_) => identity::resolve(&tx, person.id)?.unwrap_or(person.id),
                None => person.id,
            };
            for key in &person.keys {
                exec(&tx, INSERT_NAME_KEY, params![key, owner.as_uuid()])?;
            }
            exec(&tx, DROP_PENDING, [person.id.as_uuid()])?;
        }
        tx.commit()?;
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

fn read_person(conn: &Connection, id: PersonId) -> Result<Option<PersonRecord>, StoreError> {
    let Some(details) = opt(conn, sql::PERSON, [id.as_uuid()])? else { return Ok(None) };
    let documents = all(conn, sql::DOCUMENTS_OF, [id.as_uuid()])?;
    let (crossings, refusals) = sql::split_refusals(all(conn, sql::CROSSINGS_OF, [id.as_uuid()])?);
    let permits = permits::of_person(conn, id)?;
    Ok(Some(PersonRecord { person: Person { id, details, documents }, crossings, refusals, permits }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn synchronous(store: &SqliteStore) -> i64 {
        let writer = lock(&store.writer).unwrap();
        writer.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn durability_sets_synchronous_on_every_connection() {
        let dir = tempfile::tempdir().unwrap();
        let normal = SqliteStore::open(dir.path().join("normal.db")).unwrap();
        assert_eq!(synchronous(&normal), 1, "NORMAL");
        let full = SqliteStore::open_with(dir.path().join("full.db"), Durability::Full).unwrap();
        assert_eq!(synchronous(&full), 2, "FULL");
        let reader = full.reader().unwrap();
        assert_eq!(reader.query_row("PRAGMA synchronous", [], |r| r.get::<_, i64>(0)).unwrap(), 2);
    }
}
