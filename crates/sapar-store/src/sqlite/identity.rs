//! The SQLite side of identity resolution (see [`crate::identity`]); the statements and the
//! decoding of their rows are in `identity/sql.rs`.

use std::collections::HashMap;

use jiff::Timestamp;
use rusqlite::{Connection, Transaction, TransactionBehavior, params};
use sapar_model::PersonId;
use uuid::Uuid;

use super::{SqliteStore, all, exec, lock, opt, refresh_person_state};
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

fn micros(at: Timestamp) -> i64 {
    at.as_microsecond()
}

/// The survivor `id` resolves to through recorded merges; None when no person has this id.
pub(super) fn resolve(conn: &Connection, id: PersonId) -> Result<Option<PersonId>, StoreError> {
    if opt::<(i64,)>(conn, PERSON_EXISTS, [id.as_uuid()])?.is_none() {
        return Ok(None);
    }
    let mut current = id;
    for _ in 0..MAX_MERGE_CHAIN {
        match opt(conn, sql::SURVIVOR, [current.as_uuid()])? {
            Some((survivor,)) => current = survivor,
            None => return Ok(Some(current)),
        }
    }
    Err(StoreError::Corrupt(format!("merge chain from person {id} is longer than {MAX_MERGE_CHAIN}")))
}

/// The violations of two persons, for planning what a merge does with them.
fn violations_of(conn: &Connection, [a, b]: [PersonId; 2]) -> Result<Vec<StoredViolation>, StoreError> {
    all(conn, sql::VIOLATIONS_OF, [a.as_uuid(), b.as_uuid()])
}

/// Reads what a merge of the persons `a` and `b` stand for today is decided on.
fn merge_snapshot(conn: &Connection, a: PersonId, b: PersonId) -> Result<MergeSnapshot, StoreError> {
    let unknown = |id: PersonId| StoreError::Corrupt(format!("merge names person {id}, who does not exist"));
    let ra = resolve(conn, a)?.ok_or_else(|| unknown(a))?;
    let rb = resolve(conn, b)?.ok_or_else(|| unknown(b))?;
    let (a, b) = merge_sides(&all(conn, sql::CREATED, [ra.as_uuid(), rb.as_uuid()])?, ra, rb)?;
    let items = all(conn, sql::ITEMS_OF, [ra.as_uuid(), rb.as_uuid()])?;
    Ok(MergeSnapshot { a, b, items, violations: violations_of(conn, [ra, rb])? })
}

/// Moves documents, crossings, permits, bans, expulsions, control entries and events of `merged` to
/// `survivor`, writes the planned moves of its violations, and recomputes both persons' derived
/// state from what they hold now.
fn move_attached(
    tx: &Transaction<'_>,
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
        exec(tx, statement, [m, s])?;
    }
    exec(tx, search::DROP_NAME_KEYS, [m])?;
    for id in &violations.delete {
        exec(tx, sql::DELETE_VIOLATION, [id])?;
    }
    for id in &violations.to_survivor {
        exec(tx, sql::MOVE_VIOLATION, [*id, s])?;
    }
    refresh_person_state(tx, survivor)?;
    refresh_person_state(tx, merged)?;
    super::permits::refresh_permit_periods(tx, survivor)?;
    super::permits::refresh_permit_periods(tx, merged)?;
    Ok(())
}

/// Reads, plans (see [`plan_merge`]) and writes a merge of the persons `a` and `b` stand for
/// today; an automatic one when there is no review item.
fn merge_in(
    tx: &Transaction<'_>,
    a: PersonId,
    b: PersonId,
    probability: f64,
    review_item: Option<Uuid>,
    decided_by: &str,
    at: Timestamp,
) -> Result<Option<Merge>, StoreError> {
    let Some(plan) = plan_merge(&merge_snapshot(tx, a, b)?, review_item.is_none()) else { return Ok(None) };
    let Merge { merged, survivor } = plan.merge;
    move_attached(tx, merged, survivor, &plan.violations)?;
    let (m, s) = (merged.as_uuid(), survivor.as_uuid());
    exec(tx, sql::INSERT_MERGE, params![m, s, micros(at), review_item, probability, decided_by])?;
    for repoint in &plan.review {
        match repoint {
            Repoint::Supersede(id) => exec(tx, sql::SUPERSEDE_ITEM, [id])?,
            Repoint::Pair(id, x, y) => exec(tx, sql::REPAIR_ITEM, [*id, x.as_uuid(), y.as_uuid()])?,
        };
    }
    Ok(Some(plan.merge))
}

fn propose_in(tx: &Transaction<'_>, proposals: &[ReviewProposal], at: Timestamp) -> Result<u64, StoreError> {
    let mut new = 0;
    for p in proposals {
        let Some((a, b)) = proposal_pair(resolve(tx, p.a)?, resolve(tx, p.b)?) else { continue };
        let (id, a, b) = (Uuid::now_v7(), a.as_uuid(), b.as_uuid());
        new +=
            exec(tx, sql::INSERT_ITEM, params![id, a, b, p.probability, p.weight, p.explanation, micros(at)])? as u64;
    }
    Ok(new)
}

fn review_person(conn: &Connection, id: PersonId) -> Result<ReviewPerson, StoreError> {
    let (details, created_at, crossings): ReviewPersonRow = opt(conn, sql::REVIEW_PERSON, [id.as_uuid()])?
        .ok_or_else(|| StoreError::Corrupt(format!("review item names person {id}, who does not exist")))?;
    let documents = all(conn, DOCUMENTS_OF, [id.as_uuid()])?;
    Ok(ReviewPerson { id, details, documents, created_at, crossings })
}

fn item(conn: &Connection, row: ItemRow) -> Result<ReviewItem, StoreError> {
    let (a, b) = (review_person(conn, row.person_a)?, review_person(conn, row.person_b)?);
    Ok(row.item(a, b))
}

impl SqliteStore {
    pub(crate) fn persons_for_linking(&self) -> Result<Vec<LinkPerson>, StoreError> {
        let conn = self.reader()?;
        let mut documents: HashMap<PersonId, Vec<_>> = HashMap::new();
        for Holding { person, key } in all(&conn, sql::DOCUMENT_KEYS, [])? {
            documents.entry(person).or_default().push(key);
        }
        let mut persons: Vec<LinkPerson> = all(&conn, sql::LINK_PERSONS, [])?;
        for p in &mut persons {
            p.documents = documents.remove(&p.id).unwrap_or_default();
        }
        Ok(persons)
    }

    pub(crate) fn resolve_person(&self, id: PersonId) -> Result<Option<PersonId>, StoreError> {
        resolve(&*self.reader()?, id)
    }

    pub(crate) fn confirmed_non_matches(&self) -> Result<Vec<(PersonId, PersonId)>, StoreError> {
        let conn = self.reader()?;
        let merges: Vec<(PersonId, PersonId)> = all(&conn, sql::MERGES, [])?;
        Ok(non_matches(&merges.into_iter().collect(), all(&conn, sql::NON_MATCHES, [])?))
    }

    pub(crate) fn propose_review_items(&self, proposals: &[ReviewProposal], at: Timestamp) -> Result<u64, StoreError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let new = propose_in(&tx, proposals, at)?;
        tx.commit()?;
        Ok(new)
    }

    pub(crate) fn pending_review_items(&self, limit: u32, offset: u32) -> Result<Vec<ReviewItem>, StoreError> {
        let conn = self.reader()?;
        let rows: Vec<ItemRow> = all(&conn, sql::PENDING_ITEMS, [limit, offset])?;
        rows.into_iter().map(|row| item(&conn, row)).collect()
    }

    pub(crate) fn review_item(&self, id: Uuid) -> Result<Option<ReviewItem>, StoreError> {
        let conn = self.reader()?;
        opt(&conn, sql::ITEM, [id])?.map(|row| item(&conn, row)).transpose()
    }

    pub(crate) fn decide_review_item(
        &self,
        id: Uuid,
        decision: ReviewDecision,
        decided_by: &str,
        note: Option<&str>,
        at: Timestamp,
    ) -> Result<Result<DecidedReview, DecideRefusal>, StoreError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row: Option<ItemRow> = opt(&tx, sql::ITEM, [id])?;
        if let Err(refusal) = DecideRefusal::check(row.as_ref().map(|r| r.status)) {
            return Ok(Err(refusal));
        }
        let Some(row) = row else { return Ok(Err(DecideRefusal::NotFound)) };
        let decided = decision.status();
        exec(&tx, sql::DECIDE, params![id, decided.as_str(), micros(at), decided_by, note])?;
        let merge = match decision {
            ReviewDecision::Match => {
                merge_in(&tx, row.person_a, row.person_b, row.probability, Some(id), decided_by, at)?
            }
            ReviewDecision::NonMatch => None,
        };
        tx.commit()?;
        let (decided_by, note) = (decided_by.to_owned(), note.map(str::to_owned));
        Ok(Ok(DecidedReview { id, status: decided, decided_at: at, decided_by, note, merge }))
    }

    pub(crate) fn merge_persons(
        &self,
        a: PersonId,
        b: PersonId,
        probability: f64,
        at: Timestamp,
    ) -> Result<Option<Merge>, StoreError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let merge = merge_in(&tx, a, b, probability, None, AUTOMATIC, at)?;
        tx.commit()?;
        Ok(merge)
    }

    pub(crate) fn reattach_merged(&self) -> Result<u64, StoreError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let stragglers: Vec<(PersonId,)> = all(&tx, sql::STRAGGLERS, [])?;
        for &(merged,) in &stragglers {
            let survivor = resolve(&tx, merged)?
                .ok_or_else(|| StoreError::Corrupt(format!("merged person {merged} does not exist")))?;
            let moves = plan_violation_moves(&violations_of(&tx, [merged, survivor])?, merged, survivor);
            move_attached(&tx, merged, survivor, &moves)?;
        }
        tx.commit()?;
        Ok(stragglers.len() as u64)
    }

    pub(crate) fn apply_link_batch(&self, batch: &LinkBatch) -> Result<LinkBatchOutcome, StoreError> {
        let mut conn = lock(&self.writer)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut outcome = LinkBatchOutcome::default();
        for m in &batch.merges {
            if merge_in(&tx, m.a, m.b, m.probability, None, AUTOMATIC, batch.at)?.is_some() {
                outcome.merged += 1;
            }
        }
        outcome.proposed = propose_in(&tx, &batch.proposals, batch.at)?;
        let mut linked = 0u64;
        for id in &batch.linked {
            let insert =
                "INSERT INTO linked_persons (person_id, run_id) VALUES ($1, $2) ON CONFLICT (person_id) DO NOTHING";
            linked += exec(&tx, insert, [id.as_uuid(), batch.run_id])? as u64;
        }
        let counts = params![batch.run_id, linked as i64, outcome.merged as i64, outcome.proposed as i64];
        exec(&tx, sql::COUNT_RUN, counts)?;
        tx.commit()?;
        Ok(outcome)
    }
}
