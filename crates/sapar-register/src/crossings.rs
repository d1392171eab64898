//! Recording a border crossing: validation of the untrusted submission (an MRZ fills what it
//! carries), the host state's crossing points, the store's register rules, and for an entry the
//! stay verdict of the host state. A refused entry is recorded the same way and sets off nothing:
//! no stay, no verdict, no consequence of an exit (only entries are refused).

use std::collections::HashMap;

use jiff::Timestamp;
use sapar_model::{Country, CrossingId, Direction, InputError, Outcome, PersonId, RawCrossing, RefusalGround, Role};
use sapar_store::cards::Revocation;
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
    /// For an entry: the stay verdict of the host state (recomputed on a replay); `None` for a
    /// refused entry, which opens no stay.
    pub verdict: Option<EntryVerdict>,
    /// Crossed, or refused entry with its ground and note.
    pub outcome: Outcome,
    /// The migrant card issued with this entry, when the card policy covers the person and the
    /// verdict allows the stay (never on a replay).
    pub card: Option<sapar_store::cards::CardRecord>,
}

/// Why a row of an import was not stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportRefusal {
    /// A value the register does not know (an unknown crossing point).
    Invalid(InputError),
    /// A register rule of the store (an exit without entry, an id reused with other content).
    Rule(RegisterRejection),
}

/// The legal texts of the grounds of refusal per host state, `refusal_grounds.toml`.
const REFUSAL_BASES: &str = include_str!("refusal_grounds.toml");

/// The legal basis on which `host` refuses entry on `ground` (the file's `default` for a state it
/// does not list).
pub fn refusal_basis(host: Country, ground: RefusalGround) -> Result<String, RegisterError> {
    let mut all: HashMap<String, HashMap<String, String>> = toml::from_str(REFUSAL_BASES)
        .map_err(|e| RegisterError::Internal(format!("refusal grounds do not parse: {e}")))?;
    all.remove(host.code())
        .or_else(|| all.remove("default"))
        .and_then(|mut bases| bases.remove(ground.as_str()))
        .ok_or_else(|| RegisterError::Internal(format!("no legal basis for the refusal ground {}", ground.as_str())))
}

impl Register {
    /// Records an entry or exit: the person is found by document or created, the register's
    /// rules applied, and for an entry the verdict computed from the person's stored crossings.
    /// Idempotent on the submission's id.
    pub async fn record_crossing(&self, actor: &Actor, raw: &RawCrossing) -> Result<CrossingOutcome, RegisterError> {
        actor.require(RECORDERS, "record crossings")?;
        let row = RecordCrossing { recorded_by: Some(actor.name.clone()), ..validate_submission(raw, self.now())? };
        self.known_point(&row.crossing.point)?;
        let outcome = row.crossing.outcome.clone();
        let direction = row.crossing.direction;
        let day = row.crossing.at.date();
        let crossed_at = row.crossing.at.timestamp();
        let receipt = self.store.record_crossing(row).await?;
        // Only a crossed exit ends a stay (an exit is never refused; the guard keeps it so).
        if direction == Direction::Exit && outcome.crossed() {
            self.remove_on_exit(&actor.name, receipt.person_id, receipt.crossing_id, crossed_at).await?;
            if !receipt.replayed {
                self.after_exit(receipt.person_id, receipt.crossing_id, day).await?;
                self.revoke_card_of(&actor.name, receipt.person_id, Revocation::Exit, day, None).await?;
            }
        }
        let verdict = match direction {
            Direction::Entry if !outcome.crossed() => None,
            Direction::Entry => match self.store.person(receipt.person_id).await? {
                Some(record) => {
                    crate::stay::verdict_for_crossing(&self.rules, self.host_state, &record, receipt.crossing_id)
                }
                None => None,
            },
            Direction::Exit => None,
        };
        let card = match direction {
            Direction::Entry if outcome.crossed() && !receipt.replayed => {
                self.card_for_entry(&actor.name, receipt.person_id, receipt.crossing_id, verdict.as_ref()).await?
            }
            _ => None,
        };
        Ok(CrossingOutcome {
            crossing_id: receipt.crossing_id,
            person_id: receipt.person_id,
            direction,
            replayed: receipt.replayed,
            verdict,
            outcome,
            card,
        })
    }

    /// Records validated rows in bulk (an import), attributed to `actor`, in one transaction per
    /// call: each row gets its receipt, or the reason it was refused (a crossing point the host
    /// state does not list, a register rule); a storage failure records nothing. No verdicts
    /// are computed. Of an exit's consequences an import runs the control register's removal,
    /// the card's revocation and the end of the registration of place of stay in force (for an
    /// arrival before the exit); expulsions and overstays at exit are left to officers and the
    /// sweep.
    pub async fn import_crossings(
        &self,
        actor: &Actor,
        rows: Vec<RecordCrossing>,
    ) -> Result<Vec<Result<CrossingReceipt, ImportRefusal>>, RegisterError> {
        actor.require(IMPORTERS, "import crossings")?;
        let points = crate::crossing_points::CrossingPoints::embedded()?;
        let mut outcomes: Vec<Option<Result<CrossingReceipt, ImportRefusal>>> = Vec::with_capacity(rows.len());
        let mut known = Vec::with_capacity(rows.len());
        for mut row in rows {
            match points.check(self.host_state, &row.crossing.point) {
                Ok(()) => {
                    row.recorded_by.get_or_insert_with(|| actor.name.clone());
                    outcomes.push(None);
                    known.push(row);
                }
                Err(e) => outcomes.push(Some(Err(ImportRefusal::Invalid(e)))),
            }
        }
        let exits: Vec<Option<jiff::Timestamp>> = known
            .iter()
            .map(|row| {
                (row.crossing.direction == Direction::Exit && row.crossing.outcome.crossed())
                    .then(|| row.crossing.at.timestamp())
            })
            .collect();
        let receipts = self.store.record_batch(known).await?;
        for (receipt, exit) in receipts.iter().zip(exits) {
            if let (Ok(receipt), Some(at)) = (receipt, exit) {
                self.remove_on_exit(&actor.name, receipt.person_id, receipt.crossing_id, at).await?;
                if !receipt.replayed {
                    let day = crate::stay::today_in(self.host_state, at);
                    self.revoke_card_of(&actor.name, receipt.person_id, Revocation::Exit, day, None).await?;
                    self.end_registration_on_exit(receipt.person_id, day, &actor.name).await?;
                }
            }
        }
        let mut stored = receipts.into_iter();
        let mut answer = Vec::with_capacity(outcomes.len());
        for outcome in outcomes {
            answer.push(match outcome {
                Some(refused) => refused,
                None => stored
                    .next()
                    .ok_or_else(|| RegisterError::Internal("the store answered fewer rows than it was given".into()))?
                    .map_err(ImportRefusal::Rule),
            });
        }
        Ok(answer)
    }
}
