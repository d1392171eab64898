//! The SQLite side of permits (see [`crate::permits`]).

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use sapar_model::PersonId;
use uuid::Uuid;

use super::{SqliteStore, lock, uuid_from_blob};
use crate::decode;
use crate::error::StoreError;
use crate::permits::{
    NewPermit, PermitError, PermitKind, PermitPurpose, PermitRecord, PermitTerm, Revocation, RevokeError, RevokePermit,
    check_revocation, periods_column_of,
};

const COLUMNS: &str = "id, person_id, kind, purpose, number, valid_from, valid_to, issued_by, recorded_by,
    created_at, revoked_from, revoked_by, revoked_reason, revoked_at";

fn text<'r>(r: &'r Row<'_>, i: usize) -> Result<&'r str, StoreError> {
    Ok(r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?)
}

fn permit(r: &Row<'_>) -> Result<PermitRecord, StoreError> {
    let kind = text(r, 2)?;
    let purpose: Option<String> = r.get(3)?;
    let revoked_from: Option<String> = r.get(10)?;
    let revocation = match revoked_from {
        Some(from) => Some(Revocation {
            from: decode::date(&from)?,
            by: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
            reason: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
            at: decode::timestamp_micros(r.get::<_, Option<i64>>(13)?.unwrap_or_default())?,
        }),
        None => None,
    };
    Ok(PermitRecord {
        id: uuid_from_blob(r.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?)?,
        person_id: PersonId::from_uuid(uuid_from_blob(r.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?)?),
        kind: PermitKind::parse(kind).ok_or_else(|| StoreError::Corrupt(format!("permit kind {kind:?}")))?,
        purpose: purpose
            .map(|p| PermitPurpose::parse(&p).ok_or_else(|| StoreError::Corrupt(format!("permit purpose {p:?}"))))
            .transpose()?,
        number: r.get(4)?,
        valid_from: decode::date(text(r, 5)?)?,
        valid_to: decode::date(text(r, 6)?)?,
        issued_by: r.get(7)?,
        recorded_by: r.get(8)?,
        created_at: decode::timestamp_micros(r.get(9)?)?,
        revocation,
    })
}

fn by_id(conn: &Connection, id: Uuid) -> Result<Option<PermitRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM permits WHERE id = ?1"))?;
    let mut rows = stmt.query(params![id.as_bytes().as_slice()])?;
    rows.next()?.map(permit).transpose()
}

/// A person's permits, by first day covered.
pub(super) fn of_person(conn: &Connection, person: PersonId) -> Result<Vec<PermitRecord>, StoreError> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM permits WHERE person_id = ?1 ORDER BY valid_from, id"))?;
    let mut rows = stmt.query(params![person.as_uuid().as_bytes().as_slice()])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(permit(r)?);
    }
    Ok(out)
}

/// Recomputes `persons.permit_periods` of `person` from their permits (inside the caller's
/// transaction).
pub(super) fn refresh_permit_periods(conn: &Connection, person: PersonId) -> Result<(), StoreError> {
    let id = person.as_uuid().as_bytes().to_vec();
    let mut stmt =
        conn.prepare_cached("SELECT valid_from, valid_to, revoked_from FROM permits WHERE person_id = ?1")?;
    let mut rows = stmt.query(params![id])?;
    let mut terms = Vec::new();
    while let Some(r) = rows.next()? {
        terms.push(PermitTerm {
            valid_from: decode::date(text(r, 0)?)?,
            valid_to: decode::date(text(r, 1)?)?,
            revoked_from: r.get::<_, Option<String>>(2)?.as_deref().map(decode::date).transpose()?,
        });
    }
    conn.prepare_cached("UPDATE persons SET permit_periods = ?2 WHERE id = ?1")?
        .execute(params![id, periods_column_of(&terms)])?;
    Ok(())
}

impl SqliteStore {
    /// See [`crate::Store::record_permit`].
    pub fn record_permit(&self, p: &NewPermit) -> Result<PermitRecord, PermitError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let person = p.person_id.as_uuid().as_bytes().to_vec();
        let exists = tx
            .prepare_cached("SELECT 1 FROM persons WHERE id = ?1")
            .map_err(StoreError::from)?
            .query_row(params![person], |_| Ok(()))
            .optional()
            .map_err(StoreError::from)?
            .is_some();
        if !exists {
            return Err(PermitError::PersonNotFound);
        }
        let id = Uuid::now_v7();
        let inserted = tx
            .prepare_cached(
                "INSERT INTO permits (id, person_id, kind, purpose, number, valid_from, valid_to, issued_by,
                     recorded_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (kind, number) DO NOTHING",
            )
            .map_err(StoreError::from)?
            .execute(params![
                id.as_bytes().as_slice(),
                person,
                p.kind.as_str(),
                p.purpose.map(PermitPurpose::as_str),
                p.number,
                p.valid_from.to_string(),
                p.valid_to.to_string(),
                p.issued_by,
                p.recorded_by,
                p.recorded_at.as_microsecond(),
            ])
            .map_err(StoreError::from)?;
        if inserted == 0 {
            return Err(PermitError::DuplicateNumber { kind: p.kind, number: p.number.clone() });
        }
        refresh_permit_periods(&tx, p.person_id)?;
        let record = by_id(&tx, id)?.ok_or_else(|| StoreError::Corrupt(format!("permit {id} vanished")))?;
        tx.commit().map_err(StoreError::from)?;
        Ok(record)
    }

    /// See [`crate::Store::revoke_permit`].
    pub fn revoke_permit(&self, r: &RevokePermit) -> Result<PermitRecord, RevokeError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let current = by_id(&tx, r.id)?.ok_or(RevokeError::NotFound)?;
        check_revocation(&current, &r.revocation)?;
        let v = &r.revocation;
        tx.prepare_cached(
            "UPDATE permits SET revoked_from = ?2, revoked_by = ?3, revoked_reason = ?4, revoked_at = ?5 WHERE id = ?1",
        )
        .map_err(StoreError::from)?
        .execute(params![r.id.as_bytes().as_slice(), v.from.to_string(), v.by, v.reason, v.at.as_microsecond()])
        .map_err(StoreError::from)?;
        refresh_permit_periods(&tx, current.person_id)?;
        let record = by_id(&tx, r.id)?.ok_or_else(|| StoreError::Corrupt(format!("permit {} vanished", r.id)))?;
        tx.commit().map_err(StoreError::from)?;
        Ok(record)
    }

    /// See [`crate::Store::permits_of`].
    pub fn permits_of(&self, person: PersonId) -> Result<Vec<PermitRecord>, StoreError> {
        of_person(&*self.reader()?, person)
    }
}
