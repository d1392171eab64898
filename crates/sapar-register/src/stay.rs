//! The register's use of the stay rules engine: the verdict given with an entry, the stay of a
//! person on a date, and the overstayer sweep over every person in the country, with its nightly
//! schedule. Stays come from the stored crossings through [`sapar_rules::stays_from_crossings`];
//! the host is the node's state. Answers are domain values: front ends render them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use sapar_model::{Country, Crossing, CrossingId, Direction, PersonId};
use sapar_rules::{Answer, Host, Permit, RuleBook, Stay, StayError, StayRule, SweepSubject, stays_from_crossings};
use sapar_store::{OverstayDraft, PersonRecord, PresentPerson, Store, StoreError};

/// Code of the refuse-entry advice when no day of stay is left.
pub const LIMIT_USED_UP: &str = "stay_limit_used_up";

/// The civil time zone of a host state (the state's capital); UTC for states not listed.
pub fn host_zone(state: Country) -> TimeZone {
    let name = match state.code() {
        "KAZ" => "Asia/Almaty",
        "KGZ" => "Asia/Bishkek",
        "RUS" => "Europe/Moscow",
        "ARM" => "Asia/Yerevan",
        "UZB" => "Asia/Tashkent",
        "TJK" => "Asia/Dushanbe",
        _ => return TimeZone::UTC,
    };
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

/// Today in the host state's zone.
pub fn today_in(state: Country, now: Timestamp) -> Date {
    now.to_zoned(host_zone(state)).date()
}

/// A rule behind an answer, with its legal basis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRef {
    pub id: String,
    pub basis: String,
}

impl RuleRef {
    fn of(rule: &StayRule) -> RuleRef {
        RuleRef { id: rule.id.clone(), basis: rule.basis.clone() }
    }
}

/// Advice to refuse entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefuseEntry {
    /// Why, from the rule that leaves no day of stay.
    pub reason: String,
    /// [`LIMIT_USED_UP`].
    pub code: &'static str,
}

/// What the verdict says of the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerdictStatus {
    Allowed,
    RefuseEntry,
    /// The engine cannot answer; [`EntryVerdict::not_judged`] says why.
    Unknown,
}

impl VerdictStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictStatus::Allowed => "allowed",
            VerdictStatus::RefuseEntry => "refuse_entry",
            VerdictStatus::Unknown => "unknown",
        }
    }
}

/// The stay verdict given with a recorded entry, for the state the node serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryVerdict {
    pub status: VerdictStatus,
    /// Longest stay from the day of entry, that day included; `None` when no limit binds.
    pub allowed_days: Option<u32>,
    /// Last day of that stay.
    pub last_legal_day: Option<Date>,
    /// Days used under the binding limit on the day of entry, before this entry.
    pub days_used: Option<u32>,
    /// Days left under the binding limit on the day of entry, before this entry.
    pub days_left: Option<u32>,
    pub rules: Vec<RuleRef>,
    pub refuse_entry: Option<RefuseEntry>,
    /// When `status` is `Unknown`: the engine's code (e.g. `governed_by_visa`) and message.
    pub not_judged: Option<(&'static str, String)>,
}

fn rules_of(answer: &Answer<'_>) -> Vec<RuleRef> {
    let mut rules: Vec<&StayRule> = answer.stay.rules.clone();
    if let Some(rule) = answer.max_stay.as_ref().and_then(|m| m.limited_by)
        && !rules.iter().any(|r| r.id == rule.id)
    {
        rules.push(rule);
    }
    rules.into_iter().map(RuleRef::of).collect()
}

/// Why no day is left, in the rule's own terms.
fn refusal_reason(rule: &StayRule) -> String {
    let limits: Vec<String> = rule.shapes.iter().map(|s| s.label()).collect();
    format!("no day of stay is left under {} ({}): {}", rule.id, limits.join(", "), rule.basis)
}

/// The verdict for an entry on `on` of a citizen of `citizenship`, given their stays before it
/// and the periods their permits cover.
pub fn entry_verdict(
    book: &RuleBook,
    host: Country,
    citizenship: Country,
    prior: &[Stay],
    permits: &[Permit],
    on: Date,
) -> EntryVerdict {
    let answer = book.resolve(Host::State(host), citizenship).and_then(|r| r.answer(prior, permits, on, Some(on)));
    match answer {
        Ok(answer) => {
            let max = answer.max_stay.as_ref();
            let refuse_entry = match max {
                Some(m) if m.days == Some(0) => Some(RefuseEntry {
                    reason: m.limited_by.map_or_else(|| "no day of stay is left".to_owned(), refusal_reason),
                    code: LIMIT_USED_UP,
                }),
                _ => None,
            };
            EntryVerdict {
                status: if refuse_entry.is_some() { VerdictStatus::RefuseEntry } else { VerdictStatus::Allowed },
                allowed_days: max.and_then(|m| m.days),
                last_legal_day: max.and_then(|m| m.last_day),
                days_used: Some(answer.stay.days_used),
                days_left: answer.stay.days_left,
                rules: rules_of(&answer),
                refuse_entry,
                not_judged: None,
            }
        }
        Err(e) => EntryVerdict {
            status: VerdictStatus::Unknown,
            allowed_days: None,
            last_legal_day: None,
            days_used: None,
            days_left: None,
            rules: Vec::new(),
            refuse_entry: None,
            not_judged: Some((e.code(), e.to_string())),
        },
    }
}

/// The stays before a crossing: every crossing of the person recorded earlier in time order.
pub fn stays_before(crossings: &[Crossing], crossing: CrossingId) -> Vec<Stay> {
    let end = crossings.iter().position(|c| c.id == crossing).unwrap_or(crossings.len());
    stays_from_crossings(crossings[..end].iter().map(|c| (c.at.date(), c.direction)))
}

/// The stays as they stood on `on`: crossings on a later local date are left out.
pub fn stays_on(crossings: &[Crossing], on: Date) -> Vec<Stay> {
    stays_from_crossings(crossings.iter().filter(|c| c.at.date() <= on).map(|c| (c.at.date(), c.direction)))
}

/// Registration at the place of stay for the latest arrival.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationDue {
    pub arrival: Date,
    /// The last day on which registration is on time.
    pub due: Date,
    pub rule: RuleRef,
}

/// The longest stay when entering on the check date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaxStay {
    /// 0: entry would have to be refused; `None`: no limit binds.
    pub days: Option<u32>,
    pub last_day: Option<Date>,
    pub limited_by: Option<String>,
}

/// A person's stay in the node's state on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StayAnswer {
    pub person_id: PersonId,
    pub host: Country,
    pub citizenship: Country,
    pub on: Date,
    /// In the country on `on`.
    pub present: bool,
    pub days_used: u32,
    /// `None` when no limit applies.
    pub days_left: Option<u32>,
    pub legal: bool,
    pub overstay_days: u32,
    /// For an open stay: the last day it is (or was) legal.
    pub last_legal_day: Option<Date>,
    /// When the person is not in the country on `on`: the longest stay if entering that day.
    pub max_stay_if_entering: Option<MaxStay>,
    pub registration: Option<RegistrationDue>,
    pub rules: Vec<RuleRef>,
}

/// A person's stay on `on` from their crossings up to that date and the periods their permits
/// cover (see [`sapar_store::permits::periods_of`]).
pub fn stay_answer(
    book: &RuleBook,
    host: Country,
    person: &PersonRecord,
    permits: &[Permit],
    on: Date,
) -> Result<StayAnswer, StayError> {
    let citizenship = person.person.details.citizenship;
    let stays = stays_on(&person.crossings, on);
    let absent = stays.iter().all(|s| s.exit.is_some());
    let answer = book.resolve(Host::State(host), citizenship)?.answer(&stays, permits, on, absent.then_some(on))?;
    Ok(StayAnswer {
        person_id: person.person.id,
        host,
        citizenship,
        on,
        present: answer.stay.present,
        days_used: answer.stay.days_used,
        days_left: answer.stay.days_left,
        legal: answer.stay.legal,
        overstay_days: answer.stay.overstay_days,
        last_legal_day: answer.stay.last_legal_day,
        max_stay_if_entering: answer.max_stay.as_ref().map(|m| MaxStay {
            days: m.days,
            last_day: m.last_day,
            limited_by: m.limited_by.map(|r| r.id.clone()),
        }),
        registration: answer.registration.as_ref().map(|r| RegistrationDue {
            arrival: r.arrival,
            due: r.due,
            rule: RuleRef { id: r.rule.id.clone(), basis: r.rule.basis.clone() },
        }),
        rules: rules_of(&answer),
    })
}

/// The verdict of the crossing `id` of a person, when it is an entry.
pub fn verdict_for_crossing(
    book: &RuleBook,
    host: Country,
    person: &PersonRecord,
    id: CrossingId,
) -> Option<EntryVerdict> {
    let crossing = person.crossings.iter().find(|c| c.id == id)?;
    if crossing.direction != Direction::Entry {
        return None;
    }
    let prior = stays_before(&person.crossings, id);
    let permits = sapar_store::permits::periods_of(&person.permits);
    Some(entry_verdict(book, host, person.person.details.citizenship, &prior, &permits, crossing.at.date()))
}

/// What a sweep found and how long each part took.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSummary {
    pub on: Date,
    pub host: Country,
    /// Persons in the country (latest crossing an entry).
    pub checked: usize,
    pub overstayers: usize,
    /// Drafts recorded by this run (0 when the date was swept before).
    pub new_drafts: u64,
    /// Persons the engine could not judge (no rule for the citizenship, visa-governed …).
    pub not_evaluated: usize,
    /// Persons present past the registration deadline of their arrival with no registration and
    /// no failure to register on record.
    pub unregistered: usize,
    /// Failure-to-register drafts recorded by this run.
    pub new_registration_drafts: u64,
    pub load: Duration,
    pub engine: Duration,
    pub record: Duration,
}

struct Subject<'a> {
    person: &'a PresentPerson,
    host: Host,
}

impl SweepSubject for Subject<'_> {
    type Id = PersonId;
    fn id(&self) -> PersonId {
        self.person.id
    }
    fn host(&self) -> Host {
        self.host
    }
    fn citizenship(&self) -> Country {
        self.person.citizenship
    }
    fn stays(&self) -> &[Stay] {
        &self.person.stays
    }
    fn permits(&self) -> &[Permit] {
        &self.person.permits
    }
}

/// The engine part of the sweep over loaded persons (with the periods their permits cover): the
/// drafts to record and how many persons could not be evaluated. CPU-bound (parallel); call it
/// off the async runtime.
pub fn overstay_drafts(
    book: &RuleBook,
    host: Country,
    persons: &[PresentPerson],
    on: Date,
) -> (usize, Vec<OverstayDraft>, usize) {
    let host = Host::State(host);
    let subjects: Vec<Subject<'_>> = persons.iter().map(|person| Subject { person, host }).collect();
    let report = book.sweep_overstays(&subjects, on);
    let drafts = report
        .overstayers
        .iter()
        .map(|o| OverstayDraft {
            person_id: o.id,
            stay_entry: o.stay_entry,
            detected_on: on,
            overstay_days: o.overstay_days,
            last_legal_day: o.last_legal_day,
            rule_id: o.rule.id.clone(),
        })
        .collect();
    (report.checked, drafts, report.errors.len())
}

/// How far back the sweep reads the overstays already on record: a draft for a stay that began
/// earlier is not filtered out beforehand but still skipped by the store when recorded.
const RECORDED_HORIZON_DAYS: i32 = 730;

/// The whole sweep for `on`: load the persons in the country (with the periods their permits
/// cover), the overstays and the arrivals' registrations and failures already on record, side by
/// side; judge them; record new overstay drafts stamped `now`, and answer the arrivals nobody
/// registered in time for the register to record. The engine runs on the blocking pool, so a server keeps answering meanwhile.
pub(crate) async fn sweep(
    store: &Store,
    book: Arc<RuleBook>,
    host: Country,
    on: Date,
    now: Timestamp,
) -> Result<(SweepSummary, Vec<crate::registrations::RegistrationMiss>), StoreError> {
    let started = Instant::now();
    let horizon = on.checked_sub(jiff::Span::new().days(RECORDED_HORIZON_DAYS)).unwrap_or(Date::MIN);
    let (persons, recorded, accounted) = tokio::try_join!(
        store.present_persons(),
        store.recorded_overstays_since(horizon),
        store.accounted_arrivals_since(horizon)
    )?;
    let load = started.elapsed();
    let started = Instant::now();
    let ((checked, drafts, not_evaluated), misses) = tokio::task::spawn_blocking(move || {
        let overstays = overstay_drafts(&book, host, &persons, on);
        (overstays, crate::registrations::registration_misses(&book, host, &persons, &accounted, on))
    })
    .await
    .map_err(|e| StoreError::Worker(e.to_string()))?;
    let engine = started.elapsed();
    let started = Instant::now();
    let overstayers = drafts.len();
    // Overstays already on record (drafted on an earlier night, confirmed or dismissed) are left
    // out here rather than refused one by one by the database; the store still skips any that a
    // concurrent sweep records meanwhile.
    let drafts: Vec<OverstayDraft> =
        drafts.into_iter().filter(|d| !recorded.contains(&(d.person_id, d.stay_entry))).collect();
    let new_drafts = if drafts.is_empty() { 0 } else { store.record_overstay_drafts(drafts, now).await? };
    let record = started.elapsed();
    let summary = SweepSummary {
        on,
        host,
        checked,
        overstayers,
        new_drafts,
        not_evaluated,
        unregistered: misses.len(),
        new_registration_drafts: 0,
        load,
        engine,
        record,
    };
    Ok((summary, misses))
}

/// The next time `at` (a wall-clock time in `zone`) strictly after `now`.
pub fn next_run(now: &Zoned, at: jiff::civil::Time) -> Option<Zoned> {
    let today = now.date().at(at.hour(), at.minute(), at.second(), 0).to_zoned(now.time_zone().clone()).ok()?;
    if today > *now { Some(today) } else { today.tomorrow().ok() }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use jiff::civil::{date, time};

    fn almaty(text: &str) -> Zoned {
        format!("{text}+05:00[Asia/Almaty]").parse().unwrap()
    }

    #[test]
    fn next_run_is_today_before_the_hour_and_tomorrow_from_it() {
        let at = time(2, 0, 0, 0);
        assert_eq!(next_run(&almaty("2025-04-01T01:59:59"), at).unwrap(), almaty("2025-04-01T02:00:00"));
        assert_eq!(next_run(&almaty("2025-04-01T02:00:00"), at).unwrap(), almaty("2025-04-02T02:00:00"));
        assert_eq!(next_run(&almaty("2025-12-31T23:00:00"), at).unwrap(), almaty("2026-01-01T02:00:00"));
    }

    #[test]
    fn host_zone_is_the_capital_zone_or_utc() {
        assert_eq!(host_zone(Country::KAZ).iana_name(), Some("Asia/Almaty"));
        assert_eq!(host_zone(Country::KGZ).iana_name(), Some("Asia/Bishkek"));
        assert_eq!(host_zone(Country::parse("USA").unwrap()), TimeZone::UTC);
        // 20:30 UTC on 31 March is already 1 April in Almaty.
        let now: Timestamp = "2025-03-31T20:30:00Z".parse().unwrap();
        assert_eq!(today_in(Country::KAZ, now), date(2025, 4, 1));
    }

    #[test]
    fn verdict_with_a_closed_stay_counts_it_and_refuses_when_nothing_is_left() {
        let book = RuleBook::load_embedded().unwrap();
        let used = [Stay::closed(date(2025, 1, 1), date(2025, 3, 31))];
        let v = entry_verdict(&book, Country::KAZ, Country::KGZ, &used, &[], date(2025, 4, 1));
        assert_eq!(
            (v.status, v.allowed_days, v.days_used, v.days_left),
            (VerdictStatus::RefuseEntry, Some(0), Some(90), Some(0))
        );
        // The 180 days ending 30 June start on 2 January: 89 days used. Each later day drops one
        // old day as it adds one, until the old stay has left the window after 27 September:
        // 90 days, 30 June to 27 September.
        let v = entry_verdict(&book, Country::KAZ, Country::KGZ, &used, &[], date(2025, 6, 30));
        assert_eq!(v.status, VerdictStatus::Allowed);
        assert_eq!((v.days_used, v.allowed_days), (Some(89), Some(90)));
        assert_eq!(v.last_legal_day, Some(date(2025, 9, 27)));
        let v = entry_verdict(&book, Country::KAZ, Country::KAZ, &[], &[], date(2025, 4, 1));
        assert_eq!((v.status, v.allowed_days, v.refuse_entry.is_none()), (VerdictStatus::Allowed, None, true));
    }
}
