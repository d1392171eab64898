//! Runs the hand-derived golden cases in `test_data/cases/*.toml` through the scenario boundary.

use std::path::Path;

use sapar_rules::RuleBook;
use sapar_rules::scenario::{ScenarioInput, evaluate_scenario};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    reason: String,
    input: ScenarioInput,
    expect: toml::Table,
}

fn to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) if s == "none" => Value::Null,
        other => serde_json::to_value(other).expect("toml values convert to json"),
    }
}

/// Compares one case; returns a description of every mismatch.
fn check(book: &RuleBook, case: &Case) -> Vec<String> {
    let mut problems = Vec::new();
    let result = evaluate_scenario(book, &case.input);
    let output = match &result {
        Ok(out) => serde_json::to_value(out).expect("answers serialise"),
        Err(err) => serde_json::to_value(err).expect("errors serialise"),
    };
    for (key, expected) in &case.expect {
        let expected = to_json(expected);
        let actual = match key.as_str() {
            "error" => output.get("code").cloned().filter(|_| result.is_err()).unwrap_or(Value::Null),
            "error_field" => output.get("field").cloned().unwrap_or(Value::Null),
            _ if result.is_err() => {
                problems.push(format!("expected an answer, got error {output}"));
                break;
            }
            "max_stay_days" => output["max_stay_if_entering"]["days"].clone(),
            "max_stay_last_day" => output["max_stay_if_entering"]["last_day"].clone(),
            "registration_due" => output["registration_due"]["due"].clone(),
            "purpose_covered" => output["purpose"]["covered"].clone(),
            "window" => {
                Value::Array(vec![output["checks"][0]["window_from"].clone(), output["checks"][0]["window_to"].clone()])
            }
            "rules" => {
                let mut ids: Vec<Value> =
                    output["rules"].as_array().into_iter().flatten().map(|r| r["id"].clone()).collect();
                ids.sort_by_key(Value::to_string);
                let mut want = expected.as_array().cloned().unwrap_or_default();
                want.sort_by_key(Value::to_string);
                if ids != want {
                    problems.push(format!("rules: expected {want:?}, got {ids:?}"));
                }
                continue;
            }
            other => match output.get(other) {
                Some(v) => v.clone(),
                None => {
                    problems.push(format!("unknown expectation key {other}"));
                    continue;
                }
            },
        };
        if actual != expected {
            problems.push(format!("{key}: expected {expected}, got {actual}"));
        }
    }
    if let (Err(err), None) = (&result, case.expect.get("error")) {
        problems.push(format!("unexpected error {err}"));
    }
    problems
}

#[test]
fn golden_cases_match_hand_derived_expectations() {
    let book = RuleBook::load_embedded().expect("embedded data loads");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("cases dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut total = 0;
    let mut failures = Vec::new();
    let mut names = std::collections::HashSet::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("case file reads");
        let cases: CaseFile = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for case in &cases.case {
            total += 1;
            assert!(names.insert(case.name.clone()), "duplicate case name {}", case.name);
            assert!(!case.reason.is_empty(), "{} has no reason", case.name);
            assert!(!case.expect.is_empty(), "{} expects nothing", case.name);
            for problem in check(&book, case) {
                failures.push(format!("{} ({}): {problem}", case.name, file.file_name().unwrap_or_default().display()));
            }
        }
    }
    assert!(total >= 45, "only {total} golden cases");
    assert!(failures.is_empty(), "{} of {total} golden cases failed:\n{}", failures.len(), failures.join("\n"));
}
