//! Storage errors: what went wrong talking to the database, kept apart from register rule violations.

/// A failure of the storage layer itself. Messages may contain SQL details: they are for logs,
/// never for API clients (the HTTP layer maps every variant to a generic internal error).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database url {0:?} (expected sqlite:PATH or postgres://...)")]
    UnsupportedUrl(String),
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("postgres: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("postgres pool: {0}")]
    Pool(String),
    #[error("migration {version} ({name}) failed: {reason}")]
    Migration { version: i64, name: &'static str, reason: String },
    #[error("database schema is at version {found}, newer than this binary knows ({known})")]
    SchemaTooNew { found: i64, known: i64 },
    #[error("stored row is not valid: {0}")]
    Corrupt(String),
    #[error("storage worker stopped: {0}")]
    Worker(String),
    /// A registry change met a stored one it contradicts (the receiver's checks exclude this).
    #[error(transparent)]
    RegistryConflict(#[from] crate::exchange::RegistryConflict),
}

/// Why the register refused to record a crossing. These are the client's problem, not the store's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegisterRejection {
    #[error("crossing id was already used for a different crossing")]
    IdConflict,
    #[error("exit recorded for a person who has no entry before it")]
    ExitWithoutEntry,
}

/// Result of recording one crossing: a storage failure, or a rule refusal of that crossing.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error(transparent)]
    Rejected(#[from] RegisterRejection),
    #[error(transparent)]
    Store(#[from] StoreError),
}
