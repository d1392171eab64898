//! `sapar users` as an operator runs it: a user created with the password on stdin, listed,
//! disabled, and refused at login from then on.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use sapar_register::Register;
use sapar_register::accounts::LoginError;

const PASSWORD: &str = "correct horse battery staple";

fn sapar(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sapar"))
        .args(args)
        .env("USER", "operator")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The command may exit before reading (a refused argument): a closed pipe is its answer.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn register(db: &str) -> Register {
    Register::with_embedded_rules(sapar_store::Store::open(db).await.unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_created_from_stdin_is_listed_disabled_and_then_refused_at_login() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("r.db").display());
    let create = ["users", "create", "--name", "A.Sadykova", "--role", "officer", "--password-stdin", "--db", &db];

    let created = sapar(&create, &format!("{PASSWORD}\n"));
    assert_eq!(created.status.code(), Some(0), "{}", text(&created.stderr));
    assert_eq!(text(&created.stdout), "created user a.sadykova with role officer\n");
    let again = sapar(&create, &format!("{PASSWORD}\n"));
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(text(&again.stderr), "error: a user named \"a.sadykova\" already exists\n");

    let list = sapar(&["users", "list", "--db", &db], "");
    assert_eq!(list.status.code(), Some(0), "{}", text(&list.stderr));
    let listed = text(&list.stdout);
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert_eq!(lines[0], "name                     role       created                created by           disabled");
    assert!(lines[1].starts_with("a.sadykova               officer    "), "{listed}");
    assert!(lines[1].ends_with(" cli:operator         -"), "{listed}");

    let session = register(&db).await.login("a.sadykova", PASSWORD, None).await;
    assert!(session.is_ok(), "the password from stdin, without its newline, logs in: {session:?}");

    let disabled = sapar(&["users", "disable", "--name", "a.sadykova", "--db", &db], "");
    assert_eq!(disabled.status.code(), Some(0), "{}", text(&disabled.stderr));
    assert_eq!(text(&disabled.stdout), "disabled a.sadykova; their sessions have ended\n");
    let twice = sapar(&["users", "disable", "--name", "a.sadykova", "--db", &db], "");
    assert_eq!(
        (twice.status.code(), text(&twice.stderr)),
        (Some(1), "error: the user \"a.sadykova\" is already disabled\n".into())
    );

    let json = sapar(&["users", "list", "--json", "--db", &db], "");
    let users: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(users.as_array().unwrap().len(), 1);
    assert_eq!(users[0]["name"], "a.sadykova");
    assert_eq!(users[0]["role"], "officer");
    assert_eq!(users[0]["created_by"], "cli:operator");
    assert_eq!(users[0]["disabled_by"], "cli:operator");
    assert!(users[0]["disabled_at"].is_string());

    let refused = register(&db).await.login("a.sadykova", PASSWORD, None).await;
    assert!(matches!(refused, Err(LoginError::Refused)), "{refused:?}");
}

#[test]
fn an_empty_or_weak_password_is_refused_with_a_reason_and_creates_no_user() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let db = format!("sqlite:{}", path.display());
    let create = |stdin: &str| {
        let args = ["users", "create", "--name", "a.sadykova.kz", "--role", "auditor", "--password-stdin", "--db", &db];
        sapar(&args, stdin)
    };
    for (stdin, reason) in [
        ("", "error: no password on stdin"),
        ("\n", "error: no password on stdin"),
        ("short one\n", "error: the password is refused: it needs at least 12 characters\n"),
        ("A.Sadykova.KZ\n", "error: the password is refused: it must not be the user's name\n"),
        (&format!("{}\n", "x".repeat(2000)), "error: the password is refused: it may hold at most 1024 bytes\n"),
    ] {
        let output = create(stdin);
        assert_eq!(output.status.code(), Some(1), "{stdin:?}");
        assert!(text(&output.stderr).starts_with(reason), "{stdin:?}: {}", text(&output.stderr));
        assert_eq!(text(&output.stdout), "");
    }
    let without_flag = sapar(&["users", "create", "--name", "anna", "--role", "auditor", "--db", &db], "");
    assert_eq!(without_flag.status.code(), Some(2), "clap requires --password-stdin");
    let bad_role =
        sapar(&["users", "create", "--name", "anna", "--role", "chief", "--password-stdin", "--db", &db], "");
    assert_eq!(bad_role.status.code(), Some(2));
    assert!(text(&bad_role.stderr).contains("expected one of border, officer, exchange, signatory, analyst"));
    assert!(!path.exists(), "a refused user creates no database");
}
