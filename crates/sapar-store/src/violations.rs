//! Officers' work on violations: the queue by status, the decision (confirm or dismiss) that
//! closes a draft, made once with who, when and why (and, on confirmation, the article, the
//! decision's reference and the fine); violations an officer records directly; the payment of a
//! fine, recorded once.

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::PersonId;
use uuid::Uuid;

use crate::error::StoreError;
use crate::records::{ViolationRecord, ViolationStatus};
use crate::row::Param;
use crate::{Step, Store, sql};

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
    /// On confirmation: the penalty imposed, each part kept as recorded when not given.
    pub penalty: Penalty,
}

/// The article, decision and fine of a violation, as an officer records them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Penalty {
    pub article: Option<String>,
    pub decision_ref: Option<String>,
    /// Amount (whole units, not negative) and unit.
    pub fine: Option<(i64, String)>,
}

/// A violation an officer records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewViolation {
    pub id: Uuid,
    pub person_id: PersonId,
    /// The kind's identifier from the violation kinds data.
    pub kind: String,
    /// The day it was committed or found.
    pub detected_on: Date,
    pub description: Option<String>,
    pub employer_id: Option<Uuid>,
    pub penalty: Penalty,
    /// Recorded with a decision (confirmed) or as a draft awaiting one.
    pub status: ViolationStatus,
    pub recorded_by: String,
    pub at: Timestamp,
}

/// Why a violation was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum NewViolationError {
    #[error("no person has this id")]
    PersonNotFound,
    #[error("no employer has this id")]
    EmployerNotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a payment was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("no violation has this id")]
    NotFound,
    #[error("the violation carries no fine")]
    NoFine,
    #[error("the fine was already paid on {0}")]
    AlreadyPaid(Date),
    #[error("a dismissed violation's fine is not paid")]
    Dismissed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

const INSERT_VIOLATION: &str = "INSERT INTO violations (id, person_id, kind, detected_on, status, created_at,
         recorded_by, article, description, employer_id, decision_ref, fine_amount, fine_unit,
         decided_at, decided_by)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15
     WHERE EXISTS (SELECT 1 FROM persons WHERE id = $2)";
const RECORD_PAYMENT: &str = "UPDATE violations SET paid_on = $2, payment_ref = $3
     WHERE id = $1 AND fine_amount IS NOT NULL AND paid_on IS NULL AND status <> 'dismissed'";

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

    /// Records a violation an officer found, on an existing person (give the survivor of a
    /// merge); the employer, when named, must exist.
    pub async fn record_violation(&self, v: NewViolation) -> Result<ViolationRecord, NewViolationError> {
        if let Some(employer) = v.employer_id
            && self.employer(employer).await?.is_none()
        {
            return Err(NewViolationError::EmployerNotFound);
        }
        let decided = v.status != ViolationStatus::Draft;
        let (amount, unit) = v.penalty.fine.clone().unzip();
        let params: Vec<Param> = vec![
            v.id.into(),
            v.person_id.as_uuid().into(),
            v.kind.as_str().into(),
            v.detected_on.into(),
            v.status.as_str().into(),
            v.at.into(),
            v.recorded_by.as_str().into(),
            v.penalty.article.clone().into(),
            v.description.clone().into(),
            v.employer_id.into(),
            v.penalty.decision_ref.clone().into(),
            amount.into(),
            unit.into(),
            decided.then_some(v.at).into(),
            decided.then(|| v.recorded_by.clone()).into(),
        ];
        if self.write_steps(vec![Step::guard(INSERT_VIOLATION, params)]).await?.is_err() {
            return Err(NewViolationError::PersonNotFound);
        }
        self.violation(v.id).await?.ok_or_else(|| StoreError::Corrupt("a recorded violation is gone".into()).into())
    }

    /// Records that a violation's fine was paid, once.
    pub async fn record_payment(
        &self,
        id: Uuid,
        paid_on: Date,
        reference: &str,
    ) -> Result<ViolationRecord, PaymentError> {
        let steps = vec![Step::guard(RECORD_PAYMENT, vec![id.into(), paid_on.into(), reference.into()])];
        let written = self.write_steps(steps).await?;
        let current = self.violation(id).await?.ok_or(PaymentError::NotFound)?;
        if written.is_ok() {
            return Ok(current);
        }
        Err(match &current.fine {
            None => PaymentError::NoFine,
            Some(_) if current.status == ViolationStatus::Dismissed => PaymentError::Dismissed,
            Some(fine) => match &fine.payment {
                Some(paid) => PaymentError::AlreadyPaid(paid.paid_on),
                None => PaymentError::Store(StoreError::Corrupt("a fine's payment could not be recorded".into())),
            },
        })
    }

    /// The violations naming an employer, by detection date.
    pub async fn violations_of_employer(&self, employer: Uuid) -> Result<Vec<ViolationRecord>, StoreError> {
        self.read(sql::VIOLATIONS_OF_EMPLOYER, vec![employer.into()]).await
    }
}
