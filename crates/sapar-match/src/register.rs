//! Incremental linking for a register: an index of the persons already known, and for each
//! incoming record a decision (same person, new person, or uncertain for review) that never
//! proposes a pair an officer has confirmed to be different people.

use std::collections::{HashMap, HashSet};

use crate::blocking::record_key;
use crate::compare::{RecordView, SideRecord, ValRef};
use crate::config::LinkConfig;
use crate::error::MatchError;
use crate::features::{Column, NULL, Prepared, Probe, Record, Side, Table};
use crate::model::{Explanation, Model, Scorer, probability_from_weight};

/// Pairs of record identifiers confirmed to be different people, in either order.
#[derive(Debug, Clone, Default)]
pub struct NonMatches {
    pairs: HashSet<(String, String)>,
}

impl NonMatches {
    /// An empty set.
    pub fn new() -> NonMatches {
        NonMatches::default()
    }
    /// Records that `a` and `b` are different people.
    pub fn confirm(&mut self, a: &str, b: &str) {
        self.pairs.insert(NonMatches::ordered(a, b));
    }
    /// Whether `a` and `b` were confirmed different.
    pub fn contains(&self, a: &str, b: &str) -> bool {
        self.pairs.contains(&NonMatches::ordered(a, b))
    }
    /// Number of confirmed pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }
    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
    fn ordered(a: &str, b: &str) -> (String, String) {
        if a <= b { (a.to_string(), b.to_string()) } else { (b.to_string(), a.to_string()) }
    }
}

/// A known record that may be the incoming person.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Identifier of the known record.
    pub record_id: String,
    /// Match probability.
    pub probability: f64,
    /// Match weight.
    pub weight: f64,
    /// Why.
    pub explanation: Explanation,
}

/// What to do with an incoming record.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkOutcome {
    /// One known record reaches the match threshold and no other does.
    Match(Candidate),
    /// Candidates between the review and match thresholds, or several above the match
    /// threshold: an officer decides. Best first.
    Uncertain(Vec<Candidate>),
    /// Nobody reaches the review threshold: a new person. The nearest candidate, if any, is given
    /// for information.
    NewPerson {
        /// Best candidate below the review threshold.
        nearest: Option<Candidate>,
    },
}

struct ProbeRecord<'a> {
    probes: &'a [Probe],
    columns: &'a [Column],
}

impl RecordView for ProbeRecord<'_> {
    fn value(&self, field: usize) -> Option<ValRef<'_>> {
        match &self.probes[field] {
            Probe::Null => None,
            Probe::Known(id) => Some(ValRef { id: *id, v: &self.columns[field].values[*id as usize] }),
            Probe::New(v) => Some(ValRef { id: NULL, v }),
        }
    }
}

/// A fitted model with an index of known records.
#[derive(Debug)]
pub struct Register {
    config: LinkConfig,
    model: Model,
    scorer: Scorer,
    layout: Vec<String>,
    field_columns: Vec<usize>,
    columns: Vec<Column>,
    side: Side,
    by_id: HashMap<String, u32>,
    index: Vec<HashMap<u64, Vec<u32>>>,
}

impl Register {
    /// Indexes the known records of `existing`; incoming records must use the same column layout.
    pub fn new(config: LinkConfig, model: Model, existing: &Table) -> Result<Register, MatchError> {
        model.check(&config)?;
        let prepared = Prepared::new(&config, existing, None)?;
        let field_columns = config
            .fields
            .iter()
            .map(|f| existing.column_index(&f.column, "register"))
            .collect::<Result<Vec<_>, _>>()?;
        let scorer = Scorer::new(&model, &config.fields);
        let Prepared { columns, left: side, .. } = prepared;
        let mut index: Vec<HashMap<u64, Vec<u32>>> = vec![HashMap::new(); config.blocking.len()];
        for i in 0..side.len() {
            let rec = SideRecord { side: &side, columns: &columns, index: i };
            for (r, rule) in config.blocking.iter().enumerate() {
                let k = record_key(rule, &rec);
                if k != 0 {
                    index[r].entry(k).or_default().push(i as u32);
                }
            }
        }
        let by_id = side.ids.iter().enumerate().map(|(i, id)| (id.clone(), i as u32)).collect();
        Ok(Register {
            config,
            model,
            scorer,
            layout: existing.columns().to_vec(),
            field_columns,
            columns,
            side,
            by_id,
            index,
        })
    }

    /// Number of known records.
    pub fn len(&self) -> usize {
        self.side.len()
    }

    /// Whether no record is known.
    pub fn is_empty(&self) -> bool {
        self.side.len() == 0
    }

    /// The column layout incoming records must follow.
    pub fn columns(&self) -> &[String] {
        &self.layout
    }

    fn check_width(&self, record: &Record) -> Result<(), MatchError> {
        if record.values.len() != self.layout.len() {
            return Err(MatchError::RecordWidth {
                record: record.id.clone(),
                got: record.values.len(),
                expected: self.layout.len(),
            });
        }
        Ok(())
    }

    /// Adds a record to the known ones (e.g. once a decision made it a new person).
    pub fn insert(&mut self, record: &Record) -> Result<(), MatchError> {
        self.check_width(record)?;
        if self.by_id.contains_key(&record.id) {
            return Err(MatchError::DuplicateId { source_name: "register".into(), id: record.id.clone() });
        }
        let i = self.side.len() as u32;
        for (f, &c) in self.field_columns.iter().enumerate() {
            let id = self.columns[f].intern(&record.values[c]);
            self.side.values[f].push(id);
        }
        self.side.ids.push(record.id.clone());
        self.by_id.insert(record.id.clone(), i);
        let rec = SideRecord { side: &self.side, columns: &self.columns, index: i as usize };
        for (r, rule) in self.config.blocking.iter().enumerate() {
            let k = record_key(rule, &rec);
            if k != 0 {
                self.index[r].entry(k).or_default().push(i);
            }
        }
        Ok(())
    }

    /// Decides what an incoming record is, never proposing a known record confirmed in
    /// `non_matches` to be a different person from it.
    pub fn link(&self, record: &Record, non_matches: &NonMatches) -> Result<LinkOutcome, MatchError> {
        self.check_width(record)?;
        let probes: Vec<Probe> =
            self.field_columns.iter().enumerate().map(|(f, &c)| self.columns[f].probe(&record.values[c])).collect();
        let probe = ProbeRecord { probes: &probes, columns: &self.columns };
        let mut seen: HashSet<u32> = HashSet::new();
        let mut candidates = Vec::new();
        for (r, rule) in self.config.blocking.iter().enumerate() {
            let k = record_key(rule, &probe);
            if k == 0 {
                continue;
            }
            let Some(block) = self.index[r].get(&k) else { continue };
            for &j in block {
                if !seen.insert(j) {
                    continue;
                }
                let id = &self.side.ids[j as usize];
                if *id == record.id || non_matches.contains(&record.id, id) {
                    continue;
                }
                let known = SideRecord { side: &self.side, columns: &self.columns, index: j as usize };
                let (pattern, weight) = self.scorer.score(&self.columns, &probe, &known);
                candidates.push((weight, j, pattern));
            }
        }
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let t = self.config.thresholds;
        let make = |(weight, j, pattern): (f64, u32, u64)| Candidate {
            record_id: self.side.ids[j as usize].clone(),
            probability: probability_from_weight(weight),
            weight,
            explanation: self.scorer.explain(&self.model, &self.columns, pattern, &probe),
        };
        let above = |p: f64| candidates.iter().take_while(|c| probability_from_weight(c.0) >= p).count();
        let matches = above(t.match_at);
        let reviews = above(t.review);
        Ok(if matches == 1 {
            LinkOutcome::Match(make(candidates[0]))
        } else if reviews > 0 {
            LinkOutcome::Uncertain(candidates[..reviews].iter().copied().map(make).collect())
        } else {
            LinkOutcome::NewPerson { nearest: candidates.first().copied().map(make) }
        })
    }
}
