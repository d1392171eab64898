//! `sapar stay eval`: JSON scenario on stdin; the answer as text, or with `--json` as JSON (error
//! JSON and exit code 2 for an invalid scenario).

use std::io::Write;
use std::process::{Command, Stdio};

fn stay_eval(input: &str) -> (Option<i32>, serde_json::Value) {
    let output = run(&["stay", "eval", "--json"], input);
    let json = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    (output.status.code(), json)
}

fn run(args: &[&str], input: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sapar"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sapar runs");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write scenario");
    child.wait_with_output().expect("sapar finishes")
}

#[test]
fn stay_eval_answers_in_text_by_default() {
    let output = run(
        &["stay", "eval"],
        r#"{"host": "KAZ", "citizenship": "KGZ", "stays": [{"from": "2025-04-01", "to": "2025-05-10"}, {"from": "2025-05-17"}],
            "on": "2025-06-20"}"#,
    );
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout), EXPECTED_TEXT);
}

const EXPECTED_TEXT: &str = "\
KGZ citizen in KAZ on 2025-06-20: present, legal
  days used           75
  days left           15
  last legal day      2025-07-05
  registration due    2025-05-21 (3 working days from 2025-05-17; KAZ-REG-3WD)
checks:
  KAZ-EAEU-90-180  rolling 90/180: 75 of 90 days used in 2024-12-23..2025-06-20, 15 left
rules applied:
  KAZ-EAEU-90-180  stay rule, 2015-01-01..: Treaty on the Eurasian Economic Union of 29 May 2014; Rules of entry \
and stay of immigrants (Government Decree No. 148 of 21 January 2012): 90 days within 180 days
  KAZ-REG-3WD  registration rule, 2025-01-01..2026-06-30: Rules of entry and stay of immigrants (Government Decree \
No. 148): the receiving party registers the foreigner within 3 working days of arrival (eQonaq / migration police \
portal)
";

#[test]
fn stay_eval_text_errors_go_to_stderr_with_exit_code_2() {
    let output = run(
        &["stay", "eval"],
        r#"{"host": "KAZ", "citizenship": "UZB", "stays": [{"from": "2025-03-10", "to": "2025-03-05"}], "on": "2025-04-01"}"#,
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("error: exit_before_entry at stays[0].to: "), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn stay_eval_answers_a_scenario() {
    let (code, json) = stay_eval(
        r#"{"host": "KAZ", "citizenship": "KGZ", "stays": [{"from": "2025-04-01", "to": "2025-05-10"}, {"from": "2025-05-17"}],
            "permits": [], "on": "2025-06-20", "entering_on": null}"#,
    );
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(json["days_used"], 75);
    assert_eq!(json["days_left"], 15);
    assert_eq!(json["legal"], true);
    assert_eq!(json["last_legal_day"], "2025-07-05");
    assert_eq!(json["rules"][0]["id"], "KAZ-EAEU-90-180");
}

#[test]
fn stay_eval_refuses_an_invalid_scenario_with_error_json() {
    let (code, json) = stay_eval(
        r#"{"host": "KAZ", "citizenship": "UZB", "stays": [{"from": "2025-03-10", "to": "2025-03-05"}], "on": "2025-04-01"}"#,
    );
    assert_eq!(code, Some(2));
    assert_eq!(json["error"]["code"], "exit_before_entry");
    assert_eq!(json["error"]["field"], "stays[0].to");
}

#[test]
fn stay_eval_refuses_malformed_json() {
    let (code, json) = stay_eval("{not json");
    assert_eq!(code, Some(2));
    assert_eq!(json["error"]["code"], "invalid_json");
}
