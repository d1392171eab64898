//! The PostgreSQL side of violations as officers see them (see [`crate::violations`]); the
//! statements and the decoding of their rows are in `sql.rs`.

use deadpool_postgres::GenericClient;
use uuid::Uuid;

use super::{PgStore, opt};
use crate::decode;
use crate::error::StoreError;
use crate::records::ViolationRecord;
use crate::sql;
use crate::violations::{DecideViolation, DecideViolationError};

async fn by_id(c: &impl GenericClient, id: Uuid) -> Result<Option<ViolationRecord>, StoreError> {
    opt(c, sql::VIOLATION, &[&id]).await
}

impl PgStore {
    /// See [`crate::Store::decide_violation`].
    pub async fn decide_violation(&self, d: &DecideViolation) -> Result<ViolationRecord, DecideViolationError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(StoreError::from)?;
        let status: Option<(String,)> =
            opt(&tx, "SELECT status FROM violations WHERE id = $1 FOR UPDATE", &[&d.id]).await?;
        DecideViolationError::check(status.map(|(s,)| decode::violation_status(&s)).transpose()?)?;
        let (amount, unit) = d.penalty.fine.clone().unzip();
        let row: [&(dyn tokio_postgres::types::ToSql + Sync); 9] = [
            &d.id,
            &d.decision.status().as_str(),
            &d.at,
            &d.by,
            &d.note,
            &d.penalty.article,
            &d.penalty.decision_ref,
            &amount,
            &unit,
        ];
        tx.execute(sql::DECIDE_VIOLATION, &row).await.map_err(StoreError::from)?;
        let record =
            by_id(&tx, d.id).await?.ok_or_else(|| StoreError::Corrupt(format!("violation {} vanished", d.id)))?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(record)
    }
}
