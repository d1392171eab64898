//! The PostgreSQL side of identity resolution (see [`crate::identity`]); the statements and the
//! decoding of their rows are in `identity/sql.rs`.

use std::collections::HashMap;

use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use sapar_model::PersonId;
use uuid::Uuid;

use super::{PgStore, all, opt, refresh_person_state};
use crate::error::StoreError;
use crate::identity::plan::{
    MergeSnapshot, Repoint, StoredViolation, ViolationMoves, non_matches, plan_merge, plan_violation_moves,
    proposal_pair,
};
use crate::identity::sql::{self, Holding, ItemRow, ReviewPersonRow, merge_sides};
use crate::identity::{
    AUTOMATIC, DecideRefusal, DecidedReview, LinkBatch, LinkBatchOutcome, LinkPerson, MAX_MERGE_CHAIN, Merge,
    ReviewDecision, ReviewItem, ReviewPerson, ReviewProposal,
};
use crate::search;
use crate::sql::{DOCUMENTS_OF, PERSON_EXISTS};

/// The survivor `id` resolves to through recorded merges; None when no person has this id.
pub(super) async fn resolve(c: &impl GenericClient, id: PersonId) -> Result<Option<PersonId>, StoreError> {
    if opt::<(i64,)>(c, PERSON_EXISTS, &[&id.as_uuid()]).await?.is_none() {
        return Ok(None);
    }
    let mut current = id;
    for _ in 0..MAX_MERGE_CHAIN {
        match opt(c, sql::SURVIVOR, &[&current.as_uuid()]).await? {
            Some((survivor,)) => current = survivor,
            None => return Ok(Some(current)),
        }
    }
    Err(StoreError::Corrupt(format!("merge chain from person {id} is longer than {MAX_MERGE_CHAIN}")))
}

/// The violations of two persons, for planning what a merge does with them.
async fn violations_of(c: &impl GenericClient, [a, b]: [PersonId; 2]) -> Result<Vec<StoredViolation>, StoreError> {
    all(c, sql::VIOLATIONS_OF, &[&a.as_uuid(), &b.as_uuid()]).await
}

/// Reads what a merge of the persons `a` and `b` stand for today is decided on. Both person rows
/// are locked first, in id order, so a concurrent batch recording a crossing for either waits
/// for the merge (or the merge for it).
async fn merge_snapshot(c: &impl GenericClient, a: PersonId, b: PersonId) -> Result<MergeSnapshot, StoreError> {
    let unknown = |id: PersonId| StoreError::Corrupt(format!("merge names person {id}, who does not exist"));
    let ra = resolve(c, a).await?.ok_or_else(|| unknown(a))?;
    let rb = resolve(c, b).await?.ok_or_else(|| unknown(b))?;
    let ids = (ra.as_uuid(), rb.as_uuid());
    let created = all(c, &format!("{} FOR UPDATE", sql::CREATED), &[&ids.0, &ids.1]).await?;
    let (a, b) = merge_sides(&created, ra, rb)?;
    let items = all(c, sql::ITEMS_OF, &[&ids.0, &ids.1]).await?;
    Ok(MergeSnapshot { a, b, items, violations: violations_of(c, [ra, rb]).await? })
}

/// Moves documents, crossings, permits, bans, expulsions, control entries and events of `merged` to
/// `survivor`, writes the planned moves of its violations, and recomputes both persons' derived
/// state from what they hold now.
async fn move_attached(
    c: &impl GenericClient,
    merged: PersonId,
    survivor: PersonId,
    violations: &ViolationMoves,
) -> Result<(), StoreError> {
    let (m, s) = (merged.as_uuid(), survivor.as_uuid());
    for statement in [
        sql::MOVE_DOCUMENTS,
        sql::MOVE_CROSSINGS,
        sql::MOVE_PERMITS,
        sql::MOVE_BANS,
        sql::MOVE_EXPULSIONS,
        sql::MOVE_PERSON_EVENTS,
        sql::MOVE_CONTROL_ENTRIES,
        sql::MOVE_CARDS,
        sql::MOVE_REGISTRATIONS,
        sql::MOVE_REGISTRATION_FAILURES,
        search::MOVE_NAME_KEYS,
    ] {
        c.execute(statement, &[&m, &s]).await?;
    }
    c.execute(search::DROP_NAME_KEYS, &[&m]).await?;
    for id in &violations.delete {
        c.execute(sql::DELETE_VIOLATION, &[id]).await?;
    }
    for id in &violations.to_survivor {
        c.execute(sql::MOVE_VIOLATION, &[id, &s]).await?;
    }
    refresh_person_state(c, survivor).await?;
    refresh_person_state(c, merged).await?;
    super::permits::refresh_permit_periods(c, survivor).await?;
    super::permits::refresh_permit_periods(c, merged).await?;
    Ok(())
}

/// Reads, plans (see [`plan_merge`]) and writes a merge of the persons `a` and `b` stand for
/// today; an automatic one when there is no review item.
async fn merge_in(
    c: &impl GenericClient,
    a: PersonId,
    b: PersonId,
    probability: f64,
    review_item: Option<Uuid>,
    decided_by: &str,
    at: Timestamp,
) -> Result<Option<Merge>, StoreError> {
    let Some(plan) = plan_merge(&merge_snapshot(c, a, b).await?, review_item.is_none()) else { return Ok(None) };
    let Merge { merged, survivor } = plan.merge;
    move_attached(c, merged, survivor, &plan.violations).await?;
    let (m, s) = (merged.as_uuid(), survivor.as_uuid());
    c.execute(sql::INSERT_MERGE, &[&m, &s, &at, &review_item, &probability, &decided_by]).await?;
    for repoint in &plan.review {
        match repoint {
            Repoint::Supersede(id) => c.execute(sql::SUPERSEDE_ITEM, &[id]).await?,
            Repoint::Pair(id, x, y) => c.execute(sql::REPAIR_ITEM, &[id, &x.as_uuid(), &y.as_uuid()]).await?,
        };
    }
    Ok(Some(plan.merge))
}

async fn propose_in(c: &impl GenericClient, proposals: &[ReviewProposal], at: Timestamp) -> Result<u64, StoreError> {
    let mut new = 0;
    for p in proposals {
        let Some((a, b)) = proposal_pair(resolve(c, p.a).await?, resolve(c, p.b).await?) else { continue };
        let (id, a, b) = (Uuid::now_v7(), a.as_uuid(), b.as_uuid());
        new += c.execute(sql::INSERT_ITEM, &[&id, &a, &b, &p.probability, &p.weight, &p.explanation, &at]).await?;
    }
    Ok(new)
}

async fn review_person(c: &impl GenericClient, id: PersonId) -> Result<ReviewPerson, StoreError> {
    let (details, created_at, crossings): ReviewPersonRow = opt(c, sql::REVIEW_PERSON, &[&id.as_uuid()])
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("review item names person {id}, who does not exist")))?;
    let documents = all(c, DOCUMENTS_OF, &[&id.as_uuid()]).await?;
    Ok(ReviewPerson { id, details, documents, created_at, crossings })
}

async fn item(c: &impl GenericClient, row: ItemRow) -> Result<ReviewItem, StoreError> {
    let (a, b) = (review_person(c, row.person_a).await?, review_person(c, row.person_b).await?);
    Ok(row.item(a, b))
}

impl PgStore {
    pub(crate) async fn persons_for_linking(&self) -> Result<Vec<LinkPerson>, StoreError> {
        let client = self.client().await?;
        let mut documents: HashMap<PersonId, Vec<_>> = HashMap::new();
        for Holding { person, key } in all(&client, sql::DOCUMENT_KEYS, &[]).await? {
            documents.entry(person).or_default().push(key);
        }
        let mut persons: Vec<LinkPerson> = all(&client, sql::LINK_PERSONS, &[]).await?;
        for p in &mut persons {
            p.documents = documents.remove(&p.id).unwrap_or_default();
        }
        Ok(persons)
    }

    pub(crate) async fn resolve_person(&self, id: PersonId) -> Result<Option<PersonId>, StoreError> {
        resolve(&self.client().await?, id).await
    }

    pub(crate) async fn confirmed_non_matches(&self) -> Result<Vec<(PersonId, PersonId)>, StoreError> {
        let client = self.client().await?;
        let merges: Vec<(PersonId, PersonId)> = all(&client, sql::MERGES, &[]).await?;
        Ok(non_matches(&merges.into_iter().collect(), all(&client, sql::NON_MATCHES, &[]).await?))
    }

    pub(crate) async fn propose_review_items(
        &self,
        proposals: &[ReviewProposal],
        at: Timestamp,
    ) -> Result<u64, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let new = propose_in(&tx, proposals, at).await?;
        tx.commit().await?;
        Ok(new)
    }

    pub(crate) async fn pending_review_items(&self, limit: u32, offset: u32) -> Result<Vec<ReviewItem>, StoreError> {
        let client = self.client().await?;
        let rows: Vec<ItemRow> = all(&client, sql::PENDING_ITEMS, &[&i64::from(limit), &i64::from(offset)]).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(item(&client, row).await?);
        }
        Ok(out)
    }

    pub(crate) async fn review_item(&self, id: Uuid) -> Result<Option<ReviewItem>, StoreError> {
        let client = self.client().await?;
        match opt(&client, sql::ITEM, &[&id]).await? {
            Some(row) => Ok(Some(item(&client, row).await?)),
            None => Ok(None),
        }
    }

    pub(crate) async fn decide_review_item(
        &self,
        id: Uuid,
        decision: ReviewDecision,
        decided_by: &str,
        note: Option<&str>,
        at: Timestamp,
    ) -> Result<Result<DecidedReview, DecideRefusal>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let row: Option<ItemRow> = opt(&tx, &format!("{} FOR UPDATE", sql::ITEM), &[&id]).await?;
        if let Err(refusal) = DecideRefusal::check(row.as_ref().map(|r| r.status)) {
            return Ok(Err(refusal));
        }
        let Some(row) = row else { return Ok(Err(DecideRefusal::NotFound)) };
        let decided = decision.status();
        tx.execute(sql::DECIDE, &[&id, &decided.as_str(), &at, &decided_by, &note]).await?;
        let merge = match decision {
            ReviewDecision::Match => {
                merge_in(&tx, row.person_a, row.person_b, row.probability, Some(id), decided_by, at).await?
            }
            ReviewDecision::NonMatch => None,
        };
        tx.commit().await?;
        let (decided_by, note) = (decided_by.to_owned(), note.map(str::to_owned));
        Ok(Ok(DecidedReview { id, status: decided, decided_at: at, decided_by, note, merge }))
    }

    pub(crate) async fn merge_persons(
        &self,
        a: PersonId,
        b: PersonId,
        probability: f64,
        at: Timestamp,
    ) -> Result<Option<Merge>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let merge = merge_in(&tx, a, b, probability, None, AUTOMATIC, at).await?;
        tx.commit().await?;
        Ok(merge)
    }

    pub(crate) async fn reattach_merged(&self) -> Result<u64, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let stragglers: Vec<(PersonId,)> = all(&tx, sql::STRAGGLERS, &[]).await?;
        for &(merged,) in &stragglers {
            let survivor = resolve(&tx, merged)
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("merged person {merged} does not exist")))?;
            let moves = plan_violation_moves(&violations_of(&tx, [merged, survivor]).await?, merged, survivor);
            move_attached(&tx, merged, survivor, &moves).await?;
        }
        tx.commit().await?;
        Ok(stragglers.len() as u64)
    }

    pub(crate) async fn apply_link_batch(&self, batch: &LinkBatch) -> Result<LinkBatchOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let mut outcome = LinkBatchOutcome::default();
        for m in &batch.merges {
            if merge_in(&tx, m.a, m.b, m.probability, None, AUTOMATIC, batch.at).await?.is_some() {
                outcome.merged += 1;
            }
        }
        outcome.proposed = propose_in(&tx, &batch.proposals, batch.at).await?;
        let ids: Vec<Uuid> = batch.linked.iter().map(PersonId::as_uuid).collect();
        let linked = tx
            .execute(
                "INSERT INTO linked_persons (person_id, run_id) SELECT u, $2 FROM unnest($1::uuid[]) AS u
                 ON CONFLICT (person_id) DO NOTHING",
                &[&ids, &batch.run_id],
            )
            .await?;
        let counts: super::Params<'_> =
            &[&batch.run_id, &(linked as i64), &(outcome.merged as i64), &(outcome.proposed as i64)];
        tx.execute(sql::COUNT_RUN, counts).await?;
        tx.commit().await?;
        Ok(outcome)
    }
}
