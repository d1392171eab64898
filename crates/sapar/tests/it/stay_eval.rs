//! `sapar stay eval`: JSON scenario on stdin, JSON answer on stdout, error JSON and exit code 2.

use std::io::Write;
use std::process::{Command, Stdio};

fn stay_eval(input: &str) -> (Option<i32>, serde_json::Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sapar"))
        .args(["stay", "eval"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sapar runs");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write scenario");
    let output = child.wait_with_output().expect("sapar finishes");
    let json = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    (output.status.code(), json)
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
