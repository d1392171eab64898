//! Claims on work-queue items: who works an item now. One claim per item and queue; taking a
//! claim succeeds for its holder again (refreshing it) or over a claim older than the caller's
//! lapse time, and never over another officer's claim in force, so two officers racing for one
//! item get one claim between them.

use jiff::Timestamp;
use uuid::Uuid;

use crate::row::{Decode, Param, Row};
use crate::{Step, Store, StoreError};

/// A claim on a queue item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub item: Uuid,
    pub by: String,
    pub at: Timestamp,
}

impl Decode for Claim {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(Claim { item: r.col(0)?, by: r.col(1)?, at: r.col(2)? })
    }
}

const TAKE: &str = "INSERT INTO queue_claims (queue, item_id, claimed_by, claimed_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (queue, item_id) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at
    WHERE queue_claims.claimed_by = excluded.claimed_by OR queue_claims.claimed_at < $5";
const RELEASE: &str = "DELETE FROM queue_claims WHERE queue = $1 AND item_id = $2 AND claimed_by = $3";
const DROP_ALL: &str = "DELETE FROM queue_claims WHERE queue = $1 AND item_id = $2";

impl Store {
    /// Claims `item` of `queue` for `by` at `at`, over a claim taken before `lapsed_before`; the
    /// answer is the claim in force afterwards, `by`'s or the other holder's.
    pub async fn claim(
        &self,
        queue: &str,
        item: Uuid,
        by: &str,
        at: Timestamp,
        lapsed_before: Timestamp,
    ) -> Result<Claim, StoreError> {
        let params: Vec<Param> = vec![queue.into(), item.into(), by.into(), at.into(), lapsed_before.into()];
        // The upsert changes no row when another's claim is in force: that is an answer, not a failure.
        let _ = self.write_steps(vec![Step::plain(TAKE, params)]).await?;
        self.claim_of(queue, item).await?.ok_or_else(|| StoreError::Corrupt("a claim just taken is gone".into()))
    }

    /// The claim on `item` of `queue`, lapsed or not.
    pub async fn claim_of(&self, queue: &str, item: Uuid) -> Result<Option<Claim>, StoreError> {
        let sql =
            "SELECT item_id, claimed_by, claimed_at FROM queue_claims WHERE queue = $1 AND item_id = $2".to_owned();
        Ok(self.read_built(sql, vec![queue.into(), item.into()]).await?.into_iter().next())
    }

    /// The claims on `queue` taken at or after `since` (those in force).
    pub async fn claims(&self, queue: &str, since: Timestamp) -> Result<Vec<Claim>, StoreError> {
        let sql = "SELECT item_id, claimed_by, claimed_at FROM queue_claims WHERE queue = $1 AND claimed_at >= $2 \
                   ORDER BY claimed_at"
            .to_owned();
        self.read_built(sql, vec![queue.into(), since.into()]).await
    }

    /// Releases `by`'s claim on `item`; another's claim stays.
    pub async fn release_claim(&self, queue: &str, item: Uuid, by: &str) -> Result<(), StoreError> {
        let _ = self.write_steps(vec![Step::plain(RELEASE, vec![queue.into(), item.into(), by.into()])]).await?;
        Ok(())
    }

    /// Drops any claim on `item` (it was decided).
    pub async fn drop_claims(&self, queue: &str, item: Uuid) -> Result<(), StoreError> {
        let _ = self.write_steps(vec![Step::plain(DROP_ALL, vec![queue.into(), item.into()])]).await?;
        Ok(())
    }
}
