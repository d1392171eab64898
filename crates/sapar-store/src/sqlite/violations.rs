//! The SQLite side of violations as officers see them (see [`crate::violations`]).

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use sapar_model::PersonId;
use uuid::Uuid;

use super::{SqliteStore, lock, uuid_from_blob};
use crate::decode;
use crate::error::StoreError;
use crate::records::{ViolationDecided, ViolationRecord, ViolationStatus};
use crate::violations::{DecideViolation, DecideViolationError};

const COLUMNS: &str = "id, person_id, stay_entry, detected_on, overstay_days, last_legal_day, rule_id, status,
    created_at, decided_at, decided_by, decision_note";

fn violation(r: &Row<'_>) -> Result<ViolationRecord, StoreError> {
    let days: i64 = r.get(4)?;
    let decided_at: Option<i64> = r.get(9)?;
    let decision = match decided_at {
        Some(at) => Some(ViolationDecided {
            at: decode::timestamp_micros(at)?,
            by: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
            note: r.get(11)?,
        }),
        None => None,
    };
    Ok(ViolationRecord {
        id: uuid_from_blob(r.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?)?,
        person_id: PersonId::from_uuid(uuid_from_blob(r.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?)?),
        stay_entry: decode::date(r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?)?,
        detected_on: decode::date(r.get_ref(3)?.as_str().map_err(rusqlite::Error::from)?)?,
        overstay_days: u32::try_from(days).map_err(|_| StoreError::Corrupt(format!("overstay days {days}")))?,
        last_legal_day: r.get::<_, Option<String>>(5)?.as_deref().map(decode::date).transpose()?,
        rule_id: r.get(6)?,
        status: decode::violation_status(r.get_ref(7)?.as_str().map_err(rusqlite::Error::from)?)?,
        created_at: decode::timestamp_micros(r.get(8)?)?,
        decision,
    })
}

fn by_id(conn: &Connection, id: Uuid) -> Result<Option<ViolationRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM violations WHERE id = ?1"))?;
    let mut rows = stmt.query(params![id.as_bytes().as_slice()])?;
    rows.next()?.map(violation).transpose()
}

impl SqliteStore {
    /// A person's violations, by detection date.
    pub fn violations_of(&self, person: PersonId) -> Result<Vec<ViolationRecord>, StoreError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM violations WHERE person_id = ?1 ORDER BY detected_on, id"
        ))?;
        let mut rows = stmt.query(params![person.as_uuid().as_bytes().as_slice()])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(violation(r)?);
        }
        Ok(out)
    }

    /// See [`crate::Store::violations_with_status`].
    pub fn violations_with_status(
        &self,
        status: ViolationStatus,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<ViolationRecord>, StoreError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM violations WHERE status = ?1 ORDER BY detected_on, id LIMIT ?2 OFFSET ?3"
        ))?;
        let mut rows = stmt.query(params![status.as_str(), limit, offset])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(violation(r)?);
        }
        Ok(out)
    }

    /// See [`crate::Store::violation_count`].
    pub fn violation_count(&self, status: ViolationStatus) -> Result<i64, StoreError> {
        let conn = self.reader()?;
        Ok(conn
            .prepare_cached("SELECT COUNT(*) FROM violations WHERE status = ?1")?
            .query_row(params![status.as_str()], |r| r.get(0))?)
    }

    /// See [`crate::Store::violation`].
    pub fn violation(&self, id: Uuid) -> Result<Option<ViolationRecord>, StoreError> {
        by_id(&*self.reader()?, id)
    }

    /// See [`crate::Store::decide_violation`].
    pub fn decide_violation(&self, d: &DecideViolation) -> Result<ViolationRecord, DecideViolationError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let status: Option<String> = tx
            .prepare_cached("SELECT status FROM violations WHERE id = ?1")
            .map_err(StoreError::from)?
            .query_row(params![d.id.as_bytes().as_slice()], |r| r.get(0))
            .optional()
            .map_err(StoreError::from)?;
        DecideViolationError::check(status.as_deref().map(decode::violation_status).transpose()?)?;
        tx.prepare_cached(
            "UPDATE violations SET status = ?2, decided_at = ?3, decided_by = ?4, decision_note = ?5 WHERE id = ?1",
        )
        .map_err(StoreError::from)?
        .execute(params![d.id.as_bytes().as_slice(), d.decision.status().as_str(), d.at.as_microsecond(), d.by, d.note])
        .map_err(StoreError::from)?;
        let record = by_id(&tx, d.id)?.ok_or_else(|| StoreError::Corrupt(format!("violation {} vanished", d.id)))?;
        tx.commit().map_err(StoreError::from)?;
        Ok(record)
    }
}
