//! Nightly sweep at national scale: generates N persons with open stays (default 1 000 000),
//! runs the overstayer sweep several times and prints wall times. Run in release under
//! `/usr/bin/time -v` to see peak memory.

use std::time::Instant;

use jiff::civil::date;
use sapar_rules::RuleBook;
use sapar_rules::synth::open_stay_register;

#[expect(clippy::print_stdout, reason = "a benchmark program reports on stdout")]
fn main() {
    let count: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let book = RuleBook::load_embedded().expect("embedded data");
    let on = date(2025, 9, 1);
    let started = Instant::now();
    let persons = open_stay_register(count, on, 42);
    let crossings: usize = persons.iter().map(|p| p.stays.len() * 2 - 1).sum();
    println!("generated {count} persons ({crossings} crossings) in {:?}", started.elapsed());
    let mut times = Vec::new();
    for run in 1..=5 {
        let started = Instant::now();
        let report = book.sweep_overstays(&persons, on);
        let took = started.elapsed();
        times.push(took);
        println!(
            "run {run}: checked {} persons, {} overstayers, {} errors in {took:?}",
            report.checked,
            report.overstayers.len(),
            report.errors.len()
        );
    }
    times.sort();
    println!("median sweep time: {:?} on {} threads", times[times.len() / 2], rayon::current_num_threads());
}
