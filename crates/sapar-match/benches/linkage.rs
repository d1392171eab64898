//! Benchmarks of the linkage inner loops and of a whole run on generated persons.
//!
//! `cargo bench -p sapar-match --bench linkage`

use sapar_match::synth::{PERSON_COLUMNS, synth_persons};
use sapar_match::{LinkConfig, Linkage, Table};

fn main() {
    divan::main();
}

#[divan::bench]
fn jaro_winkler_short_names() -> f64 {
    sapar_match::jaro_winkler(divan::black_box(b"ALEKSANDR"), divan::black_box(b"ALEKSANDER"))
}

#[divan::bench]
fn osa_distance_passport_numbers() -> usize {
    sapar_match::osa_distance_capped(divan::black_box(b"N12345678"), divan::black_box(b"N12354678"), 2)
}

fn tables(count: usize) -> (Table, Table) {
    let (left, right, _) = synth_persons(count, 0.5, 7);
    let columns: Vec<String> = PERSON_COLUMNS.iter().map(|c| c.to_string()).collect();
    (Table::new(columns.clone(), left).expect("table"), Table::new(columns, right).expect("table"))
}

/// Prepare, fit and predict on generated persons (generation not measured).
#[divan::bench(args = [10_000, 50_000], sample_count = 3)]
fn link_generated_persons(bencher: divan::Bencher<'_, '_>, count: usize) {
    let config = LinkConfig::parse(include_str!("../examples/persons.toml")).expect("config");
    let (left, right) = tables(count);
    bencher.bench_local(|| {
        let linkage = Linkage::new(&config, &left, Some(&right)).expect("prepare");
        let (model, _) = linkage.fit().expect("fit");
        linkage.predict(&model, 0.5).expect("predict").0.len()
    });
}
