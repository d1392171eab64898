//! Probabilistic record linkage in the Fellegi-Sunter family, across scripts.
//!
//! Records are prepared once (distinct values interned with their keys and features), candidate
//! pairs come from a union of blocking rules, each pair is compared field by field into graded
//! levels, and a model fitted without labels (u from random pairs, the prior from deterministic
//! rules, m by expectation maximisation, term-frequency adjustment for rare values) turns the
//! levels into a match weight, a probability and an explanation. On top sit clusters, one-to-one
//! links and an incremental linker for a register. The engine does no IO; [`csv_io`] reads and
//! writes CSV for analyst tools.

mod blocking;
mod cluster;
mod compare;
mod config;
pub mod csv_io;
mod error;
mod features;
mod link;
mod model;
mod register;
mod rng;
pub mod synth;
mod text;
mod train;

pub use cluster::{ClusterMember, Source, clusters};
pub use compare::TermFrequency;
pub use config::{BlockingRule, FieldKind, FieldSpec, LinkConfig, MAX_FIELDS, Thresholds};
pub use error::MatchError;
pub use features::{Prepared, Record, Table};
pub use link::{Linkage, PredictReport, ScoredPair, one_to_one};
pub use model::{
    Contribution, Explanation, FieldModel, LevelModel, Model, probability_from_weight, weight_from_probability,
};
pub use register::{Candidate, LinkOutcome, NonMatches, Register};
pub use rng::SplitMix64;
pub use text::{jaro_winkler, osa_distance_capped};
pub use train::{EmRuleReport, FitReport};
