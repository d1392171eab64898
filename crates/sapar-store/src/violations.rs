//! Officers' work on the violations the overstayer sweep drafts: the queue by status, and the
//! decision (confirm or dismiss) that closes a draft. A decision is made once; who made it, when
//! and why is kept with the violation.

use jiff::Timestamp;
use uuid::Uuid;

use crate::error::StoreError;
use crate::records::{ViolationRecord, ViolationStatus};
use crate::{Store, sql};

/// What an officer decides about a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViolationDecision {
    Confirm,
    Dismiss,
}

impl ViolationDecision {
    pub(crate) fn status(self) -> ViolationStatus {
        match self {
            ViolationDecision::Confirm => ViolationStatus::Confirmed,
            ViolationDecision::Dismiss => ViolationStatus::Dismissed,
        }
    }
}

/// A decision to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecideViolation {
    pub id: Uuid,
    pub decision: ViolationDecision,
    /// Name of the token deciding.
    pub by: String,
    pub note: Option<String>,
    pub at: Timestamp,
}

/// Why a decision was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum DecideViolationError {
    #[error("no violation has this id")]
    NotFound,
    #[error("the violation was already decided: {}", .0.as_str())]
    AlreadyDecided(ViolationStatus),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl DecideViolationError {
    /// The decision rule, for both backends: only a draft (with this stored status; None when
    /// there is no such violation) is decided, once.
    pub(crate) fn check(status: Option<ViolationStatus>) -> Result<(), DecideViolationError> {
        match status {
            None => Err(DecideViolationError::NotFound),
            Some(ViolationStatus::Draft) => Ok(()),
            Some(decided) => Err(DecideViolationError::AlreadyDecided(decided)),
        }
    }
}

impl Store {
    /// Violations of one status, oldest detection first, paged.
    pub async fn violations_with_status(
        &self,
        status: ViolationStatus,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<ViolationRecord>, StoreError> {
        let params = vec![status.as_str().into(), i64::from(limit).into(), i64::from(offset).into()];
        self.read(sql::VIOLATIONS_WITH_STATUS, params).await
    }

    /// How many violations have this status.
    pub async fn violation_count(&self, status: ViolationStatus) -> Result<i64, StoreError> {
        let count: Option<(i64,)> = self.read_opt(sql::VIOLATION_COUNT, vec![status.as_str().into()]).await?;
        Ok(count.map_or(0, |(n,)| n))
    }

    /// One violation.
    pub async fn violation(&self, id: Uuid) -> Result<Option<ViolationRecord>, StoreError> {
        self.read_opt(sql::VIOLATION, vec![id.into()]).await
    }

    /// Confirms or dismisses a draft; a violation already decided is left as it is.
    pub async fn decide_violation(&self, decide: DecideViolation) -> Result<ViolationRecord, DecideViolationError> {
        dispatch!(self, decide_violation(&decide), DecideViolationError::Store)
    }
}
