//! Entry bans on both backends: a ban and its event are written together, a lift is recorded
//! once and only while the ban has days left, bans and events follow a merge to the survivor, and
//! no statement deletes either, whoever sends it.

use jiff::Timestamp;
use jiff::civil::{Date, date};
use sapar_model::{Country, Direction, PersonId};
use sapar_store::Store;
use sapar_store::bans::{BanError, BanGround, BanLift, LiftError, NewBan, PersonEventKind};
use sapar_test_support::TestDb;
use uuid::Uuid;

use crate::support::crossing;

sapar_test_support::on_both_backends!(
    a_ban_and_its_event_are_recorded_together_and_lifted_once,
    a_ban_on_nobody_or_ending_before_it_starts_writes_nothing,
    bans_and_events_follow_a_merge_and_are_never_deleted,
);

async fn person(store: &Store, document: &str) -> PersonId {
    store.record_crossing(crossing(document, Direction::Entry, "2025-03-01T10:00:00+05:00")).await.unwrap().person_id
}

fn ban(person: PersonId, starts_on: Date, ends_on: Date) -> NewBan {
    NewBan {
        id: Uuid::now_v7(),
        person_id: person,
        starts_on,
        ends_on,
        ground: BanGround::Expulsion,
        basis: "Закон РК «О миграции населения», ст. 67".into(),
        decision_ref: "№ 2-1234/2025".into(),
        decided_by: None,
        recorded_by: "officer-1".into(),
        recorded_at: Timestamp::now(),
    }
}

fn lift(from: Date) -> BanLift {
    BanLift {
        from,
        reason: "the expulsion was annulled on appeal".into(),
        decision_ref: Some("№ 3а-77/2026".into()),
        by: "officer-2".into(),
        at: Timestamp::now(),
    }
}

async fn a_ban_and_its_event_are_recorded_together_and_lifted_once(db: TestDb) {
    let store = &db.store;
    let holder = person(store, "KGZ:AC1000001").await;
    let recorded = store.record_ban(ban(holder, date(2025, 4, 12), date(2030, 4, 11))).await.unwrap();
    assert_eq!((recorded.ground, recorded.lift.as_ref()), (BanGround::Expulsion, None));
    assert!(recorded.in_force_on(date(2026, 1, 1)));
    assert_eq!(store.bans_of(holder).await.unwrap(), vec![recorded.clone()]);

    let events = store.events_of(holder).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].kind, events[0].subject_id, events[0].citizenship),
        (PersonEventKind::BanRecorded, recorded.id, Country::KGZ)
    );
    assert!(events[0].summary.contains("2030-04-11"), "{}", events[0].summary);

    match store.lift_ban(recorded.id, lift(date(2030, 4, 12))).await {
        Err(LiftError::AlreadyEnded { ends_on, .. }) => assert_eq!(ends_on, date(2030, 4, 11)),
        other => panic!("a lift after the last day changes nothing: {other:?}"),
    }
    let lifted = store.lift_ban(recorded.id, lift(date(2026, 1, 15))).await.unwrap();
    assert_eq!(lifted.last_day(), Some(date(2026, 1, 14)));
    assert!(!lifted.in_force_on(date(2026, 1, 15)));
    match store.lift_ban(recorded.id, lift(date(2026, 2, 1))).await {
        Err(LiftError::AlreadyLifted(from)) => assert_eq!(from, date(2026, 1, 15)),
        other => panic!("a ban is lifted once: {other:?}"),
    }
    assert_eq!(store.ban(recorded.id).await.unwrap(), Some(lifted), "the refused lift changed nothing");
    let kinds: Vec<_> = store.events_of(holder).await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [PersonEventKind::BanRecorded, PersonEventKind::BanLifted]);
    assert!(matches!(store.lift_ban(Uuid::now_v7(), lift(date(2026, 1, 1))).await, Err(LiftError::NotFound)));
}

async fn a_ban_on_nobody_or_ending_before_it_starts_writes_nothing(db: TestDb) {
    let store = &db.store;
    let nobody = PersonId::new_v7();
    assert!(matches!(
        store.record_ban(ban(nobody, date(2025, 1, 1), date(2026, 1, 1))).await,
        Err(BanError::PersonNotFound)
    ));
    assert!(store.events_of(nobody).await.unwrap().is_empty(), "no event without its ban");
    let holder = person(store, "KGZ:AC1000002").await;
    assert!(matches!(
        store.record_ban(ban(holder, date(2026, 1, 1), date(2025, 12, 31))).await,
        Err(BanError::EndsBeforeStart { .. })
    ));
    assert!(store.bans_of(holder).await.unwrap().is_empty());
    assert!(store.events_of(holder).await.unwrap().is_empty());
}

async fn bans_and_events_follow_a_merge_and_are_never_deleted(db: TestDb) {
    let store = &db.store;
    let older = person(store, "KGZ:AC1000003").await;
    let newer = person(store, "KGZ:AC1000004").await;
    let recorded = store.record_ban(ban(newer, date(2025, 4, 12), date(2030, 4, 11))).await.unwrap();
    let merge = store.merge_persons(older, newer, 0.99, Timestamp::now()).await.unwrap().unwrap();
    assert_eq!(merge.survivor, older);
    assert_eq!(store.bans_of(older).await.unwrap().iter().map(|b| b.id).collect::<Vec<_>>(), [recorded.id]);
    assert_eq!(store.events_of(older).await.unwrap().len(), 1);

    crate::support::assert_refused_by_the_database(
        store,
        &["DELETE FROM entry_bans", "DELETE FROM person_events"],
        &["TRUNCATE entry_bans CASCADE", "TRUNCATE person_events"],
        "never deleted",
    )
    .await;
    assert_eq!(store.bans_of(older).await.unwrap().len(), 1);
    assert_eq!(store.events_of(older).await.unwrap().len(), 1);
}
