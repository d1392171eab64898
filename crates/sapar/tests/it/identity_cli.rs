//! `sapar mrz` and `sapar name`: the identity toolkit from the command line, as text by default
//! and as JSON with `--json`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n";

fn sapar(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sapar"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sapar runs");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write input");
    child.wait_with_output().expect("sapar finishes")
}

fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

#[test]
fn mrz_parse_prints_the_specimen_as_json() {
    let output = sapar(&["mrz", "parse", "--json", "--today", "2026-06-01", "--allow-specimen"], TD3);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let docs = json_lines(&output);
    assert_eq!(docs.len(), 1);
    let doc = &docs[0];
    assert_eq!(doc["format"], "td3");
    assert_eq!(doc["document_type"], "passport");
    assert_eq!(doc["issuing_state"], "UTO");
    assert_eq!(doc["document_number"], "L898902C3");
    assert_eq!(doc["birth_date"], "1974-08-12");
    assert_eq!(doc["expiry_date"], "2012-04-15");
    assert_eq!(doc["sex"], "F");
    assert_eq!(doc["surname"], "ERIKSSON");
    assert_eq!(doc["given_names"], "ANNA MARIA");
    assert_eq!(doc["optional_data"], "ZE184226B");
    assert_eq!(doc["checks"]["composite"]["valid"], true);
    assert_eq!(doc["valid"], true);
}

#[test]
fn mrz_parse_reports_errors_and_suggestions_with_exit_code_1() {
    let damaged = TD3.replace("7408122", "74O8122");
    let two = format!("{TD3}\n{damaged}");
    let output = sapar(&["mrz", "parse", "--json", "--today", "2026-06-01", "--allow-specimen"], &two);
    assert_eq!(output.status.code(), Some(1));
    let docs = json_lines(&output);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["valid"], true);
    assert_eq!(docs[1]["valid"], false);
    assert_eq!(docs[1]["checks"]["birth_date"]["valid"], false);
    assert_eq!(docs[1]["errors"][0]["field"], "birth_date");
    assert_eq!(docs[1]["errors"][0]["line"], 2);
    assert_eq!(docs[1]["errors"][0]["column"], 14);
    assert_eq!(docs[1]["suggestions"][0]["replacement"], "0");
}

#[test]
fn mrz_parse_refuses_the_specimen_country_by_default() {
    let output = sapar(&["mrz", "parse", "--json", "--today", "2026-06-01"], TD3);
    assert_eq!(output.status.code(), Some(1));
    let docs = json_lines(&output);
    assert_eq!(docs[0]["errors"][0]["field"], "issuing_state");
}

#[test]
fn mrz_emit_writes_a_passport_from_cyrillic_fields() {
    let output = sapar(
        &[
            "mrz",
            "emit",
            "--format",
            "td3",
            "--issuing-state",
            "KAZ",
            "--number",
            "N12345678",
            "--nationality",
            "KAZ",
            "--birth-date",
            "1985-03-14",
            "--sex",
            "M",
            "--expiry-date",
            "2031-07-01",
            "--surname",
            "Жанұзақов",
            "--given-names",
            "Ерлан Болатұлы",
            "--optional-data",
            "850314300123",
        ],
        "",
    );
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "P<KAZZHANUZAKOV<<ERLAN<BOLATULY<<<<<<<<<<<<<\nN123456785KAZ8503149M3107014850314300123<<60\n"
    );
}

#[test]
fn name_commands_romanise_key_and_compare() {
    let latin = sapar(&["name", "latin", "Юлия"], "");
    assert_eq!(String::from_utf8_lossy(&latin.stdout), "icao9303\tIULIIA\nmvd1997\tYULIYA\n");

    let key = sapar(&["name", "key", "IULIIA", "YULIYA"], "");
    assert_eq!(String::from_utf8_lossy(&key.stdout), "IULIA\nIULIA\n");

    let compare = sapar(&["name", "compare", "--json", "Иванова Юлия Сергеевна", "YULIYA IVANOVA"], "");
    let json: serde_json::Value = serde_json::from_slice(&compare.stdout).expect("JSON");
    assert_eq!(json["same_key"], true);
    assert_eq!(json["full_name_similarity"], 1.0);

    let split = sapar(&["name", "split", "--json", "Нұрланов Ерлан Болат ұлы"], "");
    let json: serde_json::Value = serde_json::from_slice(&split.stdout).expect("JSON");
    assert_eq!(json["patronymic"], "Болат ұлы");
}

fn text(output: &Output) -> String {
    assert!(output.status.code().is_some(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn mrz_parse_prints_text_by_default() {
    let damaged = TD3.replace("7408122", "74O8122");
    let two = format!("{TD3}\n{damaged}");
    let output = sapar(&["mrz", "parse", "--today", "2026-06-01", "--allow-specimen"], &two);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output), MRZ_TEXT);
    let unreadable = sapar(&["mrz", "parse", "--today", "2026-06-01"], "NOT A ZONE\n");
    assert_eq!(unreadable.status.code(), Some(1));
    assert_eq!(text(&unreadable), MRZ_UNREADABLE_TEXT);
}

const MRZ_TEXT: &str = "\
document 1: valid td3 passport
  document code    P
  document number  L898902C3
  issuing state    UTO
  nationality      UTO
  surname          ERIKSSON
  given names      ANNA MARIA
  birth date       1974-08-12
  sex              F
  expiry date      2012-04-15
  optional data    ZE184226B
  check digits     birth_date ok, composite ok, document_number ok, expiry_date ok, optional_data ok

document 2: INVALID td3 passport
  document code    P
  document number  L898902C3
  issuing state    UTO
  nationality      UTO
  surname          ERIKSSON
  given names      ANNA MARIA
  sex              F
  expiry date      2012-04-15
  optional data    ZE184226B
  check digits     birth_date BAD, composite BAD, document_number ok, expiry_date ok, optional_data ok
  error: line 2, position 14, birth_date: \"74O812\" is not a valid date (expected YYMMDD)
  error: line 2, position 20, birth_date_check_digit: check digit is '2', expected 6
  error: line 2, position 44, composite_check_digit: check digit is '0', expected 8
  suggestion: line 2, column 16 (birth_date): read \"O\" as \"0\" (resolves 3 checks)
";
const MRZ_UNREADABLE_TEXT: &str = "document 1: INVALID\n  error: expected 2 or 3 lines, got 1\n";

#[test]
fn mrz_emit_prints_json_with_the_flag() {
    let args = [
        "mrz",
        "emit",
        "--format",
        "td1",
        "--issuing-state",
        "KGZ",
        "--number",
        "ID1234567",
        "--nationality",
        "KGZ",
        "--expiry-date",
        "2031-07-01",
        "--surname",
        "Асанов",
        "--given-names",
        "Бакыт",
    ];
    let plain = sapar(&args, "");
    let zone: Vec<String> = text(&plain).lines().map(str::to_owned).collect();
    assert_eq!(zone.len(), 3);
    let json = sapar(&[&args[..], &["--json"]].concat(), "");
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(json, serde_json::json!({ "lines": zone, "name_truncated": false }));
}

#[test]
fn name_commands_print_text_by_default_and_json_with_the_flag() {
    let compare = sapar(&["name", "compare", "Иванова Юлия Сергеевна", "YULIYA IVANOVA"], "");
    assert_eq!(text(&compare), NAME_COMPARE_TEXT);
    let split = sapar(&["name", "split", "Нұрланов Ерлан Болат ұлы"], "");
    assert_eq!(text(&split), "surname      Нұрланов\ngiven names  Ерлан\npatronymic   Болат ұлы\n");

    let latin = sapar(&["name", "latin", "--json", "Юлия"], "");
    assert_eq!(
        text(&latin),
        "[{\"scheme\":\"icao9303\",\"latin\":\"IULIIA\"},{\"scheme\":\"mvd1997\",\"latin\":\"YULIYA\"}]\n"
    );
    let one = sapar(&["name", "latin", "--scheme", "mvd1997", "Юлия"], "");
    assert_eq!(text(&one), "YULIYA\n");
    let one = sapar(&["name", "latin", "--json", "--scheme", "mvd1997", "Юлия"], "");
    assert_eq!(text(&one), "[{\"scheme\":\"mvd1997\",\"latin\":\"YULIYA\"}]\n");
    let key = sapar(&["name", "key", "--json", "IULIIA", "YULIYA"], "");
    assert_eq!(text(&key), "[{\"name\":\"IULIIA\",\"key\":\"IULIA\"},{\"name\":\"YULIYA\",\"key\":\"IULIA\"}]\n");
    let cyrillic = sapar(&["name", "cyrillic", "--json", "YULIYA"], "");
    let forms: Vec<String> = serde_json::from_slice(&cyrillic.stdout).expect("JSON array of strings");
    let plain = sapar(&["name", "cyrillic", "YULIYA"], "");
    assert_eq!(text(&plain), forms.iter().map(|f| format!("{f}\n")).collect::<String>());
    assert_eq!(forms.first().map(String::as_str), Some("ЮЛИЯ"), "{forms:?}");
}

const NAME_COMPARE_TEXT: &str = "\
key a                 IVANOVA IULIA SERGEVNA
key b                 IULIA IVANOVA
name similarity       0.918
full name similarity  1.000
same key              yes
";
