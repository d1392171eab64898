//! Counting entries refused at the border, by post and ground over a period of local dates: the
//! figures the statistics of refusals publish. Refused entries are rows of `crossings` with
//! `outcome = 'refused'` (migration 19), indexed for this count.

use jiff::civil::Date;
use sapar_model::{CrossingPoint, RefusalGround};

use crate::Store;
use crate::decode;
use crate::error::StoreError;
use crate::row::{Decode, Row};

/// How many entries were refused at one post on one ground.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusalCount {
    pub point: CrossingPoint,
    pub ground: RefusalGround,
    pub count: u64,
}

impl Decode for RefusalCount {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        let ground: String = r.col(1)?;
        let count: i64 = r.col(2)?;
        Ok(RefusalCount {
            point: decode::point(&r.col::<String>(0)?)?,
            ground: RefusalGround::parse(&ground)
                .ok_or_else(|| StoreError::Corrupt(format!("refusal ground {ground:?}")))?,
            count: u64::try_from(count).map_err(|_| StoreError::Corrupt(format!("refusal count {count}")))?,
        })
    }
}

const REFUSAL_COUNTS: &str = "SELECT point, refusal_ground, COUNT(*) FROM crossings
     WHERE outcome = 'refused' AND local_date >= $1 AND local_date <= $2
     GROUP BY point, refusal_ground ORDER BY point, refusal_ground";

impl Store {
    /// Entries refused from `first` to `last` (local dates at the post, both included), counted
    /// by post and ground, by post code then ground; a post and ground with no refusal is absent.
    pub async fn refusal_counts(&self, first: Date, last: Date) -> Result<Vec<RefusalCount>, StoreError> {
        self.read(REFUSAL_COUNTS, vec![first.into(), last.into()]).await
    }
}
