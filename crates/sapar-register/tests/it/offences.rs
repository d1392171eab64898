//! Violations beyond overstay, fines and their payment, employers and work permits, on both
//! backends: kinds and articles from the rule data, refusals that store nothing, an employer's
//! fine for illegal foreign labour, a payment recorded once, a work permit bound to an employer.

use sapar_model::{InputCode, PersonId, RawCrossing, RawName, Role};
use sapar_register::employers::RawEmployer;
use sapar_register::permits::RawPermit;
use sapar_register::records::{AccessFilter, PermitKind, ViolationStatus};
use sapar_register::violations::{RawFine, RawPayment, RawPenalty, RawViolation, ViolationVerdict};
use sapar_register::{Actor, Entity, RegisterError};

use crate::{Fixture, border, officer, officer_reads};

sapar_test_support::on_both_backends!(crate::fixture =>
    officer_records_illegal_work_with_article_and_fine_in_mrp,
    a_fine_with_a_negative_amount_is_refused_and_nothing_stored,
    employer_fined_for_illegal_foreign_labour_is_listed_with_the_employer,
    unknown_employer_is_refused,
    a_fine_is_paid_once,
    a_confirmed_overstay_gets_its_article_and_fine,
    work_permit_binds_the_worker_to_an_employer_and_covers_the_stay,
    a_bin_failing_its_control_digit_is_refused,
);

fn crossing(document: &str) -> RawCrossing {
    RawCrossing {
        id: Some(uuid::Uuid::now_v7().to_string()),
        direction: Some("entry".into()),
        at: Some("2025-05-02T09:30:00+05:00".into()),
        crossing_point: Some("KZ-KORDAY".into()),
        purpose: Some("work".into()),
        document_type: Some("passport".into()),
        document_number: Some(document.into()),
        issuing_state: Some("UZB".into()),
        native_name: RawName {
            surname: Some("Каримов".into()), given_names: Some("Шерзод".into()), patronymic: None
        },
        latin_name: RawName { surname: Some("KARIMOV".into()), given_names: Some("SHERZOD".into()), patronymic: None },
        sex: Some("M".into()),
        birth_date: Some("1994-02-11".into()),
        citizenship: Some("UZB".into()),
        ..RawCrossing::default()
    }
}

async fn worker(f: &Fixture, document: &str) -> PersonId {
    f.register.record_crossing(&border(), &crossing(document)).await.unwrap().person_id
}

fn employer(bin: &str) -> RawEmployer {
    RawEmployer {
        registration_number: bin.into(),
        name: "ТОО «Стройсервис Алатау»".into(),
        region: "Алматы".into(),
        address: Some("пр. Райымбека, 212".into()),
    }
}

fn fine(amount: &str, unit: &str) -> Option<RawFine> {
    Some(RawFine { amount: amount.into(), unit: unit.into() })
}

fn illegal_work(amount: &str) -> RawViolation {
    RawViolation {
        kind: "illegal_work".into(),
        detected_on: "2025-05-28".into(),
        description: Some("worked at a building site without a permit".into()),
        employer_id: None,
        penalty: RawPenalty { article: None, decision_ref: Some("АП-2025/0981".into()), fine: fine(amount, "MRP") },
    }
}

async fn officer_records_illegal_work_with_article_and_fine_in_mrp(f: Fixture) {
    let person = worker(&f, "FA1000001").await;
    let v = f.register.record_violation(&officer(), person, &illegal_work("30")).await.unwrap();
    assert_eq!(v.kind, "illegal_work");
    assert_eq!(v.status, ViolationStatus::Confirmed, "recorded with its decision");
    assert!(v.article.as_deref().is_some_and(|a| a.contains("517")), "the kind's article in Kazakhstan: {v:?}");
    let fine = v.fine.as_ref().unwrap();
    assert_eq!((fine.amount, fine.unit.as_str(), fine.payment.is_none()), (30, "MRP", true));
    assert_eq!(v.recorded_by.as_deref(), Some("a.sadykova"));
    assert!(v.overstay.is_none());

    // Without a decision it waits in the queue as a draft.
    let mut draft = illegal_work("30");
    draft.penalty = RawPenalty { article: Some("ст. 517 ч. 3".into()), ..RawPenalty::default() };
    let waiting = f.register.record_violation(&officer(), person, &draft).await.unwrap();
    assert_eq!((waiting.status, waiting.article.as_deref()), (ViolationStatus::Draft, Some("ст. 517 ч. 3")));
    let listed = f.register.violations_of(&officer_reads(), person).await.unwrap();
    assert_eq!(listed.len(), 2);
}

async fn a_fine_with_a_negative_amount_is_refused_and_nothing_stored(f: Fixture) {
    let person = worker(&f, "FA1000002").await;
    let refused = |e: RegisterError| match e {
        RegisterError::Invalid(e) => (e.code, e.field),
        other => panic!("expected a refusal, got {other:?}"),
    };
    for (amount, unit, code) in [
        ("-5", "MRP", InputCode::InvalidFineAmount),
        ("2.5", "MRP", InputCode::InvalidFineAmount),
        ("10", "USD", InputCode::InvalidFineUnit),
    ] {
        let mut raw = illegal_work(amount);
        raw.penalty.fine = fine(amount, unit);
        let e = f.register.record_violation(&officer(), person, &raw).await.unwrap_err();
        assert_eq!(refused(e).0, code, "{amount} {unit}");
    }
    let mut no_decision = illegal_work("10");
    no_decision.penalty.decision_ref = None;
    let e = f.register.record_violation(&officer(), person, &no_decision).await.unwrap_err();
    assert_eq!(refused(e), (InputCode::MissingField, "decision_ref"), "a fine is imposed by a decision");
    let mut unknown_kind = illegal_work("10");
    unknown_kind.kind = "jaywalking".into();
    let e = f.register.record_violation(&officer(), person, &unknown_kind).await.unwrap_err();
    assert_eq!(refused(e).0, InputCode::InvalidKind);
    let mut future = illegal_work("10");
    future.detected_on = "2025-06-02".into();
    let e = f.register.record_violation(&officer(), person, &future).await.unwrap_err();
    assert_eq!(refused(e), (InputCode::InvalidDate, "detected_on"));
    assert!(f.register.violations_of(&officer_reads(), person).await.unwrap().is_empty(), "nothing stored");
}

async fn employer_fined_for_illegal_foreign_labour_is_listed_with_the_employer(f: Fixture) {
    let person = worker(&f, "FA1000003").await;
    let company = f.register.record_employer(&officer(), &employer("0805 4000 2494")).await.unwrap();
    assert_eq!(company.registration_number, "080540002494");

    let mut raw = RawViolation {
        kind: "employer_violation".into(),
        detected_on: "2025-05-30".into(),
        description: Some("employed three foreign workers without permits".into()),
        employer_id: None,
        penalty: RawPenalty { decision_ref: Some("АП-2025/1002".into()), fine: fine("700", "MRP"), article: None },
    };
    let e = f.register.record_violation(&officer(), person, &raw).await.unwrap_err();
    assert!(
        matches!(&e, RegisterError::Invalid(e) if e.code == InputCode::EmployerRequired),
        "an employer's violation names the employer: {e:?}"
    );
    raw.employer_id = Some(company.id.to_string());
    let v = f.register.record_violation(&officer(), person, &raw).await.unwrap();
    assert_eq!(v.employer_id, Some(company.id));
    assert!(v.article.as_deref().is_some_and(|a| a.contains("519")));

    let file = f.register.employer(&officer_reads(), company.id).await.unwrap();
    assert_eq!(file.employer.name, "ТОО «Стройсервис Алатау»");
    assert_eq!(file.violations.iter().map(|v| v.id).collect::<Vec<_>>(), [v.id]);
    let auditor = Actor::new("audit-office", Role::Auditor);
    let filter = AccessFilter { person: Some(person), ..AccessFilter::default() };
    let logged = f.register.access_log(&auditor, &filter, 100, 0).await.unwrap().entries;
    assert!(logged.iter().any(|e| e.view == "employer_violations"), "reading the employer's file is logged");

    let found = f.register.employers(&officer(), Some("стройсервис"), 10, 0).await.unwrap();
    assert_eq!(found.len(), 1, "found by part of the name in any case");
    let e = f.register.record_employer(&officer(), &employer("080540002494")).await.unwrap_err();
    assert!(matches!(e, RegisterError::DuplicateEmployer(_)));
}

async fn unknown_employer_is_refused(f: Fixture) {
    let person = worker(&f, "FA1000004").await;
    let mut raw = illegal_work("10");
    raw.employer_id = Some(uuid::Uuid::now_v7().to_string());
    let e = f.register.record_violation(&officer(), person, &raw).await.unwrap_err();
    assert!(matches!(e, RegisterError::UnknownEmployer(_)), "{e:?}");
    assert!(f.register.violations_of(&officer_reads(), person).await.unwrap().is_empty());
}

async fn a_fine_is_paid_once(f: Fixture) {
    let person = worker(&f, "FA1000005").await;
    let v = f.register.record_violation(&officer(), person, &illegal_work("30")).await.unwrap();
    let payment = RawPayment { paid_on: "2025-05-31".into(), reference: "KASPI-7781230045".into() };
    let paid = f.register.record_fine_payment(&officer(), v.id, &payment).await.unwrap();
    let recorded = paid.fine.unwrap().payment.unwrap();
    assert_eq!((recorded.paid_on.to_string(), recorded.reference.as_str()), ("2025-05-31".into(), "KASPI-7781230045"));
    let again = f.register.record_fine_payment(&officer(), v.id, &payment).await.unwrap_err();
    assert!(matches!(again, RegisterError::AlreadyPaid(_)), "{again:?}");

    let mut unfined = illegal_work("0");
    unfined.penalty.fine = None;
    let without = f.register.record_violation(&officer(), person, &unfined).await.unwrap();
    let e = f.register.record_fine_payment(&officer(), without.id, &payment).await.unwrap_err();
    assert!(matches!(e, RegisterError::NoFine), "{e:?}");
    let e = f.register.record_fine_payment(&officer(), uuid::Uuid::now_v7(), &payment).await.unwrap_err();
    assert!(matches!(e, RegisterError::NotFound(Entity::Violation)));
}

async fn a_confirmed_overstay_gets_its_article_and_fine(f: Fixture) {
    let person = worker(&f, "FA1000006").await;
    // An Uzbek citizen may stay 30 days: by 5 June 2025 the stay from 2 May is overstayed.
    f.clock.set("2025-06-05T20:00:00Z".parse().unwrap());
    f.register.sweep_overstays(&officer(), None).await.unwrap();
    let drafts = f.register.violations_of(&officer_reads(), person).await.unwrap();
    // The sweep also drafts the failure to register the arrival nobody registered.
    let kinds: Vec<&str> = drafts.iter().map(|v| v.kind.as_str()).collect();
    assert_eq!(kinds, ["overstay", "registration_failure"]);
    let draft = &drafts[0];
    assert!(draft.overstay.is_some() && draft.fine.is_none());
    let penalty = RawPenalty {
        article: Some("ст. 517 ч. 1".into()),
        decision_ref: Some("АП-2025/1100".into()),
        fine: fine("10", "mrp"),
    };
    let decided = f
        .register
        .decide_violation(&officer_reads(), draft.id, ViolationVerdict::Confirm, None, &penalty)
        .await
        .unwrap()
        .violation;
    assert_eq!(decided.status, ViolationStatus::Confirmed);
    assert_eq!(decided.article.as_deref(), Some("ст. 517 ч. 1"));
    let fine = decided.fine.unwrap();
    assert_eq!((fine.amount, fine.unit.as_str()), (10, "MRP"), "the unit is taken in any case");
    assert!(decided.overstay.is_some(), "the stay facts stay");
}

async fn work_permit_binds_the_worker_to_an_employer_and_covers_the_stay(f: Fixture) {
    let person = worker(&f, "FA1000007").await;
    let company = f.register.record_employer(&officer(), &employer("080540002494")).await.unwrap();
    let permit = RawPermit {
        kind: "work_permit".into(),
        purpose: None,
        number: "WP-2025-000317".into(),
        valid_from: "2025-05-20".into(),
        valid_to: "2026-05-19".into(),
        issued_by: Some("УМС ДП г. Алматы".into()),
        employer_id: Some(company.id.to_string()),
    };
    let recorded = f.register.record_permit(&officer(), person, &permit).await.unwrap();
    assert_eq!((recorded.kind, recorded.employer_id), (PermitKind::WorkPermit, Some(company.id)));
    // Days under the permit leave the 30-day limit: no overstay on 5 June.
    f.clock.set("2025-06-05T20:00:00Z".parse().unwrap());
    f.register.sweep_overstays(&officer(), None).await.unwrap();
    let violations = f.register.violations_of(&officer_reads(), person).await.unwrap();
    assert!(violations.iter().all(|v| v.kind != "overstay"), "{violations:?}");

    let residence = RawPermit {
        kind: "temporary_residence".into(),
        purpose: Some("family".into()),
        number: "TR-1".into(),
        employer_id: Some(company.id.to_string()),
        ..permit.clone()
    };
    let e = f.register.record_permit(&officer(), person, &residence).await.unwrap_err();
    assert!(matches!(&e, RegisterError::Invalid(e) if e.code == InputCode::InvalidChoice), "{e:?}");
}

async fn a_bin_failing_its_control_digit_is_refused(f: Fixture) {
    let e = f.register.record_employer(&officer(), &employer("080540002495")).await.unwrap_err();
    assert!(matches!(&e, RegisterError::Invalid(e) if e.code == InputCode::InvalidRegistrationNumber), "{e:?}");
    assert!(f.register.employers(&officer(), None, 10, 0).await.unwrap().is_empty());
}
