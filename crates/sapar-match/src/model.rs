//! The fitted Fellegi-Sunter model: m and u per field level, the prior, and how a pair's
//! comparison pattern becomes a match weight, a probability and a readable explanation.

use serde::{Deserialize, Serialize};

use crate::compare::{Comparator, NULL_LEVEL, RecordView, TermFrequency, level_of};
use crate::config::{FieldSpec, LinkConfig};
use crate::error::MatchError;
use crate::features::Column;

/// Smallest probability a level may take, so no single field can make a weight infinite.
const MIN_PROBABILITY: f64 = 1e-9;

/// One level of a field with its probabilities.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LevelModel {
    /// What the level means, e.g. `exact` or `day and month swapped`.
    pub label: String,
    /// Probability of this level among true matches.
    pub m: f64,
    /// Probability of this level among non-matches.
    pub u: f64,
    /// Frequency that replaces `u` for this level when term-frequency adjustment applies.
    pub term_frequency: TermFrequency,
}

/// The levels of one field.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FieldModel {
    /// Field name.
    pub name: String,
    /// Levels, best first.
    pub levels: Vec<LevelModel>,
}

/// A fitted model.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Model {
    /// Fields in configuration order.
    pub fields: Vec<FieldModel>,
    /// Probability that two records drawn at random are the same person.
    pub prior: f64,
}

/// One field's part of a match weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// Field name.
    pub field: String,
    /// Level label, or `missing` when either value is absent.
    pub level: String,
    /// log2 Bayes factor this field adds.
    pub weight: f64,
    /// Whether the weight was adjusted by how rare the shared value is.
    pub term_frequency_adjusted: bool,
}

/// Why a pair scored as it did: the prior plus one contribution per field add up to `weight`.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// log2 of the prior odds.
    pub prior_weight: f64,
    /// Per field.
    pub contributions: Vec<Contribution>,
    /// Total match weight (log2 Bayes factor including the prior).
    pub weight: f64,
    /// Match probability.
    pub probability: f64,
}

impl Explanation {
    /// One line per field, e.g. `surname: exact (+9.12)`, for a review screen or a CSV cell.
    pub fn summary(&self) -> String {
        let mut parts = vec![format!("prior ({:+.2})", self.prior_weight)];
        for c in &self.contributions {
            let tf = if c.term_frequency_adjusted { ", rarity-weighted" } else { "" };
            parts.push(format!("{}: {}{} ({:+.2})", c.field, c.level, tf, c.weight));
        }
        parts.join("; ")
    }
}

/// Turns a match weight into a probability.
pub fn probability_from_weight(weight: f64) -> f64 {
    let odds = weight.exp2();
    if odds.is_infinite() { 1.0 } else { odds / (1.0 + odds) }
}

/// Turns a probability into the match weight at which it is reached.
pub fn weight_from_probability(p: f64) -> f64 {
    let p = p.clamp(1e-15, 1.0 - 1e-15);
    (p / (1.0 - p)).log2()
}

impl Model {
    /// Checks that a model (e.g. read back from storage) fits a configuration.
    pub fn check(&self, config: &LinkConfig) -> Result<(), MatchError> {
        if self.fields.len() != config.fields.len() {
            return Err(MatchError::ModelMismatch(format!(
                "model has {} fields, configuration {}",
                self.fields.len(),
                config.fields.len()
            )));
        }
        for (fm, spec) in self.fields.iter().zip(&config.fields) {
            let defs = crate::compare::level_defs(spec, &config.fields);
            if fm.name != spec.name || fm.levels.len() != defs.len() {
                return Err(MatchError::ModelMismatch(format!("field {:?} has other levels in the model", spec.name)));
            }
        }
        if !(self.prior > 0.0 && self.prior < 1.0) {
            return Err(MatchError::ModelMismatch(format!("prior {} outside (0, 1)", self.prior)));
        }
        Ok(())
    }

    /// The model's prior as a weight.
    pub fn prior_weight(&self) -> f64 {
        (self.prior / (1.0 - self.prior)).log2()
    }

    pub(crate) fn from_parts(specs: &[FieldSpec], m: &[Vec<f64>], u: &[Vec<f64>], prior: f64) -> Model {
        let fields = specs
            .iter()
            .enumerate()
            .map(|(f, spec)| {
                let defs = crate::compare::level_defs(spec, specs);
                FieldModel {
                    name: spec.name.clone(),
                    levels: defs
                        .into_iter()
                        .enumerate()
                        .map(|(l, d)| LevelModel {
                            label: d.label,
                            m: m[f][l].max(MIN_PROBABILITY),
                            u: u[f][l].max(MIN_PROBABILITY),
                            term_frequency: d.tf,
                        })
                        .collect(),
                }
            })
            .collect();
        Model { fields, prior }
    }
}

/// A model ready for the inner loop: weights as a flat table.
#[derive(Debug, Clone)]
pub(crate) struct Scorer {
    pub(crate) comparator: Comparator,
    /// `weights[f * 16 + level]`; the null level weighs 0.
    weights: Vec<f64>,
    log_m: Vec<f64>,
    tf: Vec<TermFrequency>,
    any_tf: bool,
    pub(crate) prior_weight: f64,
}

impl Scorer {
    pub(crate) fn new(model: &Model, specs: &[FieldSpec]) -> Scorer {
        let n = model.fields.len();
        let mut weights = vec![0.0; n * 16];
        let mut log_m = vec![0.0; n * 16];
        let mut tf = vec![TermFrequency::None; n * 16];
        for (f, fm) in model.fields.iter().enumerate() {
            for (l, lm) in fm.levels.iter().enumerate() {
                weights[f * 16 + l] = (lm.m / lm.u).log2();
                log_m[f * 16 + l] = lm.m.log2();
                tf[f * 16 + l] = lm.term_frequency;
            }
        }
        let any_tf = tf.iter().any(|t| *t != TermFrequency::None);
        Scorer { comparator: Comparator::new(specs), weights, log_m, tf, any_tf, prior_weight: model.prior_weight() }
    }

    /// Weight of one field at one level, with the term-frequency adjustment when it applies.
    #[inline]
    fn field_weight<A: RecordView>(&self, columns: &[Column], f: usize, level: u8, a: &A) -> (f64, bool) {
        if level == NULL_LEVEL {
            return (0.0, false);
        }
        let i = f * 16 + level as usize;
        if self.any_tf {
            let freq = match self.tf[i] {
                TermFrequency::None => None,
                TermFrequency::Value => a.value(f).map(|v| columns[f].value_frequency(v.id)),
                TermFrequency::Key => a.value(f).map(|v| columns[f].key_frequency(v.v.key)),
            };
            if let Some(freq) = freq {
                return (self.log_m[i] - freq.log2(), true);
            }
        }
        (self.weights[i], false)
    }

    /// Pattern and total weight of a pair.
    #[inline]
    pub(crate) fn score<A: RecordView, B: RecordView>(&self, columns: &[Column], a: &A, b: &B) -> (u64, f64) {
        let mut pattern = 0u64;
        let mut w = self.prior_weight;
        for f in 0..self.comparator.len() {
            let level = self.comparator.level(f, a, b);
            pattern |= u64::from(level) << (4 * f);
            w += self.field_weight(columns, f, level, a).0;
        }
        (pattern, w)
    }

    /// The explanation of a pair already scored.
    pub(crate) fn explain<A: RecordView>(&self, model: &Model, columns: &[Column], pattern: u64, a: &A) -> Explanation {
        let mut contributions = Vec::with_capacity(model.fields.len());
        let mut total = self.prior_weight;
        for (f, fm) in model.fields.iter().enumerate() {
            let level = level_of(pattern, f);
            let (weight, adjusted) = self.field_weight(columns, f, level, a);
            total += weight;
            let label = if level == NULL_LEVEL {
                "missing".to_string()
            } else {
                fm.levels.get(level as usize).map_or_else(|| "unknown".to_string(), |l| l.label.clone())
            };
            contributions.push(Contribution {
                field: fm.name.clone(),
                level: label,
                weight,
                term_frequency_adjusted: adjusted,
            });
        }
        Explanation {
            prior_weight: self.prior_weight,
            contributions,
            weight: total,
            probability: probability_from_weight(total),
        }
    }
}
