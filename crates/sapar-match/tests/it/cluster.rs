//! Clusters and one-to-one links.

use sapar_match::{Linkage, Source, clusters, one_to_one};

use crate::support::{config, model, table};

#[test]
fn clusters_are_named_by_their_smallest_member_and_survive_reruns() {
    let config = config();
    let t = table(&[
        ("p3", "Петров", "Иван", "1990-03-04"),
        ("p1", "PETROV", "IVAN", "1990-03-04"),
        ("p2", "Петров", "Иван", "04.03.1990"),
        ("q9", "Сидорова", "Анна", "1985-12-01"),
    ]);
    let linkage = Linkage::new(&config, &t, None).expect("prepare");
    let model = model();
    let run = || {
        let (pairs, _) = linkage.predict(&model, 0.5).expect("predict");
        clusters(linkage.data(), &pairs, 0.9)
    };
    let members = run();
    assert_eq!(members, run());
    let of = |id: &str| members.iter().find(|m| m.record_id == id).expect("member").clone();
    assert_eq!(of("p3").cluster_id, "p1");
    assert_eq!(of("p2").cluster_id, "p1");
    assert_eq!(of("p2").size, 3);
    assert_eq!(of("q9").cluster_id, "q9");
    assert_eq!(of("q9").source, Source::Left);
}

#[test]
fn one_to_one_keeps_the_best_partner_of_each_record() {
    let config = config();
    let l = table(&[("a", "Петров", "Иван", "1990-03-04")]);
    // x has day and month swapped, y agrees on everything.
    let r = table(&[("x", "PETROV", "IVAN", "03.04.1990"), ("y", "PETROV", "IVAN", "1990-03-04")]);
    let linkage = Linkage::new(&config, &l, Some(&r)).expect("prepare");
    let (pairs, _) = linkage.predict(&model(), 0.5).expect("predict");
    assert_eq!(pairs.len(), 2);
    let kept = one_to_one(&pairs);
    assert_eq!(kept.len(), 1);
    assert_eq!(linkage.data().right_id(kept[0].right), "y");
}
