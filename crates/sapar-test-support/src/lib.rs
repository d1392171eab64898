//! Fixtures for Sapar's test suites: a fresh register database on SQLite (a temporary file) or
//! PostgreSQL (a schema of its own, dropped afterwards), one macro that runs a test on both, and
//! with the `http` feature a running API ([`TestApp`]).
//!
//! PostgreSQL is found at `SAPAR_TEST_POSTGRES`, or at `postgres://postgres@127.0.0.1:5432/test`
//! when that is unset. A PostgreSQL test never passes silently without a server: an unreachable
//! server fails it, unless `SAPAR_TEST_POSTGRES=off` says to skip, which it then reports loudly on
//! stderr. Under `CI=true` skipping is refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[cfg(feature = "http")]
mod app;
#[cfg(feature = "synth")]
mod synth;

#[cfg(feature = "http")]
pub use app::{ADMIN, ANALYST, AUDITOR, BORDER, EXCHANGE, OFFICER, REVOKED, TestApp, insert_token};
/// The store, for fixtures that write what no use case of the register writes (a review item
/// with a chosen explanation, say): front ends' tests reach it only through here.
pub use sapar_store;
use sapar_store::Store;
#[cfg(feature = "synth")]
pub use synth::generated_entry;

/// The PostgreSQL server tests use when `SAPAR_TEST_POSTGRES` is unset.
pub const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A fresh register database; dropped (file removed, schema dropped) with the value.
#[derive(Debug)]
pub struct TestDb {
    pub store: Store,
    /// `sqlite:…` or `postgres://…` of this database, for a second process or connection.
    pub url: String,
    _guard: Guard,
}

#[derive(Debug)]
enum Guard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { base: String, schema: String },
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Guard::Postgres { base, schema } = self {
            let (base, name) = (base.clone(), schema.clone());
            // The test's runtime may be shutting down: drop the schema from a thread of its own.
            let dropped = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                runtime.block_on(async {
                    let (client, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls).await.ok()?;
                    tokio::spawn(connection);
                    client.batch_execute(&format!("DROP SCHEMA IF EXISTS {name} CASCADE")).await.ok()
                })
            })
            .join();
            if !matches!(dropped, Ok(Some(()))) {
                eprintln!("warning: could not drop the test schema {schema}");
            }
        }
    }
}

impl TestDb {
    /// A register in a new SQLite file.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("register.db").display());
        let store = Store::open(&url).await.unwrap();
        TestDb { store, url, _guard: Guard::Sqlite(dir) }
    }

    /// A register in a new schema of the test PostgreSQL server; `None` only when
    /// `SAPAR_TEST_POSTGRES=off` (reported on stderr).
    pub async fn postgres() -> Option<TestDb> {
        let base = match std::env::var("SAPAR_TEST_POSTGRES") {
            Ok(url) if url == "off" => {
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "CI=true requires the PostgreSQL suite; SAPAR_TEST_POSTGRES=off is refused"
                );
                eprintln!("\n*** SKIPPED: SAPAR_TEST_POSTGRES=off, this PostgreSQL test did not run ***\n");
                return None;
            }
            Ok(url) if !url.is_empty() => url,
            _ => DEFAULT_POSTGRES.to_owned(),
        };
        let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
        let (client, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls).await.unwrap_or_else(|e| {
            panic!(
                "PostgreSQL at {base} is unreachable ({e}): start it, point SAPAR_TEST_POSTGRES at a server, \
                 or set SAPAR_TEST_POSTGRES=off to skip the PostgreSQL tests"
            )
        });
        tokio::spawn(connection);
        client.batch_execute(&format!("CREATE SCHEMA {schema}")).await.unwrap();
        let separator = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{separator}options=-csearch_path%3D{schema}");
        let store = Store::open(&url).await.unwrap();
        Some(TestDb { store, url, _guard: Guard::Postgres { base, schema } })
    }
}

impl TestDb {
    /// Whether `needle` is anywhere in the database as stored: byte for byte in the SQLite files
    /// (database, write-ahead log), or in the text of any row of any table of the PostgreSQL
    /// schema. For tests that a secret is not kept in clear.
    pub async fn holds_text(&self, needle: &str) -> bool {
        match &self._guard {
            Guard::Sqlite(dir) => std::fs::read_dir(dir.path()).unwrap().any(|entry| {
                let bytes = std::fs::read(entry.unwrap().path()).unwrap();
                bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
            }),
            Guard::Postgres { .. } => {
                let (client, connection) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls).await.unwrap();
                tokio::spawn(connection);
                let tables = client
                    .query(
                        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()",
                        &[],
                    )
                    .await
                    .unwrap();
                for table in tables {
                    let name: String = table.get(0);
                    let sql = format!("SELECT COALESCE(string_agg(t::text, ' '), '') FROM \"{name}\" t");
                    let text: String = client.query_one(&sql, &[]).await.unwrap().get(0);
                    if text.contains(needle) {
                        return true;
                    }
                }
                false
            }
        }
    }
}

/// Runs each named `async fn(F)` of the calling module as two tests, on SQLite and on
/// PostgreSQL, where `F` is made from a [`TestDb`] by the async function `fixture`:
/// `on_both_backends!(fixture => test_a, test_b);`. Without a fixture, the tests take the
/// [`TestDb`] itself.
#[macro_export]
macro_rules! on_both_backends {
    ($fixture:path => $($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = $crate::TestDb::sqlite().await;
                    super::$name($fixture(db).await).await
                }
            )*
        }
        mod postgres {
            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = $crate::TestDb::postgres().await else { return };
                    super::$name($fixture(db).await).await
                }
            )*
        }
    };
    ($($name:ident),* $(,)?) => {
        $crate::on_both_backends!($crate::identity => $($name),*);
    };
}

/// The fixture that hands a test its database as it is.
pub async fn identity(db: TestDb) -> TestDb {
    db
}
