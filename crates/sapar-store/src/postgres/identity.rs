//! The PostgreSQL side of identity resolution (see [`crate::identity`]).

use std::collections::HashMap;

use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use sapar_model::{DocumentKey, IdentityDocument, PersonDetails, PersonId};
use tokio_postgres::Row;
use uuid::Uuid;

use super::{PgStore, refresh_person_state};
use crate::decode;
use crate::error::StoreError;
use crate::identity::plan::{
    MergeSide, MergeSnapshot, Repoint, StoredItem, StoredViolation, ViolationMoves, non_matches, plan_merge,
    plan_violation_moves, proposal_pair,
};
use crate::identity::{
    AUTOMATIC, DecideRefusal, DecidedReview, LinkBatch, LinkBatchOutcome, LinkPerson, LinkRunStart, MAX_MERGE_CHAIN,
    Merge, ReviewDecision, ReviewItem, ReviewPerson, ReviewProposal, ReviewStatus, StoredModel,
};

const DETAIL_COLUMNS: &str = "p.surname_native, p.given_names_native, p.patronymic_native, p.surname_latin,
    p.given_names_latin, p.patronymic_latin, p.sex, p.birth_date, p.citizenship";

/// Name, sex, birth date and citizenship from the columns of [`DETAIL_COLUMNS`] at `first`.
fn details(r: &Row, first: usize) -> Result<PersonDetails, StoreError> {
    let part = |i: usize| r.try_get::<_, Option<String>>(first + i);
    Ok(PersonDetails {
        name: decode::person_name([part(0)?, part(1)?, part(2)?], [part(3)?, part(4)?, part(5)?])?,
        sex: decode::sex(r.try_get(first + 6)?)?,
        birth_date: r.try_get(first + 7)?,
        citizenship: decode::country(r.try_get(first + 8)?)?,
    })
}

fn pid(r: &Row, i: usize) -> Result<PersonId, StoreError> {
    Ok(PersonId::from_uuid(r.try_get(i)?))
}

/// The survivor `id` resolves to through recorded merges; None when no person has this id.
async fn resolve(c: &impl GenericClient, id: PersonId) -> Result<Option<PersonId>, StoreError> {
    if c.query_opt("SELECT 1 FROM persons WHERE id = $1", &[&id.as_uuid()]).await?.is_none() {
        return Ok(None);
    }
    let mut current = id;
    for _ in 0..MAX_MERGE_CHAIN {
        match c.query_opt("SELECT survivor_id FROM person_merges WHERE merged_id = $1", &[&current.as_uuid()]).await? {
            Some(r) => current = pid(&r, 0)?,
            None => return Ok(Some(current)),
        }
    }
    Err(StoreError::Corrupt(format!("merge chain from person {id} is longer than {MAX_MERGE_CHAIN}")))
}

/// The violations of two persons, for planning what a merge does with them.
async fn violations_of(c: &impl GenericClient, persons: [PersonId; 2]) -> Result<Vec<StoredViolation>, StoreError> {
    let ids = persons.map(|p| p.as_uuid());
    let rows = c
        .query("SELECT id, person_id, kind, stay_entry, status FROM violations WHERE person_id = ANY($1)", &[&&ids[..]])
        .await?;
    rows.iter()
        .map(|r| {
            Ok(StoredViolation {
                id: r.try_get(0)?,
                person: pid(r, 1)?,
                kind: r.try_get(2)?,
                stay_entry: r.try_get(3)?,
                decided: r.try_get::<_, &str>(4)? != "draft",
            })
        })
        .collect()
}

/// Reads what a merge of the persons `a` and `b` stand for today is decided on. Both person rows
/// are locked first, in id order, so a concurrent batch recording a crossing for either waits
/// for the merge (or the merge for it).
async fn merge_snapshot(c: &impl GenericClient, a: PersonId, b: PersonId) -> Result<MergeSnapshot, StoreError> {
    let unknown = |id: PersonId| StoreError::Corrupt(format!("merge names person {id}, who does not exist"));
    let ra = resolve(c, a).await?.ok_or_else(|| unknown(a))?;
    let rb = resolve(c, b).await?.ok_or_else(|| unknown(b))?;
    let ids = vec![ra.as_uuid(), rb.as_uuid()];
    let created: HashMap<Uuid, Timestamp> = c
        .query("SELECT id, created_at FROM persons WHERE id = ANY($1) ORDER BY id FOR UPDATE", &[&ids])
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_, StoreError>>()?;
    let side = |person: PersonId| -> Result<MergeSide, StoreError> {
        let created_at = *created.get(&person.as_uuid()).ok_or_else(|| unknown(person))?;
        Ok(MergeSide { person, created_at })
    };
    let items = c
        .query(
            "SELECT id, person_a, person_b, status FROM review_items
             WHERE person_a = ANY($1) OR person_b = ANY($1)",
            &[&ids],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(StoredItem {
                id: r.try_get(0)?,
                a: pid(r, 1)?,
                b: pid(r, 2)?,
                status: ReviewStatus::parse(r.try_get(3)?)?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(MergeSnapshot { a: side(ra)?, b: side(rb)?, items, violations: violations_of(c, [ra, rb]).await? })
}

/// Moves documents, crossings and permits of `merged` to `survivor`, writes the planned moves of
/// its violations, and recomputes both persons' derived state from what they hold now.
async fn move_attached(
    c: &impl GenericClient,
    merged: PersonId,
    survivor: PersonId,
    violations: &ViolationMoves,
) -> Result<(), StoreError> {
    let (m, s) = (merged.as_uuid(), survivor.as_uuid());
    c.execute("UPDATE documents SET person_id = $2 WHERE person_id = $1", &[&m, &s]).await?;
    c.execute("UPDATE crossings SET person_id = $2 WHERE person_id = $1", &[&m, &s]).await?;
    c.execute("UPDATE permits SET person_id = $2 WHERE person_id = $1", &[&m, &s]).await?;
    c.execute("DELETE FROM violations WHERE id = ANY($1)", &[&violations.delete]).await?;
    c.execute("UPDATE violations SET person_id = $2 WHERE id = ANY($1)", &[&violations.to_survivor, &s]).await?;
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
    c.execute(
        "INSERT INTO person_merges (merged_id, survivor_id, merged_at, review_item_id, probability, decided_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[&merged.as_uuid(), &survivor.as_uuid(), &at, &review_item, &probability, &decided_by],
    )
    .await?;
    for repoint in &plan.review {
        match repoint {
            Repoint::Supersede(id) => {
                c.execute("UPDATE review_items SET status = 'superseded' WHERE id = $1", &[id]).await?
            }
            Repoint::Pair(id, x, y) => {
                c.execute(
                    "UPDATE review_items SET person_a = $2, person_b = $3 WHERE id = $1",
                    &[id, &x.as_uuid(), &y.as_uuid()],
                )
                .await?
            }
        };
    }
    Ok(Some(plan.merge))
}

async fn propose_in(c: &impl GenericClient, proposals: &[ReviewProposal], at: Timestamp) -> Result<u64, StoreError> {
    let mut new = 0;
    for p in proposals {
        let Some((a, b)) = proposal_pair(resolve(c, p.a).await?, resolve(c, p.b).await?) else { continue };
        new += c
            .execute(
                "INSERT INTO review_items (id, person_a, person_b, probability, weight, explanation, status,
                     created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)
                 ON CONFLICT (person_a, person_b) DO NOTHING",
                &[&Uuid::now_v7(), &a.as_uuid(), &b.as_uuid(), &p.probability, &p.weight, &p.explanation, &at],
            )
            .await?;
    }
    Ok(new)
}

async fn review_person(c: &impl GenericClient, id: PersonId) -> Result<ReviewPerson, StoreError> {
    let row = c
        .query_opt(
            &format!(
                "SELECT {DETAIL_COLUMNS}, p.created_at, (SELECT COUNT(*) FROM crossings x WHERE x.person_id = p.id)
                 FROM persons p WHERE p.id = $1"
            ),
            &[&id.as_uuid()],
        )
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("review item names person {id}, who does not exist")))?;
    let mut documents = Vec::new();
    for r in c
        .query(
            "SELECT document_type, issuing_state, number, expiry FROM documents WHERE person_id = $1
             ORDER BY issuing_state, number",
            &[&id.as_uuid()],
        )
        .await?
    {
        documents.push(IdentityDocument {
            document_type: decode::document_type(r.try_get(0)?)?,
            key: decode::document_key(r.try_get(1)?, r.try_get(2)?)?,
            expiry: r.try_get(3)?,
        });
    }
    Ok(ReviewPerson {
        id,
        details: details(&row, 0)?,
        documents,
        created_at: row.try_get(9)?,
        crossings: row.try_get(10)?,
    })
}

const ITEM_COLUMNS: &str =
    "id, person_a, person_b, probability, weight, explanation, status, created_at, decided_at, decided_by, note";

async fn item(c: &impl GenericClient, r: &Row) -> Result<ReviewItem, StoreError> {
    Ok(ReviewItem {
        id: r.try_get(0)?,
        person_a: review_person(c, pid(r, 1)?).await?,
        person_b: review_person(c, pid(r, 2)?).await?,
        probability: r.try_get(3)?,
        weight: r.try_get(4)?,
        explanation: r.try_get(5)?,
        status: ReviewStatus::parse(r.try_get(6)?)?,
        created_at: r.try_get(7)?,
        decided_at: r.try_get(8)?,
        decided_by: r.try_get(9)?,
        note: r.try_get(10)?,
    })
}

impl PgStore {
    pub(crate) async fn persons_for_linking(&self) -> Result<Vec<LinkPerson>, StoreError> {
        let client = self.client().await?;
        let mut documents: HashMap<Uuid, Vec<DocumentKey>> = HashMap::new();
        for r in client
            .query(
                "SELECT person_id, issuing_state, number FROM documents ORDER BY person_id, issuing_state, number",
                &[],
            )
            .await?
        {
            documents.entry(r.try_get(0)?).or_default().push(decode::document_key(r.try_get(1)?, r.try_get(2)?)?);
        }
        let rows = client
            .query(
                &format!(
                    "SELECT p.id, {DETAIL_COLUMNS}, p.created_at,
                            EXISTS (SELECT 1 FROM linked_persons l WHERE l.person_id = p.id)
                     FROM persons p
                     WHERE NOT EXISTS (SELECT 1 FROM person_merges m WHERE m.merged_id = p.id)
                     ORDER BY p.created_at, p.id"
                ),
                &[],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let id: Uuid = r.try_get(0)?;
                Ok(LinkPerson {
                    id: PersonId::from_uuid(id),
                    details: details(r, 1)?,
                    documents: documents.remove(&id).unwrap_or_default(),
                    created_at: r.try_get(10)?,
                    linked: r.try_get(11)?,
                })
            })
            .collect()
    }

    pub(crate) async fn resolve_person(&self, id: PersonId) -> Result<Option<PersonId>, StoreError> {
        resolve(&self.client().await?, id).await
    }

    pub(crate) async fn merged_into(&self, survivor: PersonId) -> Result<Vec<PersonId>, StoreError> {
        let rows = self
            .client()
            .await?
            .query(
                "WITH RECURSIVE chain (id) AS (
                     SELECT merged_id FROM person_merges WHERE survivor_id = $1
                     UNION SELECT m.merged_id FROM person_merges m JOIN chain c ON m.survivor_id = c.id)
                 SELECT m.merged_id FROM chain c JOIN person_merges m ON m.merged_id = c.id
                 ORDER BY m.merged_at, m.merged_id",
                &[&survivor.as_uuid()],
            )
            .await?;
        rows.iter().map(|r| pid(r, 0)).collect()
    }

    pub(crate) async fn save_link_model(&self, model: &StoredModel) -> Result<(), StoreError> {
        self.client()
            .await?
            .execute(
                "INSERT INTO link_models (id, config, model, persons, fitted_at) VALUES ($1, $2, $3, $4, $5)",
                &[&model.id, &model.config, &model.model, &model.persons, &model.fitted_at],
            )
            .await?;
        Ok(())
    }

    pub(crate) async fn latest_link_model(&self) -> Result<Option<StoredModel>, StoreError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT id, config, model, persons, fitted_at FROM link_models ORDER BY fitted_at DESC, id DESC LIMIT 1",
                &[],
            )
            .await?;
        row.map(|r| {
            Ok(StoredModel {
                id: r.try_get(0)?,
                config: r.try_get(1)?,
                model: r.try_get(2)?,
                persons: r.try_get(3)?,
                fitted_at: r.try_get(4)?,
            })
        })
        .transpose()
    }

    pub(crate) async fn confirmed_non_matches(&self) -> Result<Vec<(PersonId, PersonId)>, StoreError> {
        let client = self.client().await?;
        let mut merges = HashMap::new();
        for r in client.query("SELECT merged_id, survivor_id FROM person_merges", &[]).await? {
            merges.insert(pid(&r, 0)?, pid(&r, 1)?);
        }
        let rows = client.query("SELECT person_a, person_b FROM review_items WHERE status = 'non_match'", &[]).await?;
        let pairs = rows.iter().map(|r| Ok((pid(r, 0)?, pid(r, 1)?))).collect::<Result<Vec<_>, StoreError>>()?;
        Ok(non_matches(&merges, pairs))
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
        let rows = client
            .query(
                &format!(
                    "SELECT {ITEM_COLUMNS} FROM review_items WHERE status = 'pending'
                     ORDER BY probability DESC, created_at DESC, id LIMIT $1 OFFSET $2"
                ),
                &[&i64::from(limit), &i64::from(offset)],
            )
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(item(&client, r).await?);
        }
        Ok(out)
    }

    pub(crate) async fn pending_review_count(&self) -> Result<i64, StoreError> {
        let row =
            self.client().await?.query_one("SELECT COUNT(*) FROM review_items WHERE status = 'pending'", &[]).await?;
        Ok(row.try_get(0)?)
    }

    pub(crate) async fn review_item(&self, id: Uuid) -> Result<Option<ReviewItem>, StoreError> {
        let client = self.client().await?;
        let row = client.query_opt(&format!("SELECT {ITEM_COLUMNS} FROM review_items WHERE id = $1"), &[&id]).await?;
        match row {
            Some(r) => Ok(Some(item(&client, &r).await?)),
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
        let row = tx
            .query_opt(
                "SELECT status, person_a, person_b, probability FROM review_items WHERE id = $1 FOR UPDATE",
                &[&id],
            )
            .await?;
        let status = row.as_ref().map(|r| ReviewStatus::parse(r.try_get(0)?)).transpose()?;
        if let Err(refusal) = DecideRefusal::check(status) {
            return Ok(Err(refusal));
        }
        let Some(row) = row else { return Ok(Err(DecideRefusal::NotFound)) };
        let decided = decision.status();
        tx.execute(
            "UPDATE review_items SET status = $2, decided_at = $3, decided_by = $4, note = $5 WHERE id = $1",
            &[&id, &decided.as_str(), &at, &decided_by, &note],
        )
        .await?;
        let merge = match decision {
            ReviewDecision::Match => {
                let probability: f64 = row.try_get(3)?;
                merge_in(&tx, pid(&row, 1)?, pid(&row, 2)?, probability, Some(id), decided_by, at).await?
            }
            ReviewDecision::NonMatch => None,
        };
        tx.commit().await?;
        Ok(Ok(DecidedReview {
            id,
            status: decided,
            decided_at: at,
            decided_by: decided_by.to_owned(),
            note: note.map(str::to_owned),
            merge,
        }))
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
        let stragglers = tx
            .query(
                "SELECT m.merged_id FROM person_merges m
                 WHERE EXISTS (SELECT 1 FROM documents d WHERE d.person_id = m.merged_id)
                    OR EXISTS (SELECT 1 FROM crossings c WHERE c.person_id = m.merged_id)",
                &[],
            )
            .await?;
        for r in &stragglers {
            let merged = pid(r, 0)?;
            let survivor = resolve(&tx, merged)
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("merged person {merged} does not exist")))?;
            let moves = plan_violation_moves(&violations_of(&tx, [merged, survivor]).await?, merged, survivor);
            move_attached(&tx, merged, survivor, &moves).await?;
        }
        tx.commit().await?;
        Ok(stragglers.len() as u64)
    }

    pub(crate) async fn start_link_run(&self, run: &LinkRunStart) -> Result<(), StoreError> {
        self.client()
            .await?
            .execute(
                "INSERT INTO link_runs (id, model_id, started_at, lower, upper) VALUES ($1, $2, $3, $4, $5)",
                &[&run.id, &run.model_id, &run.started_at, &run.lower, &run.upper],
            )
            .await?;
        Ok(())
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
        tx.execute(
            "UPDATE link_runs SET linked = linked + $2, merged = merged + $3, proposed = proposed + $4 WHERE id = $1",
            &[&batch.run_id, &(linked as i64), &(outcome.merged as i64), &(outcome.proposed as i64)],
        )
        .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    pub(crate) async fn finish_link_run(&self, id: Uuid, at: Timestamp) -> Result<(), StoreError> {
        self.client().await?.execute("UPDATE link_runs SET finished_at = $2 WHERE id = $1", &[&id, &at]).await?;
        Ok(())
    }
}
