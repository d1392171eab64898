//! Claiming work-queue items before acting on them, and deciding several at once.
//!
//! An officer claims a draft violation or a pair of the identity review before deciding it; while
//! the claim is in force (it lapses after [`CLAIM_LAPSES_AFTER`]) nobody else decides that item,
//! and a decision drops it.
//! A bulk decision claims and decides each item it names and reports each one it skipped (claimed
//! by another officer, decided before, gone) instead of failing as a whole.

use jiff::SignedDuration;
use sapar_model::Role;
use sapar_store::ViolationStatus;
use sapar_store::control::ApplicationStatus;
use sapar_store::identity::ReviewStatus;
use sapar_store::queues::Claim;
use uuid::Uuid;

use crate::access::Access;
use crate::violations::{RawPenalty, ViolationVerdict};
use crate::{Actor, Entity, Register, RegisterError};

/// The queue of draft violations, as claims name it.
pub const VIOLATIONS: &str = "violations";
/// The identity review's queue of pairs, as claims name it.
pub const REVIEW: &str = "review";
/// How long a claim holds without being renewed.
pub const CLAIM_LAPSES_AFTER: SignedDuration = SignedDuration::from_mins(30);
/// The most items one bulk decision takes.
pub const MAX_BULK: usize = 200;

const OFFICERS: &[Role] = &[Role::Officer];

/// Why a bulk decision left an item undecided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    /// Another officer's claim is in force.
    ClaimedBy(String),
    /// Decided before (its status now).
    AlreadyDecided(&'static str),
    /// No such item.
    NotFound,
}

/// How many items wait in a migration officer's queues: counts only, nothing of any person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueCounts {
    /// Draft violations waiting for a decision.
    pub violations: i64,
    /// Pairs of the identity review waiting for a decision.
    pub review: i64,
    /// Removal applications from the control register past their deadline, undecided.
    pub overdue_applications: i64,
}

/// What a bulk decision did: the items decided, and each skipped one with why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulkOutcome {
    pub decided: Vec<Uuid>,
    pub skipped: Vec<(Uuid, Skipped)>,
}

impl Register {
    /// The time before which a claim has lapsed.
    fn claims_lapsed_before(&self) -> jiff::Timestamp {
        self.now() - CLAIM_LAPSES_AFTER
    }

    /// Claims the draft violation `id` for the actor (again, if it is theirs already). Another
    /// officer's claim in force is [`RegisterError::ClaimedByOther`]; a decided violation is
    /// `already_decided`.
    pub async fn claim_violation(&self, actor: &Actor, id: Uuid) -> Result<Claim, RegisterError> {
        actor.require(OFFICERS, "claim violations")?;
        let violation = self.store.violation(id).await?.ok_or(RegisterError::NotFound(Entity::Violation))?;
        if violation.status != ViolationStatus::Draft {
            return Err(RegisterError::AlreadyDecided { entity: Entity::Violation, status: violation.status.as_str() });
        }
        let claim = self.store.claim(VIOLATIONS, id, &actor.name, self.now(), self.claims_lapsed_before()).await?;
        if claim.by != actor.name {
            return Err(RegisterError::ClaimedByOther { by: claim.by });
        }
        Ok(claim)
    }

    /// Releases the actor's claim on `id`, if they hold one.
    pub async fn release_violation(&self, actor: &Actor, id: Uuid) -> Result<(), RegisterError> {
        actor.require(OFFICERS, "release violations")?;
        Ok(self.store.release_claim(VIOLATIONS, id, &actor.name).await?)
    }

    /// The claims in force on draft violations.
    pub async fn violation_claims(&self, actor: &Actor) -> Result<Vec<Claim>, RegisterError> {
        actor.require(OFFICERS, "read claims")?;
        Ok(self.store.claims(VIOLATIONS, self.claims_lapsed_before()).await?)
    }

    /// How many items wait in the queues (for the workplace's navigation). Reads no person, so
    /// nothing is logged.
    pub async fn queue_counts(&self, actor: &Actor) -> Result<QueueCounts, RegisterError> {
        actor.require(OFFICERS, "count the queues")?;
        let overdue = self.store.removal_applications(ApplicationStatus::Overdue, self.today()).await?;
        Ok(QueueCounts {
            violations: self.store.violation_count(ViolationStatus::Draft).await?,
            review: self.store.pending_review_count().await?,
            overdue_applications: i64::try_from(overdue.len()).unwrap_or(i64::MAX),
        })
    }

    /// Claims the pending review pair `id` for the actor (again, if it is theirs already). Another
    /// officer's claim in force is [`RegisterError::ClaimedByOther`]; a decided pair is
    /// `already_decided`.
    pub async fn claim_review(&self, actor: &Actor, id: Uuid) -> Result<Claim, RegisterError> {
        actor.require(OFFICERS, "claim review pairs")?;
        let item = self.store.review_item(id).await?.ok_or(RegisterError::NotFound(Entity::ReviewItem))?;
        if item.status != ReviewStatus::Pending {
            return Err(RegisterError::AlreadyDecided { entity: Entity::ReviewItem, status: item.status.as_str() });
        }
        let claim = self.store.claim(REVIEW, id, &actor.name, self.now(), self.claims_lapsed_before()).await?;
        if claim.by != actor.name {
            return Err(RegisterError::ClaimedByOther { by: claim.by });
        }
        Ok(claim)
    }

    /// Releases the actor's claim on the review pair `id`, if they hold one.
    pub async fn release_review(&self, actor: &Actor, id: Uuid) -> Result<(), RegisterError> {
        actor.require(OFFICERS, "release review pairs")?;
        Ok(self.store.release_claim(REVIEW, id, &actor.name).await?)
    }

    /// The claims in force on pending review pairs.
    pub async fn review_claims(&self, actor: &Actor) -> Result<Vec<Claim>, RegisterError> {
        actor.require(OFFICERS, "read claims")?;
        Ok(self.store.claims(REVIEW, self.claims_lapsed_before()).await?)
    }

    /// Refuses a decision on the item `id` of `queue` while another officer's claim on it is in force.
    pub(crate) async fn check_claim(&self, queue: &str, actor: &Actor, id: Uuid) -> Result<(), RegisterError> {
        match self.store.claim_of(queue, id).await? {
            Some(claim) if claim.by != actor.name && claim.at >= self.claims_lapsed_before() => {
                Err(RegisterError::ClaimedByOther { by: claim.by })
            }
            _ => Ok(()),
        }
    }

    /// Claims and decides each of the draft violations `ids` (at most [`MAX_BULK`]) with one
    /// verdict and note and no penalty; reports those it skipped. Each decision is its own
    /// transaction, logged as the single decision is.
    pub async fn decide_violations(
        &self,
        access: &Access,
        ids: &[Uuid],
        verdict: ViolationVerdict,
        note: Option<&str>,
    ) -> Result<BulkOutcome, RegisterError> {
        access.actor.require(OFFICERS, "decide violations")?;
        if ids.len() > MAX_BULK {
            return Err(sapar_model::InputError::new(
                "ids",
                sapar_model::InputCode::TooLong,
                format!("{} items; a bulk decision takes at most {MAX_BULK}", ids.len()),
            )
            .into());
        }
        let mut outcome = BulkOutcome::default();
        let mut seen = std::collections::HashSet::new();
        for &id in ids.iter().filter(|id| seen.insert(**id)) {
            let decided = match self.claim_violation(&access.actor, id).await {
                Ok(_) => self.decide_violation(access, id, verdict, note, &RawPenalty::default()).await.map(|_| ()),
                Err(e) => Err(e),
            };
            match decided {
                Ok(()) => outcome.decided.push(id),
                Err(RegisterError::ClaimedByOther { by }) => outcome.skipped.push((id, Skipped::ClaimedBy(by))),
                Err(RegisterError::AlreadyDecided { status, .. }) => {
                    outcome.skipped.push((id, Skipped::AlreadyDecided(status)));
                }
                Err(RegisterError::NotFound(_)) => outcome.skipped.push((id, Skipped::NotFound)),
                // A refusal of the verdict itself (a dismissal without its note) stops the batch
                // before anything is decided: it would refuse every item alike.
                Err(e) => return Err(e),
            }
        }
        Ok(outcome)
    }
}
