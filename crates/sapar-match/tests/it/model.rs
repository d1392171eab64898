//! Weights, term frequencies and explanations.

use sapar_match::{Linkage, probability_from_weight};

use crate::support::{config, model, table};

#[test]
fn rare_surname_agreement_weighs_more_than_common_surname_agreement() {
    let config = config();
    // Many Ivanovs, one Zakharchenko, otherwise identical pairs.
    let mut left = vec![("a0", "Иванов", "Сергей", "1980-01-02"), ("a1", "Захарченко", "Сергей", "1980-01-02")];
    let mut right = vec![("b0", "IVANOV", "SERGEI", "02.01.1980"), ("b1", "ZAKHARCHENKO", "SERGEI", "02.01.1980")];
    let fillers: Vec<(String, String)> = (0..40).map(|i| (format!("a{}", i + 2), format!("b{}", i + 2))).collect();
    for (a, b) in &fillers {
        left.push((a.as_str(), "Иванов", "Пётр", "1970-05-05"));
        right.push((b.as_str(), "IVANOV", "PETR", "05.05.1971"));
    }
    let (l, r) = (table(&left), table(&right));
    let linkage = Linkage::new(&config, &l, Some(&r)).expect("prepare");
    let model = model();
    let common = linkage.score_pair(&model, 0, 0);
    let rare = linkage.score_pair(&model, 1, 1);
    assert!(rare.weight > common.weight + 3.0, "rare {} common {}", rare.weight, common.weight);
    let e = linkage.explain(&model, &rare);
    assert!(e.contributions[0].term_frequency_adjusted);
    assert_eq!(e.contributions[0].level, "same name key across scripts");
}

#[test]
fn explanation_terms_add_up_to_the_total_weight() {
    let config = config();
    let l = table(&[
        ("a", "Петров", "Иван", "1990-03-04"),
        ("b", "Сидорова", "Анна", "1985-12-01"),
        ("c", "Ким", "", "2000-01-01"),
    ]);
    let r = table(&[
        ("x", "PETROV", "IVAN", "03.04.1990"),
        ("y", "SIDOROVA", "ANNA", "01.12.1985"),
        ("z", "KIM", "ALEKSEI", ""),
    ]);
    let linkage = Linkage::new(&config, &l, Some(&r)).expect("prepare");
    let model = model();
    for i in 0..3 {
        for j in 0..3 {
            let p = linkage.score_pair(&model, i, j);
            let e = linkage.explain(&model, &p);
            let sum: f64 = e.prior_weight + e.contributions.iter().map(|c| c.weight).sum::<f64>();
            assert!((sum - p.weight).abs() < 1e-9, "pair {i},{j}: {sum} vs {}", p.weight);
            assert!((e.probability - probability_from_weight(p.weight)).abs() < 1e-12);
        }
    }
    let swapped = linkage.score_pair(&model, 0, 0);
    let e = linkage.explain(&model, &swapped);
    assert_eq!(e.contributions[2].level, "day and month swapped");
    let missing = linkage.explain(&model, &linkage.score_pair(&model, 2, 2));
    assert_eq!(missing.contributions[1].level, "missing");
    assert_eq!(missing.contributions[1].weight, 0.0);
}

#[test]
fn fitting_estimates_u_from_value_frequencies() {
    // Four equally frequent surnames: two random records agree on the surname a quarter of the time.
    let config = config();
    let names = ["Абаев", "Быков", "Волков", "Гусев"];
    let rows: Vec<(String, String, String, String)> = (0..400)
        .map(|i| {
            (
                format!("r{i}"),
                names[i % 4].to_string(),
                format!("Имя{}", i % 7),
                format!("19{:02}-01-{:02}", 50 + i % 40, 1 + i % 28),
            )
        })
        .collect();
    let borrowed: Vec<(&str, &str, &str, &str)> =
        rows.iter().map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str())).collect();
    let t = table(&borrowed);
    let linkage = Linkage::new(&config, &t, Some(&t)).expect("prepare");
    let (model, _) = linkage.fit().expect("fit");
    let u_exact = model.fields[0].levels[0].u;
    assert!((u_exact - 0.25).abs() < 1e-9, "u exact {u_exact}");
}
