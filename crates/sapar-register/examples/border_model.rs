//! Fits the border check's default linkage model (`src/border_model.json`) on the synthetic
//! persons of the region (`sapar_match::synth`), under the register's configuration: the model a
//! register uses until it has fitted its own in a linking run. Deterministic; run it again after
//! changing `src/linking.toml`:
//!
//! ```text
//! cargo run -p sapar-register --release --example border_model > crates/sapar-register/src/border_model.json
//! ```

use std::io::Write;

use sapar_match::{Linkage, Record, Table};
use sapar_register::linking::{DEFAULT_LOWER, DEFAULT_UPPER, REGISTER_LINK_CONFIG, register_config};

/// Persons on each side: enough for the frequencies of the region's names to show.
const PERSONS: usize = 20_000;
/// Share of the document side that are register persons again, as in the linkage benchmarks.
const DUPLICATES: f64 = 0.3;
const SEED: u64 = 1;
const COLUMNS: [&str; 8] =
    ["id", "surname", "given_name", "patronymic", "birth_date", "sex", "citizenship", "document"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (left, right, _) = sapar_match::synth::synth_persons(PERSONS, DUPLICATES, SEED);
    // One register holding both sides, as a register holds renewed passports as new persons.
    let records: Vec<Record> = left.into_iter().chain(right).collect();
    let table = Table::new(COLUMNS.iter().map(|c| (*c).to_owned()).collect(), records)?;
    let config = register_config(REGISTER_LINK_CONFIG, DEFAULT_LOWER, DEFAULT_UPPER)?;
    let (model, _) = Linkage::new(&config, &table, None)?.fit()?;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &model)?;
    writeln!(out)?;
    Ok(())
}
