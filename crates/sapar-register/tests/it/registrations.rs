//! Registration of place of stay on both backends: on time, late (the failure-to-register
//! violation drafted against the party the rule names: the migrant, an employer, a private host),
//! missing (the sweep drafts it once), ended by an exit, a working-day deadline across a public
//! holiday, address changes, extensions and deregistrations, bad input that stores nothing, and a
//! host naming its guest by travel document and birth date.

use jiff::Timestamp;
use jiff::civil::date;
use sapar_model::{InputCode, PersonId, RawCrossing, RawName, Role};
use sapar_register::records::{EndReason, FilingChannel, PartyKind, RegistrationEventKind, RegistrationState};
use sapar_register::registrations::{RawAddress, RawGuest, RawParty, RawRegistration};
use sapar_register::{Actor, Entity, RegisterError};

use crate::{Fixture, border, officer, officer_reads};

sapar_test_support::on_both_backends!(crate::fixture =>
    a_registration_filed_on_time_is_not_late_and_drafts_nothing,
    a_late_filing_under_the_migrant_rule_drafts_the_violation_against_the_migrant,
    a_late_filing_by_a_legal_entity_names_the_employer_found_or_recorded_by_its_bin,
    a_late_filing_by_a_private_host_names_the_host_on_the_migrants_record,
    the_sweep_drafts_one_failure_for_a_missing_registration_and_not_again,
    an_exit_ends_the_registration_in_force,
    a_working_day_deadline_skips_the_public_holiday,
    an_address_change_supersedes_and_extensions_and_deregistrations_are_history,
    bad_input_is_refused_precisely_and_stores_nothing,
    a_host_account_may_file_but_not_read_or_change,
    a_host_names_the_guest_by_document_and_birth_date_and_learns_nothing_else,
    an_imported_exit_ends_the_registration_in_force_but_not_a_later_stays,
);

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn crossing(document: &str, direction: &str, when: &str, citizenship: &str) -> RawCrossing {
    RawCrossing {
        id: Some(uuid::Uuid::now_v7().to_string()),
        direction: Some(direction.into()),
        at: Some(when.into()),
        crossing_point: Some("KZ-KORDAY".into()),
        purpose: Some("private".into()),
        document_type: Some("passport".into()),
        document_number: Some(document.into()),
        issuing_state: Some(citizenship.into()),
        latin_name: RawName { surname: Some("KARIMOV".into()), given_names: Some("SHERZOD".into()), patronymic: None },
        sex: Some("M".into()),
        birth_date: Some("1994-02-11".into()),
        citizenship: Some(citizenship.into()),
        ..RawCrossing::default()
    }
}

/// Records a crossing with the clock just after it, as a border post would.
async fn cross(f: &Fixture, document: &str, direction: &str, when: &str, citizenship: &str) -> PersonId {
    f.clock.set(at(when).checked_add(jiff::SignedDuration::from_mins(5)).unwrap());
    f.register.record_crossing(&border(), &crossing(document, direction, when, citizenship)).await.unwrap().person_id
}

/// Sets the clock to noon in Almaty on `day`.
fn noon(f: &Fixture, day: &str) {
    f.clock.set(at(&format!("{day}T12:00:00+05:00")));
}

fn registration(kind: &str, name: Option<&str>, identity: Option<&str>) -> RawRegistration {
    RawRegistration {
        address: RawAddress {
            region: "KZ-75".into(),
            locality: "Алматы".into(),
            street: Some("ул. Жибек Жолы".into()),
            building: Some("50".into()),
            flat: Some("12".into()),
        },
        valid_from: "2026-08-03".into(),
        valid_until: "2026-10-30".into(),
        party: RawParty { kind: kind.into(), name: name.map(Into::into), identity: identity.map(Into::into) },
    }
}

fn migrant() -> RawRegistration {
    registration("migrant", None, None)
}

fn hotel(period: (&str, &str)) -> RawRegistration {
    RawRegistration {
        valid_from: period.0.into(),
        valid_until: period.1.into(),
        ..registration("legal_entity", Some("ТОО «Отель Алатау»"), Some("0805 4000 2494"))
    }
}

fn private_host(period: (&str, &str)) -> RawRegistration {
    RawRegistration {
        valid_from: period.0.into(),
        valid_until: period.1.into(),
        ..registration("private_person", Some("Ахметова Гульнара"), Some("N 0123 4567"))
    }
}

async fn failures_of(f: &Fixture, person: PersonId) -> Vec<sapar_register::records::ViolationRecord> {
    let all = f.register.violations_of(&officer_reads(), person).await.unwrap();
    all.into_iter().filter(|v| v.kind == "registration_failure").collect()
}

async fn a_registration_filed_on_time_is_not_late_and_drafts_nothing(f: Fixture) {
    // Uzbekistan is visa-free: from 1 July 2026 the migrant registers by the 30th calendar day
    // after crossing (day 1 is 4 August): 2 September.
    let person = cross(&f, "FA2000001", "entry", "2026-08-03T10:00:00+05:00", "UZB").await;
    noon(&f, "2026-09-02");
    let r = f.register.file_registration(&officer(), person, &migrant(), FilingChannel::Desk).await.unwrap();
    let deadline = r.deadline.clone().unwrap();
    assert_eq!((deadline.due_on, deadline.rule_id.as_str()), (date(2026, 9, 2), "KAZ-REG-30CD-2026"));
    assert_eq!(deadline.liable, sapar_rules::Liable::Migrant);
    assert_eq!((r.arrival_on, r.filed_on, r.late()), (date(2026, 8, 3), date(2026, 9, 2), false));
    assert_eq!(
        (r.state, r.channel, r.party.kind),
        (RegistrationState::Submitted, FilingChannel::Desk, PartyKind::Migrant)
    );
    assert_eq!(r.party.name, "KARIMOV SHERZOD", "the migrant's name on record");
    assert_eq!(r.violation_id, None);
    assert!(failures_of(&f, person).await.is_empty());
}

async fn a_late_filing_under_the_migrant_rule_drafts_the_violation_against_the_migrant(f: Fixture) {
    let person = cross(&f, "FA2000002", "entry", "2026-08-03T10:00:00+05:00", "UZB").await;
    // 00:30 on 3 September in Almaty is still 2 September in UTC: the day is the host state's.
    f.clock.set(at("2026-09-02T19:30:00Z"));
    // Even filed by a hotel, the rule makes the migrant answer: no employer is named.
    let r = f
        .register
        .file_registration(&officer(), person, &hotel(("2026-08-03", "2026-10-30")), FilingChannel::Api)
        .await
        .unwrap();
    assert_eq!((r.filed_on, r.late()), (date(2026, 9, 3), true));
    let failures = failures_of(&f, person).await;
    assert_eq!(failures.len(), 1);
    let v = &failures[0];
    assert_eq!(Some(v.id), r.violation_id, "the registration names the violation it drafted");
    assert_eq!(
        (v.status, v.employer_id, v.detected_on),
        (sapar_register::records::ViolationStatus::Draft, None, date(2026, 9, 3))
    );
    assert!(v.description.as_deref().is_some_and(|d| d.contains("the migrant answers")), "{v:?}");
    assert!(v.article.as_deref().is_some_and(|a| a.contains("517")), "{v:?}");
}

async fn a_late_filing_by_a_legal_entity_names_the_employer_found_or_recorded_by_its_bin(f: Fixture) {
    // Until 30 June 2026 the receiving party registers within 3 working days (KAZ-REG-3WD).
    let first = cross(&f, "FA2000003", "entry", "2025-05-12T10:00:00+05:00", "UZB").await;
    let second = cross(&f, "FA2000004", "entry", "2025-05-12T11:00:00+05:00", "UZB").await;
    noon(&f, "2025-05-20");
    let period = ("2025-05-12", "2025-06-10");
    let r = f.register.file_registration(&officer(), first, &hotel(period), FilingChannel::Api).await.unwrap();
    assert_eq!(
        r.deadline.as_ref().map(|d| (d.due_on, d.liable)),
        Some((date(2025, 5, 15), sapar_rules::Liable::ReceivingParty))
    );
    assert!(r.late());
    let employer = r.party.employer_id.unwrap();
    assert_eq!(r.party.identity.as_deref(), Some("080540002494"), "the BIN as stored");
    let v = &failures_of(&f, first).await[0];
    assert_eq!(v.employer_id, Some(employer), "the employer answers");
    assert!(v.description.as_deref().is_some_and(|d| d.contains("080540002494")), "{v:?}");
    // The same hotel's next late filing finds the employer by its BIN instead of adding one.
    let again = f.register.file_registration(&officer(), second, &hotel(period), FilingChannel::Api).await.unwrap();
    assert_eq!(again.party.employer_id, Some(employer));
    assert_eq!(f.register.employers(&officer(), Some("080540002494"), 10, 0).await.unwrap().len(), 1);
    assert_eq!(failures_of(&f, second).await[0].employer_id, Some(employer));
}

async fn a_late_filing_by_a_private_host_names_the_host_on_the_migrants_record(f: Fixture) {
    let person = cross(&f, "FA2000005", "entry", "2025-05-12T10:00:00+05:00", "UZB").await;
    noon(&f, "2025-05-16");
    let r = f
        .register
        .file_registration(&officer(), person, &private_host(("2025-05-12", "2025-06-01")), FilingChannel::Desk)
        .await
        .unwrap();
    assert!(r.late(), "due on 15 May");
    assert_eq!(r.party.identity.as_deref(), Some("N01234567"));
    let failures = failures_of(&f, person).await;
    assert_eq!(failures.len(), 1);
    let v = &failures[0];
    assert_eq!((v.person_id, v.employer_id), (person, None));
    let description = v.description.as_deref().unwrap();
    assert!(description.contains("Ахметова Гульнара") && description.contains("N01234567"), "{description}");
}

async fn the_sweep_drafts_one_failure_for_a_missing_registration_and_not_again(f: Fixture) {
    let missing = cross(&f, "FA2000006", "entry", "2025-05-12T10:00:00+05:00", "UZB").await;
    let registered = cross(&f, "FA2000007", "entry", "2025-05-12T10:30:00+05:00", "UZB").await;
    noon(&f, "2025-05-14");
    f.register
        .file_registration(&officer(), registered, &hotel(("2025-05-12", "2025-06-01")), FilingChannel::Api)
        .await
        .unwrap();
    // On the last day of the term nothing is missing yet.
    noon(&f, "2025-05-15");
    let on_due = f.register.sweep_overstays(&officer(), None).await.unwrap();
    assert_eq!((on_due.unregistered, on_due.new_registration_drafts), (0, 0));
    noon(&f, "2025-05-16");
    let first = f.register.sweep_overstays(&officer(), None).await.unwrap();
    assert_eq!((first.unregistered, first.new_registration_drafts), (1, 1), "{first:?}");
    let drafted = failures_of(&f, missing).await;
    assert_eq!(drafted.len(), 1);
    assert!(drafted[0].description.as_deref().is_some_and(|d| d.contains("none registered")), "{drafted:?}");
    assert!(failures_of(&f, registered).await.is_empty());
    noon(&f, "2025-05-17");
    let second = f.register.sweep_overstays(&officer(), None).await.unwrap();
    assert_eq!((second.unregistered, second.new_registration_drafts), (0, 0), "{second:?}");
    // Filed late after the sweep: accepted and marked late, naming the sweep's violation; no
    // second violation for the same arrival.
    let r = f
        .register
        .file_registration(&officer(), missing, &private_host(("2025-05-12", "2025-06-01")), FilingChannel::Desk)
        .await
        .unwrap();
    assert!(r.late());
    assert_eq!(r.violation_id, Some(drafted[0].id));
    assert_eq!(failures_of(&f, missing).await.len(), 1);
}

async fn an_exit_ends_the_registration_in_force(f: Fixture) {
    let person = cross(&f, "FA2000008", "entry", "2026-08-03T10:00:00+05:00", "UZB").await;
    noon(&f, "2026-08-05");
    let r = f.register.file_registration(&officer(), person, &migrant(), FilingChannel::SelfService).await.unwrap();
    cross(&f, "FA2000008", "exit", "2026-08-20T09:00:00+05:00", "UZB").await;
    let files = f.register.registrations_of(&officer_reads(), person).await.unwrap();
    let ended = &files[0].registration;
    assert_eq!(ended.id, r.id);
    assert_eq!((ended.state, ended.ended), (RegistrationState::Ended, Some((date(2026, 8, 20), EndReason::Exit))));
    let kinds: Vec<RegistrationEventKind> = files[0].events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [RegistrationEventKind::Filed, RegistrationEventKind::Ended]);
    // Out of the country, nobody can register the person.
    noon(&f, "2026-08-21");
    let refused = f.register.file_registration(&officer(), person, &migrant(), FilingChannel::Desk).await;
    assert!(matches!(refused, Err(RegisterError::PersonNotInCountry)), "{refused:?}");
    let extended = f.register.extend_registration(&officer(), r.id, "2026-12-01").await;
    assert!(matches!(extended, Err(RegisterError::RegistrationEnded { state: "ended" })), "{extended:?}");
}

async fn a_working_day_deadline_skips_the_public_holiday(f: Fixture) {
    // Friday 2 May 2025; three working days after it: Monday 5, Tuesday 6, then Wednesday 7 May
    // is Defender of the Fatherland Day, so Thursday 8 May.
    let on_time = cross(&f, "FA2000009", "entry", "2025-05-02T10:00:00+05:00", "UZB").await;
    let late = cross(&f, "FA2000010", "entry", "2025-05-02T11:00:00+05:00", "UZB").await;
    noon(&f, "2025-05-08");
    let r = f
        .register
        .file_registration(&officer(), on_time, &private_host(("2025-05-02", "2025-05-30")), FilingChannel::Desk)
        .await
        .unwrap();
    assert_eq!(r.deadline.as_ref().map(|d| d.due_on), Some(date(2025, 5, 8)));
    assert!(!r.late(), "filed on the last day of the term the holiday lengthened");
    // 23:59 in Almaty on 8 May is still the 8th; one minute later it is the 9th.
    f.clock.set(at("2025-05-08T19:00:00Z"));
    let r = f
        .register
        .file_registration(&officer(), late, &private_host(("2025-05-02", "2025-05-30")), FilingChannel::Desk)
        .await
        .unwrap();
    assert_eq!((r.filed_on, r.late()), (date(2025, 5, 9), true));
    assert_eq!(failures_of(&f, late).await.len(), 1);
    assert!(failures_of(&f, on_time).await.is_empty());
}

async fn an_address_change_supersedes_and_extensions_and_deregistrations_are_history(f: Fixture) {
    let person = cross(&f, "FA2000011", "entry", "2026-08-03T10:00:00+05:00", "UZB").await;
    noon(&f, "2026-08-04");
    let first = f.register.file_registration(&officer(), person, &migrant(), FilingChannel::Desk).await.unwrap();
    // A move after the deadline is not a late first registration.
    noon(&f, "2026-09-10");
    let moved = RawRegistration {
        address: RawAddress { region: "KZ-71".into(), locality: "Астана".into(), ..RawAddress::default() },
        valid_from: "2026-09-10".into(),
        valid_until: "2026-10-01".into(),
        ..migrant()
    };
    let second = f.register.file_registration(&officer(), person, &moved, FilingChannel::Desk).await.unwrap();
    assert!(!second.late() && second.violation_id.is_none());
    let extended = f.register.extend_registration(&officer(), second.id, "2026-10-30").await.unwrap();
    assert_eq!(extended.valid_until, date(2026, 10, 30));
    let not_later = f.register.extend_registration(&officer(), second.id, "2026-10-30").await;
    assert!(
        matches!(not_later, Err(RegisterError::Invalid(ref e)) if e.code == InputCode::InvalidPeriod),
        "{not_later:?}"
    );
    let ended = f.register.deregister(&officer(), second.id, Some("2026-10-15"), Some("left the flat")).await.unwrap();
    assert_eq!(ended.ended, Some((date(2026, 10, 15), EndReason::Deregistered)));
    let again = f.register.deregister(&officer(), second.id, None, None).await;
    assert!(matches!(again, Err(RegisterError::RegistrationEnded { state: "ended" })), "{again:?}");

    let files = f.register.registrations_of(&officer_reads(), person).await.unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(
        (files[0].registration.state, files[0].registration.superseded_by),
        (RegistrationState::Superseded, Some(second.id))
    );
    assert_eq!(files[0].registration.id, first.id);
    let history: Vec<(RegistrationEventKind, Option<jiff::civil::Date>, Option<jiff::civil::Date>)> =
        files[1].events.iter().map(|e| (e.kind, e.until_before, e.until_after)).collect();
    assert_eq!(
        history,
        [
            (RegistrationEventKind::Filed, None, Some(date(2026, 10, 1))),
            (RegistrationEventKind::Extended, Some(date(2026, 10, 1)), Some(date(2026, 10, 30))),
            (RegistrationEventKind::Ended, None, None),
        ]
    );
    assert!(failures_of(&f, person).await.is_empty());
}

async fn bad_input_is_refused_precisely_and_stores_nothing(f: Fixture) {
    let person = cross(&f, "FA2000012", "entry", "2026-08-03T10:00:00+05:00", "UZB").await;
    noon(&f, "2026-09-20");
    let code = |r: Result<_, RegisterError>| match r {
        Err(RegisterError::Invalid(e)) => (e.field, e.code),
        other => panic!("not an input error: {other:?}"),
    };
    let abroad = RawRegistration {
        address: RawAddress { region: "KG-GB".into(), locality: "Бишкек".into(), ..RawAddress::default() },
        ..migrant()
    };
    let r = f.register.file_registration(&officer(), person, &abroad, FilingChannel::Api).await;
    assert_eq!(code(r), ("address.region", InputCode::UnknownRegion));
    let backwards = RawRegistration { valid_from: "2026-09-10".into(), valid_until: "2026-09-09".into(), ..migrant() };
    let r = f.register.file_registration(&officer(), person, &backwards, FilingChannel::Api).await;
    assert_eq!(code(r), ("valid_until", InputCode::InvalidPeriod));
    let r = f
        .register
        .file_registration(
            &officer(),
            person,
            &registration("legal_entity", Some("ТОО"), Some("080540002495")),
            FilingChannel::Api,
        )
        .await;
    assert_eq!(code(r), ("party.identity", InputCode::InvalidRegistrationNumber));
    let r = f
        .register
        .file_registration(&officer(), person, &registration("private_person", Some("Host"), None), FilingChannel::Api)
        .await;
    assert_eq!(code(r), ("party.identity", InputCode::MissingField));
    let r = f
        .register
        .file_registration(&officer(), person, &registration("landlord", Some("Host"), None), FilingChannel::Api)
        .await;
    assert_eq!(code(r), ("party.kind", InputCode::InvalidKind));
    let gone = cross(&f, "FA2000013", "entry", "2026-08-03T10:00:00+05:00", "UZB").await;
    cross(&f, "FA2000013", "exit", "2026-08-10T10:00:00+05:00", "UZB").await;
    noon(&f, "2026-09-20");
    let r = f.register.file_registration(&officer(), gone, &migrant(), FilingChannel::Api).await;
    assert!(matches!(r, Err(RegisterError::PersonNotInCountry)), "{r:?}");
    // Nothing stored: no registration, no violation, no employer.
    for p in [person, gone] {
        assert!(f.register.registrations_of(&officer_reads(), p).await.unwrap().is_empty());
        assert!(failures_of(&f, p).await.is_empty());
    }
    assert!(f.register.employers(&officer(), None, 10, 0).await.unwrap().is_empty());
}

async fn a_host_account_may_file_but_not_read_or_change(f: Fixture) {
    let person = cross(&f, "FA2000014", "entry", "2026-08-03T10:00:00+05:00", "UZB").await;
    noon(&f, "2026-08-04");
    let host = Actor::new("hotel-alatau", Role::Host);
    let r = f
        .register
        .file_registration(&host, person, &hotel(("2026-08-03", "2026-08-20")), FilingChannel::Api)
        .await
        .unwrap();
    assert_eq!(r.filed_by, "hotel-alatau");
    let read =
        f.register.registrations_of(&crate::reads(host.clone(), sapar_model::ReadPurpose::StayControl), person).await;
    assert!(matches!(read, Err(RegisterError::Forbidden { .. })), "{read:?}");
    let extend = f.register.extend_registration(&host, r.id, "2026-09-01").await;
    assert!(matches!(extend, Err(RegisterError::Forbidden { .. })), "{extend:?}");
    let analyst = Actor::new("stats", Role::Analyst);
    let file = f.register.file_registration(&analyst, person, &migrant(), FilingChannel::Api).await;
    assert!(matches!(file, Err(RegisterError::Forbidden { .. })), "{file:?}");
}

async fn a_host_names_the_guest_by_document_and_birth_date_and_learns_nothing_else(f: Fixture) {
    let person = cross(&f, "FA2000015", "entry", "2026-08-03T10:00:00+05:00", "UZB").await;
    noon(&f, "2026-08-04");
    let host = Actor::new("hotel-alatau", Role::Host);
    let guest = |state: &str, number: &str, born: &str| RawGuest {
        document_state: state.into(),
        document_number: number.into(),
        birth_date: born.into(),
    };
    let stay = hotel(("2026-08-03", "2026-08-20"));
    let file = async |g: RawGuest| f.register.file_registration_for_guest(&host, &g, &stay, FilingChannel::Web).await;

    // Another birth date, or a document nobody holds: the same answer, nothing stored.
    for wrong in [
        guest("UZB", "FA2000015", "1994-02-12"),
        guest("UZB", "FA2000016", "1994-02-11"),
        guest("KGZ", "FA2000015", "1994-02-11"),
    ] {
        let answer = file(wrong.clone()).await;
        assert!(matches!(answer, Err(RegisterError::NotFound(Entity::Person))), "{wrong:?}: {answer:?}");
    }
    // Malformed details are named by their field.
    for (bad, field, code) in [
        (guest("UZ", "FA2000015", "1994-02-11"), "guest.document_state", InputCode::InvalidCountry),
        (guest("", "FA2000015", "1994-02-11"), "guest.document_state", InputCode::MissingField),
        (guest("UZB", "FA 2000015!", "1994-02-11"), "guest.document_number", InputCode::InvalidDocumentNumber),
        (guest("UZB", "FA2000015", "11.02.1994"), "guest.birth_date", InputCode::InvalidDate),
    ] {
        match file(bad.clone()).await {
            Err(RegisterError::Invalid(e)) => assert_eq!((e.field, e.code), (field, code), "{bad:?}: {e:?}"),
            other => panic!("{bad:?} was answered {other:?}"),
        }
    }
    assert!(f.db.store.registrations_of(person).await.unwrap().is_empty(), "a refused filing stored something");

    let filed = file(guest(" uzb ", "fa2000015", "1994-02-11")).await.unwrap();
    assert_eq!((filed.person_id, filed.filed_by.as_str()), (person, "hotel-alatau"));
    assert_eq!(filed.channel, FilingChannel::Web);
    let analyst = Actor::new("stats", Role::Analyst);
    let refused = f
        .register
        .file_registration_for_guest(&analyst, &guest("UZB", "FA2000015", "1994-02-11"), &stay, FilingChannel::Api)
        .await;
    assert!(matches!(refused, Err(RegisterError::Forbidden { .. })), "{refused:?}");
}

/// The crossing as an import row.
fn import_row(document: &str, direction: &str, when: &str) -> sapar_store::RecordCrossing {
    sapar_register::crossings::validate_submission(
        &crossing(document, direction, when, "UZB"),
        at("2026-12-01T00:00:00Z"),
    )
    .unwrap()
}

async fn an_imported_exit_ends_the_registration_in_force_but_not_a_later_stays(f: Fixture) {
    let person = cross(&f, "FA2000017", "entry", "2026-08-03T10:00:00+05:00", "UZB").await;
    noon(&f, "2026-08-05");
    let first = f.register.file_registration(&officer(), person, &migrant(), FilingChannel::Desk).await.unwrap();
    let importer = Actor::new("import", Role::Admin);
    let rows = vec![import_row("FA2000017", "exit", "2026-08-20T09:00:00+05:00")];
    let outcomes = f.register.import_crossings(&importer, rows).await.unwrap();
    assert!(outcomes[0].is_ok(), "{:?}", outcomes[0]);
    let files = f.register.registrations_of(&officer_reads(), person).await.unwrap();
    assert_eq!(files[0].registration.id, first.id);
    assert_eq!(files[0].registration.ended, Some((date(2026, 8, 20), EndReason::Exit)));

    // Back in, registered again; then an exit of an earlier trip arrives late in an import.
    cross(&f, "FA2000017", "entry", "2026-09-01T10:00:00+05:00", "UZB").await;
    noon(&f, "2026-09-02");
    let second = f.register.file_registration(&officer(), person, &migrant(), FilingChannel::Desk).await.unwrap();
    let rows = vec![
        import_row("FA2000017", "entry", "2026-07-01T09:00:00+05:00"),
        import_row("FA2000017", "exit", "2026-07-15T09:00:00+05:00"),
    ];
    let outcomes = f.register.import_crossings(&importer, rows).await.unwrap();
    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
    let files = f.register.registrations_of(&officer_reads(), person).await.unwrap();
    let still = files.iter().find(|r| r.registration.id == second.id).unwrap();
    assert_eq!(
        still.registration.state,
        RegistrationState::Submitted,
        "an earlier exit ended a later stay's registration"
    );
}
