//! In-memory records and their prepared form: every distinct value of a field is interned once
//! with its precomputed comparison features (key, similarity text, parsed date), and records
//! become columns of `u32` value ids, so comparing a pair allocates nothing.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use crate::config::{FieldKind, FieldSpec, LinkConfig};
use crate::error::MatchError;
use crate::text::{normalise, normalise_identifier};

/// A fast non-cryptographic hasher for interning short strings (the inputs are not adversarial
/// enough to need SipHash here, and interning dominates preparation).
#[derive(Default)]
pub(crate) struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        self.0 = h;
    }
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Marks a missing value in a column of value ids.
pub(crate) const NULL: u32 = u32::MAX;

/// One input record: an identifier and its values in the order of the table's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Identifier, unique within its source.
    pub id: String,
    /// Values in column order; an empty string is a missing value.
    pub values: Vec<String>,
}

/// Records sharing one list of column names.
#[derive(Debug, Clone, Default)]
pub struct Table {
    columns: Vec<String>,
    records: Vec<Record>,
}

impl Table {
    /// Builds a table; every record must have one value per column.
    pub fn new(columns: Vec<String>, records: Vec<Record>) -> Result<Table, MatchError> {
        if let Some(r) = records.iter().find(|r| r.values.len() != columns.len()) {
            return Err(MatchError::RecordWidth { record: r.id.clone(), got: r.values.len(), expected: columns.len() });
        }
        Ok(Table { columns, records })
    }
    /// Column names.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }
    /// Records.
    pub fn records(&self) -> &[Record] {
        &self.records
    }
    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }
    /// Whether there are no records.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
    pub(crate) fn column_index(&self, column: &str, source_name: &str) -> Result<usize, MatchError> {
        self.columns.iter().position(|c| c == column).ok_or_else(|| MatchError::MissingColumn {
            source_name: source_name.to_string(),
            column: column.to_string(),
            available: self.columns.join(", "),
        })
    }
}

/// A calendar date as written in a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Date {
    pub(crate) year: u16,
    pub(crate) month: u8,
    pub(crate) day: u8,
}

impl Date {
    pub(crate) fn parse(s: &str) -> Option<Date> {
        // Up to three runs of digits, without allocating.
        let mut runs = [(0u32, 0usize); 3];
        let mut n = 0;
        let mut in_run = false;
        for c in s.chars() {
            if let Some(d) = c.to_digit(10) {
                if !in_run {
                    if n == 3 {
                        return None;
                    }
                    n += 1;
                    in_run = true;
                }
                let r = &mut runs[n - 1];
                if r.1 >= 9 {
                    return None;
                }
                *r = (r.0 * 10 + d, r.1 + 1);
            } else {
                in_run = false;
            }
        }
        let (y, m, d) = match (n, runs) {
            (1, [(v, 8), _, _]) => (v / 10000, (v / 100) % 100, v % 100),
            (3, [(y, 4), (m, _), (d, _)]) => (y, m, d),
            (3, [(d, _), (m, _), (y, 4)]) => (y, m, d),
            _ => return None,
        };
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1000..=9999).contains(&y) {
            return None;
        }
        Some(Date { year: y as u16, month: m as u8, day: d as u8 })
    }

    pub(crate) fn digits(self) -> [u8; 8] {
        let v = u32::from(self.year) * 10000 + u32::from(self.month) * 100 + u32::from(self.day);
        let mut out = [0u8; 8];
        let mut rest = v;
        for slot in out.iter_mut().rev() {
            *slot = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        out
    }

    /// Days since 0000-03-01 in the proleptic Gregorian calendar.
    pub(crate) fn day_number(self) -> i32 {
        let (y, m) = if self.month <= 2 {
            (i32::from(self.year) - 1, i32::from(self.month) + 9)
        } else {
            (i32::from(self.year), i32::from(self.month) - 3)
        };
        365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + i32::from(self.day) - 1
    }
}

/// Precomputed features of one distinct value.
#[derive(Debug, Clone)]
pub(crate) struct Value {
    /// What fuzzy similarity is computed on: the name key for names, the normalised text otherwise.
    pub(crate) text: Box<[u8]>,
    /// Id of the value's key in the column's key table (same key = same person across scripts).
    pub(crate) key: u32,
    /// Parsed date, for date fields.
    pub(crate) date: Option<Date>,
    /// Hashes of `text` and of its first three bytes, for blocking keys.
    pub(crate) text_hash: u64,
    pub(crate) prefix_hash: u64,
}

impl Value {
    pub(crate) fn new(text: String, key: u32, date: Option<Date>) -> Value {
        let text = text.into_bytes().into_boxed_slice();
        let text_hash = crate::blocking::hash_bytes(&text);
        let prefix_hash = crate::blocking::hash_bytes(&text[..text.len().min(3)]);
        Value { text, key, date, text_hash, prefix_hash }
    }
}

/// All distinct values of one field, their keys and how often each occurs.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub(crate) kind: FieldKind,
    index: FastMap<Box<str>, u32>,
    pub(crate) values: Vec<Value>,
    key_index: FastMap<Box<str>, u32>,
    pub(crate) key_text: Vec<Box<[u8]>>,
    /// Occurrences of each value and each key across all prepared records.
    pub(crate) value_count: Vec<u32>,
    pub(crate) key_count: Vec<u32>,
    pub(crate) total: u64,
}

impl Column {
    pub(crate) fn new(kind: FieldKind) -> Column {
        Column {
            kind,
            index: FastMap::default(),
            values: Vec::new(),
            key_index: FastMap::default(),
            key_text: Vec::new(),
            value_count: Vec::new(),
            key_count: Vec::new(),
            total: 0,
        }
    }

    /// The normalised form that decides exact equality.
    pub(crate) fn normalise(kind: FieldKind, raw: &str) -> String {
        match kind {
            FieldKind::Identifier => normalise_identifier(raw),
            FieldKind::Date => match Date::parse(raw) {
                Some(d) => String::from_utf8_lossy(&d.digits()).into_owned(),
                None => normalise(raw),
            },
            _ => normalise(raw),
        }
    }

    fn features(kind: FieldKind, norm: &str) -> (String, Option<Date>) {
        match kind {
            FieldKind::Name => (sapar_identity::name_key(norm), None),
            FieldKind::Date => (norm.to_string(), Date::parse(norm)),
            _ => (norm.to_string(), None),
        }
    }

    /// Looks a raw value up without adding it: `Ok(id)` when known, else its features.
    pub(crate) fn probe(&self, raw: &str) -> Probe {
        let norm = Column::normalise(self.kind, raw);
        if norm.is_empty() {
            return Probe::Null;
        }
        if let Some(&id) = self.index.get(norm.as_str()) {
            return Probe::Known(id);
        }
        let (key, date) = Column::features(self.kind, &norm);
        let key_id =
            if self.kind == FieldKind::Name { self.key_index.get(key.as_str()).copied().unwrap_or(NULL) } else { NULL };
        Probe::New(Value::new(key, key_id, date))
    }

    /// Interns a raw value (counting it) and returns its id, or [`NULL`] when missing.
    pub(crate) fn intern(&mut self, raw: &str) -> u32 {
        let norm = Column::normalise(self.kind, raw);
        if norm.is_empty() {
            return NULL;
        }
        self.total += 1;
        if let Some(&id) = self.index.get(norm.as_str()) {
            self.value_count[id as usize] += 1;
            if self.kind == FieldKind::Name {
                let key = self.values[id as usize].key;
                self.key_count[key as usize] += 1;
            }
            return id;
        }
        let (key, date) = Column::features(self.kind, &norm);
        if self.kind != FieldKind::Name {
            // Outside names the key is the value itself.
            let id = self.values.len() as u32;
            self.index.insert(norm.into_boxed_str(), id);
            self.values.push(Value::new(key, id, date));
            self.value_count.push(1);
            return id;
        }
        let key_id = match self.key_index.get(key.as_str()) {
            Some(&k) => k,
            None => {
                let k = self.key_text.len() as u32;
                self.key_index.insert(key.clone().into_boxed_str(), k);
                self.key_text.push(key.clone().into_bytes().into_boxed_slice());
                self.key_count.push(0);
                k
            }
        };
        self.key_count[key_id as usize] += 1;
        let id = self.values.len() as u32;
        self.index.insert(norm.into_boxed_str(), id);
        self.values.push(Value::new(key, key_id, date));
        self.value_count.push(1);
        id
    }

    /// Relative frequency of a value among all non-missing values.
    pub(crate) fn value_frequency(&self, id: u32) -> f64 {
        let c = self.value_count.get(id as usize).copied().unwrap_or(0).max(1);
        f64::from(c) / (self.total.max(1)) as f64
    }

    /// Relative frequency of a key among all non-missing values.
    pub(crate) fn key_frequency(&self, key: u32) -> f64 {
        let counts = if self.kind == FieldKind::Name { &self.key_count } else { &self.value_count };
        let c = counts.get(key as usize).copied().unwrap_or(0).max(1);
        f64::from(c) / (self.total.max(1)) as f64
    }
}

/// A value seen for the first time in an incoming record.
#[derive(Debug, Clone)]
pub(crate) enum Probe {
    Null,
    Known(u32),
    New(Value),
}

/// One side of a linkage: record ids and, per field, a column of value ids.
#[derive(Debug, Clone, Default)]
pub(crate) struct Side {
    pub(crate) ids: Vec<String>,
    pub(crate) values: Vec<Vec<u32>>,
}

impl Side {
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }
}

/// Both sides of a linkage (or one, to deduplicate) in prepared form.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub(crate) columns: Vec<Column>,
    pub(crate) left: Side,
    pub(crate) right: Option<Side>,
}

impl Prepared {
    /// Interns the values of one or two tables. With one table the linkage deduplicates it.
    pub fn new(config: &LinkConfig, left: &Table, right: Option<&Table>) -> Result<Prepared, MatchError> {
        let left_cols = resolve(config, left, "left")?;
        let right_cols = match right {
            Some(t) => Some(resolve(config, t, "right")?),
            None => None,
        };
        check_unique_ids(left, "left")?;
        if let Some(t) = right {
            check_unique_ids(t, "right")?;
        }
        let per_field: Vec<(Column, Vec<u32>, Option<Vec<u32>>)> = config
            .fields
            .par_iter()
            .enumerate()
            .map(|(f, spec)| {
                let mut col = Column::new(spec.kind);
                let l: Vec<u32> = left.records.iter().map(|r| col.intern(&r.values[left_cols[f]])).collect();
                let r = match (right, &right_cols) {
                    (Some(t), Some(rc)) => Some(t.records.iter().map(|r| col.intern(&r.values[rc[f]])).collect()),
                    _ => None,
                };
                (col, l, r)
            })
            .collect();
        let mut columns = Vec::with_capacity(per_field.len());
        let mut lv = Vec::with_capacity(per_field.len());
        let mut rv = Vec::with_capacity(per_field.len());
        for (c, l, r) in per_field {
            columns.push(c);
            lv.push(l);
            if let Some(r) = r {
                rv.push(r);
            }
        }
        let left_side = Side { ids: left.records.iter().map(|r| r.id.clone()).collect(), values: lv };
        let right_side = right.map(|t| Side { ids: t.records.iter().map(|r| r.id.clone()).collect(), values: rv });
        Ok(Prepared { columns, left: left_side, right: right_side })
    }

    /// Whether two sources are linked (rather than one deduplicated).
    pub fn is_link(&self) -> bool {
        self.right.is_some()
    }

    pub(crate) fn right_side(&self) -> &Side {
        self.right.as_ref().unwrap_or(&self.left)
    }

    /// Identifier of a record on the left (or only) side.
    pub fn left_id(&self, i: u32) -> &str {
        &self.left.ids[i as usize]
    }

    /// Identifier of a record on the right side (the left side when deduplicating).
    pub fn right_id(&self, j: u32) -> &str {
        &self.right_side().ids[j as usize]
    }

    /// Number of records on the left (or only) side.
    pub fn left_len(&self) -> usize {
        self.left.len()
    }

    /// Number of records on the right side (the left side when deduplicating).
    pub fn right_len(&self) -> usize {
        self.right_side().len()
    }
}

fn resolve(config: &LinkConfig, table: &Table, source_name: &str) -> Result<Vec<usize>, MatchError> {
    config.fields.iter().map(|f: &FieldSpec| table.column_index(&f.column, source_name)).collect()
}

fn check_unique_ids(table: &Table, source_name: &str) -> Result<(), MatchError> {
    let mut seen = std::collections::HashSet::with_capacity(table.len());
    for r in &table.records {
        if !seen.insert(r.id.as_str()) {
            return Err(MatchError::DuplicateId { source_name: source_name.to_string(), id: r.id.clone() });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_the_common_layouts() {
        let d = Date { year: 1985, month: 3, day: 7 };
        assert_eq!(Date::parse("19850307"), Some(d));
        assert_eq!(Date::parse("1985-03-07"), Some(d));
        assert_eq!(Date::parse("07.03.1985"), Some(d));
        assert_eq!(Date::parse("19851307"), None);
        assert_eq!(
            Date { year: 2000, month: 3, day: 1 }.day_number() - Date { year: 2000, month: 2, day: 28 }.day_number(),
            2
        );
    }
}
