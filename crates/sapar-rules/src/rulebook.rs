//! The rule book: every loaded regime and production calendar, indexed by host and citizenship.

use std::path::Path;

use jiff::civil::Date;
use sapar_model::Country;

use crate::calendar::Calendars;
use crate::error::{LoadError, StayError};
use crate::load::{Regime, Selection, parse_regime};
use crate::regime::{Host, RegistrationRule, StayRule};

/// Regime files shipped with Sapar (`data/regimes/*.toml`).
pub const EMBEDDED_REGIMES: &[(&str, &str)] = &[
    ("regimes/arm.toml", include_str!("../data/regimes/arm.toml")),
    ("regimes/kaz.toml", include_str!("../data/regimes/kaz.toml")),
    ("regimes/kgz.toml", include_str!("../data/regimes/kgz.toml")),
    ("regimes/rus.toml", include_str!("../data/regimes/rus.toml")),
    ("regimes/schengen.toml", include_str!("../data/regimes/schengen.toml")),
];

/// Production calendars shipped with Sapar (`data/calendars/<state>-<year>.toml`).
pub const EMBEDDED_CALENDARS: &[(&str, &str)] = &[
    ("calendars/kaz-2025.toml", include_str!("../data/calendars/kaz-2025.toml")),
    ("calendars/kaz-2026.toml", include_str!("../data/calendars/kaz-2026.toml")),
    ("calendars/kaz-2027.toml", include_str!("../data/calendars/kaz-2027.toml")),
    ("calendars/kgz-2025.toml", include_str!("../data/calendars/kgz-2025.toml")),
    ("calendars/kgz-2026.toml", include_str!("../data/calendars/kgz-2026.toml")),
    ("calendars/rus-2025.toml", include_str!("../data/calendars/rus-2025.toml")),
    ("calendars/rus-2026.toml", include_str!("../data/calendars/rus-2026.toml")),
];

/// All stay regimes and production calendars, validated and indexed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleBook {
    pub(crate) regimes: Vec<Regime>,
    pub(crate) calendars: Calendars,
}

impl RuleBook {
    /// Loads the regimes and calendars shipped with Sapar.
    pub fn load_embedded() -> Result<RuleBook, LoadError> {
        RuleBook::from_sources(EMBEDDED_REGIMES.iter().copied(), EMBEDDED_CALENDARS.iter().copied())
    }

    /// Loads `<dir>/regimes/*.toml` and `<dir>/calendars/*.toml` (the layout of `data/`).
    pub fn load_dir(dir: &Path) -> Result<RuleBook, LoadError> {
        let read = |sub: &str| -> Result<Vec<(String, String)>, LoadError> {
            let path = dir.join(sub);
            let io = |e: std::io::Error, p: &Path| LoadError {
                file: p.display().to_string(),
                line: 1,
                reason: e.to_string().to_lowercase(),
            };
            let mut files = Vec::new();
            for entry in std::fs::read_dir(&path).map_err(|e| io(e, &path))? {
                let p = entry.map_err(|e| io(e, &path))?.path();
                if p.extension().is_some_and(|x| x == "toml") {
                    let text = std::fs::read_to_string(&p).map_err(|e| io(e, &p))?;
                    files.push((p.display().to_string(), text));
                }
            }
            files.sort();
            Ok(files)
        };
        let regimes = read("regimes")?;
        let calendars = read("calendars")?;
        RuleBook::from_sources(
            regimes.iter().map(|(f, t)| (f.as_str(), t.as_str())),
            calendars.iter().map(|(f, t)| (f.as_str(), t.as_str())),
        )
    }

    /// Loads from (file name, TOML text) pairs; the names only label errors.
    pub fn from_sources<'a>(
        regimes: impl IntoIterator<Item = (&'a str, &'a str)>,
        calendars: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<RuleBook, LoadError> {
        let mut book = RuleBook { regimes: Vec::new(), calendars: Calendars::default() };
        for (file, text) in calendars {
            book.calendars.add_file(file, text)?;
        }
        for (file, text) in regimes {
            let regime = parse_regime(file, text)?;
            if let Some(other) = book.regimes.iter().find(|r| r.host == regime.host) {
                return Err(LoadError {
                    file: file.to_owned(),
                    line: 1,
                    reason: format!("host {} is already defined in {}", regime.host, other.file),
                });
            }
            if let Some(calendar) = &regime.calendar
                && !book.calendars.has_state(calendar)
            {
                return Err(LoadError {
                    file: file.to_owned(),
                    line: 1,
                    reason: format!("calendar {calendar} names no loaded production calendar"),
                });
            }
            let mut ids = book
                .regimes
                .iter()
                .flat_map(|r| r.stay_rules.iter().map(|s| &s.id).chain(r.registration_rules.iter().map(|s| &s.id)));
            if let Some(dup) = ids.find(|id| {
                regime.stay_rules.iter().any(|s| s.id == **id) || regime.registration_rules.iter().any(|s| s.id == **id)
            }) {
                return Err(LoadError {
                    file: file.to_owned(),
                    line: 1,
                    reason: format!("rule id {dup:?} is also used in another regime file"),
                });
            }
            book.regimes.push(regime);
        }
        Ok(book)
    }

    /// The `n`th working day after `from` on the production calendar of `state` (a three-letter
    /// code such as `KAZ`), `from` not counted: the last day of a term of `n` working days (a
    /// filing on a Friday before a holiday counts from the first working day after it). A date
    /// the loaded calendars do not cover is refused ([`StayError::NoCalendar`]), never guessed.
    pub fn add_working_days(&self, state: &str, from: Date, n: u16) -> Result<Date, StayError> {
        let state = state.to_ascii_uppercase();
        self.calendars.add_working_days(&state, crate::day::day_of(from), n).map(crate::day::date_of)
    }

    /// The hosts with a loaded regime.
    pub fn hosts(&self) -> impl Iterator<Item = Host> + '_ {
        self.regimes.iter().map(|r| r.host)
    }

    /// Every stay rule of a host, in file order.
    pub fn stay_rules(&self, host: Host) -> Result<&[StayRule], StayError> {
        Ok(&self.regime(host)?.stay_rules)
    }

    /// Every registration rule of a host, in file order.
    pub fn registration_rules(&self, host: Host) -> Result<&[RegistrationRule], StayError> {
        Ok(&self.regime(host)?.registration_rules)
    }

    pub(crate) fn regime(&self, host: Host) -> Result<&Regime, StayError> {
        self.regimes.iter().find(|r| r.host == host).ok_or(StayError::UnknownHost(host))
    }

    /// The rules that govern citizens of `citizenship` in `host`, ready to answer questions.
    pub fn resolve(&self, host: Host, citizenship: Country) -> Result<Resolved<'_>, StayError> {
        let regime = self.regime(host)?;
        let selection = regime.selection(citizenship);
        if selection.stay.is_empty() {
            return Err(StayError::NoRuleForCitizenship { host, citizenship });
        }
        Ok(Resolved { book: self, regime, selection, citizenship, what_if: None })
    }
}

/// The rules for one (host, citizenship) pair; every question is asked through it.
#[derive(Clone, Copy, Debug)]
pub struct Resolved<'r> {
    pub(crate) book: &'r RuleBook,
    pub(crate) regime: &'r Regime,
    pub(crate) selection: &'r Selection,
    pub(crate) citizenship: Country,
    pub(crate) what_if: Option<&'r StayRule>,
}

impl<'r> Resolved<'r> {
    /// Replaces the stay rules by one explicit rule on every date (what-if questions).
    /// Registration rules still come from the host's regime.
    pub fn with_stay_rule(self, rule: &'r StayRule) -> Resolved<'r> {
        Resolved { what_if: Some(rule), ..self }
    }

    pub fn host(&self) -> Host {
        self.regime.host
    }

    pub fn citizenship(&self) -> Country {
        self.citizenship
    }

    /// The stay rule in force on `on`, whatever its status (a visa-required rule too), or `None`
    /// when no version covers the day. For questions about the rule itself, such as whether it
    /// covers a declared purpose ([`StayRule::covers`]); stay questions go through
    /// [`Resolved::answer`].
    pub fn stay_rule_on(&self, on: Date) -> Option<&'r StayRule> {
        let day = crate::day::day_of(on);
        match self.what_if {
            Some(rule) => Some(rule),
            None => {
                self.selection.stay.iter().map(|&i| &self.regime.stay_rules[usize::from(i)]).find(|r| r.in_force(day))
            }
        }
    }
}
