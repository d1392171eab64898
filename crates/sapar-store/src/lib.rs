//! Sapar's storage: one schema and one contract over an embedded SQLite file (the default) and
//! PostgreSQL. Migrations are embedded and applied on open. The register's recording rules run
//! once, in [`plan`], over a snapshot each backend reads, so the two backends cannot disagree.

/// Calls a backend method on whichever backend the store is: on SQLite on tokio's blocking pool
/// (the closure owns the arguments, so borrowed ones are made owned first), on PostgreSQL
/// directly. With an error path, the SQLite method returns the caller's own error type and a
/// failure of the blocking pool is wrapped by it.
macro_rules! dispatch {
    ($store:expr, $method:ident($($arg:expr),*)) => {
        match $store {
            Store::Sqlite(s) => crate::blocking(s, move |s| s.$method($($arg),*)).await,
            Store::Postgres(p) => p.$method($($arg),*).await,
        }
    };
    ($store:expr, $method:ident($($arg:expr),*), $worker_error:path) => {
        match $store {
            Store::Sqlite(s) => crate::blocking(s, move |s| Ok(s.$method($($arg),*))).await.map_err($worker_error)?,
            Store::Postgres(p) => p.$method($($arg),*).await,
        }
    };
}

pub mod access_log;
pub mod accounts;
pub mod bans;
pub mod cards;
pub mod control;
mod decode;
pub mod employers;
mod error;
pub mod exchange;
pub mod expulsions;
pub mod identity;
mod migrations;
pub mod permits;
mod plan;
mod postgres;
pub mod queues;
mod records;
pub mod refusals;
pub mod registrations;
mod row;
pub mod search;
mod sql;
mod sqlite;
mod stay_history;
pub mod violations;

use std::sync::Arc;

use jiff::Timestamp;
use sapar_model::{DocumentKey, PersonId};

use crate::row::{Decode, Param};

pub use error::{RecordError, RegisterRejection, StoreError};
pub use postgres::PgStore;
pub use records::{
    BatchSummary, CrossingReceipt, Fine, OverstayDraft, OverstayFacts, Payment, PersonRecord, PresentPerson,
    RecordCrossing, TokenRecord, ViolationDecided, ViolationRecord, ViolationStatus,
};
pub use sqlite::SqliteStore;

/// Overstay drafts written per transaction.
pub const DRAFT_CHUNK: usize = 10_000;

/// How SQLite makes a commit durable (`sqlite:PATH?synchronous=full`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous = NORMAL` in WAL mode: a commit survives a crash of the process; the last
    /// commits before a power loss may be lost, but the database stays consistent. The default.
    #[default]
    Normal,
    /// `synchronous = FULL`: every commit is synced to disk before it returns, so a power loss
    /// loses no committed transaction. Slower writes.
    Full,
}

/// Where the register lives, parsed from a `--db` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite:PATH[?synchronous=normal|full]` (or a bare path ending in `.db`).
    Sqlite(std::path::PathBuf, Durability),
    /// `postgres://…` or `postgresql://…`.
    Postgres(String),
}

impl DatabaseUrl {
    /// Parses `sqlite:PATH[?synchronous=normal|full]`, `postgres://…`, `postgresql://…`, or a
    /// bare `*.db` path.
    pub fn parse(url: &str) -> Result<DatabaseUrl, StoreError> {
        if let Some(rest) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
            let durability = match query {
                "" | "synchronous=normal" => Durability::Normal,
                "synchronous=full" => Durability::Full,
                _ => return Err(StoreError::UnsupportedUrl(url.to_owned())),
            };
            if path.is_empty() {
                return Err(StoreError::UnsupportedUrl(url.to_owned()));
            }
            return Ok(DatabaseUrl::Sqlite(path.into(), durability));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_owned()));
        }
        if url.ends_with(".db") || url.ends_with(".sqlite") {
            return Ok(DatabaseUrl::Sqlite(url.into(), Durability::Normal));
        }
        Err(StoreError::UnsupportedUrl(url.to_owned()))
    }
}

/// One statement of a [`Store::write_steps`] transaction.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub(crate) sql: &'static str,
    pub(crate) params: Vec<Param>,
    /// The transaction is rolled back when this statement changes no row.
    pub(crate) must_change: bool,
}

impl Step {
    /// A statement whose effect is required: no row changed rolls everything back.
    pub(crate) fn guard(sql: &'static str, params: Vec<Param>) -> Step {
        Step { sql, params, must_change: true }
    }

    /// A statement that may change no row without undoing the others.
    pub(crate) fn plain(sql: &'static str, params: Vec<Param>) -> Step {
        Step { sql, params, must_change: false }
    }
}

/// The register's storage, on either backend. Cheap to clone.
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(Arc<SqliteStore>),
    Postgres(PgStore),
}

async fn blocking<T: Send + 'static>(
    store: &Arc<SqliteStore>,
    f: impl FnOnce(&SqliteStore) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let store = Arc::clone(store);
    tokio::task::spawn_blocking(move || f(&store)).await.map_err(|e| StoreError::Worker(e.to_string()))?
}

impl Store {
    /// The rows a statement both backends run returns, decoded (on SQLite, read on a reader).
    pub(crate) async fn read<T: Decode + Send + 'static>(
        &self,
        sql: &'static str,
        params: Vec<Param>,
    ) -> Result<Vec<T>, StoreError> {
        match self {
            Store::Sqlite(s) => blocking(s, move |s| s.read(sql, &params)).await,
            Store::Postgres(p) => p.read(sql, &params).await,
        }
    }

    /// The rows a statement built for this call returns, decoded (on SQLite, read on a reader
    /// and kept among the prepared statements, so a statement of the same shape is prepared once).
    pub(crate) async fn read_built<T: Decode + Send + 'static>(
        &self,
        sql: String,
        params: Vec<Param>,
    ) -> Result<Vec<T>, StoreError> {
        match self {
            Store::Sqlite(s) => blocking(s, move |s| s.read(&sql, &params)).await,
            Store::Postgres(p) => p.read(&sql, &params).await,
        }
    }

    /// The first row a statement both backends run returns, decoded.
    pub(crate) async fn read_opt<T: Decode + Send + 'static>(
        &self,
        sql: &'static str,
        params: Vec<Param>,
    ) -> Result<Option<T>, StoreError> {
        Ok(self.read(sql, params).await?.into_iter().next())
    }

    /// Runs a statement both backends run once per parameter row, in one transaction (on SQLite,
    /// on the writer): all rows are written or none.
    pub(crate) async fn write_all(&self, sql: &'static str, rows: Vec<Vec<Param>>) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => blocking(s, move |s| s.write_all(sql, rows)).await,
            Store::Postgres(p) => p.write_all(sql, rows).await,
        }
    }

    /// Runs statements both backends run, in order, in one transaction (on SQLite, on the writer).
    /// When a step that must change a row changes none, nothing is written and the answer is
    /// `Ok(Err(index))` of that step: the guard of a conditional write (`UPDATE … WHERE` a state).
    pub(crate) async fn write_steps(&self, steps: Vec<Step>) -> Result<Result<(), usize>, StoreError> {
        match self {
            Store::Sqlite(s) => blocking(s, move |s| s.write_steps(&steps)).await,
            Store::Postgres(p) => p.write_steps(&steps).await,
        }
    }

    /// Runs a statement both backends run (on SQLite, on the writer); the number of rows it changed.
    pub(crate) async fn write(&self, sql: &'static str, params: Vec<Param>) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(s) => blocking(s, move |s| s.write(sql, &params)).await,
            Store::Postgres(p) => p.write(sql, &params).await,
        }
    }
}

impl Store {
    /// Opens the database named by `url`, creating it (SQLite) and migrating its schema.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        match DatabaseUrl::parse(url)? {
            DatabaseUrl::Sqlite(path, durability) => {
                let store = tokio::task::spawn_blocking(move || SqliteStore::open_with(path, durability))
                    .await
                    .map_err(|e| StoreError::Worker(e.to_string()))??;
                Ok(Store::Sqlite(Arc::new(store)))
            }
            DatabaseUrl::Postgres(url) => Ok(Store::Postgres(PgStore::open(&url).await?)),
        }
    }

    /// Name of the backend, for logs and metrics.
    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// Answers when the database can be queried.
    pub async fn health(&self) -> Result<(), StoreError> {
        dispatch!(self, health())
    }

    /// Records one crossing: finds the person by document or creates them, checks the register's
    /// rules, stores the crossing and updates the person's state and the daily counts, all in one
    /// transaction. Recording the same id with the same content again returns the first receipt.
    pub async fn record_crossing(&self, row: RecordCrossing) -> Result<CrossingReceipt, RecordError> {
        let mut outcomes = self.record_batch(vec![row]).await?;
        match outcomes.pop() {
            Some(outcome) => Ok(outcome?),
            None => Err(StoreError::Worker("batch of one produced no outcome".into()).into()),
        }
    }

    /// Records crossings in order in one transaction, each row refused or accepted on its own
    /// (a refused row writes nothing). A storage error rolls the whole batch back.
    pub async fn record_batch(
        &self,
        rows: Vec<RecordCrossing>,
    ) -> Result<Vec<Result<CrossingReceipt, RegisterRejection>>, StoreError> {
        dispatch!(self, record_batch(&rows))
    }

    /// The person with this id, with documents and crossings.
    pub async fn person(&self, id: PersonId) -> Result<Option<PersonRecord>, StoreError> {
        dispatch!(self, person(id))
    }

    /// The person answering for `id` today, with documents and crossings: that person, or the
    /// survivor it was merged into; one trip to the database.
    pub async fn person_answering_for(&self, id: PersonId) -> Result<Option<PersonRecord>, StoreError> {
        dispatch!(self, person_answering_for(id))
    }

    /// The person holding a document.
    pub async fn person_by_document(&self, key: &DocumentKey) -> Result<Option<PersonRecord>, StoreError> {
        let key = key.clone();
        dispatch!(self, person_by_document(&key))
    }

    /// Stores a new API token (its secret's SHA-256 only); false if the name is taken.
    pub async fn insert_token(&self, record: TokenRecord, hash: [u8; 32]) -> Result<bool, StoreError> {
        dispatch!(self, insert_token(&record, &hash))
    }

    /// Revokes the active token with this name; false when there is none.
    pub async fn revoke_token(&self, name: &str, at: Timestamp) -> Result<bool, StoreError> {
        let name = name.to_owned();
        dispatch!(self, revoke_token(&name, at))
    }

    /// The token whose secret hashes to `hash`.
    pub async fn token_by_hash(&self, hash: [u8; 32]) -> Result<Option<TokenRecord>, StoreError> {
        self.read_opt(sql::TOKEN_BY_HASH, vec![hash.as_slice().into()]).await
    }

    /// Every token, oldest first.
    pub async fn tokens(&self) -> Result<Vec<TokenRecord>, StoreError> {
        self.read(sql::TOKENS, Vec::new()).await
    }

    /// Row counts of persons, documents and crossings.
    pub async fn counts(&self) -> Result<[i64; 3], StoreError> {
        dispatch!(self, counts())
    }

    /// Every person whose latest crossing is an entry, with citizenship and stays derived from all
    /// their crossings, ordered by person id. One ordered query, read as a stream.
    pub async fn present_persons(&self) -> Result<Vec<PresentPerson>, StoreError> {
        dispatch!(self, present_persons())
    }

    /// Records overstay drafts; a draft for the same person and detection date as an existing
    /// violation is skipped. Returns how many were new.
    /// Written in chunks of [`DRAFT_CHUNK`], one transaction each, so crossings being recorded
    /// meanwhile wait for one chunk at most, never for the whole sweep.
    pub async fn record_overstay_drafts(&self, drafts: Vec<OverstayDraft>, at: Timestamp) -> Result<u64, StoreError> {
        let mut new = 0;
        let mut rest = drafts;
        while !rest.is_empty() {
            let tail = rest.split_off(rest.len().min(DRAFT_CHUNK));
            let chunk = std::mem::replace(&mut rest, tail);
            new += dispatch!(self, record_overstay_drafts(&chunk, at))?;
        }
        Ok(new)
    }

    /// The overstays already recorded (any status) for stays that began on or after `since`, as
    /// (person, stay entry): the sweep leaves these out instead of offering them again.
    pub async fn recorded_overstays_since(
        &self,
        since: jiff::civil::Date,
    ) -> Result<std::collections::HashSet<(PersonId, jiff::civil::Date)>, StoreError> {
        dispatch!(self, recorded_overstays_since(since))
    }

    /// A person's violations, by detection date.
    pub async fn violations_of(&self, person: PersonId) -> Result<Vec<ViolationRecord>, StoreError> {
        self.read(sql::VIOLATIONS_OF, vec![person.as_uuid().into()]).await
    }

    /// Sum of the daily crossing counters (equals the number of crossings when consistent).
    pub async fn daily_count_total(&self) -> Result<i64, StoreError> {
        dispatch!(self, daily_count_total())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn sqlite_urls_name_their_durability() {
        let parse = |u: &str| DatabaseUrl::parse(u).unwrap();
        assert_eq!(parse("sqlite:r.db"), DatabaseUrl::Sqlite("r.db".into(), Durability::Normal));
        assert_eq!(parse("sqlite:r.db?synchronous=full"), DatabaseUrl::Sqlite("r.db".into(), Durability::Full));
        assert_eq!(parse("sqlite:r.db?synchronous=normal"), DatabaseUrl::Sqlite("r.db".into(), Durability::Normal));
        assert!(DatabaseUrl::parse("sqlite:r.db?synchronous=off").is_err(), "no setting that can corrupt");
        assert!(DatabaseUrl::parse("sqlite:?synchronous=full").is_err());
    }
}
