//! Accuracy on the FEBRL benchmark files, fitted without labels.

use std::collections::HashSet;
use std::path::PathBuf;

use sapar_match::csv_io::read_csv_file;
use sapar_match::{LinkConfig, Linkage, one_to_one};

fn febrl_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/febrl")
}

fn person(id: &str) -> &str {
    id.trim_end_matches("-org").split("-dup-").next().unwrap_or(id)
}

#[test]
fn febrl4_links_with_f1_above_0_999_without_labels() {
    let text = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/febrl4.toml"))
        .expect("config");
    let config = LinkConfig::parse(&text).expect("valid config");
    let a = read_csv_file(&febrl_dir().join("dataset4a.csv"), config.id_column()).expect("dataset4a");
    let b = read_csv_file(&febrl_dir().join("dataset4b.csv"), config.id_column()).expect("dataset4b");
    let linkage = Linkage::new(&config, &a, Some(&b)).expect("prepare");
    let (model, _) = linkage.fit().expect("fit");
    let (pairs, _) = linkage.predict(&model, config.thresholds().match_at).expect("predict");
    let links = one_to_one(&pairs);
    let data = linkage.data();
    let found: HashSet<(&str, &str)> = links.iter().map(|p| (data.left_id(p.left), data.right_id(p.right))).collect();
    let tp = found.iter().filter(|(l, r)| person(l) == person(r)).count() as f64;
    let precision = tp / found.len() as f64;
    let recall = tp / 5000.0;
    let f1 = 2.0 * precision * recall / (precision + recall);
    assert!(f1 >= 0.999, "precision {precision:.4} recall {recall:.4} f1 {f1:.4}");
}
