//! Administrative expulsions, deportations and readmissions, and what a departure sets off.
//!
//! An officer records the decision; it is executed once, when the person leaves — by the exit
//! crossing the register records (automatically) or by an officer recording the departure. The
//! execution records the entry ban the host state's law implies ([`ImpliedBanRule`], rule data in
//! `expulsion_bans.toml`: Kazakhstan five years from departure) in the same transaction.
//!
//! A recorded exit also records at once the overstay of the stay it ends, if there was one: the
//! nightly sweep only sees persons still in the country, so a departed overstayer would otherwise
//! never be on record.

use std::sync::LazyLock;

use jiff::civil::Date;
use jiff::{Span, Timestamp};
use sapar_model::{Country, CrossingId, Direction, InputCode, InputError, PersonId, Role, parse_date};
use sapar_store::bans::{BanGround, NewBan};
use sapar_store::expulsions::{ExecuteError, ExpulsionError, ExpulsionKind, ExpulsionRecord, NewExpulsion};
use sapar_store::{OverstayDraft, PersonRecord};
use serde::Deserialize;
use uuid::Uuid;

use crate::access::{Access, view};
use crate::text::{excerpt, short_text};
use crate::{Actor, Entity, Register, RegisterError};

/// Who records expulsions and departures.
const DECIDERS: &[Role] = &[Role::Officer];
/// Who reads them.
const READERS: &[Role] = &[Role::Border, Role::Officer];
/// The name the register's own consequences of a crossing are recorded under.
const DEPARTURE_ACTOR: &str = "register: departure";

/// The entry ban an executed expulsion implies in one host state.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImpliedBanRule {
    /// ISO 3166-1 alpha-3 code of the host state.
    pub state: String,
    /// Years the ban lasts from the day the person left.
    pub years: i16,
    /// Years after a repeated expulsion, where the law sets a longer ban.
    pub repeat_years: Option<i16>,
    pub basis: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImpliedBanFile {
    host: Vec<ImpliedBanRule>,
}

/// The rules of `expulsion_bans.toml`, parsed once; a test makes sure the file parses.
static IMPLIED_BANS: LazyLock<Result<Vec<ImpliedBanRule>, String>> = LazyLock::new(|| {
    toml::from_str::<ImpliedBanFile>(include_str!("expulsion_bans.toml"))
        .map(|file| file.host)
        .map_err(|e| format!("expulsion_bans.toml: {e}"))
});

/// The implied-ban rule of `host`, if its law sets one.
pub fn implied_ban_rule(host: Country) -> Option<&'static ImpliedBanRule> {
    match &*IMPLIED_BANS {
        Ok(rules) => rules.iter().find(|r| r.state == host.code()),
        Err(e) => {
            tracing::error!(error = %e, "the implied-ban rules do not parse; no ban is implied");
            None
        }
    }
}

/// An expulsion decision as submitted, every value still untrusted text.
#[derive(Debug, Clone, Default)]
pub struct RawExpulsion {
    /// `administrative_expulsion`, `deportation` or `readmission`.
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub decided_on: String,
    pub decision_ref: String,
    pub basis: String,
    /// The last day to leave, `YYYY-MM-DD`, when the decision sets one.
    pub leave_by: Option<String>,
}

fn parse_kind(text: &str) -> Result<ExpulsionKind, InputError> {
    ExpulsionKind::parse(text.trim()).ok_or_else(|| {
        let known: Vec<&str> = ExpulsionKind::ALL.iter().map(|k| k.as_str()).collect();
        InputError::new(
            "kind",
            InputCode::InvalidKind,
            format!("kind {:?} is not one of {}", excerpt(text), known.join(", ")),
        )
    })
}

/// What a recorded exit set off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Departure {
    /// The expulsion the exit executed.
    pub executed: Option<ExpulsionRecord>,
    /// Days of the overstay recorded for the stay the exit ended.
    pub overstay_days: Option<u32>,
    /// The registration of place of stay the exit ended.
    pub registration_ended: Option<Uuid>,
}

impl Register {
    /// Records an expulsion decision on the person `person` answers for.
    pub async fn record_expulsion(
        &self,
        actor: &Actor,
        person: PersonId,
        raw: &RawExpulsion,
    ) -> Result<ExpulsionRecord, RegisterError> {
        actor.require(DECIDERS, "record expulsions")?;
        let kind = parse_kind(&raw.kind)?;
        let decided_on = parse_date(raw.decided_on.trim(), "decided_on")?;
        let decision_ref = short_text(&raw.decision_ref, "decision_ref")?;
        let basis = short_text(&raw.basis, "basis")?;
        let leave_by = match raw.leave_by.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(text) => Some(parse_date(text, "leave_by")?),
            None => None,
        };
        let person = self.person_answering_for(person).await?.person.id;
        let expulsion = NewExpulsion {
            id: Uuid::now_v7(),
            person_id: person,
            kind,
            decided_on,
            decision_ref,
            basis,
            leave_by,
            recorded_by: actor.name.clone(),
            recorded_at: self.now(),
        };
        let recorded = self.store.record_expulsion(expulsion).await.map_err(|e| match e {
            ExpulsionError::PersonNotFound => RegisterError::NotFound(Entity::Person),
            ExpulsionError::LeaveByBeforeDecision { decided_on, leave_by } => {
                RegisterError::LeaveByBeforeDecision { decided_on, leave_by }
            }
            ExpulsionError::Store(e) => RegisterError::Store(e),
        })?;
        // The decision ends the stay the card stood for.
        let note = Some(recorded.decision_ref.clone());
        self.revoke_card_of(&actor.name, person, sapar_store::cards::Revocation::Expulsion, self.today(), note).await?;
        Ok(recorded)
    }

    /// The expulsions of the person `person` answers for; the read is logged.
    pub async fn expulsions_of(
        &self,
        access: &Access,
        person: PersonId,
    ) -> Result<Vec<ExpulsionRecord>, RegisterError> {
        access.actor.require(READERS, "read expulsions")?;
        let person = self.person_answering_for(person).await?.person.id;
        let expulsions = self.store.expulsions_of(person).await?;
        self.log_reads(access, view::EXPULSIONS, &[person]).await?;
        Ok(expulsions)
    }

    /// Records that the person left on `departed_on` (`YYYY-MM-DD`) under expulsion `id`, when
    /// the register has no exit crossing for it; the implied ban is recorded with it.
    pub async fn record_departure(
        &self,
        actor: &Actor,
        id: Uuid,
        departed_on: &str,
    ) -> Result<ExpulsionRecord, RegisterError> {
        actor.require(DECIDERS, "record departures under expulsion")?;
        let departed_on = parse_date(departed_on.trim(), "departed_on")?;
        let current = self.store.expulsion(id).await?.ok_or(RegisterError::NotFound(Entity::Expulsion))?;
        self.execute(&current, departed_on, None, &actor.name).await
    }

    /// Executes `expulsion` with the ban its host state's law implies.
    async fn execute(
        &self,
        expulsion: &ExpulsionRecord,
        departed_on: Date,
        exit: Option<CrossingId>,
        by: &str,
    ) -> Result<ExpulsionRecord, RegisterError> {
        let at = self.now();
        let earlier = self.store.expulsions_of(expulsion.person_id).await?;
        let repeated = earlier.iter().any(|e| e.id != expulsion.id && e.execution.is_some());
        let ban = implied_ban(self.host_state, expulsion, departed_on, repeated, by, at);
        self.store.execute_expulsion(expulsion.id, departed_on, exit, ban, by, at).await.map_err(|e| match e {
            ExecuteError::NotFound => RegisterError::NotFound(Entity::Expulsion),
            ExecuteError::AlreadyExecuted(on) => RegisterError::AlreadyExecuted(on),
            ExecuteError::DepartureBeforeDecision { decided_on, departed_on } => {
                RegisterError::DepartureBeforeDecision { decided_on, departed_on }
            }
            ExecuteError::Store(e) => RegisterError::Store(e),
        })
    }

    /// What a newly recorded exit of `person` on `day` sets off: the latest expulsion decided by
    /// then and not yet executed is executed, and the overstay of the stay the exit ended is
    /// recorded at once (the store skips a stay whose overstay is on record already).
    pub(crate) async fn after_exit(
        &self,
        person: PersonId,
        exit: CrossingId,
        day: Date,
    ) -> Result<Departure, RegisterError> {
        let mut departure = Departure::default();
        let pending = self.store.expulsions_of(person).await?;
        if let Some(expulsion) = pending.iter().rev().find(|e| e.execution.is_none() && e.decided_on <= day) {
            departure.executed = Some(self.execute(expulsion, day, Some(exit), DEPARTURE_ACTOR).await?);
        }
        if let Some(record) = self.store.person(person).await?
            && let Some(draft) = self.overstay_of_ended_stay(&record, exit, day)
        {
            departure.overstay_days = Some(draft.overstay_days);
            self.store.record_overstay_drafts(vec![draft], self.now()).await?;
        }
        departure.registration_ended = self.end_registration_on_exit(person, day, DEPARTURE_ACTOR).await?;
        Ok(departure)
    }

    /// The overstay of the stay the exit `exit` on `day` ended, judged on its last day as the
    /// sweep would have judged it then; `None` when the stay was legal or cannot be judged.
    fn overstay_of_ended_stay(&self, record: &PersonRecord, exit: CrossingId, day: Date) -> Option<OverstayDraft> {
        let mut before_exit = record.clone();
        before_exit.crossings.retain(|c| c.id != exit);
        let entry = before_exit.crossings.iter().rev().find(|c| c.direction == Direction::Entry)?;
        let stay_entry = entry.at.date();
        let permits = sapar_store::permits::periods_of(&record.permits);
        let answer = crate::stay::stay_answer(&self.rules, self.host_state, &before_exit, &permits, day).ok()?;
        (answer.present && answer.overstay_days > 0).then(|| OverstayDraft {
            person_id: record.person.id,
            stay_entry,
            detected_on: day,
            overstay_days: answer.overstay_days,
            last_legal_day: answer.last_legal_day,
            rule_id: answer.rules.first().map(|r| r.id.clone()).unwrap_or_default(),
        })
    }
}

/// The ban `host`'s law implies for `expulsion` executed on `departed_on`: from that day for the
/// rule's years (its repeat years after an earlier executed expulsion).
fn implied_ban(
    host: Country,
    expulsion: &ExpulsionRecord,
    departed_on: Date,
    repeated: bool,
    by: &str,
    at: Timestamp,
) -> Option<NewBan> {
    let rule = implied_ban_rule(host)?;
    let years = if repeated { rule.repeat_years.unwrap_or(rule.years) } else { rule.years };
    let ends_on = departed_on.checked_add(Span::new().years(years)).ok()?.yesterday().ok()?;
    Some(NewBan {
        id: Uuid::now_v7(),
        person_id: expulsion.person_id,
        starts_on: departed_on,
        ends_on,
        ground: BanGround::Expulsion,
        basis: rule.basis.clone(),
        decision_ref: expulsion.decision_ref.clone(),
        decided_by: None,
        recorded_by: by.to_owned(),
        recorded_at: at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_rule_data_parses_and_kazakhstan_bans_for_five_years_from_departure() {
        assert!(IMPLIED_BANS.is_ok(), "{:?}", IMPLIED_BANS.as_ref().err());
        let kaz = implied_ban_rule(Country::KAZ).expect("Kazakhstan's rule");
        assert_eq!((kaz.years, kaz.repeat_years), (5, None));
        assert_eq!(implied_ban_rule(Country::RUS).map(|r| r.repeat_years), Some(Some(10)));
        assert!(implied_ban_rule(Country::KGZ).is_none());
    }

    #[test]
    fn an_implied_ban_runs_from_the_departure_for_the_rules_years() {
        let expulsion = ExpulsionRecord {
            id: Uuid::nil(),
            person_id: PersonId::from_uuid(Uuid::nil()),
            kind: ExpulsionKind::AdministrativeExpulsion,
            decided_on: date(2025, 4, 1),
            decision_ref: "№ 5-12/2025".into(),
            basis: "КоАП РК, ст. 517".into(),
            leave_by: None,
            recorded_by: "officer".into(),
            recorded_at: Timestamp::UNIX_EPOCH,
            execution: None,
        };
        let at = Timestamp::UNIX_EPOCH;
        let ban = implied_ban(Country::KAZ, &expulsion, date(2025, 4, 12), false, "officer", at).unwrap();
        assert_eq!(
            (ban.starts_on, ban.ends_on, ban.ground),
            (date(2025, 4, 12), date(2030, 4, 11), BanGround::Expulsion)
        );
        let twice = implied_ban(Country::RUS, &expulsion, date(2024, 2, 29), true, "officer", at).unwrap();
        assert_eq!(twice.ends_on, date(2034, 2, 27), "ten years after a repeated expulsion, from a leap day");
        assert!(implied_ban(Country::KGZ, &expulsion, date(2025, 4, 12), false, "officer", at).is_none());
    }
}
