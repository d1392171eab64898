//! Registrations of place of stay on both backends: one in force per person (a new one supersedes
//! it in the same transaction), a failure to register recorded once per arrival with its draft
//! violation, registrations following a merge to the survivor, and no statement deleting any of it.

use jiff::Timestamp;
use jiff::civil::{Date, date};
use sapar_model::{Direction, PersonId};
use sapar_rules::Liable;
use sapar_store::Store;
use sapar_store::registrations::{
    Address, FileRegistrationError, FilingChannel, NewRegistration, PartyKind, ReceivingParty, RegistrationFailure,
    RegistrationState,
};
use sapar_test_support::TestDb;
use uuid::Uuid;

use crate::support::crossing;

sapar_test_support::on_both_backends!(
    a_new_registration_supersedes_the_one_in_force_and_a_failure_is_recorded_once,
    registrations_follow_a_merge_and_are_never_deleted,
);

async fn person(store: &Store, document: &str) -> PersonId {
    store.record_crossing(crossing(document, Direction::Entry, "2025-03-01T10:00:00+05:00")).await.unwrap().person_id
}

fn failure(person: PersonId, arrival_on: Date) -> RegistrationFailure {
    RegistrationFailure {
        person_id: person,
        arrival_on,
        due_on: date(2025, 3, 6),
        liable: Liable::ReceivingParty,
        violation_id: Uuid::now_v7(),
        kind: "registration_failure".into(),
        detected_on: date(2025, 3, 10),
        article: None,
        description: "nobody registered the arrival".into(),
        employer_id: None,
        recorded_by: "sweep".into(),
        at: Timestamp::now(),
    }
}

fn registration(person: PersonId, supersedes: Option<Uuid>) -> NewRegistration {
    NewRegistration {
        id: Uuid::now_v7(),
        person_id: person,
        arrival_on: date(2025, 3, 1),
        arrival_crossing: None,
        address: Address {
            region: "KZ-75".into(),
            locality: "Алматы".into(),
            street: None,
            building: None,
            flat: None,
        },
        valid_from: date(2025, 3, 1),
        valid_until: date(2025, 3, 30),
        party: ReceivingParty { kind: PartyKind::Migrant, name: "KARIMOV".into(), identity: None, employer_id: None },
        filed_by: "officer-1".into(),
        channel: FilingChannel::Desk,
        filed_on: date(2025, 3, 2),
        at: Timestamp::now(),
        deadline: None,
        supersedes,
        failure: None,
    }
}

async fn a_new_registration_supersedes_the_one_in_force_and_a_failure_is_recorded_once(db: TestDb) {
    let store = &db.store;
    let holder = person(store, "KGZ:AC2000001").await;
    let first = store.file_registration(registration(holder, None)).await.unwrap();
    let second = store.file_registration(registration(holder, Some(first.id))).await.unwrap();
    let all = store.registrations_of(holder).await.unwrap();
    assert_eq!(
        all.iter().map(|r| (r.id, r.state)).collect::<Vec<_>>(),
        [(first.id, RegistrationState::Superseded), (second.id, RegistrationState::Submitted)]
    );
    assert_eq!(store.registration_in_force(holder).await.unwrap().map(|r| r.id), Some(second.id));
    // Superseding one no longer in force writes nothing.
    let stale = store.file_registration(registration(holder, Some(first.id))).await;
    assert!(matches!(stale, Err(FileRegistrationError::SupersededMeanwhile)), "{stale:?}");
    assert_eq!(store.registrations_of(holder).await.unwrap().len(), 2);

    let other = person(store, "KGZ:AC2000002").await;
    assert_eq!(store.record_registration_failures(vec![failure(other, date(2025, 3, 1))]).await.unwrap(), 1);
    assert_eq!(store.record_registration_failures(vec![failure(other, date(2025, 3, 1))]).await.unwrap(), 0);
    let violations = store.violations_of(other).await.unwrap();
    assert_eq!(violations.len(), 1, "one draft per arrival");
    let accounted = store.accounted_arrivals_since(date(2025, 1, 1)).await.unwrap();
    assert!(accounted.contains(&(other, date(2025, 3, 1))) && accounted.contains(&(holder, date(2025, 3, 1))));
}

async fn registrations_follow_a_merge_and_are_never_deleted(db: TestDb) {
    let store = &db.store;
    let older = person(store, "KGZ:AC2000003").await;
    let newer = person(store, "KGZ:AC2000004").await;
    let kept = store.file_registration(registration(older, None)).await.unwrap();
    let moved = store.file_registration(registration(newer, None)).await.unwrap();
    store.record_registration_failures(vec![failure(newer, date(2025, 2, 1))]).await.unwrap();
    let merge = store.merge_persons(older, newer, 0.99, Timestamp::now()).await.unwrap().unwrap();
    assert_eq!(merge.survivor, older);
    let of_survivor: Vec<Uuid> = store.registrations_of(older).await.unwrap().iter().map(|r| r.id).collect();
    assert_eq!(of_survivor, [kept.id], "one in force each: the merged person's stays where it was");
    assert_eq!(store.registration(moved.id).await.unwrap().map(|r| r.person_id), Some(newer));
    let accounted = store.accounted_arrivals_since(date(2025, 1, 1)).await.unwrap();
    assert!(accounted.contains(&(older, date(2025, 2, 1))), "the failure went to the survivor");

    crate::support::assert_refused_by_the_database(
        store,
        &["DELETE FROM registrations", "DELETE FROM registration_events", "DELETE FROM registration_failures"],
        &["TRUNCATE registrations CASCADE", "TRUNCATE registration_events", "TRUNCATE registration_failures"],
        "never deleted",
    )
    .await;
    assert_eq!(store.registrations_of(older).await.unwrap().len(), 1);
}
