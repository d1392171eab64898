//! The nightly overstayer sweep: every person with an open stay, checked in parallel.

use jiff::civil::Date;
use rayon::prelude::*;
use sapar_model::Country;

use crate::day::day_of;
use crate::engine::{Permit, Stay, prepare};
use crate::error::StayError;
use crate::regime::{Host, StayRule};
use crate::rulebook::RuleBook;
use crate::timeline::Timeline;

/// What the sweep needs to know about one person.
pub trait SweepSubject {
    type Id: Copy + Send;
    fn id(&self) -> Self::Id;
    fn host(&self) -> Host;
    fn citizenship(&self) -> Country;
    fn stays(&self) -> &[Stay];
    fn permits(&self) -> &[Permit];
}

/// A plain owned person record for the sweep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepPerson<Id> {
    pub id: Id,
    pub host: Host,
    pub citizenship: Country,
    pub stays: Vec<Stay>,
    pub permits: Vec<Permit>,
}

impl<Id: Copy + Send> SweepSubject for SweepPerson<Id> {
    type Id = Id;
    fn id(&self) -> Id {
        self.id
    }
    fn host(&self) -> Host {
        self.host
    }
    fn citizenship(&self) -> Country {
        self.citizenship
    }
    fn stays(&self) -> &[Stay] {
        &self.stays
    }
    fn permits(&self) -> &[Permit] {
        &self.permits
    }
}

/// A person in the country beyond the limit on the sweep date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overstayer<'r, Id> {
    pub id: Id,
    pub overstay_days: u32,
    /// The rule broken (in force on the sweep date).
    pub rule: &'r StayRule,
    /// The first day of the open stay: the overstay belongs to this stay.
    pub stay_entry: Date,
    /// The last legal day of the open stay (as [`RuleBook::evaluate`] answers it); None if the
    /// stay was never legal.
    pub last_legal_day: Option<Date>,
}

/// The sweep's result: overstayers, and persons whose records could not be evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepReport<'r, Id> {
    /// Persons with an open stay that were checked.
    pub checked: usize,
    pub overstayers: Vec<Overstayer<'r, Id>>,
    pub errors: Vec<(Id, StayError)>,
}

enum Outcome<'r, Id> {
    Over(Overstayer<'r, Id>),
    Failed(Id, StayError),
}

impl RuleBook {
    /// Checks every person with an open stay on `on` and returns those overstaying.
    /// Persons without an open stay are skipped; invalid records are reported, not fatal.
    pub fn sweep_overstays<P>(&self, persons: &[P], on: Date) -> SweepReport<'_, P::Id>
    where
        P: SweepSubject + Sync,
        P::Id: Send,
    {
        let on_day = day_of(on);
        let has_open_stay = |p: &P| p.stays().iter().any(|s| s.exit.is_none());
        let checked = persons.par_iter().filter(|p| has_open_stay(p)).count();
        let outcomes: Vec<Outcome<'_, P::Id>> = persons
            .par_iter()
            .with_min_len(1024)
            .map_init(Timeline::default, |timeline, person| {
                if !has_open_stay(person) {
                    return None;
                }
                match self.check_person(timeline, person, on, on_day) {
                    Ok(None) => None,
                    Ok(Some(overstayer)) => Some(Outcome::Over(overstayer)),
                    Err(e) => Some(Outcome::Failed(person.id(), e)),
                }
            })
            .flatten()
            .collect();
        let mut report = SweepReport { checked, overstayers: Vec::new(), errors: Vec::new() };
        for outcome in outcomes {
            match outcome {
                Outcome::Over(o) => report.overstayers.push(o),
                Outcome::Failed(id, e) => report.errors.push((id, e)),
            }
        }
        report
    }

    fn check_person<P: SweepSubject>(
        &self,
        timeline: &mut Timeline,
        person: &P,
        on: Date,
        on_day: i32,
    ) -> Result<Option<Overstayer<'_, P::Id>>, StayError> {
        let resolved = self.resolve(person.host(), person.citizenship())?;
        let open = prepare(timeline, person.stays(), person.permits(), on, on_day, None)?;
        let (overstay, rule) = resolved.overstay(timeline, on_day)?;
        if overstay == 0 {
            return Ok(None);
        }
        // Only persons with an open stay are checked, and an overstay needs presence on `on`.
        let Some(entry) = open.map(|index| person.stays()[index].entry) else { return Ok(None) };
        let last_legal_day = resolved.last_legal_before(timeline, day_of(entry), on_day)?;
        Ok(Some(Overstayer { id: person.id(), overstay_days: overstay, rule, stay_entry: entry, last_legal_day }))
    }
}
