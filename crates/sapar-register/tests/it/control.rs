//! The control register's use cases with a moved clock: the removal deadline on the production
//! calendar, overdue applications, removal on exit and on a legalising permit, decisions made once
//! with reasons and an appeal route, refused inclusions storing nothing, and the third-party check
//! logged against the person it finds, and entry reads that carry the person they show.

use jiff::Timestamp;
use jiff::civil::date;
use sapar_model::{DocumentKey, InputCode, PersonId, RawCrossing, RawName, ReadPurpose, Role};
use sapar_register::control::{RawApplication, RawDecision, RawInclusion};
use sapar_register::permits::RawPermit;
use sapar_register::records::{AccessFilter, ApplicationStatus, PersonEventKind, RemovalReason};
use sapar_register::{Actor, Entity, RegisterError};

use crate::{Fixture, border, officer, officer_reads, reads};

sapar_test_support::on_both_backends!(crate::fixture =>
    removal_deadline_is_10_working_days_on_the_production_calendar,
    an_application_undecided_after_its_deadline_is_listed_as_overdue,
    exit_removes_person_from_control_register,
    a_legalising_permit_removes_the_person,
    a_denial_without_appeal_route_is_refused_and_stores_nothing,
    a_second_decision_on_the_same_application_is_refused,
    inclusion_without_ground_or_decision_is_refused_and_stores_nothing,
    third_party_check_answers_only_yes_or_no_and_is_logged,
    entry_reads_carry_the_listed_person_and_are_logged_against_them,
);

/// Friday 20 March 2026, 11:00 in Almaty: the eve of Nauryz.
const FRIDAY_BEFORE_NAURYZ: &str = "2026-03-20T06:00:00Z";

fn at(instant: &str) -> Timestamp {
    instant.parse().unwrap()
}

fn crossing(document: &str, direction: &str, when: &str) -> RawCrossing {
    RawCrossing {
        id: Some(uuid::Uuid::now_v7().to_string()),
        direction: Some(direction.into()),
        at: Some(when.into()),
        crossing_point: Some("KZ-KORDAY".into()),
        purpose: Some("work".into()),
        document_type: Some("passport".into()),
        document_number: Some(document.into()),
        issuing_state: Some("KGZ".into()),
        native_name: RawName {
            surname: Some("Осмонов".into()), given_names: Some("Бакыт".into()), patronymic: None
        },
        latin_name: RawName { surname: Some("OSMONOV".into()), given_names: Some("BAKYT".into()), patronymic: None },
        sex: Some("M".into()),
        birth_date: Some("1990-05-17".into()),
        citizenship: Some("KGZ".into()),
        ..RawCrossing::default()
    }
}

async fn traveller(f: &Fixture, document: &str) -> PersonId {
    f.register
        .record_crossing(&border(), &crossing(document, "entry", "2026-03-01T09:30:00+05:00"))
        .await
        .unwrap()
        .person_id
}

fn inclusion(ground: &str) -> RawInclusion {
    RawInclusion {
        ground: Some(ground.into()),
        decision_ref: Some("Решение УМС № 17-5/2026".into()),
        decided_on: Some("2026-03-19".into()),
        basis: None,
    }
}

fn application() -> RawApplication {
    RawApplication {
        applicant: "representative".into(),
        applicant_name: "адвокат Касымова Д.".into(),
        grounds: "error".into(),
        statement: "the permit was extended before it expired".into(),
        documents: vec!["permit extension № 55".into()],
    }
}

fn decision(decision: &str, appeal_route: Option<&str>) -> RawDecision {
    RawDecision {
        decision: decision.into(),
        reasons: "the extension is on record".into(),
        appeal_route: appeal_route.map(str::to_owned),
    }
}

async fn removal_deadline_is_10_working_days_on_the_production_calendar(f: Fixture) {
    f.clock.set(at(FRIDAY_BEFORE_NAURYZ));
    let person = traveller(&f, "AC3000001").await;
    let entry =
        f.register.include_in_control(&officer(), person, &inclusion("permit_expired_or_annulled")).await.unwrap();
    let filed = f.register.file_removal_application(&officer(), entry.id, &application()).await.unwrap();
    // 21–23 March are Nauryz and 24–25 March days off moved from its weekend: the ten working
    // days are 26, 27, 30, 31 March and 1, 2, 3, 6, 7, 8 April (ten calendar days would be 30 March).
    assert_eq!((filed.filed_on, filed.due_on), (date(2026, 3, 20), date(2026, 4, 8)));

    let shorter = f.register.clone().with_removal_term(3);
    assert_eq!(shorter.removal_due(date(2026, 3, 20)).unwrap(), date(2026, 3, 30));
    // Across the new year on both years' calendars; beyond the last loaded year, refused.
    assert_eq!(f.register.removal_due(date(2026, 12, 28)).unwrap(), date(2027, 1, 14));
    assert!(matches!(f.register.removal_due(date(2027, 12, 28)), Err(RegisterError::NoCalendar(_))));
}

async fn an_application_undecided_after_its_deadline_is_listed_as_overdue(f: Fixture) {
    f.clock.set(at(FRIDAY_BEFORE_NAURYZ));
    let person = traveller(&f, "AC3000002").await;
    let entry = f.register.include_in_control(&officer(), person, &inclusion("illegal_entry")).await.unwrap();
    let filed = f.register.file_removal_application(&officer(), entry.id, &application()).await.unwrap();
    let ids =
        |list: Vec<sapar_register::records::RemovalApplication>| list.into_iter().map(|a| a.id).collect::<Vec<_>>();

    f.clock.set(at("2026-04-08T18:00:00Z")); // 23:00 in Almaty on the last day
    assert_eq!(ids(f.register.removal_applications(&officer(), ApplicationStatus::Pending).await.unwrap()), [filed.id]);
    assert!(f.register.removal_applications(&officer(), ApplicationStatus::Overdue).await.unwrap().is_empty());

    f.clock.set(at("2026-04-08T19:30:00Z")); // 00:30 on 9 April in Almaty
    let overdue = f.register.removal_applications(&officer(), ApplicationStatus::Overdue).await.unwrap();
    assert_eq!(ids(overdue.clone()), [filed.id]);
    assert!(overdue[0].is_overdue_on(f.register.today()));
    assert!(f.register.removal_applications(&officer(), ApplicationStatus::Pending).await.unwrap().is_empty());
    assert!(matches!(
        f.register.removal_applications(&border(), ApplicationStatus::Overdue).await,
        Err(RegisterError::Forbidden { .. })
    ));

    f.register
        .decide_removal_application(&officer(), filed.id, &decision("deny", Some("court, 30 days")))
        .await
        .unwrap();
    assert!(f.register.removal_applications(&officer(), ApplicationStatus::Overdue).await.unwrap().is_empty());
    assert_eq!(ids(f.register.removal_applications(&officer(), ApplicationStatus::Decided).await.unwrap()), [filed.id]);
}

async fn exit_removes_person_from_control_register(f: Fixture) {
    f.clock.set(at(FRIDAY_BEFORE_NAURYZ));
    let leaving = traveller(&f, "AC3000003").await;
    let late_report = traveller(&f, "AC3000004").await;
    let entry = f.register.include_in_control(&officer(), leaving, &inclusion("expulsion")).await.unwrap();
    let other = f.register.include_in_control(&officer(), late_report, &inclusion("expulsion")).await.unwrap();

    f.clock.set(at("2026-03-21T06:00:00Z"));
    let exit = crossing("AC3000003", "exit", "2026-03-21T10:00:00+05:00");
    let left = f.register.record_crossing(&border(), &exit).await.unwrap();
    let removed = f.register.control_entry(&officer_reads(), entry.id).await.unwrap().entry;
    let removal = removed.removal.expect("the exit removes the entry");
    assert_eq!(
        (removal.reason, removal.reference, removal.by.as_str()),
        (RemovalReason::Departure, Some(left.crossing_id.as_uuid()), "korday-post-3")
    );
    let kinds: Vec<_> =
        f.register.events_of(&officer_reads(), leaving).await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [PersonEventKind::ControlIncluded, PersonEventKind::ControlRemoved]);
    // The same exit again changes nothing.
    f.register.record_crossing(&border(), &exit).await.unwrap();
    assert_eq!(f.register.events_of(&officer_reads(), leaving).await.unwrap().len(), 2);

    // An exit made before the inclusion, reported after it, does not end it.
    let earlier = crossing("AC3000004", "exit", "2026-03-10T10:00:00+05:00");
    f.register.record_crossing(&border(), &earlier).await.unwrap();
    assert!(f.register.control_entry(&officer_reads(), other.id).await.unwrap().entry.is_active());
}

async fn a_legalising_permit_removes_the_person(f: Fixture) {
    f.clock.set(at(FRIDAY_BEFORE_NAURYZ));
    let overstayer = traveller(&f, "AC3000005").await;
    let expelled = traveller(&f, "AC3000006").await;
    let entry =
        f.register.include_in_control(&officer(), overstayer, &inclusion("permit_expired_or_annulled")).await.unwrap();
    let kept = f.register.include_in_control(&officer(), expelled, &inclusion("expulsion")).await.unwrap();
    let permit = |number: &str, from: &str, to: &str| RawPermit {
        kind: "temporary_residence".into(),
        purpose: Some("work".into()),
        number: number.into(),
        valid_from: from.into(),
        valid_to: to.into(),
        issued_by: None,
        employer_id: None,
    };

    // A permit that covers only days to come legalises nothing yet.
    f.register.record_permit(&officer(), overstayer, &permit("TR-1", "2026-06-01", "2027-05-31")).await.unwrap();
    assert!(f.register.control_entry(&officer_reads(), entry.id).await.unwrap().entry.is_active());

    let granted =
        f.register.record_permit(&officer(), overstayer, &permit("TR-2", "2026-03-20", "2026-05-31")).await.unwrap();
    let removal = f.register.control_entry(&officer_reads(), entry.id).await.unwrap().entry.removal.expect("removed");
    assert_eq!((removal.reason, removal.reference), (RemovalReason::LegalisedStatus, Some(granted.id)));

    // An expulsion is not ended by a permit: only its cancellation or departure ends it.
    f.register.record_permit(&officer(), expelled, &permit("TR-3", "2026-03-20", "2026-05-31")).await.unwrap();
    assert!(f.register.control_entry(&officer_reads(), kept.id).await.unwrap().entry.is_active());
}

async fn a_denial_without_appeal_route_is_refused_and_stores_nothing(f: Fixture) {
    f.clock.set(at(FRIDAY_BEFORE_NAURYZ));
    let person = traveller(&f, "AC3000007").await;
    let entry = f.register.include_in_control(&officer(), person, &inclusion("illegal_entry")).await.unwrap();
    let filed = f.register.file_removal_application(&officer(), entry.id, &application()).await.unwrap();
    for route in [None, Some("   ")] {
        match f.register.decide_removal_application(&officer(), filed.id, &decision("deny", route)).await {
            Err(RegisterError::Invalid(e)) => {
                assert_eq!((e.field, e.code), ("appeal_route", InputCode::AppealRouteRequired))
            }
            other => panic!("a denial names its appeal route: {other:?}"),
        }
    }
    let no_reasons = RawDecision { reasons: " ".into(), ..decision("grant", None) };
    assert!(matches!(
        f.register.decide_removal_application(&officer(), filed.id, &no_reasons).await,
        Err(RegisterError::Invalid(e)) if e.code == InputCode::ReasonRequired
    ));
    let file = f.register.control_entry(&officer_reads(), entry.id).await.unwrap();
    assert_eq!(file.applications, [filed]);
    assert!(file.entry.is_active());
}

async fn a_second_decision_on_the_same_application_is_refused(f: Fixture) {
    f.clock.set(at(FRIDAY_BEFORE_NAURYZ));
    let person = traveller(&f, "AC3000008").await;
    let entry = f.register.include_in_control(&officer(), person, &inclusion("illegal_entry")).await.unwrap();
    let filed = f.register.file_removal_application(&officer(), entry.id, &application()).await.unwrap();
    let (granted, removed) =
        f.register.decide_removal_application(&officer(), filed.id, &decision("grant", None)).await.unwrap();
    assert_eq!(
        removed.removal.map(|r| (r.reason, r.reference)),
        Some((RemovalReason::ApplicationGranted, Some(filed.id)))
    );
    match f.register.decide_removal_application(&officer(), filed.id, &decision("deny", Some("court"))).await {
        Err(RegisterError::AlreadyDecided { entity: Entity::RemovalApplication, status }) => {
            assert_eq!(status, "grant")
        }
        other => panic!("an application is decided once: {other:?}"),
    }
    let file = f.register.control_entry(&officer_reads(), entry.id).await.unwrap();
    assert_eq!(file.applications, [granted]);
    // The entry is gone from the register, so no further application is taken.
    assert!(matches!(
        f.register.file_removal_application(&officer(), entry.id, &application()).await,
        Err(RegisterError::EntryRemoved { reason: "application_granted" })
    ));
}

async fn inclusion_without_ground_or_decision_is_refused_and_stores_nothing(f: Fixture) {
    f.clock.set(at(FRIDAY_BEFORE_NAURYZ));
    let person = traveller(&f, "AC3000009").await;
    let refusals = [
        (RawInclusion { ground: None, ..inclusion("illegal_entry") }, "ground", InputCode::MissingField),
        (
            RawInclusion { ground: Some("suspicion".into()), ..inclusion("illegal_entry") },
            "ground",
            InputCode::InvalidGround,
        ),
        (RawInclusion { decision_ref: None, ..inclusion("illegal_entry") }, "decision_ref", InputCode::MissingField),
        (
            RawInclusion { decision_ref: Some("  ".into()), ..inclusion("illegal_entry") },
            "decision_ref",
            InputCode::MissingField,
        ),
    ];
    for (raw, field, code) in refusals {
        match f.register.include_in_control(&officer(), person, &raw).await {
            Err(RegisterError::Invalid(e)) => assert_eq!((e.field, e.code), (field, code)),
            other => panic!("{raw:?} is refused: {other:?}"),
        }
    }
    assert!(matches!(
        f.register.include_in_control(&border(), person, &inclusion("illegal_entry")).await,
        Err(RegisterError::Forbidden { .. })
    ));
    assert!(f.register.control_entries_of(&officer_reads(), person).await.unwrap().is_empty());
    assert!(f.register.events_of(&officer_reads(), person).await.unwrap().is_empty());

    let entry = f.register.include_in_control(&officer(), person, &inclusion("illegal_entry")).await.unwrap();
    assert_eq!((entry.decided_by.as_str(), entry.ground.restrictions().len()), ("a.sadykova", 5));
    assert!(matches!(
        f.register.include_in_control(&officer(), person, &inclusion("court_sentence")).await,
        Err(RegisterError::AlreadyListed(id)) if id == entry.id
    ));
}

async fn third_party_check_answers_only_yes_or_no_and_is_logged(f: Fixture) {
    f.clock.set(at(FRIDAY_BEFORE_NAURYZ));
    let listed = traveller(&f, "AC3000010").await;
    let free = traveller(&f, "AC3000011").await;
    f.register.include_in_control(&officer(), listed, &inclusion("illegal_entry")).await.unwrap();
    let bank = Actor::new("bank-gateway", Role::Exchange);
    let check = |number: &str| DocumentKey::parse_reference(&format!("KGZ:{number}")).unwrap();
    let access = reads(bank.clone(), ReadPurpose::Enforcement);
    assert!(f.register.control_check(&access, &check("AC3000010")).await.unwrap());
    assert!(!f.register.control_check(&access, &check("AC3000011")).await.unwrap());
    assert!(!f.register.control_check(&access, &check("AC3999999")).await.unwrap());
    assert!(matches!(
        f.register
            .control_check(&reads(Actor::new("stats", Role::Analyst), ReadPurpose::Enforcement), &check("AC3000010"))
            .await,
        Err(RegisterError::Forbidden { .. })
    ));

    let auditor = Actor::new("auditor", Role::Auditor);
    let log = f.register.access_log(&auditor, &AccessFilter::default(), 1000, 0).await.unwrap().entries;
    let mut checks: Vec<_> =
        log.iter().filter(|e| e.actor == "bank-gateway").map(|e| (e.person_id, e.view.as_str())).collect();
    checks.sort_by_key(|(p, _)| p.as_uuid());
    let mut expected = vec![(listed, "control_check"), (free, "control_check")];
    expected.sort_by_key(|(p, _)| p.as_uuid());
    assert_eq!(checks, expected, "each lookup that found a person is logged against them, the unknown one is not");
}

async fn entry_reads_carry_the_listed_person_and_are_logged_against_them(f: Fixture) {
    f.clock.set(at(FRIDAY_BEFORE_NAURYZ));
    let person = traveller(&f, "AC3000010").await;
    let entry = f.register.include_in_control(&officer(), person, &inclusion("illegal_entry")).await.unwrap();

    let file = f.register.control_entry(&officer_reads(), entry.id).await.unwrap();
    let shown = file.person.expect("the entry's person");
    assert_eq!(shown.id, person);
    assert!(shown.details.name.latin().is_some_and(|n| n.to_string().contains("OSMONOV")));

    let page = f.register.control_entries(&officer_reads(), true, 10, 0).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.person_of(&page.items[0]).map(|p| p.id), Some(person));

    let filter = AccessFilter { person: Some(person), ..AccessFilter::default() };
    let log = f.register.access_log(&Actor::new("audit", Role::Auditor), &filter, 100, 0).await.unwrap().entries;
    let register_reads = log.iter().filter(|e| e.view == "control_register").count();
    assert_eq!(register_reads, 2, "the entry and the page were each one logged read of the person");
}
