//! Name tables derived by hand: romanisation per scheme, keys, name parts, similarity relations.

use sapar_identity::{Scheme, full_name_similarity, latin_forms, name_key, name_similarity, split_full_name, to_latin};

use crate::golden;

fn rows(file: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(golden::test_data("names").join(file)).expect("table");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

#[test]
fn every_scheme_romanises_as_the_hand_made_table_says() {
    let rows = rows("schemes.tsv");
    assert!(rows.len() >= 40);
    let mut failures = Vec::new();
    for row in &rows {
        assert_eq!(row.len(), 7, "{row:?}");
        for (scheme, expected) in Scheme::ALL.into_iter().zip(&row[1..]) {
            let actual = to_latin(&row[0], scheme);
            if actual != *expected {
                failures.push(format!("{} under {scheme}: got {actual}, expected {expected}", row[0]));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rendering_in_the_table_shares_the_key_of_its_source() {
    for row in rows("schemes.tsv") {
        let key = name_key(&row[0]);
        for form in &row[1..] {
            assert_eq!(name_key(form), key, "{} vs {form}", row[0]);
        }
    }
}

#[test]
fn latin_forms_list_each_distinct_rendering_once() {
    for row in rows("schemes.tsv") {
        let forms = latin_forms(&row[0]);
        let mut distinct: Vec<&String> = row[1..].iter().collect();
        distinct.sort();
        distinct.dedup();
        assert_eq!(forms.len(), distinct.len(), "{}: {forms:?}", row[0]);
        for (scheme, form) in &forms {
            assert_eq!(*form, to_latin(&row[0], *scheme));
        }
    }
}

#[test]
fn keys_match_the_hand_derived_table() {
    for row in rows("keys.tsv") {
        assert_eq!(name_key(&row[0]), row[1], "{}", row[0]);
    }
}

#[test]
fn full_names_split_as_the_table_says() {
    for row in rows("parts.tsv") {
        let parts = split_full_name(&row[0]);
        assert_eq!(parts.surname, row[1], "surname of {}", row[0]);
        assert_eq!(parts.given_names, row[2], "given names of {}", row[0]);
        let patronymic = if row[3] == "-" { None } else { Some(row[3].clone()) };
        assert_eq!(parts.patronymic, patronymic, "patronymic of {}", row[0]);
    }
}

#[test]
fn name_pairs_compare_as_the_table_says() {
    for row in rows("similarity.tsv") {
        let s = name_similarity(&row[0], &row[1]);
        let back = name_similarity(&row[1], &row[0]);
        assert!((s - back).abs() < 1e-12, "not symmetric: {} {}", row[0], row[1]);
        match row[2].as_str() {
            "same" => assert_eq!(s, 1.0, "{} {}", row[0], row[1]),
            "close" => assert!((0.9..1.0).contains(&s) || s == 1.0, "{} {}: {s}", row[0], row[1]),
            "apart" => assert!(s < 0.85, "{} {}: {s}", row[0], row[1]),
            other => panic!("unknown relation {other}"),
        }
    }
}

#[test]
fn full_names_match_across_order_scripts_and_missing_patronymic() {
    let c = full_name_similarity("Жанұзақов Ерлан Болатұлы", "YERLAN ZHANUZAKOV");
    assert!(c.same_key);
    assert_eq!(c.similarity, 1.0);

    let c = full_name_similarity("Иванова Юлия Сергеевна", "IVANOVA IULIIA SERGEEVNA");
    assert!(c.same_key);

    let c = full_name_similarity("Иванова Юлия Сергеевна", "IVANOVA IULIIA PETROVNA");
    assert!(!c.same_key);
    assert!(c.similarity < 1.0);

    let c = full_name_similarity("ERIKSSON<<ANNA<MARIA", "ANNA ERIKSSON");
    assert!(!c.same_key, "a missing given name is not the same key");
    assert!(c.similarity > 0.7, "{}", c.similarity);

    let c = full_name_similarity("Иванов Иван", "Петров Пётр");
    assert!(c.similarity < 0.8, "{}", c.similarity);
}
