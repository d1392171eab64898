//! What people expect of any command line tool: no colour codes in logs that are not going to a
//! terminal, and read-only commands that do not create a register where there is none.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

fn sapar() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sapar"))
}

#[test]
fn tokens_list_without_a_register_says_so_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nowhere.db");
    let db = format!("sqlite:{}", path.display());
    for command in [&["tokens", "list", "--db", &db][..], &["tokens", "revoke", "--name", "desk-1", "--db", &db]] {
        let output = sapar().args(command).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{command:?}");
        assert_eq!(String::from_utf8_lossy(&output.stdout), "", "{command:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            format!(
                "error: no register at {}: the database file does not exist (pass --db or set SAPAR_DB to the \
                 register's database; `sapar serve`, `sapar import` and `sapar tokens create` create one)\n",
                path.display()
            ),
            "{command:?}"
        );
        assert!(!path.exists(), "{command:?} created {}", path.display());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "{command:?} left files behind");
    }

    // Once there is a register, the list is the header and its tokens.
    let created = sapar().args(["tokens", "create", "--role", "border", "--name", "post-1", "--db", &db]).output();
    assert!(created.unwrap().status.success());
    let list = sapar().args(["tokens", "list", "--db", &db]).output().unwrap();
    assert_eq!(list.status.code(), Some(0));
    let text = String::from_utf8_lossy(&list.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(lines[0], "name                     role     created                expires                revoked");
    assert!(lines[1].starts_with("post-1                   border   "), "{text}");
    assert!(lines[1].ends_with(" -                      -"), "no expiry, not revoked: {text}");
    let expiring = sapar()
        .args(["tokens", "create", "--role", "officer", "--name", "temp", "--expires-in", "90d", "--db", &db])
        .output()
        .unwrap();
    assert!(expiring.status.success(), "{}", String::from_utf8_lossy(&expiring.stderr));
    assert!(String::from_utf8_lossy(&expiring.stderr).contains("expiring at "));
    let refused = sapar()
        .args(["tokens", "create", "--role", "officer", "--name", "t2", "--expires-in", "90w", "--db", &db])
        .output();
    let refused = refused.unwrap();
    assert_eq!(refused.status.code(), Some(2), "clap refuses a bad duration");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("give a number and s, m, h or d"));
}

#[test]
fn logs_have_no_colour_codes_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("r.db").display());
    let mut child = sapar()
        .args(["serve", "--db", &db, "--listen", "127.0.0.1:0"])
        .env_remove("SAPAR_LOG")
        .env_remove("SAPAR_LOG_FORMAT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.starts_with("sapar listening on "), "{line:?}");
    // The log line about serving is written before the listening line is printed; give the
    // writer a moment anyway, then stop the server and read what it logged.
    std::thread::sleep(std::time::Duration::from_millis(200));
    child.kill().unwrap();
    let mut logs = String::new();
    child.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    child.wait().unwrap();
    assert!(logs.contains(" INFO ") && logs.contains("serving"), "{logs}");
    assert!(!logs.contains('\u{1b}'), "colour codes in a log written to a pipe: {logs:?}");
}
