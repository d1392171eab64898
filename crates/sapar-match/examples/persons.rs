//! Generates register and document records of the region, links them without labels and prints
//! precision, recall, F1, time, and what kinds of true pairs are missed.
//!
//! `cargo run --release -p sapar-match --example persons [-- <count> <duplicate rate> <seed>]`

#![allow(clippy::print_stdout)] // a report printer

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

use sapar_match::synth::{PERSON_COLUMNS, synth_persons};
use sapar_match::{LinkConfig, Linkage, MatchError, Table, one_to_one};

fn main() -> Result<(), MatchError> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let rate: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0.5);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(42);
    let config = LinkConfig::parse(include_str!("persons.toml"))?;

    let t0 = Instant::now();
    let (left, right, truth) = synth_persons(count, rate, seed);
    let columns: Vec<String> = PERSON_COLUMNS.iter().map(|c| c.to_string()).collect();
    let left = Table::new(columns.clone(), left)?;
    let right = Table::new(columns, right)?;
    let generated = t0.elapsed();

    let start = Instant::now();
    let linkage = Linkage::new(&config, &left, Some(&right))?;
    let prepared = start.elapsed();
    let (model, fit) = linkage.fit()?;
    let fitted = start.elapsed();
    let (pairs, predict) = linkage.predict(&model, config.thresholds().match_at)?;
    let links = if config.one_to_one() { one_to_one(&pairs) } else { pairs.clone() };
    let total = start.elapsed();

    let data = linkage.data();
    let truth_set: HashSet<(&str, &str)> = truth.iter().map(|(l, r)| (l.as_str(), r.as_str())).collect();
    let found: HashSet<(&str, &str)> = links.iter().map(|p| (data.left_id(p.left), data.right_id(p.right))).collect();
    let tp = found.intersection(&truth_set).count();
    let precision = tp as f64 / found.len().max(1) as f64;
    let recall = tp as f64 / truth.len().max(1) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE);

    println!("{count} x {count} generated persons, {} true pairs (seed {seed})", truth.len());
    println!("generation {:.2} s (not counted)", generated.as_secs_f64());
    println!(
        "prepare {:.2} s, fit {:.2} s, predict {:.2} s, total {:.2} s",
        prepared.as_secs_f64(),
        (fitted - prepared).as_secs_f64(),
        (total - fitted).as_secs_f64(),
        total.as_secs_f64()
    );
    println!("candidate pairs compared: {}", predict.compared_pairs);
    for (rule, n) in &predict.pairs_per_rule {
        println!("  {rule}: {n} new pairs");
    }
    println!("prior {:.3e}", model.prior);
    for r in &fit.em_rules {
        println!(
            "  em on {}: {} pairs, {} iterations, match share {:.3}",
            r.rule, r.pairs, r.iterations, r.match_share
        );
    }
    for f in &model.fields {
        let levels: Vec<String> = f.levels.iter().map(|l| format!("{} m={:.3} u={:.1e}", l.label, l.m, l.u)).collect();
        println!("  {}: {}", f.name, levels.join(" | "));
    }
    println!("links {} true positives {tp}", found.len());
    println!("precision {precision:.4} recall {recall:.4} F1 {f1:.4}");

    // What the misses and false links look like.
    let left_pos: HashMap<&str, u32> = (0..data.left_len() as u32).map(|i| (data.left_id(i), i)).collect();
    let right_pos: HashMap<&str, u32> = (0..data.right_len() as u32).map(|j| (data.right_id(j), j)).collect();
    let mut missed_kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut examples = Vec::new();
    let missed: Vec<(u32, u32)> = truth
        .iter()
        .filter(|(l, r)| !found.contains(&(l.as_str(), r.as_str())))
        .map(|(l, r)| (left_pos[l.as_str()], right_pos[r.as_str()]))
        .collect();
    let unblocked = linkage.blocked_together(&missed).into_iter().filter(|b| !b).count();
    for &(i, j) in &missed {
        let (l, r) = (data.left_id(i).to_string(), data.right_id(j).to_string());
        let p = linkage.score_pair(&model, i, j);
        let e = linkage.explain(&model, &p);
        let kind: Vec<String> = e
            .contributions
            .iter()
            .filter(|c| c.level != "exact" && c.level != "same name key across scripts" && c.level != "missing")
            .map(|c| format!("{}={}", c.field, c.level))
            .collect();
        *missed_kinds.entry(kind.join(", ")).or_default() += 1;
        if examples.len() < 8 {
            examples.push((
                l,
                r,
                p.probability(),
                left.records()[i as usize].values.join("|"),
                right.records()[j as usize].values.join("|"),
            ));
        }
    }
    println!("missed {} ({} not blocked together)", truth.len() - tp, unblocked);
    let mut kinds: Vec<(String, usize)> = missed_kinds.into_iter().collect();
    kinds.sort_by_key(|k| std::cmp::Reverse(k.1));
    for (k, n) in kinds.iter().take(12) {
        println!("  {n:6}  {k}");
    }
    for (l, r, p, a, b) in examples {
        println!("  missed {l} ~ {r} p={p:.3}\n      {a}\n      {b}");
    }
    let false_links: Vec<_> =
        links.iter().filter(|p| !truth_set.contains(&(data.left_id(p.left), data.right_id(p.right)))).take(5).collect();
    for p in false_links {
        println!(
            "  false link p={:.3}\n      {}\n      {}",
            p.probability(),
            left.records()[p.left as usize].values.join("|"),
            right.records()[p.right as usize].values.join("|")
        );
    }
    Ok(())
}
