//! Candidate pairs from blocking rules: each rule hashes a key per record, records sharing a
//! key form a block, and a pair already produced by an earlier rule is skipped, so the union
//! of rules yields every candidate exactly once without a set of seen pairs.

use rayon::prelude::*;

use crate::compare::{RecordView, SideRecord};
use crate::config::{BlockingRule, KeyTransform};
use crate::features::{Column, Prepared, Side};

/// Largest number of pairs handled as one unit of parallel work.
const TASK_PAIRS: usize = 1 << 14;

#[inline]
fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

pub(crate) fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &c in b {
        h = (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3);
    }
    mix(h)
}

/// The blocking key of one record under one rule; 0 when a part is missing.
pub(crate) fn record_key<R: RecordView>(rule: &BlockingRule, r: &R) -> u64 {
    let mut parts = [0u64; 8];
    let n = rule.parts.len().min(8);
    for (k, part) in rule.parts.iter().take(8).enumerate() {
        let Some(v) = r.value(part.field) else {
            return 0;
        };
        // The similarity text is the name key for names and the normalised value otherwise.
        let key_text: &[u8] = &v.v.text;
        let value = match part.transform {
            KeyTransform::Value => {
                if rule.unordered || v.id == crate::features::NULL {
                    v.v.text_hash
                } else {
                    u64::from(v.id)
                }
            }
            KeyTransform::Key => v.v.text_hash,
            KeyTransform::Initial => match key_text.first() {
                Some(c) => u64::from(*c) | 1 << 40,
                None => return 0,
            },
            KeyTransform::Prefix3 => {
                if key_text.is_empty() {
                    return 0;
                }
                v.v.prefix_hash ^ 0x55
            }
            KeyTransform::Year => match v.v.date {
                Some(d) => u64::from(d.year),
                None => return 0,
            },
            KeyTransform::YearDayMonthUnordered => match v.v.date {
                Some(d) => {
                    let (a, b) = if d.day < d.month { (d.day, d.month) } else { (d.month, d.day) };
                    u64::from(d.year) << 16 | u64::from(a) << 8 | u64::from(b)
                }
                None => return 0,
            },
            KeyTransform::MonthDay => match v.v.date {
                Some(d) => u64::from(d.month) << 8 | u64::from(d.day),
                None => return 0,
            },
        };
        let tag = if rule.unordered { 0 } else { (k as u64) << 56 ^ (part.field as u64) << 48 };
        parts[k] = mix(value ^ tag ^ (part.transform as u64) << 44);
    }
    if rule.unordered {
        parts[..n].sort_unstable();
    }
    let mut h = 0x9e37_79b9_7f4a_7c15u64;
    for p in &parts[..n] {
        h = mix(h ^ p);
    }
    if h == 0 { 1 } else { h }
}

fn side_keys(rule: &BlockingRule, columns: &[Column], side: &Side) -> Vec<u64> {
    (0..side.len()).into_par_iter().map(|i| record_key(rule, &SideRecord { side, columns, index: i })).collect()
}

/// Keys of every record under every rule of a list, ready to enumerate pairs.
#[derive(Debug)]
pub(crate) struct Blocker {
    left: Vec<Vec<u64>>,
    right: Option<Vec<Vec<u64>>>,
}

/// The sorted (key, position) lists of a rule and its units of work.
struct Plan {
    left: Vec<(u64, u32)>,
    right: Vec<(u64, u32)>,
    tasks: Vec<Task>,
    dedupe: bool,
}

/// A unit of work: a block (or a slice of one) of sorted positions.
#[derive(Debug, Clone, Copy)]
struct Task {
    /// Range of the left sorted list.
    l: (u32, u32),
    /// Range of the right sorted list (for deduplication: the whole block, pairs taken above the diagonal).
    r: (u32, u32),
}

impl Blocker {
    pub(crate) fn new(rules: &[BlockingRule], prepared: &Prepared) -> Blocker {
        let left = rules.iter().map(|r| side_keys(r, &prepared.columns, &prepared.left)).collect();
        let right =
            prepared.right.as_ref().map(|side| rules.iter().map(|r| side_keys(r, &prepared.columns, side)).collect());
        Blocker { left, right }
    }

    fn right_keys(&self) -> &[Vec<u64>] {
        self.right.as_ref().unwrap_or(&self.left)
    }

    /// Whether an earlier rule than `rule` already produces the pair.
    #[inline]
    fn seen_before(&self, rule: usize, i: u32, j: u32) -> bool {
        let rk = self.right_keys();
        (0..rule).any(|q| {
            let k = self.left[q][i as usize];
            k != 0 && k == rk[q][j as usize]
        })
    }

    fn sorted(keys: &[u64]) -> Vec<(u64, u32)> {
        let mut v: Vec<(u64, u32)> =
            keys.iter().enumerate().filter(|(_, k)| **k != 0).map(|(i, k)| (*k, i as u32)).collect();
        v.par_sort_unstable();
        v
    }

    /// Number of pairs rule `rule` generates before removing those of earlier rules.
    pub(crate) fn raw_pair_count(&self, rule: usize) -> u64 {
        let Plan { tasks, dedupe, .. } = self.plan(rule);
        tasks
            .iter()
            .map(|t| {
                let nl = u64::from(t.l.1 - t.l.0);
                if dedupe {
                    (t.l.0..t.l.1).map(|a| u64::from(t.r.1 - a - 1)).sum::<u64>()
                } else {
                    nl * u64::from(t.r.1 - t.r.0)
                }
            })
            .sum()
    }

    fn plan(&self, rule: usize) -> Plan {
        let left = Blocker::sorted(&self.left[rule]);
        let mut tasks = Vec::new();
        match &self.right {
            Some(right_keys) => {
                let right = Blocker::sorted(&right_keys[rule]);
                let (mut a, mut b) = (0usize, 0usize);
                while a < left.len() && b < right.len() {
                    let (ka, kb) = (left[a].0, right[b].0);
                    if ka < kb {
                        a += 1;
                    } else if kb < ka {
                        b += 1;
                    } else {
                        let a_end = a + left[a..].iter().take_while(|x| x.0 == ka).count();
                        let b_end = b + right[b..].iter().take_while(|x| x.0 == ka).count();
                        let nr = b_end - b;
                        let rows = (TASK_PAIRS / nr).max(1);
                        let mut s = a;
                        while s < a_end {
                            let e = (s + rows).min(a_end);
                            tasks.push(Task { l: (s as u32, e as u32), r: (b as u32, b_end as u32) });
                            s = e;
                        }
                        a = a_end;
                        b = b_end;
                    }
                }
                Plan { left, right, tasks, dedupe: false }
            }
            None => {
                let mut a = 0usize;
                while a < left.len() {
                    let k = left[a].0;
                    let end = a + left[a..].iter().take_while(|x| x.0 == k).count();
                    let n = end - a;
                    if n > 1 {
                        let rows = (TASK_PAIRS / n).max(1);
                        let mut s = a;
                        while s < end {
                            let e = (s + rows).min(end);
                            tasks.push(Task { l: (s as u32, e as u32), r: (a as u32, end as u32) });
                            s = e;
                        }
                    }
                    a = end;
                }
                Plan { left: Vec::new(), right: left, tasks, dedupe: true }
            }
        }
    }

    /// Folds over the pairs of rule `rule` that no earlier rule produced, in parallel.
    /// `keep(i, j)` may drop pairs before any comparison (used to sample).
    pub(crate) fn fold_pairs<T, ID, F, R>(&self, rule: usize, identity: ID, fold: F, reduce: R) -> T
    where
        T: Send,
        ID: Fn() -> T + Sync + Send,
        F: Fn(T, u32, u32) -> T + Sync + Send,
        R: Fn(T, T) -> T + Sync + Send,
    {
        let Plan { left, right, tasks, dedupe } = self.plan(rule);
        tasks
            .par_iter()
            .fold(&identity, |mut acc, t| {
                if dedupe {
                    for a in t.l.0..t.l.1 {
                        let i = right[a as usize].1;
                        for b in (a + 1)..t.r.1 {
                            let j = right[b as usize].1;
                            let (i, j) = if i < j { (i, j) } else { (j, i) };
                            if !self.seen_before(rule, i, j) {
                                acc = fold(acc, i, j);
                            }
                        }
                    }
                } else {
                    for a in t.l.0..t.l.1 {
                        let i = left[a as usize].1;
                        for b in t.r.0..t.r.1 {
                            let j = right[b as usize].1;
                            if !self.seen_before(rule, i, j) {
                                acc = fold(acc, i, j);
                            }
                        }
                    }
                }
                acc
            })
            .reduce(&identity, &reduce)
    }

    /// Number of rules.
    pub(crate) fn rules(&self) -> usize {
        self.left.len()
    }

    /// Whether any rule puts records `i` (left) and `j` (right) in one block.
    pub(crate) fn shares_block(&self, i: u32, j: u32) -> bool {
        self.seen_before(self.rules(), i, j)
    }
}

/// A deterministic pseudo-random draw in [0, 1) for a pair, for sampling without state.
#[inline]
pub(crate) fn pair_draw(seed: u64, i: u32, j: u32) -> f64 {
    let h = mix(seed ^ mix(u64::from(i) << 32 | u64::from(j)));
    (h >> 11) as f64 / (1u64 << 53) as f64
}
