//! Agreements as data: parties, competent authorities, categories, Art. 7 fields, refusal grounds,
//! status with dates, versions, and the 30-day response deadline. Loaded from TOML files.

use std::collections::BTreeSet;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, Zoned};
use sapar_model::Country;
use serde::Deserialize;
use toml::Spanned;

use crate::category::{DataCategory, PersonField};
use crate::error::AgreementFileError;
use crate::ids::{AgreementId, AuthorityId};

/// The agreement files shipped with Sapar: (file name, contents).
pub const EMBEDDED_AGREEMENTS: &[(&str, &str)] = &[
    ("kaz-kgz-2019.toml", include_str!("../agreements/kaz-kgz-2019.toml")),
    ("kaz-arm-2024.toml", include_str!("../agreements/kaz-arm-2024.toml")),
];

/// A party to an agreement: a state and the time zone its deadlines are counted in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub state: Country,
    pub time_zone: String,
    pub name_ru: String,
    pub name_en: String,
}

/// A competent authority of one party (Art. 2), competent from `from` (inclusive) until
/// `until` (exclusive) when those are set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    pub id: AuthorityId,
    pub state: Country,
    pub name_ru: String,
    pub name_en: String,
    pub from: Option<Date>,
    pub until: Option<Date>,
}

impl Authority {
    /// True when the authority is competent on `date`.
    pub fn is_competent_on(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date < u)
    }
}

/// A ground on which a request may be refused (Art. 11.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusalGround {
    pub id: String,
    pub name_ru: String,
    pub name_en: String,
}

/// What the agreement allows in one version (the original text or after an amending protocol).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub version: u32,
    pub effective: Date,
    pub source: String,
    pub categories: BTreeSet<DataCategory>,
    pub fields: BTreeSet<PersonField>,
    pub refusal_grounds: Vec<RefusalGround>,
}

/// Why a category or field set is not allowed under an agreement (Art. 6, Art. 7).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyViolation {
    #[error("category {0} is outside the agreement")]
    Category(DataCategory),
    #[error("field {0} is outside the agreement's personal-data list")]
    Field(PersonField),
    #[error("category {0} carries no personal data, but fields were asked for")]
    FieldsWithoutPerson(DataCategory),
}

impl Terms {
    /// Checks a category and the personal-data fields asked or given under it.
    pub fn allows(&self, category: DataCategory, fields: &[PersonField]) -> Result<(), PolicyViolation> {
        if !self.categories.contains(&category) {
            return Err(PolicyViolation::Category(category));
        }
        if let Some(f) = fields.iter().find(|f| !self.fields.contains(f)) {
            return Err(PolicyViolation::Field(*f));
        }
        if !category.is_personal() && !fields.is_empty() {
            return Err(PolicyViolation::FieldsWithoutPerson(category));
        }
        Ok(())
    }

    /// The refusal ground with this id, if the agreement lists it.
    pub fn refusal_ground(&self, id: &str) -> Option<&RefusalGround> {
        self.refusal_grounds.iter().find(|g| g.id == id)
    }
}

/// A ratification (or a stage of one) recorded for a party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ratification {
    pub state: Country,
    /// The exact date, when our sources give it.
    pub date: Option<Date>,
    /// The year, always known.
    pub year: i16,
    /// The stage (e.g. `mazhilis`) when the ratification is not complete.
    pub stage: Option<String>,
}

/// The life of an agreement on a given date (Art. 18).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementStatus {
    /// Before signature.
    NotSigned,
    /// Signed, internal procedures not complete.
    Signed,
    /// In force.
    InForce,
    /// In force, a termination notice was received; it ends on `effective`.
    Terminating { effective: Date },
    /// No longer in force since `since`.
    Terminated { since: Date },
}

impl AgreementStatus {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            AgreementStatus::NotSigned => "not_signed",
            AgreementStatus::Signed => "signed",
            AgreementStatus::InForce => "in_force",
            AgreementStatus::Terminating { .. } => "terminating",
            AgreementStatus::Terminated { .. } => "terminated",
        }
    }
}

/// The response deadline of a request (Art. 11.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// The receipt date in the requested party's zone.
    pub received_on: Date,
    /// The last day on which the answer is on time.
    pub due_on: Date,
    /// The first instant at which the request is overdue (start of the day after `due_on`).
    pub overdue_from: Zoned,
}

impl Deadline {
    /// True when `now` is past the deadline.
    pub fn is_overdue(&self, now: Timestamp) -> bool {
        now >= self.overdue_from.timestamp()
    }
}

/// Why a deadline cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    #[error("unknown time zone {0:?}")]
    TimeZone(String),
    #[error("state {0} is not a party to the agreement")]
    NotAParty(Country),
    #[error("date arithmetic out of range")]
    Range,
}

/// An agreement between two states, with its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    id: AgreementId,
    title_ru: String,
    title_en: String,
    working_language: String,
    response_deadline_days: u16,
    termination_notice_months: u8,
    parties: [Party; 2],
    signed: Date,
    in_force: Option<Date>,
    in_force_is_assumed: bool,
    ratifications: Vec<Ratification>,
    termination_notice_received: Option<Date>,
    authorities: Vec<Authority>,
    versions: Vec<Terms>,
}

impl Agreement {
    /// The agreement's id.
    pub fn id(&self) -> &AgreementId {
        &self.id
    }

    /// Title in Russian (the working language).
    pub fn title_ru(&self) -> &str {
        &self.title_ru
    }

    /// Title in English.
    pub fn title_en(&self) -> &str {
        &self.title_en
    }

    /// Working language (ISO 639-1), `ru` for both shipped agreements (Art. 16).
    pub fn working_language(&self) -> &str {
        &self.working_language
    }

    /// The two parties.
    pub fn parties(&self) -> &[Party; 2] {
        &self.parties
    }

    /// The party for `state`, if it is one.
    pub fn party(&self, state: Country) -> Option<&Party> {
        self.parties.iter().find(|p| p.state == state)
    }

    /// The other party, if `state` is one.
    pub fn partner_of(&self, state: Country) -> Option<&Party> {
        match (&self.parties[0], &self.parties[1]) {
            (a, b) if a.state == state => Some(b),
            (a, b) if b.state == state => Some(a),
            _ => None,
        }
    }

    /// Date of signature.
    pub fn signed_on(&self) -> Date {
        self.signed
    }

    /// Date of entry into force, when known.
    pub fn in_force_on(&self) -> Option<Date> {
        self.in_force
    }

    /// True when the entry-into-force date is an assumption stated in the data file.
    pub fn in_force_is_assumed(&self) -> bool {
        self.in_force_is_assumed
    }

    /// Ratifications recorded so far.
    pub fn ratifications(&self) -> &[Ratification] {
        &self.ratifications
    }

    /// All authorities ever listed (with their competence dates).
    pub fn authorities(&self) -> &[Authority] {
        &self.authorities
    }

    /// All versions of the terms, oldest first.
    pub fn versions(&self) -> &[Terms] {
        &self.versions
    }

    /// The date termination takes effect, if a notice was received (receipt + 6 months).
    pub fn termination_effective(&self) -> Option<Date> {
        let received = self.termination_notice_received?;
        received.checked_add(i64::from(self.termination_notice_months).months()).ok()
    }

    /// Records that a termination notice was received on `received` (Art. 18).
    pub fn with_termination_notice(&self, received: Date) -> Agreement {
        let mut next = self.clone();
        next.termination_notice_received = Some(received);
        next
    }

    /// Records the entry into force on `date` (the last notification was received).
    pub fn with_entry_into_force(&self, date: Date) -> Agreement {
        let mut next = self.clone();
        next.in_force = Some(date);
        next.in_force_is_assumed = false;
        next
    }

    /// The agreement's status on `date`.
    pub fn status_on(&self, date: Date) -> AgreementStatus {
        if date < self.signed {
            return AgreementStatus::NotSigned;
        }
        if self.in_force.is_none_or(|d| date < d) {
            return AgreementStatus::Signed;
        }
        match (self.termination_notice_received, self.termination_effective()) {
            (Some(_), Some(end)) if date >= end => AgreementStatus::Terminated { since: end },
            (Some(received), Some(end)) if date >= received => AgreementStatus::Terminating { effective: end },
            _ => AgreementStatus::InForce,
        }
    }

    /// True when requests may be made on `date` (in force, including during the notice period).
    pub fn is_in_force(&self, date: Date) -> bool {
        matches!(self.status_on(date), AgreementStatus::InForce | AgreementStatus::Terminating { .. })
    }

    /// The authority with this id, whatever its competence dates.
    pub fn authority(&self, id: &AuthorityId) -> Option<&Authority> {
        self.authorities.iter().find(|a| &a.id == id)
    }

    /// True when `authority` is a competent authority of either party on `date`.
    pub fn is_competent(&self, authority: &AuthorityId, date: Date) -> bool {
        self.authorities.iter().any(|a| &a.id == authority && a.is_competent_on(date))
    }

    /// The competent authorities of `state` on `date`.
    pub fn competent_authorities(&self, state: Country, date: Date) -> impl Iterator<Item = &Authority> {
        self.authorities.iter().filter(move |a| a.state == state && a.is_competent_on(date))
    }

    /// The terms in force on `date` (the latest version effective on or before it; the first
    /// version before that).
    pub fn terms_on(&self, date: Date) -> &Terms {
        let mut chosen = &self.versions[0];
        for v in &self.versions {
            if v.effective <= date {
                chosen = v;
            }
        }
        chosen
    }

    /// Checks a category and fields against the terms in force on `date`.
    pub fn allows(&self, date: Date, category: DataCategory, fields: &[PersonField]) -> Result<(), PolicyViolation> {
        self.terms_on(date).allows(category, fields)
    }

    /// Response deadline for a request received at `receipt`, counted in `time_zone` (the
    /// requested party's zone): the receipt date plus 30 calendar days, inclusive.
    pub fn response_deadline_at(&self, receipt: Timestamp, time_zone: &str) -> Result<Deadline, DeadlineError> {
        let tz = TimeZone::get(time_zone).map_err(|_| DeadlineError::TimeZone(time_zone.to_owned()))?;
        self.response_deadline(&receipt.to_zoned(tz))
    }

    /// Response deadline for a request received at `receipt`, already in the requested party's zone.
    pub fn response_deadline(&self, receipt: &Zoned) -> Result<Deadline, DeadlineError> {
        let received_on = receipt.date();
        let due_on =
            received_on.checked_add(i64::from(self.response_deadline_days).days()).map_err(|_| DeadlineError::Range)?;
        let overdue_from = due_on
            .checked_add(1.day())
            .map_err(|_| DeadlineError::Range)?
            .to_zoned(receipt.time_zone().clone())
            .map_err(|_| DeadlineError::Range)?;
        Ok(Deadline { received_on, due_on, overdue_from })
    }

    /// Response deadline for a request received by `requested` at `receipt`, in that party's zone.
    pub fn response_deadline_for(&self, requested: Country, receipt: Timestamp) -> Result<Deadline, DeadlineError> {
        let party = self.party(requested).ok_or(DeadlineError::NotAParty(requested))?;
        self.response_deadline_at(receipt, &party.time_zone)
    }

    /// The civil date of `at` in `state`'s zone (UTC when the state is not a party).
    pub fn local_date(&self, state: Country, at: Timestamp) -> Date {
        let tz = self.party(state).and_then(|p| TimeZone::get(&p.time_zone).ok()).unwrap_or(TimeZone::UTC);
        at.to_zoned(tz).date()
    }

    /// Applies an authority change notified under Art. 2: `replaced` (if any) stops being
    /// competent on `effective`, and `new` (if any) becomes competent on that date.
    pub fn with_authority_change(
        &self,
        effective: Date,
        replaced: Option<&AuthorityId>,
        new: Option<Authority>,
    ) -> Result<Agreement, AuthorityChangeError> {
        let mut next = self.clone();
        if let Some(old) = replaced {
            let a = next
                .authorities
                .iter_mut()
                .find(|a| &a.id == old && a.is_competent_on(effective))
                .ok_or_else(|| AuthorityChangeError::UnknownAuthority(old.clone()))?;
            a.until = Some(effective);
        }
        if let Some(mut added) = new {
            if self.party(added.state).is_none() {
                return Err(AuthorityChangeError::NotAParty(added.state));
            }
            if next.authorities.iter().any(|a| a.id == added.id && a.is_competent_on(effective)) {
                return Err(AuthorityChangeError::AlreadyCompetent(added.id));
            }
            added.from = Some(effective);
            added.until = None;
            next.authorities.push(added);
        }
        Ok(next)
    }
}

/// Why an authority change cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthorityChangeError {
    #[error("authority {0} is not competent on the effective date")]
    UnknownAuthority(AuthorityId),
    #[error("authority {0} is already competent")]
    AlreadyCompetent(AuthorityId),
    #[error("state {0} is not a party to the agreement")]
    NotAParty(Country),
}

/// The agreements a node knows, by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementBook {
    agreements: Vec<Agreement>,
}

impl AgreementBook {
    /// Loads and validates the agreements shipped with Sapar.
    pub fn load_embedded() -> Result<AgreementBook, AgreementFileError> {
        Self::from_files(EMBEDDED_AGREEMENTS.iter().copied())
    }

    /// Loads and validates agreement files given as (file name, contents).
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<AgreementBook, AgreementFileError> {
        let mut agreements: Vec<Agreement> = Vec::new();
        for (name, text) in files {
            let agreement = parse_agreement(name, text)?;
            if agreements.iter().any(|a| a.id == agreement.id) {
                return Err(AgreementFileError {
                    file: name.to_owned(),
                    line: 1,
                    reason: format!("agreement {} is defined twice", agreement.id),
                });
            }
            agreements.push(agreement);
        }
        Ok(AgreementBook { agreements })
    }

    /// The agreement with this id.
    pub fn get(&self, id: &AgreementId) -> Option<&Agreement> {
        self.agreements.iter().find(|a| &a.id == id)
    }

    /// All agreements.
    pub fn iter(&self) -> impl Iterator<Item = &Agreement> {
        self.agreements.iter()
    }

    /// The agreements between two states.
    pub fn between(&self, a: Country, b: Country) -> impl Iterator<Item = &Agreement> {
        self.agreements.iter().filter(move |x| x.party(a).is_some() && x.party(b).is_some())
    }

    /// Replaces an agreement by an updated one (e.g. after an authority change); returns false
    /// when no agreement has that id.
    pub fn replace(&mut self, updated: Agreement) -> bool {
        match self.agreements.iter_mut().find(|a| a.id == updated.id) {
            Some(slot) => {
                *slot = updated;
                true
            }
            None => false,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// File format

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgreement {
    id: Spanned<String>,
    title_ru: String,
    title_en: String,
    working_language: Spanned<String>,
    response_deadline_days: Spanned<u16>,
    termination_notice_months: Spanned<u8>,
    parties: Spanned<Vec<RawParty>>,
    status: RawStatus,
    authorities: Vec<RawAuthority>,
    versions: Spanned<Vec<RawVersion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParty {
    state: Spanned<String>,
    time_zone: Spanned<String>,
    name_ru: String,
    name_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatus {
    signed: Spanned<String>,
    in_force: Option<Spanned<String>>,
    #[serde(default)]
    in_force_is_assumed: bool,
    termination_notice_received: Option<Spanned<String>>,
    #[serde(default)]
    ratifications: Vec<RawRatification>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRatification {
    state: Spanned<String>,
    date: Option<Spanned<String>>,
    year: Option<Spanned<i16>>,
    stage: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuthority {
    id: Spanned<String>,
    state: Spanned<String>,
    name_ru: String,
    name_en: String,
    from: Option<Spanned<String>>,
    until: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVersion {
    version: Spanned<u32>,
    effective: Spanned<String>,
    source: String,
    categories: Option<Vec<Spanned<String>>>,
    fields: Option<Vec<Spanned<String>>>,
    refusal_grounds: Option<Spanned<Vec<RawGround>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGround {
    id: Spanned<String>,
    name_ru: String,
    name_en: String,
}

struct FileCtx<'a> {
    name: &'a str,
    text: &'a str,
}

impl FileCtx<'_> {
    fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end].iter().filter(|b| **b == b'\n').count() + 1
    }

    fn err<T>(&self, spanned: &Spanned<T>, reason: impl Into<String>) -> AgreementFileError {
        AgreementFileError {
            file: self.name.to_owned(),
            line: self.line_of(spanned.span().start),
            reason: reason.into(),
        }
    }

    fn date(&self, s: &Spanned<String>) -> Result<Date, AgreementFileError> {
        let text = s.get_ref();
        let ok = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
        match text.parse::<Date>() {
            Ok(d) if ok => Ok(d),
            _ => Err(self.err(s, format!("expected a date YYYY-MM-DD, got {text:?}"))),
        }
    }

    fn state(&self, s: &Spanned<String>) -> Result<Country, AgreementFileError> {
        match Country::parse(s.get_ref()) {
            Ok(c) if c.is_state() && c.code() == s.get_ref() => Ok(c),
            _ => {
                Err(self.err(s, format!("expected an upper-case ISO 3166-1 alpha-3 state code, got {:?}", s.get_ref())))
            }
        }
    }
}

fn parse_agreement(name: &str, text: &str) -> Result<Agreement, AgreementFileError> {
    let ctx = FileCtx { name, text };
    let raw: RawAgreement = toml::from_str(text).map_err(|e| AgreementFileError {
        file: name.to_owned(),
        line: e.span().map_or(1, |s| ctx.line_of(s.start)),
        reason: e.message().trim_end_matches('.').to_owned(),
    })?;

    let id = AgreementId::parse(raw.id.get_ref()).map_err(|e| ctx.err(&raw.id, e.to_string()))?;
    if raw.working_language.get_ref() != "ru" {
        return Err(ctx.err(&raw.working_language, "working language must be \"ru\" (Art. 16)"));
    }
    if *raw.response_deadline_days.get_ref() == 0 {
        return Err(ctx.err(&raw.response_deadline_days, "response deadline must be at least one day"));
    }
    if *raw.termination_notice_months.get_ref() == 0 {
        return Err(ctx.err(&raw.termination_notice_months, "termination notice period must be at least one month"));
    }

    let mut parties = Vec::new();
    for p in raw.parties.get_ref() {
        let state = ctx.state(&p.state)?;
        if TimeZone::get(p.time_zone.get_ref()).is_err() {
            return Err(ctx.err(&p.time_zone, format!("unknown time zone {:?}", p.time_zone.get_ref())));
        }
        parties.push(Party {
            state,
            time_zone: p.time_zone.get_ref().clone(),
            name_ru: p.name_ru.clone(),
            name_en: p.name_en.clone(),
        });
    }
    let parties: [Party; 2] = match <[Party; 2]>::try_from(parties) {
        Ok(p) if p[0].state != p[1].state => p,
        _ => return Err(ctx.err(&raw.parties, "an agreement has exactly two parties, two different states")),
    };
    let is_party = |c: Country| parties.iter().any(|p| p.state == c);

    let signed = ctx.date(&raw.status.signed)?;
    let in_force = raw.status.in_force.as_ref().map(|d| ctx.date(d)).transpose()?;
    if let (Some(d), Some(s)) = (in_force, raw.status.in_force.as_ref())
        && d < signed
    {
        return Err(ctx.err(s, "entry into force cannot precede signature"));
    }
    let termination_notice_received =
        raw.status.termination_notice_received.as_ref().map(|d| ctx.date(d)).transpose()?;
    if let (Some(d), Some(s)) = (termination_notice_received, raw.status.termination_notice_received.as_ref())
        && in_force.is_none_or(|f| d < f)
    {
        return Err(ctx.err(s, "a termination notice needs an agreement in force"));
    }
    let mut ratifications = Vec::new();
    for r in &raw.status.ratifications {
        let state = ctx.state(&r.state)?;
        if !is_party(state) {
            return Err(ctx.err(&r.state, format!("{state} is not a party")));
        }
        let date = r.date.as_ref().map(|d| ctx.date(d)).transpose()?;
        let year = match (date, &r.year) {
            (Some(d), None) => d.year(),
            (None, Some(y)) => *y.get_ref(),
            (Some(d), Some(y)) if d.year() == *y.get_ref() => d.year(),
            (Some(_), Some(y)) => return Err(ctx.err(y, "year does not match the date")),
            (None, None) => return Err(ctx.err(&r.state, "a ratification needs a date or a year")),
        };
        ratifications.push(Ratification { state, date, year, stage: r.stage.clone() });
    }

    let mut authorities: Vec<Authority> = Vec::new();
    for a in &raw.authorities {
        let aid = AuthorityId::parse(a.id.get_ref()).map_err(|e| ctx.err(&a.id, e.to_string()))?;
        let state = ctx.state(&a.state)?;
        if !is_party(state) {
            return Err(ctx.err(&a.state, format!("{state} is not a party")));
        }
        if aid.state_prefix() != state.code() {
            return Err(ctx.err(&a.id, format!("authority id {aid} does not start with its state {state}")));
        }
        if authorities.iter().any(|x| x.id == aid) {
            return Err(ctx.err(&a.id, format!("authority {aid} is listed twice")));
        }
        let from = a.from.as_ref().map(|d| ctx.date(d)).transpose()?;
        let until = a.until.as_ref().map(|d| ctx.date(d)).transpose()?;
        if let (Some(f), Some(u), Some(s)) = (from, until, a.until.as_ref())
            && u <= f
        {
            return Err(ctx.err(s, "until must be after from"));
        }
        authorities.push(Authority {
            id: aid,
            state,
            name_ru: a.name_ru.clone(),
            name_en: a.name_en.clone(),
            from,
            until,
        });
    }
    for p in &parties {
        if !authorities.iter().any(|a| a.state == p.state) {
            return Err(AgreementFileError {
                file: name.to_owned(),
                line: 1,
                reason: format!("party {} has no competent authority", p.state),
            });
        }
    }

    let mut versions: Vec<Terms> = Vec::new();
    for v in raw.versions.get_ref() {
        let number = *v.version.get_ref();
        let expected = u32::try_from(versions.len()).unwrap_or(u32::MAX).saturating_add(1);
        if number != expected {
            return Err(
                ctx.err(&v.version, format!("versions must be numbered 1, 2, ... in order; expected {expected}"))
            );
        }
        let effective = ctx.date(&v.effective)?;
        if let Some(prev) = versions.last()
            && effective <= prev.effective
        {
            return Err(ctx.err(&v.effective, "a version must take effect after the previous one"));
        }
        let previous = versions.last();
        let categories = match &v.categories {
            Some(list) => {
                let mut set = BTreeSet::new();
                for c in list {
                    let cat = DataCategory::parse(c.get_ref()).map_err(|e| ctx.err(c, e.to_string()))?;
                    if !set.insert(cat) {
                        return Err(ctx.err(c, format!("category {cat} is listed twice")));
                    }
                }
                set
            }
            None => match previous {
                Some(p) => p.categories.clone(),
                None => return Err(ctx.err(&v.version, "the first version must list categories")),
            },
        };
        let fields = match &v.fields {
            Some(list) => {
                let mut set = BTreeSet::new();
                for f in list {
                    let field = PersonField::parse(f.get_ref()).map_err(|e| ctx.err(f, e.to_string()))?;
                    if !set.insert(field) {
                        return Err(ctx.err(f, format!("field {field} is listed twice")));
                    }
                }
                set
            }
            None => match previous {
                Some(p) => p.fields.clone(),
                None => return Err(ctx.err(&v.version, "the first version must list fields")),
            },
        };
        let refusal_grounds = match &v.refusal_grounds {
            Some(list) => {
                let mut grounds: Vec<RefusalGround> = Vec::new();
                for g in list.get_ref() {
                    let gid = g.id.get_ref();
                    let ok = !gid.is_empty() && gid.chars().all(|c| c.is_ascii_lowercase() || c == '_');
                    if !ok {
                        return Err(ctx.err(&g.id, format!("refusal ground id must be snake_case, got {gid:?}")));
                    }
                    if grounds.iter().any(|x| &x.id == gid) {
                        return Err(ctx.err(&g.id, format!("refusal ground {gid} is listed twice")));
                    }
                    grounds.push(RefusalGround {
                        id: gid.clone(),
                        name_ru: g.name_ru.clone(),
                        name_en: g.name_en.clone(),
                    });
                }
                if grounds.is_empty() {
                    return Err(ctx.err(list, "at least one refusal ground is required (Art. 11.4)"));
                }
                grounds
            }
            None => match previous {
                Some(p) => p.refusal_grounds.clone(),
                None => return Err(ctx.err(&v.version, "the first version must list refusal grounds")),
            },
        };
        versions.push(Terms {
            version: number,
            effective,
            source: v.source.clone(),
            categories,
            fields,
            refusal_grounds,
        });
    }
    if versions.is_empty() {
        return Err(ctx.err(&raw.versions, "at least one version is required"));
    }

    Ok(Agreement {
        id,
        title_ru: raw.title_ru,
        title_en: raw.title_en,
        working_language: raw.working_language.into_inner(),
        response_deadline_days: raw.response_deadline_days.into_inner(),
        termination_notice_months: raw.termination_notice_months.into_inner(),
        parties,
        signed,
        in_force,
        in_force_is_assumed: raw.status.in_force_is_assumed,
        ratifications,
        termination_notice_received,
        authorities,
        versions,
    })
}
