//! A background WAL checkpointer for the SQLite store.
//!
//! In WAL mode, committed pages wait in the `-wal` file until a checkpoint copies them into the
//! database. Left to SQLite's automatic checkpoint, that copy runs inside whichever commit crosses
//! the threshold, so one unlucky request (a border crossing, an exchange message) waits for
//! megabytes of copying. Here a thread of its own, on a connection of its own, runs `PASSIVE`
//! checkpoints: they copy what is committed without waiting for or blocking readers and the
//! writer, so the writer's automatic checkpoint, still set as a safety net, finds little or
//! nothing left to copy, and once a checkpoint has caught up the next commit starts the log from
//! the beginning again. The thread ends when the store is dropped.
//!
//! Each checkpoint syncs the database file after copying, and a sync of much unsynced data holds
//! back the writer's own log writes for as long (the file system's journal): copying every
//! 100 ms made the exchange's p99 latency 43-51 ms, every second 83-88 ms, every 10 ms 14 ms
//! (`docs/benchmarks.md`). So while commits arrive the thread checkpoints every
//! [`BUSY_INTERVAL`], small copies and short syncs, and every [`IDLE_INTERVAL`] when the log has
//! not grown since the last one.
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use crate::error::StoreError;

/// How often the log is checkpointed while it grows.
const BUSY_INTERVAL: Duration = Duration::from_millis(10);

/// How often the log is looked at when it did not grow since the last checkpoint.
const IDLE_INTERVAL: Duration = Duration::from_millis(100);

/// The running checkpointer; dropping it stops the thread.
pub(super) struct WalCheckpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl WalCheckpointer {
    /// Starts checkpointing the database at `path` (already in WAL mode).
    pub(super) fn start(path: &Path) -> Result<WalCheckpointer, StoreError> {
        let conn = Connection::open(path)?;
        conn.execute_batch("PRAGMA busy_timeout = 1000;")?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("sapar-sqlite-checkpoint".into())
            .spawn(move || {
                let mut wait = IDLE_INTERVAL;
                let mut last_log = None;
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(wait) {
                    match checkpoint(&conn) {
                        Ok((log, _)) => {
                            wait = if last_log == Some(log) { IDLE_INTERVAL } else { BUSY_INTERVAL };
                            last_log = Some(log);
                        }
                        Err(e) => {
                            wait = IDLE_INTERVAL;
                            tracing::warn!(error = %e, "background WAL checkpoint failed; the writer's own checkpoint remains");
                        }
                    }
                }
            })
            .map_err(|e| StoreError::Worker(format!("cannot start the WAL checkpointer: {e}")))?;
        Ok(WalCheckpointer { stop: Some(stop), thread: Some(thread) })
    }
}

/// One passive checkpoint: (log frames, frames checkpointed).
fn checkpoint(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| Ok((r.get(1)?, r.get(2)?)))
}

impl Drop for WalCheckpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_committed_pages_into_the_database_and_stops_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let writer = Connection::open(&path).unwrap();
        // The writer never checkpoints: only the background thread can move pages into the file.
        writer.execute_batch("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (x)").unwrap();
        let checkpointer = WalCheckpointer::start(&path).unwrap();
        writer.execute("INSERT INTO t VALUES (zeroblob(200000))", []).unwrap();
        let copied = (0..200).any(|_| {
            std::thread::sleep(Duration::from_millis(20));
            std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) >= 200_000
        });
        assert!(copied, "the committed blob reached the database file");
        drop(checkpointer);
        writer.execute("INSERT INTO t VALUES (zeroblob(200000))", []).unwrap();
        std::thread::sleep(IDLE_INTERVAL * 3);
        let size = std::fs::metadata(&path).unwrap().len();
        assert!(size < 400_000, "no checkpoint runs after the drop ({size} bytes)");
    }
}
