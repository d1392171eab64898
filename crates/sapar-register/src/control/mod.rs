//! The control register with due process: a person is included only on a legal ground from a
//! closed list by a recorded decision, is told of it (a recorded notice, printable in Russian and
//! the person's language), is removed automatically when the ground ends (an exit, a legalising
//! permit, the decision cancelled), and may apply for removal with a deadline of working days on
//! the host state's production calendar, decided once with reasons and, on a denial, the route
//! of appeal. Third parties learn only whether a document's holder is listed, and every lookup
//! of a known person is logged. Nothing is deleted.

mod notice;

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::{CrossingId, DocumentKey, InputCode, InputError, Person, PersonId, Role, parse_date};
use sapar_store::control::{
    Applicant, ApplicationDecision, ApplicationGrounds, ApplicationStatus, ControlEntry, ControlGround, ControlNotice,
    ControlRemoval, DecideError, DecisionRecord, EntryError, IncludeError, NewControlEntry, NewRemovalApplication,
    NoticeChannel, RemovalApplication, RemovalReason,
};
use sapar_store::permits::PermitRecord;
use uuid::Uuid;

pub use notice::{NoticeLanguage, NoticeText};

use crate::access::{Access, view};
use crate::text::{MAX_NOTE_CHARS, excerpt, optional_text, short_text};
use crate::{Actor, Entity, Register, RegisterError};

/// Who includes, removes and decides.
const DECIDERS: &[Role] = &[Role::Officer];
/// Who reads entries with their applications and notices.
const READERS: &[Role] = &[Role::Officer, Role::Border];
/// Who lists the register and the applications.
const OFFICERS: &[Role] = &[Role::Officer];
/// Who may ask whether a document's holder is listed: the officers and the border, and the
/// exchange role through which outside bodies (a partner state, a bank or an employer under an
/// agreement) are connected. Analysts and auditors never look up individuals.
const CHECKERS: &[Role] = &[Role::Officer, Role::Border, Role::Exchange];

/// Working days within which an application for removal is decided, on the host state's
/// production calendar (a setting: [`Register::with_removal_term`]).
pub const REMOVAL_DECISION_WORKING_DAYS: u16 = 10;
/// Most documents an application lists.
const MAX_DOCUMENTS: usize = 50;

/// An inclusion as submitted, every value still untrusted text.
#[derive(Debug, Clone, Default)]
pub struct RawInclusion {
    /// One of [`ControlGround::ALL`]; required.
    pub ground: Option<String>,
    /// The decision's number and date; required.
    pub decision_ref: Option<String>,
    /// The day of the decision, `YYYY-MM-DD`.
    pub decided_on: Option<String>,
    /// The legal basis: act and article.
    pub basis: Option<String>,
}

/// A notice as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawNotice {
    /// `in_person`, `post`, `email`, `sms` or `consular`.
    pub channel: String,
    /// The day it was sent or handed over, `YYYY-MM-DD`.
    pub sent_on: String,
}

/// An application for removal as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawApplication {
    /// `person`, `representative` or `state`.
    pub applicant: String,
    pub applicant_name: String,
    /// `departure`, `legalised_status`, `decision_cancelled`, `court_ruling` or `error`.
    pub grounds: String,
    pub statement: String,
    pub documents: Vec<String>,
}

/// A decision on an application as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawDecision {
    /// `grant` or `deny`.
    pub decision: String,
    /// Required.
    pub reasons: String,
    /// Required on a denial: where and within what time it may be appealed.
    pub appeal_route: Option<String>,
}

/// An entry with everything the person may have been told and has asked.
#[derive(Debug, Clone)]
pub struct EntryFile {
    pub entry: ControlEntry,
    /// The person the entry lists (the survivor when merged); `None` only if the person's record
    /// could not be read back.
    pub person: Option<Person>,
    /// Earliest deadline first.
    pub applications: Vec<RemovalApplication>,
    /// By day sent.
    pub notices: Vec<ControlNotice>,
}

/// A page of entries.
#[derive(Debug, Clone)]
pub struct EntryPage {
    pub active: bool,
    /// Entries with this status in all.
    pub total: i64,
    pub items: Vec<ControlEntry>,
    /// The persons the page's entries list, by the id an entry holds (the record shown is the
    /// survivor's when that id was merged), each id once.
    pub persons: Vec<(PersonId, Person)>,
}

impl EntryPage {
    /// The person `entry` lists, unless the record could not be read back.
    pub fn person_of(&self, entry: &ControlEntry) -> Option<&Person> {
        self.persons.iter().find(|(id, _)| *id == entry.person_id).map(|(_, person)| person)
    }
}

fn closed<T: Copy>(
    text: &str,
    field: &'static str,
    code: InputCode,
    all: &[T],
    name: impl Fn(T) -> &'static str,
) -> Result<T, InputError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(InputError::new(field, InputCode::MissingField, format!("{field} must not be empty")));
    }
    all.iter().copied().find(|v| name(*v) == text).ok_or_else(|| {
        let known: Vec<&str> = all.iter().map(|v| name(*v)).collect();
        InputError::new(field, code, format!("{field} {:?} is not one of {}", excerpt(text), known.join(", ")))
    })
}

/// Required text of at most [`MAX_NOTE_CHARS`]; blank is `code` on `field`.
fn long_text(text: &str, field: &'static str, code: InputCode) -> Result<String, InputError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(InputError::new(field, code, format!("{field} is required")));
    }
    if text.chars().count() > MAX_NOTE_CHARS {
        return Err(InputError::new(
            field,
            InputCode::TooLong,
            format!("{field} holds at most {MAX_NOTE_CHARS} characters"),
        ));
    }
    Ok(text.to_owned())
}

fn entry_error(e: EntryError) -> RegisterError {
    match e {
        EntryError::NotFound => RegisterError::NotFound(Entity::ControlEntry),
        EntryError::AlreadyRemoved(done) => RegisterError::EntryRemoved { reason: done.reason.as_str() },
        EntryError::Store(e) => RegisterError::Store(e),
    }
}

impl Register {
    /// The same register giving `days` working days to decide an application for removal.
    pub fn with_removal_term(self, days: u16) -> Register {
        Register { removal_term_days: days, ..self }
    }

    /// Includes the person `person` answers for (the survivor when merged) on a ground from the
    /// closed list by the decision referred to, the actor being the officer who decided. Refused
    /// while the person is listed; the event for the person's state is written with it.
    pub async fn include_in_control(
        &self,
        actor: &Actor,
        person: PersonId,
        raw: &RawInclusion,
    ) -> Result<ControlEntry, RegisterError> {
        actor.require(DECIDERS, "include persons in the control register")?;
        let ground = closed(
            raw.ground.as_deref().unwrap_or_default(),
            "ground",
            InputCode::InvalidGround,
            ControlGround::ALL,
            ControlGround::as_str,
        )?;
        let decision_ref = short_text(raw.decision_ref.as_deref().unwrap_or_default(), "decision_ref")?;
        let decided_on = match raw.decided_on.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            Some(day) => Some(parse_date(day, "decided_on")?),
            None => None,
        };
        let basis = optional_text(raw.basis.as_deref(), "basis")?;
        let person = self.person_answering_for(person).await?.person.id;
        let entry = NewControlEntry {
            id: Uuid::now_v7(),
            person_id: person,
            ground,
            decision_ref,
            decided_on,
            basis,
            decided_by: actor.name.clone(),
            included_at: self.now(),
        };
        self.store.include_in_control(entry).await.map_err(|e| match e {
            IncludeError::PersonNotFound => RegisterError::NotFound(Entity::Person),
            IncludeError::AlreadyListed(entry) => RegisterError::AlreadyListed(entry),
            IncludeError::Store(e) => RegisterError::Store(e),
        })
    }

    /// Records a notice of an entry sent to the person.
    pub async fn record_control_notice(
        &self,
        actor: &Actor,
        entry: Uuid,
        raw: &RawNotice,
    ) -> Result<ControlNotice, RegisterError> {
        actor.require(DECIDERS, "record control register notices")?;
        let channel =
            closed(&raw.channel, "channel", InputCode::InvalidChoice, NoticeChannel::ALL, NoticeChannel::as_str)?;
        let sent_on = parse_date(raw.sent_on.trim(), "sent_on")?;
        let notice = ControlNotice {
            id: Uuid::now_v7(),
            entry_id: entry,
            channel,
            sent_on,
            recorded_by: actor.name.clone(),
            recorded_at: self.now(),
        };
        self.store.record_control_notice(notice).await.map_err(entry_error)
    }

    /// The printable notice of an entry: Russian, and `language` (by default the person's: Kyrgyz
    /// for citizens of Kyrgyzstan, Kazakh for Kazakhstan, else none). The read is logged.
    pub async fn control_notice_text(
        &self,
        access: &Access,
        entry: Uuid,
        language: Option<&str>,
    ) -> Result<NoticeText, RegisterError> {
        access.actor.require(DECIDERS, "print control register notices")?;
        let language = match language.map(str::trim).filter(|l| !l.is_empty()) {
            Some(code) => {
                Some(closed(code, "lang", InputCode::InvalidChoice, NoticeLanguage::ALL, NoticeLanguage::as_str)?)
            }
            None => None,
        };
        let entry = self.store.control_entry(entry).await?.ok_or(RegisterError::NotFound(Entity::ControlEntry))?;
        let person = self.person_answering_for(entry.person_id).await?;
        let second = language.or_else(|| NoticeLanguage::of_citizen(person.person.details.citizenship));
        self.log_reads(access, view::CONTROL_NOTICE, &[person.person.id]).await?;
        Ok(notice::compose(&entry, &person.person, second, self.removal_term_days))
    }

    /// Removes an active entry because the decision it rested on was cancelled; reasons required.
    pub async fn cancel_control_decision(
        &self,
        actor: &Actor,
        entry: Uuid,
        reasons: &str,
    ) -> Result<ControlEntry, RegisterError> {
        actor.require(DECIDERS, "remove persons from the control register")?;
        let reasons = long_text(reasons, "reasons", InputCode::ReasonRequired)?;
        let removal = ControlRemoval {
            reason: RemovalReason::DecisionCancelled,
            note: Some(reasons),
            reference: None,
            by: actor.name.clone(),
            at: self.now(),
        };
        self.store.remove_from_control(entry, removal).await.map_err(entry_error)
    }

    /// Files an application for removal of an active entry, due [`REMOVAL_DECISION_WORKING_DAYS`]
    /// working days after today on the host state's production calendar.
    pub async fn file_removal_application(
        &self,
        actor: &Actor,
        entry: Uuid,
        raw: &RawApplication,
    ) -> Result<RemovalApplication, RegisterError> {
        actor.require(DECIDERS, "file removal applications")?;
        let applicant =
            closed(&raw.applicant, "applicant", InputCode::InvalidChoice, Applicant::ALL, Applicant::as_str)?;
        let applicant_name = short_text(&raw.applicant_name, "applicant_name")?;
        let grounds = closed(
            &raw.grounds,
            "grounds",
            InputCode::InvalidGround,
            ApplicationGrounds::ALL,
            ApplicationGrounds::as_str,
        )?;
        let statement = long_text(&raw.statement, "statement", InputCode::MissingField)?;
        if raw.documents.len() > MAX_DOCUMENTS {
            return Err(
                InputError::new("documents", InputCode::TooLong, format!("at most {MAX_DOCUMENTS} documents")).into()
            );
        }
        let mut documents = Vec::with_capacity(raw.documents.len());
        for document in &raw.documents {
            // Stored one per line: a line break inside a name becomes a space.
            let one_line: String = document.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
            documents.push(short_text(&one_line, "documents")?);
        }
        let filed_at = self.now();
        let filed_on = self.today();
        let due_on = self.removal_due(filed_on)?;
        let application = NewRemovalApplication {
            id: Uuid::now_v7(),
            entry_id: entry,
            applicant,
            applicant_name,
            grounds,
            statement,
            documents,
            filed_by: actor.name.clone(),
            filed_at,
            filed_on,
            due_on,
        };
        self.store.file_removal_application(application).await.map_err(entry_error)
    }

    /// The last day to decide an application filed on `filed_on`.
    pub fn removal_due(&self, filed_on: Date) -> Result<Date, RegisterError> {
        self.rules
            .add_working_days(self.host_state.code(), filed_on, self.removal_term_days)
            .map_err(RegisterError::NoCalendar)
    }

    /// Decides an application once: reasons always, the appeal route on a denial. A grant
    /// removes the entry (when still active) in the same transaction.
    pub async fn decide_removal_application(
        &self,
        actor: &Actor,
        application: Uuid,
        raw: &RawDecision,
    ) -> Result<(RemovalApplication, ControlEntry), RegisterError> {
        actor.require(DECIDERS, "decide removal applications")?;
        let decision = closed(
            &raw.decision,
            "decision",
            InputCode::InvalidChoice,
            ApplicationDecision::ALL,
            ApplicationDecision::as_str,
        )?;
        let reasons = long_text(&raw.reasons, "reasons", InputCode::ReasonRequired)?;
        let appeal_route = match raw.appeal_route.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            Some(route) => Some(long_text(route, "appeal_route", InputCode::AppealRouteRequired)?),
            None if decision == ApplicationDecision::Deny => {
                return Err(InputError::new(
                    "appeal_route",
                    InputCode::AppealRouteRequired,
                    "a denial names where and within what time it may be appealed: give `appeal_route`",
                )
                .into());
            }
            None => None,
        };
        let record = DecisionRecord { decision, reasons, appeal_route, by: actor.name.clone(), at: self.now() };
        self.store.decide_removal_application(application, record).await.map_err(|e| match e {
            DecideError::NotFound => RegisterError::NotFound(Entity::RemovalApplication),
            DecideError::AlreadyDecided(first) => {
                RegisterError::AlreadyDecided { entity: Entity::RemovalApplication, status: first.as_str() }
            }
            DecideError::Store(e) => RegisterError::Store(e),
        })
    }

    /// Applications with `status` today, earliest deadline first (overdue ones are those
    /// undecided after their last day). Persons are not shown, so nothing is logged.
    pub async fn removal_applications(
        &self,
        actor: &Actor,
        status: ApplicationStatus,
    ) -> Result<Vec<RemovalApplication>, RegisterError> {
        actor.require(OFFICERS, "list removal applications")?;
        Ok(self.store.removal_applications(status, self.today()).await?)
    }

    /// Whether the holder of `document` is listed, and nothing more. A lookup that finds a
    /// person is logged against that person (view `control_check`); one that finds nobody
    /// concerns no person, so there is no one to log it against and it is not logged.
    pub async fn control_check(&self, access: &Access, document: &DocumentKey) -> Result<bool, RegisterError> {
        access.actor.require(CHECKERS, "check the control register")?;
        let Some(record) = self.store.person_by_document(document).await? else {
            return Ok(false);
        };
        let person = self.person_answering_for(record.person.id).await?.person.id;
        self.log_reads(access, view::CONTROL_CHECK, &[person]).await?;
        Ok(!self.store.active_controls_of(person).await?.is_empty())
    }

    /// Entries active (or removed), oldest inclusion first, a page of them with their persons;
    /// the read is logged once for each person on the page.
    pub async fn control_entries(
        &self,
        access: &Access,
        active: bool,
        limit: u32,
        offset: u32,
    ) -> Result<EntryPage, RegisterError> {
        access.actor.require(OFFICERS, "read the control register")?;
        let total = self.store.control_entry_count(active).await?;
        let items = self.store.control_entries(active, limit, offset).await?;
        let mut ids: Vec<PersonId> = items.iter().map(|e| e.person_id).collect();
        ids.sort_by_key(|p| p.as_uuid());
        ids.dedup();
        let mut persons = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(record) = self.store.person_answering_for(id).await? {
                persons.push((id, record.person));
            }
        }
        let mut shown: Vec<PersonId> = persons.iter().map(|(_, p)| p.id).collect();
        shown.sort_by_key(|p| p.as_uuid());
        shown.dedup();
        self.log_reads(access, view::CONTROL_REGISTER, &shown).await?;
        Ok(EntryPage { active, total, items, persons })
    }

    /// One entry with its person, applications and notices; the read is logged against the
    /// person shown.
    pub async fn control_entry(&self, access: &Access, entry: Uuid) -> Result<EntryFile, RegisterError> {
        access.actor.require(READERS, "read the control register")?;
        let entry = self.store.control_entry(entry).await?.ok_or(RegisterError::NotFound(Entity::ControlEntry))?;
        let file = self.entry_file(entry).await?;
        let shown = file.person.as_ref().map_or(file.entry.person_id, |p| p.id);
        self.log_reads(access, view::CONTROL_REGISTER, &[shown]).await?;
        Ok(file)
    }

    /// The entries of the person `person` answers for, removed ones too, each with its
    /// applications and notices; the read is logged.
    pub async fn control_entries_of(&self, access: &Access, person: PersonId) -> Result<Vec<EntryFile>, RegisterError> {
        access.actor.require(READERS, "read the control register")?;
        let person = self.person_answering_for(person).await?.person.id;
        let entries = self.store.control_entries_of(person).await?;
        self.log_reads(access, view::CONTROL_REGISTER, &[person]).await?;
        let mut files = Vec::with_capacity(entries.len());
        for entry in entries {
            files.push(self.entry_file(entry).await?);
        }
        Ok(files)
    }

    async fn entry_file(&self, entry: ControlEntry) -> Result<EntryFile, RegisterError> {
        let person = self.store.person_answering_for(entry.person_id).await?.map(|r| r.person);
        let applications = self.store.removal_applications_of(entry.id).await?;
        let notices = self.store.control_notices_of(entry.id).await?;
        Ok(EntryFile { entry, person, applications, notices })
    }

    /// After an exit: the person's active entries included before it are removed (departure).
    /// One indexed lookup when the person is not listed; idempotent, so a replayed exit changes
    /// nothing. Runs right after the crossing's own transaction.
    pub(crate) async fn remove_on_exit(
        &self,
        actor: &str,
        person: PersonId,
        crossing: CrossingId,
        at: Timestamp,
    ) -> Result<(), RegisterError> {
        let active = self.store.active_controls_of(person).await?;
        for entry in active.into_iter().filter(|e| e.included_at <= at) {
            let removal = ControlRemoval {
                reason: RemovalReason::Departure,
                note: Some(format!("exit crossing at {at}")),
                reference: Some(crossing.as_uuid()),
                by: actor.to_owned(),
                at: self.now(),
            };
            self.remove_quietly(entry.id, removal).await?;
        }
        Ok(())
    }

    /// After a permit is recorded: when it covers today, the person's active entries on a ground
    /// a lawful stay ends ([`ControlGround::ends_with_legal_stay`]) are removed (legalised
    /// status). Idempotent; runs right after the permit's own transaction.
    pub(crate) async fn remove_on_permit(&self, actor: &str, permit: &PermitRecord) -> Result<(), RegisterError> {
        let today = self.today();
        if today < permit.valid_from || permit.valid_to < today {
            return Ok(());
        }
        let active = self.store.active_controls_of(permit.person_id).await?;
        for entry in active.into_iter().filter(|e| e.ground.ends_with_legal_stay()) {
            let removal = ControlRemoval {
                reason: RemovalReason::LegalisedStatus,
                note: Some(format!(
                    "{} {} valid {} to {}",
                    permit.kind.as_str(),
                    permit.number,
                    permit.valid_from,
                    permit.valid_to
                )),
                reference: Some(permit.id),
                by: actor.to_owned(),
                at: self.now(),
            };
            self.remove_quietly(entry.id, removal).await?;
        }
        Ok(())
    }

    /// Removes an entry unless it was removed meanwhile (by a concurrent exit, say).
    async fn remove_quietly(&self, entry: Uuid, removal: ControlRemoval) -> Result<(), RegisterError> {
        match self.store.remove_from_control(entry, removal).await {
            Ok(_) | Err(EntryError::AlreadyRemoved(_)) | Err(EntryError::NotFound) => Ok(()),
            Err(EntryError::Store(e)) => Err(RegisterError::Store(e)),
        }
    }
}
