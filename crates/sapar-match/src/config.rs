//! The `LINK.toml` configuration: which columns hold which fields, how each field is compared,
//! how candidate pairs are blocked, how the model is trained and where the thresholds lie.

use serde::Deserialize;

use crate::error::MatchError;

/// Most fields one model can hold: a comparison pattern packs four bits per field into a `u64`.
pub const MAX_FIELDS: usize = 16;

/// How the values of one field are compared; each kind has its own graded levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Personal names in any script: exact, same scheme-invariant key, Jaro-Winkler bands,
    /// optionally swapped with another name field.
    Name,
    /// Dates: exact, day and month swapped, one digit off, within a year.
    Date,
    /// Document or social security numbers: exact, then edit-distance bands.
    Identifier,
    /// Codes such as sex, state or citizenship: exact or not.
    Categorical,
    /// Free text such as an address line: exact, then Jaro-Winkler bands.
    Text,
}

/// How a blocking key is derived from one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyTransform {
    /// The normalised value.
    Value,
    /// The scheme-invariant key (names) or the normalised value (other kinds).
    Key,
    /// First letter of the key.
    Initial,
    /// First three letters of the key.
    Prefix3,
    /// Year of a date.
    Year,
    /// Year plus the unordered pair (day, month): survives a day/month swap.
    YearDayMonthUnordered,
    /// Month and day of a date (survives a wrong year).
    MonthDay,
}

impl KeyTransform {
    fn parse(s: &str) -> Option<KeyTransform> {
        Some(match s {
            "value" => KeyTransform::Value,
            "key" => KeyTransform::Key,
            "initial" => KeyTransform::Initial,
            "prefix3" => KeyTransform::Prefix3,
            "year" => KeyTransform::Year,
            "year_dm" => KeyTransform::YearDayMonthUnordered,
            "month_day" => KeyTransform::MonthDay,
            _ => return None,
        })
    }
}

/// One field as written in the configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FieldConfig {
    /// Name used in explanations and blocking rules.
    pub name: String,
    /// Column of the input holding the value; defaults to `name`.
    pub column: Option<String>,
    /// Comparison kind.
    pub kind: FieldKind,
    /// Weigh exact (and same-key) agreement by how rare the value is.
    #[serde(default)]
    pub term_frequency: bool,
    /// Another name field: agreement of this field with that one on the other side is a level
    /// of its own (given name and surname swapped).
    pub swap_with: Option<String>,
    /// Similarity thresholds, best first: Jaro-Winkler for names and text, maximum edits for
    /// identifiers. Defaults per kind.
    pub thresholds: Option<Vec<f64>>,
}

/// A blocking rule as written: keys such as `"surname:key"` or `"date_of_birth"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleConfig {
    /// Keys that must all agree; `field` or `field:transform`.
    pub keys: Vec<String>,
    /// The keys may agree in any order (e.g. given name and surname swapped).
    #[serde(default)]
    pub unordered: bool,
}

/// Model training settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TrainingConfig {
    /// Blocking rules whose pairs train the m probabilities by expectation maximisation; a
    /// field's m is learnt only from rules that do not use it.
    pub em_rules: Vec<RuleConfig>,
    /// Rules whose pairs are almost surely matches; their count fixes the prior.
    pub deterministic_rules: Vec<RuleConfig>,
    /// Share of all true matches the deterministic rules are believed to find.
    #[serde(default = "default_recall")]
    pub deterministic_recall: f64,
    /// Random pairs drawn to estimate the u probabilities.
    #[serde(default = "default_u_pairs")]
    pub u_sample_pairs: usize,
    /// Pairs per EM rule beyond which a deterministic sample is used.
    #[serde(default = "default_em_pairs")]
    pub em_max_pairs: usize,
    /// Seed of every random choice, so a re-run gives the same model.
    #[serde(default)]
    pub seed: u64,
}

fn default_recall() -> f64 {
    0.9
}
fn default_u_pairs() -> usize {
    1_000_000
}
fn default_em_pairs() -> usize {
    2_000_000
}

/// Decision thresholds on the match probability.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// At or above: a match.
    #[serde(rename = "match")]
    pub match_at: f64,
    /// At or above (and below `match`): a pair for human review.
    pub review: f64,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds { match_at: 0.99, review: 0.5 }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    id_column: String,
    fields: Vec<FieldConfig>,
    blocking: Vec<RuleConfig>,
    training: TrainingConfig,
    #[serde(default)]
    thresholds: Option<Thresholds>,
    #[serde(default)]
    one_to_one: bool,
}

/// A field after checking: kind, thresholds and references resolved.
#[derive(Debug, Clone)]
pub struct FieldSpec {
    pub(crate) name: String,
    pub(crate) column: String,
    pub(crate) kind: FieldKind,
    pub(crate) term_frequency: bool,
    pub(crate) swap_with: Option<usize>,
    pub(crate) thresholds: Vec<f64>,
}

impl FieldSpec {
    /// Field name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Input column.
    pub fn column(&self) -> &str {
        &self.column
    }
    /// Comparison kind.
    pub fn kind(&self) -> FieldKind {
        self.kind
    }
}

/// One part of a blocking key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyPart {
    pub(crate) field: usize,
    pub(crate) transform: KeyTransform,
}

/// A checked blocking rule: pairs agreeing on every key part are candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockingRule {
    pub(crate) parts: Vec<KeyPart>,
    pub(crate) unordered: bool,
    pub(crate) text: String,
}

impl BlockingRule {
    /// The rule as written in the configuration.
    pub fn text(&self) -> &str {
        &self.text
    }
    pub(crate) fn uses_field(&self, field: usize) -> bool {
        self.parts.iter().any(|p| p.field == field)
    }
}

/// A checked configuration.
#[derive(Debug, Clone)]
pub struct LinkConfig {
    pub(crate) id_column: String,
    pub(crate) fields: Vec<FieldSpec>,
    pub(crate) blocking: Vec<BlockingRule>,
    pub(crate) em_rules: Vec<BlockingRule>,
    pub(crate) deterministic_rules: Vec<BlockingRule>,
    pub(crate) deterministic_recall: f64,
    pub(crate) u_sample_pairs: usize,
    pub(crate) em_max_pairs: usize,
    pub(crate) seed: u64,
    pub(crate) thresholds: Thresholds,
    pub(crate) one_to_one: bool,
}

impl LinkConfig {
    /// Parses and checks a `LINK.toml` text.
    pub fn parse(text: &str) -> Result<LinkConfig, MatchError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| MatchError::Config(e.to_string()))?;
        LinkConfig::from_raw(raw)
    }

    fn from_raw(raw: RawConfig) -> Result<LinkConfig, MatchError> {
        if raw.fields.is_empty() {
            return Err(MatchError::Config("at least one field is needed".into()));
        }
        if raw.fields.len() > MAX_FIELDS {
            return Err(MatchError::Config(format!(
                "at most {MAX_FIELDS} fields are supported, got {}",
                raw.fields.len()
            )));
        }
        let index_of = |name: &str| raw.fields.iter().position(|f| f.name == name);
        let mut fields = Vec::with_capacity(raw.fields.len());
        for (i, f) in raw.fields.iter().enumerate() {
            if index_of(&f.name) != Some(i) {
                return Err(MatchError::Config(format!("field {:?} is declared twice", f.name)));
            }
            let swap_with = match &f.swap_with {
                None => None,
                Some(other) => {
                    let j = index_of(other).ok_or_else(|| {
                        MatchError::Config(format!("field {:?}: swap_with names unknown field {other:?}", f.name))
                    })?;
                    if f.kind != FieldKind::Name || raw.fields[j].kind != FieldKind::Name {
                        return Err(MatchError::Config(format!(
                            "field {:?}: swap_with needs two fields of kind name",
                            f.name
                        )));
                    }
                    Some(j)
                }
            };
            let thresholds = match &f.thresholds {
                Some(t) => t.clone(),
                None => match f.kind {
                    FieldKind::Name => vec![0.92, 0.88, 0.7],
                    FieldKind::Text => vec![0.9, 0.7],
                    FieldKind::Identifier => vec![1.0, 2.0],
                    FieldKind::Date | FieldKind::Categorical => Vec::new(),
                },
            };
            if thresholds.windows(2).any(|w| match f.kind {
                FieldKind::Identifier => w[0] >= w[1],
                _ => w[0] <= w[1],
            }) {
                return Err(MatchError::Config(format!(
                    "field {:?}: thresholds must go from strictest to loosest",
                    f.name
                )));
            }
            let levels = thresholds.len() + 4;
            if levels > 15 {
                return Err(MatchError::Config(format!("field {:?}: too many thresholds", f.name)));
            }
            fields.push(FieldSpec {
                name: f.name.clone(),
                column: f.column.clone().unwrap_or_else(|| f.name.clone()),
                kind: f.kind,
                term_frequency: f.term_frequency,
                swap_with,
                thresholds,
            });
        }
        let rules = |list: &[RuleConfig], what: &str| -> Result<Vec<BlockingRule>, MatchError> {
            list.iter().enumerate().map(|(i, r)| parse_rule(r, &fields, &format!("{what} rule {}", i + 1))).collect()
        };
        let blocking = rules(&raw.blocking, "blocking")?;
        if blocking.is_empty() {
            return Err(MatchError::Config("at least one blocking rule is needed".into()));
        }
        let em_rules = rules(&raw.training.em_rules, "training em")?;
        if em_rules.is_empty() {
            return Err(MatchError::Config("at least one training em rule is needed".into()));
        }
        let deterministic_rules = rules(&raw.training.deterministic_rules, "training deterministic")?;
        if deterministic_rules.is_empty() {
            return Err(MatchError::Config("at least one deterministic rule is needed".into()));
        }
        let recall = raw.training.deterministic_recall;
        if !(recall > 0.0 && recall <= 1.0) {
            return Err(MatchError::Config(format!("deterministic_recall must be in (0, 1], got {recall}")));
        }
        let thresholds = raw.thresholds.unwrap_or_default();
        if !(0.0..=1.0).contains(&thresholds.review)
            || !(0.0..=1.0).contains(&thresholds.match_at)
            || thresholds.review > thresholds.match_at
        {
            return Err(MatchError::Config("thresholds need 0 <= review <= match <= 1".into()));
        }
        Ok(LinkConfig {
            id_column: raw.id_column,
            fields,
            blocking,
            em_rules,
            deterministic_rules,
            deterministic_recall: recall,
            u_sample_pairs: raw.training.u_sample_pairs.max(1000),
            em_max_pairs: raw.training.em_max_pairs.max(1000),
            seed: raw.training.seed,
            thresholds,
            one_to_one: raw.one_to_one,
        })
    }

    /// Column holding the record identifier.
    pub fn id_column(&self) -> &str {
        &self.id_column
    }
    /// Fields in model order.
    pub fn fields(&self) -> &[FieldSpec] {
        &self.fields
    }
    /// Blocking rules that generate the candidate pairs.
    pub fn blocking(&self) -> &[BlockingRule] {
        &self.blocking
    }
    /// Decision thresholds.
    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }
    /// Whether linking two sources keeps at most one partner per record.
    pub fn one_to_one(&self) -> bool {
        self.one_to_one
    }
}

fn parse_rule(r: &RuleConfig, fields: &[FieldSpec], what: &str) -> Result<BlockingRule, MatchError> {
    if r.keys.is_empty() {
        return Err(MatchError::Config(format!("{what}: no keys")));
    }
    let mut parts = Vec::with_capacity(r.keys.len());
    for k in &r.keys {
        let (field, transform) = match k.split_once(':') {
            Some((f, t)) => (f, t),
            None => (k.as_str(), "value"),
        };
        let fi = fields
            .iter()
            .position(|f| f.name == field)
            .ok_or_else(|| MatchError::Config(format!("{what}: unknown field {field:?}")))?;
        let transform = KeyTransform::parse(transform).ok_or_else(|| {
            MatchError::Config(format!(
                "{what}: unknown key transform {transform:?} (expected value, key, initial, prefix3, year, year_dm or month_day)"
            ))
        })?;
        let date_only =
            matches!(transform, KeyTransform::Year | KeyTransform::YearDayMonthUnordered | KeyTransform::MonthDay);
        if date_only && fields[fi].kind != FieldKind::Date {
            return Err(MatchError::Config(format!("{what}: transform of {k:?} needs a date field")));
        }
        parts.push(KeyPart { field: fi, transform });
    }
    let text = if r.unordered { format!("any order of {}", r.keys.join(" + ")) } else { r.keys.join(" + ") };
    Ok(BlockingRule { parts, unordered: r.unordered, text })
}
