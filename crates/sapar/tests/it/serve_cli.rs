//! `sapar serve`, `sapar tokens` and `sapar demo` as a user runs them.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

fn sapar() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sapar"))
}

/// A `sapar serve` child, killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(command: &mut Command) -> Server {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().strip_prefix("sapar listening on ").unwrap_or_else(|| panic!("{line:?}")).to_owned();
    Server { child, base }
}

/// Gets `url` as an officer's client does, stating why it reads (persons' data needs a purpose).
fn get(url: &str, token: Option<&str>) -> (u16, serde_json::Value) {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let mut request = reqwest::Client::new().get(url).header("Sapar-Purpose", "stay_control");
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        let response = request.send().await.unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    })
}

#[test]
fn serve_reads_config_file_with_environment_overrides_and_tokens_work() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("from-config.db");
    let config = dir.path().join("sapar.toml");
    std::fs::write(&config, format!("db = \"sqlite:{}\"\nlisten = \"127.0.0.1:9\"\n", db_path.display())).unwrap();
    let server = start(sapar().arg("serve").arg("--config").arg(&config).env("SAPAR_LISTEN", "127.0.0.1:0"));
    assert!(db_path.exists(), "the config file's database was not used");
    let (status, health) = get(&format!("{}/health", server.base), None);
    assert_eq!((status, health["database"].as_str()), (200, Some("sqlite")));

    let db = format!("sqlite:{}", db_path.display());
    let created =
        sapar().args(["tokens", "create", "--role", "officer", "--name", "desk-1", "--db", &db]).output().unwrap();
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let token = String::from_utf8(created.stdout).unwrap().trim().to_owned();
    assert!(token.starts_with("sapar_"));
    let lookup = format!("{}/api/v1/persons?document=KGZ:AC1", server.base);
    assert_eq!(get(&lookup, Some(&token)).0, 404);

    let dup = sapar().args(["tokens", "create", "--role", "border", "--name", "desk-1", "--db", &db]).output().unwrap();
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("already exists"));
    let bad_role = sapar().args(["tokens", "create", "--role", "chief", "--name", "x", "--db", &db]).output().unwrap();
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("unknown role \"chief\""));

    let revoked = sapar().args(["tokens", "revoke", "--name", "desk-1", "--db", &db]).output().unwrap();
    assert!(revoked.status.success());
    let (status, err) = get(&lookup, Some(&token));
    assert_eq!((status, err["message"].as_str()), (401, Some("this token was revoked")));
}

#[test]
fn missing_config_file_and_bad_database_url_fail_clearly() {
    let out = sapar().args(["serve", "--config", "/nonexistent/sapar.toml"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("config file /nonexistent/sapar.toml does not exist"));
    let out = sapar().args(["serve", "--db", "mysql://x", "--listen", "127.0.0.1:0"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported database url"));
}

#[test]
fn demo_builds_a_register_with_sample_data_and_prints_how_to_use_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = sapar()
        .args([
            "demo",
            "--no-serve",
            "--persons",
            "200",
            "--listen",
            "127.0.0.1:0",
            "--kgz-listen",
            "127.0.0.1:0",
            "--dir",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("border   sapar_"), "{stdout}");
    assert!(stdout.contains("/api/v1/persons?document="), "{stdout}");
    let db = format!("sqlite:{}", dir.path().join("register.db").display());
    let ([persons, documents, crossings], bans, expulsions, cards) =
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let store = sapar_store::Store::open(&db).await.unwrap();
            let (mut bans, mut expulsions, mut cards) = (Vec::new(), Vec::new(), Vec::new());
            for person in store.present_persons().await.unwrap() {
                bans.extend(store.bans_of(person.id).await.unwrap());
                expulsions.extend(store.expulsions_of(person.id).await.unwrap());
                cards.extend(store.cards_of(person.id).await.unwrap());
            }
            (store.counts().await.unwrap(), bans, expulsions, cards)
        });
    assert_eq!((persons, documents), (200, 200));
    assert!(crossings > 200, "{crossings}");
    let lifted = bans.iter().filter(|b| b.lift.is_some()).count();
    let executed = expulsions.iter().filter(|e| e.execution.is_some()).count();
    assert_eq!((bans.len(), lifted, expulsions.len(), executed), (4, 1, 3, 1), "the demo's enforcement samples");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("listed 3 persons in the control register, 2 removal applications pending"), "{stderr}");
    assert!(stderr.contains("recorded 3 employers, 2 work permits and 3 violations with fines (1 paid)"), "{stderr}");

    // Cards were issued to the travellers in the country on a legal stay; nobody under a ban in
    // force or an expulsion holds one in force.
    let valid = cards.iter().find(|c| c.revocation.is_none()).expect("cards in force");
    let today = jiff::Zoned::now().date();
    let barred: Vec<_> = bans
        .iter()
        .filter(|b| b.in_force_on(today))
        .map(|b| b.person_id)
        .chain(expulsions.iter().map(|e| e.person_id))
        .collect();
    assert!(!barred.is_empty());
    assert!(
        cards.iter().all(|c| c.revocation.is_some() || !barred.contains(&c.person_id)),
        "a ban or an expulsion revokes the card"
    );
    assert!(stderr.contains(&format!("issued {} migrant cards", cards.len())), "{stderr}");
    assert!(stdout.contains("sapar card verify --ca"), "{stdout}");
    // The seal verifies offline against the demo's CA, with nothing but the files.
    let seal = dir.path().join("card.json");
    std::fs::write(&seal, &valid.seal).unwrap();
    let ca = dir.path().join("keys").join("kaz").join("ca.pem");
    let verified = sapar().args(["card", "verify", "--ca"]).arg(&ca).arg(&seal).output().unwrap();
    let printed = String::from_utf8_lossy(&verified.stdout);
    assert!(verified.status.success(), "{printed} {}", String::from_utf8_lossy(&verified.stderr));
    assert!(printed.contains(&valid.number), "{printed}");
}
