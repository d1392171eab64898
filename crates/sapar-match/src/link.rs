//! Batch linkage: score every candidate pair of the blocking rules under a fitted model, keep
//! those above a probability, and turn them into one-to-one links or clusters.

use crate::blocking::Blocker;
use crate::compare::SideRecord;
use crate::config::LinkConfig;
use crate::error::MatchError;
use crate::features::{Prepared, Table};
use crate::model::{Explanation, Model, Scorer, probability_from_weight, weight_from_probability};
use crate::train::{FitReport, fit};

/// A scored candidate pair, by position in the left and right inputs (the same input when
/// deduplicating, with `left < right`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredPair {
    /// Position on the left.
    pub left: u32,
    /// Position on the right.
    pub right: u32,
    /// Match weight: log2 Bayes factor including the prior.
    pub weight: f64,
    pattern: u64,
}

impl ScoredPair {
    /// Match probability.
    pub fn probability(&self) -> f64 {
        probability_from_weight(self.weight)
    }
}

/// Figures of one prediction run.
#[derive(Debug, Clone, Default)]
pub struct PredictReport {
    /// Candidate pairs compared (each once, whatever the number of rules producing it).
    pub compared_pairs: u64,
    /// Per blocking rule: new pairs it contributed.
    pub pairs_per_rule: Vec<(String, u64)>,
}

/// One or two prepared inputs with a configuration: the entry point of batch linkage.
#[derive(Debug)]
pub struct Linkage<'c> {
    config: &'c LinkConfig,
    data: Prepared,
}

impl<'c> Linkage<'c> {
    /// Prepares one table (deduplication) or two (linkage).
    pub fn new(config: &'c LinkConfig, left: &Table, right: Option<&Table>) -> Result<Linkage<'c>, MatchError> {
        Ok(Linkage { config, data: Prepared::new(config, left, right)? })
    }

    /// The prepared inputs (record identifiers by position).
    pub fn data(&self) -> &Prepared {
        &self.data
    }

    /// Fits a model without labels.
    pub fn fit(&self) -> Result<(Model, FitReport), MatchError> {
        fit(self.config, &self.data)
    }

    /// Scores every candidate pair and keeps those with probability at least `min_probability`,
    /// ordered by (left, right).
    pub fn predict(&self, model: &Model, min_probability: f64) -> Result<(Vec<ScoredPair>, PredictReport), MatchError> {
        model.check(self.config)?;
        let scorer = Scorer::new(model, &self.config.fields);
        let min_weight = weight_from_probability(min_probability);
        let blocker = Blocker::new(&self.config.blocking, &self.data);
        let data = &self.data;
        let right = data.right_side();
        let mut out = Vec::new();
        let mut report = PredictReport::default();
        for (r, rule) in self.config.blocking.iter().enumerate() {
            let (pairs, compared) = blocker.fold_pairs(
                r,
                || (Vec::new(), 0u64),
                |(mut acc, n), i, j| {
                    let a = SideRecord { side: &data.left, columns: &data.columns, index: i as usize };
                    let b = SideRecord { side: right, columns: &data.columns, index: j as usize };
                    let (pattern, weight) = scorer.score(&data.columns, &a, &b);
                    if weight >= min_weight {
                        acc.push(ScoredPair { left: i, right: j, weight, pattern });
                    }
                    (acc, n + 1)
                },
                |(mut a, n), (b, m)| {
                    a.extend(b);
                    (a, n + m)
                },
            );
            out.extend(pairs);
            report.compared_pairs += compared;
            report.pairs_per_rule.push((rule.text.clone(), compared));
        }
        out.sort_unstable_by_key(|p| (p.left, p.right));
        Ok((out, report))
    }

    /// Why a pair scored as it did.
    pub fn explain(&self, model: &Model, pair: &ScoredPair) -> Explanation {
        let scorer = Scorer::new(model, &self.config.fields);
        let a = SideRecord { side: &self.data.left, columns: &self.data.columns, index: pair.left as usize };
        scorer.explain(model, &self.data.columns, pair.pattern, &a)
    }

    /// Scores one given pair of positions (whether or not blocking would propose it).
    pub fn score_pair(&self, model: &Model, left: u32, right: u32) -> ScoredPair {
        let scorer = Scorer::new(model, &self.config.fields);
        let a = SideRecord { side: &self.data.left, columns: &self.data.columns, index: left as usize };
        let b = SideRecord { side: self.data.right_side(), columns: &self.data.columns, index: right as usize };
        let (pattern, weight) = scorer.score(&self.data.columns, &a, &b);
        ScoredPair { left, right, weight, pattern }
    }

    /// For each pair of positions, whether the blocking rules would propose it (to measure
    /// blocking recall).
    pub fn blocked_together(&self, pairs: &[(u32, u32)]) -> Vec<bool> {
        let b = Blocker::new(&self.config.blocking, &self.data);
        pairs.iter().map(|(i, j)| b.shares_block(*i, *j)).collect()
    }

    /// Share of the given pairs the blocking rules propose.
    pub fn blocking_recall(&self, truth: &[(u32, u32)]) -> f64 {
        if truth.is_empty() {
            return 1.0;
        }
        let found = self.blocked_together(truth).into_iter().filter(|b| *b).count();
        found as f64 / truth.len() as f64
    }
}

/// Keeps at most one partner per record, best weight first (ties broken by position, so the
/// result does not depend on thread timing).
pub fn one_to_one(pairs: &[ScoredPair]) -> Vec<ScoredPair> {
    let mut order: Vec<&ScoredPair> = pairs.iter().collect();
    order.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.left.cmp(&b.left)).then(a.right.cmp(&b.right)));
    let mut used_l = std::collections::HashSet::new();
    let mut used_r = std::collections::HashSet::new();
    let mut out = Vec::new();
    for p in order {
        if used_l.contains(&p.left) || used_r.contains(&p.right) {
            continue;
        }
        used_l.insert(p.left);
        used_r.insert(p.right);
        out.push(*p);
    }
    out.sort_unstable_by_key(|p| (p.left, p.right));
    out
}
