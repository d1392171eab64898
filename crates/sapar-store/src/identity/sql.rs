//! The identity statements both backends run (written with `$n` placeholders, see
//! [`crate::row::sqlite`]) and the decoding of their rows, each written once.

use jiff::Timestamp;
use sapar_model::PersonId;
use uuid::Uuid;

use crate::error::StoreError;
use crate::identity::plan::{MergeSide, StoredItem, StoredViolation};
use crate::identity::{LinkPerson, ReviewStatus, StoredModel};
use crate::row::{Decode, Row};
use crate::sql::{detail_columns, details_at};

pub(crate) const SURVIVOR: &str = "SELECT survivor_id FROM person_merges WHERE merged_id = $1";
pub(crate) const CREATED: &str = "SELECT id, created_at FROM persons WHERE id IN ($1, $2) ORDER BY id";
pub(crate) const VIOLATIONS_OF: &str =
    "SELECT id, person_id, kind, stay_entry, status FROM violations WHERE person_id IN ($1, $2)";
pub(crate) const ITEMS_OF: &str = "SELECT id, person_a, person_b, status FROM review_items
     WHERE person_a IN ($1, $2) OR person_b IN ($1, $2)";
pub(crate) const MOVE_DOCUMENTS: &str = "UPDATE documents SET person_id = $2 WHERE person_id = $1";
pub(crate) const MOVE_CROSSINGS: &str = "UPDATE crossings SET person_id = $2 WHERE person_id = $1";
pub(crate) const MOVE_PERMITS: &str = "UPDATE permits SET person_id = $2 WHERE person_id = $1";
pub(crate) const MOVE_BANS: &str = "UPDATE entry_bans SET person_id = $2 WHERE person_id = $1";
pub(crate) const MOVE_EXPULSIONS: &str = "UPDATE expulsions SET person_id = $2 WHERE person_id = $1";
pub(crate) const MOVE_CONTROL_ENTRIES: &str = "UPDATE control_entries SET person_id = $2 WHERE person_id = $1";
/// A merged person's cards go to the survivor, except a card in force when the survivor holds
/// one too: that card stays with the merged id (which answers for the survivor), so a person never
/// holds two cards in force.
pub(crate) const MOVE_CARDS: &str = "UPDATE cards SET person_id = $2 WHERE person_id = $1
     AND (revoked_on IS NOT NULL OR NOT EXISTS (SELECT 1 FROM cards c WHERE c.person_id = $2 AND c.revoked_on IS NULL))";
/// A merged person's registrations of place of stay go to the survivor, except one in force
/// when the survivor has one in force too (a person has one at most): it stays where it was.
pub(crate) const MOVE_REGISTRATIONS: &str = "UPDATE registrations SET person_id = $2 WHERE person_id = $1
     AND NOT (state IN ('submitted', 'accepted') AND EXISTS (SELECT 1 FROM registrations s
         WHERE s.person_id = $2 AND s.state IN ('submitted', 'accepted')))";
/// Failures to register go too, but for an arrival the survivor's failure covers already.
pub(crate) const MOVE_REGISTRATION_FAILURES: &str = "UPDATE registration_failures SET person_id = $2
     WHERE person_id = $1 AND arrival_on NOT IN (SELECT f.arrival_on FROM registration_failures f WHERE f.person_id = $2)";
pub(crate) const MOVE_PERSON_EVENTS: &str = "UPDATE person_events SET person_id = $2 WHERE person_id = $1";
pub(crate) const DELETE_VIOLATION: &str = "DELETE FROM violations WHERE id = $1";
pub(crate) const MOVE_VIOLATION: &str = "UPDATE violations SET person_id = $2 WHERE id = $1";
pub(crate) const INSERT_MERGE: &str = "INSERT INTO person_merges (merged_id, survivor_id, merged_at, review_item_id,
         probability, decided_by)
     VALUES ($1, $2, $3, $4, $5, $6)";
pub(crate) const SUPERSEDE_ITEM: &str = "UPDATE review_items SET status = 'superseded' WHERE id = $1";
pub(crate) const REPAIR_ITEM: &str = "UPDATE review_items SET person_a = $2, person_b = $3 WHERE id = $1";
pub(crate) const INSERT_ITEM: &str = "INSERT INTO review_items (id, person_a, person_b, probability, weight,
         explanation, status, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)
     ON CONFLICT (person_a, person_b) DO NOTHING";
pub(crate) const REVIEW_PERSON: &str = concat!(
    "SELECT ",
    detail_columns!(),
    ", p.created_at, (SELECT COUNT(*) FROM crossings x WHERE x.person_id = p.id) FROM persons p WHERE p.id = $1"
);
pub(crate) const DOCUMENT_KEYS: &str =
    "SELECT person_id, issuing_state, number FROM documents ORDER BY person_id, issuing_state, number";
pub(crate) const LINK_PERSONS: &str = concat!(
    "SELECT p.id, ",
    detail_columns!(),
    ", p.created_at, EXISTS (SELECT 1 FROM linked_persons l WHERE l.person_id = p.id)
     FROM persons p
     WHERE NOT EXISTS (SELECT 1 FROM person_merges m WHERE m.merged_id = p.id)
     ORDER BY p.created_at, p.id"
);
pub(crate) const MERGED_INTO: &str = "WITH RECURSIVE chain (id) AS (
         SELECT merged_id FROM person_merges WHERE survivor_id = $1
         UNION SELECT m.merged_id FROM person_merges m JOIN chain c ON m.survivor_id = c.id)
     SELECT m.merged_id FROM chain c JOIN person_merges m ON m.merged_id = c.id
     ORDER BY m.merged_at, m.merged_id";
pub(crate) const INSERT_MODEL: &str =
    "INSERT INTO link_models (id, config, model, persons, fitted_at) VALUES ($1, $2, $3, $4, $5)";
pub(crate) const LATEST_MODEL: &str =
    "SELECT id, config, model, persons, fitted_at FROM link_models ORDER BY fitted_at DESC, id DESC LIMIT 1";
pub(crate) const MERGES: &str = "SELECT merged_id, survivor_id FROM person_merges";
pub(crate) const NON_MATCHES: &str = "SELECT person_a, person_b FROM review_items WHERE status = 'non_match'";

macro_rules! items {
    ($rest:literal) => {
        concat!(
            "SELECT id, person_a, person_b, probability, weight, explanation, status, created_at, decided_at,
                 decided_by, note
             FROM review_items ",
            $rest
        )
    };
}

pub(crate) const PENDING_ITEMS: &str =
    items!("WHERE status = 'pending' ORDER BY probability DESC, created_at DESC, id LIMIT $1 OFFSET $2");
pub(crate) const PENDING_COUNT: &str = "SELECT COUNT(*) FROM review_items WHERE status = 'pending'";
pub(crate) const ITEM: &str = items!("WHERE id = $1");
pub(crate) const DECIDE: &str =
    "UPDATE review_items SET status = $2, decided_at = $3, decided_by = $4, note = $5 WHERE id = $1";
pub(crate) const STRAGGLERS: &str = "SELECT m.merged_id FROM person_merges m
     WHERE EXISTS (SELECT 1 FROM documents d WHERE d.person_id = m.merged_id)
        OR EXISTS (SELECT 1 FROM crossings c WHERE c.person_id = m.merged_id)";
pub(crate) const START_RUN: &str =
    "INSERT INTO link_runs (id, model_id, started_at, lower, upper) VALUES ($1, $2, $3, $4, $5)";
pub(crate) const COUNT_RUN: &str =
    "UPDATE link_runs SET linked = linked + $2, merged = merged + $3, proposed = proposed + $4 WHERE id = $1";
pub(crate) const FINISH_RUN: &str = "UPDATE link_runs SET finished_at = $2 WHERE id = $1";

/// Both sides of a merge from the rows of [`CREATED`]: each person, resolved, with their creation
/// time.
pub(crate) fn merge_sides(
    created: &[(PersonId, Timestamp)],
    a: PersonId,
    b: PersonId,
) -> Result<(MergeSide, MergeSide), StoreError> {
    let side = |person: PersonId| -> Result<MergeSide, StoreError> {
        let &(_, created_at) = created
            .iter()
            .find(|(id, _)| *id == person)
            .ok_or_else(|| StoreError::Corrupt(format!("merge names person {person}, who does not exist")))?;
        Ok(MergeSide { person, created_at })
    };
    Ok((side(a)?, side(b)?))
}

impl Decode for StoredViolation {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(StoredViolation {
            id: r.col(0)?,
            person: r.col(1)?,
            kind: r.col(2)?,
            stay_entry: r.col(3)?,
            decided: r.col::<String>(4)? != "draft",
        })
    }
}

impl Decode for StoredItem {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(StoredItem { id: r.col(0)?, a: r.col(1)?, b: r.col(2)?, status: ReviewStatus::parse(&r.col::<String>(3)?)? })
    }
}

/// A row of [`REVIEW_PERSON`]: a person's details, creation time and number of crossings.
pub(crate) type ReviewPersonRow = (sapar_model::PersonDetails, Timestamp, i64);

impl Decode for ReviewPersonRow {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok((details_at(r, 0)?, r.col(9)?, r.col(10)?))
    }
}

/// A row of [`DOCUMENT_KEYS`].
pub(crate) struct Holding {
    pub(crate) person: PersonId,
    pub(crate) key: sapar_model::DocumentKey,
}

impl Decode for Holding {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(Holding { person: r.col(0)?, key: crate::decode::document_key(&r.col::<String>(1)?, &r.col::<String>(2)?)? })
    }
}

/// A row of [`LINK_PERSONS`], without the documents (read by [`DOCUMENT_KEYS`]).
impl Decode for LinkPerson {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(LinkPerson {
            id: r.col(0)?,
            details: details_at(r, 1)?,
            documents: Vec::new(),
            created_at: r.col(10)?,
            linked: r.col(11)?,
        })
    }
}

impl Decode for StoredModel {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(StoredModel { id: r.col(0)?, config: r.col(1)?, model: r.col(2)?, persons: r.col(3)?, fitted_at: r.col(4)? })
    }
}

/// A row of [`PENDING_ITEMS`] or [`ITEM`]: a review item naming its persons by id.
pub(crate) struct ItemRow {
    pub(crate) id: Uuid,
    pub(crate) person_a: PersonId,
    pub(crate) person_b: PersonId,
    pub(crate) probability: f64,
    pub(crate) weight: f64,
    pub(crate) explanation: String,
    pub(crate) status: ReviewStatus,
    pub(crate) created_at: Timestamp,
    pub(crate) decided_at: Option<Timestamp>,
    pub(crate) decided_by: Option<String>,
    pub(crate) note: Option<String>,
}

impl Decode for ItemRow {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(ItemRow {
            id: r.col(0)?,
            person_a: r.col(1)?,
            person_b: r.col(2)?,
            probability: r.col(3)?,
            weight: r.col(4)?,
            explanation: r.col(5)?,
            status: ReviewStatus::parse(&r.col::<String>(6)?)?,
            created_at: r.col(7)?,
            decided_at: r.col(8)?,
            decided_by: r.col(9)?,
            note: r.col(10)?,
        })
    }
}

impl ItemRow {
    /// The item, with its persons as the caller read them.
    pub(crate) fn item(
        self,
        person_a: crate::identity::ReviewPerson,
        person_b: crate::identity::ReviewPerson,
    ) -> crate::identity::ReviewItem {
        let ItemRow { id, probability, weight, explanation, status, created_at, decided_at, decided_by, note, .. } =
            self;
        crate::identity::ReviewItem {
            id,
            person_a,
            person_b,
            probability,
            weight,
            explanation,
            status,
            created_at,
            decided_at,
            decided_by,
            note,
        }
    }
}
