//! Production calendars (weekends, public holidays, transferred days) and working-day deadlines.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use toml::Spanned;

use crate::day::{Day, date_of, day_of, weekday, year_start};
use crate::error::{LoadError, StayError};
use crate::load::{line_of, parse_date, toml_error};
use crate::regime::{Counting, RegistrationRule};

/// Non-working days of one state in one year, one bit per day of the year.
#[derive(Clone, Debug, PartialEq, Eq)]
struct YearCalendar {
    non_working: [u64; 6],
}

impl YearCalendar {
    fn is_working(&self, day_of_year: usize) -> bool {
        self.non_working[day_of_year / 64] & (1 << (day_of_year % 64)) == 0
    }
}

/// Every loaded production calendar, by state code and year.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Calendars {
    by_state: HashMap<String, BTreeMap<i16, YearCalendar>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    state: String,
    year: Spanned<i16>,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    holiday: Vec<Spanned<DaySpec>>,
    #[serde(default)]
    day_off: Vec<Spanned<DaySpec>>,
    #[serde(default)]
    working_day: Vec<Spanned<DaySpec>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DaySpec {
    date: String,
    /// Documentation only: the holiday's name or the reason for a transfer.
    #[serde(default, alias = "reason")]
    #[expect(dead_code, reason = "kept for readers of the data file and for deny_unknown_fields")]
    name: String,
}

impl Calendars {
    /// Parses and validates one calendar file and adds it.
    pub(crate) fn add_file(&mut self, file: &str, text: &str) -> Result<(), LoadError> {
        let err = |span: std::ops::Range<usize>, reason: String| LoadError {
            file: file.to_owned(),
            line: line_of(text, span.start),
            reason,
        };
        let spec: CalendarFile = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
        let _ = &spec.basis;
        let year = *spec.year.get_ref();
        let first = day_of(jiff::civil::Date::new(year, 1, 1).map_err(|e| err(spec.year.span(), e.to_string()))?);
        let mut non_working = [0u64; 6];
        for d in first..first + 366 {
            if date_of(d).year() == year && weekday(d) >= 5 {
                let i = usize::try_from(d - first).unwrap_or(0);
                non_working[i / 64] |= 1 << (i % 64);
            }
        }
        let mut seen: HashMap<Day, &'static str> = HashMap::new();
        let lists: [(&Vec<Spanned<DaySpec>>, &'static str); 3] =
            [(&spec.holiday, "holiday"), (&spec.day_off, "day_off"), (&spec.working_day, "working_day")];
        for (list, kind) in lists {
            for item in list {
                let date = parse_date(&item.get_ref().date).map_err(|r| err(item.span(), r))?;
                if date.year() != year {
                    return Err(err(item.span(), format!("{kind} {date} is not in the calendar's year {year}")));
                }
                let d = day_of(date);
                if let Some(previous) = seen.insert(d, kind) {
                    return Err(err(item.span(), format!("{date} is listed twice (as {previous} and as {kind})")));
                }
                let i = usize::try_from(d - first).unwrap_or(0);
                let weekend = weekday(d) >= 5;
                match kind {
                    "day_off" if weekend => {
                        return Err(err(item.span(), format!("day_off {date} is already a weekend day")));
                    }
                    "working_day" if !weekend => {
                        return Err(err(item.span(), format!("working_day {date} is not a weekend day")));
                    }
                    "working_day" => non_working[i / 64] &= !(1 << (i % 64)),
                    _ => non_working[i / 64] |= 1 << (i % 64),
                }
            }
        }
        let years = self.by_state.entry(spec.state.to_ascii_uppercase()).or_default();
        if years.insert(year, YearCalendar { non_working }).is_some() {
            return Err(err(spec.year.span(), format!("a calendar of {} for {year} is already loaded", spec.state)));
        }
        Ok(())
    }

    pub(crate) fn has_state(&self, state: &str) -> bool {
        self.by_state.contains_key(state)
    }

    /// Whether `day` is a working day in `state`.
    pub(crate) fn is_working(&self, state: &str, day: Day) -> Result<bool, StayError> {
        let date = date_of(day);
        let calendar = self
            .by_state
            .get(state)
            .and_then(|years| years.get(&date.year()))
            .ok_or_else(|| StayError::NoCalendar { state: state.to_owned(), year: date.year() })?;
        Ok(calendar.is_working(usize::try_from(day - year_start(day)).unwrap_or(0)))
    }

    /// The `n`th working day in `state` after `from` (`from` itself not counted): the last day
    /// of a term of `n` working days starting the day after `from`. A day outside the loaded
    /// calendar years is [`StayError::NoCalendar`].
    pub(crate) fn add_working_days(&self, state: &str, from: Day, n: u16) -> Result<Day, StayError> {
        let mut day = from;
        let mut counted = 0;
        while counted < n {
            day += 1;
            if self.is_working(state, day)? {
                counted += 1;
            }
        }
        Ok(day)
    }

    /// The last day of the registration term for an arrival on `arrival`.
    pub(crate) fn registration_due(
        &self,
        rule: &RegistrationRule,
        state: Option<&str>,
        arrival: Day,
    ) -> Result<Day, StayError> {
        let need_calendar = rule.counting == Counting::WorkingDays || rule.roll_to_working_day;
        let state = match state {
            Some(s) => s,
            None if need_calendar => {
                return Err(StayError::NoCalendar { state: "(none)".to_owned(), year: date_of(arrival).year() });
            }
            None => "",
        };
        let days = i32::from(rule.days);
        let first = if rule.crossing_day_is_day_one { arrival } else { arrival + 1 };
        let mut due = match rule.counting {
            Counting::CalendarDays => first + days - 1,
            Counting::WorkingDays => {
                let mut d = first;
                let mut counted = 0;
                loop {
                    if self.is_working(state, d)? {
                        counted += 1;
                        if counted >= days {
                            break d;
                        }
                    }
                    d += 1;
                }
            }
        };
        if rule.roll_to_working_day {
            while !self.is_working(state, due)? {
                due += 1;
            }
        }
        Ok(due)
    }
}
