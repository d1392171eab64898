//! Registration of foreigners at their place of stay: filed by the receiving party (a private
//! host, a hotel, landlord or employer with its registration number, or the migrant), for the
//! arrival of a person in the country, at an address in one of the host state's regions
//! (`regions.toml`), for a period. The stay rules give the last day to register and whom the law
//! makes answer for it; a late filing is accepted, marked late, and drafts a failure-to-register
//! violation against that party in the same transaction. A new address supersedes the
//! registration in force; extensions and deregistrations are recorded; an exit ends the
//! registration (`end_on_exit`, called from `after_exit`); the sweep drafts the violation for an
//! arrival nobody registered in time (`registration_misses`), once.

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::{
    Country, Direction, DocumentNumber, InputCode, InputError, PersonId, Role, parse_date, parse_document_key,
};
use sapar_rules::{Host, Liable, RuleBook, Stay, StayError};
use sapar_store::employers::{EmployerError, EmployerRecord, NewEmployer};
use sapar_store::registrations::{
    Address, ChangeRegistrationError, Deadline, EndReason, FileRegistrationError, FilingChannel, NewRegistration,
    PartyKind, ReceivingParty, RegistrationEvent, RegistrationFailure, RegistrationRecord,
};
use sapar_store::{PersonRecord, PresentPerson};
use uuid::Uuid;

use crate::access::{Access, view};
use crate::employers::registration_number;
use crate::regions::Regions;
use crate::text::{decision_note, optional_text, short_text};
use crate::violation_kinds::violation_kinds;
use crate::{Actor, Entity, Register, RegisterError};

/// Who files registrations: border and migration officers, administrators, and receiving
/// parties with an account of their own (who may do nothing else).
const FILERS: &[Role] = &[Role::Border, Role::Officer, Role::Admin, Role::Host];
/// Who extends and ends them.
const CHANGERS: &[Role] = &[Role::Border, Role::Officer, Role::Admin];
/// Who reads a person's registrations.
const READERS: &[Role] = &[Role::Border, Role::Officer, Role::Admin];
/// The violation kind a failure to register is, in `violation_kinds.toml`.
pub const FAILURE_KIND: &str = "registration_failure";

/// An address as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawAddress {
    /// A region code of the host state (`GET /api/v1/regions`).
    pub region: String,
    pub locality: String,
    pub street: Option<String>,
    pub building: Option<String>,
    pub flat: Option<String>,
}

/// The receiving party as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawParty {
    /// `private_person`, `legal_entity` or `migrant`.
    pub kind: String,
    /// The host's or organisation's name; for the migrant, blank takes the name on record.
    pub name: Option<String>,
    /// A private host's identity document number; a legal entity's registration number (BIN).
    pub identity: Option<String>,
}

/// A registration as submitted, every value still untrusted text.
#[derive(Debug, Clone, Default)]
pub struct RawRegistration {
    pub address: RawAddress,
    /// `YYYY-MM-DD`: the first and last day of the stay at the address.
    pub valid_from: String,
    pub valid_until: String,
    pub party: RawParty,
}

/// The guest a receiving party names, as their travel document reads: a host files for a guest
/// without searching the register.
#[derive(Debug, Clone, Default)]
pub struct RawGuest {
    /// The document's issuing state (alpha-3).
    pub document_state: String,
    pub document_number: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
}

/// The fields of a guest, as refusals name them.
pub mod guest_fields {
    pub const DOCUMENT_STATE: &str = "guest.document_state";
    pub const DOCUMENT_NUMBER: &str = "guest.document_number";
    pub const BIRTH_DATE: &str = "guest.birth_date";
}

/// A person's registration standing, for a status page: the registration in force, and the
/// arrival in the country with its deadline when the person is present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationStatus {
    pub in_force: Option<RegistrationRecord>,
    /// The day of the arrival of the open stay; `None` when the person is not in the country.
    pub arrival_on: Option<Date>,
    /// The deadline for that arrival, when a rule sets one.
    pub deadline: Option<Deadline>,
    /// Whether a registration (in any state) is on record for that arrival.
    pub registered: bool,
    /// Present, unregistered, and past the deadline.
    pub overdue: bool,
}

impl RegistrationStatus {
    /// The state in one word: `registered` (a registration in force), `overdue`, `due` (a
    /// deadline ahead, nothing filed yet) or `not_required` (no rule requires one, not in the
    /// country, or filed and since ended).
    pub fn state_code(&self) -> &'static str {
        if self.in_force.is_some() {
            "registered"
        } else if self.overdue {
            "overdue"
        } else if self.deadline.is_some() && !self.registered {
            "due"
        } else {
            "not_required"
        }
    }
}

/// A registration with its history.
#[derive(Debug, Clone)]
pub struct RegistrationFile {
    pub registration: RegistrationRecord,
    pub events: Vec<RegistrationEvent>,
}

/// A person's arrival with nobody registered past its deadline, found by the sweep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationMiss {
    pub person_id: PersonId,
    pub arrival_on: Date,
    pub due_on: Date,
    pub liable: Liable,
    pub rule_id: String,
}

/// The arrival of a person's open stay: its day and crossing, when the person is in the country.
fn open_arrival(record: &PersonRecord) -> Option<(Date, sapar_model::CrossingId)> {
    let last = record.crossings.last()?;
    (last.direction == Direction::Entry).then(|| (last.at.date(), last.id))
}

/// The deadline the rules set for an arrival; `None` when no registration rule covers the
/// person (citizens, an unknown citizenship). A term outside the loaded calendars is an error.
fn deadline_for(
    book: &RuleBook,
    host: Country,
    citizenship: Country,
    arrival: Date,
) -> Result<Option<Deadline>, StayError> {
    match book.registration_due(Host::State(host), citizenship, arrival) {
        Ok(due) => Ok(due.map(|d| Deadline { due_on: d.due, rule_id: d.rule.id.clone(), liable: d.rule.liable })),
        Err(e @ StayError::NoCalendar { .. }) => Err(e),
        Err(_) => Ok(None),
    }
}

/// The engine part of the registration sweep: every person present on `on` whose open stay's
/// arrival is past its deadline and not in `accounted` (registered, or its failure on record).
pub fn registration_misses(
    book: &RuleBook,
    host: Country,
    persons: &[PresentPerson],
    accounted: &std::collections::HashSet<(PersonId, Date)>,
    on: Date,
) -> Vec<RegistrationMiss> {
    persons
        .iter()
        .filter_map(|p| {
            let Stay { entry, exit } = *p.stays.last()?;
            if exit.is_some() || accounted.contains(&(p.id, entry)) {
                return None;
            }
            let deadline = deadline_for(book, host, p.citizenship, entry).ok().flatten()?;
            (deadline.due_on < on).then_some(RegistrationMiss {
                person_id: p.id,
                arrival_on: entry,
                due_on: deadline.due_on,
                liable: deadline.liable,
                rule_id: deadline.rule_id,
            })
        })
        .collect()
}

fn within(field: &'static str, e: InputError) -> InputError {
    InputError { field, ..e }
}

/// The address as the register keeps it; the region must be one of `host`'s.
fn address(raw: &RawAddress, host: Country) -> Result<Address, InputError> {
    let region = Regions::embedded()
        .map_err(|e| InputError::new(crate::regions::REGION_FIELD, InputCode::UnknownRegion, e.to_string()))?
        .find(host, &raw.region)?;
    Ok(Address {
        region: region.code.clone(),
        locality: short_text(&raw.locality, "address.locality")?,
        street: optional_text(raw.street.as_deref(), "address.street")?,
        building: optional_text(raw.building.as_deref(), "address.building")?,
        flat: optional_text(raw.flat.as_deref(), "address.flat")?,
    })
}

/// The period: its days, the end not before the start (`invalid_period`).
fn period(from: &str, until: &str) -> Result<(Date, Date), InputError> {
    let from = parse_date(from.trim(), "valid_from")?;
    let until = parse_date(until.trim(), "valid_until")?;
    if until < from {
        return Err(InputError::new(
            "valid_until",
            InputCode::InvalidPeriod,
            format!("the period ends on {until}, before it starts on {from}"),
        ));
    }
    Ok((from, until))
}

/// One line for the address, for violations' descriptions and an employer's address.
pub fn address_line(a: &Address) -> String {
    [Some(a.region.as_str()), Some(a.locality.as_str()), a.street.as_deref(), a.building.as_deref(), a.flat.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}

impl Register {
    /// The receiving party as the register keeps it: a private host's document number and a
    /// legal entity's registration number checked (in Kazakhstan the BIN's control digit).
    fn party(&self, raw: &RawParty, person: &PersonRecord) -> Result<ReceivingParty, InputError> {
        let kind = PartyKind::parse(raw.kind.trim()).ok_or_else(|| {
            InputError::new(
                "party.kind",
                InputCode::InvalidKind,
                format!(
                    "the receiving party is private_person, legal_entity or migrant, not {:?}",
                    crate::text::excerpt(&raw.kind)
                ),
            )
        })?;
        let name = optional_text(raw.name.as_deref(), "party.name")?;
        let identity = raw.identity.as_deref().map(str::trim).filter(|i| !i.is_empty());
        let missing = |what: &str| {
            InputError::new("party.identity", InputCode::MissingField, format!("give the receiving party's {what}"))
        };
        match kind {
            PartyKind::Migrant => Ok(ReceivingParty {
                kind,
                name: name.unwrap_or_else(|| person.person.details.name.display().to_string()),
                identity: None,
                employer_id: None,
            }),
            PartyKind::PrivatePerson => {
                let number = DocumentNumber::parse(identity.ok_or_else(|| missing("identity document number"))?)
                    .map_err(|e| InputError::new("party.identity", InputCode::InvalidDocumentNumber, e.to_string()))?;
                let name =
                    name.ok_or_else(|| InputError::new("party.name", InputCode::MissingField, "give the host's name"))?;
                Ok(ReceivingParty { kind, name, identity: Some(number.as_str().to_owned()), employer_id: None })
            }
            PartyKind::LegalEntity => {
                let number =
                    registration_number(identity.ok_or_else(|| missing("registration number"))?, self.host_state)
                        .map_err(|e| within("party.identity", e))?;
                let name = name.ok_or_else(|| {
                    InputError::new("party.name", InputCode::MissingField, "give the organisation's name")
                })?;
                Ok(ReceivingParty { kind, name, identity: Some(number), employer_id: None })
            }
        }
    }

    /// The employer on record with a legal entity's registration number, recorded now when new.
    async fn employer_of(
        &self,
        party: &ReceivingParty,
        address: &Address,
        by: &str,
    ) -> Result<EmployerRecord, RegisterError> {
        let number = party.identity.clone().unwrap_or_default();
        if let Some(found) = self.store.employer_by_number(&number).await? {
            return Ok(found);
        }
        let new = NewEmployer {
            id: Uuid::now_v7(),
            registration_number: number.clone(),
            name: party.name.clone(),
            region: address.region.clone(),
            address: Some(address_line(address)),
            recorded_by: by.to_owned(),
            recorded_at: self.now(),
        };
        match self.store.record_employer(new).await {
            Ok(e) => Ok(e),
            // Recorded meanwhile by another filing.
            Err(EmployerError::DuplicateNumber(_)) => self
                .store
                .employer_by_number(&number)
                .await?
                .ok_or_else(|| RegisterError::Internal("an employer recorded meanwhile is gone".into())),
            Err(EmployerError::Store(e)) => Err(e.into()),
        }
    }

    /// The failure-to-register violation a late filing implies, against the party the rule
    /// names: the migrant, or the receiving party — a legal entity by its employer record, a
    /// private host named in the description on the migrant's record.
    #[allow(clippy::too_many_arguments)]
    fn failure(
        &self,
        person: PersonId,
        arrival_on: Date,
        deadline: &Deadline,
        description: String,
        employer_id: Option<Uuid>,
        by: &str,
        at: Timestamp,
    ) -> Result<RegistrationFailure, RegisterError> {
        let data = violation_kinds().map_err(RegisterError::Internal)?;
        let kind = data.kind(FAILURE_KIND).map_err(|e| RegisterError::Internal(e.to_string()))?;
        Ok(RegistrationFailure {
            person_id: person,
            arrival_on,
            due_on: deadline.due_on,
            liable: deadline.liable,
            violation_id: Uuid::now_v7(),
            kind: kind.id.clone(),
            detected_on: self.today(),
            article: kind.article(self.host_state).map(str::to_owned),
            description,
            employer_id,
            recorded_by: by.to_owned(),
            at,
        })
    }

    /// Files a registration of place of stay for the person `person` answers for, who must be in
    /// the country (`person_not_in_country`), for the arrival of their open stay. A registration
    /// in force is superseded (an address change). Filed after the rules' deadline for the
    /// arrival — and no registration of that arrival on record before — it is accepted, marked
    /// late, and drafts the failure-to-register violation against the party the rule names, in
    /// the same transaction (once per arrival).
    pub async fn file_registration(
        &self,
        actor: &Actor,
        person: PersonId,
        raw: &RawRegistration,
        channel: FilingChannel,
    ) -> Result<RegistrationRecord, RegisterError> {
        actor.require(FILERS, "file registrations of place of stay")?;
        let record = self.person_answering_for(person).await?;
        let address = address(&raw.address, self.host_state)?;
        let (valid_from, valid_until) = period(&raw.valid_from, &raw.valid_until)?;
        let mut party = self.party(&raw.party, &record)?;
        let (arrival_on, arrival_crossing) = open_arrival(&record).ok_or(RegisterError::PersonNotInCountry)?;
        let person = record.person.id;
        let citizenship = record.person.details.citizenship;
        let deadline =
            deadline_for(&self.rules, self.host_state, citizenship, arrival_on).map_err(RegisterError::NoCalendar)?;
        let earlier = self.store.registrations_of(person).await?;
        let in_force = earlier.iter().find(|r| r.state.in_force()).map(|r| r.id);
        let first_for_arrival = !earlier.iter().any(|r| r.arrival_on == arrival_on);
        let today = self.today();
        let at = self.now();
        let late = deadline.as_ref().filter(|d| first_for_arrival && today > d.due_on);
        if party.kind == PartyKind::LegalEntity {
            party.employer_id = Some(self.employer_of(&party, &address, &actor.name).await?.id);
        }
        let failure = match late {
            None => None,
            Some(deadline) => {
                let lateness = format!(
                    "registration of place of stay for the arrival of {arrival_on} filed on {today}, due by {} (rule {})",
                    deadline.due_on, deadline.rule_id
                );
                let (description, employer) = match (deadline.liable, party.kind) {
                    (Liable::Migrant, _) | (Liable::ReceivingParty, PartyKind::Migrant) => {
                        (format!("{lateness}; the migrant answers for it"), None)
                    }
                    (Liable::ReceivingParty, PartyKind::LegalEntity) => (
                        format!(
                            "{lateness}; the receiving party answers for it: {} (registration number {})",
                            party.name,
                            party.identity.as_deref().unwrap_or_default()
                        ),
                        party.employer_id,
                    ),
                    (Liable::ReceivingParty, PartyKind::PrivatePerson) => (
                        format!(
                            "{lateness}; the receiving party answers for it: private host {} (document {}), at {}",
                            party.name,
                            party.identity.as_deref().unwrap_or_default(),
                            address_line(&address)
                        ),
                        None,
                    ),
                };
                Some(self.failure(person, arrival_on, deadline, description, employer, &actor.name, at)?)
            }
        };
        let new = NewRegistration {
            id: Uuid::now_v7(),
            person_id: person,
            arrival_on,
            arrival_crossing: Some(arrival_crossing),
            address,
            valid_from,
            valid_until,
            party,
            filed_by: actor.name.clone(),
            channel,
            filed_on: today,
            at,
            deadline,
            supersedes: in_force,
            failure,
        };
        self.store.file_registration(new).await.map_err(|e| match e {
            FileRegistrationError::PersonNotFound => RegisterError::NotFound(Entity::Person),
            FileRegistrationError::SupersededMeanwhile => RegisterError::RegistrationEnded { state: "superseded" },
            FileRegistrationError::Store(e) => RegisterError::Store(e),
        })
    }

    /// Files a registration for the guest a receiving party names by travel document and birth
    /// date. The person holding that document must have been born on that day: otherwise the
    /// answer is `not_found` whichever detail differs, so a filer learns nothing else of the
    /// register; the rest is [`Register::file_registration`].
    pub async fn file_registration_for_guest(
        &self,
        actor: &Actor,
        guest: &RawGuest,
        raw: &RawRegistration,
        channel: FilingChannel,
    ) -> Result<RegistrationRecord, RegisterError> {
        actor.require(FILERS, "file registrations of place of stay")?;
        let key = parse_document_key(
            &guest.document_state,
            &guest.document_number,
            guest_fields::DOCUMENT_STATE,
            guest_fields::DOCUMENT_NUMBER,
        )?;
        let born = parse_date(guest.birth_date.trim(), guest_fields::BIRTH_DATE)?;
        let holder = self.store.person_by_document(&key).await?;
        let person = holder
            .filter(|record| record.person.details.birth_date == Some(born))
            .ok_or(RegisterError::NotFound(Entity::Person))?;
        self.file_registration(actor, person.person.id, raw, channel).await
    }

    /// Extends a registration in force to a later last day (`valid_until`, `YYYY-MM-DD`); a day
    /// not after the current end is `invalid_period`.
    pub async fn extend_registration(
        &self,
        actor: &Actor,
        id: Uuid,
        valid_until: &str,
    ) -> Result<RegistrationRecord, RegisterError> {
        actor.require(CHANGERS, "extend registrations of place of stay")?;
        let until = parse_date(valid_until.trim(), "valid_until")?;
        self.store.extend_registration(id, until, self.today(), &actor.name, self.now()).await.map_err(|e| match e {
            ChangeRegistrationError::NotLater(current) => InputError::new(
                "valid_until",
                InputCode::InvalidPeriod,
                format!("the registration already runs until {current}: an extension ends later"),
            )
            .into(),
            e => change_error(e),
        })
    }

    /// Ends a registration in force: deregistration on `day` (`YYYY-MM-DD`, today when absent),
    /// not before the registration's first day (`invalid_period`), with an optional note.
    pub async fn deregister(
        &self,
        actor: &Actor,
        id: Uuid,
        day: Option<&str>,
        note: Option<&str>,
    ) -> Result<RegistrationRecord, RegisterError> {
        actor.require(CHANGERS, "end registrations of place of stay")?;
        let day = match day.map(str::trim).filter(|d| !d.is_empty()) {
            Some(text) => parse_date(text, "day")?,
            None => self.today(),
        };
        let note = decision_note(note)?;
        let current = self.store.registration(id).await?.ok_or(RegisterError::NotFound(Entity::Registration))?;
        if !current.state.in_force() {
            return Err(RegisterError::RegistrationEnded { state: current.state.as_str() });
        }
        if day < current.valid_from {
            return Err(InputError::new(
                "day",
                InputCode::InvalidPeriod,
                format!("the registration starts on {}: it cannot end on {day}", current.valid_from),
            )
            .into());
        }
        self.store
            .end_registration(id, day, EndReason::Deregistered, note, &actor.name, self.now())
            .await
            .map_err(change_error)
    }

    /// Ends the person's registration in force on the day of their exit; nothing when none is
    /// in force. Called after every recorded exit.
    pub(crate) async fn end_registration_on_exit(
        &self,
        person: PersonId,
        day: Date,
        by: &str,
    ) -> Result<Option<Uuid>, RegisterError> {
        let Some(current) = self.store.registration_in_force(person).await? else { return Ok(None) };
        // An exit imported late may lie before the arrival the registration in force is for.
        if current.arrival_on > day {
            return Ok(None);
        }
        match self.store.end_registration(current.id, day, EndReason::Exit, None, by, self.now()).await {
            Ok(ended) => Ok(Some(ended.id)),
            // Ended meanwhile by a deregistration: nothing left to end.
            Err(ChangeRegistrationError::NotInForce(_)) => Ok(None),
            Err(e) => Err(change_error(e)),
        }
    }

    /// The registrations of the person `person` answers for, in the order they were filed, each
    /// with its history; the read is logged.
    pub async fn registrations_of(
        &self,
        access: &Access,
        person: PersonId,
    ) -> Result<Vec<RegistrationFile>, RegisterError> {
        access.actor.require(READERS, "read registrations of place of stay")?;
        let person = self.person_answering_for(person).await?.person.id;
        let registrations = self.store.registrations_of(person).await?;
        let mut files = Vec::with_capacity(registrations.len());
        for registration in registrations {
            let events = self.store.registration_events(registration.id).await?;
            files.push(RegistrationFile { registration, events });
        }
        self.log_reads(access, view::REGISTRATIONS, &[person]).await?;
        Ok(files)
    }

    /// A person's registration standing on today's date, for a status page (the self-service
    /// page among them): the caller has identified the person and logs the read.
    pub async fn registration_status(&self, record: &PersonRecord) -> Result<RegistrationStatus, RegisterError> {
        let person = record.person.id;
        let registrations = self.store.registrations_of(person).await?;
        let in_force = registrations.iter().find(|r| r.state.in_force()).cloned();
        let Some((arrival_on, _)) = open_arrival(record) else {
            return Ok(RegistrationStatus {
                in_force,
                arrival_on: None,
                deadline: None,
                registered: false,
                overdue: false,
            });
        };
        let deadline = deadline_for(&self.rules, self.host_state, record.person.details.citizenship, arrival_on)
            .map_err(RegisterError::NoCalendar)?;
        let registered = registrations.iter().any(|r| r.arrival_on == arrival_on);
        let overdue = !registered && deadline.as_ref().is_some_and(|d| d.due_on < self.today());
        Ok(RegistrationStatus { in_force, arrival_on: Some(arrival_on), deadline, registered, overdue })
    }

    /// Records the failures to register the sweep found on `on`, each with its draft violation
    /// on the migrant's record (the receiving party is unknown when nobody registered); how
    /// many were new.
    pub(crate) async fn record_registration_misses(
        &self,
        misses: Vec<RegistrationMiss>,
        on: Date,
        by: &str,
    ) -> Result<u64, RegisterError> {
        let at = self.now();
        let mut failures = Vec::with_capacity(misses.len());
        for m in misses {
            let who = match m.liable {
                Liable::Migrant => "the migrant answers for it",
                Liable::ReceivingParty => "the receiving party answers for it; none registered the person",
            };
            let description = format!(
                "no registration of place of stay for the arrival of {} by {} (rule {}), found on {on}; {who}",
                m.arrival_on, m.due_on, m.rule_id
            );
            let deadline = Deadline { due_on: m.due_on, rule_id: m.rule_id, liable: m.liable };
            let mut failure = self.failure(m.person_id, m.arrival_on, &deadline, description, None, by, at)?;
            failure.detected_on = on;
            failures.push(failure);
        }
        Ok(self.store.record_registration_failures(failures).await?)
    }
}

fn change_error(e: ChangeRegistrationError) -> RegisterError {
    match e {
        ChangeRegistrationError::NotFound => RegisterError::NotFound(Entity::Registration),
        ChangeRegistrationError::NotInForce(state) => RegisterError::RegistrationEnded { state: state.as_str() },
        ChangeRegistrationError::NotLater(current) => InputError::new(
            "valid_until",
            InputCode::InvalidPeriod,
            format!("the registration already runs until {current}"),
        )
        .into(),
        ChangeRegistrationError::Store(e) => RegisterError::Store(e),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_period_ending_before_it_starts_is_invalid_and_one_day_is_not() {
        assert_eq!(period("2026-09-10", "2026-09-09").unwrap_err().code, InputCode::InvalidPeriod);
        assert!(period("2026-09-10", "2026-09-10").is_ok());
        assert_eq!(period("2026-09-31", "2026-10-01").unwrap_err().code, InputCode::InvalidDate);
    }

    #[test]
    fn an_address_names_a_listed_region_of_the_host_state() {
        let raw = RawAddress { region: "kz-75".into(), locality: " Алматы ".into(), ..RawAddress::default() };
        let a = address(&raw, Country::KAZ).unwrap();
        assert_eq!((a.region.as_str(), a.locality.as_str()), ("KZ-75", "Алматы"));
        let abroad = RawAddress { region: "KG-GB".into(), ..raw };
        assert_eq!(address(&abroad, Country::KAZ).unwrap_err().code, InputCode::UnknownRegion);
    }
}
