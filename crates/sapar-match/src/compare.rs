//! Comparison of two records field by field into graded levels, packed as a comparison
//! pattern (four bits per field) that the model weighs.

use crate::config::{FieldKind, FieldSpec};
use crate::features::{Column, NULL, Side, Value};
use crate::text::{jaro_winkler, osa_distance_capped};

/// The level of a field when either value is missing; it carries no weight.
pub(crate) const NULL_LEVEL: u8 = 15;

/// Which frequency replaces `u` at a level when term-frequency adjustment is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TermFrequency {
    /// No adjustment.
    None,
    /// Frequency of the exact value.
    Value,
    /// Frequency of the scheme-invariant key.
    Key,
}

/// A level of one field as defined by its kind and thresholds.
#[derive(Debug, Clone)]
pub(crate) struct LevelDef {
    pub(crate) label: String,
    pub(crate) tf: TermFrequency,
}

/// The levels of a field, best first; the last is "different".
pub(crate) fn level_defs(spec: &FieldSpec, fields: &[FieldSpec]) -> Vec<LevelDef> {
    let tf = |t| if spec.term_frequency { t } else { TermFrequency::None };
    let plain = |label: String| LevelDef { label, tf: TermFrequency::None };
    let mut out = vec![LevelDef { label: "exact".into(), tf: tf(TermFrequency::Value) }];
    match spec.kind {
        FieldKind::Name => {
            out.push(LevelDef { label: "same name key across scripts".into(), tf: tf(TermFrequency::Key) });
            if let Some(o) = spec.swap_with {
                out.push(plain(format!("swapped with {}", fields[o].name)));
            }
            for t in &spec.thresholds {
                out.push(plain(format!("similar (jaro-winkler >= {t})")));
            }
        }
        FieldKind::Date => {
            out.push(plain("day and month swapped".into()));
            out.push(plain("one digit different".into()));
            out.push(plain("within a year".into()));
        }
        FieldKind::Identifier => {
            for t in &spec.thresholds {
                out.push(plain(format!("at most {t} edits")));
            }
        }
        FieldKind::Text => {
            for t in &spec.thresholds {
                out.push(plain(format!("similar (jaro-winkler >= {t})")));
            }
        }
        FieldKind::Categorical => {}
    }
    out.push(plain("different".into()));
    out
}

/// A value of a record seen by the comparator: its id in the column ([`NULL`] for a value not
/// interned) and its features.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ValRef<'a> {
    pub(crate) id: u32,
    pub(crate) v: &'a Value,
}

/// Anything that can hand out a record's values field by field.
pub(crate) trait RecordView {
    fn value(&self, field: usize) -> Option<ValRef<'_>>;
}

/// A record of a prepared side.
#[derive(Clone, Copy)]
pub(crate) struct SideRecord<'a> {
    pub(crate) side: &'a Side,
    pub(crate) columns: &'a [Column],
    pub(crate) index: usize,
}

impl RecordView for SideRecord<'_> {
    #[inline]
    fn value(&self, field: usize) -> Option<ValRef<'_>> {
        let id = self.side.values[field][self.index];
        if id == NULL { None } else { Some(ValRef { id, v: &self.columns[field].values[id as usize] }) }
    }
}

/// Per-field comparison settings in a form cheap to consult in the inner loop.
#[derive(Debug, Clone)]
pub(crate) struct Comparator {
    fields: Vec<FieldCmp>,
}

#[derive(Debug, Clone)]
struct FieldCmp {
    kind: FieldKind,
    swap_with: Option<usize>,
    thresholds: Vec<f64>,
    max_edits: usize,
}

impl Comparator {
    pub(crate) fn new(specs: &[FieldSpec]) -> Comparator {
        Comparator {
            fields: specs
                .iter()
                .map(|s| FieldCmp {
                    kind: s.kind,
                    swap_with: s.swap_with,
                    thresholds: s.thresholds.clone(),
                    max_edits: s.thresholds.last().map_or(0, |t| *t as usize),
                })
                .collect(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.fields.len()
    }

    /// Level of one field for a pair of records.
    #[inline]
    pub(crate) fn level<A: RecordView, B: RecordView>(&self, f: usize, a: &A, b: &B) -> u8 {
        let (Some(x), Some(y)) = (a.value(f), b.value(f)) else {
            return NULL_LEVEL;
        };
        if x.id != NULL && x.id == y.id {
            return 0;
        }
        let fc = &self.fields[f];
        match fc.kind {
            FieldKind::Name => {
                if x.v.key != NULL && x.v.key == y.v.key {
                    return 1;
                }
                let mut level = 2u8;
                if let Some(o) = fc.swap_with {
                    // Key ids are local to a column, so across two fields the key texts are compared.
                    let crossed = |p: ValRef<'_>, q: Option<ValRef<'_>>| {
                        q.is_some_and(|q| p.v.text_hash == q.v.text_hash && p.v.text == q.v.text)
                    };
                    if crossed(x, b.value(o)) || crossed(y, a.value(o)) {
                        return level;
                    }
                    level += 1;
                }
                let s = jaro_winkler(&x.v.text, &y.v.text);
                for t in &fc.thresholds {
                    if s >= *t {
                        return level;
                    }
                    level += 1;
                }
                level
            }
            FieldKind::Date => match (x.v.date, y.v.date) {
                (Some(p), Some(q)) => {
                    if p.year == q.year && p.month == q.day && p.day == q.month {
                        1
                    } else if one_edit_apart(&p.digits(), &q.digits()) {
                        2
                    } else if (p.day_number() - q.day_number()).abs() <= 366 {
                        3
                    } else {
                        4
                    }
                }
                _ => {
                    if osa_distance_capped(&x.v.text, &y.v.text, 1) <= 1 {
                        2
                    } else {
                        4
                    }
                }
            },
            FieldKind::Identifier => {
                let d = osa_distance_capped(&x.v.text, &y.v.text, fc.max_edits);
                let mut level = 1u8;
                for t in &fc.thresholds {
                    if d as f64 <= *t {
                        return level;
                    }
                    level += 1;
                }
                level
            }
            FieldKind::Text => {
                let s = jaro_winkler(&x.v.text, &y.v.text);
                let mut level = 1u8;
                for t in &fc.thresholds {
                    if s >= *t {
                        return level;
                    }
                    level += 1;
                }
                level
            }
            FieldKind::Categorical => 1,
        }
    }

    /// The comparison pattern of a pair: four bits per field.
    #[inline]
    pub(crate) fn pattern<A: RecordView, B: RecordView>(&self, a: &A, b: &B) -> u64 {
        let mut p = 0u64;
        for f in 0..self.fields.len() {
            p |= u64::from(self.level(f, a, b)) << (4 * f);
        }
        p
    }
}

/// Whether two strings of equal length differ in one position or by one adjacent transposition
/// (an optimal-string-alignment distance of one, for fixed-width digits).
#[inline]
fn one_edit_apart(a: &[u8; 8], b: &[u8; 8]) -> bool {
    let mut first = None;
    let mut count = 0;
    for k in 0..8 {
        if a[k] != b[k] {
            if first.is_none() {
                first = Some(k);
            }
            count += 1;
        }
    }
    match (count, first) {
        (0 | 1, _) => true,
        (2, Some(k)) => k + 1 < 8 && a[k] == b[k + 1] && a[k + 1] == b[k],
        _ => false,
    }
}

/// Level of field `f` in a pattern.
#[inline]
pub(crate) fn level_of(pattern: u64, f: usize) -> u8 {
    ((pattern >> (4 * f)) & 0xF) as u8
}
