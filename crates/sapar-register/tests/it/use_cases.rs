//! Use cases read time from the injected clock, check the actor's role, and answer with domain
//! values and typed refusals.

use jiff::SignedDuration;
use sapar_model::{InputCode, RawCrossing, RawName, ReadPurpose, Role};
use sapar_register::permits::RawPermit;
use sapar_register::stay::VerdictStatus;
use sapar_register::tokens::AuthError;
use sapar_register::{Entity, RegisterError};

use sapar_register::Clock;

use crate::{Fixture, admin, border, border_reads, officer, officer_reads, reads};

sapar_test_support::on_both_backends!(crate::fixture =>
    an_entry_is_judged_on_its_day_and_the_stay_defaults_to_the_clocks_today,
    every_use_case_refuses_a_role_it_does_not_serve,
    a_permit_is_stamped_by_the_clock_and_leaves_the_stay,
    a_token_expires_by_the_registers_clock,
    the_sweep_defaults_to_the_clocks_today,
);

fn entry(document: &str, at: &str) -> RawCrossing {
    RawCrossing {
        id: Some(uuid::Uuid::now_v7().to_string()),
        direction: Some("entry".into()),
        at: Some(at.into()),
        crossing_point: Some("KZ-KORDAY".into()),
        purpose: Some("work".into()),
        document_type: Some("passport".into()),
        document_number: Some(document.into()),
        issuing_state: Some("KGZ".into()),
        native_name: RawName {
            surname: Some("Асанова".into()), given_names: Some("Айгүл".into()), patronymic: None
        },
        latin_name: RawName { surname: Some("ASANOVA".into()), given_names: Some("AIGUL".into()), patronymic: None },
        sex: Some("F".into()),
        birth_date: Some("1994-03-08".into()),
        citizenship: Some("KGZ".into()),
        ..RawCrossing::default()
    }
}

async fn an_entry_is_judged_on_its_day_and_the_stay_defaults_to_the_clocks_today(f: Fixture) {
    let recorded =
        f.register.record_crossing(&border(), &entry("AC1000001", "2025-04-01T09:30:00+05:00")).await.unwrap();
    let verdict = recorded.verdict.unwrap();
    assert_eq!((verdict.status, verdict.allowed_days), (VerdictStatus::Allowed, Some(90)));
    // The clock stands at 2025-06-01 in Almaty: 62 days of an open stay since 1 April.
    let stay = f.register.stay(&officer_reads(), recorded.person_id, None).await.unwrap();
    assert_eq!((stay.on, stay.days_used, stay.present), (jiff::civil::date(2025, 6, 1), 62, true));
    // A crossing later than the clock allows (beyond the skew) is refused as in the future.
    let late = f.register.record_crossing(&border(), &entry("AC1000002", "2025-06-02T09:30:00+05:00")).await;
    assert!(matches!(late, Err(RegisterError::Invalid(e)) if e.code == InputCode::TimeInFuture));
}

async fn every_use_case_refuses_a_role_it_does_not_serve(f: Fixture) {
    let analyst = sapar_register::Actor::new("stats", Role::Analyst);
    let raw = entry("AC1000003", "2025-04-01T09:30:00+05:00");
    let forbidden = |r: Result<(), RegisterError>| matches!(r, Err(RegisterError::Forbidden { .. }));
    assert!(forbidden(f.register.record_crossing(&analyst, &raw).await.map(drop)));
    let person = f.register.record_crossing(&border(), &raw).await.unwrap().person_id;
    assert!(forbidden(f.register.person(&reads(analyst, ReadPurpose::StatisticsQuality), person).await.map(drop)));
    let permit = RawPermit {
        kind: "permanent_residence".into(),
        number: "PR-1".into(),
        valid_from: "2025-01-01".into(),
        valid_to: "2030-01-01".into(),
        ..RawPermit::default()
    };
    assert!(forbidden(f.register.record_permit(&border(), person, &permit).await.map(drop)));
    assert!(forbidden(f.register.review_queue(&border_reads(), 10, 0).await.map(drop)));
    assert!(forbidden(f.register.sweep_overstays(&border(), None).await.map(drop)));
    // Nothing the refused calls asked for was written.
    assert!(f.register.permits_of(&officer_reads(), person).await.unwrap().is_empty());
    assert!(matches!(
        f.register.person(&officer_reads(), sapar_model::PersonId::new_v7()).await,
        Err(RegisterError::NotFound(Entity::Person))
    ));
}

async fn a_permit_is_stamped_by_the_clock_and_leaves_the_stay(f: Fixture) {
    let person = f
        .register
        .record_crossing(&border(), &entry("AC1000004", "2025-01-10T09:30:00+05:00"))
        .await
        .unwrap()
        .person_id;
    let overstay = f.register.stay(&officer_reads(), person, None).await.unwrap();
    assert!(!overstay.legal, "{overstay:?}");
    let permit = RawPermit {
        kind: "temporary_residence".into(),
        purpose: Some("work".into()),
        number: " TR-77 ".into(),
        valid_from: "2025-01-10".into(),
        valid_to: "2025-12-31".into(),
        issued_by: None,
        employer_id: None,
    };
    let recorded = f.register.record_permit(&officer(), person, &permit).await.unwrap();
    assert_eq!(
        (recorded.created_at, recorded.recorded_by.as_str(), recorded.number.as_str()),
        (f.clock.now(), "a.sadykova", "TR-77")
    );
    assert!(f.register.stay(&officer_reads(), person, None).await.unwrap().legal);
    let bad = RawPermit { valid_to: "1800-01-01".into(), number: "TR-78".into(), ..permit };
    assert!(matches!(
        f.register.record_permit(&officer(), person, &bad).await,
        Err(RegisterError::Invalid(e)) if (e.field, e.code) == ("valid_to", InputCode::DateOutOfRange)
    ));
}

async fn a_token_expires_by_the_registers_clock(f: Fixture) {
    let (record, secret) =
        f.register.create_token("post-7", Role::Border, Some(SignedDuration::from_hours(1))).await.unwrap();
    assert_eq!(record.expires_at, Some(f.clock.now().checked_add(SignedDuration::from_hours(1)).unwrap()));
    assert_eq!(f.register.authenticate(&secret).await.unwrap().name, "post-7");
    f.clock.advance(SignedDuration::from_mins(59));
    assert!(f.register.authenticate(&secret).await.is_ok());
    f.clock.advance(SignedDuration::from_mins(1));
    assert!(matches!(f.register.authenticate(&secret).await, Err(AuthError::Expired(_))));
    assert!(matches!(f.register.authenticate("sapar_unknown").await, Err(AuthError::Unknown)));
    for bad in [SignedDuration::ZERO, SignedDuration::from_secs(-60), SignedDuration::MAX] {
        assert!(matches!(
            f.register.create_token("post-9", Role::Border, Some(bad)).await,
            Err(sapar_register::tokens::TokenError::InvalidLifetime)
        ));
    }
    let (_, forever) = f.register.create_token("post-8", Role::Border, None).await.unwrap();
    f.clock.advance(SignedDuration::from_hours(24 * 365 * 10));
    assert!(f.register.authenticate(&forever).await.is_ok());
    assert!(f.register.revoke_token("post-8").await.unwrap());
    assert!(matches!(f.register.authenticate(&forever).await, Err(AuthError::Revoked)));
}

async fn the_sweep_defaults_to_the_clocks_today(f: Fixture) {
    f.register.record_crossing(&border(), &entry("AC1000005", "2025-01-10T09:30:00+05:00")).await.unwrap();
    let summary = f.register.sweep_overstays(&admin(), None).await.unwrap();
    assert_eq!(
        (summary.on, summary.checked, summary.overstayers, summary.new_drafts),
        (jiff::civil::date(2025, 6, 1), 1, 1, 1)
    );
    assert_eq!(summary.new_registration_drafts, 1, "nobody registered the arrival either");
    let page = f.register.violations(&officer_reads(), sapar_store::ViolationStatus::Draft, 10, 0).await.unwrap();
    assert_eq!(page.total, 2);
    assert!(page.items.iter().all(|i| i.violation.created_at == f.clock.now()), "the drafts are stamped by the clock");
}
