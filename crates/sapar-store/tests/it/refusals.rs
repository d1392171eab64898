//! Entries refused at the border: stored with the person's history, never part of a stay, and
//! counted by post and ground.

use jiff::civil::date;
use sapar_model::{CrossingPoint, Direction, DocumentKey, Outcome, RefusalGround};
use sapar_rules::Stay;
use sapar_store::refusals::RefusalCount;
use sapar_store::{RecordCrossing, RecordError, RegisterRejection};
use sapar_test_support::TestDb;

use crate::support::crossing;

sapar_test_support::on_both_backends!(
    refused_entry_is_stored_in_the_history_and_opens_no_stay,
    refused_entry_between_crossings_leaves_the_stays_as_they_were,
    refused_entry_replays_and_conflicts_like_a_crossing,
    refusals_are_counted_by_post_and_ground,
);

fn refused(document: &str, at: &str, ground: RefusalGround, point: &str) -> RecordCrossing {
    let mut row = crossing(document, Direction::Entry, at);
    row.crossing.point = CrossingPoint::parse(point).unwrap();
    row.crossing.outcome = Outcome::Refused { ground, note: Some("seen at the desk".into()) };
    row
}

pub(crate) async fn refused_entry_is_stored_in_the_history_and_opens_no_stay(db: TestDb) {
    let store = &db.store;
    let row = refused("KGZ:R1", "2025-04-01T09:30:00+05:00[Asia/Almaty]", RefusalGround::EntryBan, "KZ-KORDAY");
    let receipt = store.record_crossing(row.clone()).await.unwrap();
    assert!(receipt.person_created, "a refused traveller is on record");
    let record = store.person(receipt.person_id).await.unwrap().unwrap();
    assert!(record.crossings.is_empty(), "a refusal is no crossing");
    assert_eq!(record.refusals.len(), 1);
    assert_eq!(record.refusals[0].id, row.id);
    assert_eq!(record.refusals[0].outcome, row.crossing.outcome);
    assert!(store.present_persons().await.unwrap().is_empty(), "nobody entered");
    assert_eq!(store.daily_count_total().await.unwrap(), 0, "the daily counts count crossings");
    // The refused traveller never entered, so there is nothing to leave from.
    let exit = store.record_crossing(crossing("KGZ:R1", Direction::Exit, "2025-04-02T10:00:00Z")).await;
    assert!(matches!(exit, Err(RecordError::Rejected(RegisterRejection::ExitWithoutEntry))), "{exit:?}");
    // Admitted later: the stay opens on that day.
    store.record_crossing(crossing("KGZ:R1", Direction::Entry, "2025-04-10T10:00:00Z")).await.unwrap();
    let present = store.present_persons().await.unwrap();
    assert_eq!(present.len(), 1);
    assert_eq!(present[0].stays, vec![Stay::open(date(2025, 4, 10))]);
}

pub(crate) async fn refused_entry_between_crossings_leaves_the_stays_as_they_were(db: TestDb) {
    let store = &db.store;
    store.record_crossing(crossing("KGZ:R2", Direction::Entry, "2025-01-05T10:00:00Z")).await.unwrap();
    store.record_crossing(crossing("KGZ:R2", Direction::Exit, "2025-02-01T10:00:00Z")).await.unwrap();
    store.record_crossing(crossing("KGZ:R2", Direction::Entry, "2025-03-01T10:00:00Z")).await.unwrap();
    // A refusal reported late, inside the closed stay, and one after the latest entry: neither
    // changes the stays (the late one would otherwise rebuild them from every row).
    store
        .record_batch(vec![
            refused("KGZ:R2", "2025-01-20T10:00:00Z", RefusalGround::InvalidDocument, "KZ-ALA-AIR"),
            refused("KGZ:R2", "2025-03-05T10:00:00Z", RefusalGround::Other, "KZ-ALA-AIR"),
        ])
        .await
        .unwrap()
        .into_iter()
        .for_each(|outcome| assert!(outcome.is_ok(), "{outcome:?}"));
    let present = store.present_persons().await.unwrap();
    assert_eq!(present[0].stays, vec![Stay::closed(date(2025, 1, 5), date(2025, 2, 1)), Stay::open(date(2025, 3, 1))]);
    // The latest crossing is still the March entry: an exit is accepted.
    store.record_crossing(crossing("KGZ:R2", Direction::Exit, "2025-03-10T10:00:00Z")).await.unwrap();
    let key = DocumentKey::parse_reference("KGZ:R2").unwrap();
    let record = store.person_by_document(&key).await.unwrap().unwrap();
    assert_eq!(record.crossings.len(), 4);
    assert_eq!(record.refusals.len(), 2);
    assert!(store.present_persons().await.unwrap().is_empty());
}

pub(crate) async fn refused_entry_replays_and_conflicts_like_a_crossing(db: TestDb) {
    let store = &db.store;
    let row = refused("KGZ:R3", "2025-04-01T10:00:00Z", RefusalGround::NoVisa, "KZ-ALA-AIR");
    let first = store.record_crossing(row.clone()).await.unwrap();
    let again = store.record_crossing(row.clone()).await.unwrap();
    assert!(again.replayed);
    assert_eq!(again.person_id, first.person_id);
    // The same id with another ground, or as a crossing, is other content.
    let other_ground = RecordCrossing {
        crossing: sapar_model::NewCrossing {
            outcome: Outcome::Refused { ground: RefusalGround::PublicSafety, note: Some("seen at the desk".into()) },
            ..row.crossing.clone()
        },
        ..row.clone()
    };
    let crossed = RecordCrossing {
        crossing: sapar_model::NewCrossing { outcome: Outcome::Crossed, ..row.crossing.clone() },
        ..row
    };
    for other in [other_ground, crossed] {
        let err = store.record_crossing(other).await.unwrap_err();
        assert!(matches!(err, RecordError::Rejected(RegisterRejection::IdConflict)), "{err:?}");
    }
    assert_eq!(store.counts().await.unwrap(), [1, 1, 1]);
}

pub(crate) async fn refusals_are_counted_by_post_and_ground(db: TestDb) {
    let store = &db.store;
    let rows = vec![
        refused("KGZ:C1", "2025-03-31T23:30:00+05:00[Asia/Almaty]", RefusalGround::EntryBan, "KZ-KORDAY"),
        refused("KGZ:C2", "2025-04-01T09:00:00+05:00[Asia/Almaty]", RefusalGround::EntryBan, "KZ-KORDAY"),
        refused("KGZ:C3", "2025-04-15T09:00:00+05:00[Asia/Almaty]", RefusalGround::EntryBan, "KZ-KORDAY"),
        refused("KGZ:C4", "2025-04-15T09:00:00+05:00[Asia/Almaty]", RefusalGround::InvalidDocument, "KZ-KORDAY"),
        refused("KGZ:C5", "2025-04-30T23:00:00+05:00[Asia/Almaty]", RefusalGround::NoDaysLeft, "KZ-ALA-AIR"),
        // The local date at the post counts: 1 May at the post, though still 30 April in UTC.
        refused("KGZ:C6", "2025-05-01T00:10:00+05:00[Asia/Almaty]", RefusalGround::NoDaysLeft, "KZ-ALA-AIR"),
    ];
    store.record_batch(rows).await.unwrap();
    // Crossings are not refusals.
    store.record_crossing(crossing("KGZ:C7", Direction::Entry, "2025-04-10T10:00:00Z")).await.unwrap();
    let april = store.refusal_counts(date(2025, 4, 1), date(2025, 4, 30)).await.unwrap();
    let count =
        |point: &str, ground, count| RefusalCount { point: CrossingPoint::parse(point).unwrap(), ground, count };
    assert_eq!(
        april,
        vec![
            count("KZ-ALA-AIR", RefusalGround::NoDaysLeft, 1),
            count("KZ-KORDAY", RefusalGround::EntryBan, 2),
            count("KZ-KORDAY", RefusalGround::InvalidDocument, 1),
        ]
    );
    let whole = store.refusal_counts(date(2025, 3, 1), date(2025, 5, 31)).await.unwrap();
    assert_eq!(whole.iter().map(|c| c.count).sum::<u64>(), 6);
    assert!(store.refusal_counts(date(2025, 6, 1), date(2025, 6, 30)).await.unwrap().is_empty());
}
