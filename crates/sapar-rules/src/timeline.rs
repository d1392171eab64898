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
        self.counted.clear();
        self.prefix.clear();
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

    #[cfg(test)]
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Counted days up to and including `x`.
    fn cumulative(&self, x: Day) -> u32 {
        let i = self.counted.partition_point(|iv| iv.0 <= x);
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
        let i = self.counted.partition_point(|iv| iv.0 <= day);
        i > 0 && self.counted[i - 1].1 >= day
    }

    /// Whether the person is present on `day` (under a permit or not).
    pub(crate) fn is_present(&self, day: Day) -> bool {
        self.entry_index(day).is_some()
    }

    fn entry_index(&self, day: Day) -> Option<usize> {
        let i = self.entries.partition_point(|e| e.from <= day);
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
    fn next_entry_anchoring_skips_gaps() {
        let t = build(&[(0, 9), (200, 209)], &[]);
        assert_eq!(t.anchored_period_start(5, 180, Anchoring::NextEntry), Some(0));
        assert_eq!(t.anchored_period_start(190, 180, Anchoring::NextEntry), None);
        assert_eq!(t.anchored_period_start(205, 180, Anchoring::NextEntry), Some(200));
        assert_eq!(t.anchored_period_start(205, 180, Anchoring::Consecutive), Some(180));
    }
}
