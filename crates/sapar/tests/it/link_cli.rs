//! `sapar synth persons` then `sapar link` on the generated files, as an analyst would.

use std::collections::HashSet;
use std::process::Command;

const CONFIG: &str = include_str!("../../../sapar-match/examples/persons.toml");

#[test]
fn synth_then_link_finds_the_generated_duplicates() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sapar = env!("CARGO_BIN_EXE_sapar");
    let status = Command::new(sapar)
        .args(["synth", "persons", "--count", "2000", "--duplicates", "0.5", "--seed", "3", "--out-dir"])
        .arg(dir.path())
        .status()
        .expect("sapar synth runs");
    assert!(status.success());
    let config = dir.path().join("LINK.toml");
    std::fs::write(&config, CONFIG).expect("write config");
    let out = dir.path().join("pairs.csv");
    let output = Command::new(sapar)
        .args(["link", "--explain", "--config"])
        .arg(&config)
        .arg("--left")
        .arg(dir.path().join("left.csv"))
        .arg("--right")
        .arg(dir.path().join("right.csv"))
        .arg("--out")
        .arg(&out)
        .output()
        .expect("sapar link runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let pairs = std::fs::read_to_string(&out).expect("pairs written");
    let mut lines = pairs.lines();
    let header = lines.next().expect("header");
    assert!(header.starts_with("left_id,right_id,match_probability,match_weight,prior_weight,surname_level"));
    let found: HashSet<(String, String)> = lines
        .map(|l| {
            let mut cells = l.split(',');
            (cells.next().unwrap_or("").to_string(), cells.next().unwrap_or("").to_string())
        })
        .collect();
    let truth = std::fs::read_to_string(dir.path().join("truth.csv")).expect("truth written");
    let truth: Vec<(String, String)> =
        truth.lines().skip(1).filter_map(|l| l.split_once(',').map(|(a, b)| (a.to_string(), b.to_string()))).collect();
    assert_eq!(truth.len(), 1000);
    let hits = truth.iter().filter(|t| found.contains(*t)).count();
    assert!(hits as f64 >= 0.97 * truth.len() as f64, "found {hits} of {}", truth.len());
    assert!(found.len() as f64 <= 1.03 * truth.len() as f64, "{} links for {} true pairs", found.len(), truth.len());
}

#[test]
fn link_reports_a_missing_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("LINK.toml");
    std::fs::write(&config, CONFIG).expect("write config");
    let left = dir.path().join("left.csv");
    std::fs::write(&left, "id,surname\nA1,Ivanov\n").expect("write csv");
    let output = Command::new(env!("CARGO_BIN_EXE_sapar"))
        .args(["link", "--config"])
        .arg(&config)
        .arg("--left")
        .arg(&left)
        .arg("--out")
        .arg(dir.path().join("pairs.csv"))
        .output()
        .expect("sapar link runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("column \"given_name\" not found"), "{stderr}");
}
