//! `sapar sweep overstays`: a small imported register with one known overstayer; the second run
//! for the same date records no new draft. And `sapar serve` judging stays by its `host_state`.

use std::process::Output;

const HEADER: &str = "id,direction,at,crossing_point,purpose,document_type,document_number,issuing_state,\
document_expiry,surname,given_names,patronymic,surname_latin,given_names_latin,patronymic_latin,sex,birth_date,citizenship";

fn row(id: u32, direction: &str, date: &str, number: &str, state: &str) -> String {
    format!(
        "00000000-0000-7000-8000-{id:012},{direction},{date}T10:00:00+05:00[Asia/Almaty],KZ-KORDAY,work,passport,\
         {number},{state},2031-01-01,Асанов,Бакыт,,ASANOV,BAKYT,,M,1990-02-03,{state}"
    )
}

fn sapar(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_sapar")).args(args).env_remove("SAPAR_DB").output().unwrap()
}

#[test]
fn sweep_records_the_overstayer_once_per_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("r.db").display());
    let rows = [
        // In since 1 April 2025: on 9 July that is 30 + 31 + 30 + 9 = 100 days against the EAEU
        // limit of 90 in any 180 (KAZ-EAEU-90-180), so 10 days over; day 90 was 29 June.
        row(1, "entry", "2025-04-01", "AC1000001", "KGZ"),
        // In since 1 June: 39 days, legal.
        row(2, "entry", "2025-06-01", "AC1000002", "KGZ"),
        // Came and left: not in the country.
        row(3, "entry", "2025-01-01", "AC1000003", "KGZ"),
        row(4, "exit", "2025-02-01", "AC1000003", "KGZ"),
        // A visa-governed stay: in the country, but the rules cannot judge it.
        row(5, "entry", "2025-05-01", "E10000001", "AFG"),
    ];
    let csv = format!("{HEADER}\n{}\n", rows.join("\n"));
    let path = dir.path().join("crossings.csv");
    std::fs::write(&path, csv).unwrap();
    let imported = sapar(&["import", "crossings", "--db", &db, path.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));

    let sweep = || {
        let out = sapar(&["sweep", "overstays", "--on", "2025-07-09", "--db", &db, "--json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let first = sweep();
    assert_eq!(first["on"], "2025-07-09");
    assert_eq!(first["host"], "KAZ");
    assert_eq!((first["checked"].as_u64(), first["overstayers"].as_u64()), (Some(3), Some(1)), "{first}");
    assert_eq!((first["new_drafts"].as_u64(), first["not_evaluated"].as_u64()), (Some(1), Some(1)));
    // Nobody registered the three arrivals in the country, past the 3 working days of 2025 (the
    // visa holder's stay is not judged, but the registration rule covers visa holders too).
    assert_eq!(
        (first["unregistered"].as_u64(), first["new_registration_drafts"].as_u64()),
        (Some(3), Some(3)),
        "{first}"
    );
    let second = sweep();
    assert_eq!((second["overstayers"].as_u64(), second["new_drafts"].as_u64()), (Some(1), Some(0)), "{second}");
    assert_eq!(second["new_registration_drafts"], 0, "{second}");

    let violations = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = sapar_store::Store::open(&db).await.unwrap();
        let key = sapar_model::DocumentKey::parse_reference("KGZ:AC1000001").unwrap();
        let person = store.person_by_document(&key).await.unwrap().unwrap();
        store.violations_of(person.person.id).await.unwrap()
    });
    let kinds: Vec<&str> = violations.iter().map(|v| v.kind.as_str()).collect();
    assert_eq!(kinds, ["overstay", "registration_failure"], "the overstay and the failure to register");
    let v = &violations[0];
    assert_eq!(v.detected_on, jiff::civil::date(2025, 7, 9));
    assert_eq!(v.kind, "overstay");
    let facts = v.overstay.as_ref().expect("the sweep records the stay facts");
    assert_eq!(facts.stay_entry, jiff::civil::date(2025, 4, 1));
    assert_eq!((facts.overstay_days, facts.last_legal_day), (10, Some(jiff::civil::date(2025, 6, 29))));
    assert_eq!(facts.rule_id, "KAZ-EAEU-90-180");
    assert_eq!(v.status, sapar_store::ViolationStatus::Draft);

    // The next night finds the same overstay of the same stay: still one violation.
    let text = sapar(&["sweep", "overstays", "--on", "2025-07-10", "--db", &db]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("overstayers        1") && stdout.contains("new drafts         0"), "{stdout}");
    let bad = sapar(&["sweep", "overstays", "--on", "10/07/2025", "--db", &db]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--on \"10/07/2025\" is not a date"));
}

/// A `sapar serve` child, killed when dropped.
struct Server(std::process::Child, String);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get_json(url: &str, token: &str) -> (u16, serde_json::Value) {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let request = reqwest::Client::new().get(url).bearer_auth(token).header("Sapar-Purpose", "stay_control");
        let response = request.send().await.unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    })
}

#[test]
fn serve_judges_stays_by_the_configured_host_state_and_refuses_a_bad_one() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("r.db").display());
    let path = dir.path().join("crossings.csv");
    std::fs::write(&path, format!("{HEADER}\n{}\n", row(1, "entry", "2025-04-01", "AC2000001", "KGZ"))).unwrap();
    assert!(sapar(&["import", "crossings", "--db", &db, path.to_str().unwrap()]).status.success());
    let created = sapar(&["tokens", "create", "--role", "officer", "--name", "desk", "--db", &db]);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let token = String::from_utf8(created.stdout).unwrap().trim().to_owned();

    let config = dir.path().join("sapar.toml");
    std::fs::write(
        &config,
        format!("db = \"{db}\"\nlisten = \"127.0.0.1:0\"\nhost_state = \"KAZ\"\nsweep_at = \"03:30\"\n"),
    )
    .unwrap();
    // The environment overrides the file: this node registers Kyrgyzstan's borders.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sapar"))
        .args(["serve", "--config"])
        .arg(&config)
        .env("SAPAR_HOST_STATE", "KGZ")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().strip_prefix("sapar listening on ").unwrap_or_else(|| panic!("{line:?}")).to_owned();
    let server = Server(child, base);
    let (status, person) = get_json(&format!("{}/api/v1/persons?document=KGZ:AC2000001", server.1), &token);
    assert_eq!(status, 200, "{person}");
    let id = person["id"].as_str().unwrap();
    let (status, stay) = get_json(&format!("{}/api/v1/persons/{id}/stay?on=2025-04-10", server.1), &token);
    assert_eq!(status, 200, "{stay}");
    assert_eq!(stay["host"], "KGZ");
    // A citizen at home: no limit.
    assert!(stay["days_left"].is_null(), "{stay}");
    drop(server);

    for (key, value, message) in [
        ("SAPAR_HOST_STATE", "Kazakhstan", "host_state \"Kazakhstan\" is not an alpha-3 country code"),
        ("SAPAR_SWEEP_AT", "25:00", "sweep_at \"25:00\" is not a time HH:MM"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sapar"))
            .args(["serve", "--config"])
            .arg(&config)
            .env(key, value)
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains(message), "{}", String::from_utf8_lossy(&out.stderr));
    }
}
