//! The access log on both backends: rows are appended and listed newest first with every filter,
//! paged and counted; no statement changes or removes a row, whoever sends it.

use jiff::Timestamp;
use sapar_model::{PersonId, ReadPurpose, Role};
use sapar_store::Store;
use sapar_store::access_log::{AccessChannel, AccessEntry, AccessFilter};
use sapar_test_support::TestDb;

sapar_test_support::on_both_backends!(
    appended_rows_are_listed_newest_first_with_every_filter_paged_and_counted,
    a_batch_of_rows_is_appended_whole,
    the_log_refuses_updates_and_deletions_even_by_raw_statements,
);

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn row(at_text: &str, actor: &str, role: Role, person: PersonId, purpose: ReadPurpose) -> AccessEntry {
    AccessEntry {
        id: uuid::Uuid::now_v7(),
        at: at(at_text),
        actor: actor.to_owned(),
        role,
        channel: AccessChannel::Api,
        person_id: person,
        view: "person".to_owned(),
        purpose,
        purpose_note: None,
        address: None,
    }
}

async fn listed(store: &Store, filter: &AccessFilter) -> Vec<AccessEntry> {
    store.access_log(filter, 1000, 0).await.unwrap()
}

async fn appended_rows_are_listed_newest_first_with_every_filter_paged_and_counted(db: TestDb) {
    let store = &db.store;
    let (p1, p2) = (PersonId::new_v7(), PersonId::new_v7());
    let mut noted = row("2025-06-01T08:00:00Z", "a.sadykova", Role::Officer, p1, ReadPurpose::PermitDecision);
    noted.channel = AccessChannel::Web;
    noted.view = "stay".to_owned();
    noted.purpose_note = Some("заявление № 17/2025".to_owned());
    noted.address = Some("10.1.2.3".to_owned());
    let rows = vec![
        row("2025-06-01T06:00:00Z", "korday-post-3", Role::Border, p1, ReadPurpose::BorderCheck),
        row("2025-06-01T07:00:00Z", "korday-post-3", Role::Border, p2, ReadPurpose::BorderCheck),
        noted.clone(),
        row("2025-06-02T09:00:00Z", "a.sadykova", Role::Officer, p2, ReadPurpose::Enforcement),
    ];
    store.append_access(rows.clone()).await.unwrap();
    store.append_access(Vec::new()).await.unwrap();

    let all = listed(store, &AccessFilter::default()).await;
    let expected: Vec<AccessEntry> = rows.iter().rev().cloned().collect();
    assert_eq!(all, expected, "every column reads back, newest first");
    assert_eq!(store.access_log_count(&AccessFilter::default()).await.unwrap(), 4);

    let ats = |entries: Vec<AccessEntry>| entries.into_iter().map(|e| e.at).collect::<Vec<_>>();
    let by_actor = AccessFilter { actor: Some("korday-post-3".into()), ..AccessFilter::default() };
    assert_eq!(ats(listed(store, &by_actor).await), [at("2025-06-01T07:00:00Z"), at("2025-06-01T06:00:00Z")]);
    let by_person = AccessFilter { person: Some(p2), ..AccessFilter::default() };
    assert_eq!(ats(listed(store, &by_person).await), [at("2025-06-02T09:00:00Z"), at("2025-06-01T07:00:00Z")]);
    let by_purpose = AccessFilter { purpose: Some(ReadPurpose::PermitDecision), ..AccessFilter::default() };
    assert_eq!(listed(store, &by_purpose).await, [noted.clone()]);
    // `from` is inclusive, `until` exclusive.
    let window = AccessFilter {
        from: Some(at("2025-06-01T07:00:00Z")),
        until: Some(at("2025-06-02T09:00:00Z")),
        ..AccessFilter::default()
    };
    assert_eq!(ats(listed(store, &window).await), [at("2025-06-01T08:00:00Z"), at("2025-06-01T07:00:00Z")]);
    let combined = AccessFilter {
        actor: Some("a.sadykova".into()),
        person: Some(p1),
        purpose: Some(ReadPurpose::PermitDecision),
        from: Some(at("2025-06-01T00:00:00Z")),
        until: Some(at("2025-06-03T00:00:00Z")),
    };
    assert_eq!(listed(store, &combined).await, [noted]);
    assert_eq!(store.access_log_count(&combined).await.unwrap(), 1);
    // Bounds beyond what a database holds still filter: the ends of time match every row.
    let ends = AccessFilter { from: Some(Timestamp::MIN), until: Some(Timestamp::MAX), ..AccessFilter::default() };
    assert_eq!(store.access_log_count(&ends).await.unwrap(), 4);
    let before_time = AccessFilter { until: Some(Timestamp::MIN), ..AccessFilter::default() };
    assert_eq!(store.access_log_count(&before_time).await.unwrap(), 0);
    let nobody = AccessFilter { actor: Some("nobody".into()), ..AccessFilter::default() };
    assert!(listed(store, &nobody).await.is_empty());
    assert_eq!(store.access_log_count(&nobody).await.unwrap(), 0);

    // Pages: two at a time, then the rest; the count ignores paging.
    let page =
        |limit, offset| async move { ats(store.access_log(&AccessFilter::default(), limit, offset).await.unwrap()) };
    assert_eq!(page(2, 0).await, [at("2025-06-02T09:00:00Z"), at("2025-06-01T08:00:00Z")]);
    assert_eq!(page(2, 2).await, [at("2025-06-01T07:00:00Z"), at("2025-06-01T06:00:00Z")]);
    assert!(page(2, 4).await.is_empty());
    assert_eq!(store.access_log_count(&by_actor).await.unwrap(), 2);
}

async fn a_batch_of_rows_is_appended_whole(db: TestDb) {
    let store = &db.store;
    let first =
        row("2025-06-01T06:00:00Z", "korday-post-3", Role::Border, PersonId::new_v7(), ReadPurpose::BorderCheck);
    store.append_access(vec![first.clone()]).await.unwrap();
    // The second row repeats the first's id: the batch fails, and its first row is not kept.
    let fresh =
        row("2025-06-01T07:00:00Z", "korday-post-3", Role::Border, PersonId::new_v7(), ReadPurpose::BorderCheck);
    assert!(store.append_access(vec![fresh, first]).await.is_err());
    assert_eq!(store.access_log_count(&AccessFilter::default()).await.unwrap(), 1);
}

async fn the_log_refuses_updates_and_deletions_even_by_raw_statements(db: TestDb) {
    let person = PersonId::new_v7();
    db.store
        .append_access(vec![row(
            "2025-06-01T06:00:00Z",
            "korday-post-3",
            Role::Border,
            person,
            ReadPurpose::BorderCheck,
        )])
        .await
        .unwrap();
    crate::support::assert_refused_by_the_database(
        &db.store,
        &[
            "UPDATE access_log SET actor = 'someone else'",
            "UPDATE access_log SET purpose_note = 'rewritten' WHERE purpose_note IS NULL",
            "DELETE FROM access_log",
        ],
        &["TRUNCATE access_log"],
        "append-only",
    )
    .await;
    let kept = db.store.access_log(&AccessFilter::default(), 10, 0).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (kept[0].actor.as_str(), kept[0].person_id, kept[0].purpose_note.as_deref()),
        ("korday-post-3", person, None)
    );
}
