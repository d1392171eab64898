//! Entry bans as stored, and the events a partner state may have to be told of.
//!
//! A ban runs from its first to its last day (inclusive) on a ground from a closed list with its
//! legal basis and decision. It is lifted early only by a recorded decision with reasons, from a
//! day on; it is never deleted (triggers refuse it on both backends). Recording or lifting a ban
//! appends a [`PersonEvent`] in the same transaction, so the event exists exactly when the change
//! does. Each statement is written once for both backends.

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::{Country, PersonId};
use uuid::Uuid;

use crate::error::StoreError;
use crate::row::{Decode, Param, Row};
use crate::{Step, Store};

/// Why a person may not enter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BanGround {
    /// Implied by an administrative expulsion, deportation or readmission.
    Expulsion,
    /// Ordered by a court.
    CourtDecision,
    /// Decided by a competent authority.
    AdministrativeDecision,
    /// Asked for by a partner state's notice.
    PartnerNotice,
    /// Another ground, named in the basis.
    Other,
}

impl BanGround {
    pub const ALL: [BanGround; 5] = [
        BanGround::Expulsion,
        BanGround::CourtDecision,
        BanGround::AdministrativeDecision,
        BanGround::PartnerNotice,
        BanGround::Other,
    ];

    /// Stable identifier, as stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            BanGround::Expulsion => "expulsion",
            BanGround::CourtDecision => "court_decision",
            BanGround::AdministrativeDecision => "administrative_decision",
            BanGround::PartnerNotice => "partner_notice",
            BanGround::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<BanGround> {
        BanGround::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// A ban to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBan {
    pub id: Uuid,
    pub person_id: PersonId,
    /// First day banned.
    pub starts_on: Date,
    /// Last day banned (inclusive).
    pub ends_on: Date,
    pub ground: BanGround,
    /// The legal basis: the act and article.
    pub basis: String,
    /// The decision's number and date, as written on it.
    pub decision_ref: String,
    /// The official who took the decision, when not the one recording it.
    pub decided_by: Option<String>,
    /// The actor recording it.
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

/// The early end of a ban, by a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BanLift {
    /// The first day no longer banned.
    pub from: Date,
    pub reason: String,
    pub decision_ref: Option<String>,
    pub by: String,
    pub at: Timestamp,
}

/// A stored ban.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BanRecord {
    pub id: Uuid,
    pub person_id: PersonId,
    pub starts_on: Date,
    pub ends_on: Date,
    pub ground: BanGround,
    pub basis: String,
    pub decision_ref: String,
    pub decided_by: Option<String>,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
    pub lift: Option<BanLift>,
}

impl BanRecord {
    /// The last day the ban actually holds: its last day, or the day before it was lifted from;
    /// `None` when it was lifted from its first day on.
    pub fn last_day(&self) -> Option<Date> {
        match &self.lift {
            None => Some(self.ends_on),
            Some(lift) if lift.from <= self.starts_on => None,
            Some(lift) => lift.from.yesterday().ok().map(|day| day.min(self.ends_on)),
        }
    }

    /// Whether the ban holds on `day`.
    pub fn in_force_on(&self, day: Date) -> bool {
        self.starts_on <= day && self.last_day().is_some_and(|last| day <= last)
    }
}

/// What a partner state may have to be told of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonEventKind {
    BanRecorded,
    BanLifted,
    ExpulsionDecided,
    ExpulsionExecuted,
    /// Included in the control register.
    ControlIncluded,
    /// Removed from the control register.
    ControlRemoved,
}

impl PersonEventKind {
    pub const ALL: [PersonEventKind; 6] = [
        PersonEventKind::BanRecorded,
        PersonEventKind::BanLifted,
        PersonEventKind::ExpulsionDecided,
        PersonEventKind::ExpulsionExecuted,
        PersonEventKind::ControlIncluded,
        PersonEventKind::ControlRemoved,
    ];

    /// Stable identifier, as stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            PersonEventKind::BanRecorded => "ban_recorded",
            PersonEventKind::BanLifted => "ban_lifted",
            PersonEventKind::ExpulsionDecided => "expulsion_decided",
            PersonEventKind::ExpulsionExecuted => "expulsion_executed",
            PersonEventKind::ControlIncluded => "control_included",
            PersonEventKind::ControlRemoved => "control_removed",
        }
    }

    pub fn parse(s: &str) -> Option<PersonEventKind> {
        PersonEventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A stored event about a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonEvent {
    pub id: Uuid,
    pub person_id: PersonId,
    pub kind: PersonEventKind,
    /// The ban, expulsion or control-register entry it is about.
    pub subject_id: Uuid,
    /// The person's citizenship when it happened: the state a notice would go to.
    pub citizenship: Country,
    pub at: Timestamp,
    pub actor: String,
    /// One line on what happened, in the register's terms (dates, ground, decision).
    pub summary: String,
}

/// Why a ban was not lifted.
#[derive(Debug, thiserror::Error)]
pub enum LiftError {
    #[error("no ban has this id")]
    NotFound,
    #[error("the ban was already lifted from {0}")]
    AlreadyLifted(Date),
    #[error("the ban ended on {ends_on}: lifting it from {from} changes nothing")]
    AlreadyEnded { from: Date, ends_on: Date },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a ban was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum BanError {
    #[error("no person has this id")]
    PersonNotFound,
    #[error("the ban ends ({ends_on}) before it starts ({starts_on})")]
    EndsBeforeStart { starts_on: Date, ends_on: Date },
    #[error(transparent)]
    Store(#[from] StoreError),
}

const BAN_COLUMNS: &str = "id, person_id, starts_on, ends_on, ground, basis, decision_ref, decided_by, recorded_by,
     recorded_at, lifted_from, lift_reason, lift_decision_ref, lifted_by, lifted_at";
const INSERT_BAN: &str = "INSERT INTO entry_bans (id, person_id, starts_on, ends_on, ground, basis, decision_ref,
         decided_by, recorded_by, recorded_at)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 WHERE EXISTS (SELECT 1 FROM persons WHERE id = $2)";
const LIFT_BAN: &str =
    "UPDATE entry_bans SET lifted_from = $2, lift_reason = $3, lift_decision_ref = $4, lifted_by = $5,
         lifted_at = $6
     WHERE id = $1 AND lifted_from IS NULL AND ends_on >= $2";
const INSERT_EVENT: &str =
    "INSERT INTO person_events (id, person_id, kind, subject_id, citizenship, at, actor, summary)
     SELECT $1, $2, $3, $4, p.citizenship, $5, $6, $7 FROM persons p WHERE p.id = $2";
const EVENT_COLUMNS: &str = "id, person_id, kind, subject_id, citizenship, at, actor, summary";

fn select_bans(filter: &str) -> String {
    format!("SELECT {BAN_COLUMNS} FROM entry_bans WHERE {filter} ORDER BY starts_on, recorded_at, id")
}

impl Decode for BanRecord {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        let ground: String = r.col(4)?;
        let lift = match (r.col::<Option<Date>>(10)?, r.col::<Option<String>>(11)?, r.col::<Option<Timestamp>>(14)?) {
            (Some(from), Some(reason), Some(at)) => Some(BanLift {
                from,
                reason,
                decision_ref: r.col(12)?,
                by: r.col::<Option<String>>(13)?.unwrap_or_default(),
                at,
            }),
            (None, None, None) => None,
            _ => return Err(StoreError::Corrupt("a ban's lift is recorded in part".into())),
        };
        Ok(BanRecord {
            id: r.col(0)?,
            person_id: r.col(1)?,
            starts_on: r.col(2)?,
            ends_on: r.col(3)?,
            ground: BanGround::parse(&ground).ok_or_else(|| StoreError::Corrupt(format!("ban ground {ground:?}")))?,
            basis: r.col(5)?,
            decision_ref: r.col(6)?,
            decided_by: r.col(7)?,
            recorded_by: r.col(8)?,
            recorded_at: r.col(9)?,
            lift,
        })
    }
}

impl Decode for PersonEvent {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        let kind: String = r.col(2)?;
        let citizenship: String = r.col(4)?;
        Ok(PersonEvent {
            id: r.col(0)?,
            person_id: r.col(1)?,
            kind: PersonEventKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("event kind {kind:?}")))?,
            subject_id: r.col(3)?,
            citizenship: Country::parse(&citizenship)
                .map_err(|_| StoreError::Corrupt(format!("event citizenship {citizenship:?}")))?,
            at: r.col(5)?,
            actor: r.col(6)?,
            summary: r.col(7)?,
        })
    }
}

/// The statement appending an event about `person` (its citizenship read from the person row).
pub(crate) fn event_step(
    person: PersonId,
    kind: PersonEventKind,
    subject: Uuid,
    at: Timestamp,
    actor: &str,
    summary: String,
) -> Step {
    let params: Vec<Param> = vec![
        Uuid::now_v7().into(),
        person.as_uuid().into(),
        kind.as_str().into(),
        subject.into(),
        at.into(),
        actor.into(),
        summary.into(),
    ];
    Step::guard(INSERT_EVENT, params)
}

/// The statements recording `ban` and its event; the first is guarded by the person existing.
pub(crate) fn ban_steps(ban: &NewBan) -> Vec<Step> {
    let summary = format!(
        "entry ban {} to {}, {}, decision {}",
        ban.starts_on,
        ban.ends_on,
        ban.ground.as_str(),
        ban.decision_ref
    );
    let params: Vec<Param> = vec![
        ban.id.into(),
        ban.person_id.as_uuid().into(),
        ban.starts_on.into(),
        ban.ends_on.into(),
        ban.ground.as_str().into(),
        ban.basis.as_str().into(),
        ban.decision_ref.as_str().into(),
        ban.decided_by.clone().into(),
        ban.recorded_by.as_str().into(),
        ban.recorded_at.into(),
    ];
    vec![
        Step::guard(INSERT_BAN, params),
        event_step(ban.person_id, PersonEventKind::BanRecorded, ban.id, ban.recorded_at, &ban.recorded_by, summary),
    ]
}

impl Store {
    /// Records a ban on an existing person (give the survivor of a merge) and the event a
    /// partner state may be told of, in one transaction.
    pub async fn record_ban(&self, ban: NewBan) -> Result<BanRecord, BanError> {
        if ban.ends_on < ban.starts_on {
            return Err(BanError::EndsBeforeStart { starts_on: ban.starts_on, ends_on: ban.ends_on });
        }
        if self.write_steps(ban_steps(&ban)).await?.is_err() {
            return Err(BanError::PersonNotFound);
        }
        self.ban(ban.id).await?.ok_or_else(|| BanError::Store(StoreError::Corrupt("a recorded ban is gone".into())))
    }

    /// Lifts a ban from `lift.from` on, once, and appends the event, in one transaction.
    pub async fn lift_ban(&self, id: Uuid, lift: BanLift) -> Result<BanRecord, LiftError> {
        let current = self.ban(id).await?.ok_or(LiftError::NotFound)?;
        let refusal = |current: &BanRecord| match &current.lift {
            Some(done) => LiftError::AlreadyLifted(done.from),
            None if lift.from > current.ends_on => {
                LiftError::AlreadyEnded { from: lift.from, ends_on: current.ends_on }
            }
            None => LiftError::Store(StoreError::Corrupt("a ban could not be lifted".into())),
        };
        if current.lift.is_some() || lift.from > current.ends_on {
            return Err(refusal(&current));
        }
        let summary = format!("entry ban lifted from {}: {}", lift.from, lift.reason);
        let params: Vec<Param> = vec![
            id.into(),
            lift.from.into(),
            lift.reason.as_str().into(),
            lift.decision_ref.clone().into(),
            lift.by.as_str().into(),
            lift.at.into(),
        ];
        let steps = vec![
            Step::guard(LIFT_BAN, params),
            event_step(current.person_id, PersonEventKind::BanLifted, id, lift.at, &lift.by, summary),
        ];
        if self.write_steps(steps).await?.is_err() {
            // Lifted (or moved by a merge) since it was read: answer as it stands now.
            let now = self.ban(id).await?.ok_or(LiftError::NotFound)?;
            return Err(refusal(&now));
        }
        self.ban(id).await?.ok_or(LiftError::NotFound)
    }

    /// One ban.
    pub async fn ban(&self, id: Uuid) -> Result<Option<BanRecord>, StoreError> {
        Ok(self.read_built(select_bans("id = $1"), vec![id.into()]).await?.into_iter().next())
    }

    /// A person's bans, lifted and ended ones too, by first day.
    pub async fn bans_of(&self, person: PersonId) -> Result<Vec<BanRecord>, StoreError> {
        self.read_built(select_bans("person_id = $1"), vec![person.as_uuid().into()]).await
    }

    /// The events about a person, oldest first.
    pub async fn events_of(&self, person: PersonId) -> Result<Vec<PersonEvent>, StoreError> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM person_events WHERE person_id = $1 ORDER BY at, id");
        self.read_built(sql, vec![person.as_uuid().into()]).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn ban(starts_on: Date, ends_on: Date, lifted_from: Option<Date>) -> BanRecord {
        BanRecord {
            id: Uuid::nil(),
            person_id: PersonId::from_uuid(Uuid::nil()),
            starts_on,
            ends_on,
            ground: BanGround::Expulsion,
            basis: "basis".into(),
            decision_ref: "1".into(),
            decided_by: None,
            recorded_by: "officer".into(),
            recorded_at: Timestamp::UNIX_EPOCH,
            lift: lifted_from.map(|from| BanLift {
                from,
                reason: "reason".into(),
                decision_ref: None,
                by: "officer".into(),
                at: Timestamp::UNIX_EPOCH,
            }),
        }
    }

    #[test]
    fn a_ban_holds_from_its_first_to_its_last_day_unless_lifted() {
        let whole = ban(date(2025, 1, 10), date(2030, 1, 9), None);
        assert!(!whole.in_force_on(date(2025, 1, 9)));
        assert!(whole.in_force_on(date(2025, 1, 10)));
        assert!(whole.in_force_on(date(2030, 1, 9)));
        assert!(!whole.in_force_on(date(2030, 1, 10)));

        let lifted = ban(date(2025, 1, 10), date(2030, 1, 9), Some(date(2026, 6, 1)));
        assert_eq!(lifted.last_day(), Some(date(2026, 5, 31)));
        assert!(lifted.in_force_on(date(2026, 5, 31)));
        assert!(!lifted.in_force_on(date(2026, 6, 1)));

        let voided = ban(date(2025, 1, 10), date(2030, 1, 9), Some(date(2025, 1, 10)));
        assert_eq!(voided.last_day(), None);
        assert!(!voided.in_force_on(date(2025, 1, 10)));
    }
}
