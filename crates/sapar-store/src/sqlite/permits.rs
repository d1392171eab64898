//! The SQLite side of permits (see [`crate::permits`]); the statements and the decoding of their
//! rows are in `sql.rs`.

use rusqlite::{Connection, TransactionBehavior, params};
use sapar_model::PersonId;
use uuid::Uuid;

use super::{SqliteStore, all, exec, lock, opt};
use crate::error::StoreError;
use crate::permits::{
    NewPermit, PermitError, PermitPurpose, PermitRecord, PermitSnapshot, PermitTerm, RevokeError, RevokePermit,
    check_revocation, periods_column_of, plan_permit,
};
use crate::sql;

fn by_id(conn: &Connection, id: Uuid) -> Result<Option<PermitRecord>, StoreError> {
    opt(conn, sql::PERMIT, [id])
}

/// A person's permits, by first day covered.
pub(super) fn of_person(conn: &Connection, person: PersonId) -> Result<Vec<PermitRecord>, StoreError> {
    all(conn, sql::PERMITS_OF, [person.as_uuid()])
}

/// Recomputes `persons.permit_periods` of `person` from their permits (inside the caller's
/// transaction).
pub(super) fn refresh_permit_periods(conn: &Connection, person: PersonId) -> Result<(), StoreError> {
    let terms: Vec<PermitTerm> = all(conn, sql::PERMIT_TERMS, [person.as_uuid()])?;
    exec(conn, sql::SET_PERMIT_PERIODS, params![person.as_uuid(), periods_column_of(&terms)])?;
    Ok(())
}

impl SqliteStore {
    /// See [`crate::Store::record_permit`].
    pub fn record_permit(&self, p: &NewPermit) -> Result<PermitRecord, PermitError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let person = p.person_id.as_uuid();
        let (person_exists, number_taken) =
            opt(&tx, sql::PERMIT_SNAPSHOT, params![person, p.kind.as_str(), p.number])?.unwrap_or_default();
        let snapshot = PermitSnapshot { person_exists, number_taken };
        plan_permit(p, &snapshot, None)?;
        let id = Uuid::now_v7();
        let (from, to) = (p.valid_from.to_string(), p.valid_to.to_string());
        let (kind, purpose) = (p.kind.as_str(), p.purpose.map(PermitPurpose::as_str));
        let at = p.recorded_at.as_microsecond();
        let row = params![id, person, kind, purpose, p.number, from, to, p.issued_by, p.recorded_by, at, p.employer_id];
        plan_permit(p, &snapshot, Some(exec(&tx, sql::INSERT_PERMIT, row)?))?;
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
        exec(&tx, sql::REVOKE_PERMIT, params![r.id, v.from.to_string(), v.by, v.reason, v.at.as_microsecond()])?;
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
