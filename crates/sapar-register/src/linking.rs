//! The register's linking job: deferred identity resolution over the persons recording created.
//!
//! Recording identifies a person by document only, so a renewed passport makes a new person.
//! This job compares every person not yet linked with everyone before them, with the
//! Fellegi-Sunter model of `sapar-match` (fitted on the register without labels and stored, so
//! later runs reuse it), and decides: at or above the upper threshold the pair is merged (the
//! older person survives); between the lower and upper thresholds it goes to the review queue;
//! below, the person stays distinct. Pairs an officer confirmed to be different people are never
//! proposed or merged again, through merges too (if A is not B and C was merged into A, C is not
//! B). The engine runs on the blocking pool; the store writes in chunks, one transaction each.
//! A pair's explanation is stored as a [`StoredExplanation`], a versioned type of its own.

use std::collections::HashMap;
use std::time::Instant;

use jiff::Timestamp;
use sapar_match::{
    Explanation, LinkConfig, LinkOutcome, Linkage, MatchError, Model, NonMatches, Record, Register as LinkIndex, Table,
};
use sapar_model::{DocumentNumber, FullName, PersonDetails, PersonId};
use sapar_store::identity::{AutoMerge, LinkBatch, LinkPerson, LinkRunStart, ReviewProposal, StoredModel};
use sapar_store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Actor, Register, RegisterError};

/// The register's linkage configuration, without thresholds.
pub const REGISTER_LINK_CONFIG: &str = include_str!("linking.toml");

/// Default probability at or above which a pair goes to the review queue.
pub const DEFAULT_LOWER: f64 = 0.5;
/// Default probability at or above which a pair is merged without review.
pub const DEFAULT_UPPER: f64 = 0.99;
/// Fewest persons a model is fitted on: below, agreement frequencies say too little.
pub const MIN_PERSONS_TO_FIT: usize = 200;
/// A stored model is refitted once the register holds this many times the persons it was
/// fitted on.
pub const REFIT_GROWTH: i64 = 2;
/// Persons whose decisions are written per transaction.
const CHUNK: usize = 5_000;

const COLUMNS: [&str; 8] =
    ["id", "surname", "given_name", "patronymic", "birth_date", "sex", "citizenship", "document"];

/// How a run links.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkOptions {
    /// At or above: review queue.
    pub lower: f64,
    /// At or above: merged without review.
    pub upper: f64,
    /// Fit a new model even if a stored one fits the register.
    pub refit: bool,
    /// Compare every person again, not only those created since the last run.
    pub relink_all: bool,
}

impl Default for LinkOptions {
    fn default() -> LinkOptions {
        LinkOptions { lower: DEFAULT_LOWER, upper: DEFAULT_UPPER, refit: false, relink_all: false }
    }
}

/// Why a run did not complete.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("thresholds need 0 < lower <= upper <= 1, got lower {lower} and upper {upper}")]
    Thresholds { lower: f64, upper: f64 },
    #[error(
        "the register holds {persons} persons; fitting a model without labels needs at least {needed} \
         (no stored model to reuse)"
    )]
    TooFewToFit { persons: usize, needed: usize },
    #[error("linkage: {0}")]
    Match(#[from] MatchError),
    #[error("stored model: {0}")]
    StoredModel(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Register(RegisterError),
}

/// What a run did.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkSummary {
    pub run_id: Uuid,
    /// Persons not merged into another when the run started.
    pub persons: usize,
    /// Persons compared with everyone before them in this run.
    pub linked: usize,
    /// `stored` (reused) or `fitted` (fitted in this run and stored).
    pub model: &'static str,
    /// Persons the model was fitted on.
    pub model_persons: i64,
    pub lower: f64,
    pub upper: f64,
    /// Pairs merged without review.
    pub merged: u64,
    /// Pairs added to the review queue.
    pub proposed: u64,
    /// Persons with at least one candidate between the thresholds.
    pub uncertain: usize,
    /// Persons that stayed distinct from everyone.
    pub distinct: usize,
    /// Confirmed non-matches honoured.
    pub non_matches: usize,
    /// Merged persons that still held a document or crossing, moved to their survivor.
    pub reattached: u64,
    pub elapsed: std::time::Duration,
}

/// The version of [`StoredExplanation`] this build writes.
pub const EXPLANATION_VERSION: u32 = 1;

/// One field's part of a pair's weight, as stored with a review item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredContribution {
    pub field: String,
    /// How the two values compare, e.g. `exact`, `same name key across scripts`, `missing`.
    pub level: String,
    /// log2 Bayes factor: positive speaks for the same person.
    pub weight: f64,
    /// Agreement on a rare value counts more than on a common one.
    pub rarity_weighted: bool,
}

/// Why a pair scored as it did, as the linking run stores it with a review item: the storage
/// format of `review_items.explanation`, versioned so that a later build reads what an earlier
/// one wrote. Rows written before versions were kept carry no `version` and have the fields of
/// version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredExplanation {
    #[serde(default = "unversioned")]
    pub version: u32,
    pub prior_weight: f64,
    /// The prior plus the fields.
    pub weight: f64,
    pub probability: f64,
    pub fields: Vec<StoredContribution>,
    /// The same in one line.
    pub summary: String,
}

fn unversioned() -> u32 {
    EXPLANATION_VERSION
}

/// Why a stored explanation cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ExplanationError {
    #[error("stored explanation does not parse: {0}")]
    Malformed(#[from] serde_json::Error),
    #[error("stored explanation has version {0}; this build reads version {EXPLANATION_VERSION}")]
    UnknownVersion(u32),
}

impl StoredExplanation {
    fn of(e: &Explanation) -> StoredExplanation {
        StoredExplanation {
            version: EXPLANATION_VERSION,
            prior_weight: e.prior_weight,
            weight: e.weight,
            probability: e.probability,
            fields: e
                .contributions
                .iter()
                .map(|c| StoredContribution {
                    field: c.field.clone(),
                    level: c.level.clone(),
                    weight: c.weight,
                    rarity_weighted: c.term_frequency_adjusted,
                })
                .collect(),
            summary: e.summary(),
        }
    }

    /// The stored text.
    pub fn to_stored(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }

    /// Reads a stored text of any version this build knows.
    pub fn from_stored(text: &str) -> Result<StoredExplanation, ExplanationError> {
        let explanation: StoredExplanation = serde_json::from_str(text)?;
        if explanation.version != EXPLANATION_VERSION {
            return Err(ExplanationError::UnknownVersion(explanation.version));
        }
        Ok(explanation)
    }
}

/// The configuration with the run's thresholds.
pub fn register_config(config_text: &str, lower: f64, upper: f64) -> Result<LinkConfig, MatchError> {
    LinkConfig::parse(&format!("{config_text}\n[thresholds]\nmatch = {upper:?}\nreview = {lower:?}\n"))
}

fn name_parts(name: Option<&FullName>) -> [String; 3] {
    match name {
        Some(n) => [
            n.surname.as_str().to_owned(),
            n.given_names.as_ref().map(|p| p.as_str().to_owned()).unwrap_or_default(),
            n.patronymic.as_ref().map(|p| p.as_str().to_owned()).unwrap_or_default(),
        ],
        None => [String::new(), String::new(), String::new()],
    }
}

/// A person as a linkage record. The native rendering is preferred (it carries the patronymic
/// more often); names compare across scripts through their keys either way.
pub fn link_record(p: &LinkPerson) -> Record {
    person_record(&p.id.to_string(), &p.details, p.documents.first().map(|d| &d.number))
}

/// A person's details and (first) document number as a linkage record with the id `id`, in the
/// register's columns.
pub(crate) fn person_record(id: &str, details: &PersonDetails, document: Option<&DocumentNumber>) -> Record {
    let name = details.name.native().or(details.name.latin());
    let [surname, given, patronymic] = name_parts(name);
    Record {
        id: id.to_owned(),
        values: vec![
            id.to_owned(),
            surname,
            given,
            patronymic,
            details.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            details.sex.code().to_owned(),
            details.citizenship.code().to_owned(),
            document.map(|d| d.as_str().to_owned()).unwrap_or_default(),
        ],
    }
}

/// A table of `records` in the register's columns.
pub(crate) fn register_table(records: Vec<Record>) -> Result<Table, MatchError> {
    table(records)
}

fn table(records: Vec<Record>) -> Result<Table, MatchError> {
    Table::new(COLUMNS.iter().map(|c| (*c).to_owned()).collect(), records)
}

/// The decisions of the engine for the persons of a run, in their order.
#[derive(Debug, Default)]
struct Decisions {
    /// Per person linked: merges and proposals that came from them.
    per_person: Vec<(PersonId, Vec<AutoMerge>, Vec<ReviewProposal>)>,
    uncertain: usize,
    distinct: usize,
}

fn decide_all(
    config: LinkConfig,
    model: Model,
    persons: &[LinkPerson],
    non_matches: &NonMatches,
    relink_all: bool,
) -> Result<Decisions, LinkError> {
    let ids: HashMap<String, PersonId> = persons.iter().map(|p| (p.id.to_string(), p.id)).collect();
    let (known, new): (Vec<&LinkPerson>, Vec<&LinkPerson>) = persons.iter().partition(|p| p.linked && !relink_all);
    let mut register = LinkIndex::new(config, model, &table(known.iter().map(|p| link_record(p)).collect())?)?;
    let candidate_id = |record_id: &str| {
        ids.get(record_id).copied().ok_or_else(|| LinkError::StoredModel(format!("unknown record {record_id}")))
    };
    let mut out = Decisions::default();
    for p in new {
        let record = link_record(p);
        let mut merges = Vec::new();
        let mut proposals = Vec::new();
        match register.link(&record, non_matches)? {
            LinkOutcome::Match(c) => {
                merges.push(AutoMerge { a: p.id, b: candidate_id(&c.record_id)?, probability: c.probability });
            }
            LinkOutcome::Uncertain(candidates) => {
                out.uncertain += 1;
                for c in candidates {
                    let explanation = StoredExplanation::of(&c.explanation)
                        .to_stored()
                        .map_err(|e| LinkError::StoredModel(e.to_string()))?;
                    proposals.push(ReviewProposal {
                        a: p.id,
                        b: candidate_id(&c.record_id)?,
                        probability: c.probability,
                        weight: c.weight,
                        explanation,
                    });
                }
                register.insert(&record)?;
            }
            LinkOutcome::NewPerson { .. } => {
                out.distinct += 1;
                register.insert(&record)?;
            }
        }
        out.per_person.push((p.id, merges, proposals));
    }
    Ok(out)
}

/// The model to use: the stored one when it was fitted for this configuration on a register
/// not much smaller than today's, else one fitted now (and stored).
async fn model_for(
    store: &Store,
    persons: &[LinkPerson],
    refit: bool,
    at: Timestamp,
) -> Result<(StoredModel, Model, &'static str), LinkError> {
    if !refit && let Some(stored) = store.latest_link_model().await? {
        let grown = persons.len() as i64 >= REFIT_GROWTH.saturating_mul(stored.persons.max(1));
        if stored.config == REGISTER_LINK_CONFIG && !grown {
            let model: Model = serde_json::from_str(&stored.model)
                .map_err(|e| LinkError::StoredModel(format!("model {} does not parse: {e}", stored.id)))?;
            return Ok((stored, model, "stored"));
        }
    }
    if persons.len() < MIN_PERSONS_TO_FIT {
        return Err(LinkError::TooFewToFit { persons: persons.len(), needed: MIN_PERSONS_TO_FIT });
    }
    let records: Vec<Record> = persons.iter().map(link_record).collect();
    let model = tokio::task::spawn_blocking(move || -> Result<Model, LinkError> {
        let config = register_config(REGISTER_LINK_CONFIG, DEFAULT_LOWER, DEFAULT_UPPER)?;
        let all = table(records)?;
        let (model, _) = Linkage::new(&config, &all, None)?.fit()?;
        Ok(model)
    })
    .await
    .map_err(|e| StoreError::Worker(e.to_string()))??;
    let stored = StoredModel {
        id: Uuid::now_v7(),
        config: REGISTER_LINK_CONFIG.to_owned(),
        model: serde_json::to_string(&model).map_err(|e| LinkError::StoredModel(e.to_string()))?,
        persons: persons.len() as i64,
        fitted_at: at,
    };
    store.save_link_model(stored.clone()).await?;
    Ok((stored, model, "fitted"))
}

/// Links the persons created since the last run (every person with `relink_all`) against
/// everyone before them, merging, proposing for review or keeping distinct; see the module
/// documentation. `now` stamps the run, the model and the decisions.
async fn link_register(
    store: &Store,
    options: LinkOptions,
    clock: &dyn crate::Clock,
) -> Result<LinkSummary, LinkError> {
    let now = clock.now();
    let LinkOptions { lower, upper, refit, relink_all } = options;
    if !(lower > 0.0 && lower <= upper && upper <= 1.0) {
        return Err(LinkError::Thresholds { lower, upper });
    }
    let config = register_config(REGISTER_LINK_CONFIG, lower, upper)?;
    let started = Instant::now();
    let reattached = store.reattach_merged().await?;
    let persons = store.persons_for_linking().await?;
    let run_id = Uuid::now_v7();
    let mut summary = LinkSummary {
        run_id,
        persons: persons.len(),
        linked: 0,
        model: "none",
        model_persons: 0,
        lower,
        upper,
        merged: 0,
        proposed: 0,
        uncertain: 0,
        distinct: 0,
        non_matches: 0,
        reattached,
        elapsed: std::time::Duration::ZERO,
    };
    if !persons.iter().any(|p| relink_all || !p.linked) {
        summary.elapsed = started.elapsed();
        return Ok(summary);
    }
    let (stored, model, source) = model_for(store, &persons, refit, now).await?;
    summary.model = source;
    summary.model_persons = stored.persons;
    let confirmed = store.confirmed_non_matches().await?;
    summary.non_matches = confirmed.len();
    let mut non_matches = NonMatches::new();
    for (a, b) in &confirmed {
        non_matches.confirm(&a.to_string(), &b.to_string());
    }
    store.start_link_run(LinkRunStart { id: run_id, model_id: stored.id, started_at: now, lower, upper }).await?;
    let decisions = tokio::task::spawn_blocking(move || decide_all(config, model, &persons, &non_matches, relink_all))
        .await
        .map_err(|e| StoreError::Worker(e.to_string()))??;
    summary.uncertain = decisions.uncertain;
    summary.distinct = decisions.distinct;
    summary.linked = decisions.per_person.len();
    let mut rest = decisions.per_person.as_slice();
    while !rest.is_empty() {
        let (chunk, tail) = rest.split_at(rest.len().min(CHUNK));
        rest = tail;
        let mut batch = LinkBatch { run_id, merges: Vec::new(), proposals: Vec::new(), linked: Vec::new(), at: now };
        for (id, merges, proposals) in chunk {
            batch.linked.push(*id);
            batch.merges.extend_from_slice(merges);
            batch.proposals.extend(proposals.iter().cloned());
        }
        let outcome = store.apply_link_batch(batch).await?;
        summary.merged += outcome.merged;
        summary.proposed += outcome.proposed;
    }
    store.finish_link_run(run_id, clock.now()).await?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Who may start a linking run.
const LINKERS: &[sapar_model::Role] = &[sapar_model::Role::Officer, sapar_model::Role::Admin];

impl Register {
    /// Links the persons recorded since the last run (every person with `relink_all`) against
    /// everyone before them; see the module documentation.
    pub async fn link(&self, actor: &Actor, options: LinkOptions) -> Result<LinkSummary, LinkError> {
        actor.require(LINKERS, "start a linking run").map_err(LinkError::Register)?;
        link_register(&self.store, options, self.clock.as_ref()).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_register_configuration_parses_with_any_valid_thresholds() {
        let config = register_config(REGISTER_LINK_CONFIG, 0.5, 0.99).unwrap();
        assert_eq!((config.thresholds().review, config.thresholds().match_at), (0.5, 0.99));
        let config = register_config(REGISTER_LINK_CONFIG, 1e-5, 1.0).unwrap();
        assert_eq!((config.thresholds().review, config.thresholds().match_at), (1e-5, 1.0));
        let names: Vec<&str> = config.fields().iter().map(|f| f.column()).collect();
        assert_eq!(names, &COLUMNS[1..]);
    }

    #[test]
    fn an_explanation_written_before_versions_reads_as_version_1_and_an_unknown_version_is_refused() {
        let legacy = r#"{"prior_weight":-12.3,"weight":4.5,"probability":0.9,"fields":[{"field":"surname","level":"exact","weight":8.1,"rarity_weighted":true}],"summary":"prior (-12.30)"}"#;
        let read = StoredExplanation::from_stored(legacy).unwrap();
        assert_eq!((read.version, read.fields.len(), read.fields[0].rarity_weighted), (1, 1, true));
        let again = StoredExplanation::from_stored(&read.to_stored().unwrap()).unwrap();
        assert_eq!(again, read);
        let future = legacy.replacen('{', r#"{"version":2,"#, 1);
        assert!(matches!(StoredExplanation::from_stored(&future), Err(ExplanationError::UnknownVersion(2))));
        assert!(matches!(StoredExplanation::from_stored("[1,2]"), Err(ExplanationError::Malformed(_))));
    }
}
