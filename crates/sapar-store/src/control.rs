//! The control register as stored: entries on a legal ground from a closed list, the notices sent
//! to the person, applications for removal and the decisions on them.
//!
//! A person is included by a decision (its reference and who decided); the entry is removed by
//! recording why, when, by whom and on what (a crossing, a permit, an application), never deleted
//! (triggers refuse it on both backends). Inclusion and every removal append a
//! [`crate::bans::PersonEvent`] in the same transaction. An application is decided once; a grant
//! removes the entry in the decision's transaction. Each statement is written once for both
//! backends.
//!
//! A person has at most one active entry: an inclusion is refused while one is active. Two
//! inclusions racing on PostgreSQL, or the merge of two listed persons, can leave a person with
//! two; every removal rule acts on all of a person's active entries, so the register stays sound.

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::PersonId;
use uuid::Uuid;

use crate::bans::{PersonEventKind, event_step};
use crate::error::StoreError;
use crate::row::{Decode, Param, Row};
use crate::{Step, Store};

macro_rules! closed_list {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// Every value, in the order listed.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// Stable identifier, as stored and in the API.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

closed_list! {
    /// The legal grounds of inclusion (after 115-FZ art. 31.1 and the register's closed list).
    ControlGround {
        /// Entry across the border outside the law.
        IllegalEntry = "illegal_entry",
        /// A court sentence.
        CourtSentence = "court_sentence",
        /// The visa or permit expired or was annulled.
        PermitExpiredOrAnnulled = "permit_expired_or_annulled",
        /// A decision shortened the stay.
        StayShortened = "stay_shortened",
        Deportation = "deportation",
        Readmission = "readmission",
        Expulsion = "expulsion",
        /// The host state's citizenship was lost.
        CitizenshipLost = "citizenship_lost",
        /// Refugee status or temporary asylum refused or withdrawn.
        RefugeeStatusRefused = "refugee_status_refused",
        /// An entry ban stands.
        EntryBan = "entry_ban",
    }
}

closed_list! {
    /// What a listed person may not do.
    Restriction {
        /// No driving licence issued or exchanged.
        DrivingLicence = "driving_licence",
        /// Bank operations limited (cash withdrawals capped).
        BankOperationsLimited = "bank_operations_limited",
        /// No marriage registered.
        Marriage = "marriage",
        /// No change of address or region without permission.
        ChangeOfResidence = "change_of_residence",
        /// No registration of property or of a company.
        PropertyAndCompanyRegistration = "property_and_company_registration",
    }
}

impl ControlGround {
    /// The restrictions that follow from inclusion on this ground: the one place this mapping
    /// lives. Source: 115-FZ art. 31.2 (in force since 5 February 2025), which attaches the same
    /// five restrictions to every ground; it is kept per ground so that a host state whose law
    /// differs changes this table and nothing else.
    pub fn restrictions(self) -> &'static [Restriction] {
        match self {
            ControlGround::IllegalEntry
            | ControlGround::CourtSentence
            | ControlGround::PermitExpiredOrAnnulled
            | ControlGround::StayShortened
            | ControlGround::Deportation
            | ControlGround::Readmission
            | ControlGround::Expulsion
            | ControlGround::CitizenshipLost
            | ControlGround::RefugeeStatusRefused
            | ControlGround::EntryBan => Restriction::ALL,
        }
    }

    /// Whether a permit that legalises the stay ends this ground. An unlawful stay (illegal
    /// entry, an expired or annulled permit, a shortened stay, a lost citizenship or refused
    /// status) ends with a lawful basis to stay; a sentence, a removal decision or a ban does not:
    /// only its cancellation (or departure) ends it.
    pub fn ends_with_legal_stay(self) -> bool {
        matches!(
            self,
            ControlGround::IllegalEntry
                | ControlGround::PermitExpiredOrAnnulled
                | ControlGround::StayShortened
                | ControlGround::CitizenshipLost
                | ControlGround::RefugeeStatusRefused
        )
    }
}

closed_list! {
    /// Why an entry was removed.
    RemovalReason {
        /// The person left the country (an exit crossing).
        Departure = "departure",
        /// A permit legalised the stay.
        LegalisedStatus = "legalised_status",
        /// The decision the inclusion rested on was cancelled.
        DecisionCancelled = "decision_cancelled",
        /// An application for removal was granted.
        ApplicationGranted = "application_granted",
    }
}

closed_list! {
    /// How a notice reached the person.
    NoticeChannel {
        InPerson = "in_person",
        Post = "post",
        Email = "email",
        Sms = "sms",
        /// Through the person's consulate.
        Consular = "consular",
    }
}

closed_list! {
    /// Who applies for removal.
    Applicant {
        Person = "person",
        Representative = "representative",
        /// The person's state.
        State = "state",
    }
}

closed_list! {
    /// Why removal is asked for.
    ApplicationGrounds {
        Departure = "departure",
        LegalisedStatus = "legalised_status",
        DecisionCancelled = "decision_cancelled",
        CourtRuling = "court_ruling",
        /// The person was listed by mistake.
        Error = "error",
    }
}

closed_list! {
    /// The decision on an application.
    ApplicationDecision {
        Grant = "grant",
        Deny = "deny",
    }
}

/// An inclusion to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewControlEntry {
    pub id: Uuid,
    pub person_id: PersonId,
    pub ground: ControlGround,
    /// The decision's number and date, as written on it.
    pub decision_ref: String,
    pub decided_on: Option<Date>,
    /// The legal basis: act and article.
    pub basis: Option<String>,
    /// The officer who decided (the actor including).
    pub decided_by: String,
    pub included_at: Timestamp,
}

/// The removal of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlRemoval {
    pub reason: RemovalReason,
    /// The reasons stated, or what happened (the crossing, the permit).
    pub note: Option<String>,
    /// What removed it: the exit crossing, the permit, the application.
    pub reference: Option<Uuid>,
    pub by: String,
    pub at: Timestamp,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlEntry {
    pub id: Uuid,
    pub person_id: PersonId,
    pub ground: ControlGround,
    pub decision_ref: String,
    pub decided_on: Option<Date>,
    pub basis: Option<String>,
    pub decided_by: String,
    pub included_at: Timestamp,
    pub removal: Option<ControlRemoval>,
}

impl ControlEntry {
    /// Whether the person is still listed by this entry.
    pub fn is_active(&self) -> bool {
        self.removal.is_none()
    }
}

/// A notice sent to the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlNotice {
    pub id: Uuid,
    pub entry_id: Uuid,
    pub channel: NoticeChannel,
    pub sent_on: Date,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

/// An application for removal, as filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRemovalApplication {
    pub id: Uuid,
    pub entry_id: Uuid,
    pub applicant: Applicant,
    pub applicant_name: String,
    pub grounds: ApplicationGrounds,
    pub statement: String,
    /// The documents enclosed, one name each (no line breaks).
    pub documents: Vec<String>,
    pub filed_by: String,
    pub filed_at: Timestamp,
    /// The day of filing in the host state.
    pub filed_on: Date,
    /// The last day for the decision.
    pub due_on: Date,
}

/// The decision on an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    pub decision: ApplicationDecision,
    pub reasons: String,
    /// Where a denial may be appealed; always present on a denial.
    pub appeal_route: Option<String>,
    pub by: String,
    pub at: Timestamp,
}

/// A stored application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovalApplication {
    pub id: Uuid,
    pub entry_id: Uuid,
    pub applicant: Applicant,
    pub applicant_name: String,
    pub grounds: ApplicationGrounds,
    pub statement: String,
    pub documents: Vec<String>,
    pub filed_by: String,
    pub filed_at: Timestamp,
    pub filed_on: Date,
    pub due_on: Date,
    pub decision: Option<DecisionRecord>,
}

impl RemovalApplication {
    /// Undecided after its last day.
    pub fn is_overdue_on(&self, today: Date) -> bool {
        self.decision.is_none() && self.due_on < today
    }
}

/// Which applications to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationStatus {
    /// Undecided, the last day not yet passed.
    Pending,
    /// Undecided after the last day.
    Overdue,
    Decided,
}

/// Why a person was not included.
#[derive(Debug, thiserror::Error)]
pub enum IncludeError {
    #[error("no person has this id")]
    PersonNotFound,
    #[error("the person is already listed (entry {0})")]
    AlreadyListed(Uuid),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why an entry was not removed, or not given a notice or an application.
#[derive(Debug, thiserror::Error)]
pub enum EntryError {
    #[error("no control register entry has this id")]
    NotFound,
    #[error("the entry was removed before ({})", .0.reason.as_str())]
    AlreadyRemoved(Box<ControlRemoval>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why an application was not decided.
#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    #[error("no removal application has this id")]
    NotFound,
    #[error("the application was decided before: {}", .0.as_str())]
    AlreadyDecided(ApplicationDecision),
    #[error(transparent)]
    Store(#[from] StoreError),
}

const ENTRY_COLUMNS: &str = "id, person_id, ground, decision_ref, decided_on, basis, decided_by, included_at,
     removed_at, removal_reason, removal_note, removal_ref, removed_by";
const INSERT_ENTRY: &str = "INSERT INTO control_entries (id, person_id, ground, decision_ref, decided_on, basis,
         decided_by, included_at)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8
     WHERE EXISTS (SELECT 1 FROM persons WHERE id = $2)
       AND NOT EXISTS (SELECT 1 FROM control_entries WHERE person_id = $2 AND removed_at IS NULL)";
const REMOVE_ENTRY: &str = "UPDATE control_entries SET removed_at = $2, removal_reason = $3, removal_note = $4,
         removal_ref = $5, removed_by = $6
     WHERE id = $1 AND removed_at IS NULL";
/// The event of the removal of entry `$6`, made in this transaction (a guarded removal).
const INSERT_REMOVAL_EVENT: &str =
    "INSERT INTO person_events (id, person_id, kind, subject_id, citizenship, at, actor, summary)
     SELECT $1, c.person_id, $2, c.id, p.citizenship, $3, $4, $5
     FROM control_entries c JOIN persons p ON p.id = c.person_id
     WHERE c.id = $6";
/// The event of the removal of entry `$6` when the decision `$7` made it in this transaction (a
/// grant on an entry removed before, by an exit say, removes nothing and tells nothing).
const INSERT_GRANT_EVENT: &str =
    "INSERT INTO person_events (id, person_id, kind, subject_id, citizenship, at, actor, summary)
     SELECT $1, c.person_id, $2, c.id, p.citizenship, $3, $4, $5
     FROM control_entries c JOIN persons p ON p.id = c.person_id
     WHERE c.id = $6 AND c.removal_ref = $7";
const NOTICE_COLUMNS: &str = "id, entry_id, channel, sent_on, recorded_by, recorded_at";
const INSERT_NOTICE: &str = "INSERT INTO control_notices (id, entry_id, channel, sent_on, recorded_by, recorded_at)
     SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM control_entries WHERE id = $2)";
const APPLICATION_COLUMNS: &str = "id, entry_id, applicant, applicant_name, grounds, statement, documents, filed_by,
     filed_at, filed_on, due_on, decision, reasons, appeal_route, decided_by, decided_at";
const INSERT_APPLICATION: &str = "INSERT INTO removal_applications (id, entry_id, applicant, applicant_name, grounds,
         statement, documents, filed_by, filed_at, filed_on, due_on)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11
     WHERE EXISTS (SELECT 1 FROM control_entries WHERE id = $2 AND removed_at IS NULL)";
const DECIDE_APPLICATION: &str =
    "UPDATE removal_applications SET decision = $2, reasons = $3, appeal_route = $4, decided_by = $5, decided_at = $6
     WHERE id = $1 AND decision IS NULL";

fn select_entries(filter: &str) -> String {
    format!("SELECT {ENTRY_COLUMNS} FROM control_entries WHERE {filter} ORDER BY included_at, id")
}

fn select_applications(filter: &str) -> String {
    format!("SELECT {APPLICATION_COLUMNS} FROM removal_applications WHERE {filter} ORDER BY due_on, filed_at, id")
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

impl Decode for ControlEntry {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        let ground: String = r.col(2)?;
        let removal = match (r.col::<Option<Timestamp>>(8)?, r.col::<Option<String>>(9)?, r.col::<Option<String>>(12)?)
        {
            (Some(at), Some(reason), Some(by)) => Some(ControlRemoval {
                reason: RemovalReason::parse(&reason).ok_or_else(|| corrupt("removal reason", &reason))?,
                note: r.col(10)?,
                reference: r.col(11)?,
                by,
                at,
            }),
            (None, None, None) => None,
            _ => return Err(StoreError::Corrupt("a control entry's removal is recorded in part".into())),
        };
        Ok(ControlEntry {
            id: r.col(0)?,
            person_id: r.col(1)?,
            ground: ControlGround::parse(&ground).ok_or_else(|| corrupt("control ground", &ground))?,
            decision_ref: r.col(3)?,
            decided_on: r.col(4)?,
            basis: r.col(5)?,
            decided_by: r.col(6)?,
            included_at: r.col(7)?,
            removal,
        })
    }
}

impl Decode for ControlNotice {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        let channel: String = r.col(2)?;
        Ok(ControlNotice {
            id: r.col(0)?,
            entry_id: r.col(1)?,
            channel: NoticeChannel::parse(&channel).ok_or_else(|| corrupt("notice channel", &channel))?,
            sent_on: r.col(3)?,
            recorded_by: r.col(4)?,
            recorded_at: r.col(5)?,
        })
    }
}

impl Decode for RemovalApplication {
    fn decode(r: &impl Row) -> Result<Self, StoreError> {
        let applicant: String = r.col(2)?;
        let grounds: String = r.col(4)?;
        let documents: String = r.col(6)?;
        let decision =
            match (r.col::<Option<String>>(11)?, r.col::<Option<String>>(12)?, r.col::<Option<Timestamp>>(15)?) {
                (Some(decision), Some(reasons), Some(at)) => Some(DecisionRecord {
                    decision: ApplicationDecision::parse(&decision).ok_or_else(|| corrupt("decision", &decision))?,
                    reasons,
                    appeal_route: r.col(13)?,
                    by: r.col::<Option<String>>(14)?.unwrap_or_default(),
                    at,
                }),
                (None, None, None) => None,
                _ => return Err(StoreError::Corrupt("an application's decision is recorded in part".into())),
            };
        Ok(RemovalApplication {
            id: r.col(0)?,
            entry_id: r.col(1)?,
            applicant: Applicant::parse(&applicant).ok_or_else(|| corrupt("applicant", &applicant))?,
            applicant_name: r.col(3)?,
            grounds: ApplicationGrounds::parse(&grounds).ok_or_else(|| corrupt("application grounds", &grounds))?,
            statement: r.col(5)?,
            documents: documents.lines().filter(|d| !d.is_empty()).map(str::to_owned).collect(),
            filed_by: r.col(7)?,
            filed_at: r.col(8)?,
            filed_on: r.col(9)?,
            due_on: r.col(10)?,
            decision,
        })
    }
}

/// The statements removing entry `entry` and appending its event: guarded (nothing is written
/// unless the entry was active), or, for a grant, conditional on this removal having happened.
fn removal_steps(entry: Uuid, removal: &ControlRemoval, guard: bool) -> Vec<Step> {
    let reference = removal.reference;
    let update: Vec<Param> = vec![
        entry.into(),
        removal.at.into(),
        removal.reason.as_str().into(),
        removal.note.clone().into(),
        reference.into(),
        removal.by.as_str().into(),
    ];
    let summary = match &removal.note {
        Some(note) => format!("removed from the control register ({}): {note}", removal.reason.as_str()),
        None => format!("removed from the control register ({})", removal.reason.as_str()),
    };
    let mut event: Vec<Param> = vec![
        Uuid::now_v7().into(),
        PersonEventKind::ControlRemoved.as_str().into(),
        removal.at.into(),
        removal.by.as_str().into(),
        summary.into(),
        entry.into(),
    ];
    if guard {
        vec![Step::guard(REMOVE_ENTRY, update), Step::guard(INSERT_REMOVAL_EVENT, event)]
    } else {
        event.push(reference.into());
        vec![Step::plain(REMOVE_ENTRY, update), Step::plain(INSERT_GRANT_EVENT, event)]
    }
}

impl Store {
    /// Includes an existing person (give the survivor of a merge) who has no active entry, and
    /// appends the event, in one transaction.
    pub async fn include_in_control(&self, entry: NewControlEntry) -> Result<ControlEntry, IncludeError> {
        let summary =
            format!("included in the control register: {}, decision {}", entry.ground.as_str(), entry.decision_ref);
        let params: Vec<Param> = vec![
            entry.id.into(),
            entry.person_id.as_uuid().into(),
            entry.ground.as_str().into(),
            entry.decision_ref.as_str().into(),
            entry.decided_on.into(),
            entry.basis.clone().into(),
            entry.decided_by.as_str().into(),
            entry.included_at.into(),
        ];
        let steps = vec![
            Step::guard(INSERT_ENTRY, params),
            event_step(
                entry.person_id,
                PersonEventKind::ControlIncluded,
                entry.id,
                entry.included_at,
                &entry.decided_by,
                summary,
            ),
        ];
        if self.write_steps(steps).await?.is_err() {
            return match self.active_controls_of(entry.person_id).await?.first() {
                Some(active) => Err(IncludeError::AlreadyListed(active.id)),
                None => Err(IncludeError::PersonNotFound),
            };
        }
        self.control_entry(entry.id)
            .await?
            .ok_or_else(|| IncludeError::Store(StoreError::Corrupt("an included entry is gone".into())))
    }

    /// Removes an active entry, once, with the event, in one transaction.
    pub async fn remove_from_control(&self, id: Uuid, removal: ControlRemoval) -> Result<ControlEntry, EntryError> {
        if self.write_steps(removal_steps(id, &removal, true)).await?.is_err() {
            return match self.control_entry(id).await? {
                None => Err(EntryError::NotFound),
                Some(entry) => match entry.removal {
                    Some(done) => Err(EntryError::AlreadyRemoved(Box::new(done))),
                    None => Err(EntryError::Store(StoreError::Corrupt("an entry could not be removed".into()))),
                },
            };
        }
        self.control_entry(id).await?.ok_or(EntryError::NotFound)
    }

    /// Records a notice sent on an entry (removed ones too: the person is told of a removal).
    pub async fn record_control_notice(&self, notice: ControlNotice) -> Result<ControlNotice, EntryError> {
        let params: Vec<Param> = vec![
            notice.id.into(),
            notice.entry_id.into(),
            notice.channel.as_str().into(),
            notice.sent_on.into(),
            notice.recorded_by.as_str().into(),
            notice.recorded_at.into(),
        ];
        if self.write_steps(vec![Step::guard(INSERT_NOTICE, params)]).await?.is_err() {
            return Err(EntryError::NotFound);
        }
        // Read back: the stored instant is to the microsecond.
        self.control_notices_of(notice.entry_id)
            .await?
            .into_iter()
            .find(|n| n.id == notice.id)
            .ok_or_else(|| EntryError::Store(StoreError::Corrupt("a recorded notice is gone".into())))
    }

    /// Files an application for the removal of an active entry.
    pub async fn file_removal_application(
        &self,
        application: NewRemovalApplication,
    ) -> Result<RemovalApplication, EntryError> {
        let params: Vec<Param> = vec![
            application.id.into(),
            application.entry_id.into(),
            application.applicant.as_str().into(),
            application.applicant_name.as_str().into(),
            application.grounds.as_str().into(),
            application.statement.as_str().into(),
            application.documents.join("\n").into(),
            application.filed_by.as_str().into(),
            application.filed_at.into(),
            application.filed_on.into(),
            application.due_on.into(),
        ];
        if self.write_steps(vec![Step::guard(INSERT_APPLICATION, params)]).await?.is_err() {
            return match self.control_entry(application.entry_id).await? {
                None => Err(EntryError::NotFound),
                Some(entry) => match entry.removal {
                    Some(done) => Err(EntryError::AlreadyRemoved(Box::new(done))),
                    None => Err(EntryError::Store(StoreError::Corrupt("an application could not be filed".into()))),
                },
            };
        }
        self.removal_application(application.id)
            .await?
            .ok_or_else(|| EntryError::Store(StoreError::Corrupt("a filed application is gone".into())))
    }

    /// Decides an application, once; a grant removes its entry (when still active) and appends
    /// the event, all in one transaction. Answers the application and its entry as they are now.
    pub async fn decide_removal_application(
        &self,
        id: Uuid,
        decision: DecisionRecord,
    ) -> Result<(RemovalApplication, ControlEntry), DecideError> {
        let current = self.removal_application(id).await?.ok_or(DecideError::NotFound)?;
        if let Some(done) = &current.decision {
            return Err(DecideError::AlreadyDecided(done.decision));
        }
        let params: Vec<Param> = vec![
            id.into(),
            decision.decision.as_str().into(),
            decision.reasons.as_str().into(),
            decision.appeal_route.clone().into(),
            decision.by.as_str().into(),
            decision.at.into(),
        ];
        let mut steps = vec![Step::guard(DECIDE_APPLICATION, params)];
        if decision.decision == ApplicationDecision::Grant {
            let removal = ControlRemoval {
                reason: RemovalReason::ApplicationGranted,
                note: Some(decision.reasons.clone()),
                reference: Some(id),
                by: decision.by.clone(),
                at: decision.at,
            };
            steps.extend(removal_steps(current.entry_id, &removal, false));
        }
        if self.write_steps(steps).await?.is_err() {
            let now = self.removal_application(id).await?.ok_or(DecideError::NotFound)?;
            return Err(match now.decision {
                Some(done) => DecideError::AlreadyDecided(done.decision),
                None => DecideError::Store(StoreError::Corrupt("an application could not be decided".into())),
            });
        }
        let application = self.removal_application(id).await?.ok_or(DecideError::NotFound)?;
        let entry = self
            .control_entry(application.entry_id)
            .await?
            .ok_or_else(|| DecideError::Store(StoreError::Corrupt("an application's entry is gone".into())))?;
        Ok((application, entry))
    }

    /// One entry.
    pub async fn control_entry(&self, id: Uuid) -> Result<Option<ControlEntry>, StoreError> {
        Ok(self.read_built(select_entries("id = $1"), vec![id.into()]).await?.into_iter().next())
    }

    /// A person's entries, removed ones too, oldest first.
    pub async fn control_entries_of(&self, person: PersonId) -> Result<Vec<ControlEntry>, StoreError> {
        self.read_built(select_entries("person_id = $1"), vec![person.as_uuid().into()]).await
    }

    /// A person's active entries (one indexed lookup; usually none).
    pub async fn active_controls_of(&self, person: PersonId) -> Result<Vec<ControlEntry>, StoreError> {
        self.read_built(select_entries("person_id = $1 AND removed_at IS NULL"), vec![person.as_uuid().into()]).await
    }

    /// Active (or removed) entries, oldest inclusion first, a page of them.
    pub async fn control_entries(
        &self,
        active: bool,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<ControlEntry>, StoreError> {
        let filter = if active { "removed_at IS NULL" } else { "removed_at IS NOT NULL" };
        let sql = format!("{} LIMIT $1 OFFSET $2", select_entries(filter));
        self.read_built(sql, vec![i64::from(limit).into(), i64::from(offset).into()]).await
    }

    /// How many entries are active (or removed).
    pub async fn control_entry_count(&self, active: bool) -> Result<i64, StoreError> {
        let filter = if active { "removed_at IS NULL" } else { "removed_at IS NOT NULL" };
        let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM control_entries WHERE {filter}");
        let count: Vec<(i64,)> = self.read_built(sql, Vec::new()).await?;
        Ok(count.first().map_or(0, |(n,)| *n))
    }

    /// The notices sent on an entry, by day sent.
    pub async fn control_notices_of(&self, entry: Uuid) -> Result<Vec<ControlNotice>, StoreError> {
        let sql = format!("SELECT {NOTICE_COLUMNS} FROM control_notices WHERE entry_id = $1 ORDER BY sent_on, id");
        self.read_built(sql, vec![entry.into()]).await
    }

    /// One application.
    pub async fn removal_application(&self, id: Uuid) -> Result<Option<RemovalApplication>, StoreError> {
        Ok(self.read_built(select_applications("id = $1"), vec![id.into()]).await?.into_iter().next())
    }

    /// The applications on an entry, earliest deadline first.
    pub async fn removal_applications_of(&self, entry: Uuid) -> Result<Vec<RemovalApplication>, StoreError> {
        self.read_built(select_applications("entry_id = $1"), vec![entry.into()]).await
    }

    /// Applications with `status` on `today`, earliest deadline first.
    pub async fn removal_applications(
        &self,
        status: ApplicationStatus,
        today: Date,
    ) -> Result<Vec<RemovalApplication>, StoreError> {
        let (filter, params): (&str, Vec<Param>) = match status {
            ApplicationStatus::Pending => ("decision IS NULL AND due_on >= $1", vec![today.into()]),
            ApplicationStatus::Overdue => ("decision IS NULL AND due_on < $1", vec![today.into()]),
            ApplicationStatus::Decided => ("decision IS NOT NULL", Vec::new()),
        };
        self.read_built(select_applications(filter), params).await
    }
}
