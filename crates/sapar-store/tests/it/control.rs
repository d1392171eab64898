//! The control register on both backends: an inclusion and its event are written together and
//! refused while the person is listed, a removal is recorded once with its event, an application
//! is decided once and a grant removes the entry in the same transaction, entries follow a merge,
//! and no statement deletes any of it.

use jiff::Timestamp;
use jiff::civil::date;
use sapar_model::{Direction, PersonId};
use sapar_store::Store;
use sapar_store::bans::PersonEventKind;
use sapar_store::control::{
    Applicant, ApplicationDecision, ApplicationGrounds, ApplicationStatus, ControlGround, ControlNotice,
    ControlRemoval, DecideError, DecisionRecord, EntryError, IncludeError, NewControlEntry, NewRemovalApplication,
    NoticeChannel, RemovalReason,
};
use sapar_test_support::TestDb;
use uuid::Uuid;

use crate::support::crossing;

sapar_test_support::on_both_backends!(
    an_inclusion_and_its_event_are_written_together_and_a_listed_person_is_not_listed_twice,
    a_granted_application_removes_the_entry_once_and_a_second_decision_is_refused,
    history_is_never_deleted,
);

async fn person(store: &Store, document: &str) -> PersonId {
    store.record_crossing(crossing(document, Direction::Entry, "2025-03-01T10:00:00+05:00")).await.unwrap().person_id
}

fn entry(person: PersonId) -> NewControlEntry {
    NewControlEntry {
        id: Uuid::now_v7(),
        person_id: person,
        ground: ControlGround::PermitExpiredOrAnnulled,
        decision_ref: "№ 17-5/2026 от 12.01.2026".into(),
        decided_on: Some(date(2026, 1, 12)),
        basis: None,
        decided_by: "officer-1".into(),
        included_at: Timestamp::now(),
    }
}

fn application(entry: Uuid) -> NewRemovalApplication {
    NewRemovalApplication {
        id: Uuid::now_v7(),
        entry_id: entry,
        applicant: Applicant::Person,
        applicant_name: "Асанов Бакыт".into(),
        grounds: ApplicationGrounds::Error,
        statement: "my permit was extended before it expired".into(),
        documents: vec!["permit extension № 55".into(), "passport copy".into()],
        filed_by: "officer-1".into(),
        filed_at: Timestamp::now(),
        filed_on: date(2026, 3, 20),
        due_on: date(2026, 4, 8),
    }
}

fn decision(decision: ApplicationDecision) -> DecisionRecord {
    DecisionRecord {
        decision,
        reasons: "the permit was extended on time".into(),
        appeal_route: (decision == ApplicationDecision::Deny).then(|| "court, 30 days".into()),
        by: "officer-2".into(),
        at: Timestamp::now(),
    }
}

async fn an_inclusion_and_its_event_are_written_together_and_a_listed_person_is_not_listed_twice(db: TestDb) {
    let store = &db.store;
    let listed = person(store, "KGZ:AC2000001").await;
    let included = store.include_in_control(entry(listed)).await.unwrap();
    assert!(included.is_active());
    assert_eq!(included.decided_on, Some(date(2026, 1, 12)));
    let events = store.events_of(listed).await.unwrap();
    assert_eq!(
        events.iter().map(|e| (e.kind, e.subject_id)).collect::<Vec<_>>(),
        [(PersonEventKind::ControlIncluded, included.id)]
    );

    match store.include_in_control(entry(listed)).await {
        Err(IncludeError::AlreadyListed(id)) => assert_eq!(id, included.id),
        other => panic!("a person has one active entry: {other:?}"),
    }
    assert!(matches!(store.include_in_control(entry(PersonId::new_v7())).await, Err(IncludeError::PersonNotFound)));
    assert_eq!(store.control_entries_of(listed).await.unwrap().len(), 1);
    assert_eq!(store.events_of(listed).await.unwrap().len(), 1, "no event without its inclusion");

    let removal = ControlRemoval {
        reason: RemovalReason::DecisionCancelled,
        note: Some("the decision was annulled".into()),
        reference: None,
        by: "officer-2".into(),
        at: Timestamp::now(),
    };
    let removed = store.remove_from_control(included.id, removal.clone()).await.unwrap();
    assert_eq!(removed.removal.as_ref().map(|r| r.reason), Some(RemovalReason::DecisionCancelled));
    assert!(matches!(
        store.remove_from_control(included.id, removal).await,
        Err(EntryError::AlreadyRemoved(done)) if done.reason == RemovalReason::DecisionCancelled
    ));
    let kinds: Vec<_> = store.events_of(listed).await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [PersonEventKind::ControlIncluded, PersonEventKind::ControlRemoved]);
    assert_eq!(store.control_entry_count(true).await.unwrap(), 0);
    assert_eq!(store.control_entry_count(false).await.unwrap(), 1);
    // Removed, the person may be listed again on a new decision.
    store.include_in_control(entry(listed)).await.unwrap();
    assert!(matches!(
        store.file_removal_application(application(included.id)).await,
        Err(EntryError::AlreadyRemoved(_))
    ));
}

async fn a_granted_application_removes_the_entry_once_and_a_second_decision_is_refused(db: TestDb) {
    let store = &db.store;
    let listed = person(store, "KGZ:AC2000002").await;
    let included = store.include_in_control(entry(listed)).await.unwrap();
    let filed = store.file_removal_application(application(included.id)).await.unwrap();
    assert_eq!(filed.documents, ["permit extension № 55", "passport copy"]);
    assert_eq!(
        store.removal_applications(ApplicationStatus::Pending, date(2026, 4, 8)).await.unwrap(),
        std::slice::from_ref(&filed)
    );
    assert_eq!(
        store.removal_applications(ApplicationStatus::Overdue, date(2026, 4, 9)).await.unwrap(),
        std::slice::from_ref(&filed)
    );
    assert!(store.removal_applications(ApplicationStatus::Overdue, date(2026, 4, 8)).await.unwrap().is_empty());

    let (decided, entry_now) =
        store.decide_removal_application(filed.id, decision(ApplicationDecision::Grant)).await.unwrap();
    assert_eq!(decided.decision.as_ref().map(|d| d.decision), Some(ApplicationDecision::Grant));
    let removal = entry_now.removal.expect("a grant removes the entry");
    assert_eq!((removal.reason, removal.reference), (RemovalReason::ApplicationGranted, Some(filed.id)));

    match store.decide_removal_application(filed.id, decision(ApplicationDecision::Deny)).await {
        Err(DecideError::AlreadyDecided(first)) => assert_eq!(first, ApplicationDecision::Grant),
        other => panic!("an application is decided once: {other:?}"),
    }
    assert_eq!(store.removal_application(filed.id).await.unwrap(), Some(decided));
    assert_eq!(store.removal_applications(ApplicationStatus::Decided, date(2026, 4, 9)).await.unwrap().len(), 1);
    let kinds: Vec<_> = store.events_of(listed).await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [PersonEventKind::ControlIncluded, PersonEventKind::ControlRemoved]);
}

async fn history_is_never_deleted(db: TestDb) {
    let store = &db.store;
    let older = person(store, "KGZ:AC2000003").await;
    let newer = person(store, "KGZ:AC2000004").await;
    let included = store.include_in_control(entry(newer)).await.unwrap();
    let notice = ControlNotice {
        id: Uuid::now_v7(),
        entry_id: included.id,
        channel: NoticeChannel::Post,
        sent_on: date(2026, 1, 13),
        recorded_by: "officer-1".into(),
        recorded_at: Timestamp::now(),
    };
    let notice = store.record_control_notice(notice).await.unwrap();
    assert_eq!((notice.channel, notice.sent_on), (NoticeChannel::Post, date(2026, 1, 13)));
    store.file_removal_application(application(included.id)).await.unwrap();
    let merge = store.merge_persons(older, newer, 0.99, Timestamp::now()).await.unwrap().unwrap();
    assert_eq!(merge.survivor, older);
    assert_eq!(store.active_controls_of(older).await.unwrap().iter().map(|e| e.id).collect::<Vec<_>>(), [included.id]);

    crate::support::assert_refused_by_the_database(
        store,
        &["DELETE FROM removal_applications", "DELETE FROM control_notices", "DELETE FROM control_entries"],
        &["TRUNCATE removal_applications", "TRUNCATE control_notices"],
        "never deleted",
    )
    .await;
    assert_eq!(store.control_entries_of(older).await.unwrap().len(), 1);
    assert_eq!(store.control_notices_of(included.id).await.unwrap(), [notice]);
    assert_eq!(store.removal_applications_of(included.id).await.unwrap().len(), 1);
}
