//! Loading regime files: TOML parsing, validation with file and line, and the lookup index.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use jiff::civil::Date;
use sapar_model::{Country, Purpose};
use serde::Deserialize;
use toml::Spanned;

use crate::day::{Day, day_of};
use crate::error::LoadError;
use crate::regime::{Counting, Host, Liable, PurposeLimit, RegistrationRule, RuleStatus, Shape, StayRule};

/// Number of three-letter codes A-Z; the lookup table has one slot per code.
pub(crate) const CODE_SLOTS: usize = 26 * 26 * 26;

/// The slot of a country in the dense lookup table.
pub(crate) fn code_slot(country: Country) -> usize {
    country
        .code()
        .bytes()
        .fold(0usize, |acc, b| acc * 26 + usize::from(b.to_ascii_uppercase().saturating_sub(b'A')).min(25))
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes().iter().take(offset).filter(|b| **b == b'\n').count() + 1
}

pub(crate) fn toml_error(file: &str, text: &str, error: &toml::de::Error) -> LoadError {
    LoadError {
        file: file.to_owned(),
        line: error.span().map_or(1, |s| line_of(text, s.start)),
        reason: error.message().trim_end_matches('\n').trim_end_matches('.').to_owned(),
    }
}

/// Parses `YYYY-MM-DD`.
pub(crate) fn parse_date(text: &str) -> Result<Date, String> {
    if text.len() != 10 {
        return Err(format!("expected a date YYYY-MM-DD, got {text:?}"));
    }
    text.parse::<Date>().map_err(|e| format!("expected a date YYYY-MM-DD, got {text:?}: {e}"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegimeFile {
    host: Spanned<String>,
    name: String,
    #[serde(default)]
    calendar: Option<Spanned<String>>,
    default_group: Spanned<String>,
    groups: BTreeMap<String, Vec<Spanned<String>>>,
    #[serde(default)]
    stay: Vec<Spanned<StaySpec>>,
    #[serde(default)]
    registration: Vec<Spanned<RegistrationSpec>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StaySpec {
    id: String,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    citizenships: Vec<String>,
    valid_from: String,
    #[serde(default)]
    valid_to: Option<String>,
    basis: String,
    #[serde(default)]
    status: RuleStatus,
    #[serde(default)]
    shapes: Vec<Shape>,
    #[serde(default)]
    purposes: Option<PurposesSpec>,
}

/// `purposes = { not_covered = [...], basis = "..." }` or `{ covered = [...], basis = "..." }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PurposesSpec {
    #[serde(default)]
    covered: Option<Vec<String>>,
    #[serde(default)]
    not_covered: Option<Vec<String>>,
    basis: String,
}

/// The purposes a rule covers, from either list; the reason is lowercase, for error messages.
fn purpose_limit(spec: &PurposesSpec) -> Result<PurposeLimit, String> {
    let parse = |list: &[String]| -> Result<Vec<Purpose>, String> {
        let mut purposes = Vec::with_capacity(list.len());
        for text in list {
            let purpose = Purpose::parse(text).map_err(|e| e.to_string())?;
            if purposes.contains(&purpose) {
                return Err(format!("purpose {text:?} is listed twice"));
            }
            purposes.push(purpose);
        }
        Ok(purposes)
    };
    let covered: Vec<Purpose> = match (&spec.covered, &spec.not_covered) {
        (Some(covered), None) => {
            let listed = parse(covered)?;
            Purpose::ALL.into_iter().filter(|p| listed.contains(p)).collect()
        }
        (None, Some(not_covered)) => {
            let listed = parse(not_covered)?;
            if listed.is_empty() {
                return Err("purposes: not_covered lists no purpose (leave purposes out instead)".into());
            }
            Purpose::ALL.into_iter().filter(|p| !listed.contains(p)).collect()
        }
        _ => return Err("purposes needs exactly one of covered and not_covered".into()),
    };
    if covered.is_empty() {
        return Err("purposes leaves no purpose covered".into());
    }
    if spec.basis.trim().is_empty() {
        return Err("purposes needs a basis".into());
    }
    Ok(PurposeLimit { covered, basis: spec.basis.clone() })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistrationSpec {
    id: String,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    citizenships: Vec<String>,
    valid_from: String,
    #[serde(default)]
    valid_to: Option<String>,
    basis: String,
    days: u16,
    counting: Counting,
    crossing_day_is_day_one: bool,
    #[serde(default)]
    roll_to_working_day: bool,
    #[serde(default)]
    liable: Liable,
}

/// The rules that apply to one citizenship (or to every unlisted one), sorted by start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Selection {
    pub(crate) stay: Vec<u16>,
    pub(crate) registration: Vec<u16>,
}

/// One host's regime, loaded and indexed by citizenship.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Regime {
    pub(crate) host: Host,
    pub(crate) name: String,
    pub(crate) file: String,
    pub(crate) calendar: Option<String>,
    pub(crate) stay_rules: Vec<StayRule>,
    pub(crate) registration_rules: Vec<RegistrationRule>,
    pub(crate) selections: Vec<Selection>,
    /// Selection index per three-letter code; `u16::MAX` means "the default group".
    pub(crate) table: Vec<u16>,
    pub(crate) default_selection: u16,
}

impl Regime {
    pub(crate) fn selection(&self, citizenship: Country) -> &Selection {
        let slot = self.table.get(code_slot(citizenship)).copied().unwrap_or(u16::MAX);
        let index = if slot == u16::MAX { self.default_selection } else { slot };
        &self.selections[usize::from(index)]
    }
}

struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
}

impl Ctx<'_> {
    fn err(&self, span: Range<usize>, reason: impl Into<String>) -> LoadError {
        LoadError { file: self.file.to_owned(), line: line_of(self.text, span.start), reason: reason.into() }
    }
}

/// Which rules a selector (groups + citizenships) picks, resolved to country sets.
struct Selector {
    groups: Vec<String>,
    countries: Vec<Country>,
}

/// Parses and validates a regime file.
pub(crate) fn parse_regime(file: &str, text: &str) -> Result<Regime, LoadError> {
    let ctx = Ctx { file, text };
    let spec: RegimeFile = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    let host = Host::parse(spec.host.get_ref()).map_err(|e| ctx.err(spec.host.span(), e.to_string()))?;
    let calendar = spec.calendar.as_ref().map(|c| c.get_ref().to_ascii_uppercase());

    // Groups: each country in at most one group; the default group catches everyone else.
    let default_group = spec.default_group.get_ref().clone();
    let mut group_of: HashMap<Country, String> = HashMap::new();
    for (name, members) in &spec.groups {
        if *name == default_group && !members.is_empty() {
            let span = members.first().map_or(spec.default_group.span(), Spanned::span);
            return Err(
                ctx.err(span, format!("default group {name:?} takes every unlisted country and must not list members"))
            );
        }
        for member in members {
            let country = Country::parse(member.get_ref()).map_err(|e| ctx.err(member.span(), e.to_string()))?;
            if let Some(other) = group_of.insert(country, name.clone()) {
                return Err(ctx.err(member.span(), format!("{country} is in groups {other:?} and {name:?}")));
            }
        }
    }
    let known_group = |g: &str| g == default_group || spec.groups.contains_key(g);

    let selector = |span: Range<usize>, groups: &[String], citizenships: &[String]| -> Result<Selector, LoadError> {
        if groups.is_empty() && citizenships.is_empty() {
            return Err(ctx.err(span, "a rule needs groups or citizenships"));
        }
        for g in groups {
            if !known_group(g) {
                return Err(ctx.err(span.clone(), format!("unknown group {g:?}")));
            }
        }
        let countries = citizenships
            .iter()
            .map(|c| Country::parse(c).map_err(|e| ctx.err(span.clone(), e.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Selector { groups: groups.to_vec(), countries })
    };
    let validity = |span: Range<usize>, from: &str, to: Option<&String>| -> Result<(Date, Option<Date>), LoadError> {
        let from = parse_date(from).map_err(|r| ctx.err(span.clone(), format!("valid_from: {r}")))?;
        let to = to.map(|t| parse_date(t)).transpose().map_err(|r| ctx.err(span.clone(), format!("valid_to: {r}")))?;
        if let Some(to) = to
            && to < from
        {
            return Err(ctx.err(span, format!("valid_to {to} is before valid_from {from}")));
        }
        Ok((from, to))
    };

    let mut ids: HashMap<String, ()> = HashMap::new();
    let mut stay_rules = Vec::new();
    let mut stay_selectors = Vec::new();
    let mut stay_spans = Vec::new();
    for item in &spec.stay {
        let (span, s) = (item.span(), item.get_ref());
        if ids.insert(s.id.clone(), ()).is_some() {
            return Err(ctx.err(span, format!("rule id {:?} is used twice", s.id)));
        }
        let (from, to) = validity(span.clone(), &s.valid_from, s.valid_to.as_ref())?;
        for shape in &s.shapes {
            shape.validate().map_err(|r| ctx.err(span.clone(), format!("rule {}: {r}", s.id)))?;
        }
        match (s.status, s.shapes.is_empty()) {
            (RuleStatus::Limited, true) => {
                return Err(ctx.err(span, format!("rule {}: a limited rule needs at least one shape", s.id)));
            }
            (RuleStatus::Unrestricted, false) => {
                return Err(ctx.err(span, format!("rule {}: an unrestricted rule cannot have shapes", s.id)));
            }
            _ => {}
        }
        let purposes = match &s.purposes {
            Some(_) if s.status == RuleStatus::Unrestricted => {
                return Err(ctx.err(span, format!("rule {}: an unrestricted rule cannot limit purposes", s.id)));
            }
            Some(spec) => Some(purpose_limit(spec).map_err(|r| ctx.err(span.clone(), format!("rule {}: {r}", s.id)))?),
            None => None,
        };
        stay_selectors.push(selector(span.clone(), &s.groups, &s.citizenships)?);
        let mut rule = StayRule::new(s.id.clone(), s.basis.clone(), from, to, s.status, s.shapes.clone());
        rule.purposes = purposes;
        stay_rules.push(rule);
        stay_spans.push(span);
    }
    let mut registration_rules = Vec::new();
    let mut registration_selectors = Vec::new();
    let mut registration_spans = Vec::new();
    for item in &spec.registration {
        let (span, r) = (item.span(), item.get_ref());
        if ids.insert(r.id.clone(), ()).is_some() {
            return Err(ctx.err(span, format!("rule id {:?} is used twice", r.id)));
        }
        let (from, to) = validity(span.clone(), &r.valid_from, r.valid_to.as_ref())?;
        if r.days == 0 {
            return Err(ctx.err(span, format!("registration rule {}: days must be at least 1", r.id)));
        }
        if (r.counting == Counting::WorkingDays || r.roll_to_working_day) && calendar.is_none() {
            return Err(ctx.err(
                span,
                format!("registration rule {} counts working days but the regime names no calendar", r.id),
            ));
        }
        registration_selectors.push(selector(span.clone(), &r.groups, &r.citizenships)?);
        registration_rules.push(RegistrationRule {
            id: r.id.clone(),
            basis: r.basis.clone(),
            valid_from: from,
            valid_to: to,
            days: r.days,
            counting: r.counting,
            crossing_day_is_day_one: r.crossing_day_is_day_one,
            roll_to_working_day: r.roll_to_working_day,
            liable: r.liable,
            from_day: day_of(from),
            to_day: to.map_or(Day::MAX, day_of),
        });
        registration_spans.push(span);
    }

    // Index: one selection per group, plus one per country named explicitly by some rule.
    let explicit: Vec<Country> = {
        let mut v: Vec<Country> =
            stay_selectors.iter().chain(&registration_selectors).flat_map(|s| s.countries.iter().copied()).collect();
        v.sort();
        v.dedup();
        v
    };
    let pick = |selectors: &[Selector], group: &str, country: Option<Country>| -> Vec<u16> {
        selectors
            .iter()
            .enumerate()
            .filter(|(_, s)| s.groups.iter().any(|g| g == group) || country.is_some_and(|c| s.countries.contains(&c)))
            .filter_map(|(i, _)| u16::try_from(i).ok())
            .collect()
    };
    let mut selections = Vec::new();
    let mut table = vec![u16::MAX; CODE_SLOTS];
    let mut group_selection: HashMap<&str, u16> = HashMap::new();
    let group_names: Vec<&str> =
        spec.groups.keys().map(String::as_str).chain(std::iter::once(default_group.as_str())).collect();
    let mut check_and_push = |selection: Selection, who: &str| -> Result<u16, LoadError> {
        check_overlaps(&ctx, &stay_rules, &stay_spans, &selection.stay, who, |r| (r.from_day, r.to_day, &r.id))?;
        check_overlaps(&ctx, &registration_rules, &registration_spans, &selection.registration, who, |r| {
            (r.from_day, r.to_day, &r.id)
        })?;
        let index = u16::try_from(selections.len()).map_err(|_| ctx.err(0..0, "too many citizenship selections"))?;
        selections.push(selection);
        Ok(index)
    };
    for group in &group_names {
        let mut selection = Selection {
            stay: pick(&stay_selectors, group, None),
            registration: pick(&registration_selectors, group, None),
        };
        sort_by_start(&mut selection.stay, |i| stay_rules[i].from_day);
        sort_by_start(&mut selection.registration, |i| registration_rules[i].from_day);
        let index = check_and_push(selection, &format!("group {group}"))?;
        group_selection.insert(group, index);
    }
    for (country, group) in &group_of {
        table[code_slot(*country)] = group_selection.get(group.as_str()).copied().unwrap_or(u16::MAX);
    }
    for country in explicit {
        let group = group_of.get(&country).map_or(default_group.as_str(), String::as_str);
        let mut selection = Selection {
            stay: pick(&stay_selectors, group, Some(country)),
            registration: pick(&registration_selectors, group, Some(country)),
        };
        sort_by_start(&mut selection.stay, |i| stay_rules[i].from_day);
        sort_by_start(&mut selection.registration, |i| registration_rules[i].from_day);
        table[code_slot(country)] = check_and_push(selection, &format!("citizens of {country}"))?;
    }
    let default_selection = group_selection.get(default_group.as_str()).copied().unwrap_or(0);
    Ok(Regime {
        host,
        name: spec.name,
        file: file.to_owned(),
        calendar,
        stay_rules,
        registration_rules,
        selections,
        table,
        default_selection,
    })
}

fn sort_by_start(list: &mut [u16], start: impl Fn(usize) -> Day) {
    list.sort_by_key(|i| start(usize::from(*i)));
}

fn check_overlaps<R>(
    ctx: &Ctx<'_>,
    rules: &[R],
    spans: &[Range<usize>],
    selection: &[u16],
    who: &str,
    key: impl Fn(&R) -> (Day, Day, &String),
) -> Result<(), LoadError> {
    for pair in selection.windows(2) {
        let (a, b) = (usize::from(pair[0]), usize::from(pair[1]));
        let (_, a_to, a_id) = key(&rules[a]);
        let (b_from, _, b_id) = key(&rules[b]);
        if b_from <= a_to {
            return Err(ctx.err(
                spans[b].clone(),
                format!("rules {a_id} and {b_id} both apply to {who} on {}", crate::day::date_of(b_from)),
            ));
        }
    }
    Ok(())
}
