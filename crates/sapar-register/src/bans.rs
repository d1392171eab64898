//! Entry bans: recorded by officers on a ground from a closed list with its legal basis and
//! decision, read by the border and migration officers, lifted early only by a recorded decision
//! with reasons. Nothing is deleted. Recording and lifting leave an event in the person's history
//! that the treaty case desk may turn into a notice to the person's state.

use sapar_model::{InputCode, InputError, PersonId, Role, parse_date};
use sapar_store::bans::{BanError, BanGround, BanLift, BanRecord, LiftError, NewBan, PersonEvent};
use sapar_store::cards::Revocation;
use uuid::Uuid;

use crate::access::{Access, view};
use crate::text::{optional_text, reasons, short_text};
use crate::{Actor, Entity, Register, RegisterError};

/// Who records and lifts bans.
const DECIDERS: &[Role] = &[Role::Officer];
/// Who reads them.
const READERS: &[Role] = &[Role::Border, Role::Officer];
/// Who reads the events partner states may be told of.
const EVENT_READERS: &[Role] = &[Role::Officer, Role::Exchange];

/// A ban as submitted, every value still untrusted text.
#[derive(Debug, Clone, Default)]
pub struct RawBan {
    /// First day banned, `YYYY-MM-DD`.
    pub from: String,
    /// Last day banned, `YYYY-MM-DD`.
    pub until: String,
    /// `expulsion`, `court_decision`, `administrative_decision`, `partner_notice` or `other`.
    pub ground: String,
    /// The legal basis: act and article.
    pub basis: String,
    /// The decision's number and date.
    pub decision_ref: String,
    /// The official who decided, when not the one recording.
    pub decided_by: Option<String>,
}

/// A lift as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawLift {
    /// The first day no longer banned, `YYYY-MM-DD`; today when `None`.
    pub from: Option<String>,
    /// Why the ban ends early; required.
    pub reason: String,
    /// The decision lifting it.
    pub decision_ref: Option<String>,
}

fn parse_ground(text: &str) -> Result<BanGround, InputError> {
    BanGround::parse(text.trim()).ok_or_else(|| {
        let known: Vec<&str> = BanGround::ALL.iter().map(|g| g.as_str()).collect();
        InputError::new(
            "ground",
            InputCode::InvalidGround,
            format!("ground {:?} is not one of {}", crate::text::excerpt(text), known.join(", ")),
        )
    })
}

impl Register {
    /// Records a ban on the person `person` answers for (the survivor when merged).
    pub async fn record_ban(&self, actor: &Actor, person: PersonId, raw: &RawBan) -> Result<BanRecord, RegisterError> {
        actor.require(DECIDERS, "record entry bans")?;
        let starts_on = parse_date(raw.from.trim(), "from")?;
        let ends_on = parse_date(raw.until.trim(), "until")?;
        let ground = parse_ground(&raw.ground)?;
        let basis = short_text(&raw.basis, "basis")?;
        let decision_ref = short_text(&raw.decision_ref, "decision_ref")?;
        let decided_by = optional_text(raw.decided_by.as_deref(), "decided_by")?;
        if ends_on < starts_on {
            return Err(RegisterError::BanEndsBeforeStart { from: starts_on, until: ends_on });
        }
        let person = self.person_answering_for(person).await?.person.id;
        let ban = NewBan {
            id: Uuid::now_v7(),
            person_id: person,
            starts_on,
            ends_on,
            ground,
            basis,
            decision_ref,
            decided_by,
            recorded_by: actor.name.clone(),
            recorded_at: self.now(),
        };
        let recorded = self.store.record_ban(ban).await.map_err(|e| match e {
            BanError::PersonNotFound => RegisterError::NotFound(Entity::Person),
            BanError::EndsBeforeStart { starts_on, ends_on } => {
                RegisterError::BanEndsBeforeStart { from: starts_on, until: ends_on }
            }
            BanError::Store(e) => RegisterError::Store(e),
        })?;
        // A ban that still runs ends the holder's card.
        let today = self.today();
        if recorded.ends_on >= today {
            self.revoke_card_of(&actor.name, person, Revocation::Ban, today, Some(recorded.decision_ref.clone()))
                .await?;
        }
        Ok(recorded)
    }

    /// The bans of the person `person` answers for, lifted and ended ones too; the read is logged.
    pub async fn bans_of(&self, access: &Access, person: PersonId) -> Result<Vec<BanRecord>, RegisterError> {
        access.actor.require(READERS, "read entry bans")?;
        let person = self.person_answering_for(person).await?.person.id;
        let bans = self.store.bans_of(person).await?;
        self.log_reads(access, view::BANS, &[person]).await?;
        Ok(bans)
    }

    /// Lifts a ban early, from `raw.from` (today when absent) on; reasons are required and a ban
    /// is lifted once.
    pub async fn lift_ban(&self, actor: &Actor, ban: Uuid, raw: &RawLift) -> Result<BanRecord, RegisterError> {
        actor.require(DECIDERS, "lift entry bans")?;
        let from = match raw.from.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
            Some(from) => parse_date(from, "from")?,
            None => self.today(),
        };
        let reason = reasons(&raw.reason)?;
        let decision_ref = optional_text(raw.decision_ref.as_deref(), "decision_ref")?;
        let lift = BanLift { from, reason, decision_ref, by: actor.name.clone(), at: self.now() };
        self.store.lift_ban(ban, lift).await.map_err(|e| match e {
            LiftError::NotFound => RegisterError::NotFound(Entity::Ban),
            LiftError::AlreadyLifted(from) => RegisterError::AlreadyLifted(from),
            LiftError::AlreadyEnded { from, ends_on } => RegisterError::BanAlreadyEnded { ends_on, from },
            LiftError::Store(e) => RegisterError::Store(e),
        })
    }

    /// What happened to the person `person` answers for that a partner state may have to be told
    /// of, oldest first; the read is logged.
    pub async fn events_of(&self, access: &Access, person: PersonId) -> Result<Vec<PersonEvent>, RegisterError> {
        access.actor.require(EVENT_READERS, "read persons' events")?;
        let person = self.person_answering_for(person).await?.person.id;
        let events = self.store.events_of(person).await?;
        self.log_reads(access, view::EVENTS, &[person]).await?;
        Ok(events)
    }
}
