//! The storage contract, written once and run on both backends.

use sapar_model::{Direction, DocumentKey, PersonId, Role};
use sapar_store::{RecordError, RegisterRejection, Store, TokenRecord};
use sapar_test_support::TestDb;

use crate::support::{crossing, name, number};

sapar_test_support::on_both_backends!(
    entry_creates_person_and_document,
    same_id_same_content_replays_first_receipt,
    same_id_other_content_is_refused_and_writes_nothing,
    exit_without_entry_is_refused_and_writes_nothing,
    exit_after_entry_is_accepted_and_second_exit_refused,
    late_crossings_are_checked_against_history,
    known_document_reuses_person,
    batch_refuses_rows_individually_and_keeps_counts_consistent,
    names_in_both_scripts_and_zones_round_trip,
    lookup_by_unknown_document_or_id_finds_nothing,
    tokens_are_unique_by_name_and_revocable,
    reopening_applies_no_migration_twice,
    present_persons_are_those_whose_latest_crossing_is_an_entry,
    overstay_drafts_are_recorded_once_per_person_and_stay,
    stay_history_follows_late_and_unordered_crossings_and_is_backfilled,
);

const ENTRY: Direction = Direction::Entry;
const EXIT: Direction = Direction::Exit;

async fn counts(store: &Store) -> [i64; 3] {
    store.counts().await.unwrap()
}

pub(crate) async fn entry_creates_person_and_document(db: TestDb) {
    let store = &db.store;
    let row = crossing("KGZ:AC1234567", ENTRY, "2025-04-01T09:30:00+05:00[Asia/Almaty]");
    let receipt = store.record_crossing(row.clone()).await.unwrap();
    assert!(receipt.person_created);
    assert!(!receipt.replayed);
    assert_eq!(receipt.crossing_id, row.id);
    let record = store.person(receipt.person_id).await.unwrap().unwrap();
    assert_eq!(record.person.documents.len(), 1);
    assert_eq!(record.person.documents[0].key.to_string(), "KGZ:AC1234567");
    assert_eq!(record.crossings.len(), 1);
    assert_eq!(record.crossings[0].direction, ENTRY);
    assert_eq!(counts(store).await, [1, 1, 1]);
    assert_eq!(store.daily_count_total().await.unwrap(), 1);
}

pub(crate) async fn same_id_same_content_replays_first_receipt(db: TestDb) {
    let store = &db.store;
    let row = crossing("KGZ:AC1", ENTRY, "2025-04-01T09:30:00+06:00");
    let first = store.record_crossing(row.clone()).await.unwrap();
    let mut again = row.clone();
    again.recorded_at = jiff::Timestamp::now();
    let second = store.record_crossing(again).await.unwrap();
    assert!(second.replayed);
    assert_eq!((second.crossing_id, second.person_id), (first.crossing_id, first.person_id));
    assert_eq!(counts(store).await, [1, 1, 1]);
}

pub(crate) async fn same_id_other_content_is_refused_and_writes_nothing(db: TestDb) {
    let store = &db.store;
    let row = crossing("KGZ:AC1", ENTRY, "2025-04-01T09:30:00+06:00");
    store.record_crossing(row.clone()).await.unwrap();
    // Same id, another document: must not create the other document's holder either.
    let mut other = crossing("KGZ:ZZ999", ENTRY, "2025-04-01T09:30:00+06:00");
    other.id = row.id;
    let err = store.record_crossing(other).await.unwrap_err();
    assert!(matches!(err, RecordError::Rejected(RegisterRejection::IdConflict)), "{err:?}");
    assert_eq!(counts(store).await, [1, 1, 1]);
}

pub(crate) async fn exit_without_entry_is_refused_and_writes_nothing(db: TestDb) {
    let store = &db.store;
    let err = store.record_crossing(crossing("KGZ:AC1", EXIT, "2025-04-01T09:30:00+06:00")).await.unwrap_err();
    assert!(matches!(err, RecordError::Rejected(RegisterRejection::ExitWithoutEntry)), "{err:?}");
    assert_eq!(counts(store).await, [0, 0, 0]);
    assert_eq!(store.daily_count_total().await.unwrap(), 0);
}

pub(crate) async fn exit_after_entry_is_accepted_and_second_exit_refused(db: TestDb) {
    let store = &db.store;
    store.record_crossing(crossing("KGZ:AC1", ENTRY, "2025-04-01T09:30:00+06:00")).await.unwrap();
    let exit = store.record_crossing(crossing("KGZ:AC1", EXIT, "2025-04-20T18:00:00+06:00")).await.unwrap();
    assert!(!exit.person_created);
    let err = store.record_crossing(crossing("KGZ:AC1", EXIT, "2025-04-21T18:00:00+06:00")).await.unwrap_err();
    assert!(matches!(err, RecordError::Rejected(RegisterRejection::ExitWithoutEntry)));
    assert_eq!(counts(store).await, [1, 1, 2]);
}

pub(crate) async fn late_crossings_are_checked_against_history(db: TestDb) {
    let store = &db.store;
    store.record_crossing(crossing("KGZ:AC1", ENTRY, "2025-04-01T10:00:00Z")).await.unwrap();
    store.record_crossing(crossing("KGZ:AC1", EXIT, "2025-04-10T10:00:00Z")).await.unwrap();
    store.record_crossing(crossing("KGZ:AC1", ENTRY, "2025-05-01T10:00:00Z")).await.unwrap();
    // An exit reported late, before the first entry: nothing to leave from.
    let err = store.record_crossing(crossing("KGZ:AC1", EXIT, "2025-03-01T10:00:00Z")).await.unwrap_err();
    assert!(matches!(err, RecordError::Rejected(RegisterRejection::ExitWithoutEntry)));
    // An exit reported late inside the first stay: the latest crossing before it is the entry.
    store.record_crossing(crossing("KGZ:AC1", EXIT, "2025-04-05T10:00:00Z")).await.unwrap();
    // The person's latest state is still the May entry, so an exit now is accepted.
    store.record_crossing(crossing("KGZ:AC1", EXIT, "2025-05-20T10:00:00Z")).await.unwrap();
    let key = DocumentKey::parse_reference("KGZ:AC1").unwrap();
    let record = store.person_by_document(&key).await.unwrap().unwrap();
    let directions: Vec<_> = record.crossings.iter().map(|c| c.direction).collect();
    assert_eq!(directions, [ENTRY, EXIT, EXIT, ENTRY, EXIT]);
}

pub(crate) async fn known_document_reuses_person(db: TestDb) {
    let store = &db.store;
    let a = store.record_crossing(crossing("KAZ:N1", ENTRY, "2025-01-01T00:00:00Z")).await.unwrap();
    let b = store.record_crossing(crossing("KAZ:N1", EXIT, "2025-01-02T00:00:00Z")).await.unwrap();
    let c = store.record_crossing(crossing("KAZ:N2", ENTRY, "2025-01-02T00:00:00Z")).await.unwrap();
    assert_eq!(a.person_id, b.person_id);
    assert_ne!(a.person_id, c.person_id);
    assert!(c.person_created);
    assert_eq!(counts(store).await, [2, 2, 3]);
}

pub(crate) async fn batch_refuses_rows_individually_and_keeps_counts_consistent(db: TestDb) {
    let store = &db.store;
    let entry = crossing("KAZ:N1", ENTRY, "2025-01-01T00:00:00Z");
    let mut conflicting = crossing("KAZ:N1", ENTRY, "2025-01-05T00:00:00Z");
    conflicting.id = entry.id;
    let rows = vec![
        entry.clone(),
        crossing("KAZ:N1", EXIT, "2025-01-03T00:00:00Z"),
        crossing("KAZ:N2", EXIT, "2025-01-03T00:00:00Z"),
        conflicting,
        entry.clone(),
        crossing("KAZ:N3", ENTRY, "2025-01-03T00:00:00Z"),
    ];
    let outcomes = store.record_batch(rows).await.unwrap();
    let shape: Vec<_> = outcomes
        .iter()
        .map(|o| match o {
            Ok(r) if r.replayed => "replay",
            Ok(_) => "ok",
            Err(RegisterRejection::ExitWithoutEntry) => "no-entry",
            Err(RegisterRejection::IdConflict) => "conflict",
        })
        .collect();
    assert_eq!(shape, ["ok", "ok", "no-entry", "conflict", "replay", "ok"]);
    assert_eq!(counts(store).await, [2, 2, 3]);
    assert_eq!(store.daily_count_total().await.unwrap(), 3);
}

pub(crate) async fn names_in_both_scripts_and_zones_round_trip(db: TestDb) {
    let store = &db.store;
    let mut row = crossing("ARM:AP0001", ENTRY, "2025-06-30T23:30:00+04:00[Asia/Yerevan]");
    row.crossing.person.name = sapar_model::PersonName::new(
        Some(name("Арутюнян", Some("Ованнес"), None)),
        Some(name("HARUTYUNYAN", Some("HOVHANNES"), None)),
    )
    .unwrap();
    let receipt = store.record_crossing(row.clone()).await.unwrap();
    store.record_crossing(crossing("ARM:AP0001", EXIT, "2025-07-02T08:00:00+05:00")).await.unwrap();
    let record = store.person(receipt.person_id).await.unwrap().unwrap();
    assert_eq!(record.person.details.name, row.crossing.person.name);
    assert_eq!(record.person.details.birth_date, Some(jiff::civil::date(1990, 5, 17)));
    let first = &record.crossings[0];
    assert_eq!(first.at, row.crossing.at);
    assert_eq!(first.at.time_zone().iana_name(), Some("Asia/Yerevan"));
    assert_eq!(record.crossings[1].at.offset(), jiff::tz::Offset::from_hours(5).unwrap());
}

pub(crate) async fn lookup_by_unknown_document_or_id_finds_nothing(db: TestDb) {
    let store = &db.store;
    store.record_crossing(crossing("KAZ:N1", ENTRY, "2025-01-01T00:00:00Z")).await.unwrap();
    let unknown = DocumentKey::new(sapar_model::Country::KAZ, number("N2")).unwrap();
    assert!(store.person_by_document(&unknown).await.unwrap().is_none());
    assert!(store.person(PersonId::new_v7()).await.unwrap().is_none());
}

pub(crate) async fn tokens_are_unique_by_name_and_revocable(db: TestDb) {
    let store = &db.store;
    let record = TokenRecord {
        id: uuid::Uuid::now_v7(),
        name: "post-7".into(),
        role: Role::Border,
        created_at: jiff::Timestamp::now(),
        revoked_at: None,
        expires_at: None,
    };
    assert!(store.insert_token(record.clone(), [7; 32]).await.unwrap());
    let dup = TokenRecord { id: uuid::Uuid::now_v7(), ..record.clone() };
    assert!(!store.insert_token(dup, [8; 32]).await.unwrap());
    let found = store.token_by_hash([7; 32]).await.unwrap().unwrap();
    assert_eq!((found.name.as_str(), found.role, found.revoked_at), ("post-7", Role::Border, None));
    assert!(store.token_by_hash([8; 32]).await.unwrap().is_none());
    assert!(store.revoke_token("post-7", jiff::Timestamp::now()).await.unwrap());
    assert!(!store.revoke_token("post-7", jiff::Timestamp::now()).await.unwrap());
    assert!(store.token_by_hash([7; 32]).await.unwrap().unwrap().revoked_at.is_some());
    assert_eq!(store.tokens().await.unwrap().len(), 1);
}

pub(crate) async fn reopening_applies_no_migration_twice(db: TestDb) {
    let store = &db.store;
    store.record_crossing(crossing("KAZ:N1", ENTRY, "2025-01-01T00:00:00Z")).await.unwrap();
    let reopened = Store::open(&db.url).await.unwrap();
    assert_eq!(counts(&reopened).await, [1, 1, 1]);
}

pub(crate) async fn present_persons_are_those_whose_latest_crossing_is_an_entry(db: TestDb) {
    let store = &db.store;
    use jiff::civil::date;
    use sapar_rules::Stay;
    // Back and in again: present, one closed stay and one open.
    let back = store.record_crossing(crossing("KGZ:B1", ENTRY, "2025-01-05T10:00:00+05:00[Asia/Almaty]")).await;
    let back = back.unwrap().person_id;
    store.record_crossing(crossing("KGZ:B1", EXIT, "2025-02-01T23:30:00+05:00[Asia/Almaty]")).await.unwrap();
    store.record_crossing(crossing("KGZ:B1", ENTRY, "2025-03-01T00:30:00+05:00[Asia/Almaty]")).await.unwrap();
    // Left: not present.
    store.record_crossing(crossing("KGZ:L1", ENTRY, "2025-01-05T10:00:00Z")).await.unwrap();
    store.record_crossing(crossing("KGZ:L1", EXIT, "2025-01-20T10:00:00Z")).await.unwrap();
    // One entry: present. The local date is the crossing point's (still 10 April in UTC).
    let once = store.record_crossing(crossing("KGZ:O1", ENTRY, "2025-04-11T01:30:00+05:00[Asia/Almaty]")).await;
    let once = once.unwrap().person_id;
    let mut present = store.present_persons().await.unwrap();
    let ids: Vec<PersonId> = present.iter().map(|p| p.id).collect();
    let mut expected = vec![back, once];
    expected.sort_by_key(|id| id.as_uuid());
    assert_eq!(ids, expected, "ordered by id, the person who left is not there");
    present.sort_by_key(|p| p.id == once);
    assert_eq!(present[0].citizenship, sapar_model::Country::KGZ);
    assert_eq!(present[0].stays, vec![Stay::closed(date(2025, 1, 5), date(2025, 2, 1)), Stay::open(date(2025, 3, 1))]);
    assert_eq!(present[1].stays, vec![Stay::open(date(2025, 4, 11))]);
}

pub(crate) async fn overstay_drafts_are_recorded_once_per_person_and_stay(db: TestDb) {
    let store = &db.store;
    use jiff::civil::date;
    use sapar_store::{OverstayDraft, ViolationStatus};
    let a = store.record_crossing(crossing("KGZ:A1", ENTRY, "2025-01-01T10:00:00Z")).await.unwrap().person_id;
    let b = store.record_crossing(crossing("KGZ:A2", ENTRY, "2025-01-01T10:00:00Z")).await.unwrap().person_id;
    let draft = |person_id, entry_month: i8, day: i8, overstay_days| OverstayDraft {
        person_id,
        stay_entry: date(2025, entry_month, 1),
        detected_on: date(2025, 4, day),
        overstay_days,
        last_legal_day: Some(date(2025, 3, 31)),
        rule_id: "KAZ-EAEU-90-180".to_owned(),
    };
    let at = jiff::Timestamp::now();
    assert_eq!(store.record_overstay_drafts(vec![draft(a, 1, 10, 10), draft(b, 1, 10, 10)], at).await.unwrap(), 2);
    // The same night again, and the next night for the same stays: nothing new.
    assert_eq!(store.record_overstay_drafts(vec![draft(a, 1, 10, 10), draft(b, 1, 10, 10)], at).await.unwrap(), 0);
    assert_eq!(store.record_overstay_drafts(vec![draft(a, 1, 11, 11), draft(b, 1, 11, 11)], at).await.unwrap(), 0);
    // Another stay of the same person is another violation.
    assert_eq!(store.record_overstay_drafts(vec![draft(a, 1, 12, 12), draft(a, 2, 12, 1)], at).await.unwrap(), 1);
    assert_eq!(store.record_overstay_drafts(Vec::new(), at).await.unwrap(), 0);
    let of_a = store.violations_of(a).await.unwrap();
    assert_eq!(of_a.len(), 2);
    let first = &of_a[0];
    let facts = first.overstay.as_ref().expect("a sweep's draft keeps the stay facts");
    assert_eq!(
        (facts.stay_entry, first.detected_on, facts.overstay_days, facts.last_legal_day, facts.rule_id.as_str()),
        (date(2025, 1, 1), date(2025, 4, 10), 10, Some(date(2025, 3, 31)), "KAZ-EAEU-90-180"),
        "the first night's draft is kept"
    );
    let second_entry = of_a[1].overstay.as_ref().map(|o| o.stay_entry);
    assert_eq!((second_entry, of_a[1].detected_on), (Some(date(2025, 2, 1)), date(2025, 4, 12)));
    assert!(of_a.iter().all(|v| v.status == ViolationStatus::Draft && v.person_id == a));
    assert_eq!(store.violations_of(b).await.unwrap().len(), 1);
    let recorded = store.recorded_overstays_since(date(2025, 1, 1)).await.unwrap();
    let expected = [(a, date(2025, 1, 1)), (a, date(2025, 2, 1)), (b, date(2025, 1, 1))];
    assert_eq!(recorded, expected.into_iter().collect());
    let later = store.recorded_overstays_since(date(2025, 1, 2)).await.unwrap();
    assert_eq!(later, [(a, date(2025, 2, 1))].into_iter().collect());
}

/// The stay history kept beside each person equals the stays derived from all their crossings in
/// time order: for crossings recorded late, for a batch out of time order, and after a database
/// from before the column is backfilled on open.
pub(crate) async fn stay_history_follows_late_and_unordered_crossings_and_is_backfilled(db: TestDb) {
    let store = &db.store;
    use jiff::civil::date;
    use sapar_rules::Stay;
    use sapar_rules::stays_from_crossings;
    let a = store.record_crossing(crossing("KGZ:H1", ENTRY, "2025-01-05T10:00:00Z")).await.unwrap().person_id;
    store.record_crossing(crossing("KGZ:H1", EXIT, "2025-02-01T10:00:00Z")).await.unwrap();
    store.record_crossing(crossing("KGZ:H1", ENTRY, "2025-03-01T10:00:00Z")).await.unwrap();
    // Arriving late, from a post that was offline: out and back in during the first stay.
    store.record_crossing(crossing("KGZ:H1", EXIT, "2025-01-20T10:00:00Z")).await.unwrap();
    store.record_crossing(crossing("KGZ:H1", ENTRY, "2025-01-25T10:00:00Z")).await.unwrap();
    // One batch whose rows are not in time order.
    let batch = [
        crossing("KGZ:H2", ENTRY, "2025-05-10T10:00:00Z"),
        crossing("KGZ:H2", EXIT, "2025-05-20T10:00:00Z"),
        crossing("KGZ:H2", ENTRY, "2025-05-01T10:00:00Z"),
        crossing("KGZ:H2", ENTRY, "2025-06-01T10:00:00Z"),
    ];
    let receipts = store.record_batch(batch.to_vec()).await.unwrap();
    assert!(receipts.iter().all(Result::is_ok), "{receipts:?}");
    let b = receipts[0].as_ref().unwrap().person_id;
    // A plain, in-order person.
    let c = store.record_crossing(crossing("KGZ:H3", ENTRY, "2025-06-02T10:00:00Z")).await.unwrap().person_id;

    let expected = |id: PersonId| match id {
        id if id == a => vec![
            Stay::closed(date(2025, 1, 5), date(2025, 1, 20)),
            Stay::closed(date(2025, 1, 25), date(2025, 2, 1)),
            Stay::open(date(2025, 3, 1)),
        ],
        id if id == b => vec![Stay::closed(date(2025, 5, 1), date(2025, 5, 20)), Stay::open(date(2025, 6, 1))],
        _ => vec![Stay::open(date(2025, 6, 2))],
    };
    let check = |present: Vec<sapar_store::PresentPerson>| {
        assert_eq!(present.len(), 3);
        for p in present {
            assert_eq!(p.stays, expected(p.id), "person {}", p.id);
        }
    };
    check(store.present_persons().await.unwrap());
    for id in [a, b, c] {
        let record = store.person(id).await.unwrap().unwrap();
        let derived = stays_from_crossings(record.crossings.iter().map(|c| (c.at.date(), c.direction)));
        assert_eq!(derived, expected(id), "the history agrees with the crossings of {id}");
    }

    // A database from before the column: the histories are gone; reopening rebuilds them.
    let reopened = match store {
        Store::Sqlite(s) => {
            let conn = rusqlite::Connection::open(s.path()).unwrap();
            assert_eq!(conn.execute("UPDATE persons SET stay_history = NULL", []).unwrap(), 3);
            drop(conn);
            Store::open(&db.url).await.unwrap()
        }
        Store::Postgres(p) => {
            let (client, connection) = tokio_postgres::connect(p.url(), tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(connection);
            assert_eq!(client.execute("UPDATE persons SET stay_history = NULL", &[]).await.unwrap(), 3);
            Store::open(&db.url).await.unwrap()
        }
    };
    check(reopened.present_persons().await.unwrap());
}
