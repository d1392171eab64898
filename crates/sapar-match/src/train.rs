//! Unsupervised fitting: u from random pairs, the prior from deterministic rules, and m by
//! expectation maximisation on the pairs of several blocking rules, each field learnt only
//! from rules that do not block on it.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::blocking::{Blocker, pair_draw};
use crate::compare::{Comparator, NULL_LEVEL, SideRecord, level_defs, level_of};
use crate::config::LinkConfig;
use crate::error::MatchError;
use crate::features::Prepared;
use crate::model::Model;
use crate::rng::SplitMix64;

/// What fitting found, for the analyst's log.
#[derive(Debug, Clone, Default)]
pub struct FitReport {
    /// Random pairs compared for u.
    pub u_pairs: usize,
    /// Pairs found by the deterministic rules.
    pub deterministic_pairs: u64,
    /// All possible pairs.
    pub possible_pairs: f64,
    /// Per EM rule: its text, pairs used, iterations run, and the fields it trained.
    pub em_rules: Vec<EmRuleReport>,
}

/// One EM run.
#[derive(Debug, Clone, Default)]
pub struct EmRuleReport {
    /// Rule as written.
    pub rule: String,
    /// Pairs used (after sampling).
    pub pairs: u64,
    /// Distinct comparison patterns among them.
    pub patterns: usize,
    /// Iterations until convergence.
    pub iterations: usize,
    /// Share of matches EM found within the rule's pairs.
    pub match_share: f64,
    /// Fields whose m this rule estimated.
    pub trained_fields: Vec<String>,
}

/// Counts of comparison patterns.
pub(crate) type PatternCounts = HashMap<u64, u64>;

fn merge(mut a: PatternCounts, b: PatternCounts) -> PatternCounts {
    if a.len() < b.len() {
        return merge(b, a);
    }
    for (k, v) in b {
        *a.entry(k).or_insert(0) += v;
    }
    a
}

/// Fits a model to prepared data without labels.
pub(crate) fn fit(config: &LinkConfig, data: &Prepared) -> Result<(Model, FitReport), MatchError> {
    let cmp = Comparator::new(&config.fields);
    let levels: Vec<usize> = config.fields.iter().map(|s| level_defs(s, &config.fields).len()).collect();
    let mut report = FitReport::default();

    let (u, u_pairs) = estimate_u(config, data, &cmp, &levels);
    report.u_pairs = u_pairs;

    let possible = possible_pairs(data);
    report.possible_pairs = possible;
    let det = Blocker::new(&config.deterministic_rules, data);
    let mut det_pairs = 0u64;
    for r in 0..det.rules() {
        det_pairs += det.fold_pairs(r, || 0u64, |acc, _, _| acc + 1, |a, b| a + b);
    }
    report.deterministic_pairs = det_pairs;
    let prior = ((det_pairs.max(1) as f64 / config.deterministic_recall) / possible).clamp(1e-12, 0.5);

    let n = config.fields.len();
    let mut m_sum: Vec<Vec<f64>> = levels.iter().map(|&k| vec![0.0; k]).collect();
    let mut m_runs = vec![0usize; n];
    for rule in &config.em_rules {
        let blocker = Blocker::new(std::slice::from_ref(rule), data);
        let raw = blocker.raw_pair_count(0);
        let rate = if raw as f64 > config.em_max_pairs as f64 { config.em_max_pairs as f64 / raw as f64 } else { 1.0 };
        let seed = config.seed ^ 0xe3;
        let right = data.right_side();
        let counts = blocker.fold_pairs(
            0,
            PatternCounts::new,
            |mut acc, i, j| {
                if rate < 1.0 && pair_draw(seed, i, j) >= rate {
                    return acc;
                }
                let a = SideRecord { side: &data.left, columns: &data.columns, index: i as usize };
                let b = SideRecord { side: right, columns: &data.columns, index: j as usize };
                *acc.entry(cmp.pattern(&a, &b)).or_insert(0) += 1;
                acc
            },
            merge,
        );
        let active: Vec<bool> = (0..n).map(|f| !rule.uses_field(f)).collect();
        let total: u64 = counts.values().sum();
        let mut rep =
            EmRuleReport { rule: rule.text.clone(), pairs: total, patterns: counts.len(), ..Default::default() };
        if total == 0 {
            report.em_rules.push(rep);
            continue;
        }
        let patterns: Vec<(u64, f64)> = counts.into_iter().map(|(p, c)| (p, c as f64)).collect();
        let (m, share, iterations) = em(&patterns, &active, &u, &levels, 0.3, 100);
        rep.iterations = iterations;
        rep.match_share = share;
        for f in 0..n {
            if active[f] && m[f].iter().sum::<f64>() > 0.0 {
                for (s, v) in m_sum[f].iter_mut().zip(&m[f]) {
                    *s += v;
                }
                m_runs[f] += 1;
                rep.trained_fields.push(config.fields[f].name.clone());
            }
        }
        report.em_rules.push(rep);
    }
    let mut m = Vec::with_capacity(n);
    for f in 0..n {
        if m_runs[f] == 0 {
            return Err(MatchError::Training(format!(
                "no em rule trained field {:?}: add an em rule that does not block on it",
                config.fields[f].name
            )));
        }
        m.push(m_sum[f].iter().map(|s| s / m_runs[f] as f64).collect::<Vec<f64>>());
    }
    Ok((Model::from_parts(&config.fields, &m, &u, prior), report))
}

fn possible_pairs(data: &Prepared) -> f64 {
    let nl = data.left_len() as f64;
    match &data.right {
        Some(r) => nl * r.len() as f64,
        None => nl * (nl - 1.0) / 2.0,
    }
}

/// u per field level from random pairs: what agreement looks like between different people.
fn estimate_u(config: &LinkConfig, data: &Prepared, cmp: &Comparator, levels: &[usize]) -> (Vec<Vec<f64>>, usize) {
    let nl = data.left_len();
    let right = data.right_side();
    let nr = right.len();
    let n = config.fields.len();
    let possible = possible_pairs(data);
    let want = (config.u_sample_pairs as f64).min(possible).max(0.0) as usize;
    const CHUNK: usize = 1 << 15;
    let chunks = want.div_ceil(CHUNK);
    let counts: Vec<[u64; 16]> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut rng = SplitMix64::new(config.seed ^ (c as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x75);
            let mut local = vec![[0u64; 16]; n];
            let len = CHUNK.min(want - c * CHUNK);
            let mut done = 0;
            while done < len {
                let i = rng.below(nl);
                let j = rng.below(nr);
                if data.right.is_none() && i == j {
                    continue;
                }
                done += 1;
                let a = SideRecord { side: &data.left, columns: &data.columns, index: i };
                let b = SideRecord { side: right, columns: &data.columns, index: j };
                for (f, slot) in local.iter_mut().enumerate() {
                    slot[cmp.level(f, &a, &b) as usize] += 1;
                }
            }
            local
        })
        .reduce(
            || vec![[0u64; 16]; n],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(&b) {
                    for (p, q) in x.iter_mut().zip(y) {
                        *p += q;
                    }
                }
                a
            },
        );
    let counts = if counts.is_empty() { vec![[0u64; 16]; n] } else { counts };
    let u = (0..n)
        .map(|f| {
            let k = levels[f];
            // Exact (and, for names, same-key) agreement among random pairs follows from value
            // frequencies exactly; sampling only shares out the rest among the other levels.
            let exact = exact_agreement(data, f);
            let fixed = exact.len();
            let fixed_total: f64 = exact.iter().sum();
            let seen: u64 = counts[f][fixed..k].iter().sum();
            // A level never seen among random pairs gets half a count, so its weight stays finite.
            let denom = seen as f64 + 0.5;
            let floor = 0.5 / (config.u_sample_pairs as f64);
            (0..k)
                .map(|l| {
                    if l < fixed {
                        exact[l].max(floor)
                    } else {
                        (1.0 - fixed_total) * (counts[f][l] as f64).max(0.5) / denom
                    }
                })
                .collect()
        })
        .collect();
    (u, want)
}

/// Probability that a random pair agrees exactly on field `f`, and for names also the
/// probability it agrees on the key without agreeing exactly.
fn exact_agreement(data: &Prepared, f: usize) -> Vec<f64> {
    let col = &data.columns[f];
    let is_name = col.kind == crate::config::FieldKind::Name;
    let count = |values: &[u32], by_key: bool| -> (Vec<u64>, u64) {
        let size = if by_key { col.key_text.len() } else { col.values.len() };
        let mut c = vec![0u64; size];
        let mut total = 0;
        for &v in values.iter().filter(|v| **v != crate::features::NULL) {
            let i = if by_key { col.values[v as usize].key } else { v };
            c[i as usize] += 1;
            total += 1;
        }
        (c, total)
    };
    let agreement = |by_key: bool| -> f64 {
        let (cl, nl) = count(&data.left.values[f], by_key);
        match &data.right {
            Some(r) => {
                let (cr, nr) = count(&r.values[f], by_key);
                let same: f64 = cl.iter().zip(&cr).map(|(a, b)| (*a as f64) * (*b as f64)).sum();
                same / ((nl as f64) * (nr as f64)).max(1.0)
            }
            None => {
                let same: f64 = cl.iter().map(|a| (*a as f64) * (a.saturating_sub(1) as f64)).sum();
                same / ((nl as f64) * (nl.saturating_sub(1) as f64)).max(1.0)
            }
        }
    };
    let exact = agreement(false);
    if is_name { vec![exact, (agreement(true) - exact).max(0.0)] } else { vec![exact] }
}

/// Expectation maximisation over distinct patterns with u fixed. Returns m per field (zeros for
/// inactive fields), the match share, and the iterations run.
pub(crate) fn em(
    patterns: &[(u64, f64)],
    active: &[bool],
    u: &[Vec<f64>],
    levels: &[usize],
    start_share: f64,
    max_iterations: usize,
) -> (Vec<Vec<f64>>, f64, usize) {
    let n = levels.len();
    // Start m leaning to agreement: most matches at the best level, few at "different".
    let mut m: Vec<Vec<f64>> = levels
        .iter()
        .map(|&k| {
            let mut v: Vec<f64> = (0..k).map(|l| 0.5f64.powi(l as i32 + 1)).collect();
            if k > 1 {
                v[k - 1] = 0.05;
            }
            let s: f64 = v.iter().sum();
            v.iter().map(|x| x / s).collect()
        })
        .collect();
    let mut share = start_share;
    let mut iterations = 0;
    for it in 0..max_iterations {
        iterations = it + 1;
        let mut acc: Vec<Vec<f64>> = levels.iter().map(|&k| vec![0.0; k]).collect();
        let mut matched = 0.0;
        let mut total = 0.0;
        for &(p, c) in patterns {
            let mut pm = share;
            let mut pu = 1.0 - share;
            for f in 0..n {
                if !active[f] {
                    continue;
                }
                let l = level_of(p, f);
                if l == NULL_LEVEL {
                    continue;
                }
                pm *= m[f][l as usize];
                pu *= u[f][l as usize];
            }
            let w = if pm + pu > 0.0 { pm / (pm + pu) } else { 0.0 };
            matched += w * c;
            total += c;
            for f in 0..n {
                let l = level_of(p, f);
                if active[f] && l != NULL_LEVEL {
                    acc[f][l as usize] += w * c;
                }
            }
        }
        let mut change: f64 = 0.0;
        for f in 0..n {
            if !active[f] {
                continue;
            }
            let s: f64 = acc[f].iter().sum();
            if s <= 0.0 {
                continue;
            }
            for l in 0..levels[f] {
                let v = (acc[f][l] / s).max(1e-9);
                change = change.max((v - m[f][l]).abs());
                m[f][l] = v;
            }
        }
        let new_share = if total > 0.0 { (matched / total).clamp(1e-9, 1.0 - 1e-9) } else { share };
        change = change.max((new_share - share).abs());
        share = new_share;
        if change < 1e-6 {
            break;
        }
    }
    for f in 0..n {
        if !active[f] {
            m[f].iter_mut().for_each(|x| *x = 0.0);
        }
    }
    (m, share, iterations)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;

    /// Draws comparison patterns from a known model and checks EM finds its m and prior again.
    #[test]
    fn em_recovers_known_m_and_match_share() {
        let levels = vec![3usize, 2, 4];
        let m_true = [vec![0.85, 0.1, 0.05], vec![0.9, 0.1], vec![0.7, 0.15, 0.1, 0.05]];
        let u: Vec<Vec<f64>> = vec![vec![0.01, 0.04, 0.95], vec![0.2, 0.8], vec![0.001, 0.01, 0.05, 0.939]];
        let share = 0.2;
        let mut rng = SplitMix64::new(3);
        let draw = |p: &[f64], rng: &mut SplitMix64| -> u64 {
            let x = rng.unit();
            let mut acc = 0.0;
            for (l, v) in p.iter().enumerate() {
                acc += v;
                if x < acc {
                    return l as u64;
                }
            }
            (p.len() - 1) as u64
        };
        let mut counts = PatternCounts::new();
        for _ in 0..200_000 {
            let is_match = rng.chance(share);
            let mut pattern = 0u64;
            for f in 0..3 {
                let l = draw(if is_match { &m_true[f] } else { &u[f] }, &mut rng);
                pattern |= l << (4 * f);
            }
            *counts.entry(pattern).or_insert(0) += 1;
        }
        let patterns: Vec<(u64, f64)> = counts.into_iter().map(|(p, c)| (p, c as f64)).collect();
        let (m, found_share, _) = em(&patterns, &[true, true, true], &u, &levels, 0.5, 200);
        assert!((found_share - share).abs() < 0.01, "share {found_share}");
        for f in 0..3 {
            for l in 0..levels[f] {
                assert!((m[f][l] - m_true[f][l]).abs() < 0.02, "field {f} level {l}: {} vs {}", m[f][l], m_true[f][l]);
            }
        }
    }

    #[test]
    fn em_leaves_fields_of_the_blocking_rule_untrained() {
        let patterns = vec![(0u64, 10.0), (0x11, 5.0)];
        let u = vec![vec![0.1, 0.9], vec![0.1, 0.9]];
        let (m, _, _) = em(&patterns, &[false, true], &u, &[2, 2], 0.5, 10);
        assert_eq!(m[0], vec![0.0, 0.0]);
        assert!(m[1][0] > 0.5);
    }
}
