//! The PostgreSQL side of violations as officers see them (see [`crate::violations`]); the
//! statements and the decoding of their rows are in `sql.rs`.

use deadpool_postgres::GenericClient;
use sapar_model::PersonId;
use uuid::Uuid;

use super::{PgStore, all, one, opt};
use crate::decode;
use crate::error::StoreError;
use crate::records::{ViolationRecord, ViolationStatus};
use crate::sql;
use crate::violations::{DecideViolation, DecideViolationError};

async fn by_id(c: &impl GenericClient, id: Uuid) -> Result<Option<ViolationRecord>, StoreError> {
    opt(c, sql::VIOLATION, &[&id]).await
}

impl PgStore {
    /// A person's violations, by detection date.
    pub async fn violations_of(&self, person: PersonId) -> Result<Vec<ViolationRecord>, StoreError> {
        all(&self.client().await?, sql::VIOLATIONS_OF, &[&person.as_uuid()]).await
    }

    /// See [`crate::Store::violations_with_status`].
    pub async fn violations_with_status(
        &self,
        status: ViolationStatus,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<ViolationRecord>, StoreError> {
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 3] =
            [&status.as_str(), &i64::from(limit), &i64::from(offset)];
        all(&self.client().await?, sql::VIOLATIONS_WITH_STATUS, &params).await
    }

    /// See [`crate::Store::violation_count`].
    pub async fn violation_count(&self, status: ViolationStatus) -> Result<i64, StoreError> {
        let (count,) = one(&self.client().await?, sql::VIOLATION_COUNT, &[&status.as_str()]).await?;
        Ok(count)
    }

    /// See [`crate::Store::violation`].
    pub async fn violation(&self, id: Uuid) -> Result<Option<ViolationRecord>, StoreError> {
        by_id(&self.client().await?, id).await
    }

    /// See [`crate::Store::decide_violation`].
    pub async fn decide_violation(&self, d: &DecideViolation) -> Result<ViolationRecord, DecideViolationError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(StoreError::from)?;
        let status: Option<(String,)> =
            opt(&tx, "SELECT status FROM violations WHERE id = $1 FOR UPDATE", &[&d.id]).await?;
        DecideViolationError::check(status.map(|(s,)| decode::violation_status(&s)).transpose()?)?;
        let row: [&(dyn tokio_postgres::types::ToSql + Sync); 5] =
            [&d.id, &d.decision.status().as_str(), &d.at, &d.by, &d.note];
        tx.execute(sql::DECIDE_VIOLATION, &row).await.map_err(StoreError::from)?;
        let record =
            by_id(&tx, d.id).await?.ok_or_else(|| StoreError::Corrupt(format!("violation {} vanished", d.id)))?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(record)
    }
}
