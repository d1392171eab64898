//! The border check: one answer for the officer at the desk before a crossing is recorded.
//!
//! Who this is — the holder of the document if the register knows them, and the persons found by
//! name, birth date and citizenship across scripts who may be the same traveller on another
//! document (each with the probability the register's linkage model gives) — and every reason to
//! refuse or refer, each a [`Check`] with its legal basis, and one [`Advice`]: the most severe of
//! the checks'. A new passport therefore does not make a stranger: the entry bans and overstay
//! history of a likely candidate count.
//!
//! The checks are a list of functions over the [`Facts`] gathered once ([`CHECKS`]); a new check
//! is one more function there (and, if it needs data the facts lack, one more field loaded in
//! [`Register::gather`]). A check stores nothing but the access-log rows of the persons it shows.

use std::collections::HashSet;

use jiff::civil::Date;
use sapar_match::{Linkage, Model, TermFrequency};
use sapar_model::{
    CheckSubmission, Country, CrossingId, Direction, Person, PersonDetails, PersonId, Purpose, RawCrossing, Role,
};
use sapar_rules::{Host, RuleBook, stays_from_crossings};
use sapar_store::bans::{BanGround, BanRecord};
use sapar_store::permits::{PermitKind, PermitPurpose, PermitRecord};
use sapar_store::search::{MAX_SEARCH_LIMIT, SearchCriteria};
use sapar_store::{PersonRecord, ViolationRecord, ViolationStatus};
use serde::Deserialize;

use crate::access::{Access, distinct, view};
use crate::crossings::{CrossingOutcome, validate_submission};
use crate::linking::{
    DEFAULT_LOWER, DEFAULT_UPPER, REGISTER_LINK_CONFIG, person_record, register_config, register_table,
};
use crate::stay::{EntryVerdict, StayAnswer, VerdictStatus, entry_verdict};
use crate::{Register, RegisterError};

/// Who works the border desk.
const DESK: &[Role] = &[Role::Border, Role::Officer];

/// The lowest probability at which a person found by name, birth date and citizenship is shown
/// as a candidate: the linking job's review threshold. A pair the nightly linking would put
/// before an officer for review is one the officer at the desk must see too; below it, the model
/// says a namesake born the same day is more likely someone else, and showing every namesake
/// would bury the one that matters.
pub const CANDIDATE_MIN_PROBABILITY: f64 = DEFAULT_LOWER;

/// The linkage model used until the register has fitted its own in a linking run: fitted on the
/// synthetic persons of the region under the register's configuration (see
/// `examples/border_model.rs`).
const DEFAULT_MODEL: &str = include_str!("border_model.json");

/// The legal bases of checks that rest on no stay regime, per host state (see the file).
const BASES: &str = include_str!("border.toml");

/// What the officer is advised to do, from the least to the most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Advice {
    Admit,
    /// Look closer (a second-line check, a supervisor) before deciding.
    Refer,
    Refuse,
}

impl Advice {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Advice::Admit => "admit",
            Advice::Refer => "refer",
            Advice::Refuse => "refuse",
        }
    }
}

/// What one check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The document expired before the day of the crossing.
    DocumentExpired { expiry: Date },
    /// The holder is in the host state beyond their legal stay on the day.
    Overstaying { days: u32, last_legal_day: Option<Date> },
    /// Overstay violations on record (drafted by the sweep or confirmed) of the holder or of a
    /// candidate.
    OverstayHistory {
        person_id: PersonId,
        /// The person is a candidate, not the document's holder.
        candidate: bool,
        /// Violations not dismissed.
        violations: usize,
        /// The longest overstay among them, in days.
        longest_days: u32,
        /// The first day of the latest overstayed stay.
        latest_stay: Date,
    },
    /// An entry ban in force on the day, of the holder or of a candidate.
    EntryBan {
        person_id: PersonId,
        /// The person is a candidate, not the document's holder.
        candidate: bool,
        ban_id: uuid::Uuid,
        /// The ban's last day as it stands (after a lift that takes effect later).
        until: Date,
        ground: BanGround,
        decision_ref: String,
    },
    /// The stay rules cannot judge the traveller's stay (no regime for the citizenship, a stay
    /// bounded by a visa the register does not hold, an entry while recorded present, …): the
    /// engine's code and reason.
    StayNotJudged { code: &'static str, reason: String },
    /// The stay verdict for this crossing: days used and left before it, and for an entry the
    /// longest stay from the day (0: no day is left).
    Stay { days_used: Option<u32>, days_left: Option<u32>, allowed_days: Option<u32>, last_legal_day: Option<Date> },
    /// The declared purpose of an entry is one the stay rule in force on the day does not cover,
    /// and no permit of the holder covering the day allows it.
    PurposeNotAllowed {
        purpose: Purpose,
        /// The stay rule that leaves the purpose out.
        rule_id: String,
    },
    /// The register knows nobody holding the document: a first crossing on it.
    NewPerson,
}

impl Finding {
    /// The check's stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Finding::EntryBan { .. } => "entry_ban",
            Finding::DocumentExpired { .. } => "document_expired",
            Finding::Overstaying { .. } => "overstaying",
            Finding::OverstayHistory { .. } => "overstay_history",
            Finding::StayNotJudged { code, .. } if is_no_rule(code) => "no_stay_rule",
            Finding::StayNotJudged { .. } => "stay_not_judged",
            Finding::Stay { .. } => "stay",
            Finding::PurposeNotAllowed { .. } => "purpose_not_allowed",
            Finding::NewPerson => "new_person",
        }
    }
}

fn is_no_rule(engine_code: &str) -> bool {
    matches!(engine_code, "no_rule_for_citizenship" | "no_rule_in_force" | "unknown_host")
}

/// One check's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub finding: Finding,
    pub advice: Advice,
    /// The legal text the advice rests on; `None` for a check that rests on none (a new person,
    /// no rule to cite).
    pub basis: Option<String>,
}

/// A person found by name, birth date and citizenship who may be the traveller on another
/// document.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub person: Person,
    /// The linkage model's probability that the candidate is the traveller.
    pub probability: f64,
}

/// The whole answer of a border check.
#[derive(Debug, Clone)]
pub struct BorderCheck {
    /// The crossing as checked.
    pub submission: CheckSubmission,
    /// The day the checks are made for: the crossing's civil date.
    pub on: Date,
    /// The person holding the document, when on record.
    pub person: Option<PersonRecord>,
    /// Other persons who may be the traveller, most likely first.
    pub candidates: Vec<Candidate>,
    /// The holder's stay on the day, when on record and judged.
    pub stay: Option<StayAnswer>,
    /// For an entry: the stay verdict of the host state as recording would give it.
    pub verdict: Option<EntryVerdict>,
    /// Every check that found something to say, in [`CHECKS`] order.
    pub checks: Vec<Check>,
    /// The most severe advice of the checks.
    pub advice: Advice,
}

impl BorderCheck {
    /// Who the traveller is as far as the check knows: the submitted details, else the holder's.
    pub fn details(&self) -> Option<&PersonDetails> {
        self.submission.person.as_ref().or(self.person.as_ref().map(|p| &p.person.details))
    }
}

/// Everything the checks judge, gathered once.
#[derive(Debug)]
pub struct Facts<'a> {
    pub submission: &'a CheckSubmission,
    pub on: Date,
    pub host: Country,
    pub rules: &'a RuleBook,
    pub bases: &'a Bases,
    pub holder: Option<&'a PersonRecord>,
    pub stay: Option<&'a Result<StayAnswer, (&'static str, String)>>,
    pub verdict: Option<&'a EntryVerdict>,
    /// Violations not dismissed, of the holder (`false`) and of each candidate (`true`).
    pub overstays: &'a [(PersonId, bool, Vec<ViolationRecord>)],
    /// Entry bans in force on the day, of the holder (`false`) and of each candidate (`true`).
    pub bans: &'a [(PersonId, bool, Vec<BanRecord>)],
}

/// A check: what it finds in the facts, if anything.
pub type CheckFn = fn(&Facts<'_>) -> Vec<Check>;

/// Every check, in the order the answer lists them.
pub const CHECKS: &[CheckFn] = &[
    entry_ban,
    document_expired,
    overstaying_now,
    overstay_history,
    stay_rule,
    stay_verdict,
    purpose_not_allowed,
    new_person,
];

/// The legal bases of the checks that cite no stay regime, for one host state.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bases {
    /// Entry on a valid travel document.
    pub valid_document: String,
    /// An earlier breach of the stay rules examined at a new entry.
    pub overstay_history: String,
}

impl Bases {
    /// The bases for `host`, else the file's `default`.
    fn for_host(host: Country) -> Result<Bases, RegisterError> {
        let mut all: std::collections::HashMap<String, Bases> = toml::from_str(BASES)
            .map_err(|e| RegisterError::Internal(format!("border check bases do not parse: {e}")))?;
        all.remove(host.code())
            .or_else(|| all.remove("default"))
            .ok_or_else(|| RegisterError::Internal("border check bases hold no default".to_owned()))
    }
}

/// An entry with a ban in force: refused for the holder; referred for a candidate, whose identity
/// with the traveller the officer establishes first. An exit is never held by a ban.
fn entry_ban(f: &Facts<'_>) -> Vec<Check> {
    if f.submission.direction != Direction::Entry {
        return Vec::new();
    }
    f.bans
        .iter()
        .flat_map(|(person_id, candidate, bans)| {
            bans.iter().filter_map(move |ban| {
                Some(Check {
                    finding: Finding::EntryBan {
                        person_id: *person_id,
                        candidate: *candidate,
                        ban_id: ban.id,
                        until: ban.last_day()?,
                        ground: ban.ground,
                        decision_ref: ban.decision_ref.clone(),
                    },
                    advice: if *candidate { Advice::Refer } else { Advice::Refuse },
                    basis: Some(ban.basis.clone()),
                })
            })
        })
        .collect()
}

fn document_expired(f: &Facts<'_>) -> Vec<Check> {
    match f.submission.document.expiry {
        Some(expiry) if expiry < f.on => vec![Check {
            finding: Finding::DocumentExpired { expiry },
            advice: Advice::Refuse,
            basis: Some(f.bases.valid_document.clone()),
        }],
        _ => Vec::new(),
    }
}

fn overstaying_now(f: &Facts<'_>) -> Vec<Check> {
    match f.stay {
        Some(Ok(stay)) if stay.present && stay.overstay_days > 0 => vec![Check {
            finding: Finding::Overstaying { days: stay.overstay_days, last_legal_day: stay.last_legal_day },
            advice: Advice::Refer,
            basis: rule_bases(stay.rules.iter().map(|r| r.basis.as_str())),
        }],
        _ => Vec::new(),
    }
}

fn overstay_history(f: &Facts<'_>) -> Vec<Check> {
    let host_rules = f.rules.stay_rules(Host::State(f.host)).unwrap_or_default();
    f.overstays
        .iter()
        .filter_map(|(person_id, candidate, violations)| {
            let stay_of = |v: &ViolationRecord| v.overstay.as_ref().map_or(v.detected_on, |o| o.stay_entry);
            let latest = violations.iter().map(stay_of).max()?;
            let breached = violations
                .iter()
                .filter_map(|v| v.overstay.as_ref())
                .filter_map(|o| host_rules.iter().find(|r| r.id == o.rule_id));
            let basis = rule_bases(
                breached.map(|r| r.basis.as_str()).chain(std::iter::once(f.bases.overstay_history.as_str())),
            );
            Some(Check {
                finding: Finding::OverstayHistory {
                    person_id: *person_id,
                    candidate: *candidate,
                    violations: violations.len(),
                    longest_days: violations
                        .iter()
                        .filter_map(|v| v.overstay.as_ref().map(|o| o.overstay_days))
                        .max()
                        .unwrap_or(0),
                    latest_stay: latest,
                },
                advice: Advice::Refer,
                basis,
            })
        })
        .collect()
}

fn stay_rule(f: &Facts<'_>) -> Vec<Check> {
    let not_judged = match (f.verdict, f.stay) {
        (Some(v), _) if v.status == VerdictStatus::Unknown => v.not_judged.clone(),
        (None, Some(Err(e))) => Some(e.clone()),
        _ => None,
    };
    not_judged
        .map(|(code, reason)| Check {
            finding: Finding::StayNotJudged { code, reason },
            advice: Advice::Refer,
            basis: None,
        })
        .into_iter()
        .collect()
}

fn stay_verdict(f: &Facts<'_>) -> Vec<Check> {
    match (f.verdict, f.stay) {
        (Some(v), _) if v.status != VerdictStatus::Unknown => vec![Check {
            finding: Finding::Stay {
                days_used: v.days_used,
                days_left: v.days_left,
                allowed_days: v.allowed_days,
                last_legal_day: v.last_legal_day,
            },
            advice: if v.status == VerdictStatus::RefuseEntry { Advice::Refuse } else { Advice::Admit },
            basis: rule_bases(v.rules.iter().map(|r| r.basis.as_str())),
        }],
        (None, Some(Ok(stay))) => vec![Check {
            finding: Finding::Stay {
                days_used: Some(stay.days_used),
                days_left: stay.days_left,
                allowed_days: None,
                last_legal_day: stay.last_legal_day,
            },
            advice: Advice::Admit,
            basis: rule_bases(stay.rules.iter().map(|r| r.basis.as_str())),
        }],
        _ => Vec::new(),
    }
}

/// An entry declared for a purpose the stay rule in force on the day does not cover (a Chinese
/// citizen entering Kazakhstan visa-free "for work"), when no permit of the holder covering the
/// day allows that purpose ([`permit_allows`]); the basis is the rule's purpose limit.
///
/// The advice is to refer, not to refuse: the register holds residence permits and long-stay
/// visas but not every visa (a work or study visa in the passport allows the purpose and is
/// checked by the officer), and a declared purpose is the traveller's word on a card, which a
/// second-line interview may correct. Refusal is the officer's decision after that look.
fn purpose_not_allowed(f: &Facts<'_>) -> Vec<Check> {
    let Some(purpose) = f.submission.purpose else { return Vec::new() };
    if f.submission.direction != Direction::Entry {
        return Vec::new();
    }
    let Some(citizenship) = f.submission.person.as_ref().or(f.holder.map(|h| &h.person.details)).map(|d| d.citizenship)
    else {
        return Vec::new();
    };
    let Ok(resolved) = f.rules.resolve(Host::State(f.host), citizenship) else { return Vec::new() };
    let Some(rule) = resolved.stay_rule_on(f.on) else { return Vec::new() };
    let Some(limit) = rule.purposes.as_ref().filter(|_| !rule.covers(purpose)) else { return Vec::new() };
    let allowed_by_permit = f.holder.is_some_and(|h| {
        h.permits
            .iter()
            .filter(|p| p.covered().is_some_and(|c| c.from <= f.on && f.on <= c.to))
            .any(|p| permit_allows(p, purpose))
    });
    if allowed_by_permit {
        return Vec::new();
    }
    vec![Check {
        finding: Finding::PurposeNotAllowed { purpose, rule_id: rule.id.clone() },
        advice: Advice::Refer,
        basis: Some(limit.basis.clone()),
    }]
}

/// Whether `permit` allows a stay for the declared `purpose`, whatever days it covers: a
/// permanent residence permit allows every purpose; a temporary residence permit or a long-stay
/// visa, granted for a purpose, allows that same purpose (work for work, study for study, family
/// for family); a work permit allows work. A permit kind added later is one more arm here.
pub fn permit_allows(permit: &PermitRecord, purpose: Purpose) -> bool {
    match permit.kind {
        PermitKind::PermanentResidence => true,
        PermitKind::TemporaryResidence | PermitKind::LongStayVisa => {
            permit.purpose.is_some_and(|granted| same_purpose(granted, purpose))
        }
        // A work permit is granted to work, whatever purpose field it carries.
        PermitKind::WorkPermit => purpose == Purpose::Work,
    }
}

/// A permit's purpose and a declared purpose that mean the same thing. Business, humanitarian
/// and other grounds of a permit have no declared purpose of their own, so they match none.
fn same_purpose(granted: PermitPurpose, declared: Purpose) -> bool {
    matches!(
        (granted, declared),
        (PermitPurpose::Work, Purpose::Work)
            | (PermitPurpose::Study, Purpose::Study)
            | (PermitPurpose::Family, Purpose::Family)
    )
}

fn new_person(f: &Facts<'_>) -> Vec<Check> {
    if f.holder.is_none() {
        vec![Check { finding: Finding::NewPerson, advice: Advice::Admit, basis: None }]
    } else {
        Vec::new()
    }
}

/// Distinct legal bases joined, `None` when there is none.
fn rule_bases<'a>(bases: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut seen = Vec::new();
    for basis in bases {
        if !seen.contains(&basis) {
            seen.push(basis);
        }
    }
    (!seen.is_empty()).then(|| seen.join("; "))
}

/// Runs every check over `facts`: the checks that found something, and the most severe advice.
pub fn run_checks(facts: &Facts<'_>) -> (Vec<Check>, Advice) {
    let checks: Vec<Check> = CHECKS.iter().flat_map(|check| check(facts)).collect();
    let advice = checks.iter().map(|c| c.advice).max().unwrap_or(Advice::Admit);
    (checks, advice)
}

/// Validates a check's submission as recording validates what it shares with it: a
/// machine-readable zone fills what it carries, then [`RawCrossing::validate_for_check`]. An id,
/// when given, must be a UUID.
pub fn validate_check_submission(
    raw: &RawCrossing,
    now: jiff::Timestamp,
) -> Result<(Option<CrossingId>, CheckSubmission), sapar_model::InputError> {
    let filled;
    let raw = if raw.mrz.is_some() {
        let mut with_mrz = raw.clone();
        crate::mrz_input::apply_mrz(&mut with_mrz, now.to_zoned(jiff::tz::TimeZone::UTC).date())?;
        filled = with_mrz;
        &filled
    } else {
        raw
    };
    let id = match raw.id.as_deref() {
        None => None,
        Some(text) => Some(CrossingId::from_uuid(uuid::Uuid::parse_str(text).map_err(|_| {
            sapar_model::InputError::new("id", sapar_model::InputCode::InvalidId, format!("{text:?} is not a UUID"))
        })?)),
    };
    Ok((id, raw.validate_for_check(now)?))
}

/// The model that scores candidates: the register's own when a linking run fitted one for
/// today's configuration, else [`DEFAULT_MODEL`]; without term-frequency adjustment, because
/// a check compares a handful of records and has not the whole register's name frequencies
/// that adjustment needs, so each level weighs its average over the register.
pub(crate) fn scoring_model(stored: Option<&sapar_store::identity::StoredModel>) -> Result<Model, RegisterError> {
    let text = match stored {
        Some(stored) if stored.config == REGISTER_LINK_CONFIG => stored.model.as_str(),
        _ => DEFAULT_MODEL,
    };
    let mut model: Model = serde_json::from_str(text)
        .map_err(|e| RegisterError::Internal(format!("the linkage model does not parse: {e}")))?;
    for level in model.fields.iter_mut().flat_map(|f| f.levels.iter_mut()) {
        level.term_frequency = TermFrequency::None;
    }
    Ok(model)
}

/// The probability of each person in `found` being the traveller described by `details` and
/// `document`, in `found`'s order.
fn score(
    model: &Model,
    details: &PersonDetails,
    document: &sapar_model::DocumentNumber,
    found: &[Person],
) -> Result<Vec<f64>, RegisterError> {
    let internal = |e: sapar_match::MatchError| RegisterError::Internal(format!("candidate scoring: {e}"));
    let config = register_config(REGISTER_LINK_CONFIG, DEFAULT_LOWER, DEFAULT_UPPER).map_err(internal)?;
    let traveller = register_table(vec![person_record("traveller", details, Some(document))]).map_err(internal)?;
    let known = register_table(
        found
            .iter()
            .map(|p| person_record(&p.id.to_string(), &p.details, p.documents.first().map(|d| &d.key.number)))
            .collect(),
    )
    .map_err(internal)?;
    let linkage = Linkage::new(&config, &traveller, Some(&known)).map_err(internal)?;
    Ok((0..found.len()).map(|j| linkage.score_pair(model, 0, j as u32).probability()).collect())
}

/// The holder's stays and the days the holder's permits cover, for a check on `on` of a crossing
/// at `at`: crossings before it only, leaving out the crossing `id` itself when it was recorded.
fn prior_stays(holder: &PersonRecord, id: Option<CrossingId>, at: &jiff::Zoned) -> Vec<sapar_rules::Stay> {
    stays_from_crossings(
        holder
            .crossings
            .iter()
            .filter(|c| Some(c.id) != id && c.at.timestamp() < at.timestamp())
            .map(|c| (c.at.date(), c.direction)),
    )
}

impl Register {
    /// The border check of `raw`: validated as [`validate_check_submission`] does (now, by the
    /// register's clock), the holder and the candidates found, every check run. One access-log
    /// row per person shown (holder and candidates), view [`view::BORDER_CHECK`]; nothing else
    /// is stored. Border and officer roles.
    pub async fn border_check(&self, access: &Access, raw: &RawCrossing) -> Result<BorderCheck, RegisterError> {
        access.actor.require(DESK, "check travellers")?;
        let (id, submission) = validate_check_submission(raw, self.now())?;
        self.known_point(&submission.point)?;
        let check = self.check_submission(id, submission).await?;
        let shown =
            distinct(check.person.iter().map(|h| h.person.id).chain(check.candidates.iter().map(|c| c.person.id)));
        if !shown.is_empty() {
            self.log_reads(access, view::BORDER_CHECK, &shown).await?;
        }
        Ok(check)
    }

    /// Records a crossing as [`Register::record_crossing`] does and answers the border check of
    /// it as well, made before recording (so it judges the traveller as the desk saw them; a
    /// replay leaves its own crossing out). Recording shows no person, so only the persons whose
    /// overstay history a check names are logged as read (view [`view::BORDER_CHECK`]); the
    /// caller answers with the checks, not with the check's persons and candidates.
    pub async fn record_crossing_checked(
        &self,
        access: &Access,
        raw: &RawCrossing,
    ) -> Result<(CrossingOutcome, BorderCheck), RegisterError> {
        access.actor.require(DESK, "record crossings")?;
        let row = validate_submission(raw, self.now())?;
        self.known_point(&row.crossing.point)?;
        let check = self.check_submission(Some(row.id), row.crossing.into()).await?;
        let outcome = self.record_crossing(&access.actor, raw).await?;
        let named = distinct(check.checks.iter().filter_map(|c| match c.finding {
            Finding::OverstayHistory { person_id, .. } => Some(person_id),
            _ => None,
        }));
        if !named.is_empty() {
            self.log_reads(access, view::BORDER_CHECK, &named).await?;
        }
        Ok((outcome, check))
    }

    /// The check itself; logs nothing (each caller logs what it shows).
    async fn check_submission(
        &self,
        id: Option<CrossingId>,
        submission: CheckSubmission,
    ) -> Result<BorderCheck, RegisterError> {
        let on = submission.local_date();
        let on_record = self.store.person_by_document(&submission.document.key).await?;
        let on_record_id = on_record.as_ref().map(|h| h.person.id);
        // A person the checked crossing itself created (a replay of a first crossing) was not on
        // record when it was first checked: the replay is judged the same way.
        let holder = on_record.filter(|h| !(id.is_some() && h.crossings.iter().all(|c| Some(c.id) == id)));
        let details = submission.person.clone().or_else(|| holder.as_ref().map(|h| h.person.details.clone()));
        let candidates = match &details {
            Some(details) => self.candidates(details, &submission.document.key.number, on_record_id).await?,
            None => Vec::new(),
        };
        let mut overstays = Vec::new();
        for (person_id, candidate) in
            holder.iter().map(|h| (h.person.id, false)).chain(candidates.iter().map(|c| (c.person.id, true)))
        {
            let violations: Vec<ViolationRecord> = self
                .store
                .violations_of(person_id)
                .await?
                .into_iter()
                .filter(|v| v.status != ViolationStatus::Dismissed && v.kind == crate::violation_kinds::OVERSTAY)
                .collect();
            if !violations.is_empty() {
                overstays.push((person_id, candidate, violations));
            }
        }
        let mut bans = Vec::new();
        for (person_id, candidate) in
            holder.iter().map(|h| (h.person.id, false)).chain(candidates.iter().map(|c| (c.person.id, true)))
        {
            let in_force: Vec<BanRecord> =
                self.store.bans_of(person_id).await?.into_iter().filter(|b| b.in_force_on(on)).collect();
            if !in_force.is_empty() {
                bans.push((person_id, candidate, in_force));
            }
        }
        let stay = holder.as_ref().map(|h| {
            let permits = sapar_store::permits::periods_of(&h.permits);
            let record = PersonRecord {
                crossings: h.crossings.iter().filter(|c| Some(c.id) != id).cloned().collect(),
                ..h.clone()
            };
            crate::stay::stay_answer(&self.rules, self.host_state, &record, &permits, on)
                .map_err(|e| (e.code(), e.to_string()))
        });
        let verdict = match (submission.direction, &details) {
            (Direction::Entry, Some(details)) => {
                let (prior, permits) = match &holder {
                    Some(h) => (prior_stays(h, id, &submission.at), sapar_store::permits::periods_of(&h.permits)),
                    None => (Vec::new(), Vec::new()),
                };
                Some(entry_verdict(&self.rules, self.host_state, details.citizenship, &prior, &permits, on))
            }
            _ => None,
        };
        let bases = Bases::for_host(self.host_state)?;
        let facts = Facts {
            submission: &submission,
            on,
            host: self.host_state,
            rules: &self.rules,
            bases: &bases,
            holder: holder.as_ref(),
            stay: stay.as_ref(),
            verdict: verdict.as_ref(),
            overstays: &overstays,
            bans: &bans,
        };
        let (checks, advice) = run_checks(&facts);
        Ok(BorderCheck {
            on,
            person: holder,
            candidates,
            stay: stay.and_then(Result::ok),
            verdict,
            checks,
            advice,
            submission,
        })
    }

    /// Persons other than the document's holder (`holder_id`) sharing the traveller's surname (in either script, under
    /// any transliteration), birth date and citizenship, whom the linkage model gives at least
    /// [`CANDIDATE_MIN_PROBABILITY`] of being the traveller, most likely first. Persons an
    /// officer confirmed to be different from the holder are left out. Without a birth date
    /// there is no search.
    async fn candidates(
        &self,
        details: &PersonDetails,
        document: &sapar_model::DocumentNumber,
        holder_id: Option<PersonId>,
    ) -> Result<Vec<Candidate>, RegisterError> {
        let Some(birth_date) = details.birth_date else { return Ok(Vec::new()) };
        let Some(surname) = details.name.native().or(details.name.latin()).map(|n| n.surname.as_str().to_owned())
        else {
            return Ok(Vec::new());
        };
        let Ok(criteria) = SearchCriteria::new(
            surname.split_whitespace(),
            None,
            Some(birth_date),
            Some(details.citizenship),
            Some(MAX_SEARCH_LIMIT),
        ) else {
            return Ok(Vec::new());
        };
        let found: Vec<Person> = self
            .store
            .search_persons(&criteria)
            .await?
            .hits
            .into_iter()
            .map(|hit| hit.person)
            .filter(|p| Some(p.id) != holder_id)
            .collect();
        if found.is_empty() {
            return Ok(Vec::new());
        }
        let different: HashSet<PersonId> = match holder_id {
            Some(holder) => self
                .store
                .confirmed_non_matches()
                .await?
                .into_iter()
                .filter_map(|(a, b)| {
                    if a == holder {
                        Some(b)
                    } else if b == holder {
                        Some(a)
                    } else {
                        None
                    }
                })
                .collect(),
            None => HashSet::new(),
        };
        let model = scoring_model(self.store.latest_link_model().await?.as_ref())?;
        let probabilities = score(&model, details, document, &found)?;
        let mut candidates: Vec<Candidate> = found
            .into_iter()
            .zip(probabilities)
            .filter(|(p, probability)| *probability >= CANDIDATE_MIN_PROBABILITY && !different.contains(&p.id))
            .map(|(person, probability)| Candidate { person, probability })
            .collect();
        candidates.sort_by(|a, b| b.probability.total_cmp(&a.probability));
        Ok(candidates)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn every_host_with_rules_has_bases_and_the_default_model_fits_the_configuration() {
        let book = RuleBook::load_embedded().unwrap();
        for host in book.hosts() {
            if let Host::State(state) = host {
                assert!(!Bases::for_host(state).unwrap().valid_document.is_empty());
            }
        }
        let model = scoring_model(None).unwrap();
        let config = register_config(REGISTER_LINK_CONFIG, DEFAULT_LOWER, DEFAULT_UPPER).unwrap();
        model.check(&config).unwrap();
    }

    #[test]
    fn advice_orders_refuse_over_refer_over_admit() {
        assert!(Advice::Refuse > Advice::Refer && Advice::Refer > Advice::Admit);
        assert_eq!([Advice::Admit, Advice::Refuse, Advice::Refer].into_iter().max(), Some(Advice::Refuse));
    }
}
