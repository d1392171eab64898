//! Migrant cards and the holder's self-service on both backends: a card with an allowed entry
//! valid to the last legal day whose seal verifies offline, none for the host state's citizens,
//! revoked on exit (not by an earlier trip's exit imported late) and on a ban, renewed by a
//! permit, issued on request only on a legal stay, a tampered seal refused, and self-service
//! that answers only to all three details and throttles.

use sapar_model::{RawCrossing, RawName};
use sapar_register::bans::RawBan;
use sapar_register::cards::{CardIssuer, CardPolicy, CardStatus};
use sapar_register::permits::RawPermit;
use sapar_register::records::AccessFilter;
use sapar_register::self_service::{MAX_FAILURES, RawSelfQuery};
use sapar_register::{Actor, RegisterError};
use sapar_store::cards::Revocation;

use crate::{Fixture, border, officer, officer_reads};

sapar_test_support::on_both_backends!(crate::fixture =>
    an_allowed_entry_gets_a_card_to_its_last_legal_day_that_verifies_offline,
    the_host_states_own_citizens_get_no_card,
    an_exit_revokes_the_card,
    an_exit_imported_late_from_an_earlier_trip_leaves_the_card_in_force,
    a_permit_renews_the_card_and_a_ban_revokes_it,
    a_card_on_request_needs_a_legal_stay,
    a_tampered_seal_is_refused_and_a_revoked_card_is_not_valid,
    self_service_answers_only_to_all_three_details_and_throttles_failures,
);

/// The fixture's register issuing cards under a fresh KAZ CA; the CA's DER.
fn with_cards(f: Fixture) -> (Fixture, Vec<u8>) {
    let keys = sapar_treaty::keys::init_state_keys(sapar_model::Country::KAZ, &[], f.register.now()).unwrap();
    let signer = sapar_card::CardSigner::from_pem(&keys.card_signer.cert_pem, &keys.card_signer.key_pem).unwrap();
    let ca = sapar_treaty::pki::pem_decode_one(&keys.ca.cert_pem, "CERTIFICATE").unwrap();
    let register = f.register.clone().with_cards(CardIssuer::new(signer, ca.clone(), CardPolicy::EveryForeigner));
    (Fixture { register, ..f }, ca)
}

fn crossing(document: &str, direction: &str, at: &str, citizenship: &str) -> RawCrossing {
    RawCrossing {
        id: Some(uuid::Uuid::now_v7().to_string()),
        direction: Some(direction.into()),
        at: Some(at.into()),
        crossing_point: Some("KZ-KORDAY".into()),
        purpose: Some("private".into()),
        document_type: Some("passport".into()),
        document_number: Some(document.into()),
        issuing_state: Some(citizenship.into()),
        native_name: RawName {
            surname: Some("Асанова".into()), given_names: Some("Айгүл".into()), patronymic: None
        },
        latin_name: RawName { surname: Some("ASANOVA".into()), given_names: Some("AIGUL".into()), patronymic: None },
        sex: Some("F".into()),
        birth_date: Some("1994-03-08".into()),
        citizenship: Some(citizenship.into()),
        ..RawCrossing::default()
    }
}

/// The clock stands at 2025-06-01T06:00Z (11:00 in Almaty): an entry that morning.
const ENTRY_AT: &str = "2025-06-01T09:30:00+05:00";

async fn an_allowed_entry_gets_a_card_to_its_last_legal_day_that_verifies_offline(f: Fixture) {
    let (f, ca) = with_cards(f);
    let raw = crossing("AC7654321", "entry", ENTRY_AT, "KGZ");
    let outcome = f.register.record_crossing(&border(), &raw).await.unwrap();
    let card = outcome.card.expect("a card with the allowed entry");
    let verdict = outcome.verdict.unwrap();
    assert_eq!(Some(card.valid_until), verdict.last_legal_day, "valid to the stay's last legal day");
    assert_eq!(card.entry_id, Some(outcome.crossing_id));
    assert!(card.number.starts_with("KAZ"), "{}", card.number);

    let today = f.register.today();
    let verified = sapar_card::verify(card.seal.as_bytes(), &ca, today).unwrap();
    assert_eq!(verified.content.number.to_string(), card.number);
    assert_eq!(
        (verified.content.surname_latin.as_str(), verified.content.name_native.as_deref()),
        ("ASANOVA", Some("Асанова Айгүл"))
    );
    assert_eq!(verified.content.document_number, "AC7654321");

    let shown = f.register.card(&officer_reads(), &card.number).await.unwrap();
    assert_eq!((shown.status, shown.holder.person.id), (CardStatus::Valid, outcome.person_id));
    let auditor = Actor::new("audit-office", sapar_model::Role::Auditor);
    let log = f.register.access_log(&auditor, &AccessFilter::default(), 100, 0).await.unwrap().entries;
    assert!(log.iter().any(|e| e.view == "cards" && e.person_id == outcome.person_id), "reading a card is logged");

    let replay = f.register.record_crossing(&border(), &raw).await.unwrap();
    assert!(replay.replayed && replay.card.is_none(), "a replay issues nothing new");
    assert_eq!(f.register.cards_of(&officer_reads(), outcome.person_id).await.unwrap().len(), 1);
}

async fn the_host_states_own_citizens_get_no_card(f: Fixture) {
    let (f, _) = with_cards(f);
    let outcome = f.register.record_crossing(&border(), &crossing("N1234567", "entry", ENTRY_AT, "KAZ")).await.unwrap();
    assert_eq!(outcome.card, None);
    assert!(f.register.cards_of(&officer_reads(), outcome.person_id).await.unwrap().is_empty());
}

async fn an_exit_revokes_the_card(f: Fixture) {
    let (f, _) = with_cards(f);
    let entry = f.register.record_crossing(&border(), &crossing("AC7654322", "entry", ENTRY_AT, "KGZ")).await.unwrap();
    let card = entry.card.unwrap();
    f.register
        .record_crossing(&border(), &crossing("AC7654322", "exit", "2025-06-01T10:30:00+05:00", "KGZ"))
        .await
        .unwrap();
    let after = f.register.card(&officer_reads(), &card.number).await.unwrap();
    assert_eq!(after.status, CardStatus::Revoked);
    let revocation = after.card.revocation.unwrap();
    assert_eq!((revocation.reason, revocation.on.to_string().as_str()), (Revocation::Exit, "2025-06-01"));
}

async fn an_exit_imported_late_from_an_earlier_trip_leaves_the_card_in_force(f: Fixture) {
    let (f, _) = with_cards(f);
    let entry = f.register.record_crossing(&border(), &crossing("AC7654329", "entry", ENTRY_AT, "KGZ")).await.unwrap();
    let card = entry.card.unwrap();
    let row = |direction: &str, at: &str| {
        sapar_register::crossings::validate_submission(&crossing("AC7654329", direction, at, "KGZ"), f.register.now())
            .unwrap()
    };
    let rows = vec![row("entry", "2025-03-01T09:00:00+05:00"), row("exit", "2025-03-20T09:00:00+05:00")];
    let outcomes = f.register.import_crossings(&Actor::new("import", sapar_model::Role::Admin), rows).await.unwrap();
    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
    let after = f.register.card(&officer_reads(), &card.number).await.unwrap();
    assert_eq!(after.status, CardStatus::Valid, "{:?}", after.card.revocation);

    let rows = vec![row("exit", "2025-06-01T10:45:00+05:00")];
    f.register.import_crossings(&Actor::new("import", sapar_model::Role::Admin), rows).await.unwrap();
    let after = f.register.card(&officer_reads(), &card.number).await.unwrap();
    assert_eq!(after.status, CardStatus::Revoked, "an imported exit of this trip revokes the card");
}

async fn a_permit_renews_the_card_and_a_ban_revokes_it(f: Fixture) {
    let (f, ca) = with_cards(f);
    let entry = f.register.record_crossing(&border(), &crossing("AC7654323", "entry", ENTRY_AT, "KGZ")).await.unwrap();
    let card = entry.card.unwrap();
    let permit = RawPermit {
        kind: "temporary_residence".into(),
        purpose: Some("work".into()),
        number: "TR-2025-000123".into(),
        valid_from: "2025-06-01".into(),
        valid_to: "2026-05-31".into(),
        issued_by: None,
        employer_id: None,
    };
    f.register.record_permit(&officer(), entry.person_id, &permit).await.unwrap();
    let renewed = f.register.card(&officer_reads(), &card.number).await.unwrap().card;
    assert!(renewed.valid_until > card.valid_until, "{} > {}", renewed.valid_until, card.valid_until);
    assert_ne!(renewed.seal, card.seal, "a new seal for the new validity");
    let verified = sapar_card::verify(renewed.seal.as_bytes(), &ca, f.register.today()).unwrap();
    assert_eq!(verified.content.valid_until, renewed.valid_until);

    let ban = RawBan {
        from: "2025-06-01".into(),
        until: "2030-05-31".into(),
        ground: "court_decision".into(),
        basis: "Закон РК «О миграции населения», ст. 48".into(),
        decision_ref: "№ 2-77/2025".into(),
        decided_by: None,
    };
    f.register.record_ban(&officer(), entry.person_id, &ban).await.unwrap();
    let revoked = f.register.card(&officer_reads(), &card.number).await.unwrap();
    assert_eq!(revoked.card.revocation.map(|r| r.reason), Some(Revocation::Ban));
}

async fn a_card_on_request_needs_a_legal_stay(f: Fixture) {
    let (f, _) = with_cards(f);
    let entry = f.register.record_crossing(&border(), &crossing("AC7654324", "entry", ENTRY_AT, "KGZ")).await.unwrap();
    let first = entry.card.unwrap();
    let again = f.register.issue_card(&officer_reads(), entry.person_id).await.unwrap();
    assert_ne!(again.number, first.number, "a new card replaces the one in force");
    let replaced = f.register.card(&officer_reads(), &first.number).await.unwrap().card;
    assert_eq!(replaced.revocation.map(|r| r.reason), Some(Revocation::Replaced));

    f.register
        .record_crossing(&border(), &crossing("AC7654324", "exit", "2025-06-01T10:30:00+05:00", "KGZ"))
        .await
        .unwrap();
    f.clock.advance(jiff::SignedDuration::from_hours(24));
    assert!(matches!(f.register.issue_card(&officer_reads(), entry.person_id).await, Err(RegisterError::NoLegalStay)));
    let cards = f.register.cards_of(&officer_reads(), entry.person_id).await.unwrap();
    assert_eq!(cards.len(), 2, "the refusal stored nothing");
}

async fn a_tampered_seal_is_refused_and_a_revoked_card_is_not_valid(f: Fixture) {
    let (f, _) = with_cards(f);
    let entry = f.register.record_crossing(&border(), &crossing("AC7654325", "entry", ENTRY_AT, "KGZ")).await.unwrap();
    let card = entry.card.unwrap();
    let check = f.register.check_seal(card.seal.as_bytes()).await.unwrap();
    assert!(check.seal.is_ok());
    assert_eq!(check.status, Some(CardStatus::Valid));

    let tampered = card.seal.replace("ASANOVA", "ASANOVB");
    let check = f.register.check_seal(tampered.as_bytes()).await.unwrap();
    assert_eq!(check.seal.unwrap_err().code(), "bad_signature");
    assert_eq!(check.status, None);

    f.register.revoke_card(&officer_reads(), &card.number, "the card was reported stolen").await.unwrap();
    let check = f.register.check_seal(card.seal.as_bytes()).await.unwrap();
    assert!(check.seal.is_ok(), "the seal itself is still genuine");
    assert_eq!(check.status, Some(CardStatus::Revoked));
    assert!(matches!(
        f.register.revoke_card(&officer_reads(), &card.number, "again").await,
        Err(RegisterError::CardRevoked(_))
    ));
}

async fn self_service_answers_only_to_all_three_details_and_throttles_failures(f: Fixture) {
    let (f, _) = with_cards(f);
    let entry = f.register.record_crossing(&border(), &crossing("AC7654326", "entry", ENTRY_AT, "KGZ")).await.unwrap();
    let card = entry.card.unwrap();
    let right = RawSelfQuery {
        document_number: "ac 765-4326".into(),
        card_number: card.number.to_lowercase(),
        birth_date: "1994-03-08".into(),
    };
    let address = Some("192.0.2.7".parse().unwrap());
    let status = f.register.self_status(&right, address).await.unwrap();
    assert_eq!((status.card.number.as_str(), status.card_status), (card.number.as_str(), CardStatus::Valid));
    assert!(status.stay.present);
    assert_eq!(status.stay.last_legal_day, Some(card.valid_until));
    assert!(status.control.is_empty());
    assert_eq!(status.registration.state_code(), "due", "nobody registered the arrival yet: {:?}", status.registration);
    let auditor = Actor::new("audit-office", sapar_model::Role::Auditor);
    let log = f.register.access_log(&auditor, &AccessFilter::default(), 100, 0).await.unwrap().entries;
    let own = log.iter().find(|e| e.view == "self_status").expect("the answer is logged");
    assert_eq!(
        (own.role, own.person_id, own.address.as_deref()),
        (sapar_model::Role::Holder, entry.person_id, Some("192.0.2.7"))
    );

    for wrong in [
        RawSelfQuery { birth_date: "1994-03-09".into(), ..right.clone() },
        RawSelfQuery { document_number: "AC7654327".into(), ..right.clone() },
        RawSelfQuery { card_number: "KZ0000000000".into(), ..right.clone() },
        RawSelfQuery { birth_date: "not a date".into(), ..right.clone() },
    ] {
        match f.register.self_status(&wrong, Some("198.51.100.1".parse().unwrap())).await {
            Err(RegisterError::SelfServiceDenied) => {}
            other => panic!("one answer whatever is wrong: {other:?}"),
        }
    }
    // Three of those four named this card: the card is blocked after the next failures.
    let other_address = Some("203.0.113.9".parse().unwrap());
    for _ in 3..MAX_FAILURES {
        let wrong = RawSelfQuery { birth_date: "2000-01-01".into(), ..right.clone() };
        assert!(matches!(f.register.self_status(&wrong, other_address).await, Err(RegisterError::SelfServiceDenied)));
    }
    assert!(
        matches!(
            f.register.self_status(&right, Some("192.0.2.8".parse().unwrap())).await,
            Err(RegisterError::TooManyAttempts)
        ),
        "failures for the card block it from any address"
    );
    f.clock.advance(jiff::SignedDuration::from_mins(16));
    assert!(f.register.self_status(&right, address).await.is_ok(), "the block ends with the window");
}
