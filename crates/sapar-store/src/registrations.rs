//! Registrations of foreigners at their place of stay, as stored: filed (superseding the
//! registration in force, for an address change), extended, ended by a deregistration or an exit;
//! every change a row of `registration_events`, nothing deleted (triggers refuse it on both
//! backends). A failure to register is recorded once per arrival (`registration_failures`) with
//! the draft violation it implies, in the transaction that finds it: a late filing's or the
//! sweep's, whichever comes first.

use std::collections::HashSet;

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::{CrossingId, PersonId};
use sapar_rules::Liable;
use uuid::Uuid;

use crate::error::StoreError;
use crate::row::{Decode, Param, Row};
use crate::{Step, Store};

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegistrationState {
    /// Filed, awaiting (or needing no) acceptance: in force.
    Submitted,
    /// Accepted by the migration service: in force.
    Accepted,
    /// Refused, with a reason and legal basis.
    Refused,
    /// Replaced by the registration at a new address.
    Superseded,
    /// Ended by an exit or a deregistration.
    Ended,
}

impl RegistrationState {
    pub const ALL: [RegistrationState; 5] = [
        RegistrationState::Submitted,
        RegistrationState::Accepted,
        RegistrationState::Refused,
        RegistrationState::Superseded,
        RegistrationState::Ended,
    ];

    /// Stable identifier, as stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationState::Submitted => "submitted",
            RegistrationState::Accepted => "accepted",
            RegistrationState::Refused => "refused",
            RegistrationState::Superseded => "superseded",
            RegistrationState::Ended => "ended",
        }
    }

    pub fn parse(s: &str) -> Option<RegistrationState> {
        RegistrationState::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether a registration in this state is in force.
    pub fn in_force(self) -> bool {
        matches!(self, RegistrationState::Submitted | RegistrationState::Accepted)
    }
}

/// Who receives the foreigner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartyKind {
    /// A private host: identified by an identity document number.
    PrivatePerson,
    /// A hotel, landlord company or employer: identified by its registration number (BIN).
    LegalEntity,
    /// The migrant registers themself.
    Migrant,
}

impl PartyKind {
    pub const ALL: [PartyKind; 3] = [PartyKind::PrivatePerson, PartyKind::LegalEntity, PartyKind::Migrant];

    /// Stable identifier, as stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::PrivatePerson => "private_person",
            PartyKind::LegalEntity => "legal_entity",
            PartyKind::Migrant => "migrant",
        }
    }

    pub fn parse(s: &str) -> Option<PartyKind> {
        PartyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How a registration reached the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilingChannel {
    /// At a migration service desk.
    Desk,
    /// Through the JSON API (a hotel's or employer's system).
    Api,
    /// On the web workplace.
    Web,
    /// By the migrant on the self-service page.
    SelfService,
}

impl FilingChannel {
    pub const ALL: [FilingChannel; 4] =
        [FilingChannel::Desk, FilingChannel::Api, FilingChannel::Web, FilingChannel::SelfService];

    /// Stable identifier, as stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            FilingChannel::Desk => "desk",
            FilingChannel::Api => "api",
            FilingChannel::Web => "web",
            FilingChannel::SelfService => "self",
        }
    }

    pub fn parse(s: &str) -> Option<FilingChannel> {
        FilingChannel::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Why a registration ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndReason {
    /// The person left the country.
    Exit,
    /// The receiving party or the migrant deregistered.
    Deregistered,
}

impl EndReason {
    /// Stable identifier, as stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::Exit => "exit",
            EndReason::Deregistered => "deregistered",
        }
    }

    pub fn parse(s: &str) -> Option<EndReason> {
        [EndReason::Exit, EndReason::Deregistered].into_iter().find(|k| k.as_str() == s)
    }
}

fn parse_liable(s: &str) -> Option<Liable> {
    [Liable::ReceivingParty, Liable::Migrant].into_iter().find(|l| l.as_str() == s)
}

/// The address of the place of stay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// A region code from the host state's list (ISO 3166-2).
    pub region: String,
    pub locality: String,
    pub street: Option<String>,
    pub building: Option<String>,
    pub flat: Option<String>,
}

/// The party receiving the foreigner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivingParty {
    pub kind: PartyKind,
    pub name: String,
    /// A private host's document number, a legal entity's registration number; none for the
    /// migrant (their own documents are on their record).
    pub identity: Option<String>,
    /// The employer on record with this registration number, for a legal entity.
    pub employer_id: Option<Uuid>,
}

/// The term the stay rules set for registering an arrival.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// The last day to register on time.
    pub due_on: Date,
    pub rule_id: String,
    /// Who answers for registering on time.
    pub liable: Liable,
}

/// A failure to register an arrival on time, with the draft violation it implies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationFailure {
    pub person_id: PersonId,
    pub arrival_on: Date,
    pub due_on: Date,
    pub liable: Liable,
    /// The draft violation's id, kind (`registration_failure`), detection day, article and
    /// description; the employer it names when a legal entity is liable.
    pub violation_id: Uuid,
    pub kind: String,
    pub detected_on: Date,
    pub article: Option<String>,
    pub description: String,
    pub employer_id: Option<Uuid>,
    pub recorded_by: String,
    pub at: Timestamp,
}

/// A registration to file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRegistration {
    pub id: Uuid,
    pub person_id: PersonId,
    pub arrival_on: Date,
    pub arrival_crossing: Option<CrossingId>,
    pub address: Address,
    pub valid_from: Date,
    pub valid_until: Date,
    pub party: ReceivingParty,
    pub filed_by: String,
    pub channel: FilingChannel,
    pub filed_on: Date,
    pub at: Timestamp,
    pub deadline: Option<Deadline>,
    /// The registration in force this one replaces (an address change).
    pub supersedes: Option<Uuid>,
    /// When filed late: the failure to record with its draft violation (skipped when one is on
    /// record for the arrival already; the registration then names that violation).
    pub failure: Option<RegistrationFailure>,
}

/// A stored registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationRecord {
    pub id: Uuid,
    pub person_id: PersonId,
    pub arrival_on: Date,
    pub arrival_crossing: Option<CrossingId>,
    pub address: Address,
    pub valid_from: Date,
    pub valid_until: Date,
    pub party: ReceivingParty,
    pub filed_by: String,
    pub channel: FilingChannel,
    pub filed_on: Date,
    pub filed_at: Timestamp,
    pub state: RegistrationState,
    /// A refusal's reason and legal basis.
    pub state_reason: Option<String>,
    pub legal_basis: Option<String>,
    pub superseded_by: Option<Uuid>,
    /// The day it ended and why.
    pub ended: Option<(Date, EndReason)>,
    pub deadline: Option<Deadline>,
    /// The failure-to-register violation drafted for its arrival, when filed late.
    pub violation_id: Option<Uuid>,
    pub changed_at: Timestamp,
}

impl RegistrationRecord {
    /// Whether it was filed late: the first registration of its arrival, filed after the last
    /// day to register on time, names the failure-to-register violation of that arrival (an
    /// address change after the deadline is not late).
    pub fn late(&self) -> bool {
        self.violation_id.is_some()
    }
}

/// What happened to a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationEventKind {
    Filed,
    Extended,
    Superseded,
    Ended,
}

impl RegistrationEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationEventKind::Filed => "filed",
            RegistrationEventKind::Extended => "extended",
            RegistrationEventKind::Superseded => "superseded",
            RegistrationEventKind::Ended => "ended",
        }
    }

    fn parse(s: &str) -> Option<RegistrationEventKind> {
        [
            RegistrationEventKind::Filed,
            RegistrationEventKind::Extended,
            RegistrationEventKind::Superseded,
            RegistrationEventKind::Ended,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// A row of a registration's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationEvent {
    pub id: Uuid,
    pub registration_id: Uuid,
    pub kind: RegistrationEventKind,
    pub day: Date,
    /// For an extension: the end before and after.
    pub until_before: Option<Date>,
    pub until_after: Option<Date>,
    pub reason: Option<String>,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

/// Why a registration was not filed.
#[derive(Debug, thiserror::Error)]
pub enum FileRegistrationError {
    #[error("no person has this id")]
    PersonNotFound,
    /// The registration to supersede is no longer in force.
    #[error("the registration to supersede is no longer in force")]
    SupersededMeanwhile,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a registration was not changed.
#[derive(Debug, thiserror::Error)]
pub enum ChangeRegistrationError {
    #[error("no registration has this id")]
    NotFound,
    #[error("the registration is {}, no longer in force", .0.as_str())]
    NotInForce(RegistrationState),
    #[error("the registration already runs until {0}")]
    NotLater(Date),
    #[error(transparent)]
    Store(#[from] StoreError),
}

const COLUMNS: &str = "id, person_id, arrival_on, arrival_crossing_id, region, locality, street, building, flat,
     valid_from, valid_until, party_kind, party_name, party_identity, employer_id, filed_by, channel, filed_on,
     filed_at, state, state_reason, legal_basis, superseded_by, ended_on, end_reason, due_on, rule_id, liable,
     violation_id, changed_at";
const INSERT: &str = "INSERT INTO registrations (id, person_id, arrival_on, arrival_crossing_id, region, locality,
         street, building, flat, valid_from, valid_until, party_kind, party_name, party_identity, employer_id,
         filed_by, channel, filed_on, filed_at, state, due_on, rule_id, liable, changed_at, violation_id)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 'submitted',
         $20, $21, $22, $19, NULL
     WHERE EXISTS (SELECT 1 FROM persons WHERE id = $2)";
/// The same, naming the failure on record for the arrival (a late filing).
const INSERT_LATE: &str = "INSERT INTO registrations (id, person_id, arrival_on, arrival_crossing_id, region,
         locality, street, building, flat, valid_from, valid_until, party_kind, party_name, party_identity,
         employer_id, filed_by, channel, filed_on, filed_at, state, due_on, rule_id, liable, changed_at,
         violation_id)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 'submitted',
         $20, $21, $22, $19,
         (SELECT f.violation_id FROM registration_failures f WHERE f.person_id = $2 AND f.arrival_on = $3)
     WHERE EXISTS (SELECT 1 FROM persons WHERE id = $2)";
const SUPERSEDE: &str = "UPDATE registrations SET state = 'superseded', superseded_by = $2, changed_at = $3
     WHERE id = $1 AND state IN ('submitted', 'accepted')";
const EXTEND: &str = "UPDATE registrations SET valid_until = $2, changed_at = $3
     WHERE id = $1 AND state IN ('submitted', 'accepted') AND valid_until < $2";
const END: &str = "UPDATE registrations SET state = 'ended', ended_on = $2, end_reason = $3, changed_at = $4
     WHERE id = $1 AND state IN ('submitted', 'accepted')";
const INSERT_EVENT: &str = "INSERT INTO registration_events (id, registration_id, kind, day, until_before,
         until_after, reason, recorded_by, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const INSERT_FAILURE: &str = "INSERT INTO registration_failures (person_id, arrival_on, violation_id, due_on, liable,
         recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (person_id, arrival_on) DO NOTHING";
/// The draft violation of a failure, written only when its failure row was (so, once).
const INSERT_FAILURE_VIOLATION: &str = "INSERT INTO violations (id, person_id, kind, detected_on, status,
         created_at, recorded_by, article, description, employer_id)
     SELECT $1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9
     WHERE EXISTS (SELECT 1 FROM registration_failures WHERE violation_id = $1)";
const FAILURE_KEYS_SINCE: &str = "SELECT person_id, arrival_on FROM registration_failures WHERE arrival_on >= $1
     UNION SELECT person_id, arrival_on FROM registrations WHERE arrival_on >= $1";

fn select(filter: &str) -> String {
    format!("SELECT {COLUMNS} FROM registrations WHERE {filter} ORDER BY filed_at, id")
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("registration {what} {value:?}"))
}

impl Decode for RegistrationRecord {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        let party_kind: String = r.col(11)?;
        let channel: String = r.col(16)?;
        let state: String = r.col(19)?;
        let ended = match (r.col::<Option<Date>>(23)?, r.col::<Option<String>>(24)?) {
            (Some(day), Some(reason)) => {
                Some((day, EndReason::parse(&reason).ok_or_else(|| corrupt("end reason", &reason))?))
            }
            (None, None) => None,
            _ => return Err(StoreError::Corrupt("a registration's end is recorded in part".into())),
        };
        let deadline = match (r.col::<Option<Date>>(25)?, r.col::<Option<String>>(26)?, r.col::<Option<String>>(27)?) {
            (Some(due_on), Some(rule_id), Some(liable)) => Some(Deadline {
                due_on,
                rule_id,
                liable: parse_liable(&liable).ok_or_else(|| corrupt("liability", &liable))?,
            }),
            (None, None, None) => None,
            _ => return Err(StoreError::Corrupt("a registration's deadline is recorded in part".into())),
        };
        Ok(RegistrationRecord {
            id: r.col(0)?,
            person_id: r.col(1)?,
            arrival_on: r.col(2)?,
            arrival_crossing: r.col::<Option<Uuid>>(3)?.map(CrossingId::from_uuid),
            address: Address {
                region: r.col(4)?,
                locality: r.col(5)?,
                street: r.col(6)?,
                building: r.col(7)?,
                flat: r.col(8)?,
            },
            valid_from: r.col(9)?,
            valid_until: r.col(10)?,
            party: ReceivingParty {
                kind: PartyKind::parse(&party_kind).ok_or_else(|| corrupt("party kind", &party_kind))?,
                name: r.col(12)?,
                identity: r.col(13)?,
                employer_id: r.col(14)?,
            },
            filed_by: r.col(15)?,
            channel: FilingChannel::parse(&channel).ok_or_else(|| corrupt("channel", &channel))?,
            filed_on: r.col(17)?,
            filed_at: r.col(18)?,
            state: RegistrationState::parse(&state).ok_or_else(|| corrupt("state", &state))?,
            state_reason: r.col(20)?,
            legal_basis: r.col(21)?,
            superseded_by: r.col(22)?,
            ended,
            deadline,
            violation_id: r.col(28)?,
            changed_at: r.col(29)?,
        })
    }
}

impl Decode for RegistrationEvent {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        let kind: String = r.col(2)?;
        Ok(RegistrationEvent {
            id: r.col(0)?,
            registration_id: r.col(1)?,
            kind: RegistrationEventKind::parse(&kind).ok_or_else(|| corrupt("event kind", &kind))?,
            day: r.col(3)?,
            until_before: r.col(4)?,
            until_after: r.col(5)?,
            reason: r.col(6)?,
            recorded_by: r.col(7)?,
            recorded_at: r.col(8)?,
        })
    }
}

struct ArrivalKey(PersonId, Date);

impl Decode for ArrivalKey {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        Ok(ArrivalKey(r.col(0)?, r.col(1)?))
    }
}

#[allow(clippy::too_many_arguments)]
fn event_step(
    registration: Uuid,
    kind: RegistrationEventKind,
    day: Date,
    until_before: Option<Date>,
    until_after: Option<Date>,
    reason: Option<String>,
    by: &str,
    at: Timestamp,
) -> Step {
    let params: Vec<Param> = vec![
        Uuid::now_v7().into(),
        registration.into(),
        kind.as_str().into(),
        day.into(),
        until_before.into(),
        until_after.into(),
        reason.into(),
        by.into(),
        at.into(),
    ];
    Step::guard(INSERT_EVENT, params)
}

/// The statements recording a failure and its draft violation: both or, when a failure of the
/// arrival is on record already, neither.
fn failure_steps(f: &RegistrationFailure) -> [Step; 2] {
    let failure: Vec<Param> = vec![
        f.person_id.as_uuid().into(),
        f.arrival_on.into(),
        f.violation_id.into(),
        f.due_on.into(),
        f.liable.as_str().into(),
        f.at.into(),
    ];
    let violation: Vec<Param> = vec![
        f.violation_id.into(),
        f.person_id.as_uuid().into(),
        f.kind.as_str().into(),
        f.detected_on.into(),
        f.at.into(),
        f.recorded_by.as_str().into(),
        f.article.clone().into(),
        f.description.as_str().into(),
        f.employer_id.into(),
    ];
    [Step::plain(INSERT_FAILURE, failure), Step::plain(INSERT_FAILURE_VIOLATION, violation)]
}

impl Store {
    /// Files a registration on an existing person (give the survivor of a merge): the one it
    /// supersedes, the failure it implies when late (with its draft violation, unless the
    /// arrival's failure is on record) and its history row, in one transaction.
    pub async fn file_registration(&self, r: NewRegistration) -> Result<RegistrationRecord, FileRegistrationError> {
        let mut steps = Vec::new();
        if let Some(old) = r.supersedes {
            steps.push(Step::guard(SUPERSEDE, vec![old.into(), r.id.into(), r.at.into()]));
            steps.push(event_step(
                old,
                RegistrationEventKind::Superseded,
                r.filed_on,
                None,
                None,
                Some(format!("address change: registration {}", r.id)),
                &r.filed_by,
                r.at,
            ));
        }
        let supersede_steps = steps.len();
        if let Some(failure) = &r.failure {
            steps.extend(failure_steps(failure));
        }
        let deadline = r.deadline.as_ref();
        let params: Vec<Param> = vec![
            r.id.into(),
            r.person_id.as_uuid().into(),
            r.arrival_on.into(),
            r.arrival_crossing.map(|c| c.as_uuid()).into(),
            r.address.region.as_str().into(),
            r.address.locality.as_str().into(),
            r.address.street.clone().into(),
            r.address.building.clone().into(),
            r.address.flat.clone().into(),
            r.valid_from.into(),
            r.valid_until.into(),
            r.party.kind.as_str().into(),
            r.party.name.as_str().into(),
            r.party.identity.clone().into(),
            r.party.employer_id.into(),
            r.filed_by.as_str().into(),
            r.channel.as_str().into(),
            r.filed_on.into(),
            r.at.into(),
            deadline.map(|d| d.due_on).into(),
            deadline.map(|d| d.rule_id.clone()).into(),
            deadline.map(|d| d.liable.as_str().to_owned()).into(),
        ];
        let insert_at = steps.len();
        steps.push(Step::guard(if r.failure.is_some() { INSERT_LATE } else { INSERT }, params));
        steps.push(event_step(
            r.id,
            RegistrationEventKind::Filed,
            r.filed_on,
            None,
            Some(r.valid_until),
            None,
            &r.filed_by,
            r.at,
        ));
        match self.write_steps(steps).await? {
            Ok(()) => {}
            Err(step) if step < supersede_steps => return Err(FileRegistrationError::SupersededMeanwhile),
            Err(step) if step == insert_at => return Err(FileRegistrationError::PersonNotFound),
            Err(_) => return Err(StoreError::Corrupt("a registration's history could not be written".into()).into()),
        }
        self.registration(r.id).await?.ok_or_else(|| StoreError::Corrupt("a filed registration is gone".into()).into())
    }

    /// Moves the end of a registration in force to a later day, with its history row.
    pub async fn extend_registration(
        &self,
        id: Uuid,
        until: Date,
        day: Date,
        by: &str,
        at: Timestamp,
    ) -> Result<RegistrationRecord, ChangeRegistrationError> {
        let current = self.registration(id).await?.ok_or(ChangeRegistrationError::NotFound)?;
        Self::check_change(&current)?;
        if until <= current.valid_until {
            return Err(ChangeRegistrationError::NotLater(current.valid_until));
        }
        let steps = vec![
            Step::guard(EXTEND, vec![id.into(), until.into(), at.into()]),
            event_step(id, RegistrationEventKind::Extended, day, Some(current.valid_until), Some(until), None, by, at),
        ];
        self.changed(id, steps).await
    }

    /// Ends a registration in force on `day` for `reason`, with its history row.
    pub async fn end_registration(
        &self,
        id: Uuid,
        day: Date,
        reason: EndReason,
        note: Option<String>,
        by: &str,
        at: Timestamp,
    ) -> Result<RegistrationRecord, ChangeRegistrationError> {
        let current = self.registration(id).await?.ok_or(ChangeRegistrationError::NotFound)?;
        Self::check_change(&current)?;
        let reason_text = match note {
            Some(note) => format!("{}: {note}", reason.as_str()),
            None => reason.as_str().to_owned(),
        };
        let steps = vec![
            Step::guard(END, vec![id.into(), day.into(), reason.as_str().into(), at.into()]),
            event_step(id, RegistrationEventKind::Ended, day, None, None, Some(reason_text), by, at),
        ];
        self.changed(id, steps).await
    }

    fn check_change(current: &RegistrationRecord) -> Result<(), ChangeRegistrationError> {
        if current.state.in_force() { Ok(()) } else { Err(ChangeRegistrationError::NotInForce(current.state)) }
    }

    async fn changed(&self, id: Uuid, steps: Vec<Step>) -> Result<RegistrationRecord, ChangeRegistrationError> {
        let written = self.write_steps(steps).await?;
        let now = self.registration(id).await?.ok_or(ChangeRegistrationError::NotFound)?;
        match written {
            Ok(()) => Ok(now),
            // Changed by someone else since it was read: answer as it stands now.
            Err(_) if !now.state.in_force() => Err(ChangeRegistrationError::NotInForce(now.state)),
            Err(_) => Err(ChangeRegistrationError::NotLater(now.valid_until)),
        }
    }

    /// Records failures to register with their draft violations, each in its own transaction;
    /// an arrival whose failure is on record already is skipped. How many were new.
    pub async fn record_registration_failures(&self, failures: Vec<RegistrationFailure>) -> Result<u64, StoreError> {
        let mut new = 0;
        for f in &failures {
            let [failure, violation] = failure_steps(f);
            let steps = vec![Step { must_change: true, ..failure }, violation];
            if self.write_steps(steps).await?.is_ok() {
                new += 1;
            }
        }
        Ok(new)
    }

    /// The arrivals on or after `since`, as (person, day of arrival), that have a registration
    /// (in any state) or a failure to register on record: the sweep leaves these out.
    pub async fn accounted_arrivals_since(&self, since: Date) -> Result<HashSet<(PersonId, Date)>, StoreError> {
        let rows: Vec<ArrivalKey> = self.read(FAILURE_KEYS_SINCE, vec![since.into()]).await?;
        Ok(rows.into_iter().map(|ArrivalKey(p, d)| (p, d)).collect())
    }

    /// One registration.
    pub async fn registration(&self, id: Uuid) -> Result<Option<RegistrationRecord>, StoreError> {
        Ok(self.read_built(select("id = $1"), vec![id.into()]).await?.into_iter().next())
    }

    /// A person's registrations, in the order they were filed.
    pub async fn registrations_of(&self, person: PersonId) -> Result<Vec<RegistrationRecord>, StoreError> {
        self.read_built(select("person_id = $1"), vec![person.as_uuid().into()]).await
    }

    /// The person's registration in force, if any.
    pub async fn registration_in_force(&self, person: PersonId) -> Result<Option<RegistrationRecord>, StoreError> {
        let filter = "person_id = $1 AND state IN ('submitted', 'accepted')";
        Ok(self.read_built(select(filter), vec![person.as_uuid().into()]).await?.into_iter().next())
    }

    /// A registration's history, oldest first.
    pub async fn registration_events(&self, id: Uuid) -> Result<Vec<RegistrationEvent>, StoreError> {
        let sql = "SELECT id, registration_id, kind, day, until_before, until_after, reason, recorded_by, recorded_at
             FROM registration_events WHERE registration_id = $1 ORDER BY recorded_at, id";
        self.read(sql, vec![id.into()]).await
    }
}
