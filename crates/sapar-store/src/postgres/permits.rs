//! The PostgreSQL side of permits (see [`crate::permits`]); the statements and the decoding of
//! their rows are in `sql.rs`.

use deadpool_postgres::GenericClient;
use sapar_model::PersonId;
use uuid::Uuid;

use super::{PgStore, all, one, opt};
use crate::error::StoreError;
use crate::permits::{
    NewPermit, PermitError, PermitPurpose, PermitRecord, PermitSnapshot, PermitTerm, RevokeError, RevokePermit,
    check_revocation, periods_column_of, plan_permit,
};
use crate::sql;

async fn by_id(c: &impl GenericClient, id: Uuid) -> Result<Option<PermitRecord>, StoreError> {
    opt(c, sql::PERMIT, &[&id]).await
}

/// A person's permits, by first day covered.
pub(super) async fn of_person(c: &impl GenericClient, person: PersonId) -> Result<Vec<PermitRecord>, StoreError> {
    all(c, sql::PERMITS_OF, &[&person.as_uuid()]).await
}

/// Recomputes `persons.permit_periods` of `person` from their permits (inside the caller's
/// transaction).
pub(super) async fn refresh_permit_periods(c: &impl GenericClient, person: PersonId) -> Result<(), StoreError> {
    let id = person.as_uuid();
    let terms: Vec<PermitTerm> = all(c, sql::PERMIT_TERMS, &[&id]).await?;
    c.execute(sql::SET_PERMIT_PERIODS, &[&id, &periods_column_of(&terms)]).await?;
    Ok(())
}

impl PgStore {
    /// See [`crate::Store::record_permit`].
    pub async fn record_permit(&self, p: &NewPermit) -> Result<PermitRecord, PermitError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(StoreError::from)?;
        let person = p.person_id.as_uuid();
        // Locks the person row, so a merge moving this person's permits waits for this one.
        tx.execute("SELECT 1 FROM persons WHERE id = $1 FOR UPDATE", &[&person]).await.map_err(StoreError::from)?;
        let (person_exists, number_taken) =
            one(&tx, sql::PERMIT_SNAPSHOT, &[&person, &p.kind.as_str(), &p.number]).await?;
        let snapshot = PermitSnapshot { person_exists, number_taken };
        plan_permit(p, &snapshot, None)?;
        let id = Uuid::now_v7();
        let (kind, purpose) = (p.kind.as_str(), p.purpose.map(PermitPurpose::as_str));
        let row: [&(dyn tokio_postgres::types::ToSql + Sync); 11] = [
            &id,
            &person,
            &kind,
            &purpose,
            &p.number,
            &p.valid_from,
            &p.valid_to,
            &p.issued_by,
            &p.recorded_by,
            &p.recorded_at,
            &p.employer_id,
        ];
        let inserted = tx.execute(sql::INSERT_PERMIT, &row).await.map_err(StoreError::from)?;
        plan_permit(p, &snapshot, Some(usize::try_from(inserted).unwrap_or(usize::MAX)))?;
        refresh_permit_periods(&tx, p.person_id).await?;
        let record = by_id(&tx, id).await?.ok_or_else(|| StoreError::Corrupt(format!("permit {id} vanished")))?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(record)
    }

    /// See [`crate::Store::revoke_permit`].
    pub async fn revoke_permit(&self, r: &RevokePermit) -> Result<PermitRecord, RevokeError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(StoreError::from)?;
        tx.execute("SELECT 1 FROM permits WHERE id = $1 FOR UPDATE", &[&r.id]).await.map_err(StoreError::from)?;
        let current = by_id(&tx, r.id).await?.ok_or(RevokeError::NotFound)?;
        check_revocation(&current, &r.revocation)?;
        let v = &r.revocation;
        let row: [&(dyn tokio_postgres::types::ToSql + Sync); 5] = [&r.id, &v.from, &v.by, &v.reason, &v.at];
        tx.execute(sql::REVOKE_PERMIT, &row).await.map_err(StoreError::from)?;
        refresh_permit_periods(&tx, current.person_id).await?;
        let record = by_id(&tx, r.id).await?.ok_or_else(|| StoreError::Corrupt(format!("permit {} vanished", r.id)))?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(record)
    }

    /// See [`crate::Store::permits_of`].
    pub async fn permits_of(&self, person: PersonId) -> Result<Vec<PermitRecord>, StoreError> {
        of_person(&self.client().await?, person).await
    }
}
