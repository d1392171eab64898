//! The officers' queue of pairs of persons the linking run found possibly the same, and their
//! decisions: a match merges the pair, a non-match is never proposed again.

use sapar_model::Role;
use sapar_store::identity::{DecideError, DecidedReview, ReviewDecision, ReviewItem};
use uuid::Uuid;

use crate::access::{Access, distinct, view};
use crate::linking::StoredExplanation;
use crate::text::decision_note;
use crate::{Actor, Entity, Register, RegisterError};

/// Who reviews pairs.
const REVIEWERS: &[Role] = &[Role::Officer];

/// A pending pair with its explanation read back.
#[derive(Debug, Clone)]
pub struct ReviewCase {
    pub item: ReviewItem,
    /// `None` when the stored explanation cannot be read (logged).
    pub explanation: Option<StoredExplanation>,
}

/// A page of the pending queue.
#[derive(Debug, Clone)]
pub struct ReviewPage {
    /// Pending items in all.
    pub pending: i64,
    pub items: Vec<ReviewCase>,
}

impl Register {
    /// The pending review queue, highest probability first; the read is logged for both persons
    /// of every pair on the page.
    pub async fn review_queue(&self, access: &Access, limit: u32, offset: u32) -> Result<ReviewPage, RegisterError> {
        access.actor.require(REVIEWERS, "review pairs")?;
        let pending = self.store.pending_review_count().await?;
        let items = self.store.pending_review_items(limit, offset).await?;
        let items = items
            .into_iter()
            .map(|item| {
                let explanation = match StoredExplanation::from_stored(&item.explanation) {
                    Ok(e) => Some(e),
                    Err(e) => {
                        tracing::warn!(item = %item.id, error = %e, "stored explanation cannot be read");
                        None
                    }
                };
                ReviewCase { item, explanation }
            })
            .collect::<Vec<ReviewCase>>();
        let persons = distinct(items.iter().flat_map(|case| [case.item.person_a.id, case.item.person_b.id]));
        self.log_reads(access, view::REVIEW, &persons).await?;
        Ok(ReviewPage { pending, items })
    }

    /// Decides a pending pair once: a match merges the younger person into the older. Refused
    /// while another officer's claim on the pair is in force; the decision drops the claims.
    pub async fn decide_review(
        &self,
        actor: &Actor,
        id: Uuid,
        decision: ReviewDecision,
        note: Option<&str>,
    ) -> Result<DecidedReview, RegisterError> {
        actor.require(REVIEWERS, "review pairs")?;
        let note = decision_note(note)?;
        self.check_claim(crate::queues::REVIEW, actor, id).await?;
        let decided =
            self.store.decide_review_item(id, decision, &actor.name, note.as_deref(), self.now()).await.map_err(
                |e| match e {
                    DecideError::NotFound => RegisterError::NotFound(Entity::ReviewItem),
                    DecideError::AlreadyDecided(status) => {
                        RegisterError::AlreadyDecided { entity: Entity::ReviewItem, status: status.as_str() }
                    }
                    DecideError::Store(e) => RegisterError::Store(e),
                },
            )?;
        self.store.drop_claims(crate::queues::REVIEW, id).await?;
        Ok(decided)
    }
}
