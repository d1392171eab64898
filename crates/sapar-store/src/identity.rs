//! Identity resolution in the register: persons merged into another, the review queue of pairs
//! that may be the same person, the fitted linkage model, and the linking runs.
//!
//! Recording a crossing identifies a person by document only, so ingest stays fast; a linking
//! job compares persons later and either merges them (the older person survives, and the merged
//! id keeps answering for the survivor) or proposes the pair for review. The store knows nothing
//! of the model: explanations and models arrive as JSON text. Two invariants live here: a pair
//! once decided (or pending) is never proposed again, and a merge moves documents, crossings and
//! violations to the survivor and recomputes the survivor's derived state in one transaction.
//! The merge rules are a pure planner (`identity/plan.rs`); each backend reads, plans, writes.

use jiff::Timestamp;
use sapar_model::{DocumentKey, IdentityDocument, PersonDetails, PersonId};
use uuid::Uuid;

use crate::Store;
use crate::error::StoreError;

pub(crate) mod plan;
pub(crate) mod sql;

/// Who decided an automatic merge.
pub const AUTOMATIC: &str = "automatic";

/// Longest chain of merges followed when resolving an id (a chain is as long as the number of
/// times a survivor was itself merged, in practice one or two).
pub(crate) const MAX_MERGE_CHAIN: usize = 64;

/// A person as the linking job compares them.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkPerson {
    pub id: PersonId,
    pub details: PersonDetails,
    /// Documents held, ordered by issuing state and number.
    pub documents: Vec<DocumentKey>,
    pub created_at: Timestamp,
    /// Whether a linking run has already compared this person with everyone before them.
    pub linked: bool,
}

/// A fitted model with the configuration it was fitted for, both as text.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredModel {
    pub id: Uuid,
    /// The linkage configuration (TOML) without thresholds.
    pub config: String,
    /// The fitted model (JSON).
    pub model: String,
    /// Persons in the register when it was fitted.
    pub persons: i64,
    pub fitted_at: Timestamp,
}

/// Where a review item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewStatus {
    /// Waiting for an officer.
    Pending,
    /// Confirmed the same person: merged.
    Match,
    /// Confirmed different people: never proposed again.
    NonMatch,
    /// One of its persons was merged into another before a decision, and the pair it would
    /// become is the same person or already in the queue: it asks nothing new.
    Superseded,
}

impl ReviewStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "pending",
            ReviewStatus::Match => "match",
            ReviewStatus::NonMatch => "non_match",
            ReviewStatus::Superseded => "superseded",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<ReviewStatus, StoreError> {
        match s {
            "pending" => Ok(ReviewStatus::Pending),
            "match" => Ok(ReviewStatus::Match),
            "non_match" => Ok(ReviewStatus::NonMatch),
            "superseded" => Ok(ReviewStatus::Superseded),
            other => Err(StoreError::Corrupt(format!("review status {other:?}"))),
        }
    }
}

/// An officer's decision on a pending pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewDecision {
    Match,
    NonMatch,
}

impl ReviewDecision {
    pub(crate) fn status(self) -> ReviewStatus {
        match self {
            ReviewDecision::Match => ReviewStatus::Match,
            ReviewDecision::NonMatch => ReviewStatus::NonMatch,
        }
    }
}

/// A pair the linking job could not decide, for the review queue.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewProposal {
    pub a: PersonId,
    pub b: PersonId,
    pub probability: f64,
    pub weight: f64,
    /// Per-field explanation (JSON).
    pub explanation: String,
}

/// A pair the linking job found to be the same person: the older one survives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AutoMerge {
    pub a: PersonId,
    pub b: PersonId,
    pub probability: f64,
}

/// What one chunk of a linking run writes, in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkBatch {
    pub run_id: Uuid,
    pub merges: Vec<AutoMerge>,
    pub proposals: Vec<ReviewProposal>,
    /// Persons this chunk compared with everyone before them.
    pub linked: Vec<PersonId>,
    pub at: Timestamp,
}

/// What a [`LinkBatch`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkBatchOutcome {
    /// Merges done (a pair already the same person merges nothing).
    pub merged: u64,
    /// Review items created (a pair already pending or decided is skipped).
    pub proposed: u64,
}

/// The start of a linking run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkRunStart {
    pub id: Uuid,
    pub model_id: Uuid,
    pub started_at: Timestamp,
    pub lower: f64,
    pub upper: f64,
}

/// A person as an officer sees them in the review queue.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewPerson {
    pub id: PersonId,
    pub details: PersonDetails,
    pub documents: Vec<IdentityDocument>,
    pub created_at: Timestamp,
    /// Crossings recorded for them.
    pub crossings: i64,
}

/// A review item with both persons.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewItem {
    pub id: Uuid,
    pub person_a: ReviewPerson,
    pub person_b: ReviewPerson,
    pub probability: f64,
    pub weight: f64,
    /// Per-field explanation (JSON), as the linking job wrote it.
    pub explanation: String,
    pub status: ReviewStatus,
    pub created_at: Timestamp,
    pub decided_at: Option<Timestamp>,
    pub decided_by: Option<String>,
    pub note: Option<String>,
}

/// A decision as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct DecidedReview {
    pub id: Uuid,
    pub status: ReviewStatus,
    pub decided_at: Timestamp,
    pub decided_by: String,
    pub note: Option<String>,
    /// For a match: the person merged away and the one that survives.
    pub merge: Option<Merge>,
}

/// One person merged into another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub merged: PersonId,
    pub survivor: PersonId,
}

/// Why a decision was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    #[error("no review item has this id")]
    NotFound,
    #[error("the review item was already decided ({})", .0.as_str())]
    AlreadyDecided(ReviewStatus),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A refusal found inside a decision's transaction (nothing written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecideRefusal {
    NotFound,
    AlreadyDecided(ReviewStatus),
}

impl DecideRefusal {
    /// Whether an item with this stored status (None: no such item) may be decided.
    pub(crate) fn check(status: Option<ReviewStatus>) -> Result<(), DecideRefusal> {
        match status {
            None => Err(DecideRefusal::NotFound),
            Some(ReviewStatus::Pending) => Ok(()),
            Some(decided) => Err(DecideRefusal::AlreadyDecided(decided)),
        }
    }
}

impl From<DecideRefusal> for DecideError {
    fn from(r: DecideRefusal) -> DecideError {
        match r {
            DecideRefusal::NotFound => DecideError::NotFound,
            DecideRefusal::AlreadyDecided(s) => DecideError::AlreadyDecided(s),
        }
    }
}

/// The pair in stored order (`person_a < person_b`).
pub(crate) fn ordered(a: PersonId, b: PersonId) -> (PersonId, PersonId) {
    if a.as_uuid() <= b.as_uuid() { (a, b) } else { (b, a) }
}

/// Follows merges from `id` to the person that answers for it today.
pub(crate) fn resolve_in(merges: &std::collections::HashMap<PersonId, PersonId>, id: PersonId) -> PersonId {
    let mut current = id;
    for _ in 0..MAX_MERGE_CHAIN {
        match merges.get(&current) {
            Some(next) => current = *next,
            None => break,
        }
    }
    current
}

impl Store {
    /// Every person not merged into another, oldest first, with what linking compares.
    pub async fn persons_for_linking(&self) -> Result<Vec<LinkPerson>, StoreError> {
        dispatch!(self, persons_for_linking())
    }

    /// The person answering for `id` today: `id` itself, or the survivor it was merged into.
    /// None when no person has this id.
    pub async fn resolve_person(&self, id: PersonId) -> Result<Option<PersonId>, StoreError> {
        dispatch!(self, resolve_person(id))
    }

    /// The persons merged into `survivor`, directly or through others, oldest merge first.
    pub async fn merged_into(&self, survivor: PersonId) -> Result<Vec<PersonId>, StoreError> {
        Ok(self
            .read::<(PersonId,)>(sql::MERGED_INTO, vec![survivor.as_uuid().into()])
            .await?
            .into_iter()
            .map(|(id,)| id)
            .collect())
    }

    /// Stores a fitted model.
    pub async fn save_link_model(&self, model: StoredModel) -> Result<(), StoreError> {
        let m = model;
        self.write(
            sql::INSERT_MODEL,
            vec![m.id.into(), m.config.into(), m.model.into(), m.persons.into(), m.fitted_at.into()],
        )
        .await?;
        Ok(())
    }

    /// The newest fitted model.
    pub async fn latest_link_model(&self) -> Result<Option<StoredModel>, StoreError> {
        self.read_opt(sql::LATEST_MODEL, vec![]).await
    }

    /// Pairs confirmed to be different people, each side resolved through merges to the person
    /// answering for it today.
    pub async fn confirmed_non_matches(&self) -> Result<Vec<(PersonId, PersonId)>, StoreError> {
        dispatch!(self, confirmed_non_matches())
    }

    /// Adds pairs to the review queue; a pair already pending or decided (in either order) is
    /// skipped, as is a pair whose two sides are by now the same person. Returns how many were new.
    pub async fn propose_review_items(&self, proposals: Vec<ReviewProposal>, at: Timestamp) -> Result<u64, StoreError> {
        dispatch!(self, propose_review_items(&proposals, at))
    }

    /// Pending review items, highest probability first (then newest), with both persons.
    pub async fn pending_review_items(&self, limit: u32, offset: u32) -> Result<Vec<ReviewItem>, StoreError> {
        dispatch!(self, pending_review_items(limit, offset))
    }

    /// Number of pending review items.
    pub async fn pending_review_count(&self) -> Result<i64, StoreError> {
        Ok(self.read_opt::<(i64,)>(sql::PENDING_COUNT, vec![]).await?.map_or(0, |(n,)| n))
    }

    /// A review item in any state.
    pub async fn review_item(&self, id: Uuid) -> Result<Option<ReviewItem>, StoreError> {
        dispatch!(self, review_item(id))
    }

    /// Records an officer's decision on a pending item, in one transaction. A match merges the
    /// younger person into the older (documents, crossings and violations move, the merge is
    /// recorded, the survivor's derived state is recomputed); a non-match is kept so the pair is
    /// never proposed again. An unknown or already decided item changes nothing.
    pub async fn decide_review_item(
        &self,
        id: Uuid,
        decision: ReviewDecision,
        decided_by: &str,
        note: Option<&str>,
        at: Timestamp,
    ) -> Result<DecidedReview, DecideError> {
        let by = decided_by.to_owned();
        let note = note.map(str::to_owned);
        let outcome = dispatch!(self, decide_review_item(id, decision, &by, note.as_deref(), at))?;
        outcome.map_err(DecideError::from)
    }

    /// Merges two persons (the older survives) as an automatic decision of probability
    /// `probability`; None when they are already the same person.
    pub async fn merge_persons(
        &self,
        a: PersonId,
        b: PersonId,
        probability: f64,
        at: Timestamp,
    ) -> Result<Option<Merge>, StoreError> {
        dispatch!(self, merge_persons(a, b, probability, at))
    }

    /// Moves whatever is still attached to a merged person (a crossing recorded for them while
    /// the merge committed) to the survivor. Returns how many merged persons needed it.
    pub async fn reattach_merged(&self) -> Result<u64, StoreError> {
        dispatch!(self, reattach_merged())
    }

    /// Records the start of a linking run.
    pub async fn start_link_run(&self, run: LinkRunStart) -> Result<(), StoreError> {
        let p = vec![run.id.into(), run.model_id.into(), run.started_at.into(), run.lower.into(), run.upper.into()];
        self.write(sql::START_RUN, p).await?;
        Ok(())
    }

    /// Writes one chunk of a linking run in one transaction: merges, then review proposals
    /// (ids resolved through the merges), then the persons it linked, and the run's counters.
    pub async fn apply_link_batch(&self, batch: LinkBatch) -> Result<LinkBatchOutcome, StoreError> {
        dispatch!(self, apply_link_batch(&batch))
    }

    /// Records the end of a linking run.
    pub async fn finish_link_run(&self, id: Uuid, at: Timestamp) -> Result<(), StoreError> {
        self.write(sql::FINISH_RUN, vec![id.into(), at.into()]).await?;
        Ok(())
    }
}
