//! The SQLite side of identity resolution (see [`crate::identity`]).

use std::collections::HashMap;

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};
use sapar_model::{DocumentKey, IdentityDocument, PersonDetails, PersonId};
use uuid::Uuid;

use super::{SqliteStore, lock, refresh_person_state, uuid_from_blob};
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

fn blob(id: PersonId) -> [u8; 16] {
    *id.as_uuid().as_bytes()
}

fn person_id(bytes: &[u8]) -> Result<PersonId, StoreError> {
    Ok(PersonId::from_uuid(uuid_from_blob(bytes)?))
}

fn text(row: &Row<'_>, i: usize) -> Result<Option<String>, StoreError> {
    Ok(row.get::<_, Option<String>>(i)?)
}

/// Name, sex, birth date and citizenship from the person columns starting at `first`, in the
/// order of [`DETAIL_COLUMNS`].
fn details(row: &Row<'_>, first: usize) -> Result<PersonDetails, StoreError> {
    let native = [text(row, first)?, text(row, first + 1)?, text(row, first + 2)?];
    let latin = [text(row, first + 3)?, text(row, first + 4)?, text(row, first + 5)?];
    let sex: String = row.get(first + 6)?;
    let birth: Option<String> = row.get(first + 7)?;
    let citizenship: String = row.get(first + 8)?;
    Ok(PersonDetails {
        name: decode::person_name(native, latin)?,
        sex: decode::sex(&sex)?,
        birth_date: birth.as_deref().map(decode::date).transpose()?,
        citizenship: decode::country(&citizenship)?,
    })
}

const DETAIL_COLUMNS: &str = "p.surname_native, p.given_names_native, p.patronymic_native, p.surname_latin,
    p.given_names_latin, p.patronymic_latin, p.sex, p.birth_date, p.citizenship";

fn micros(at: Timestamp) -> i64 {
    at.as_microsecond()
}

/// The survivor `id` resolves to through recorded merges; None when no person has this id.
fn resolve(conn: &Connection, id: PersonId) -> Result<Option<PersonId>, StoreError> {
    let exists = conn
        .prepare_cached("SELECT 1 FROM persons WHERE id = ?1")?
        .query_row(params![blob(id)], |_| Ok(()))
        .optional()?
        .is_some();
    if !exists {
        return Ok(None);
    }
    let mut next = conn.prepare_cached("SELECT survivor_id FROM person_merges WHERE merged_id = ?1")?;
    let mut current = id;
    for _ in 0..MAX_MERGE_CHAIN {
        match next.query_row(params![blob(current)], |r| r.get::<_, Vec<u8>>(0)).optional()? {
            Some(survivor) => current = person_id(&survivor)?,
            None => return Ok(Some(current)),
        }
    }
    Err(StoreError::Corrupt(format!("merge chain from person {id} is longer than {MAX_MERGE_CHAIN}")))
}

fn created_at(conn: &Connection, id: PersonId) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT created_at FROM persons WHERE id = ?1")?
        .query_row(params![blob(id)], |r| r.get(0))?)
}

/// The violations of two persons, for planning what a merge does with them.
fn violations_of(conn: &Connection, persons: [PersonId; 2]) -> Result<Vec<StoredViolation>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT id, person_id, kind, stay_entry, status FROM violations WHERE person_id IN (?1, ?2)")?;
    let mut rows = stmt.query(params![blob(persons[0]), blob(persons[1])])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(StoredViolation {
            id: uuid_from_blob(&r.get::<_, Vec<u8>>(0)?)?,
            person: person_id(&r.get::<_, Vec<u8>>(1)?)?,
            kind: r.get(2)?,
            stay_entry: decode::date(&r.get::<_, String>(3)?)?,
            decided: r.get::<_, String>(4)? != "draft",
        });
    }
    Ok(out)
}

/// Reads what a merge of the persons `a` and `b` stand for today is decided on.
fn merge_snapshot(conn: &Connection, a: PersonId, b: PersonId) -> Result<MergeSnapshot, StoreError> {
    let side = |id: PersonId| -> Result<MergeSide, StoreError> {
        let person = resolve(conn, id)?
            .ok_or_else(|| StoreError::Corrupt(format!("merge names person {id}, who does not exist")))?;
        Ok(MergeSide { person, created_at: decode::timestamp_micros(created_at(conn, person)?)? })
    };
    let (a, b) = (side(a)?, side(b)?);
    let mut stmt = conn.prepare_cached(
        "SELECT id, person_a, person_b, status FROM review_items
         WHERE person_a IN (?1, ?2) OR person_b IN (?1, ?2)",
    )?;
    let mut rows = stmt.query(params![blob(a.person), blob(b.person)])?;
    let mut items = Vec::new();
    while let Some(r) = rows.next()? {
        items.push(StoredItem {
            id: uuid_from_blob(&r.get::<_, Vec<u8>>(0)?)?,
            a: person_id(&r.get::<_, Vec<u8>>(1)?)?,
            b: person_id(&r.get::<_, Vec<u8>>(2)?)?,
            status: ReviewStatus::parse(&r.get::<_, String>(3)?)?,
        });
    }
    Ok(MergeSnapshot { a, b, items, violations: violations_of(conn, [a.person, b.person])? })
}

/// Moves documents, crossings and permits of `merged` to `survivor`, writes the planned moves of
/// its violations, and recomputes both persons' derived state from what they hold now.
fn move_attached(
    tx: &Transaction<'_>,
    merged: PersonId,
    survivor: PersonId,
    violations: &ViolationMoves,
) -> Result<(), StoreError> {
    let (m, s) = (blob(merged), blob(survivor));
    tx.prepare_cached("UPDATE documents SET person_id = ?2 WHERE person_id = ?1")?.execute(params![m, s])?;
    tx.prepare_cached("UPDATE crossings SET person_id = ?2 WHERE person_id = ?1")?.execute(params![m, s])?;
    tx.prepare_cached("UPDATE permits SET person_id = ?2 WHERE person_id = ?1")?.execute(params![m, s])?;
    for id in &violations.delete {
        tx.prepare_cached("DELETE FROM violations WHERE id = ?1")?.execute(params![id.as_bytes().as_slice()])?;
    }
    for id in &violations.to_survivor {
        tx.prepare_cached("UPDATE violations SET person_id = ?2 WHERE id = ?1")?
            .execute(params![id.as_bytes().as_slice(), s])?;
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
    tx.prepare_cached(
        "INSERT INTO person_merges (merged_id, survivor_id, merged_at, review_item_id, probability, decided_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        blob(merged),
        blob(survivor),
        micros(at),
        review_item.map(|u| u.as_bytes().to_vec()),
        probability,
        decided_by
    ])?;
    for repoint in &plan.review {
        match repoint {
            Repoint::Supersede(id) => tx
                .prepare_cached("UPDATE review_items SET status = 'superseded' WHERE id = ?1")?
                .execute(params![id.as_bytes().as_slice()])?,
            Repoint::Pair(id, x, y) => tx
                .prepare_cached("UPDATE review_items SET person_a = ?2, person_b = ?3 WHERE id = ?1")?
                .execute(params![id.as_bytes().as_slice(), blob(*x), blob(*y)])?,
        };
    }
    Ok(Some(plan.merge))
}

fn propose_in(tx: &Transaction<'_>, proposals: &[ReviewProposal], at: Timestamp) -> Result<u64, StoreError> {
    let mut new = 0;
    for p in proposals {
        let Some((a, b)) = proposal_pair(resolve(tx, p.a)?, resolve(tx, p.b)?) else { continue };
        new += tx
            .prepare_cached(
                "INSERT INTO review_items (id, person_a, person_b, probability, weight, explanation, status,
                     created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7)
                 ON CONFLICT (person_a, person_b) DO NOTHING",
            )?
            .execute(params![
                Uuid::now_v7().as_bytes().as_slice(),
                blob(a),
                blob(b),
                p.probability,
                p.weight,
                p.explanation,
                micros(at)
            ])? as u64;
    }
    Ok(new)
}

fn review_person(conn: &Connection, id: PersonId) -> Result<ReviewPerson, StoreError> {
    let (details, created) = conn
        .prepare_cached(&format!("SELECT {DETAIL_COLUMNS}, p.created_at FROM persons p WHERE p.id = ?1"))?
        .query_row(params![blob(id)], |r| Ok((details(r, 0), r.get::<_, i64>(9)?)))
        .optional()?
        .ok_or_else(|| StoreError::Corrupt(format!("review item names person {id}, who does not exist")))?;
    let mut documents = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT document_type, issuing_state, number, expiry FROM documents WHERE person_id = ?1
         ORDER BY issuing_state, number",
    )?;
    let mut rows = stmt.query(params![blob(id)])?;
    while let Some(r) = rows.next()? {
        let expiry: Option<String> = r.get(3)?;
        documents.push(IdentityDocument {
            document_type: decode::document_type(&r.get::<_, String>(0)?)?,
            key: decode::document_key(&r.get::<_, String>(1)?, &r.get::<_, String>(2)?)?,
            expiry: expiry.as_deref().map(decode::date).transpose()?,
        });
    }
    let crossings: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM crossings WHERE person_id = ?1")?
        .query_row(params![blob(id)], |r| r.get(0))?;
    Ok(ReviewPerson { id, details: details?, documents, created_at: decode::timestamp_micros(created)?, crossings })
}

const ITEM_COLUMNS: &str =
    "id, person_a, person_b, probability, weight, explanation, status, created_at, decided_at, decided_by, note";

type RawItem = (Vec<u8>, Vec<u8>, Vec<u8>, f64, f64, String, String, i64, Option<i64>, Option<String>, Option<String>);

fn raw_item(r: &Row<'_>) -> rusqlite::Result<RawItem> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
    ))
}

fn item(conn: &Connection, raw: RawItem) -> Result<ReviewItem, StoreError> {
    let (id, a, b, probability, weight, explanation, status, created, decided_at, decided_by, note) = raw;
    Ok(ReviewItem {
        id: uuid_from_blob(&id)?,
        person_a: review_person(conn, person_id(&a)?)?,
        person_b: review_person(conn, person_id(&b)?)?,
        probability,
        weight,
        explanation,
        status: ReviewStatus::parse(&status)?,
        created_at: decode::timestamp_micros(created)?,
        decided_at: decided_at.map(decode::timestamp_micros).transpose()?,
        decided_by,
        note,
    })
}

impl SqliteStore {
    pub(crate) fn persons_for_linking(&self) -> Result<Vec<LinkPerson>, StoreError> {
        let conn = self.reader()?;
        let mut documents: HashMap<[u8; 16], Vec<DocumentKey>> = HashMap::new();
        {
            let mut stmt = conn.prepare(
                "SELECT person_id, issuing_state, number FROM documents ORDER BY person_id, issuing_state, number",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: [u8; 16] = r
                    .get_ref(0)?
                    .as_blob()
                    .map_err(rusqlite::Error::from)?
                    .try_into()
                    .map_err(|_| StoreError::Corrupt("uuid blob".into()))?;
                let key = decode::document_key(
                    r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?,
                    r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?,
                )?;
                documents.entry(id).or_default().push(key);
            }
        }
        let mut stmt = conn.prepare(&format!(
            "SELECT p.id, {DETAIL_COLUMNS}, p.created_at,
                    EXISTS (SELECT 1 FROM linked_persons l WHERE l.person_id = p.id)
             FROM persons p
             WHERE NOT EXISTS (SELECT 1 FROM person_merges m WHERE m.merged_id = p.id)
             ORDER BY p.created_at, p.id"
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let raw: Vec<u8> = r.get(0)?;
            let id: [u8; 16] = raw.as_slice().try_into().map_err(|_| StoreError::Corrupt("uuid blob".into()))?;
            out.push(LinkPerson {
                id: PersonId::from_uuid(Uuid::from_bytes(id)),
                details: details(r, 1)?,
                documents: documents.remove(&id).unwrap_or_default(),
                created_at: decode::timestamp_micros(r.get(10)?)?,
                linked: r.get(11)?,
            });
        }
        Ok(out)
    }

    pub(crate) fn resolve_person(&self, id: PersonId) -> Result<Option<PersonId>, StoreError> {
        let conn = self.reader()?;
        resolve(&conn, id)
    }

    pub(crate) fn merged_into(&self, survivor: PersonId) -> Result<Vec<PersonId>, StoreError> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(
            "WITH RECURSIVE chain (id) AS (
                 SELECT merged_id FROM person_merges WHERE survivor_id = ?1
                 UNION SELECT m.merged_id FROM person_merges m JOIN chain c ON m.survivor_id = c.id)
             SELECT m.merged_id FROM chain c JOIN person_merges m ON m.merged_id = c.id
             ORDER BY m.merged_at, m.merged_id",
        )?;
        let rows = stmt.query_map(params![blob(survivor)], |r| r.get::<_, Vec<u8>>(0))?;
        rows.map(|r| person_id(&r?)).collect()
    }

    pub(crate) fn save_link_model(&self, model: &StoredModel) -> Result<(), StoreError> {
        lock(&self.writer)?.execute(
            "INSERT INTO link_models (id, config, model, persons, fitted_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![model.id.as_bytes().as_slice(), model.config, model.model, model.persons, micros(model.fitted_at)],
        )?;
        Ok(())
    }

    pub(crate) fn latest_link_model(&self) -> Result<Option<StoredModel>, StoreError> {
        let conn = self.reader()?;
        let raw = conn
            .query_row(
                "SELECT id, config, model, persons, fitted_at FROM link_models ORDER BY fitted_at DESC, id DESC LIMIT 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, Vec<u8>>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, i64>(4)?,
                    ))
                },
            )
            .optional()?;
        raw.map(|(id, config, model, persons, fitted)| {
            Ok(StoredModel {
                id: uuid_from_blob(&id)?,
                config,
                model,
                persons,
                fitted_at: decode::timestamp_micros(fitted)?,
            })
        })
        .transpose()
    }

    pub(crate) fn confirmed_non_matches(&self) -> Result<Vec<(PersonId, PersonId)>, StoreError> {
        let conn = self.reader()?;
        let mut merges = HashMap::new();
        let mut stmt = conn.prepare("SELECT merged_id, survivor_id FROM person_merges")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            merges.insert(person_id(&r.get::<_, Vec<u8>>(0)?)?, person_id(&r.get::<_, Vec<u8>>(1)?)?);
        }
        let mut stmt = conn.prepare("SELECT person_a, person_b FROM review_items WHERE status = 'non_match'")?;
        let mut rows = stmt.query([])?;
        let mut pairs = Vec::new();
        while let Some(r) = rows.next()? {
            pairs.push((person_id(&r.get::<_, Vec<u8>>(0)?)?, person_id(&r.get::<_, Vec<u8>>(1)?)?));
        }
        Ok(non_matches(&merges, pairs))
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
        let raws: Vec<RawItem> = conn
            .prepare_cached(&format!(
                "SELECT {ITEM_COLUMNS} FROM review_items WHERE status = 'pending'
                 ORDER BY probability DESC, created_at DESC, id LIMIT ?1 OFFSET ?2"
            ))?
            .query_map(params![limit, offset], raw_item)?
            .collect::<Result<_, _>>()?;
        raws.into_iter().map(|raw| item(&conn, raw)).collect()
    }

    pub(crate) fn pending_review_count(&self) -> Result<i64, StoreError> {
        let conn = self.reader()?;
        Ok(conn.query_row("SELECT COUNT(*) FROM review_items WHERE status = 'pending'", [], |r| r.get(0))?)
    }

    pub(crate) fn review_item(&self, id: Uuid) -> Result<Option<ReviewItem>, StoreError> {
        let conn = self.reader()?;
        let raw = conn
            .prepare_cached(&format!("SELECT {ITEM_COLUMNS} FROM review_items WHERE id = ?1"))?
            .query_row(params![id.as_bytes().as_slice()], raw_item)
            .optional()?;
        raw.map(|raw| item(&conn, raw)).transpose()
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
        let row = tx
            .query_row(
                "SELECT status, person_a, person_b, probability FROM review_items WHERE id = ?1",
                params![id.as_bytes().as_slice()],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?, r.get::<_, Vec<u8>>(2)?, r.get::<_, f64>(3)?)),
            )
            .optional()?;
        let status = row.as_ref().map(|(status, ..)| ReviewStatus::parse(status)).transpose()?;
        if let Err(refusal) = DecideRefusal::check(status) {
            return Ok(Err(refusal));
        }
        let Some((_, a, b, probability)) = row else { return Ok(Err(DecideRefusal::NotFound)) };
        let decided = decision.status();
        tx.execute(
            "UPDATE review_items SET status = ?2, decided_at = ?3, decided_by = ?4, note = ?5 WHERE id = ?1",
            params![id.as_bytes().as_slice(), decided.as_str(), micros(at), decided_by, note],
        )?;
        let merge = match decision {
            ReviewDecision::Match => {
                merge_in(&tx, person_id(&a)?, person_id(&b)?, probability, Some(id), decided_by, at)?
            }
            ReviewDecision::NonMatch => None,
        };
        tx.commit()?;
        Ok(Ok(DecidedReview {
            id,
            status: decided,
            decided_at: at,
            decided_by: decided_by.to_owned(),
            note: note.map(str::to_owned),
            merge,
        }))
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
        let stragglers: Vec<Vec<u8>> = tx
            .prepare(
                "SELECT m.merged_id FROM person_merges m
                 WHERE EXISTS (SELECT 1 FROM documents d WHERE d.person_id = m.merged_id)
                    OR EXISTS (SELECT 1 FROM crossings c WHERE c.person_id = m.merged_id)",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for merged in &stragglers {
            let merged = person_id(merged)?;
            let survivor = resolve(&tx, merged)?
                .ok_or_else(|| StoreError::Corrupt(format!("merged person {merged} does not exist")))?;
            let moves = plan_violation_moves(&violations_of(&tx, [merged, survivor])?, merged, survivor);
            move_attached(&tx, merged, survivor, &moves)?;
        }
        tx.commit()?;
        Ok(stragglers.len() as u64)
    }

    pub(crate) fn start_link_run(&self, run: &LinkRunStart) -> Result<(), StoreError> {
        lock(&self.writer)?.execute(
            "INSERT INTO link_runs (id, model_id, started_at, lower, upper) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                run.id.as_bytes().as_slice(),
                run.model_id.as_bytes().as_slice(),
                micros(run.started_at),
                run.lower,
                run.upper
            ],
        )?;
        Ok(())
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
        let run = batch.run_id.as_bytes().as_slice();
        let mut linked = 0u64;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO linked_persons (person_id, run_id) VALUES (?1, ?2) ON CONFLICT (person_id) DO NOTHING",
            )?;
            for id in &batch.linked {
                linked += insert.execute(params![blob(*id), run])? as u64;
            }
        }
        tx.execute(
            "UPDATE link_runs SET linked = linked + ?2, merged = merged + ?3, proposed = proposed + ?4 WHERE id = ?1",
            params![run, linked as i64, outcome.merged as i64, outcome.proposed as i64],
        )?;
        tx.commit()?;
        Ok(outcome)
    }

    pub(crate) fn finish_link_run(&self, id: Uuid, at: Timestamp) -> Result<(), StoreError> {
        lock(&self.writer)?.execute(
            "UPDATE link_runs SET finished_at = ?2 WHERE id = ?1",
            params![id.as_bytes().as_slice(), micros(at)],
        )?;
        Ok(())
    }
}
