//! The linking run that fills the review queue, and officers' decisions honoured by later runs,
//! through the register's use cases on both backends.

use sapar_match::synth::synth_persons;
use sapar_model::DocumentKey;
use sapar_register::linking::LinkOptions;
use sapar_store::RecordCrossing;
use sapar_store::identity::{ReviewDecision, ReviewStatus};

use crate::{Fixture, admin, officer};

sapar_test_support::on_both_backends!(crate::fixture => linking_merges_proposes_and_honours_decisions_in_later_runs);

async fn linking_merges_proposes_and_honours_decisions_in_later_runs(fixture: Fixture) {
    let Fixture { register, db, .. } = &fixture;
    let store = &db.store;
    // A register (Cyrillic) and later arrivals (mostly Latin documents), a third of them the
    // same people, a third of those under a renewed passport: the register cannot know them.
    let (known_persons, arrivals, _) = synth_persons(300, 0.35, 11);
    let rows: Vec<RecordCrossing> = known_persons
        .iter()
        .map(|r| sapar_test_support::generated_entry(r, "2025-01-10T09:00:00+05:00"))
        .chain(arrivals.iter().map(|r| sapar_test_support::generated_entry(r, "2025-03-10T09:00:00+05:00")))
        .flatten()
        .collect();
    assert!(rows.len() > 590, "almost every generated record is a valid crossing");
    store.record_batch(rows).await.unwrap();
    let [persons, documents, crossings] = store.counts().await.unwrap();

    // First run with nothing automatic: every candidate pair goes to the queue.
    let queue_all = LinkOptions { upper: 1.0, ..LinkOptions::default() };
    let first = register.link(&admin(), queue_all).await.unwrap();
    assert_eq!((first.model, first.linked as i64), ("fitted", persons));
    assert!(first.proposed > 10, "renewed passports under the same names are found: {first:?}");
    assert_eq!(store.pending_review_count().await.unwrap(), first.proposed as i64);

    // Nothing new: a second run links nobody.
    let idle = register.link(&admin(), LinkOptions::default()).await.unwrap();
    assert_eq!((idle.linked, idle.merged, idle.proposed), (0, 0, 0));

    // The officer rejects the most probable pair and confirms the next one.
    let best = store.pending_review_items(2, 0).await.unwrap();
    let (rejected, confirmed) = (&best[0], &best[1]);
    assert!(rejected.probability >= 0.99, "{}", rejected.probability);
    let (a, b) = (rejected.person_a.id, rejected.person_b.id);
    register.decide_review(&officer(), rejected.id, ReviewDecision::NonMatch, None).await.unwrap();
    let merged =
        register.decide_review(&officer(), confirmed.id, ReviewDecision::Match, Some("same photo")).await.unwrap();
    let survivor = merged.merge.unwrap().survivor;

    // Comparing everyone again with the default upper threshold would merge the rejected pair,
    // were the decision not honoured: it is neither merged nor proposed again. The other pairs
    // that reach the threshold are merged, and their queue items superseded.
    let again = register.link(&admin(), LinkOptions { relink_all: true, ..LinkOptions::default() }).await.unwrap();
    assert_eq!((again.model, again.non_matches), ("stored", 1));
    assert!(again.merged > 0, "{again:?}");
    assert_eq!(store.resolve_person(a).await.unwrap(), Some(a));
    assert_eq!(store.resolve_person(b).await.unwrap(), Some(b));
    let pending = store.pending_review_items(1000, 0).await.unwrap();
    assert!(pending.iter().all(|i| (i.person_a.id, i.person_b.id) != (a, b)));
    assert!(pending.iter().all(|i| i.probability < 0.99), "pairs at the threshold were merged");
    assert_eq!(store.review_item(rejected.id).await.unwrap().unwrap().status, ReviewStatus::NonMatch);
    assert_eq!(store.resolve_person(confirmed.person_b.id).await.unwrap(), Some(survivor));
    assert_eq!(store.resolve_person(confirmed.person_a.id).await.unwrap(), Some(survivor));
    assert_eq!(store.counts().await.unwrap(), [persons, documents, crossings], "merging loses no row");

    // A newcomer: a register person again, under yet another passport. Only they are linked.
    let known = &known_persons[0];
    let mut renewed = known.clone();
    renewed.values[7] = "ZZ9999999".into();
    let row = sapar_test_support::generated_entry(&renewed, "2025-06-01T09:00:00+05:00").unwrap();
    let newcomer = store.record_crossing(row).await.unwrap().person_id;
    let later = register.link(&admin(), LinkOptions::default()).await.unwrap();
    assert_eq!(later.linked, 1);
    assert!(later.merged == 1 || later.proposed >= 1, "the newcomer is merged or queued: {later:?}");
    let key = DocumentKey::parse_reference(&format!("{}:{}", known.values[6], known.values[7])).unwrap();
    let holder = store.person_by_document(&key).await.unwrap().unwrap().person.id;
    if later.merged == 1 {
        assert_eq!(store.resolve_person(newcomer).await.unwrap(), Some(holder));
    } else {
        let item = &store.pending_review_items(1000, 0).await.unwrap();
        assert!(item.iter().any(|i| [i.person_a.id, i.person_b.id].contains(&newcomer)));
    }
}
