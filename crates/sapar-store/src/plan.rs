//! The register's recording rules as a pure function over a snapshot of the rows a batch touches.
//!
//! Both backends fetch the same snapshot (stored crossings with the batch's ids, persons holding the
//! batch's documents, and history answers for late-arriving crossings), run [`plan_batch`], and write
//! its output. The rules therefore live once, and SQLite and PostgreSQL cannot disagree about them.

use std::collections::HashMap;

use jiff::{Timestamp, civil::Date};
use sapar_model::{Country, CrossingId, Direction, DocumentKey, PersonId};
use sapar_rules::{Stay, push_crossing};

use crate::error::RegisterRejection;
use crate::records::{CrossingReceipt, RecordCrossing};

/// A crossing already stored under an id that the batch uses again.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StoredCrossing {
    pub(crate) fingerprint: [u8; 32],
    pub(crate) person_id: PersonId,
}

/// The stored person behind a document, with their latest crossing and stays.
#[derive(Debug, Clone)]
pub(crate) struct StoredHolder {
    pub(crate) person_id: PersonId,
    pub(crate) citizenship: Country,
    pub(crate) last: Option<(Timestamp, Direction)>,
    /// The stored stay history; None when the column is empty (to be rebuilt from crossings).
    pub(crate) stays: Option<Vec<Stay>>,
}

/// What the database holds that the batch's rules depend on.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    pub(crate) crossings: HashMap<CrossingId, StoredCrossing>,
    pub(crate) holders: HashMap<DocumentKey, StoredHolder>,
    /// For rows older than their holder's latest stored crossing: the stored crossing just before
    /// (or at) the row's time, keyed by the row's crossing id.
    pub(crate) history: HashMap<CrossingId, Option<(Timestamp, Direction)>>,
}

impl Snapshot {
    /// Rows whose check needs a history answer: their holder is stored and has a later crossing.
    pub(crate) fn rows_needing_history<'a>(
        &'a self,
        rows: &'a [RecordCrossing],
    ) -> impl Iterator<Item = (CrossingId, PersonId, Timestamp)> + 'a {
        rows.iter().filter_map(|row| {
            let holder = self.holders.get(&row.crossing.document.key)?;
            let (last_at, _) = holder.last?;
            let at = row.crossing.at.timestamp();
            (at < last_at).then_some((row.id, holder.person_id, at))
        })
    }
}

/// A person the batch creates, by index of the row that introduced them.
#[derive(Debug, Clone)]
pub(crate) struct NewPerson {
    pub(crate) person_id: PersonId,
    pub(crate) row: usize,
    /// The person's rows of the name index (see [`crate::search::name_keys`]).
    pub(crate) name_keys: Vec<String>,
}

/// A crossing the batch writes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewCrossingRow {
    pub(crate) row: usize,
    pub(crate) person_id: PersonId,
    /// The row's content fingerprint, computed once while planning and stored with the crossing.
    pub(crate) fingerprint: [u8; 32],
}

/// A touched person's derived columns after the batch.
#[derive(Debug, Clone)]
pub(crate) struct PersonState {
    /// The latest crossing, stored or from this batch.
    pub(crate) latest: (Timestamp, Direction),
    /// The stays after the batch, or None when they must be rebuilt from the stored crossings
    /// once the batch's crossings are written (a crossing older than a stored one, or a batch
    /// whose crossings for the person are not in time order).
    pub(crate) stays: Option<Vec<Stay>>,
}

/// Everything a batch writes, and each row's outcome.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub(crate) outcomes: Vec<Result<CrossingReceipt, RegisterRejection>>,
    pub(crate) new_persons: Vec<NewPerson>,
    /// New documents: (row that introduced it, holder).
    pub(crate) new_documents: Vec<(usize, PersonId)>,
    pub(crate) new_crossings: Vec<NewCrossingRow>,
    /// Derived columns of every person the batch adds crossings to.
    pub(crate) person_state: HashMap<PersonId, PersonState>,
    pub(crate) daily_counts: HashMap<(Date, Country, String, Direction), i64>,
}

struct Holder {
    person_id: PersonId,
    citizenship: Country,
    stored_last: Option<(Timestamp, Direction)>,
    stored_stays: Option<Vec<Stay>>,
    /// Crossings of this batch for the holder (time, direction, local date), in the order accepted.
    batch: Vec<(Timestamp, Direction, Date)>,
}

impl Holder {
    fn latest_overall(&self) -> Option<(Timestamp, Direction)> {
        // On equal times the later-recorded crossing is the latest: stored first, then the batch
        // in order, and `max_by_key` keeps the last maximum.
        self.stored_last
            .into_iter()
            .chain(self.batch.iter().map(|&(at, direction, _)| (at, direction)))
            .max_by_key(|(at, _)| *at)
    }

    /// The stays after the batch when they can be folded forward from the stored ones: every
    /// batch crossing at or after the stored latest and the batch in time order (ties keep
    /// insertion order, as the stores' own ordering does).
    fn stays_after(&self) -> Option<Vec<Stay>> {
        let stored = self.stored_stays.as_ref()?;
        let first = self.batch.first()?.0;
        let in_order = self.batch.windows(2).all(|w| w[0].0 <= w[1].0);
        if !in_order || self.stored_last.is_some_and(|(last, _)| first < last) {
            return None;
        }
        let mut stays = stored.clone();
        for &(_, direction, date) in &self.batch {
            push_crossing(&mut stays, date, direction);
        }
        Some(stays)
    }
}

/// Applies the recording rules to a batch, in order, against a snapshot.
///
/// Rules: a reused id with the same fingerprint is a replay (nothing written, the original
/// receipt returned); with another fingerprint it is refused. A person is found by document or
/// created, with the keys of their names for the search index. An exit is refused unless the
/// person's latest crossing at or before its time, stored or earlier in this batch, is an entry.
/// A refused entry is written (and may create its person) but changes no stay, latest crossing
/// or daily count.
pub(crate) fn plan_batch(rows: &[RecordCrossing], snapshot: &Snapshot) -> Plan {
    let mut plan = Plan { outcomes: Vec::with_capacity(rows.len()), ..Plan::default() };
    let mut holders: HashMap<&DocumentKey, Holder> = HashMap::new();
    let mut batch_ids: HashMap<CrossingId, ([u8; 32], PersonId)> = HashMap::new();

    for (index, row) in rows.iter().enumerate() {
        let fingerprint = row.fingerprint();
        let earlier = snapshot
            .crossings
            .get(&row.id)
            .map(|s| (s.fingerprint, s.person_id))
            .or_else(|| batch_ids.get(&row.id).copied());
        if let Some((stored_fingerprint, person_id)) = earlier {
            plan.outcomes.push(if stored_fingerprint == fingerprint {
                Ok(CrossingReceipt { crossing_id: row.id, person_id, replayed: true, person_created: false })
            } else {
                Err(RegisterRejection::IdConflict)
            });
            continue;
        }

        let key = &row.crossing.document.key;
        let at = row.crossing.at.timestamp();
        let direction = row.crossing.direction;
        let known = holders.contains_key(key) || snapshot.holders.contains_key(key);

        if direction == Direction::Exit {
            let previous = if known { previous_crossing(&holders, snapshot, row.id, key, at) } else { None };
            if !matches!(previous, Some((_, Direction::Entry))) {
                plan.outcomes.push(Err(RegisterRejection::ExitWithoutEntry));
                continue;
            }
        }

        let person_created = !known;
        let holder = holders.entry(key).or_insert_with(|| match snapshot.holders.get(key) {
            Some(stored) => Holder {
                person_id: stored.person_id,
                citizenship: stored.citizenship,
                stored_last: stored.last,
                stored_stays: stored.stays.clone(),
                batch: Vec::new(),
            },
            None => {
                let person_id = PersonId::new_v7();
                plan.new_persons.push(NewPerson {
                    person_id,
                    row: index,
                    name_keys: crate::search::name_keys(&row.crossing.person.name),
                });
                plan.new_documents.push((index, person_id));
                Holder {
                    person_id,
                    citizenship: row.crossing.person.citizenship,
                    stored_last: None,
                    stored_stays: Some(Vec::new()),
                    batch: Vec::new(),
                }
            }
        });
        let person_id = holder.person_id;
        batch_ids.insert(row.id, (fingerprint, person_id));
        plan.new_crossings.push(NewCrossingRow { row: index, person_id, fingerprint });
        // A refused entry is written for the person's history and the refusal counts, but it is
        // no crossing: it joins neither the stays, nor the latest crossing, nor the daily counts
        // of crossings.
        if row.crossing.outcome.crossed() {
            holder.batch.push((at, direction, row.crossing.local_date()));
            *plan
                .daily_counts
                .entry((
                    row.crossing.local_date(),
                    holder.citizenship,
                    row.crossing.point.as_str().to_owned(),
                    direction,
                ))
                .or_insert(0) += 1;
        }
        plan.outcomes.push(Ok(CrossingReceipt { crossing_id: row.id, person_id, replayed: false, person_created }));
    }

    for holder in holders.values() {
        if holder.batch.is_empty() {
            continue;
        }
        if let Some(latest) = holder.latest_overall() {
            plan.person_state.insert(holder.person_id, PersonState { latest, stays: holder.stays_after() });
        }
    }
    plan
}

/// The latest crossing of the document's holder at or before `at`, from storage and this batch.
fn previous_crossing(
    holders: &HashMap<&DocumentKey, Holder>,
    snapshot: &Snapshot,
    row_id: CrossingId,
    key: &DocumentKey,
    at: Timestamp,
) -> Option<(Timestamp, Direction)> {
    let stored = snapshot.holders.get(key).and_then(|h| match h.last {
        Some((last_at, dir)) if last_at <= at => Some((last_at, dir)),
        Some(_) => snapshot.history.get(&row_id).copied().flatten(),
        None => None,
    });
    let in_batch = holders
        .get(key)
        .and_then(|h| h.batch.iter().map(|&(t, d, _)| (t, d)).filter(|(t, _)| *t <= at).max_by_key(|(t, _)| *t));
    [stored, in_batch].into_iter().flatten().max_by_key(|(t, _)| *t)
}
