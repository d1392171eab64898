//! The PostgreSQL side of violations as officers see them (see [`crate::violations`]).

use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use sapar_model::PersonId;
use tokio_postgres::Row;
use uuid::Uuid;

use super::PgStore;
use crate::decode;
use crate::error::StoreError;
use crate::records::{ViolationDecided, ViolationRecord, ViolationStatus};
use crate::violations::{DecideViolation, DecideViolationError};

const COLUMNS: &str = "id, person_id, stay_entry, detected_on, overstay_days, last_legal_day, rule_id, status,
    created_at, decided_at, decided_by, decision_note";

fn violation(r: &Row) -> Result<ViolationRecord, StoreError> {
    let days: i32 = r.try_get(4)?;
    let decided_at: Option<Timestamp> = r.try_get(9)?;
    Ok(ViolationRecord {
        id: r.try_get(0)?,
        person_id: PersonId::from_uuid(r.try_get(1)?),
        stay_entry: r.try_get(2)?,
        detected_on: r.try_get(3)?,
        overstay_days: u32::try_from(days).map_err(|_| StoreError::Corrupt(format!("overstay days {days}")))?,
        last_legal_day: r.try_get(5)?,
        rule_id: r.try_get(6)?,
        status: decode::violation_status(r.try_get(7)?)?,
        created_at: r.try_get(8)?,
        decision: match decided_at {
            Some(at) => Some(ViolationDecided {
                at,
                by: r.try_get::<_, Option<String>>(10)?.unwrap_or_default(),
                note: r.try_get(11)?,
            }),
            None => None,
        },
    })
}

async fn by_id(c: &impl GenericClient, id: Uuid) -> Result<Option<ViolationRecord>, StoreError> {
    c.query_opt(&format!("SELECT {COLUMNS} FROM violations WHERE id = $1"), &[&id])
        .await?
        .as_ref()
        .map(violation)
        .transpose()
}

impl PgStore {
    /// A person's violations, by detection date.
    pub async fn violations_of(&self, person: PersonId) -> Result<Vec<ViolationRecord>, StoreError> {
        let rows = self
            .client()
            .await?
            .query(
                &format!("SELECT {COLUMNS} FROM violations WHERE person_id = $1 ORDER BY detected_on, id"),
                &[&person.as_uuid()],
            )
            .await?;
        rows.iter().map(violation).collect()
    }

    /// See [`crate::Store::violations_with_status`].
    pub async fn violations_with_status(
        &self,
        status: ViolationStatus,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<ViolationRecord>, StoreError> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM violations WHERE status = $1 ORDER BY detected_on, id LIMIT $2 OFFSET $3"
                ),
                &[&status.as_str(), &i64::from(limit), &i64::from(offset)],
            )
            .await?;
        rows.iter().map(violation).collect()
    }

    /// See [`crate::Store::violation_count`].
    pub async fn violation_count(&self, status: ViolationStatus) -> Result<i64, StoreError> {
        let row = self
            .client()
            .await?
            .query_one("SELECT COUNT(*) FROM violations WHERE status = $1", &[&status.as_str()])
            .await?;
        Ok(row.try_get(0)?)
    }

    /// See [`crate::Store::violation`].
    pub async fn violation(&self, id: Uuid) -> Result<Option<ViolationRecord>, StoreError> {
        by_id(&self.client().await?, id).await
    }

    /// See [`crate::Store::decide_violation`].
    pub async fn decide_violation(&self, d: &DecideViolation) -> Result<ViolationRecord, DecideViolationError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(StoreError::from)?;
        let row = tx
            .query_opt("SELECT status FROM violations WHERE id = $1 FOR UPDATE", &[&d.id])
            .await
            .map_err(StoreError::from)?;
        let status = row.map(|r| decode::violation_status(r.try_get(0).map_err(StoreError::from)?)).transpose()?;
        DecideViolationError::check(status)?;
        tx.execute(
            "UPDATE violations SET status = $2, decided_at = $3, decided_by = $4, decision_note = $5 WHERE id = $1",
            &[&d.id, &d.decision.status().as_str(), &d.at, &d.by, &d.note],
        )
        .await
        .map_err(StoreError::from)?;
        let record =
            by_id(&tx, d.id).await?.ok_or_else(|| StoreError::Corrupt(format!("violation {} vanished", d.id)))?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(record)
    }
}
