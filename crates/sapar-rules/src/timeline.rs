//! A person's presence as sorted, de-duplicated intervals of day numbers, with O(log n) counting.
//!
//! Counting rules (stay-rules.md): entry and exit days count in full; records that overlap are
//! merged; an exit and re-entry on the same day is kept as two entries sharing that day (the day
//! counts once, and per-entry limits may restart on it); days under a permit are not counted.

use crate::day::Day;
use crate::regime::Anchoring;

/// One entry into the host, after merging overlapping records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) from: Day,
    pub(crate) to: Day,
    /// Start of the chain of entries linked by same-day exit and re-entry.
    chain_start: Day,
    /// This entry starts on the exit day of the previous one.
    touches_prev: bool,
}

/// Presence and permits of one person, ready for counting. Reusable to avoid allocations.
#[derive(Clone, Debug, Default)]
pub(crate) struct Timeline {
    raw: Vec<(Day, Day)>,
    entries: Vec<Entry>,
    /// Disjoint, sorted, non-adjacent intervals of counted days (present and not under a permit).
    counted: Vec<(Day, Day)>,
    /// prefix[i] = number of counted days in counted[..i].
    prefix: Vec<u32>,
    permits: Vec<(Day, Day)>,
    /// Searches start at these indices: queries never look before the floor day (see `set_floor`).
    floor_counted: usize,
    floor_entries: usize,
    floor_day: Day,
}

impl Timeline {
    /// Rebuilds from stays (inclusive day intervals, any order) and sorted non-overlapping permits.
    pub(crate) fn rebuild(
        &mut self,
        stays: impl Iterator<Item = (Day, Day)>,
        permits: impl Iterator<Item = (Day, Day)>,
    ) {
        self.raw.clear();
        self.raw.extend(stays);
        if !self.raw.is_sorted() {
            self.raw.sort_unstable();
        }
        self.entries.clear();
        self.entries.reserve(self.raw.len());
        for &(from, to) in &self.raw {
            match self.entries.last_mut() {
                Some(last) if from < last.to || from == last.from => last.to = last.to.max(to),
                Some(last) if from == last.to => {
                    let chain_start = last.chain_start;
                    self.entries.push(Entry { from, to, chain_start, touches_prev: true });
                }
                _ => self.entries.push(Entry { from, to, chain_start: from, touches_prev: false }),
            }
        }
        self.permits.clear();
        self.permits.extend(permits);
        self.clear_floor();
        self.counted.clear();
        self.prefix.clear();
        self.counted.reserve(self.entries.len() + self.permits.len());
        self.prefix.reserve(self.entries.len() + self.permits.len());
        let mut permit_index = 0;
        let mut union: Option<(Day, Day)> = None;
        for e in &self.entries {
            union = match union {
                Some((a, b)) if e.from <= b + 1 => Some((a, b.max(e.to))),
                Some(done) => {
                    subtract_permits(done, &self.permits, &mut permit_index, &mut self.counted);
                    Some((e.from, e.to))
                }
                None => Some((e.from, e.to)),
            };
        }
        if let Some(done) = union {
            subtract_permits(done, &self.permits, &mut permit_index, &mut self.counted);
        }
        let mut total = 0u32;
        for &(a, b) in &self.counted {
            self.prefix.push(total);
            total += u32::try_from(b - a + 1).unwrap_or(0);
        }
    }

    /// Adds an entry after every existing one (`from` is not before the last exit), without
    /// rebuilding: used to ask "what if the person entered on `from`" after answering about today.
    pub(crate) fn append_entry(&mut self, from: Day, to: Day) {
        match self.entries.last_mut() {
            Some(last) if from < last.to || from == last.from => last.to = last.to.max(to),
            Some(last) if from == last.to => {
                let chain_start = last.chain_start;
                self.entries.push(Entry { from, to, chain_start, touches_prev: true });
            }
            _ => self.entries.push(Entry { from, to, chain_start: from, touches_prev: false }),
        }
        let start = self.counted.last().map_or(from, |&(_, b)| from.max(b + 1));
        if start > to {
            return;
        }
        let mut total = match (self.counted.last(), self.prefix.last()) {
            (Some(&(a, b)), Some(&p)) => p + u32::try_from(b - a + 1).unwrap_or(0),
            _ => 0,
        };
        let before = self.counted.len();
        let mut permit_index = self.permits.partition_point(|p| p.1 < start);
        subtract_permits((start, to), &self.permits, &mut permit_index, &mut self.counted);
        for i in before..self.counted.len() {
            self.prefix.push(total);
            let (a, b) = self.counted[i];
            total += u32::try_from(b - a + 1).unwrap_or(0);
        }
    }

    #[cfg(test)]
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Promises that no query will look before `day - 1` until `clear_floor`, so searches can skip
    /// the older history: a walk over the next days then costs a few steps per day, not log n.
    pub(crate) fn set_floor(&mut self, day: Day) {
        self.floor_counted = self.counted.partition_point(|iv| iv.1 < day);
        self.floor_entries = self.entries.partition_point(|e| e.to < day);
        self.floor_day = day;
    }

    pub(crate) fn clear_floor(&mut self) {
        self.floor_counted = 0;
        self.floor_entries = 0;
        self.floor_day = Day::MIN;
    }

    /// Counted days up to and including `x`.
    fn cumulative(&self, x: Day) -> u32 {
        debug_assert!(x >= self.floor_day.saturating_sub(1), "query before the floor");
        let i = self.floor_counted + self.counted[self.floor_counted..].partition_point(|iv| iv.0 <= x);
        if i == 0 {
            return 0;
        }
        let (a, b) = self.counted[i - 1];
        self.prefix[i - 1] + u32::try_from(x.min(b) - a + 1).unwrap_or(0)
    }

    /// Counted days in [a, b].
    pub(crate) fn count(&self, a: Day, b: Day) -> u32 {
        if b < a { 0 } else { self.cumulative(b) - self.cumulative(a - 1) }
    }

    /// Whether `day` is counted (present and not under a permit).
    pub(crate) fn is_counted(&self, day: Day) -> bool {
        debug_assert!(day >= self.floor_day, "query before the floor");
        let i = self.floor_counted + self.counted[self.floor_counted..].partition_point(|iv| iv.0 <= day);
        i > 0 && self.counted[i - 1].1 >= day
    }

    /// Whether the person is present on `day` (under a permit or not).
    pub(crate) fn is_present(&self, day: Day) -> bool {
        self.entry_index(day).is_some()
    }

    fn entry_index(&self, day: Day) -> Option<usize> {
        debug_assert!(day >= self.floor_day, "query before the floor");
        let i = self.floor_entries + self.entries[self.floor_entries..].partition_point(|e| e.from <= day);
        (i > 0 && self.entries[i - 1].to >= day).then(|| i - 1)
    }

    /// Days of the current continuous stay up to `day`, or 0 if not counted that day.
    ///
    /// A permit ends the counting of an entry: after it the count starts afresh.
    pub(crate) fn entry_count(&self, day: Day, reentry_restarts: bool) -> u32 {
        let Some(i) = self.entry_index(day) else { return 0 };
        let e = self.entries[i];
        let mut start = if !reentry_restarts {
            e.chain_start
        } else if e.touches_prev && day == e.from && i > 0 {
            // The re-entry day is also the exit day of the previous stay: the longer count binds.
            self.entries[i - 1].from
        } else {
            e.from
        };
        let p = self.permits.partition_point(|p| p.0 <= day);
        if p > 0 {
            let (_, permit_end) = self.permits[p - 1];
            if permit_end >= day {
                return 0;
            }
            if permit_end >= start {
                start = permit_end + 1;
            }
        }
        u32::try_from(day - start + 1).unwrap_or(0)
    }

    /// First day of the anchored period containing `day`, or None when no period is running.
    pub(crate) fn anchored_period_start(&self, day: Day, period: u16, anchoring: Anchoring) -> Option<Day> {
        let first = self.counted.first()?.0;
        if day < first {
            return None;
        }
        let period = i32::from(period);
        match anchoring {
            Anchoring::Consecutive => Some(first + (day - first) / period * period),
            Anchoring::NextEntry => {
                let mut anchor = first;
                loop {
                    let end = anchor + period - 1;
                    if day <= end {
                        return Some(anchor);
                    }
                    let j = self.counted.partition_point(|iv| iv.1 <= end);
                    let next = self.counted.get(j)?.0.max(end + 1);
                    if next > day {
                        return None;
                    }
                    anchor = next;
                }
            }
        }
    }
}

fn subtract_permits(span: (Day, Day), permits: &[(Day, Day)], index: &mut usize, out: &mut Vec<(Day, Day)>) {
    let (mut a, b) = span;
    while *index < permits.len() && permits[*index].1 < a {
        *index += 1;
    }
    let mut k = *index;
    while a <= b {
        match permits.get(k) {
            Some(&(pa, pb)) if pa <= b => {
                if pa > a {
                    out.push((a, pa - 1));
                }
                a = a.max(pb + 1);
                if pb <= b {
                    k += 1;
                } else {
                    break;
                }
            }
            _ => {
                out.push((a, b));
                break;
            }
        }
    }
    *index = k.min(permits.len()).max(*index);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(stays: &[(Day, Day)], permits: &[(Day, Day)]) -> Timeline {
        let mut t = Timeline::default();
        t.rebuild(stays.iter().copied(), permits.iter().copied());
        t
    }

    #[test]
    fn overlapping_records_count_once() {
        let t = build(&[(10, 20), (15, 25), (10, 12)], &[]);
        assert_eq!(t.count(0, 100), 16);
        assert_eq!(t.entries().len(), 1);
    }

    #[test]
    fn same_day_reentry_counts_the_day_once_but_keeps_two_entries() {
        let t = build(&[(1, 10), (10, 20)], &[]);
        assert_eq!(t.count(0, 100), 20);
        assert_eq!(t.entries().len(), 2);
        assert_eq!(t.entry_count(10, true), 10);
        assert_eq!(t.entry_count(11, true), 2);
        assert_eq!(t.entry_count(11, false), 11);
    }

    #[test]
    fn permits_are_cut_out_and_restart_entry_counts() {
        let t = build(&[(1, 30)], &[(5, 9), (20, 40)]);
        assert_eq!(t.count(0, 100), 4 + 10);
        assert!(!t.is_counted(5));
        assert!(t.is_present(5));
        assert_eq!(t.entry_count(12, true), 3);
        assert_eq!(t.entry_count(25, true), 0);
    }

    #[test]
    fn appending_an_entry_equals_rebuilding_with_it() {
        let stays = [(1, 10), (20, 30), (35, 40)];
        let permits = [(5, 7), (38, 45), (60, 70)];
        for (from, to) in [(40, 80), (41, 80), (45, 50), (90, 95), (40, 40)] {
            let mut appended = build(&stays, &permits);
            appended.append_entry(from, to);
            let mut all = stays.to_vec();
            all.push((from, to));
            let rebuilt = build(&all, &permits);
            for a in 0..100 {
                assert_eq!(appended.is_counted(a), rebuilt.is_counted(a), "day {a} after ({from}, {to})");
                assert_eq!(appended.count(0, a), rebuilt.count(0, a), "count to {a} after ({from}, {to})");
                assert_eq!(appended.entry_count(a, true), rebuilt.entry_count(a, true));
                assert_eq!(appended.entry_count(a, false), rebuilt.entry_count(a, false));
            }
        }
    }

    #[test]
    fn next_entry_anchoring_skips_gaps() {
        let t = build(&[(0, 9), (200, 209)], &[]);
        assert_eq!(t.anchored_period_start(5, 180, Anchoring::NextEntry), Some(0));
        assert_eq!(t.anchored_period_start(190, 180, Anchoring::NextEntry), None);
        assert_eq!(t.anchored_period_start(205, 180, Anchoring::NextEntry), Some(200));
        assert_eq!(t.anchored_period_start(205, 180, Anchoring::Consecutive), Some(180));
    }
}
