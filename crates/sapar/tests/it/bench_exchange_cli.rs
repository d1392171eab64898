//! `sapar bench exchange` runs the whole exchange between two nodes and reports what it measured.

use std::process::Command;

use serde_json::Value;

#[test]
fn bench_exchange_delivers_every_request_both_ways_and_reports_the_baseline() {
    let out = Command::new(env!("CARGO_BIN_EXE_sapar"))
        .args(["bench", "exchange", "--messages", "30", "--concurrency", "4", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let figures: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(figures["channels"], 2);
    assert_eq!(figures["sapar"]["messages"], 30);
    assert_eq!(figures["bare_endpoint"]["messages"], 30);
    assert_eq!(figures["sapar_retries"], 0);
    for run in ["sapar", "bare_endpoint"] {
        let r = &figures[run];
        assert!(r["p50_ms"].as_f64().unwrap() <= r["p99_ms"].as_f64().unwrap(), "{run}: {r}");
        assert!(r["p99_ms"].as_f64().unwrap() <= r["max_ms"].as_f64().unwrap(), "{run}: {r}");
    }
}

#[test]
fn bench_exchange_one_way_uses_one_channel() {
    let out = Command::new(env!("CARGO_BIN_EXE_sapar"))
        .args(["bench", "exchange", "--messages", "10", "--concurrency", "1", "--one-way", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let figures: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((figures["channels"].as_u64(), figures["sapar"]["messages"].as_u64()), (Some(1), Some(10)));
}
