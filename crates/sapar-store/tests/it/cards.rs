//! Migrant cards on both backends: one card in force per person, a replacement revokes the old
//! card in the same transaction, a renewal only moves the last day later and keeps the seal it
//! replaced, a revocation is recorded once, cards follow a merge, and nothing is ever deleted.

use jiff::Timestamp;
use jiff::civil::{Date, date};
use sapar_model::{Country, Direction, PersonId};
use sapar_store::Store;
use sapar_store::cards::{CardRevocation, CardWriteError, NewCard, Revocation};
use sapar_test_support::TestDb;

use crate::support::crossing;

sapar_test_support::on_both_backends!(
    a_person_holds_one_card_in_force_and_a_replacement_revokes_the_old_one,
    a_renewal_moves_the_last_day_later_and_keeps_the_replaced_seal,
    a_card_is_revoked_once_and_never_deleted,
    cards_follow_a_merge_without_two_in_force,
);

async fn person(store: &Store, document: &str) -> PersonId {
    store.record_crossing(crossing(document, Direction::Entry, "2026-03-01T10:00:00+05:00")).await.unwrap().person_id
}

fn card(person: PersonId, serial: i64, valid_until: Date) -> NewCard {
    NewCard {
        number: format!("KZ{serial:09}0"),
        serial,
        person_id: person,
        issuing_state: Country::KAZ,
        entry_id: None,
        issued_on: date(2026, 3, 1),
        valid_until,
        issued_by: "border-1".into(),
        issued_at: Timestamp::now(),
        seal: format!("{{\"seal\":{serial}}}"),
    }
}

fn revocation(reason: Revocation, on: Date) -> CardRevocation {
    CardRevocation { on, reason, note: None, by: "officer-1".into(), at: Timestamp::now() }
}

async fn a_person_holds_one_card_in_force_and_a_replacement_revokes_the_old_one(db: TestDb) {
    let store = &db.store;
    let holder = person(store, "KGZ:AC2000001").await;
    assert_eq!(store.next_card_serial().await.unwrap(), 1);
    let first = store.issue_card(card(holder, 1, date(2026, 5, 29)), None).await.unwrap();
    assert_eq!((first.serial, first.revocation.as_ref()), (1, None));
    assert_eq!(store.next_card_serial().await.unwrap(), 2);

    match store.issue_card(card(holder, 2, date(2026, 5, 29)), None).await {
        Err(CardWriteError::CardInForce(number)) => assert_eq!(number, first.number),
        other => panic!("a second card in force is refused: {other:?}"),
    }
    let other = person(store, "KGZ:AC2000002").await;
    assert!(matches!(
        store.issue_card(card(other, 1, date(2026, 5, 29)), None).await,
        Err(CardWriteError::SerialTaken(1))
    ));
    assert!(matches!(
        store.issue_card(card(PersonId::new_v7(), 3, date(2026, 5, 29)), None).await,
        Err(CardWriteError::PersonNotFound)
    ));
    assert!(store.cards_of(other).await.unwrap().is_empty(), "the refused cards stored nothing");

    let second = store
        .issue_card(
            card(holder, 2, date(2026, 8, 31)),
            Some((&first.number, revocation(Revocation::Replaced, date(2026, 4, 1)))),
        )
        .await
        .unwrap();
    let cards = store.cards_of(holder).await.unwrap();
    assert_eq!(cards.len(), 2);
    assert_eq!(cards[0].revocation.as_ref().map(|r| r.reason), Some(Revocation::Replaced));
    assert_eq!(store.card_in_force(holder).await.unwrap(), Some(second));
}

async fn a_renewal_moves_the_last_day_later_and_keeps_the_replaced_seal(db: TestDb) {
    let store = &db.store;
    let holder = person(store, "KGZ:AC2000003").await;
    let issued = store.issue_card(card(holder, 7, date(2026, 5, 29)), None).await.unwrap();
    assert_eq!(
        store.renew_card(&issued.number, date(2026, 5, 1), "{}", "officer-1", Timestamp::now()).await.unwrap(),
        None
    );
    let renewed = store
        .renew_card(&issued.number, date(2027, 2, 28), "{\"renewed\":1}", "officer-1", Timestamp::now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((renewed.valid_until, renewed.seal.as_str()), (date(2027, 2, 28), "{\"renewed\":1}"));
    let renewals = store.card_renewals(&issued.number).await.unwrap();
    assert_eq!(renewals.len(), 1);
    assert_eq!(
        (renewals[0].previous_valid_until, renewals[0].previous_seal.as_str()),
        (date(2026, 5, 29), issued.seal.as_str())
    );

    store.revoke_card(&issued.number, revocation(Revocation::Exit, date(2026, 6, 1))).await.unwrap().unwrap();
    assert!(matches!(
        store.renew_card(&issued.number, date(2027, 6, 1), "{}", "officer-1", Timestamp::now()).await,
        Err(CardWriteError::Revoked(on)) if on == date(2026, 6, 1)
    ));
    assert!(matches!(
        store.renew_card("KZ0000000000", date(2027, 6, 1), "{}", "officer-1", Timestamp::now()).await,
        Err(CardWriteError::NotFound)
    ));
}

async fn a_card_is_revoked_once_and_never_deleted(db: TestDb) {
    let store = &db.store;
    let holder = person(store, "KGZ:AC2000004").await;
    let issued = store.issue_card(card(holder, 3, date(2026, 5, 29)), None).await.unwrap();
    store.renew_card(&issued.number, date(2026, 6, 29), "{}", "officer-1", Timestamp::now()).await.unwrap().unwrap();
    let revoked =
        store.revoke_card(&issued.number, revocation(Revocation::Expulsion, date(2026, 4, 2))).await.unwrap().unwrap();
    assert!(!revoked.valid_on(date(2026, 4, 3)));
    assert_eq!(
        store.revoke_card(&issued.number, revocation(Revocation::Exit, date(2026, 4, 5))).await.unwrap(),
        None,
        "a card is revoked once"
    );
    assert_eq!(store.card(&issued.number).await.unwrap(), Some(revoked));
    assert!(matches!(
        store.revoke_card("KZ0000000000", revocation(Revocation::Exit, date(2026, 4, 5))).await,
        Err(CardWriteError::NotFound)
    ));
    assert_eq!(store.card_in_force(holder).await.unwrap(), None);

    crate::support::assert_refused_by_the_database(
        store,
        &["DELETE FROM cards", "DELETE FROM card_renewals"],
        &["TRUNCATE cards CASCADE", "TRUNCATE card_renewals"],
        "never deleted",
    )
    .await;
    assert_eq!(store.cards_of(holder).await.unwrap().len(), 1);
}

async fn cards_follow_a_merge_without_two_in_force(db: TestDb) {
    let store = &db.store;
    let older = person(store, "KGZ:AC2000005").await;
    let newer = person(store, "KGZ:AC2000006").await;
    let kept = store.issue_card(card(older, 11, date(2026, 5, 29)), None).await.unwrap();
    let old = store.issue_card(card(newer, 12, date(2026, 5, 29)), None).await.unwrap();
    store.revoke_card(&old.number, revocation(Revocation::Exit, date(2026, 3, 5))).await.unwrap().unwrap();
    let in_force = store.issue_card(card(newer, 13, date(2026, 5, 29)), None).await.unwrap();
    let merge = store.merge_persons(older, newer, 0.99, Timestamp::now()).await.unwrap().unwrap();
    assert_eq!(merge.survivor, older);
    let numbers: Vec<_> = store.cards_of(older).await.unwrap().into_iter().map(|c| c.number).collect();
    assert_eq!(numbers, [kept.number.clone(), old.number], "the revoked card moved; the one in force stayed");
    assert_eq!(store.card_in_force(older).await.unwrap().map(|c| c.number), Some(kept.number));
    assert_eq!(store.card(&in_force.number).await.unwrap().map(|c| c.person_id), Some(newer));
}
