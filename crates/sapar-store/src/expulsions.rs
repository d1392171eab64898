//! Administrative expulsions, deportations and readmissions as stored: the decision, then its
//! execution once — the day the person left (with the exit crossing when the register saw it) and
//! the entry ban it implied, recorded in the same transaction as the execution and the events a
//! partner state may be told of. Nothing is deleted (triggers refuse it on both backends).

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::{CrossingId, PersonId};
use uuid::Uuid;

use crate::bans::{NewBan, PersonEventKind, ban_steps, event_step};
use crate::error::StoreError;
use crate::row::{Decode, Param, Row};
use crate::{Step, Store};

/// What removes the person from the country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExpulsionKind {
    /// Administrative expulsion by a court or authority.
    AdministrativeExpulsion,
    /// Deportation: removal under escort.
    Deportation,
    /// Return to another state under a readmission agreement.
    Readmission,
}

impl ExpulsionKind {
    pub const ALL: [ExpulsionKind; 3] =
        [ExpulsionKind::AdministrativeExpulsion, ExpulsionKind::Deportation, ExpulsionKind::Readmission];

    /// Stable identifier, as stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            ExpulsionKind::AdministrativeExpulsion => "administrative_expulsion",
            ExpulsionKind::Deportation => "deportation",
            ExpulsionKind::Readmission => "readmission",
        }
    }

    pub fn parse(s: &str) -> Option<ExpulsionKind> {
        ExpulsionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// An expulsion decision to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExpulsion {
    pub id: Uuid,
    pub person_id: PersonId,
    pub kind: ExpulsionKind,
    pub decided_on: Date,
    pub decision_ref: String,
    /// The legal basis: act and article.
    pub basis: String,
    /// The last day the person may leave on their own, when the decision sets one.
    pub leave_by: Option<Date>,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

/// How an expulsion was carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Execution {
    /// The day the person left.
    pub departed_on: Date,
    /// The exit crossing, when the register recorded it.
    pub exit_crossing: Option<CrossingId>,
    /// The entry ban it implied, when the host state's rules imply one.
    pub ban_id: Option<Uuid>,
    pub at: Timestamp,
}

/// A stored expulsion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpulsionRecord {
    pub id: Uuid,
    pub person_id: PersonId,
    pub kind: ExpulsionKind,
    pub decided_on: Date,
    pub decision_ref: String,
    pub basis: String,
    pub leave_by: Option<Date>,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
    pub execution: Option<Execution>,
}

/// Why an expulsion was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum ExpulsionError {
    #[error("no person has this id")]
    PersonNotFound,
    #[error("the day to leave by ({leave_by}) lies before the decision ({decided_on})")]
    LeaveByBeforeDecision { decided_on: Date, leave_by: Date },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why an expulsion was not marked executed.
#[derive(Debug, thiserror::Error)]
pub enum ExecuteError {
    #[error("no expulsion has this id")]
    NotFound,
    #[error("the expulsion was executed on {0}")]
    AlreadyExecuted(Date),
    #[error("the departure ({departed_on}) lies before the decision ({decided_on})")]
    DepartureBeforeDecision { decided_on: Date, departed_on: Date },
    #[error(transparent)]
    Store(#[from] StoreError),
}

const COLUMNS: &str = "id, person_id, kind, decided_on, decision_ref, basis, leave_by, recorded_by, recorded_at,
     executed_on, exit_crossing_id, ban_id, executed_at";
const INSERT: &str = "INSERT INTO expulsions (id, person_id, kind, decided_on, decision_ref, basis, leave_by,
         recorded_by, recorded_at)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE EXISTS (SELECT 1 FROM persons WHERE id = $2)";
const EXECUTE: &str = "UPDATE expulsions SET executed_on = $2, exit_crossing_id = $3, ban_id = $4, executed_at = $5
     WHERE id = $1 AND executed_on IS NULL";

fn select(filter: &str) -> String {
    format!("SELECT {COLUMNS} FROM expulsions WHERE {filter} ORDER BY decided_on, recorded_at, id")
}

impl Decode for ExpulsionRecord {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        let kind: String = r.col(2)?;
        let execution = match (r.col::<Option<Date>>(9)?, r.col::<Option<Timestamp>>(12)?) {
            (Some(departed_on), Some(at)) => Some(Execution {
                departed_on,
                exit_crossing: r.col::<Option<Uuid>>(10)?.map(CrossingId::from_uuid),
                ban_id: r.col(11)?,
                at,
            }),
            (None, None) => None,
            _ => return Err(StoreError::Corrupt("an expulsion's execution is recorded in part".into())),
        };
        Ok(ExpulsionRecord {
            id: r.col(0)?,
            person_id: r.col(1)?,
            kind: ExpulsionKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("expulsion kind {kind:?}")))?,
            decided_on: r.col(3)?,
            decision_ref: r.col(4)?,
            basis: r.col(5)?,
            leave_by: r.col(6)?,
            recorded_by: r.col(7)?,
            recorded_at: r.col(8)?,
            execution,
        })
    }
}

impl Store {
    /// Records an expulsion decision on an existing person (give the survivor of a merge) and
    /// its event, in one transaction.
    pub async fn record_expulsion(&self, e: NewExpulsion) -> Result<ExpulsionRecord, ExpulsionError> {
        if let Some(leave_by) = e.leave_by
            && leave_by < e.decided_on
        {
            return Err(ExpulsionError::LeaveByBeforeDecision { decided_on: e.decided_on, leave_by });
        }
        let params: Vec<Param> = vec![
            e.id.into(),
            e.person_id.as_uuid().into(),
            e.kind.as_str().into(),
            e.decided_on.into(),
            e.decision_ref.as_str().into(),
            e.basis.as_str().into(),
            e.leave_by.into(),
            e.recorded_by.as_str().into(),
            e.recorded_at.into(),
        ];
        let summary = format!("{} decided on {}, decision {}", e.kind.as_str(), e.decided_on, e.decision_ref);
        let steps = vec![
            Step::guard(INSERT, params),
            event_step(e.person_id, PersonEventKind::ExpulsionDecided, e.id, e.recorded_at, &e.recorded_by, summary),
        ];
        if self.write_steps(steps).await?.is_err() {
            return Err(ExpulsionError::PersonNotFound);
        }
        self.expulsion(e.id)
            .await?
            .ok_or_else(|| ExpulsionError::Store(StoreError::Corrupt("a recorded expulsion is gone".into())))
    }

    /// Marks an expulsion executed, once, with the entry ban it implies (if any), and their
    /// events, in one transaction. `by` is the actor recorded on the ban and the events.
    pub async fn execute_expulsion(
        &self,
        id: Uuid,
        departed_on: Date,
        exit_crossing: Option<CrossingId>,
        implied_ban: Option<NewBan>,
        by: &str,
        at: Timestamp,
    ) -> Result<ExpulsionRecord, ExecuteError> {
        let current = self.expulsion(id).await?.ok_or(ExecuteError::NotFound)?;
        if let Some(done) = &current.execution {
            return Err(ExecuteError::AlreadyExecuted(done.departed_on));
        }
        if departed_on < current.decided_on {
            return Err(ExecuteError::DepartureBeforeDecision { decided_on: current.decided_on, departed_on });
        }
        let mut steps = implied_ban.as_ref().map(ban_steps).unwrap_or_default();
        let params: Vec<Param> = vec![
            id.into(),
            departed_on.into(),
            exit_crossing.map(|c| c.as_uuid()).into(),
            implied_ban.as_ref().map(|b| b.id).into(),
            at.into(),
        ];
        steps.push(Step::guard(EXECUTE, params));
        let summary = format!("{} executed: left on {departed_on}", current.kind.as_str());
        steps.push(event_step(current.person_id, PersonEventKind::ExpulsionExecuted, id, at, by, summary));
        if self.write_steps(steps).await?.is_err() {
            // Executed (or its person merged away) since it was read: answer as it stands now.
            let now = self.expulsion(id).await?.ok_or(ExecuteError::NotFound)?;
            return Err(match now.execution {
                Some(done) => ExecuteError::AlreadyExecuted(done.departed_on),
                None => ExecuteError::Store(StoreError::Corrupt("an expulsion could not be executed".into())),
            });
        }
        self.expulsion(id).await?.ok_or(ExecuteError::NotFound)
    }

    /// One expulsion.
    pub async fn expulsion(&self, id: Uuid) -> Result<Option<ExpulsionRecord>, StoreError> {
        Ok(self.read_built(select("id = $1"), vec![id.into()]).await?.into_iter().next())
    }

    /// A person's expulsions, executed ones too, by decision date.
    pub async fn expulsions_of(&self, person: PersonId) -> Result<Vec<ExpulsionRecord>, StoreError> {
        self.read_built(select("person_id = $1"), vec![person.as_uuid().into()]).await
    }
}
