//! A person's stays and permit periods from the register's raw facts: crossings paired into
//! stays, permits (revocations applied) joined into the disjoint periods the engine wants.

use jiff::civil::Date;
use sapar_model::Direction;

use crate::engine::{Permit, Stay};

/// Folds one crossing, in time order, into a person's stays: an entry opens a stay, the next exit
/// closes it. An entry while a stay is open (an exit that was never recorded) continues that
/// stay; an exit with no open stay (one the register could not pair) is ignored.
pub fn push_crossing(stays: &mut Vec<Stay>, local_date: Date, direction: Direction) {
    let open = stays.last_mut().filter(|s| s.exit.is_none());
    match (direction, open) {
        (Direction::Entry, None) => stays.push(Stay::open(local_date)),
        (Direction::Entry, Some(_)) => {}
        (Direction::Exit, Some(stay)) => stay.exit = Some(local_date),
        (Direction::Exit, None) => {}
    }
}

/// A person's stays from their crossings (local date at the crossing point, direction) in time
/// order; see [`push_crossing`]. An entry without an exit is an open stay, always the last one.
pub fn stays_from_crossings(crossings: impl IntoIterator<Item = (Date, Direction)>) -> Vec<Stay> {
    let mut stays = Vec::new();
    for (date, direction) in crossings {
        push_crossing(&mut stays, date, direction);
    }
    stays
}

/// The days a permit with term `from..=to` covers when a revocation takes effect on
/// `revoked_from`: the term cut short, or None when the revocation took effect before its
/// first day.
pub fn permit_cover(from: Date, to: Date, revoked_from: Option<Date>) -> Option<Permit> {
    let to = match revoked_from {
        Some(r) if r <= from => return None,
        Some(r) => r.yesterday().ok()?.min(to),
        None => to,
    };
    Some(Permit { from, to })
}

/// The periods a set of permits covers together: sorted, disjoint and not adjacent (a renewal
/// that overlaps or directly follows the permit it replaces makes one period with it).
pub fn join_periods(permits: impl IntoIterator<Item = Permit>) -> Vec<Permit> {
    let mut all: Vec<Permit> = permits.into_iter().collect();
    all.sort_by_key(|p| (p.from, p.to));
    let mut out: Vec<Permit> = Vec::with_capacity(all.len());
    for p in all {
        match out.last_mut() {
            Some(last) if last.to.tomorrow().is_ok_and(|next| p.from <= next) => last.to = last.to.max(p.to),
            _ => out.push(p),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn permit(from: Date, to: Date) -> Permit {
        Permit { from, to }
    }

    #[test]
    fn entries_and_exits_pair_into_stays_with_the_open_one_last() {
        let stays = stays_from_crossings([
            (date(2025, 1, 1), Direction::Entry),
            (date(2025, 1, 10), Direction::Exit),
            (date(2025, 1, 10), Direction::Entry),
            (date(2025, 2, 1), Direction::Exit),
            (date(2025, 3, 1), Direction::Entry),
        ]);
        assert_eq!(
            stays,
            vec![
                Stay::closed(date(2025, 1, 1), date(2025, 1, 10)),
                Stay::closed(date(2025, 1, 10), date(2025, 2, 1)),
                Stay::open(date(2025, 3, 1)),
            ]
        );
    }

    #[test]
    fn repeated_entry_continues_the_stay_and_unpaired_exit_is_ignored() {
        let stays = stays_from_crossings([
            (date(2025, 1, 1), Direction::Exit),
            (date(2025, 1, 2), Direction::Entry),
            (date(2025, 1, 5), Direction::Entry),
            (date(2025, 1, 9), Direction::Exit),
            (date(2025, 1, 12), Direction::Exit),
        ]);
        assert_eq!(stays, vec![Stay::closed(date(2025, 1, 2), date(2025, 1, 9))]);
    }

    #[test]
    fn no_crossings_no_stays() {
        assert!(stays_from_crossings([]).is_empty());
    }

    #[test]
    fn overlapping_and_adjacent_permits_join_and_gaps_stay() {
        let joined = join_periods([
            permit(date(2025, 6, 1), date(2025, 12, 31)),
            permit(date(2025, 1, 1), date(2025, 3, 31)),
            permit(date(2025, 4, 1), date(2025, 4, 30)),
            permit(date(2025, 11, 1), date(2026, 5, 31)),
            permit(date(2025, 12, 1), date(2025, 12, 2)),
        ]);
        assert_eq!(
            joined,
            vec![permit(date(2025, 1, 1), date(2025, 4, 30)), permit(date(2025, 6, 1), date(2026, 5, 31))]
        );
    }

    #[test]
    fn a_revocation_cuts_the_term_or_voids_the_permit() {
        let (from, to) = (date(2025, 1, 10), date(2025, 12, 31));
        assert_eq!(permit_cover(from, to, None), Some(permit(from, to)));
        assert_eq!(permit_cover(from, to, Some(date(2025, 3, 1))), Some(permit(from, date(2025, 2, 28))));
        assert_eq!(permit_cover(from, to, Some(date(2025, 1, 11))), Some(permit(from, from)));
        assert_eq!(permit_cover(from, to, Some(from)), None);
        assert_eq!(permit_cover(from, to, Some(date(2026, 6, 1))), Some(permit(from, to)), "after the term: no cut");
    }
}
