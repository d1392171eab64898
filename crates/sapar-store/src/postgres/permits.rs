//! The PostgreSQL side of permits (see [`crate::permits`]).

use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use sapar_model::PersonId;
use tokio_postgres::Row;
use uuid::Uuid;

use super::PgStore;
use crate::error::StoreError;
use crate::permits::{
    NewPermit, PermitError, PermitKind, PermitPurpose, PermitRecord, PermitTerm, Revocation, RevokeError, RevokePermit,
    check_revocation, periods_column_of,
};

const COLUMNS: &str = "id, person_id, kind, purpose, number, valid_from, valid_to, issued_by, recorded_by,
    created_at, revoked_from, revoked_by, revoked_reason, revoked_at";

fn permit(r: &Row) -> Result<PermitRecord, StoreError> {
    let kind: &str = r.try_get(2)?;
    let purpose: Option<&str> = r.try_get(3)?;
    let revoked_from: Option<jiff::civil::Date> = r.try_get(10)?;
    let revocation = match revoked_from {
        Some(from) => Some(Revocation {
            from,
            by: r.try_get::<_, Option<String>>(11)?.unwrap_or_default(),
            reason: r.try_get::<_, Option<String>>(12)?.unwrap_or_default(),
            at: r.try_get::<_, Option<Timestamp>>(13)?.unwrap_or(Timestamp::UNIX_EPOCH),
        }),
        None => None,
    };
    Ok(PermitRecord {
        id: r.try_get(0)?,
        person_id: PersonId::from_uuid(r.try_get(1)?),
        kind: PermitKind::parse(kind).ok_or_else(|| StoreError::Corrupt(format!("permit kind {kind:?}")))?,
        purpose: purpose
            .map(|p| PermitPurpose::parse(p).ok_or_else(|| StoreError::Corrupt(format!("permit purpose {p:?}"))))
            .transpose()?,
        number: r.try_get(4)?,
        valid_from: r.try_get(5)?,
        valid_to: r.try_get(6)?,
        issued_by: r.try_get(7)?,
        recorded_by: r.try_get(8)?,
        created_at: r.try_get(9)?,
        revocation,
    })
}

async fn by_id(c: &impl GenericClient, id: Uuid) -> Result<Option<PermitRecord>, StoreError> {
    c.query_opt(&format!("SELECT {COLUMNS} FROM permits WHERE id = $1"), &[&id]).await?.as_ref().map(permit).transpose()
}

/// A person's permits, by first day covered.
pub(super) async fn of_person(c: &impl GenericClient, person: PersonId) -> Result<Vec<PermitRecord>, StoreError> {
    let rows = c
        .query(
            &format!("SELECT {COLUMNS} FROM permits WHERE person_id = $1 ORDER BY valid_from, id"),
            &[&person.as_uuid()],
        )
        .await?;
    rows.iter().map(permit).collect()
}

/// Recomputes `persons.permit_periods` of `person` from their permits (inside the caller's
/// transaction).
pub(super) async fn refresh_permit_periods(c: &impl GenericClient, person: PersonId) -> Result<(), StoreError> {
    let id = person.as_uuid();
    let rows = c.query("SELECT valid_from, valid_to, revoked_from FROM permits WHERE person_id = $1", &[&id]).await?;
    let terms = rows
        .iter()
        .map(|r| Ok(PermitTerm { valid_from: r.try_get(0)?, valid_to: r.try_get(1)?, revoked_from: r.try_get(2)? }))
        .collect::<Result<Vec<_>, StoreError>>()?;
    c.execute("UPDATE persons SET permit_periods = $2 WHERE id = $1", &[&id, &periods_column_of(&terms)]).await?;
    Ok(())
}

impl PgStore {
    /// See [`crate::Store::record_permit`].
    pub async fn record_permit(&self, p: &NewPermit) -> Result<PermitRecord, PermitError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(StoreError::from)?;
        let person = p.person_id.as_uuid();
        // Locks the person row, so a merge moving this person's permits waits for this one.
        let exists = tx
            .query_opt("SELECT 1 FROM persons WHERE id = $1 FOR UPDATE", &[&person])
            .await
            .map_err(StoreError::from)?
            .is_some();
        if !exists {
            return Err(PermitError::PersonNotFound);
        }
        let id = Uuid::now_v7();
        let inserted = tx
            .execute(
                "INSERT INTO permits (id, person_id, kind, purpose, number, valid_from, valid_to, issued_by,
                     recorded_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (kind, number) DO NOTHING",
                &[
                    &id,
                    &person,
                    &p.kind.as_str(),
                    &p.purpose.map(PermitPurpose::as_str),
                    &p.number,
                    &p.valid_from,
                    &p.valid_to,
                    &p.issued_by,
                    &p.recorded_by,
                    &p.recorded_at,
                ],
            )
            .await
            .map_err(StoreError::from)?;
        if inserted == 0 {
            return Err(PermitError::DuplicateNumber { kind: p.kind, number: p.number.clone() });
        }
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
        tx.execute(
            "UPDATE permits SET revoked_from = $2, revoked_by = $3, revoked_reason = $4, revoked_at = $5 WHERE id = $1",
            &[&r.id, &v.from, &v.by, &v.reason, &v.at],
        )
        .await
        .map_err(StoreError::from)?;
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
