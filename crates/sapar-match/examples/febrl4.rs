//! Links FEBRL4 (dataset4a against dataset4b) without labels and prints precision, recall, F1
//! and the wall time of the whole run, model fitting included.
//!
//! `cargo run --release -p sapar-match --example febrl4 [-- <febrl dir> <config>]`

#![allow(clippy::print_stdout)] // a report printer

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Instant;

use sapar_match::csv_io::read_csv_file;
use sapar_match::{LinkConfig, Linkage, MatchError, one_to_one};

fn truth_id(id: &str) -> &str {
    // rec-N-org and rec-N-dup-0 are one person
    id.trim_end_matches("-org").split("-dup-").next().unwrap_or(id)
}

fn main() -> Result<(), MatchError> {
    let start = Instant::now();
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut args = std::env::args().skip(1);
    let dir = args.next().map(PathBuf::from).unwrap_or_else(|| manifest.join("../../../shared/data/febrl"));
    let config_path = args.next().map(PathBuf::from).unwrap_or_else(|| manifest.join("../../examples/febrl4.toml"));
    let text = std::fs::read_to_string(&config_path)
        .map_err(|e| MatchError::Config(format!("{}: {e}", config_path.display())))?;
    let config = LinkConfig::parse(&text)?;
    let a = read_csv_file(&dir.join("dataset4a.csv"), config.id_column())?;
    let b = read_csv_file(&dir.join("dataset4b.csv"), config.id_column())?;
    let t_read = start.elapsed();
    let linkage = Linkage::new(&config, &a, Some(&b))?;
    let t_prepare = start.elapsed();
    let (model, fit) = linkage.fit()?;
    let t_fit = start.elapsed();
    let threshold = config.thresholds().match_at;
    let (pairs, predict) = linkage.predict(&model, threshold)?;
    let chosen = if config.one_to_one() { one_to_one(&pairs) } else { pairs.clone() };
    let elapsed = start.elapsed();

    let data = linkage.data();
    let found: HashSet<(String, String)> =
        chosen.iter().map(|p| (data.left_id(p.left).to_string(), data.right_id(p.right).to_string())).collect();
    let true_pairs = a.len();
    let tp = found.iter().filter(|(l, r)| truth_id(l) == truth_id(r)).count();
    let precision = tp as f64 / found.len().max(1) as f64;
    let recall = tp as f64 / true_pairs as f64;
    let f1 = 2.0 * precision * recall / (precision + recall);
    let mut right_pos = std::collections::HashMap::new();
    for j in 0..data.right_len() {
        right_pos.insert(truth_id(data.right_id(j as u32)).to_string(), j as u32);
    }
    let truth: Vec<(u32, u32)> =
        (0..data.left_len() as u32).filter_map(|i| right_pos.get(truth_id(data.left_id(i))).map(|j| (i, *j))).collect();

    println!("FEBRL4 {} x {} records", a.len(), b.len());
    println!("candidate pairs compared: {}", predict.compared_pairs);
    for (rule, n) in &predict.pairs_per_rule {
        println!("  {rule}: {n} new pairs");
    }
    println!("blocking recall: {:.4}", linkage.blocking_recall(&truth));
    println!("prior: {:.3e} (deterministic pairs {})", model.prior, fit.deterministic_pairs);
    for r in &fit.em_rules {
        println!(
            "  em on {}: {} pairs, {} patterns, {} iterations, match share {:.3}",
            r.rule, r.pairs, r.patterns, r.iterations, r.match_share
        );
    }
    for f in &model.fields {
        let levels: Vec<String> = f.levels.iter().map(|l| format!("{} m={:.3} u={:.2e}", l.label, l.m, l.u)).collect();
        println!("  {}: {}", f.name, levels.join(" | "));
    }
    println!("threshold p >= {threshold}, one-to-one: {}", config.one_to_one());
    println!("links {} true positives {tp}", found.len());
    println!("precision {precision:.4} recall {recall:.4} F1 {f1:.4}");
    println!(
        "read {:.3} s, prepare {:.3} s, fit {:.3} s, predict {:.3} s",
        t_read.as_secs_f64(),
        (t_prepare - t_read).as_secs_f64(),
        (t_fit - t_prepare).as_secs_f64(),
        (elapsed - t_fit).as_secs_f64()
    );
    println!("wall time {:.3} s (read, prepare, fit, predict)", elapsed.as_secs_f64());
    let missed: Vec<&(u32, u32)> = truth
        .iter()
        .filter(|(i, j)| !found.contains(&(data.left_id(*i).to_string(), data.right_id(*j).to_string())))
        .take(10)
        .collect();
    for (i, j) in missed {
        let p = linkage.score_pair(&model, *i, *j);
        println!(
            "missed {} ~ {}: p={:.4} {}",
            data.left_id(*i),
            data.right_id(*j),
            p.probability(),
            linkage.explain(&model, &p).summary()
        );
    }
    Ok(())
}
