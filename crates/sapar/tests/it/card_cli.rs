//! `sapar card`: a sample card verifies offline from its JSON and its QR code; a tampered or
//! foreign one is refused with its code and exit 1, printing none of the holder's data.

use std::path::Path;
use std::process::{Command, Output};

fn sapar(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sapar")).args(args).output().unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_sample_card_verifies_and_a_tampered_or_foreign_one_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let (kaz, kgz) = (root.path().join("kaz"), root.path().join("kgz"));
    let (card, foreign) = (root.path().join("card"), root.path().join("foreign"));
    assert!(sapar(&["keys", "init", "--state", "KAZ", "--out", path(&kaz)]).status.success());
    assert!(sapar(&["keys", "init", "--state", "KGZ", "--out", path(&kgz)]).status.success());
    let sample = sapar(&["card", "sample", "--keys", path(&kaz), "--out", path(&card), "--issued-on", "2026-12-03"]);
    assert!(sample.status.success(), "{}", String::from_utf8_lossy(&sample.stderr));
    assert!(sapar(&["card", "sample", "--keys", path(&kgz), "--out", path(&foreign)]).status.success());
    let ca = kaz.join("ca.pem");

    for file in ["card.json", "card.png"] {
        let out = sapar(&["card", "verify", "--ca", path(&ca), path(&card.join(file)), "--on", "2027-01-01"]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("KAZ0000000016") && text.contains("Абдурахманова"), "{text}");
    }
    assert!(card.join("card.svg").exists());
    assert!(std::fs::read(card.join("card.pdf")).unwrap().starts_with(b"%PDF-"), "card.pdf is a PDF");

    let seal = std::fs::read_to_string(card.join("card.json")).unwrap();
    let tampered = root.path().join("tampered.json");
    std::fs::write(&tampered, seal.replace("\"vu\":\"2027-03-02\"", "\"vu\":\"2028-03-02\"")).unwrap();
    let refusals = [
        (tampered.clone(), "2027-01-01", "bad_signature"),
        (foreign.join("card.json"), "2027-01-01", "foreign_ca"),
        (card.join("card.json"), "2027-03-03", "expired"),
        (ca.clone(), "2027-01-01", "not_json"),
    ];
    for (file, on, code) in refusals {
        let out = sapar(&["card", "verify", "--ca", path(&ca), path(&file), "--on", on]);
        assert_eq!(out.status.code(), Some(1), "{}", file.display());
        assert_eq!(String::from_utf8_lossy(&out.stdout), "", "no holder data for {}", file.display());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with(&format!("refused: {code}: ")), "{}: {err}", file.display());
    }

    // A reader that stops early (`| head -1`) is no failure: no panic, exit 0.
    let mut piped = Command::new(env!("CARGO_BIN_EXE_sapar"))
        .args(["card", "verify", "--ca", path(&ca), path(&card.join("card.json")), "--on", "2027-01-01"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(piped.stdout.take());
    let closed = piped.wait_with_output().unwrap();
    assert_eq!(closed.status.code(), Some(0), "{}", String::from_utf8_lossy(&closed.stderr));
    assert!(!String::from_utf8_lossy(&closed.stderr).contains("panicked"));

    let json = sapar(&["card", "verify", "--json", "--ca", path(&ca), path(&tampered), "--on", "2027-01-01"]);
    assert_eq!(json.status.code(), Some(1));
    let answer: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!((answer["valid"].as_bool(), answer["code"].as_str()), (Some(false), Some("bad_signature")));
}

#[test]
fn bench_cards_prints_issue_and_verify_latencies() {
    let out = sapar(&["bench", "cards", "--n", "20", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let figures: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(figures["cards"], 20);
    let whats: Vec<&str> = figures["figures"].as_array().unwrap().iter().filter_map(|f| f["what"].as_str()).collect();
    assert_eq!(whats, ["issue: seal + QR PNG", "issue: seal only", "verify"]);
}
