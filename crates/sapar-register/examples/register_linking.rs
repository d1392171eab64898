//! The register's linking run measured on generated data: a Cyrillic register and later
//! arrivals with Latin documents (`sapar_match::synth`), recorded as crossings into a fresh
//! SQLite register, so that a person who came back under a renewed passport is a second person
//! until the run links them. Every candidate pair is queued (upper threshold 1), and the queue is
//! compared with the truth by probability band.
//!
//! `cargo run --release -p sapar-register --example register_linking -- [COUNT] [DUPLICATES] [SEED]`

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::{HashMap, HashSet};
use std::process::ExitCode;

use sapar_match::synth::synth_persons;
use sapar_model::PersonId;
use sapar_register::linking::LinkOptions;
use sapar_register::{Actor, Register};
use sapar_store::Store;

fn ordered(a: PersonId, b: PersonId) -> (PersonId, PersonId) {
    if a < b { (a, b) } else { (b, a) }
}

async fn run(count: usize, duplicates: f64, seed: u64) -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let store = Store::open(&format!("sqlite:{}", dir.path().join("register.db").display())).await?;
    let (register, arrivals, truth) = synth_persons(count, duplicates, seed);
    let mut person_of: HashMap<String, PersonId> = HashMap::new();
    for (records, at) in [(&register, "2025-01-10T09:00:00+05:00"), (&arrivals, "2025-03-10T09:00:00+05:00")] {
        let (rows, ids): (Vec<_>, Vec<_>) = records
            .iter()
            .filter_map(|r| sapar_test_support::generated_entry(r, at).map(|row| (row, r.id.clone())))
            .unzip();
        for (id, outcome) in ids.into_iter().zip(store.record_batch(rows).await?) {
            person_of.insert(id, outcome?.person_id);
        }
    }
    // True pairs the register holds as two persons (the same passport was one person already).
    let true_pairs: HashSet<(PersonId, PersonId)> = truth
        .iter()
        .filter_map(|(l, r)| Some((*person_of.get(l)?, *person_of.get(r)?)))
        .filter(|(a, b)| a != b)
        .map(|(a, b)| ordered(a, b))
        .collect();
    let options = LinkOptions { lower: 0.01, upper: 1.0, ..LinkOptions::default() };
    let summary = Register::with_embedded_rules(store.clone())?
        .link(&Actor::new("register_linking example", sapar_model::Role::Admin), options)
        .await?;
    println!(
        "{} persons, {} true pairs under different passports; fit and link {:.2} s",
        summary.persons,
        true_pairs.len(),
        summary.elapsed.as_secs_f64()
    );
    let items = store.pending_review_items(u32::MAX, 0).await?;
    let bands = [0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1.01];
    println!("{:>18} {:>8} {:>8}", "probability", "true", "false");
    for w in bands.windows(2) {
        let (lo, hi) = (w[0], w[1]);
        let in_band: Vec<_> = items.iter().filter(|i| i.probability >= lo && i.probability < hi).collect();
        let hits = in_band.iter().filter(|i| true_pairs.contains(&(i.person_a.id, i.person_b.id))).count();
        println!("{:>18} {:>8} {:>8}", format!("[{lo}, {})", hi.min(1.0)), hits, in_band.len() - hits);
    }
    for threshold in [0.5, 0.99] {
        let found: Vec<_> = items.iter().filter(|i| i.probability >= threshold).collect();
        let hits = found.iter().filter(|i| true_pairs.contains(&(i.person_a.id, i.person_b.id))).count();
        println!(
            "p >= {threshold}: precision {:.4}, recall {:.4}",
            hits as f64 / found.len().max(1) as f64,
            hits as f64 / true_pairs.len().max(1) as f64
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let count = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let duplicates = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(0.35);
    let seed = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(11);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(count, duplicates, seed)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
