//! The border check: who the traveller is (the document's holder, and candidates found by name,
//! birth date and citizenship across scripts), every check with its basis, one advice; nothing
//! stored but the access log.

use sapar_model::{RawCrossing, RawName};
use sapar_register::access::view;
use sapar_register::border::{Advice, Finding};
use sapar_register::permits::RawPermit;
use sapar_register::records::AccessFilter;
use sapar_register::{Actor, RegisterError};

use crate::{Fixture, admin, border, border_reads, officer};

sapar_test_support::on_both_backends!(crate::fixture =>
    expired_passport_is_advised_refusal_with_basis,
    new_passport_still_finds_the_overstayer,
    border_check_stores_nothing_but_an_access_log_row,
    unknown_document_without_person_details_is_a_new_person_not_an_error,
    a_brother_born_the_same_day_is_no_candidate,
    banned_person_is_advised_refusal_with_basis,
    a_candidates_ban_is_referred_and_a_lifted_ban_counts_no_more,
    chinese_tourist_enters_kazakhstan_visa_free_for_30_days,
    chinese_citizen_declaring_work_without_permit_is_referred,
    a_permit_for_the_same_purpose_or_permanent_residence_allows_it,
    hong_kong_document_is_not_covered_by_the_exemption,
    chinese_citizen_before_november_2023_needed_a_visa,
    a_register_with_host_armenia_answers_a_stay,
);

/// A crossing at Korday of the passport `document` (Kyrgyz), with no person details.
fn document_only(document: &str, at: &str) -> RawCrossing {
    RawCrossing {
        at: Some(at.into()),
        crossing_point: Some("KZ-KORDAY".into()),
        document_type: Some("passport".into()),
        document_number: Some(document.into()),
        issuing_state: Some("KGZ".into()),
        ..RawCrossing::default()
    }
}

/// Aigul Asanova, a Kyrgyz citizen born on 8 March 1994, crossing on `document`; her name in
/// Cyrillic only (`native`) or in Latin only.
fn asanova(document: &str, direction: &str, at: &str, native: bool, birth_date: &str) -> RawCrossing {
    let (native_name, latin_name) = if native {
        (
            RawName {
                surname: Some("Асанова".into()), given_names: Some("Айгүл".into()), patronymic: None
            },
            RawName::default(),
        )
    } else {
        (
            RawName::default(),
            RawName { surname: Some("ASANOVA".into()), given_names: Some("AIGUL".into()), patronymic: None },
        )
    };
    RawCrossing {
        id: Some(uuid::Uuid::now_v7().to_string()),
        direction: Some(direction.into()),
        purpose: Some("work".into()),
        native_name,
        latin_name,
        sex: Some("F".into()),
        birth_date: Some(birth_date.into()),
        citizenship: Some("KGZ".into()),
        ..document_only(document, at)
    }
}

async fn log_rows(f: &Fixture) -> Vec<sapar_register::records::AccessEntry> {
    let auditor = Actor::new("audit-office", sapar_model::Role::Auditor);
    f.register.access_log(&auditor, &AccessFilter::default(), 1000, 0).await.unwrap().entries
}

async fn expired_passport_is_advised_refusal_with_basis(f: Fixture) {
    let raw = RawCrossing {
        document_expiry: Some("2025-05-31".into()),
        ..asanova("AC2000001", "entry", "2025-06-01T10:00:00+05:00", true, "1994-03-08")
    };
    let check = f.register.border_check(&border_reads(), &raw).await.unwrap();
    assert_eq!(check.advice, Advice::Refuse);
    let expired = check.checks.iter().find(|c| c.finding.code() == "document_expired").unwrap();
    assert_eq!(expired.finding, Finding::DocumentExpired { expiry: jiff::civil::date(2025, 5, 31) });
    assert_eq!(expired.advice, Advice::Refuse);
    assert!(expired.basis.as_deref().unwrap().contains("No. 477-IV"), "{expired:?}");
    // Valid through the day of the crossing: no such check, and nothing else refuses.
    let raw = RawCrossing { document_expiry: Some("2025-06-01".into()), ..raw };
    let check = f.register.border_check(&border_reads(), &raw).await.unwrap();
    assert!(check.checks.iter().all(|c| c.finding.code() != "document_expired"), "{:?}", check.checks);
    assert_eq!(check.advice, Advice::Admit);
}

async fn new_passport_still_finds_the_overstayer(f: Fixture) {
    // Entered on 1 October 2024 on her old passport, name in Cyrillic; on 24 February 2025 the
    // sweep finds her 57 days beyond the 90 of 180 (147 days in), and she leaves that day.
    let old = f
        .register
        .record_crossing(&border(), &asanova("AC1000001", "entry", "2024-10-01T09:00:00+05:00", true, "1994-03-08"))
        .await
        .unwrap()
        .person_id;
    let swept = f.register.sweep_overstays(&admin(), Some(jiff::civil::date(2025, 2, 24))).await.unwrap();
    assert_eq!(swept.new_drafts, 1);
    f.register
        .record_crossing(&border(), &asanova("AC1000001", "exit", "2025-02-24T18:00:00+05:00", true, "1994-03-08"))
        .await
        .unwrap();
    let before = log_rows(&f).await.len();

    // Back on a new passport read in Latin letters only.
    let raw = asanova("AC9000009", "entry", "2025-06-01T10:00:00+05:00", false, "1994-03-08");
    let check = f.register.border_check(&border_reads(), &raw).await.unwrap();
    assert!(check.person.is_none());
    assert_eq!(check.candidates.len(), 1, "{:?}", check.candidates);
    assert_eq!(check.candidates[0].person.id, old);
    assert!(check.candidates[0].probability >= sapar_register::border::CANDIDATE_MIN_PROBABILITY);
    assert_eq!(check.advice, Advice::Refer);
    let history = check.checks.iter().find(|c| c.finding.code() == "overstay_history").unwrap();
    assert_eq!(
        history.finding,
        Finding::OverstayHistory {
            person_id: old,
            candidate: true,
            violations: 1,
            longest_days: 57,
            latest_stay: jiff::civil::date(2024, 10, 1),
        }
    );
    assert_eq!(history.advice, Advice::Refer);
    assert!(history.basis.as_deref().unwrap().contains("Treaty on the Eurasian Economic Union"), "{history:?}");
    // The candidate was shown, so her read is logged.
    let rows = log_rows(&f).await;
    assert_eq!(rows.len(), before + 1);
    assert_eq!((rows[0].person_id, rows[0].view.as_str()), (old, view::BORDER_CHECK));
}

async fn border_check_stores_nothing_but_an_access_log_row(f: Fixture) {
    let person = f
        .register
        .record_crossing(&border(), &asanova("AC3000001", "entry", "2025-03-01T09:00:00+05:00", true, "1994-03-08"))
        .await
        .unwrap()
        .person_id;
    f.register
        .record_crossing(&border(), &asanova("AC3000001", "exit", "2025-03-20T09:00:00+05:00", true, "1994-03-08"))
        .await
        .unwrap();
    let counts = f.db.store.counts().await.unwrap();
    let rows = log_rows(&f).await.len();
    let raw = RawCrossing {
        id: Some(uuid::Uuid::now_v7().to_string()),
        ..document_only("AC3000001", "2025-06-01T10:00:00+05:00")
    };
    let check = f.register.border_check(&border_reads(), &raw).await.unwrap();
    assert_eq!(check.person.as_ref().unwrap().person.id, person);
    // 20 days used of 90 in the 180 ending on 1 June; the holder's details served the check.
    let stay = check.checks.iter().find(|c| c.finding.code() == "stay").unwrap();
    assert!(matches!(stay.finding, Finding::Stay { days_used: Some(20), days_left: Some(70), .. }), "{stay:?}");
    assert_eq!(check.advice, Advice::Admit);
    assert_eq!(f.db.store.counts().await.unwrap(), counts);
    let log = log_rows(&f).await;
    assert_eq!(log.len(), rows + 1);
    assert_eq!(
        (log[0].person_id, log[0].view.as_str(), log[0].actor.as_str()),
        (person, "border_check", "korday-post-3")
    );
    // The crossing id the check carried is still free to record.
    let recorded = RawCrossing {
        id: raw.id.clone(),
        ..asanova("AC3000001", "entry", "2025-06-01T10:00:00+05:00", true, "1994-03-08")
    };
    assert!(!f.register.record_crossing(&border(), &recorded).await.unwrap().replayed);
}

async fn unknown_document_without_person_details_is_a_new_person_not_an_error(f: Fixture) {
    let check = f
        .register
        .border_check(&border_reads(), &document_only("AC4000001", "2025-06-01T10:00:00+05:00"))
        .await
        .unwrap();
    assert!(check.person.is_none() && check.candidates.is_empty() && check.verdict.is_none());
    let codes: Vec<&str> = check.checks.iter().map(|c| c.finding.code()).collect();
    assert_eq!(codes, ["new_person"]);
    assert_eq!(check.advice, Advice::Admit);
    assert!(log_rows(&f).await.is_empty());
    // Recording the same submission still needs what recording needs.
    let recorded =
        f.register.record_crossing(&border(), &document_only("AC4000001", "2025-06-01T10:00:00+05:00")).await;
    assert!(matches!(recorded, Err(RegisterError::Invalid(_))));
}

async fn a_brother_born_the_same_day_is_no_candidate(f: Fixture) {
    // Same surname, birth date and citizenship, found by the search; another given name and sex.
    let brother = RawCrossing {
        native_name: RawName {
            surname: Some("Асанов".into()), given_names: Some("Бакыт".into()), patronymic: None
        },
        sex: Some("M".into()),
        ..asanova("AC5000001", "entry", "2025-03-01T09:00:00+05:00", true, "1994-03-08")
    };
    f.register.record_crossing(&border(), &brother).await.unwrap();
    let raw = asanova("AC5000002", "entry", "2025-06-01T10:00:00+05:00", false, "1994-03-08");
    let check = f.register.border_check(&border_reads(), &raw).await.unwrap();
    assert!(check.candidates.is_empty(), "{:?}", check.candidates);
    assert!(log_rows(&f).await.is_empty());
    // Born another day, she is no candidate either; on the same day, she is.
    let sister = asanova("AC5000003", "entry", "2025-03-01T09:00:00+05:00", true, "1994-03-08");
    let sister = f.register.record_crossing(&border(), &sister).await.unwrap().person_id;
    let check = f.register.border_check(&border_reads(), &raw).await.unwrap();
    assert_eq!(check.candidates.iter().map(|c| c.person.id).collect::<Vec<_>>(), [sister]);
    let other_day = RawCrossing { birth_date: Some("1994-03-09".into()), ..raw };
    assert!(f.register.border_check(&border_reads(), &other_day).await.unwrap().candidates.is_empty());
}

fn court_ban(from: &str, until: &str) -> sapar_register::bans::RawBan {
    sapar_register::bans::RawBan {
        from: from.into(),
        until: until.into(),
        ground: "court_decision".into(),
        basis: "Закон РК «О миграции населения», ст. 48".into(),
        decision_ref: "№ 2-700/2025".into(),
        decided_by: None,
    }
}

async fn banned_person_is_advised_refusal_with_basis(f: Fixture) {
    let person = f
        .register
        .record_crossing(&border(), &asanova("AC4000001", "entry", "2025-01-10T09:00:00+05:00", true, "1994-03-08"))
        .await
        .unwrap()
        .person_id;
    f.register
        .record_crossing(&border(), &asanova("AC4000001", "exit", "2025-02-01T09:00:00+05:00", true, "1994-03-08"))
        .await
        .unwrap();
    let ban = f.register.record_ban(&officer(), person, &court_ban("2025-03-01", "2030-02-28")).await.unwrap();

    let entry = document_only("AC4000001", "2025-06-01T10:00:00+05:00");
    let check = f
        .register
        .border_check(&border_reads(), &RawCrossing { direction: Some("entry".into()), ..entry })
        .await
        .unwrap();
    assert_eq!(check.advice, Advice::Refuse);
    let banned = check.checks.iter().find(|c| c.finding.code() == "entry_ban").unwrap();
    assert_eq!(
        banned.finding,
        Finding::EntryBan {
            person_id: person,
            candidate: false,
            ban_id: ban.id,
            until: jiff::civil::date(2030, 2, 28),
            ground: sapar_register::records::BanGround::CourtDecision,
            decision_ref: "№ 2-700/2025".into(),
        }
    );
    assert_eq!(
        (banned.advice, banned.basis.as_deref()),
        (Advice::Refuse, Some("Закон РК «О миграции населения», ст. 48"))
    );

    // The day before the ban, and on the way out, the ban says nothing.
    let before = document_only("AC4000001", "2025-02-28T10:00:00+05:00");
    let check = f
        .register
        .border_check(&border_reads(), &RawCrossing { direction: Some("entry".into()), ..before })
        .await
        .unwrap();
    assert!(check.checks.iter().all(|c| c.finding.code() != "entry_ban"), "{:?}", check.checks);
    let exit = asanova("AC4000001", "exit", "2025-06-01T10:00:00+05:00", true, "1994-03-08");
    let check = f.register.border_check(&border_reads(), &exit).await.unwrap();
    assert!(check.checks.iter().all(|c| c.finding.code() != "entry_ban"), "an exit is never held by a ban");
}

async fn a_candidates_ban_is_referred_and_a_lifted_ban_counts_no_more(f: Fixture) {
    let old = f
        .register
        .record_crossing(&border(), &asanova("AC5000001", "entry", "2025-01-10T09:00:00+05:00", true, "1994-03-08"))
        .await
        .unwrap()
        .person_id;
    let ban = f.register.record_ban(&officer(), old, &court_ban("2025-03-01", "2030-02-28")).await.unwrap();

    // Back on a new passport, her name read in Latin letters.
    let raw = asanova("AC5999999", "entry", "2025-06-01T10:00:00+05:00", false, "1994-03-08");
    let check = f.register.border_check(&border_reads(), &raw).await.unwrap();
    assert_eq!(check.candidates.first().map(|c| c.person.id), Some(old));
    let banned = check.checks.iter().find(|c| c.finding.code() == "entry_ban").unwrap();
    assert!(matches!(banned.finding, Finding::EntryBan { person_id, candidate: true, .. } if person_id == old));
    assert_eq!((banned.advice, check.advice), (Advice::Refer, Advice::Refer));

    let lift = sapar_register::bans::RawLift {
        from: Some("2025-05-01".into()),
        reason: "the court decision was annulled".into(),
        decision_ref: None,
    };
    f.register.lift_ban(&officer(), ban.id, &lift).await.unwrap();
    let check = f.register.border_check(&border_reads(), &raw).await.unwrap();
    assert!(check.checks.iter().all(|c| c.finding.code() != "entry_ban"), "{:?}", check.checks);
}

/// Wang Wei, a Chinese citizen born on 12 April 1988, crossing at Khorgos on the passport
/// `document` issued by `state` (CHN, or HKG / MAC for the regions' documents), declaring
/// `purpose`.
fn wang(document: &str, state: &str, direction: &str, at: &str, purpose: &str) -> RawCrossing {
    RawCrossing {
        id: Some(uuid::Uuid::now_v7().to_string()),
        direction: Some(direction.into()),
        at: Some(at.into()),
        crossing_point: Some("KZ-KHORGOS".into()),
        purpose: Some(purpose.into()),
        document_type: Some("passport".into()),
        document_number: Some(document.into()),
        issuing_state: Some(state.into()),
        latin_name: RawName { surname: Some("WANG".into()), given_names: Some("WEI".into()), patronymic: None },
        sex: Some("M".into()),
        birth_date: Some("1988-04-12".into()),
        citizenship: Some(state.into()),
        ..RawCrossing::default()
    }
}

fn codes(check: &sapar_register::border::BorderCheck) -> Vec<&'static str> {
    check.checks.iter().map(|c| c.finding.code()).collect()
}

async fn chinese_tourist_enters_kazakhstan_visa_free_for_30_days(f: Fixture) {
    let raw = wang("E20000001", "CHN", "entry", "2025-06-01T10:00:00+05:00", "tourism");
    let check = f.register.border_check(&border_reads(), &raw).await.unwrap();
    assert_eq!(check.advice, Advice::Admit, "{:?}", check.checks);
    assert_eq!(codes(&check), ["stay", "new_person"]);
    let stay = &check.checks[0];
    assert_eq!(
        stay.finding,
        Finding::Stay {
            days_used: Some(0),
            days_left: Some(30),
            allowed_days: Some(30),
            last_legal_day: Some(jiff::civil::date(2025, 6, 30)),
        }
    );
    assert!(stay.basis.as_deref().unwrap().contains("Xi'an, 17 May 2023"), "{stay:?}");
}

async fn chinese_citizen_declaring_work_without_permit_is_referred(f: Fixture) {
    let raw = wang("E20000002", "CHN", "entry", "2025-06-01T10:00:00+05:00", "work");
    let check = f.register.border_check(&border_reads(), &raw).await.unwrap();
    assert_eq!(check.advice, Advice::Refer, "{:?}", check.checks);
    let purpose = check.checks.iter().find(|c| c.finding.code() == "purpose_not_allowed").unwrap();
    assert_eq!(
        purpose.finding,
        Finding::PurposeNotAllowed {
            purpose: sapar_model::Purpose::Work,
            rule_id: "KAZ-CHN-VISAFREE-30-90-180".into()
        }
    );
    assert_eq!(purpose.advice, Advice::Refer);
    assert!(purpose.basis.as_deref().unwrap().contains("work, study or missionary activity"), "{purpose:?}");
    // Study is left out too; an exit declares nothing the rule must cover.
    let study = wang("E20000002", "CHN", "entry", "2025-06-01T10:00:00+05:00", "study");
    assert!(codes(&f.register.border_check(&border_reads(), &study).await.unwrap()).contains(&"purpose_not_allowed"));
    let exit = wang("E20000002", "CHN", "exit", "2025-06-01T10:00:00+05:00", "work");
    assert!(!codes(&f.register.border_check(&border_reads(), &exit).await.unwrap()).contains(&"purpose_not_allowed"));
    // A citizen of a state whose visa-free rule carries no purpose limit is not asked.
    let uzbek = RawCrossing {
        issuing_state: Some("UZB".into()),
        citizenship: Some("UZB".into()),
        ..wang("FA2000002", "UZB", "entry", "2025-06-01T10:00:00+05:00", "work")
    };
    let check = f.register.border_check(&border_reads(), &uzbek).await.unwrap();
    assert!(!codes(&check).contains(&"purpose_not_allowed"), "{:?}", check.checks);
}

async fn a_permit_for_the_same_purpose_or_permanent_residence_allows_it(f: Fixture) {
    let permit = |kind: &str, purpose: Option<&str>, number: &str, from: &str, to: &str| RawPermit {
        kind: kind.into(),
        purpose: purpose.map(Into::into),
        number: number.into(),
        valid_from: from.into(),
        valid_to: to.into(),
        issued_by: None,
        employer_id: None,
    };
    // On record from a visit in January.
    for (direction, at) in [("entry", "2025-01-10T10:00:00+05:00"), ("exit", "2025-01-20T10:00:00+05:00")] {
        f.register.record_crossing(&border(), &wang("E20000003", "CHN", direction, at, "tourism")).await.unwrap();
    }
    let person = f
        .register
        .record_crossing(&border(), &wang("E20000003", "CHN", "entry", "2025-02-10T10:00:00+05:00", "tourism"))
        .await
        .unwrap()
        .person_id;
    f.register
        .record_crossing(&border(), &wang("E20000003", "CHN", "exit", "2025-02-12T10:00:00+05:00", "tourism"))
        .await
        .unwrap();
    let work = wang("E20000003", "CHN", "entry", "2025-06-01T10:00:00+05:00", "work");
    let referred = || async {
        codes(&f.register.border_check(&border_reads(), &work).await.unwrap()).contains(&"purpose_not_allowed")
    };

    // A work permit that ended before the day, and a study permit covering it: neither allows work.
    f.register
        .record_permit(
            &officer(),
            person,
            &permit("temporary_residence", Some("work"), "TR-W0", "2024-01-01", "2024-12-31"),
        )
        .await
        .unwrap();
    f.register
        .record_permit(
            &officer(),
            person,
            &permit("temporary_residence", Some("study"), "TR-S1", "2025-05-01", "2026-04-30"),
        )
        .await
        .unwrap();
    assert!(referred().await, "an expired work permit or a study permit does not allow work");
    // A work permit covering the day does.
    f.register
        .record_permit(
            &officer(),
            person,
            &permit("temporary_residence", Some("work"), "TR-W1", "2025-05-15", "2026-05-14"),
        )
        .await
        .unwrap();
    assert!(!referred().await, "a work permit covering the day allows work");

    // Permanent residence allows every purpose.
    let other = f
        .register
        .record_crossing(&border(), &wang("E20000004", "CHN", "entry", "2025-01-10T10:00:00+05:00", "tourism"))
        .await
        .unwrap()
        .person_id;
    f.register
        .record_crossing(&border(), &wang("E20000004", "CHN", "exit", "2025-01-20T10:00:00+05:00", "tourism"))
        .await
        .unwrap();
    let study = wang("E20000004", "CHN", "entry", "2025-06-01T10:00:00+05:00", "study");
    assert!(codes(&f.register.border_check(&border_reads(), &study).await.unwrap()).contains(&"purpose_not_allowed"));
    f.register
        .record_permit(&officer(), other, &permit("permanent_residence", None, "PR-1", "2025-03-01", "2035-02-28"))
        .await
        .unwrap();
    assert!(!codes(&f.register.border_check(&border_reads(), &study).await.unwrap()).contains(&"purpose_not_allowed"));

    // A work permit allows work, and only work.
    let worker = f
        .register
        .record_crossing(&border(), &wang("E20000007", "CHN", "entry", "2025-01-10T10:00:00+05:00", "tourism"))
        .await
        .unwrap()
        .person_id;
    f.register
        .record_crossing(&border(), &wang("E20000007", "CHN", "exit", "2025-01-20T10:00:00+05:00", "tourism"))
        .await
        .unwrap();
    f.register
        .record_permit(&officer(), worker, &permit("work_permit", None, "WP-1", "2025-05-01", "2026-04-30"))
        .await
        .unwrap();
    let to_work = wang("E20000007", "CHN", "entry", "2025-06-01T10:00:00+05:00", "work");
    assert!(
        !codes(&f.register.border_check(&border_reads(), &to_work).await.unwrap()).contains(&"purpose_not_allowed")
    );
    let to_study = wang("E20000007", "CHN", "entry", "2025-06-01T10:00:00+05:00", "study");
    assert!(
        codes(&f.register.border_check(&border_reads(), &to_study).await.unwrap()).contains(&"purpose_not_allowed")
    );
}

async fn hong_kong_document_is_not_covered_by_the_exemption(f: Fixture) {
    for state in ["HKG", "MAC"] {
        let raw = wang("K20000005", state, "entry", "2025-06-01T10:00:00+05:00", "tourism");
        let check = f.register.border_check(&border_reads(), &raw).await.unwrap();
        assert_eq!(check.advice, Advice::Refer, "{state}: {:?}", check.checks);
        assert_eq!(codes(&check), ["stay_not_judged", "new_person"], "{state}");
        let Finding::StayNotJudged { code, .. } = &check.checks[0].finding else { unreachable!() };
        assert_eq!(*code, "governed_by_visa", "{state}");
    }
}

async fn chinese_citizen_before_november_2023_needed_a_visa(f: Fixture) {
    // Kazakhstan kept UTC+6 until March 2024.
    let before = wang("E20000006", "CHN", "entry", "2023-11-09T10:00:00+06:00", "tourism");
    let check = f.register.border_check(&border_reads(), &before).await.unwrap();
    assert_eq!(codes(&check), ["stay_not_judged", "new_person"]);
    let Finding::StayNotJudged { code, .. } = &check.checks[0].finding else { unreachable!() };
    assert_eq!(*code, "governed_by_visa");
    // Before the exemption no purpose limit applies either: the visa decides.
    let work = wang("E20000006", "CHN", "entry", "2023-11-09T10:00:00+06:00", "work");
    assert!(!codes(&f.register.border_check(&border_reads(), &work).await.unwrap()).contains(&"purpose_not_allowed"));

    let from = wang("E20000006", "CHN", "entry", "2023-11-10T10:00:00+06:00", "tourism");
    let check = f.register.border_check(&border_reads(), &from).await.unwrap();
    assert_eq!(check.advice, Advice::Admit, "{:?}", check.checks);
    let Finding::Stay { allowed_days, last_legal_day, .. } = &check.checks[0].finding else { unreachable!() };
    assert_eq!((*allowed_days, *last_legal_day), (Some(30), Some(jiff::civil::date(2023, 12, 9))));
}

async fn a_register_with_host_armenia_answers_a_stay(f: Fixture) {
    let register = sapar_register::Register::with_embedded_rules(f.db.store.clone())
        .unwrap()
        .with_clock(f.clock.clone())
        .with_host_state(sapar_model::Country::ARM);
    // An American in Armenia since 1 January 2025: on 1 June that is 31 + 28 + 31 + 30 + 31 + 1
    // = 152 days of the 180 within 365 days; day 180 is 29 June.
    let raw = RawCrossing {
        crossing_point: Some("AM-EVN-AIR".into()),
        issuing_state: Some("USA".into()),
        citizenship: Some("USA".into()),
        ..wang("590000007", "USA", "entry", "2025-01-01T10:00:00+04:00", "tourism")
    };
    let person = register.record_crossing(&border(), &raw).await.unwrap().person_id;
    let stay = register.stay(&crate::officer_reads(), person, Some(jiff::civil::date(2025, 6, 1))).await.unwrap();
    assert_eq!(stay.host, sapar_model::Country::ARM);
    assert_eq!((stay.days_used, stay.days_left, stay.legal), (152, Some(28), true));
    assert_eq!(stay.last_legal_day, Some(jiff::civil::date(2025, 6, 29)));
}
