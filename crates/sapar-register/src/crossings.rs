//! Recording a border crossing: validation of the untrusted submission (an MRZ fills what it
//! carries), the store's register rules, and for an entry the stay verdict of the host state.

use jiff::Timestamp;
use sapar_model::{CrossingId, Direction, InputError, PersonId, RawCrossing, Role};
use sapar_store::{CrossingReceipt, RecordCrossing, RegisterRejection};

use crate::stay::EntryVerdict;
use crate::{Actor, Register, RegisterError};

/// Who records crossings.
const RECORDERS: &[Role] = &[Role::Border, Role::Officer];
/// Who imports files of crossings.
const IMPORTERS: &[Role] = &[Role::Officer, Role::Admin];

/// Validates a submission into a crossing ready to record, stamped as recorded at `now`. A
/// machine-readable zone in the submission is read first (dates in it judged against `now`'s UTC
/// date) and fills the fields it carries.
/// The result names no recorder: the caller sets `recorded_by`.
pub fn validate_submission(raw: &RawCrossing, now: Timestamp) -> Result<RecordCrossing, InputError> {
    let filled;
    let raw = if raw.mrz.is_some() {
        let mut with_mrz = raw.clone();
        crate::mrz_input::apply_mrz(&mut with_mrz, now.to_zoned(jiff::tz::TimeZone::UTC).date())?;
        filled = with_mrz;
        &filled
    } else {
        raw
    };
    let (id, crossing) = raw.validate_with_id(now)?;
    Ok(RecordCrossing { id, crossing, recorded_at: now, recorded_by: None })
}

/// What recording a crossing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossingOutcome {
    pub crossing_id: CrossingId,
    pub person_id: PersonId,
    pub direction: Direction,
    /// The id was recorded before with the same content: this is the first result again.
    pub replayed: bool,
    /// For an entry: the stay verdict of the host state (recomputed on a replay).
    pub verdict: Option<EntryVerdict>,
}

impl Register {
    /// Records an entry or exit: the person is found by document or created, the register's
    /// rules applied, and for an entry the verdict computed from the person's stored crossings.
    /// Idempotent on the submission's id.
    pub async fn record_crossing(&self, actor: &Actor, raw: &RawCrossing) -> Result<CrossingOutcome, RegisterError> {
        actor.require(RECORDERS, "record crossings")?;
        let row = RecordCrossing { recorded_by: Some(actor.name.clone()), ..validate_submission(raw, self.now())? };
        let direction = row.crossing.direction;
        let day = row.crossing.at.date();
        let crossed_at = row.crossing.at.timestamp();
        let receipt = self.store.record_crossing(row).await?;
        if direction == Direction::Exit {
            self.remove_on_exit(&actor.name, receipt.person_id, receipt.crossing_id, crossed_at).await?;
            if !receipt.replayed {
                self.after_exit(receipt.person_id, receipt.crossing_id, day).await?;
            }
        }
        let verdict = match direction {
            Direction::Entry => match self.store.person(receipt.person_id).await? {
                Some(record) => {
                    crate::stay::verdict_for_crossing(&self.rules, self.host_state, &record, receipt.crossing_id)
                }
                None => None,
            },
            Direction::Exit => None,
        };
        Ok(CrossingOutcome {
            crossing_id: receipt.crossing_id,
            person_id: receipt.person_id,
            direction,
            replayed: receipt.replayed,
            verdict,
        })
    }

    /// Records validated rows in bulk (an import), attributed to `actor`, in one transaction per
    /// call: each row gets its receipt or the register rule that refused it; a storage failure
    /// records nothing. No verdicts are computed.
    pub async fn import_crossings(
        &self,
        actor: &Actor,
        mut rows: Vec<RecordCrossing>,
    ) -> Result<Vec<Result<CrossingReceipt, RegisterRejection>>, RegisterError> {
        actor.require(IMPORTERS, "import crossings")?;
        for row in &mut rows {
            row.recorded_by.get_or_insert_with(|| actor.name.clone());
        }
        let exits: Vec<Option<jiff::Timestamp>> = rows
            .iter()
            .map(|row| (row.crossing.direction == Direction::Exit).then(|| row.crossing.at.timestamp()))
            .collect();
        let receipts = self.store.record_batch(rows).await?;
        for (receipt, exit) in receipts.iter().zip(exits) {
            if let (Ok(receipt), Some(at)) = (receipt, exit) {
                self.remove_on_exit(&actor.name, receipt.person_id, receipt.crossing_id, at).await?;
            }
        }
        Ok(receipts)
    }
}
