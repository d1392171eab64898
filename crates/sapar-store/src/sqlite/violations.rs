//! The SQLite side of violations as officers see them (see [`crate::violations`]); the
//! statements and the decoding of their rows are in `sql.rs`.

use rusqlite::{Connection, TransactionBehavior, params};
use uuid::Uuid;

use super::{SqliteStore, exec, lock, opt};
use crate::decode;
use crate::error::StoreError;
use crate::records::ViolationRecord;
use crate::sql;
use crate::violations::{DecideViolation, DecideViolationError};

fn by_id(conn: &Connection, id: Uuid) -> Result<Option<ViolationRecord>, StoreError> {
    opt(conn, sql::VIOLATION, [id])
}

impl SqliteStore {
    /// See [`crate::Store::decide_violation`].
    pub fn decide_violation(&self, d: &DecideViolation) -> Result<ViolationRecord, DecideViolationError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let status: Option<(String,)> = opt(&tx, "SELECT status FROM violations WHERE id = $1", [d.id])?;
        DecideViolationError::check(status.map(|(s,)| decode::violation_status(&s)).transpose()?)?;
        let (status, at) = (d.decision.status().as_str(), d.at.as_microsecond());
        let (amount, unit) = d.penalty.fine.clone().unzip();
        let penalty = &d.penalty;
        exec(
            &tx,
            sql::DECIDE_VIOLATION,
            params![d.id, status, at, d.by, d.note, penalty.article, penalty.decision_ref, amount, unit],
        )?;
        let record = by_id(&tx, d.id)?.ok_or_else(|| StoreError::Corrupt(format!("violation {} vanished", d.id)))?;
        tx.commit().map_err(StoreError::from)?;
        Ok(record)
    }
}
