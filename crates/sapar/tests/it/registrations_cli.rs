//! `sapar registrations`: persons are brought into the country by importing their crossings, then
//! a registration is filed on time, listed with its history (the read in the access log), extended
//! and ended; a late filing drafts the failure to register; bad input is refused with its code
//! and exit 1, storing nothing; the host state's regions are listed.

use std::process::Output;

use sapar_model::{DocumentKey, PersonId};
use sapar_store::Store;
use serde_json::Value;

const HEADER: &str = "id,direction,at,crossing_point,purpose,document_type,document_number,issuing_state,\
document_expiry,surname,given_names,patronymic,surname_latin,given_names_latin,patronymic_latin,sex,birth_date,citizenship";

fn row(id: u32, direction: &str, at: &str, number: &str) -> String {
    format!(
        "00000000-0000-7000-8000-{id:012},{direction},{at},KZ-KORDAY,work,passport,\
         {number},KGZ,2031-01-01,Асанов,Бакыт,,ASANOV,BAKYT,,M,1990-02-03,KGZ"
    )
}

fn sapar(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_sapar"))
        .args(args)
        .env_remove("SAPAR_DB")
        .env_remove("SAPAR_HOST_STATE")
        .env("USER", "operator")
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `sapar registrations ARGS --db DB --json`, which must succeed, and parses its output.
fn json(db: &str, args: &[&str]) -> Value {
    let mut all = vec!["registrations"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--db", db, "--json"]);
    let out = sapar(&all);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Runs `sapar registrations ARGS --db DB`, which must be refused with exit 1, one line on
/// stderr naming `code` (and `option` when given), and nothing on stdout.
fn refused(db: &str, args: &[&str], code: &str, option: Option<&str>) {
    let mut all = vec!["registrations"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--db", db]);
    let out = sapar(&all);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "", "{args:?}");
    assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
    let prefix = match option {
        Some(option) => format!("error: {code} ({option}): "),
        None => format!("error: {code}: "),
    };
    assert!(err.starts_with(&prefix), "{args:?}: expected {prefix:?}, got {err:?}");
}

/// A register at `dir` with these crossings imported.
fn register_with(dir: &std::path::Path, rows: &[String]) -> String {
    let db = format!("sqlite:{}", dir.join("r.db").display());
    let path = dir.join("crossings.csv");
    std::fs::write(&path, format!("{HEADER}\n{}\n", rows.join("\n"))).unwrap();
    let imported = sapar(&["import", "crossings", "--db", &db, path.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    db
}

/// An hour ago, as a crossing time: an arrival whose registration is not yet due.
fn an_hour_ago() -> String {
    (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1)).strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Runtime::new().unwrap().block_on(f)
}

fn person_id(db: &str, number: &str) -> PersonId {
    block_on(async {
        let store = Store::open(db).await.unwrap();
        let key = DocumentKey::parse_reference(&format!("KGZ:{number}")).unwrap();
        store.person_by_document(&key).await.unwrap().unwrap().person.id
    })
}

fn on_time(person: &str) -> Vec<String> {
    [
        "file",
        "--person",
        person,
        "--region",
        "KZ-75",
        "--locality",
        "Алматы",
        "--street",
        "ул. Жибек Жолы",
        "--building",
        "50",
        "--flat",
        "12",
        "--from",
        &jiff::Zoned::now().date().to_string(),
        "--until",
        "2027-10-30",
        "--party",
        "private_person",
        "--party-name",
        "Сейтказиева Айгуль",
        "--party-id",
        "N12345678",
    ]
    .map(str::to_owned)
    .to_vec()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn a_registration_filed_on_time_is_listed_with_its_history_then_extended_and_ended() {
    let dir = tempfile::tempdir().unwrap();
    let db = register_with(dir.path(), &[row(1, "entry", &an_hour_ago(), "AC3000001")]);
    let person = person_id(&db, "AC3000001");
    let id_text = person.to_string();

    let filed = json(&db, &strs(&on_time(&id_text)));
    let id = filed["id"].as_str().unwrap().to_owned();
    assert_eq!(filed["person_id"], id_text.as_str());
    assert_eq!((filed["state"].as_str(), filed["channel"].as_str()), (Some("submitted"), Some("desk")));
    assert_eq!(filed["filed_by"], "cli:operator");
    assert_eq!(filed["address"]["region"], "KZ-75");
    assert_eq!(filed["address"]["flat"], "12");
    assert_eq!(filed["valid_until"], "2027-10-30");
    assert_eq!(
        (filed["party"]["kind"].as_str(), filed["party"]["identity"].as_str()),
        (Some("private_person"), Some("N12345678"))
    );
    // A citizen of Kyrgyzstan registers within 30 days of arrival: an hour after it is on time.
    assert_eq!(filed["rule_id"], "KAZ-REG-30CD-2026", "{filed}");
    assert_eq!((filed["late"].as_bool(), filed["violation_id"].as_str()), (Some(false), None), "{filed}");

    let list = json(&db, &["list", "--person", &id_text]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["id"], id.as_str());
    let kinds: Vec<&str> = list[0]["history"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["filed"]);
    // The read is in the access log, as the operator, through the command line, for its purpose.
    let log = block_on(async {
        let store = Store::open(&db).await.unwrap();
        let filter = sapar_store::access_log::AccessFilter { person: Some(person), ..Default::default() };
        store.access_log(&filter, 10, 0).await.unwrap()
    });
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!((log[0].actor.as_str(), log[0].view.as_str()), ("cli:operator", "registrations"));
    assert_eq!((log[0].channel.as_str(), log[0].purpose.as_str()), ("cli", "stay_control"));

    let extended = json(&db, &["extend", &id, "--until", "2027-12-31"]);
    assert_eq!((extended["valid_until"].as_str(), extended["state"].as_str()), (Some("2027-12-31"), Some("submitted")));
    let ended = json(&db, &["end", &id, "--note", "left the flat"]);
    assert_eq!(
        (ended["state"].as_str(), ended["end_reason"].as_str()),
        (Some("ended"), Some("deregistered")),
        "{ended}"
    );

    let text = sapar(&["registrations", "list", "--person", &id_text, "--purpose", "enforcement", "--db", &db]);
    assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains(&format!("registration  {id}")), "{text}");
    assert!(text.contains("address       KZ-75, Алматы, ул. Жибек Жолы, 50, 12"), "{text}");
    assert!(text.contains("late          no"), "{text}");
    assert!(text.contains(" extended 2027-10-30 -> 2027-12-31 (by cli:operator)"), "{text}");
    assert!(text.contains(" ended, deregistered: left the flat (by cli:operator)"), "{text}");

    // Once ended, it is changed no more.
    refused(&db, &["end", &id], "registration_ended", None);
    refused(&db, &["extend", &id, "--until", "2028-01-31"], "registration_ended", None);
}

#[test]
fn a_late_registration_is_accepted_marked_late_and_drafts_the_failure_to_register() {
    let dir = tempfile::tempdir().unwrap();
    // In since 1 April 2025: the receiving party had until 4 April (3 working days).
    let db = register_with(dir.path(), &[row(1, "entry", "2025-04-01T10:00:00+05:00[Asia/Almaty]", "AC3000002")]);
    let person = person_id(&db, "AC3000002");
    let mut args = on_time(&person.to_string());
    args[14] = "2025-04-01".to_owned();
    let out = sapar(&[&["registrations"], &strs(&args)[..], &["--db", &db]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("arrival       2025-04-01, to register by 2025-04-04 (rule KAZ-REG-3WD"), "{text}");
    assert!(text.contains("late          yes: failure-to-register violation "), "{text}");

    let violations = block_on(async { Store::open(&db).await.unwrap().violations_of(person).await.unwrap() });
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].kind, "registration_failure");
    assert!(text.contains(&violations[0].id.to_string()), "{text}");
    let description = violations[0].description.as_deref().unwrap_or_default();
    assert!(description.contains("private host Сейтказиева Айгуль"), "{description}");
    let list = json(&db, &["list", "--person", &person.to_string()]);
    assert_eq!(list[0]["late"], true);
    assert_eq!(list[0]["violation_id"], violations[0].id.to_string().as_str());
}

#[test]
fn bad_input_is_refused_with_its_code_and_exit_1_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = register_with(
        dir.path(),
        &[
            row(1, "entry", &an_hour_ago(), "AC3000003"),
            // Came and left: not in the country.
            row(2, "entry", "2025-05-01T10:00:00+05:00[Asia/Almaty]", "AC3000004"),
            row(3, "exit", "2025-05-20T10:00:00+05:00[Asia/Almaty]", "AC3000004"),
        ],
    );
    let present = person_id(&db, "AC3000003").to_string();
    let gone = person_id(&db, "AC3000004").to_string();
    let with = |person: &str, index: usize, value: &str| {
        let mut args = on_time(person);
        args[index] = value.to_owned();
        args
    };
    let cases = [
        (with(&present, 4, "KZ-99"), "unknown_region", Some("--region")),
        (with(&present, 4, "KG-GB"), "unknown_region", Some("--region")),
        (with(&present, 16, "2020-01-01"), "invalid_period", Some("--until")),
        (with(&present, 14, "2026-02-30"), "invalid_date", Some("--from")),
        (with(&present, 16, "31.12.2027"), "invalid_date", Some("--until")),
        (with(&present, 18, "hotel"), "invalid_kind", Some("--party")),
        (with(&present, 2, "not-a-uuid"), "invalid_id", Some("--person")),
        (with(&present, 2, "01937c1e-5a2b-7c3d-8e4f-a1b2c3d4e5f6"), "not_found", None),
        (on_time(&gone), "person_not_in_country", None),
    ];
    for (args, code, option) in &cases {
        refused(&db, &strs(args), code, *option);
    }
    refused(&db, &["list", "--person", "42"], "invalid_id", Some("--person"));
    refused(&db, &["list", "--person", &present, "--purpose", "curiosity"], "invalid_read_purpose", Some("--purpose"));
    // A holder's own purpose is not one an operator states.
    refused(&db, &["list", "--person", &present, "--purpose", "own_data"], "invalid_read_purpose", Some("--purpose"));
    refused(&db, &["extend", "nope", "--until", "2027-12-31"], "invalid_id", Some("ID"));
    refused(&db, &["extend", "01937c1e-5a2b-7c3d-8e4f-a1b2c3d4e5f6", "--until", "2027-12-31"], "not_found", None);
    refused(&db, &["end", "01937c1e-5a2b-7c3d-8e4f-a1b2c3d4e5f6"], "not_found", None);

    for person in [&present, &gone] {
        assert_eq!(json(&db, &["list", "--person", person]), serde_json::json!([]), "nothing stored for {person}");
    }
    let violations = block_on(async {
        let store = Store::open(&db).await.unwrap();
        store.violations_of(PersonId::from_uuid(present.parse().unwrap())).await.unwrap()
    });
    assert!(violations.is_empty(), "{violations:?}");

    // Filed once, a bad extension or end leaves it as it was.
    let id = json(&db, &strs(&on_time(&present)))["id"].as_str().unwrap().to_owned();
    refused(&db, &["extend", &id, "--until", "2027-10-01"], "invalid_period", Some("--until"));
    refused(&db, &["extend", &id, "--until", "2027-13-01"], "invalid_date", Some("--until"));
    refused(&db, &["end", &id, "--day", "2020-01-01"], "invalid_period", Some("--day"));
    let list = json(&db, &["list", "--person", &present]);
    assert_eq!((list[0]["state"].as_str(), list[0]["valid_until"].as_str()), (Some("submitted"), Some("2027-10-30")));
    assert_eq!(list[0]["history"].as_array().unwrap().len(), 1, "{list}");

    // A register that does not exist is not created by a refusal.
    let nowhere = dir.path().join("nowhere.db");
    let out = sapar(
        &[&["registrations"], &strs(&on_time(&present))[..], &["--db", &format!("sqlite:{}", nowhere.display())]]
            .concat(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("error: no register at "), "{}", stderr(&out));
    assert!(!nowhere.exists());
}

#[test]
fn regions_lists_the_host_states_cities_and_regions_with_their_names() {
    let out = sapar(&["registrations", "regions", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list["host_state"], "KAZ");
    let regions = list["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 20, "{list}");
    let almaty = regions.iter().find(|r| r["code"] == "KZ-75").unwrap();
    assert_eq!((almaty["kind"].as_str(), almaty["names"]["en"].as_str()), (Some("city"), Some("Almaty")));

    let text = sapar(&["registrations", "regions", "--host-state", "ARM"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert_eq!(text.lines().count(), 12, "a header and Armenia's 11: {text}");
    assert!(text.lines().any(|l| l.starts_with("AM-ER ") && l.ends_with("Ереван")), "{text}");
}
