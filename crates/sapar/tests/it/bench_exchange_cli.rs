//! `sapar bench exchange` runs the whole exchange between two nodes and reports what it measured;
//! `sapar bench hit` answers hit/no-hit queries automatically from a generated register.

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

#[test]
fn bench_hit_answers_every_query_automatically_half_of_them_hits() {
    let out = Command::new(env!("CARGO_BIN_EXE_sapar"))
        .args(["bench", "hit", "--persons", "3000", "--queries", "20", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let figures: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((figures["queries"].as_u64(), figures["hits"].as_u64()), (Some(20), Some(10)), "{figures}");
    for span in ["receipt_to_signed", "receipt_to_delivered"] {
        let p = &figures[span];
        assert!(p["p50_ms"].as_f64().unwrap() <= p["p99_ms"].as_f64().unwrap(), "{span}: {p}");
        assert!(p["p99_ms"].as_f64().unwrap() <= p["max_ms"].as_f64().unwrap(), "{span}: {p}");
    }
    let (signed, delivered) = (
        figures["receipt_to_signed"]["p50_ms"].as_f64().unwrap(),
        figures["receipt_to_delivered"]["p50_ms"].as_f64().unwrap(),
    );
    assert!(signed <= delivered, "an answer is signed before the partner stores it: {figures}");
}
