//! Claims on the violations queue and the identity review, and bulk decisions, on both backends:
//! one claim per item, kept from other officers until it lapses, released by its holder, dropped
//! by the decision; a bulk decision decides what it can and names each item it skipped.

use jiff::SignedDuration;
use sapar_model::{PersonId, RawCrossing, RawName, ReadPurpose, Role};
use sapar_register::queues::{CLAIM_LAPSES_AFTER, Skipped};
use sapar_register::records::ViolationStatus;
use sapar_register::records::{ReviewDecision, ReviewStatus};
use sapar_register::violations::{RawPenalty, ViolationVerdict};
use sapar_register::{Actor, RegisterError};
use sapar_test_support::sapar_store::identity::ReviewProposal;

use crate::{Fixture, admin, border, officer, reads};

sapar_test_support::on_both_backends!(crate::fixture =>
    a_claimed_violation_is_decided_by_its_holder_only_until_the_claim_lapses,
    a_bulk_decision_decides_what_it_can_and_names_what_it_skipped,
    a_claimed_review_pair_is_decided_by_its_holder_only_and_the_decision_drops_the_claim,
);

fn crossing(document: &str) -> RawCrossing {
    RawCrossing {
        id: Some(uuid::Uuid::now_v7().to_string()),
        direction: Some("entry".into()),
        at: Some("2025-01-10T09:30:00+05:00".into()),
        crossing_point: Some("KZ-KORDAY".into()),
        purpose: Some("work".into()),
        document_type: Some("passport".into()),
        document_number: Some(document.into()),
        issuing_state: Some("KGZ".into()),
        native_name: RawName::default(),
        latin_name: RawName { surname: Some("ASANOVA".into()), given_names: Some("AIGUL".into()), patronymic: None },
        sex: Some("F".into()),
        birth_date: Some("1994-03-08".into()),
        citizenship: Some("KGZ".into()),
        ..RawCrossing::default()
    }
}

/// The draft overstay violations of Kyrgyz citizens who entered on 10 January 2025 and are still
/// in on the clock's 1 June.
async fn drafts(f: &Fixture, documents: &[&str]) -> Vec<uuid::Uuid> {
    let mut persons: Vec<PersonId> = Vec::new();
    for document in documents {
        persons.push(f.register.record_crossing(&border(), &crossing(document)).await.unwrap().person_id);
    }
    f.register.sweep_overstays(&admin(), None).await.unwrap();
    let desk = reads(officer(), ReadPurpose::Enforcement);
    let page = f.register.violations(&desk, ViolationStatus::Draft, 100, 0).await.unwrap();
    persons
        .iter()
        .map(|p| {
            page.items
                .iter()
                .find(|v| v.violation.person_id == *p && v.violation.kind == "overstay")
                .unwrap()
                .violation
                .id
        })
        .collect()
}

async fn a_claimed_violation_is_decided_by_its_holder_only_until_the_claim_lapses(f: Fixture) {
    let ids = drafts(&f, &["AC3000001"]).await;
    let id = ids[0];
    let (mine, theirs) = (officer(), Actor::new("b.nurlanov", Role::Officer));
    let confirm = ViolationVerdict::Confirm;
    let none = RawPenalty::default();

    let claim = f.register.claim_violation(&mine, id).await.unwrap();
    assert_eq!(claim.by, mine.name);
    // Taking it again is the holder's right (it refreshes the claim); another's is refused.
    f.register.claim_violation(&mine, id).await.unwrap();
    let refused = f.register.claim_violation(&theirs, id).await;
    assert!(matches!(&refused, Err(RegisterError::ClaimedByOther { by }) if *by == mine.name), "{refused:?}");
    let theirs_reads = reads(theirs.clone(), ReadPurpose::Enforcement);
    let refused = f.register.decide_violation(&theirs_reads, id, confirm, None, &none).await;
    assert!(matches!(refused, Err(RegisterError::ClaimedByOther { .. })), "{refused:?}");
    assert_eq!(f.register.violation_claims(&theirs).await.unwrap().len(), 1);

    // Released, it is anyone's; taken again and left, it lapses.
    f.register.release_violation(&mine, id).await.unwrap();
    f.register.claim_violation(&theirs, id).await.unwrap();
    f.clock.advance(CLAIM_LAPSES_AFTER + SignedDuration::from_secs(1));
    assert!(f.register.violation_claims(&mine).await.unwrap().is_empty(), "a lapsed claim is listed");
    f.register.claim_violation(&mine, id).await.unwrap();

    // The decision drops the claim; a decided item is not claimed again.
    let mine_reads = reads(mine.clone(), ReadPurpose::Enforcement);
    f.register.decide_violation(&mine_reads, id, confirm, None, &none).await.unwrap();
    assert!(f.register.violation_claims(&mine).await.unwrap().is_empty());
    let again = f.register.claim_violation(&theirs, id).await;
    assert!(matches!(again, Err(RegisterError::AlreadyDecided { status: "confirmed", .. })), "{again:?}");
    let analyst = Actor::new("stats", Role::Analyst);
    assert!(matches!(f.register.claim_violation(&analyst, id).await, Err(RegisterError::Forbidden { .. })));
}

async fn a_bulk_decision_decides_what_it_can_and_names_what_it_skipped(f: Fixture) {
    let ids = drafts(&f, &["AC3000011", "AC3000012", "AC3000013", "AC3000014"]).await;
    let (mine, theirs) = (officer(), Actor::new("b.nurlanov", Role::Officer));
    let none = RawPenalty::default();
    f.register.claim_violation(&theirs, ids[1]).await.unwrap();
    let theirs_reads = reads(theirs.clone(), ReadPurpose::Enforcement);
    f.register.decide_violation(&theirs_reads, ids[2], ViolationVerdict::Confirm, None, &none).await.unwrap();
    let unknown = uuid::Uuid::now_v7();
    let desk = reads(mine.clone(), ReadPurpose::Enforcement);

    // A dismissal without its note refuses the whole batch before deciding anything.
    let refused = f.register.decide_violations(&desk, &ids, ViolationVerdict::Dismiss, None).await;
    assert!(matches!(refused, Err(RegisterError::NoteRequired)), "{refused:?}");

    let asked = [ids[0], ids[1], ids[2], ids[3], ids[0], unknown];
    let outcome =
        f.register.decide_violations(&desk, &asked, ViolationVerdict::Dismiss, Some("left in time")).await.unwrap();
    assert_eq!(outcome.decided, [ids[0], ids[3]]);
    assert_eq!(
        outcome.skipped,
        [
            (ids[1], Skipped::ClaimedBy(theirs.name.clone())),
            (ids[2], Skipped::AlreadyDecided("confirmed")),
            (unknown, Skipped::NotFound)
        ]
    );
    let page = f.register.violations(&desk, ViolationStatus::Dismissed, 10, 0).await.unwrap();
    assert_eq!(page.total, 2);
    let page = f.register.violations(&desk, ViolationStatus::Draft, 10, 0).await.unwrap();
    assert_eq!(page.items.iter().filter(|v| v.violation.kind == "overstay").count(), 1, "the claimed one waits");
}

async fn a_claimed_review_pair_is_decided_by_its_holder_only_and_the_decision_drops_the_claim(f: Fixture) {
    let mut persons = Vec::new();
    for document in ["AC3100001", "AC3100002"] {
        persons.push(f.register.record_crossing(&border(), &crossing(document)).await.unwrap().person_id);
    }
    let proposal =
        ReviewProposal { a: persons[0], b: persons[1], probability: 0.9, weight: 4.0, explanation: "{}".into() };
    f.db.store.propose_review_items(vec![proposal], jiff::Timestamp::now()).await.unwrap();
    let id = f.db.store.pending_review_items(1, 0).await.unwrap()[0].id;
    let (mine, theirs) = (officer(), Actor::new("b.nurlanov", Role::Officer));
    let counts = f.register.queue_counts(&mine).await.unwrap();
    assert_eq!((counts.review, counts.violations, counts.overdue_applications), (1, 0, 0));
    assert!(f.register.queue_counts(&border()).await.is_err(), "a border officer counts no queue");

    f.register.claim_review(&mine, id).await.unwrap();
    let refused = f.register.claim_review(&theirs, id).await;
    assert!(matches!(&refused, Err(RegisterError::ClaimedByOther { by }) if *by == mine.name), "{refused:?}");
    let refused = f.register.decide_review(&theirs, id, ReviewDecision::NonMatch, None).await;
    assert!(matches!(refused, Err(RegisterError::ClaimedByOther { .. })), "{refused:?}");
    assert_eq!(f.db.store.review_item(id).await.unwrap().unwrap().status, ReviewStatus::Pending, "nothing decided");
    assert_eq!(f.register.review_claims(&theirs).await.unwrap().len(), 1);
    // The violations queue's claims are apart.
    assert!(f.register.violation_claims(&mine).await.unwrap().is_empty());

    // Released, the other officer takes it; lapsed, it is the first's again, who decides it.
    f.register.release_review(&mine, id).await.unwrap();
    f.register.claim_review(&theirs, id).await.unwrap();
    f.clock.advance(CLAIM_LAPSES_AFTER + SignedDuration::from_secs(1));
    f.register.claim_review(&mine, id).await.unwrap();
    f.register.decide_review(&mine, id, ReviewDecision::NonMatch, None).await.unwrap();
    assert!(f.register.review_claims(&mine).await.unwrap().is_empty(), "the decision drops the claim");
    assert_eq!(f.register.queue_counts(&mine).await.unwrap().review, 0);
    let again = f.register.claim_review(&theirs, id).await;
    assert!(matches!(again, Err(RegisterError::AlreadyDecided { status: "non_match", .. })), "{again:?}");
    let unknown = f.register.claim_review(&mine, uuid::Uuid::now_v7()).await;
    assert!(matches!(unknown, Err(RegisterError::NotFound(_))), "{unknown:?}");
    let border_officer = Actor::new("post-7", Role::Border);
    assert!(matches!(f.register.claim_review(&border_officer, id).await, Err(RegisterError::Forbidden { .. })));
}
