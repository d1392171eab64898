//! Small tables and models built by hand for the tests.

use sapar_match::{FieldModel, LevelModel, LinkConfig, Model, Record, Table, TermFrequency};

pub(crate) const CONFIG: &str = r#"
id_column = "id"

[[fields]]
name = "surname"
kind = "name"
term_frequency = true

[[fields]]
name = "given_name"
kind = "name"

[[fields]]
name = "birth_date"
kind = "date"

[[blocking]]
keys = ["surname:key"]

[[blocking]]
keys = ["birth_date"]

[training]
[[training.em_rules]]
keys = ["birth_date"]

[[training.em_rules]]
keys = ["surname:key"]

[[training.deterministic_rules]]
keys = ["surname", "given_name", "birth_date"]

[thresholds]
match = 0.9
review = 0.2
"#;

pub(crate) fn config() -> LinkConfig {
    LinkConfig::parse(CONFIG).expect("test config parses")
}

pub(crate) fn table(rows: &[(&str, &str, &str, &str)]) -> Table {
    let columns = ["id", "surname", "given_name", "birth_date"].iter().map(|s| s.to_string()).collect();
    let records = rows
        .iter()
        .map(|(id, s, g, d)| Record {
            id: id.to_string(),
            values: vec![id.to_string(), s.to_string(), g.to_string(), d.to_string()],
        })
        .collect();
    Table::new(columns, records).expect("rectangular table")
}

fn levels(spec: &[(&str, f64, f64, TermFrequency)]) -> Vec<LevelModel> {
    spec.iter()
        .map(|(label, m, u, tf)| LevelModel { label: label.to_string(), m: *m, u: *u, term_frequency: *tf })
        .collect()
}

/// A model with plausible probabilities, matching [`CONFIG`].
pub(crate) fn model() -> Model {
    use TermFrequency::{Key, None as Plain, Value};
    let name_levels = |tf_value, tf_key| {
        levels(&[
            ("exact", 0.8, 0.01, tf_value),
            ("same name key across scripts", 0.1, 0.001, tf_key),
            ("similar (jaro-winkler >= 0.92)", 0.04, 0.002, Plain),
            ("similar (jaro-winkler >= 0.88)", 0.02, 0.003, Plain),
            ("similar (jaro-winkler >= 0.7)", 0.02, 0.05, Plain),
            ("different", 0.02, 0.934, Plain),
        ])
    };
    Model {
        fields: vec![
            FieldModel { name: "surname".into(), levels: name_levels(Value, Key) },
            FieldModel { name: "given_name".into(), levels: name_levels(Plain, Plain) },
            FieldModel {
                name: "birth_date".into(),
                levels: levels(&[
                    ("exact", 0.9, 0.0001, Plain),
                    ("day and month swapped", 0.02, 0.00001, Plain),
                    ("one digit different", 0.05, 0.001, Plain),
                    ("within a year", 0.02, 0.03, Plain),
                    ("different", 0.01, 0.96889, Plain),
                ]),
            },
        ],
        prior: 0.001,
    }
}
