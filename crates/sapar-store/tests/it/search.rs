//! Person search over the name index, on both backends: every spelling of a name finds the
//! person, the index follows recordings and merges, and databases from before it are backfilled.

use jiff::Timestamp;
use jiff::civil::{Date, date};
use sapar_model::{Country, Direction, DocumentNumber, FullName, PersonDetails, PersonId, PersonName, Sex};
use sapar_store::search::{SearchCriteria, SearchMatch, SearchOutcome};
use sapar_store::{RecordCrossing, Store};
use sapar_test_support::TestDb;

use crate::support::{crossing, name, number};

sapar_test_support::on_both_backends!(
    a_cyrillic_name_is_found_by_its_latin_spellings_its_words_and_a_prefix,
    a_document_number_finds_its_holder_in_any_issuing_state,
    filters_narrow_and_the_limit_marks_the_results_truncated,
    recording_more_crossings_keeps_the_index_in_step,
    after_a_merge_either_persons_name_finds_the_survivor,
    a_database_from_before_the_index_is_backfilled_when_opened,
);

/// A crossing of a new holder of `document` with these names, birth date and citizenship.
fn person_crossing(
    document: &str,
    native: Option<FullName>,
    latin: Option<FullName>,
    birth: Date,
    citizenship: Country,
) -> RecordCrossing {
    let mut row = crossing(document, Direction::Entry, "2025-03-01T10:00:00+05:00");
    row.crossing.person = PersonDetails {
        name: PersonName::new(native, latin).unwrap(),
        sex: Sex::Male,
        birth_date: Some(birth),
        citizenship,
    };
    row
}

async fn record(store: &Store, row: RecordCrossing) -> PersonId {
    store.record_crossing(row).await.unwrap().person_id
}

/// Ерлан Жанұзақов (YERLAN ZHANUZAKOV in his passport), his sister Айгүл Жанұзақова, and Иван Иванов.
async fn family(store: &Store) -> [PersonId; 3] {
    let erlan = person_crossing(
        "KAZ:N1234567",
        Some(name("Жанұзақов", Some("Ерлан"), Some("Серікұлы"))),
        Some(name("ZHANUZAKOV", Some("YERLAN"), None)),
        date(1985, 3, 4),
        Country::KAZ,
    );
    let aigul = person_crossing(
        "KAZ:N7654321",
        Some(name("Жанұзақова", Some("Айгүл"), None)),
        Some(name("ZHANUZAKOVA", Some("AIGUL"), None)),
        date(1990, 7, 1),
        Country::KAZ,
    );
    [record(store, erlan).await, record(store, aigul).await, record(store, crossing("KGZ:AC100", ENTRY, AT)).await]
}

const ENTRY: Direction = Direction::Entry;
const AT: &str = "2025-03-01T10:00:00+05:00";

fn words(words: &[&str]) -> SearchCriteria {
    SearchCriteria::new(words.iter().copied(), None, None, None, None).unwrap()
}

async fn found(store: &Store, criteria: &SearchCriteria) -> Vec<PersonId> {
    let mut ids: Vec<PersonId> =
        store.search_persons(criteria).await.unwrap().hits.iter().map(|h| h.person.id).collect();
    ids.sort_by_key(|id| id.as_uuid());
    ids
}

fn sorted<const N: usize>(mut ids: [PersonId; N]) -> Vec<PersonId> {
    ids.sort_by_key(|id| id.as_uuid());
    ids.to_vec()
}

pub(crate) async fn a_cyrillic_name_is_found_by_its_latin_spellings_its_words_and_a_prefix(db: TestDb) {
    let store = &db.store;
    let [erlan, aigul, _ivan] = family(store).await;
    for spelling in ["YERLAN", "ERLAN", "Ерлан", "erlan"] {
        assert_eq!(found(store, &words(&[spelling])).await, [erlan], "{spelling}");
    }
    assert_eq!(found(store, &words(&["Ерлан", "Жанұзақов"])).await, [erlan], "given name and surname");
    assert_eq!(found(store, &words(&["ZHANUZAKOV", "YERLAN"])).await, [erlan], "in either order");
    assert_eq!(
        found(store, &words(&["ZHANUZAKOV"])).await,
        sorted([erlan, aigul]),
        "the surname alone: the prefix finds the feminine form too"
    );
    assert_eq!(found(store, &words(&["Серікұлы"])).await, [erlan], "the patronymic");
    assert_eq!(found(store, &words(&["Ерлан", "Жану"])).await, [erlan], "the last word half typed");
    assert_eq!(found(store, &words(&["ZHAN"])).await, sorted([erlan, aigul]));
    assert!(found(store, &words(&["Z"])).await.is_empty(), "one letter is no prefix");
    assert!(found(store, &words(&["Жану", "Ерлан"])).await.is_empty(), "only the last word is a prefix");
    assert!(found(store, &words(&["Ерлан", "Иванов"])).await.is_empty(), "every word must be the same person's");

    let outcome = store.search_persons(&words(&["YERLAN"])).await.unwrap();
    let hit = &outcome.hits[0];
    assert_eq!(hit.matched_by, SearchMatch::Name);
    assert_eq!(hit.person.details.name.native().unwrap().surname.as_str(), "Жанұзақов");
    assert_eq!(hit.person.details.name.latin().unwrap().surname.as_str(), "ZHANUZAKOV");
    assert_eq!(hit.person.details.birth_date, Some(date(1985, 3, 4)));
    assert_eq!(hit.person.documents.len(), 1);
    assert_eq!(hit.person.documents[0].key.number.as_str(), "N1234567");
}

pub(crate) async fn a_document_number_finds_its_holder_in_any_issuing_state(db: TestDb) {
    let store = &db.store;
    let [erlan, _, ivan] = family(store).await;
    let by_number =
        |n: &str| SearchCriteria::new([], Some(DocumentNumber::parse(n).unwrap()), None, None, None).unwrap();
    let outcome = store.search_persons(&by_number("n 123-4567")).await.unwrap();
    assert_eq!(
        outcome.hits.iter().map(|h| (h.person.id, h.matched_by)).collect::<Vec<_>>(),
        [(erlan, SearchMatch::Document)]
    );
    assert_eq!(found(store, &by_number("AC100")).await, [ivan]);
    assert!(found(store, &by_number("N1234568")).await.is_empty());
    // A number and words together: the holder first, then the persons the words find.
    let both = SearchCriteria::new(["IVANOV"], Some(number("N1234567")), None, None, None).unwrap();
    let hits = store.search_persons(&both).await.unwrap().hits;
    assert_eq!(
        hits.iter().map(|h| (h.person.id, h.matched_by)).collect::<Vec<_>>(),
        [(erlan, SearchMatch::Document), (ivan, SearchMatch::Name)]
    );
}

pub(crate) async fn filters_narrow_and_the_limit_marks_the_results_truncated(db: TestDb) {
    let store = &db.store;
    let mut ivanovs = Vec::new();
    for (i, (birth, citizenship)) in
        [(date(1980, 1, 1), Country::KGZ), (date(1980, 1, 1), Country::KAZ), (date(1991, 2, 3), Country::KGZ)]
            .into_iter()
            .enumerate()
    {
        let row = person_crossing(
            &format!("KGZ:AC20{i}"),
            Some(name("Иванов", Some("Пётр"), None)),
            Some(name("IVANOV", Some("PETR"), None)),
            birth,
            citizenship,
        );
        ivanovs.push(record(store, row).await);
    }
    let search = |birth: Option<Date>, citizenship: Option<Country>, limit: Option<u32>| {
        SearchCriteria::new(["Пётр", "Иванов"], None, birth, citizenship, limit).unwrap()
    };
    assert_eq!(found(store, &search(None, None, None)).await.len(), 3);
    assert_eq!(found(store, &search(Some(date(1980, 1, 1)), None, None)).await, sorted([ivanovs[0], ivanovs[1]]));
    assert_eq!(found(store, &search(Some(date(1980, 1, 1)), Some(Country::KAZ), None)).await, [ivanovs[1]]);
    assert_eq!(found(store, &search(None, Some(Country::KGZ), None)).await, sorted([ivanovs[0], ivanovs[2]]));

    let two: SearchOutcome = store.search_persons(&search(None, None, Some(2))).await.unwrap();
    assert_eq!((two.hits.len(), two.truncated), (2, true));
    let three = store.search_persons(&search(None, None, Some(3))).await.unwrap();
    assert_eq!((three.hits.len(), three.truncated), (3, false));
    // Filters alone select too.
    let by_birth = SearchCriteria::new([], None, Some(date(1991, 2, 3)), None, None).unwrap();
    let hits = store.search_persons(&by_birth).await.unwrap().hits;
    assert_eq!(
        hits.iter().map(|h| (h.person.id, h.matched_by)).collect::<Vec<_>>(),
        [(ivanovs[2], SearchMatch::Filters)]
    );
}

pub(crate) async fn recording_more_crossings_keeps_the_index_in_step(db: TestDb) {
    let store = &db.store;
    let [erlan, _, _] = family(store).await;
    // His exit under the same passport adds no person and no second hit.
    let mut exit = crossing("KAZ:N1234567", Direction::Exit, "2025-03-09T10:00:00+05:00");
    exit.crossing.person = store.person(erlan).await.unwrap().unwrap().person.details;
    assert_eq!(record(store, exit).await, erlan);
    assert_eq!(found(store, &words(&["YERLAN"])).await, [erlan]);
    // A crossing under a new passport, with his name spelt otherwise, is a new person until
    // linked: found by either spelling and by the new number, in the same transaction.
    let renewed = person_crossing(
        "KAZ:N9999999",
        Some(name("Жанузаков", Some("Ерлан"), None)),
        Some(name("JANUZAKOV", Some("ERLAN"), None)),
        date(1985, 3, 4),
        Country::KAZ,
    );
    let second = record(store, renewed).await;
    assert_ne!(second, erlan);
    assert_eq!(found(store, &words(&["ERLAN", "ZHANUZAKOV"])).await, sorted([erlan, second]));
    let by_number = SearchCriteria::new([], Some(number("N9999999")), None, None, None).unwrap();
    assert_eq!(found(store, &by_number).await, [second]);
}

pub(crate) async fn after_a_merge_either_persons_name_finds_the_survivor(db: TestDb) {
    let store = &db.store;
    let older = record(
        store,
        person_crossing(
            "ARM:AM1000001",
            Some(name("Акопян", Some("Ованнес"), None)),
            None,
            date(1970, 1, 1),
            Country::ARM,
        ),
    )
    .await;
    let newer = record(
        store,
        person_crossing(
            "ARM:AM2000002",
            None,
            Some(name("HAKOBYAN", Some("HOVHANNES"), None)),
            date(1970, 1, 1),
            Country::ARM,
        ),
    )
    .await;
    assert_eq!(found(store, &words(&["HAKOBYAN"])).await, [newer]);
    let merge = store.merge_persons(older, newer, 0.99, Timestamp::now()).await.unwrap().unwrap();
    assert_eq!((merge.survivor, merge.merged), (older, newer));
    for spelling in [&["HAKOBYAN"][..], &["Акопян"], &["Ованнес", "Акопян"], &["HOVHANNES", "HAKOB"]]
    {
        assert_eq!(found(store, &words(spelling)).await, [older], "{spelling:?}");
    }
    let hit = store.search_persons(&words(&["HAKOBYAN"])).await.unwrap().hits.remove(0);
    assert_eq!(hit.person.documents.len(), 2, "the merged person's passport is the survivor's now");
}

pub(crate) async fn a_database_from_before_the_index_is_backfilled_when_opened(db: TestDb) {
    let TestDb { store, url, .. } = db;
    let [erlan, aigul, ivan] = family(&store).await;
    let twin = record(
        &store,
        person_crossing(
            "KAZ:N5555555",
            None,
            Some(name("ZHANUZAKOV", Some("ERZHAN"), None)),
            date(1985, 3, 4),
            Country::KAZ,
        ),
    )
    .await;
    store.merge_persons(erlan, twin, 0.99, Timestamp::now()).await.unwrap().unwrap();
    drop(store);
    // The schema as migration 13 left it: no index, and the steps from 14 on run at the next open
    // (the later migrations' tables and columns dropped too, 21's and 20's first: they refer to
    // earlier ones).
    let undo = "DROP TABLE exchange_destructions; DROP TABLE exchange_case_reads; DROP INDEX exchange_outbox_case; DROP INDEX exchange_inbox_case;
                ALTER TABLE exchange_outbox DROP COLUMN case_id; ALTER TABLE exchange_outbox DROP COLUMN message_type;
                DROP TABLE queue_claims; DROP TABLE card_renewals; DROP TABLE cards;
                DROP TABLE registration_failures; DROP TABLE registration_events; DROP TABLE registrations;
                DROP TABLE name_index_pending; DROP TABLE name_index; DROP INDEX documents_by_number;
                DROP INDEX persons_by_birth_date; DROP TABLE removal_applications; DROP TABLE control_notices;
                DROP TABLE control_entries; DROP TABLE expulsions; DROP TABLE person_events; DROP TABLE entry_bans;
                DROP INDEX crossings_refused; ALTER TABLE crossings DROP COLUMN refusal_note;
                ALTER TABLE crossings DROP COLUMN refusal_ground; ALTER TABLE crossings DROP COLUMN outcome;
                DELETE FROM schema_migrations WHERE version >= 14;";
    // Migration 18 rebuilds the violations and permits tables on SQLite (so dropping the table it
    // creates is enough) and alters them in place on PostgreSQL (so its changes are undone).
    let undo_18_sqlite = "DROP TABLE employers;";
    let undo_18_postgres = "DROP TABLE employers CASCADE; ALTER TABLE permits DROP COLUMN employer_id;
        ALTER TABLE violations DROP COLUMN recorded_by, DROP COLUMN article, DROP COLUMN description,
            DROP COLUMN employer_id, DROP COLUMN decision_ref, DROP COLUMN fine_amount, DROP COLUMN fine_unit,
            DROP COLUMN paid_on, DROP COLUMN payment_ref, DROP CONSTRAINT violations_stay_facts_together,
            ADD CONSTRAINT violations_kind_check CHECK (kind IN ('overstay'));
        DROP INDEX violations_by_person;";
    if let Some(path) = url.strip_prefix("sqlite:") {
        let undo = format!("DROP TRIGGER crossings_refusal_shape; {undo} {undo_18_sqlite}");
        rusqlite::Connection::open(path).unwrap().execute_batch(&undo).unwrap();
    } else {
        let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(connection);
        client
            .batch_execute(&format!(
                "{undo} DROP FUNCTION never_deleted; DROP FUNCTION exchange_case_reads_append_only; \
                 DROP FUNCTION exchange_destructions_append_only; {undo_18_postgres}"
            ))
            .await
            .unwrap();
    }

    let store = Store::open(&url).await.unwrap();
    assert_eq!(found(&store, &words(&["Ерлан"])).await, [erlan]);
    assert_eq!(found(&store, &words(&["ERZHAN"])).await, [erlan], "the merged person's keys are the survivor's");
    assert_eq!(found(&store, &words(&["Айгүл"])).await, [aigul]);
    assert_eq!(found(&store, &words(&["IVAN", "IVANOV"])).await, [ivan]);
    assert_eq!(
        found(&store, &SearchCriteria::new([], Some(number("N1234567")), None, None, None).unwrap()).await,
        [erlan]
    );
    drop(store);
    // Opening again finds nothing left to fill and changes nothing.
    let store = Store::open(&url).await.unwrap();
    assert_eq!(found(&store, &words(&["ZHANUZAKOV"])).await, sorted([erlan, aigul]));
}
