//! Every use case that shows a person's data appends one access-log row per person shown, with
//! the reader's purpose, note, channel and address and the view; a refused read appends nothing;
//! only auditors list the log.

use std::net::IpAddr;

use jiff::Timestamp;
use sapar_model::{PersonId, RawCrossing, RawName, ReadPurpose, Role};
use sapar_register::access::{Access, AccessChannel, view};
use sapar_register::records::{AccessEntry, AccessFilter, ReviewDecision, ViolationStatus};
use sapar_register::violations::ViolationVerdict;
use sapar_register::{Actor, RegisterError};
use sapar_store::identity::ReviewProposal;

use crate::{Fixture, admin, border, officer, reads};

sapar_test_support::on_both_backends!(crate::fixture =>
    each_read_appends_one_row_per_person_shown_with_who_why_and_how,
    the_queues_log_each_person_on_the_page_once,
    a_merged_id_is_logged_as_the_survivor_it_answers_for,
    a_refused_or_unanswered_read_appends_nothing,
    only_auditors_list_the_log,
);

fn auditor() -> Actor {
    Actor::new("audit-office", Role::Auditor)
}

fn crossing(document: &str, surname: &str, at: &str) -> RawCrossing {
    RawCrossing {
        id: Some(uuid::Uuid::now_v7().to_string()),
        direction: Some("entry".into()),
        at: Some(at.into()),
        crossing_point: Some("KZ-KORDAY".into()),
        purpose: Some("work".into()),
        document_type: Some("passport".into()),
        document_number: Some(document.into()),
        issuing_state: Some("KGZ".into()),
        native_name: RawName::default(),
        latin_name: RawName { surname: Some(surname.into()), given_names: Some("AIGUL".into()), patronymic: None },
        sex: Some("F".into()),
        birth_date: Some("1994-03-08".into()),
        citizenship: Some("KGZ".into()),
        ..RawCrossing::default()
    }
}

/// A Kyrgyz citizen who entered on 10 January 2025 and is still in on the clock's 1 June:
/// overstaying.
async fn overstayer(f: &Fixture, document: &str, surname: &str) -> PersonId {
    f.register
        .record_crossing(&border(), &crossing(document, surname, "2025-01-10T09:30:00+05:00"))
        .await
        .unwrap()
        .person_id
}

/// The whole log, newest first.
async fn log(f: &Fixture) -> Vec<AccessEntry> {
    f.register.access_log(&auditor(), &AccessFilter::default(), 1000, 0).await.unwrap().entries
}

/// The log appended since `before` rows were on it, oldest first.
async fn appended(f: &Fixture, before: usize) -> Vec<AccessEntry> {
    let mut all = log(f).await;
    all.reverse();
    all.split_off(before)
}

fn shown(entries: &[AccessEntry]) -> Vec<(&str, PersonId)> {
    entries.iter().map(|e| (e.view.as_str(), e.person_id)).collect()
}

async fn each_read_appends_one_row_per_person_shown_with_who_why_and_how(f: Fixture) {
    let person = overstayer(&f, "AC2000001", "ASANOVA").await;
    assert!(log(&f).await.is_empty(), "recording a crossing is no read");
    let address: IpAddr = "10.20.30.40".parse().unwrap();
    let at_border = reads(border(), ReadPurpose::BorderCheck).from_address(Some(address));
    let at_border = Access { channel: AccessChannel::Api, ..at_border };
    let desk = Access::new(officer(), ReadPurpose::PermitDecision, AccessChannel::Web)
        .with_note(Some("  application 17/2025 "))
        .unwrap();

    assert_eq!(f.register.person(&at_border, person).await.unwrap().record.person.id, person);
    let key = sapar_model::DocumentKey::parse_reference("KGZ:AC2000001").unwrap();
    assert_eq!(f.register.person_by_document(&at_border, &key).await.unwrap().person.id, person);
    let rows = appended(&f, 0).await;
    assert_eq!(shown(&rows), [(view::PERSON, person), (view::PERSON, person)]);
    for row in &rows {
        assert_eq!(
            (row.actor.as_str(), row.role, row.channel, row.purpose, row.purpose_note.as_deref()),
            ("korday-post-3", Role::Border, AccessChannel::Api, ReadPurpose::BorderCheck, None)
        );
        assert_eq!((row.address.as_deref(), row.at), (Some("10.20.30.40"), f.register.now()));
    }

    f.register.stay(&desk, person, None).await.unwrap();
    f.register.permits_of(&desk, person).await.unwrap();
    f.register.violations_of(&desk, person).await.unwrap();
    let rows = appended(&f, 2).await;
    assert_eq!(shown(&rows), [(view::STAY, person), (view::PERMITS, person), (view::VIOLATIONS, person)]);
    for row in &rows {
        assert_eq!(
            (
                row.actor.as_str(),
                row.role,
                row.channel,
                row.purpose,
                row.purpose_note.as_deref(),
                row.address.as_deref()
            ),
            (
                "a.sadykova",
                Role::Officer,
                AccessChannel::Web,
                ReadPurpose::PermitDecision,
                Some("application 17/2025"),
                None
            )
        );
    }

    f.register.sweep_overstays(&admin(), None).await.unwrap();
    let page = f.register.violations(&desk, ViolationStatus::Draft, 10, 0).await.unwrap();
    let violation = page.items[0].violation.id;
    f.register.violation(&desk, violation).await.unwrap();
    assert_eq!(shown(&appended(&f, 5).await), [(view::VIOLATION_QUEUE, person), (view::VIOLATION, person)]);
    // A decision answers with the person too.
    f.register.decide_violation(&desk, violation, ViolationVerdict::Confirm, None, &Default::default()).await.unwrap();
    assert_eq!(shown(&appended(&f, 7).await), [(view::VIOLATION, person)]);
}

async fn the_queues_log_each_person_on_the_page_once(f: Fixture) {
    let a = overstayer(&f, "AC2000011", "ASANOVA").await;
    let b = overstayer(&f, "AC2000012", "ASANOVA").await;
    let c = overstayer(&f, "AC2000013", "BEKOVA").await;
    f.register.sweep_overstays(&admin(), None).await.unwrap();
    let desk = reads(officer(), ReadPurpose::Enforcement);

    // A page of two of the three drafts: two rows; an empty page: none.
    let page = f.register.violations(&desk, ViolationStatus::Draft, 2, 0).await.unwrap();
    let on_page: Vec<PersonId> = page.items.iter().map(|i| i.violation.person_id).collect();
    assert_eq!(on_page.len(), 2);
    f.register.violations(&desk, ViolationStatus::Confirmed, 10, 0).await.unwrap();
    let rows = appended(&f, 0).await;
    assert_eq!(shown(&rows), on_page.iter().map(|p| (view::VIOLATION_QUEUE, *p)).collect::<Vec<_>>());
    assert!(rows.iter().all(|r| r.purpose == ReadPurpose::Enforcement));

    // Two pairs sharing a person: both persons of each pair, the shared one once.
    let proposal = |x, y| ReviewProposal { a: x, b: y, probability: 0.8, weight: 3.0, explanation: "{}".into() };
    f.db.store.propose_review_items(vec![proposal(a, b), proposal(b, c)], Timestamp::now()).await.unwrap();
    let queue = f.register.review_queue(&desk, 10, 0).await.unwrap();
    assert_eq!(queue.items.len(), 2);
    let mut expected: Vec<PersonId> = Vec::new();
    for case in &queue.items {
        for id in [case.item.person_a.id, case.item.person_b.id] {
            if !expected.contains(&id) {
                expected.push(id);
            }
        }
    }
    let mut logged: Vec<PersonId> = appended(&f, 2).await.iter().map(|r| r.person_id).collect();
    assert_eq!(logged.len(), 3, "three persons on the page, each once");
    assert!(appended(&f, 2).await.iter().all(|r| r.view == view::REVIEW));
    logged.sort();
    expected.sort();
    assert_eq!(logged, expected);
}

async fn a_merged_id_is_logged_as_the_survivor_it_answers_for(f: Fixture) {
    let older = overstayer(&f, "AC2000021", "ASANOVA").await;
    let younger = overstayer(&f, "AC2000022", "ASANOVA").await;
    let proposal = ReviewProposal { a: older, b: younger, probability: 0.9, weight: 4.0, explanation: "{}".into() };
    f.db.store.propose_review_items(vec![proposal], Timestamp::now()).await.unwrap();
    let item = f.db.store.pending_review_items(1, 0).await.unwrap()[0].id;
    let merge = f.register.decide_review(&officer(), item, ReviewDecision::Match, None).await.unwrap().merge.unwrap();
    assert_eq!(merge.merged, younger);
    let before = log(&f).await.len();

    let desk = reads(officer(), ReadPurpose::StayControl);
    let found = f.register.person(&desk, younger).await.unwrap();
    assert_eq!((found.record.person.id, found.merged_from), (older, Some(younger)));
    f.register.stay(&desk, younger, None).await.unwrap();
    f.register.permits_of(&desk, younger).await.unwrap();
    f.register.violations_of(&desk, younger).await.unwrap();
    assert_eq!(
        shown(&appended(&f, before).await),
        [(view::PERSON, older), (view::STAY, older), (view::PERMITS, older), (view::VIOLATIONS, older)]
    );
}

async fn a_refused_or_unanswered_read_appends_nothing(f: Fixture) {
    let person = overstayer(&f, "AC2000031", "ASANOVA").await;
    f.register.sweep_overstays(&admin(), None).await.unwrap();
    let forbidden = |r: Result<(), RegisterError>| matches!(r, Err(RegisterError::Forbidden { .. }));
    let analyst = reads(Actor::new("stats", Role::Analyst), ReadPurpose::StatisticsQuality);
    let at_border = reads(border(), ReadPurpose::BorderCheck);
    let key = sapar_model::DocumentKey::parse_reference("KGZ:AC2000031").unwrap();
    assert!(forbidden(f.register.person(&analyst, person).await.map(drop)));
    assert!(forbidden(f.register.person_by_document(&analyst, &key).await.map(drop)));
    assert!(forbidden(f.register.stay(&analyst, person, None).await.map(drop)));
    assert!(forbidden(f.register.permits_of(&analyst, person).await.map(drop)));
    assert!(forbidden(f.register.violations_of(&at_border, person).await.map(drop)));
    assert!(forbidden(f.register.violations(&at_border, ViolationStatus::Draft, 10, 0).await.map(drop)));
    assert!(forbidden(f.register.violation(&at_border, uuid::Uuid::now_v7()).await.map(drop)));
    assert!(forbidden(f.register.review_queue(&at_border, 10, 0).await.map(drop)));
    let draft = f.db.store.violations_with_status(ViolationStatus::Draft, 1, 0).await.unwrap()[0].id;
    assert!(forbidden(
        f.register
            .decide_violation(&at_border, draft, ViolationVerdict::Confirm, None, &Default::default())
            .await
            .map(drop)
    ));
    // Nobody is shown when nobody is found.
    let nobody = PersonId::new_v7();
    assert!(f.register.person(&at_border, nobody).await.is_err());
    assert!(f.register.stay(&at_border, nobody, None).await.is_err());
    let unknown = sapar_model::DocumentKey::parse_reference("KGZ:AC2999999").unwrap();
    assert!(f.register.person_by_document(&at_border, &unknown).await.is_err());
    let desk = reads(officer(), ReadPurpose::Enforcement);
    assert!(f.register.violation(&desk, uuid::Uuid::now_v7()).await.is_err());
    assert!(f.register.review_queue(&desk, 10, 0).await.unwrap().items.is_empty());
    assert!(log(&f).await.is_empty(), "{:?}", log(&f).await);
}

async fn only_auditors_list_the_log(f: Fixture) {
    let person = overstayer(&f, "AC2000041", "ASANOVA").await;
    f.register.person(&reads(border(), ReadPurpose::BorderCheck), person).await.unwrap();
    for actor in [officer(), border(), admin(), Actor::new("stats", Role::Analyst)] {
        let refused = f.register.access_log(&actor, &AccessFilter::default(), 10, 0).await;
        assert!(matches!(refused, Err(RegisterError::Forbidden { .. })), "{actor:?}");
    }
    let page = f
        .register
        .access_log(&auditor(), &AccessFilter { person: Some(person), ..AccessFilter::default() }, 10, 0)
        .await
        .unwrap();
    assert_eq!((page.total, page.entries.len()), (1, 1));
    assert_eq!(log(&f).await.len(), 1, "reading the log is not itself a read of a person");
}
