//! Identity resolution storage contract (review queue, merges, models, linking runs), on both
//! backends.

use jiff::Timestamp;
use sapar_model::{Direction, DocumentKey, PersonId};
use sapar_store::identity::{
    AutoMerge, DecideError, LinkBatch, LinkRunStart, Merge, ReviewDecision, ReviewProposal, ReviewStatus, StoredModel,
};
use sapar_store::permits::{NewPermit, PermitKind, PermitPurpose};
use sapar_store::{OverstayDraft, RecordError, RegisterRejection, Store, ViolationStatus};
use sapar_test_support::TestDb;
use uuid::Uuid;

use crate::support::crossing;

sapar_test_support::on_both_backends!(
    proposing_skips_pairs_already_pending_or_decided,
    a_non_match_persists_across_reopening_and_is_never_proposed_again,
    a_match_moves_documents_crossings_permits_and_violations_to_the_older_person,
    deciding_twice_or_an_unknown_item_fails_and_changes_nothing,
    pending_items_of_a_merged_person_name_the_survivor,
    link_batches_merge_propose_and_mark_persons_linked,
    the_newest_model_is_the_one_used,
);

const ENTRY: Direction = Direction::Entry;
const EXIT: Direction = Direction::Exit;

/// A person created by an entry with `document` (all test persons share the same details).
async fn person(store: &Store, document: &str, at: &str) -> PersonId {
    let receipt = store.record_crossing(crossing(document, ENTRY, at)).await.unwrap();
    assert!(receipt.person_created);
    receipt.person_id
}

fn proposal(a: PersonId, b: PersonId, probability: f64) -> ReviewProposal {
    ReviewProposal {
        a,
        b,
        probability,
        weight: (probability / (1.0 - probability)).log2(),
        explanation: r#"{"fields":[]}"#.to_owned(),
    }
}

fn pair(a: PersonId, b: PersonId) -> (PersonId, PersonId) {
    if a.as_uuid() <= b.as_uuid() { (a, b) } else { (b, a) }
}

async fn pending_pairs(store: &Store) -> Vec<(PersonId, PersonId)> {
    let items = store.pending_review_items(100, 0).await.unwrap();
    let mut pairs: Vec<_> = items.iter().map(|i| (i.person_a.id, i.person_b.id)).collect();
    pairs.sort_by_key(|(a, b)| (a.as_uuid(), b.as_uuid()));
    pairs
}

fn sorted(mut pairs: Vec<(PersonId, PersonId)>) -> Vec<(PersonId, PersonId)> {
    pairs.sort_by_key(|(a, b)| (a.as_uuid(), b.as_uuid()));
    pairs
}

async fn decide(store: &Store, a: PersonId, b: PersonId, decision: ReviewDecision) -> Option<Merge> {
    let (a, b) = pair(a, b);
    let items = store.pending_review_items(100, 0).await.unwrap();
    let item = items.iter().find(|i| (i.person_a.id, i.person_b.id) == (a, b)).expect("the pair is pending");
    let decided =
        store.decide_review_item(item.id, decision, "officer-1", Some("checked"), Timestamp::now()).await.unwrap();
    assert_eq!(decided.status, decision_status(decision));
    decided.merge
}

fn decision_status(d: ReviewDecision) -> ReviewStatus {
    match d {
        ReviewDecision::Match => ReviewStatus::Match,
        ReviewDecision::NonMatch => ReviewStatus::NonMatch,
    }
}

pub(crate) async fn proposing_skips_pairs_already_pending_or_decided(db: TestDb) {
    let store = &db.store;
    let a = person(store, "KGZ:A1", "2025-01-01T10:00:00Z").await;
    let b = person(store, "KGZ:B1", "2025-01-02T10:00:00Z").await;
    let c = person(store, "KGZ:C1", "2025-01-03T10:00:00Z").await;
    let now = Timestamp::now();
    assert_eq!(store.propose_review_items(vec![proposal(a, b, 0.7), proposal(b, c, 0.6)], now).await.unwrap(), 2);
    // The same pair in the other order, a pair with itself, and an unknown person: nothing new.
    let again = vec![proposal(b, a, 0.8), proposal(c, c, 0.9), proposal(a, PersonId::new_v7(), 0.9)];
    assert_eq!(store.propose_review_items(again, now).await.unwrap(), 0);
    assert_eq!(store.pending_review_count().await.unwrap(), 2);
    decide(store, a, b, ReviewDecision::NonMatch).await;
    decide(store, b, c, ReviewDecision::Match).await;
    // Decided pairs are not proposed again, in either order; a new pair is.
    let later = vec![proposal(a, b, 0.9), proposal(b, a, 0.9), proposal(c, b, 0.9), proposal(a, c, 0.55)];
    assert_eq!(store.propose_review_items(later, now).await.unwrap(), 0, "b and c are one person now: a-c is a-b");
    let d = person(store, "KGZ:D1", "2025-01-04T10:00:00Z").await;
    assert_eq!(store.propose_review_items(vec![proposal(a, d, 0.6)], now).await.unwrap(), 1);
    assert_eq!(pending_pairs(store).await, vec![pair(a, d)]);
}

pub(crate) async fn a_non_match_persists_across_reopening_and_is_never_proposed_again(db: TestDb) {
    let store = &db.store;
    let a = person(store, "KGZ:A1", "2025-01-01T10:00:00Z").await;
    let b = person(store, "KGZ:B1", "2025-01-02T10:00:00Z").await;
    store.propose_review_items(vec![proposal(a, b, 0.75)], Timestamp::now()).await.unwrap();
    let id = store.pending_review_items(10, 0).await.unwrap()[0].id;
    let decided = store
        .decide_review_item(id, ReviewDecision::NonMatch, "officer-7", Some("different fathers"), Timestamp::now())
        .await
        .unwrap();
    assert_eq!((decided.status, decided.merge), (ReviewStatus::NonMatch, None));
    let reopened = Store::open(&db.url).await.unwrap();
    let item = reopened.review_item(id).await.unwrap().unwrap();
    assert_eq!(item.status, ReviewStatus::NonMatch);
    assert_eq!((item.decided_by.as_deref(), item.note.as_deref()), (Some("officer-7"), Some("different fathers")));
    assert!(item.decided_at.is_some());
    assert_eq!(reopened.confirmed_non_matches().await.unwrap(), vec![pair(a, b)]);
    assert_eq!(reopened.propose_review_items(vec![proposal(b, a, 0.95)], Timestamp::now()).await.unwrap(), 0);
    assert_eq!(reopened.pending_review_count().await.unwrap(), 0);
    // Nobody was merged.
    assert_eq!(reopened.resolve_person(b).await.unwrap(), Some(b));
    assert_eq!(reopened.counts().await.unwrap(), [2, 2, 2]);
}

pub(crate) async fn a_match_moves_documents_crossings_permits_and_violations_to_the_older_person(db: TestDb) {
    let store = &db.store;
    use jiff::civil::date;
    use sapar_rules::Stay;
    // The older person: in and out in January. The younger: in again in February, under a new
    // passport the register did not know.
    let older = person(store, "KGZ:OLD1", "2025-01-01T10:00:00Z").await;
    store.record_crossing(crossing("KGZ:OLD1", EXIT, "2025-01-10T10:00:00Z")).await.unwrap();
    let younger = person(store, "KGZ:NEW1", "2025-02-01T10:00:00Z").await;
    let draft = |person_id, entry: i8, night: i8, overstay_days| OverstayDraft {
        person_id,
        stay_entry: date(2025, entry, 1),
        detected_on: date(2025, 5, night),
        overstay_days,
        last_legal_day: None,
        rule_id: "KAZ-EAEU-90-180".to_owned(),
    };
    let at = Timestamp::now();
    // The same stay (entered 1 January) on both, and one of the younger person's own.
    let drafts = vec![draft(older, 1, 1, 1), draft(younger, 1, 2, 2), draft(younger, 2, 3, 3)];
    store.record_overstay_drafts(drafts, at).await.unwrap();
    let permit = store
        .record_permit(NewPermit {
            person_id: younger,
            kind: PermitKind::TemporaryResidence,
            purpose: Some(PermitPurpose::Family),
            number: "TR-NEW1".into(),
            valid_from: date(2025, 2, 1),
            valid_to: date(2025, 12, 31),
            issued_by: None,
            employer_id: None,
            recorded_by: "test".into(),
            recorded_at: at,
        })
        .await
        .unwrap();
    let before = store.counts().await.unwrap();
    assert_eq!(before, [2, 2, 3]);
    let daily = store.daily_count_total().await.unwrap();

    store.propose_review_items(vec![proposal(younger, older, 0.8)], at).await.unwrap();
    let merge = decide(store, older, younger, ReviewDecision::Match).await;
    assert_eq!(merge, Some(Merge { merged: younger, survivor: older }));

    let survivor = store.person(older).await.unwrap().unwrap();
    let documents: Vec<String> = survivor.person.documents.iter().map(|d| d.key.to_string()).collect();
    assert_eq!(documents, ["KGZ:NEW1", "KGZ:OLD1"]);
    assert_eq!(survivor.crossings.iter().map(|c| c.direction).collect::<Vec<_>>(), [ENTRY, EXIT, ENTRY]);
    assert!(survivor.crossings.iter().all(|c| c.person_id == older));
    let merged = store.person(younger).await.unwrap().unwrap();
    assert!(merged.person.documents.is_empty() && merged.crossings.is_empty() && merged.permits.is_empty());
    assert_eq!(survivor.permits.iter().map(|p| (p.id, p.person_id)).collect::<Vec<_>>(), [(permit.id, older)]);
    let periods = sapar_rules::Permit { from: date(2025, 2, 1), to: date(2025, 12, 31) };
    assert_eq!(store.resolve_person(younger).await.unwrap(), Some(older));
    assert_eq!(store.resolve_person(older).await.unwrap(), Some(older));
    assert_eq!(store.resolve_person(PersonId::new_v7()).await.unwrap(), None);
    assert_eq!(store.merged_into(older).await.unwrap(), vec![younger]);
    let key = DocumentKey::parse_reference("KGZ:NEW1").unwrap();
    assert_eq!(store.person_by_document(&key).await.unwrap().unwrap().person.id, older);
    assert_eq!(store.counts().await.unwrap(), before, "rows move, none are lost or added");
    assert_eq!(store.daily_count_total().await.unwrap(), daily);
    // The same stay on both keeps the survivor's draft; the other stay's moves over.
    let violations = store.violations_of(older).await.unwrap();
    let kept: Vec<_> = violations
        .iter()
        .filter_map(|v| Some((v.overstay.as_ref()?, v)))
        .map(|(o, v)| (o.stay_entry.month(), v.detected_on.day(), o.overstay_days))
        .collect();
    assert_eq!(kept, [(1, 1, 1), (2, 3, 3)]);
    assert!(violations.iter().all(|v| v.status == ViolationStatus::Draft));
    assert!(store.violations_of(younger).await.unwrap().is_empty());
    // The survivor's latest crossing is now the February entry: in the country, and an exit
    // under either passport is accepted (it would be refused after the January exit).
    let present = store.present_persons().await.unwrap();
    assert_eq!(present.iter().map(|p| p.id).collect::<Vec<_>>(), vec![older]);
    let stays = vec![Stay::closed(date(2025, 1, 1), date(2025, 1, 10)), Stay::open(date(2025, 2, 1))];
    assert_eq!(present[0].stays, stays, "the stay history is rebuilt from both persons' crossings");
    assert_eq!(present[0].permits, [periods], "the sweep sees the permit on the survivor");
    let exit = store.record_crossing(crossing("KGZ:OLD1", EXIT, "2025-03-01T10:00:00Z")).await.unwrap();
    assert_eq!(exit.person_id, older);
    let again = store.record_crossing(crossing("KGZ:NEW1", EXIT, "2025-03-02T10:00:00Z")).await.unwrap_err();
    assert!(matches!(again, RecordError::Rejected(RegisterRejection::ExitWithoutEntry)), "{again:?}");
}

pub(crate) async fn deciding_twice_or_an_unknown_item_fails_and_changes_nothing(db: TestDb) {
    let store = &db.store;
    let a = person(store, "KGZ:A1", "2025-01-01T10:00:00Z").await;
    let b = person(store, "KGZ:B1", "2025-01-02T10:00:00Z").await;
    store.propose_review_items(vec![proposal(a, b, 0.9)], Timestamp::now()).await.unwrap();
    let id = store.pending_review_items(10, 0).await.unwrap()[0].id;
    store.decide_review_item(id, ReviewDecision::Match, "officer-1", None, Timestamp::now()).await.unwrap();
    let counts = store.counts().await.unwrap();
    let first = store.review_item(id).await.unwrap().unwrap();
    for decision in [ReviewDecision::NonMatch, ReviewDecision::Match] {
        let err = store
            .decide_review_item(id, decision, "officer-2", Some("second thoughts"), Timestamp::now())
            .await
            .unwrap_err();
        assert!(matches!(err, DecideError::AlreadyDecided(ReviewStatus::Match)), "{err:?}");
    }
    assert_eq!(store.review_item(id).await.unwrap().unwrap(), first);
    assert_eq!(first.decided_by.as_deref(), Some("officer-1"));
    assert_eq!(store.counts().await.unwrap(), counts);
    assert_eq!(store.merged_into(a).await.unwrap(), vec![b]);
    let err = store
        .decide_review_item(Uuid::now_v7(), ReviewDecision::NonMatch, "officer-1", None, Timestamp::now())
        .await
        .unwrap_err();
    assert!(matches!(err, DecideError::NotFound), "{err:?}");
    assert!(store.review_item(Uuid::now_v7()).await.unwrap().is_none());
}

pub(crate) async fn pending_items_of_a_merged_person_name_the_survivor(db: TestDb) {
    let store = &db.store;
    let a = person(store, "KGZ:A1", "2025-01-01T10:00:00Z").await;
    let b = person(store, "KGZ:B1", "2025-01-02T10:00:00Z").await;
    let c = person(store, "KGZ:C1", "2025-01-03T10:00:00Z").await;
    let d = person(store, "KGZ:D1", "2025-01-04T10:00:00Z").await;
    let at = Timestamp::now();
    let proposals = vec![proposal(a, b, 0.9), proposal(b, c, 0.8), proposal(a, c, 0.7), proposal(b, d, 0.6)];
    assert_eq!(store.propose_review_items(proposals, at).await.unwrap(), 4);
    decide(store, a, b, ReviewDecision::Match).await;
    // b-c would become a-c, already pending: superseded. b-d becomes a-d.
    assert_eq!(pending_pairs(store).await, sorted(vec![pair(a, c), pair(a, d)]));
    let items = store.pending_review_items(10, 0).await.unwrap();
    assert_eq!(items.len(), 2);
    assert!(items[0].probability >= items[1].probability, "highest probability first");
    // A chain: d merged into a (through the re-pointed item), so d resolves to a as well.
    decide(store, a, d, ReviewDecision::Match).await;
    assert_eq!(store.resolve_person(d).await.unwrap(), Some(a));
    assert_eq!(store.merged_into(a).await.unwrap(), vec![b, d]);
    assert_eq!(pending_pairs(store).await, vec![pair(a, c)]);
    let person = &store.pending_review_items(10, 0).await.unwrap()[0];
    let survivor = if person.person_a.id == a { &person.person_a } else { &person.person_b };
    assert_eq!(survivor.documents.len(), 3);
    assert_eq!(survivor.crossings, 3);
}

pub(crate) async fn link_batches_merge_propose_and_mark_persons_linked(db: TestDb) {
    let store = &db.store;
    let a = person(store, "KGZ:A1", "2025-01-01T10:00:00Z").await;
    let b = person(store, "KGZ:B1", "2025-01-02T10:00:00Z").await;
    let c = person(store, "KGZ:C1", "2025-01-03T10:00:00Z").await;
    let d = person(store, "KGZ:D1", "2025-01-04T10:00:00Z").await;
    let model = StoredModel {
        id: Uuid::now_v7(),
        config: "config".into(),
        model: "{}".into(),
        persons: 4,
        fitted_at: Timestamp::now(),
    };
    store.save_link_model(model.clone()).await.unwrap();
    let run = Uuid::now_v7();
    let start = LinkRunStart { id: run, model_id: model.id, started_at: Timestamp::now(), lower: 0.5, upper: 0.99 };
    store.start_link_run(start).await.unwrap();
    let linking = store.persons_for_linking().await.unwrap();
    assert_eq!(linking.iter().map(|p| p.id).collect::<Vec<_>>(), [a, b, c, d], "oldest first");
    assert!(linking.iter().all(|p| !p.linked));
    assert_eq!(linking[0].documents[0].to_string(), "KGZ:A1");
    assert_eq!(linking[0].details.name.latin().unwrap().surname.as_str(), "IVANOV");

    let batch = LinkBatch {
        run_id: run,
        // d is b (b survives); then c-d is proposed and lands as b-c.
        merges: vec![AutoMerge { a: d, b, probability: 0.995 }, AutoMerge { a: b, b: d, probability: 0.995 }],
        proposals: vec![proposal(c, d, 0.6), proposal(b, d, 0.7)],
        linked: vec![a, b, c, d],
        at: Timestamp::now(),
    };
    let outcome = store.apply_link_batch(batch).await.unwrap();
    assert_eq!((outcome.merged, outcome.proposed), (1, 1));
    assert_eq!(store.resolve_person(d).await.unwrap(), Some(b));
    assert_eq!(pending_pairs(store).await, vec![pair(b, c)]);
    store.finish_link_run(run, Timestamp::now()).await.unwrap();
    let linking = store.persons_for_linking().await.unwrap();
    assert_eq!(linking.iter().map(|p| p.id).collect::<Vec<_>>(), [a, b, c], "merged persons are not linked again");
    assert!(linking.iter().all(|p| p.linked));
    assert_eq!(linking[1].documents.len(), 2);
    assert_eq!(store.reattach_merged().await.unwrap(), 0, "a merge leaves nothing behind");
    // An officer rejects a-c while a run is under way: the run's automatic merge of it does nothing.
    store.propose_review_items(vec![proposal(a, c, 0.6)], Timestamp::now()).await.unwrap();
    decide(store, a, c, ReviewDecision::NonMatch).await;
    let late = LinkBatch {
        run_id: run,
        merges: vec![AutoMerge { a: c, b: a, probability: 0.999 }],
        proposals: Vec::new(),
        linked: Vec::new(),
        at: Timestamp::now(),
    };
    assert_eq!(store.apply_link_batch(late).await.unwrap().merged, 0);
    assert_eq!(store.resolve_person(c).await.unwrap(), Some(c));
    // A person recorded after the run is not linked yet.
    let e = person(store, "KGZ:E1", "2025-01-05T10:00:00Z").await;
    let linking = store.persons_for_linking().await.unwrap();
    assert_eq!(linking.iter().filter(|p| !p.linked).map(|p| p.id).collect::<Vec<_>>(), [e]);
}

pub(crate) async fn the_newest_model_is_the_one_used(db: TestDb) {
    let store = &db.store;
    assert!(store.latest_link_model().await.unwrap().is_none());
    let first = StoredModel {
        id: Uuid::now_v7(),
        config: "first".into(),
        model: r#"{"prior":0.1}"#.into(),
        persons: 10,
        fitted_at: "2025-01-01T00:00:00Z".parse().unwrap(),
    };
    let second = StoredModel {
        id: Uuid::now_v7(),
        config: "second".into(),
        model: r#"{"prior":0.2}"#.into(),
        persons: 20,
        fitted_at: "2025-02-01T00:00:00Z".parse().unwrap(),
    };
    store.save_link_model(second.clone()).await.unwrap();
    store.save_link_model(first).await.unwrap();
    assert_eq!(store.latest_link_model().await.unwrap(), Some(second));
}
