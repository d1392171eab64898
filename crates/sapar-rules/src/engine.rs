//! The stay engine: days used and left, legality, overstay, last legal day, longest possible
//! stay and registration deadlines. Pure: the check date is always an argument.

use jiff::civil::Date;

use crate::day::{Day, date_of, day_of, year_start};
use crate::error::StayError;
use crate::regime::{RegistrationRule, RuleStatus, Shape, StayRule};
use crate::rulebook::{Resolved, RuleBook};
use crate::timeline::Timeline;
use sapar_model::Country;

use crate::regime::Host;

thread_local! {
    /// A timeline reused between questions on the same thread, so answers allocate little.
    static SCRATCH: std::cell::RefCell<Timeline> = std::cell::RefCell::new(Timeline::default());
}

/// How far ahead (in days) walks go before a stay is declared unbounded.
pub const WALK_HORIZON_DAYS: i32 = 3 * 366;

/// One recorded stay: entry date and, once the person has left, exit date (both days count).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stay {
    pub entry: Date,
    /// None while the person is still in the country.
    pub exit: Option<Date>,
}

impl Stay {
    /// A finished stay.
    pub fn closed(entry: Date, exit: Date) -> Stay {
        Stay { entry, exit: Some(exit) }
    }

    /// A stay still running.
    pub fn open(entry: Date) -> Stay {
        Stay { entry, exit: None }
    }
}

/// A residence permit or long-stay visa, inclusive; its days do not count toward short-stay limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Permit {
    pub from: Date,
    pub to: Date,
}

/// What a check measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Days in the rolling window ending on the check day.
    RollingWindow,
    /// Days of the current continuous stay.
    CurrentStay,
    /// Days in the anchored period containing the check day.
    AnchoredPeriod,
    /// Days in the calendar year up to the check day.
    CalendarYear,
}

impl Measure {
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::RollingWindow => "rolling_window",
            Measure::CurrentStay => "current_stay",
            Measure::AnchoredPeriod => "anchored_period",
            Measure::CalendarYear => "calendar_year",
        }
    }
}

/// One limit measured on the check day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Check<'r> {
    pub rule: &'r StayRule,
    pub shape: Shape,
    pub measure: Measure,
    /// The days looked at, when the measure has a fixed window.
    pub window: Option<(Date, Date)>,
    pub used: u32,
    pub limit: u32,
}

impl Check<'_> {
    pub fn left(&self) -> u32 {
        self.limit.saturating_sub(self.used)
    }

    pub fn overstay(&self) -> u32 {
        self.used.saturating_sub(self.limit)
    }
}

/// The answer about a person's stay on a check date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StayAnswer<'r> {
    pub on: Date,
    /// In the country on the check date (under a permit or not).
    pub present: bool,
    /// The rules that produced this answer: the one in force on `on` first.
    pub rules: Vec<&'r StayRule>,
    /// Every limit of the rule in force, measured on `on`.
    pub checks: Vec<Check<'r>>,
    /// Days used under the binding limit (the one with the fewest days left).
    pub days_used: u32,
    /// Days left under the binding limit; None when no limit applies.
    pub days_left: Option<u32>,
    /// False when the person is present on `on` and a limit is exceeded.
    pub legal: bool,
    /// Days in the window beyond the limit on `on` (0 when absent or legal).
    pub overstay_days: u32,
    /// For an open stay: the last day it is (or was) legal; None when no limit binds.
    pub last_legal_day: Option<Date>,
}

/// The longest stay possible when entering on `first_day`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaxStay<'r> {
    pub first_day: Date,
    /// 0 when entry must be refused; None when no limit binds within the horizon.
    pub days: Option<u32>,
    pub last_day: Option<Date>,
    /// The rule that ends the stay (in force on the first day that would be illegal).
    pub limited_by: Option<&'r StayRule>,
}

/// A registration deadline for an arrival.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationDue<'r> {
    pub arrival: Date,
    /// The last day on which registration is on time.
    pub due: Date,
    pub rule: &'r RegistrationRule,
}

/// Everything about one person: see [`Resolved::answer`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer<'r> {
    pub stay: StayAnswer<'r>,
    pub max_stay: Option<MaxStay<'r>>,
    /// The registration deadline of the latest arrival; None without stays or without a rule.
    pub registration: Option<RegistrationDue<'r>>,
}

/// A new entry needs the person outside the country on that day (an exit that same day is fine).
fn check_entering(stays: &[Stay], entering: Date) -> Result<(), StayError> {
    if let Some(index) = stays.iter().position(|s| s.exit.is_none()) {
        return Err(StayError::EnteringWhilePresent { index, entering });
    }
    match stays.iter().enumerate().filter_map(|(i, s)| s.exit.map(|e| (i, e))).find(|(_, exit)| *exit > entering) {
        Some((index, exit)) => Err(StayError::EnteringDuringStay { index, entering, exit }),
        None => Ok(()),
    }
}

/// Checks a scenario and builds the timeline; returns the index of the open stay, if any.
pub(crate) fn prepare(
    timeline: &mut Timeline,
    stays: &[Stay],
    permits: &[Permit],
    on: Date,
    open_until: Day,
    extra: Option<(Day, Day)>,
) -> Result<Option<usize>, StayError> {
    let mut open = None;
    let mut latest: Option<(usize, Date)> = None;
    for (index, s) in stays.iter().enumerate() {
        if s.entry > on {
            return Err(StayError::EntryAfterCheckDate { index, entry: s.entry, on });
        }
        match s.exit {
            Some(exit) if exit < s.entry => return Err(StayError::ExitBeforeEntry { index, entry: s.entry, exit }),
            Some(exit) if exit > on => return Err(StayError::ExitAfterCheckDate { index, exit, on }),
            Some(_) => {}
            None => {
                if let Some(previous) = open {
                    let (first, second) = order_by_entry(stays, previous, index);
                    return Err(StayError::OpenStayNotLast {
                        index: first,
                        later: second,
                        later_entry: stays[second].entry,
                    });
                }
                open = Some(index);
            }
        }
        if latest.is_none_or(|(_, d)| s.entry > d) {
            latest = Some((index, s.entry));
        }
    }
    if let (Some(index), Some((later, later_entry))) = (open, latest)
        && later_entry > stays[index].entry
    {
        return Err(StayError::OpenStayNotLast { index, later, later_entry });
    }
    for (index, p) in permits.iter().enumerate() {
        if p.to < p.from {
            return Err(StayError::PermitEndsBeforeStart { index, from: p.from, to: p.to });
        }
    }
    let sorted = permits.windows(2).all(|w| w[0].from <= w[1].from);
    let mut order: Vec<usize> = (0..permits.len()).collect();
    if !sorted {
        order.sort_by_key(|&i| permits[i].from);
    }
    for pair in order.windows(2) {
        let (a, b) = (permits[pair[0]], permits[pair[1]]);
        if b.from <= a.to {
            let (first, second) = (pair[0].min(pair[1]), pair[0].max(pair[1]));
            return Err(StayError::OverlappingPermits { first, second, day: b.from });
        }
    }
    let stay_days = stays.iter().map(|s| (day_of(s.entry), s.exit.map_or(open_until, day_of)));
    timeline.rebuild(stay_days.chain(extra), order.iter().map(|&i| (day_of(permits[i].from), day_of(permits[i].to))));
    Ok(open)
}

fn order_by_entry(stays: &[Stay], a: usize, b: usize) -> (usize, usize) {
    if stays[a].entry <= stays[b].entry { (a, b) } else { (b, a) }
}

/// Measures every limit of `shape` on `day`, passing (measure, used, limit, window) to `out`.
#[inline]
fn measure(timeline: &Timeline, shape: Shape, day: Day, mut out: impl FnMut(Measure, u32, u32, Option<(Day, Day)>)) {
    match shape {
        Shape::PerEntry { max_days, reentry_restarts } => {
            out(Measure::CurrentStay, timeline.entry_count(day, reentry_restarts), u32::from(max_days), None);
        }
        Shape::Rolling { window, max } => {
            let from = day - i32::from(window) + 1;
            out(Measure::RollingWindow, timeline.count(from, day), u32::from(max), Some((from, day)));
        }
        Shape::AnchoredFromFirstEntry { period, max, anchoring } => {
            match timeline.anchored_period_start(day, period, anchoring) {
                Some(start) => {
                    let end = start + i32::from(period) - 1;
                    out(Measure::AnchoredPeriod, timeline.count(start, day), u32::from(max), Some((start, end)));
                }
                None => out(Measure::AnchoredPeriod, 0, u32::from(max), None),
            }
        }
        Shape::CalendarYear { max, max_continuous, reentry_restarts } => {
            let from = year_start(day);
            out(Measure::CalendarYear, timeline.count(from, day), u32::from(max), Some((from, day)));
            if let Some(limit) = max_continuous {
                out(Measure::CurrentStay, timeline.entry_count(day, reentry_restarts), u32::from(limit), None);
            }
        }
    }
}

/// The largest overstay over all limits of `rule` on `day`.
#[inline]
pub(crate) fn overstay_on(timeline: &Timeline, rule: &StayRule, day: Day) -> u32 {
    let mut worst = 0;
    for &shape in &rule.shapes {
        measure(timeline, shape, day, |_, used, limit, _| worst = worst.max(used.saturating_sub(limit)));
    }
    worst
}

impl<'r> Resolved<'r> {
    /// The stay rule in force on `day`.
    pub(crate) fn rule_at(&self, day: Day) -> Result<&'r StayRule, StayError> {
        let rule = match self.what_if {
            Some(rule) => Some(rule),
            None => {
                self.selection.stay.iter().map(|&i| &self.regime.stay_rules[usize::from(i)]).find(|r| r.in_force(day))
            }
        };
        let rule = rule.ok_or(StayError::NoRuleInForce {
            host: self.regime.host,
            citizenship: self.citizenship,
            date: date_of(day),
        })?;
        if rule.status == RuleStatus::VisaRequired && rule.shapes.is_empty() {
            return Err(StayError::GovernedByVisa {
                host: self.regime.host,
                citizenship: self.citizenship,
                rule: rule.id.clone(),
            });
        }
        Ok(rule)
    }

    /// Overstay on `day` (0 when not counted that day).
    pub(crate) fn overstay(&self, timeline: &Timeline, day: Day) -> Result<(u32, &'r StayRule), StayError> {
        let rule = self.rule_at(day)?;
        if !timeline.is_counted(day) {
            return Ok((0, rule));
        }
        Ok((overstay_on(timeline, rule, day), rule))
    }

    /// For a person overstaying on `on_day` in a stay that began on `entry`: the last day of that
    /// stay before `on_day` that was legal, walking back; None if the stay was never legal.
    pub(crate) fn last_legal_before(
        &self,
        timeline: &Timeline,
        entry: Day,
        on_day: Day,
    ) -> Result<Option<Date>, StayError> {
        let mut day = on_day - 1;
        while day >= entry {
            if self.overstay(timeline, day)?.0 == 0 {
                return Ok(Some(date_of(day)));
            }
            day -= 1;
        }
        Ok(None)
    }

    /// First illegal day in [from, until], walking forward; None if every day is legal.
    fn first_illegal(
        &self,
        timeline: &mut Timeline,
        from: Day,
        until: Day,
    ) -> Result<Option<(Day, &'r StayRule)>, StayError> {
        timeline.set_floor(from - self.lookback());
        let found = self.walk(timeline, from, until);
        timeline.clear_floor();
        found
    }

    /// How far back any limit of these rules looks from a day. Per-entry counts need no lookback:
    /// the entry containing the day always reaches it.
    fn lookback(&self) -> Day {
        let rules = self
            .what_if
            .into_iter()
            .chain(self.selection.stay.iter().map(|&i| &self.regime.stay_rules[usize::from(i)]));
        rules
            .flat_map(|r| r.shapes.iter())
            .map(|shape| match *shape {
                Shape::Rolling { window, .. } => i32::from(window),
                Shape::AnchoredFromFirstEntry { period, .. } => i32::from(period),
                Shape::CalendarYear { .. } => 366,
                Shape::PerEntry { .. } => 0,
            })
            .max()
            .unwrap_or(0)
    }

    fn walk(&self, timeline: &Timeline, from: Day, until: Day) -> Result<Option<(Day, &'r StayRule)>, StayError> {
        let mut day = from;
        while day <= until {
            if !timeline.is_counted(day) {
                day += 1;
                continue;
            }
            let rule = self.rule_at(day)?;
            if rule.status == RuleStatus::Unrestricted {
                if rule.to_day == Day::MAX {
                    return Ok(None);
                }
                day = rule.to_day + 1;
                continue;
            }
            if overstay_on(timeline, rule, day) > 0 {
                return Ok(Some((day, rule)));
            }
            day += 1;
        }
        Ok(None)
    }

    /// Answers days used, days left, legality, overstay and the last legal day on `on`.
    pub fn evaluate(&self, stays: &[Stay], permits: &[Permit], on: Date) -> Result<StayAnswer<'r>, StayError> {
        SCRATCH.with_borrow_mut(|timeline| self.evaluate_with(timeline, stays, permits, on))
    }

    pub(crate) fn evaluate_with(
        &self,
        timeline: &mut Timeline,
        stays: &[Stay],
        permits: &[Permit],
        on: Date,
    ) -> Result<StayAnswer<'r>, StayError> {
        let on_day = day_of(on);
        let open = prepare(timeline, stays, permits, on, on_day + WALK_HORIZON_DAYS, None)?;
        let rule = self.rule_at(on_day)?;
        let mut checks = Vec::with_capacity(rule.shapes.len() + 1);
        for &shape in &rule.shapes {
            measure(timeline, shape, on_day, |measure, used, limit, window| {
                checks.push(Check {
                    rule,
                    shape,
                    measure,
                    window: window.map(|(a, b)| (date_of(a), date_of(b))),
                    used,
                    limit,
                });
            });
        }
        let binding = checks.iter().min_by_key(|c| (c.left(), std::cmp::Reverse(c.used)));
        let counted_on = timeline.is_counted(on_day);
        let overstay_days = if counted_on { checks.iter().map(Check::overstay).max().unwrap_or(0) } else { 0 };
        let mut rules = vec![rule];
        let last_legal_day = match open {
            None => None,
            Some(index) if overstay_days == 0 => {
                match self.first_illegal(timeline, on_day + 1, on_day + WALK_HORIZON_DAYS)? {
                    Some((day, limiting)) => {
                        if !std::ptr::eq(limiting, rule) {
                            rules.push(limiting);
                        }
                        let _ = index;
                        Some(date_of(day - 1))
                    }
                    None => None,
                }
            }
            Some(index) => self.last_legal_before(timeline, day_of(stays[index].entry), on_day)?,
        };
        Ok(StayAnswer {
            on,
            present: timeline.is_present(on_day),
            rules,
            days_used: binding.map_or(0, |c| c.used),
            days_left: binding.map(Check::left),
            legal: overstay_days == 0,
            overstay_days,
            last_legal_day,
            checks,
        })
    }

    /// The longest stay possible when entering on `entering`, given the history up to `on`:
    /// walks forward day by day while every day stays legal.
    pub fn max_stay_if_entering(
        &self,
        stays: &[Stay],
        permits: &[Permit],
        on: Date,
        entering: Date,
    ) -> Result<MaxStay<'r>, StayError> {
        check_entering(stays, entering)?;
        let first = day_of(entering);
        SCRATCH.with_borrow_mut(|timeline| {
            prepare(timeline, stays, permits, on, first, Some((first, first + WALK_HORIZON_DAYS)))?;
            self.max_stay_from(timeline, entering)
        })
    }

    /// Walks from `entering`, which the timeline already holds as an entry.
    fn max_stay_from(&self, timeline: &mut Timeline, entering: Date) -> Result<MaxStay<'r>, StayError> {
        let first = day_of(entering);
        Ok(match self.first_illegal(timeline, first, first + WALK_HORIZON_DAYS)? {
            Some((day, rule)) => MaxStay {
                first_day: entering,
                days: Some(u32::try_from(day - first).unwrap_or(0)),
                last_day: (day > first).then(|| date_of(day - 1)),
                limited_by: Some(rule),
            },
            None => MaxStay { first_day: entering, days: None, last_day: None, limited_by: None },
        })
    }

    /// Everything about one person in one pass: the stay on `on`, the longest stay when entering
    /// on `entering` (if asked), and the registration deadline of the latest arrival.
    pub fn answer(
        &self,
        stays: &[Stay],
        permits: &[Permit],
        on: Date,
        entering: Option<Date>,
    ) -> Result<Answer<'r>, StayError> {
        SCRATCH.with_borrow_mut(|timeline| {
            let stay = self.evaluate_with(timeline, stays, permits, on)?;
            let max_stay = match entering {
                Some(entering) => {
                    check_entering(stays, entering)?;
                    let first = day_of(entering);
                    timeline.append_entry(first, first + WALK_HORIZON_DAYS);
                    Some(self.max_stay_from(timeline, entering)?)
                }
                None => None,
            };
            let registration = match stays.iter().map(|s| s.entry).max() {
                Some(arrival) => self.registration_due(arrival)?,
                None => None,
            };
            Ok(Answer { stay, max_stay, registration })
        })
    }

    /// The registration deadline for an arrival on `arrival`; None when no registration rule of
    /// the host covers this citizenship on that date.
    pub fn registration_due(&self, arrival: Date) -> Result<Option<RegistrationDue<'r>>, StayError> {
        let day = day_of(arrival);
        let Some(rule) = self
            .selection
            .registration
            .iter()
            .map(|&i| &self.regime.registration_rules[usize::from(i)])
            .find(|r| r.in_force(day))
        else {
            return Ok(None);
        };
        let due = self.book.calendars.registration_due(rule, self.regime.calendar.as_deref(), day)?;
        Ok(Some(RegistrationDue { arrival, due: date_of(due), rule }))
    }
}

impl RuleBook {
    /// Days used and left, legality, overstay and last legal day on `on`.
    pub fn evaluate(
        &self,
        host: Host,
        citizenship: Country,
        stays: &[Stay],
        permits: &[Permit],
        on: Date,
    ) -> Result<StayAnswer<'_>, StayError> {
        self.resolve(host, citizenship)?.evaluate(stays, permits, on)
    }

    /// The longest stay possible when entering on `entering`, given the history up to `on`.
    pub fn max_stay_if_entering(
        &self,
        host: Host,
        citizenship: Country,
        stays: &[Stay],
        permits: &[Permit],
        on: Date,
        entering: Date,
    ) -> Result<MaxStay<'_>, StayError> {
        self.resolve(host, citizenship)?.max_stay_if_entering(stays, permits, on, entering)
    }

    /// Everything about one person in one pass; see [`Resolved::answer`].
    pub fn answer(
        &self,
        host: Host,
        citizenship: Country,
        stays: &[Stay],
        permits: &[Permit],
        on: Date,
        entering: Option<Date>,
    ) -> Result<Answer<'_>, StayError> {
        self.resolve(host, citizenship)?.answer(stays, permits, on, entering)
    }

    /// The registration deadline for an arrival.
    pub fn registration_due(
        &self,
        host: Host,
        citizenship: Country,
        arrival: Date,
    ) -> Result<Option<RegistrationDue<'_>>, StayError> {
        self.resolve(host, citizenship)?.registration_due(arrival)
    }
}

impl StayRule {
    /// A rule made of explicit shapes, in force on every date (for what-if questions).
    pub fn what_if(shapes: Vec<Shape>) -> Result<StayRule, StayError> {
        if shapes.is_empty() {
            return Err(StayError::InvalidShape("at least one shape is needed".into()));
        }
        for shape in &shapes {
            shape.validate().map_err(StayError::InvalidShape)?;
        }
        let mut rule = StayRule::new(
            "what-if".into(),
            "explicit regime given with the question".into(),
            Date::MIN,
            None,
            RuleStatus::Limited,
            shapes,
        );
        rule.from_day = Day::MIN;
        Ok(rule)
    }
}
