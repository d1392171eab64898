//! Deduplicates FEBRL3 without labels and prints pairwise precision, recall, F1, cluster
//! figures and the wall time of the whole run, model fitting included.
//!
//! `cargo run --release -p sapar-match --example febrl3 [-- <febrl dir>]`

#![allow(clippy::print_stdout)] // a report printer

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use sapar_match::csv_io::read_csv_file;
use sapar_match::{LinkConfig, Linkage, MatchError, clusters};

fn person(id: &str) -> &str {
    id.trim_end_matches("-org").split("-dup-").next().unwrap_or(id)
}

fn main() -> Result<(), MatchError> {
    let start = Instant::now();
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| manifest.join("../../../shared/data/febrl"));
    let config = LinkConfig::parse(include_str!("febrl3.toml"))?;
    let table = read_csv_file(&dir.join("dataset3.csv"), config.id_column())?;
    let linkage = Linkage::new(&config, &table, None)?;
    let (model, _) = linkage.fit()?;
    let threshold = config.thresholds().match_at;
    let (pairs, report) = linkage.predict(&model, threshold)?;
    let members = clusters(linkage.data(), &pairs, threshold);
    let elapsed = start.elapsed();

    let data = linkage.data();
    let mut per_person: HashMap<&str, u64> = HashMap::new();
    for i in 0..data.left_len() as u32 {
        *per_person.entry(person(data.left_id(i))).or_default() += 1;
    }
    let true_pairs: u64 = per_person.values().map(|n| n * (n - 1) / 2).sum();
    let tp = pairs.iter().filter(|p| person(data.left_id(p.left)) == person(data.right_id(p.right))).count() as f64;
    let precision = tp / pairs.len().max(1) as f64;
    let recall = tp / true_pairs as f64;
    let f1 = 2.0 * precision * recall / (precision + recall);
    // Clusters that are exactly one true person.
    let mut by_cluster: HashMap<&str, Vec<&str>> = HashMap::new();
    for m in &members {
        by_cluster.entry(m.cluster_id.as_str()).or_default().push(person(&m.record_id));
    }
    let pure =
        by_cluster.values().filter(|v| v.iter().all(|p| *p == v[0]) && v.len() as u64 == per_person[v[0]]).count();

    println!("FEBRL3 dedupe: {} records, {true_pairs} true pairs", data.left_len());
    println!("candidate pairs compared: {}", report.compared_pairs);
    println!("pairs p >= {threshold}: {} true positives {tp}", pairs.len());
    println!("precision {precision:.4} recall {recall:.4} F1 {f1:.4}");
    println!("clusters {} (true persons {}), exactly right {pure}", by_cluster.len(), per_person.len());
    println!("wall time {:.3} s (read, prepare, fit, predict, cluster)", elapsed.as_secs_f64());
    Ok(())
}
