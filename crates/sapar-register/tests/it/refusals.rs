//! Crossing points as data and refusals of entry: an unknown post stores nothing, a refused entry
//! is kept in the history but opens no stay and sets off nothing, and an exit cannot be refused.

use sapar_model::{InputCode, RawCrossing, RawName, RefusalGround};
use sapar_register::RegisterError;
use sapar_register::control::RawInclusion;
use sapar_register::records::PersonEventKind;

use crate::{Fixture, border, border_reads, officer, officer_reads};

sapar_test_support::on_both_backends!(crate::fixture =>
    unknown_crossing_point_is_refused_and_nothing_stored,
    refused_entry_opens_no_stay,
    refused_entry_leaves_the_control_register_as_it_is,
    refused_exit_is_rejected,
);

fn crossing(document: &str, direction: &str, at: &str) -> RawCrossing {
    RawCrossing {
        id: Some(uuid::Uuid::now_v7().to_string()),
        direction: Some(direction.into()),
        at: Some(at.into()),
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

fn refused(document: &str, at: &str, ground: &str) -> RawCrossing {
    RawCrossing {
        outcome: Some("refused".into()),
        refusal_ground: Some(ground.into()),
        refusal_note: Some("reported at the first line".into()),
        ..crossing(document, "entry", at)
    }
}

fn code(result: Result<impl std::fmt::Debug, RegisterError>) -> InputCode {
    match result {
        Err(RegisterError::Invalid(e)) => e.code,
        other => panic!("expected a refused input, got {other:?}"),
    }
}

async fn unknown_crossing_point_is_refused_and_nothing_stored(f: Fixture) {
    let raw = RawCrossing {
        crossing_point: Some("KZ-NOWHERE".into()),
        ..crossing("AC5000001", "entry", "2025-05-01T09:30:00+05:00")
    };
    assert_eq!(code(f.register.record_crossing(&border(), &raw).await), InputCode::UnknownCrossingPoint);
    assert_eq!(code(f.register.border_check(&border_reads(), &raw).await), InputCode::UnknownCrossingPoint);
    assert_eq!(code(f.register.record_crossing_checked(&border_reads(), &raw).await), InputCode::UnknownCrossingPoint);
    // A Kyrgyz post is not Kazakhstan's.
    let kyrgyz = RawCrossing { crossing_point: Some("KG-AKJOL".into()), ..raw.clone() };
    assert_eq!(code(f.register.record_crossing(&border(), &kyrgyz).await), InputCode::UnknownCrossingPoint);
    assert_eq!(f.db.store.counts().await.unwrap(), [0, 0, 0]);
    // A refused entry at an unknown post is refused the same way.
    let refusal = RawCrossing {
        crossing_point: Some("KZ-NOWHERE".into()),
        ..refused("AC5000001", "2025-05-01T09:30:00+05:00", "no_visa")
    };
    assert_eq!(code(f.register.record_crossing(&border(), &refusal).await), InputCode::UnknownCrossingPoint);
    assert_eq!(f.db.store.counts().await.unwrap(), [0, 0, 0]);
    assert!(f.register.crossing_points(&border()).unwrap().iter().any(|p| p.code.as_str() == "KZ-KORDAY"));
}

async fn refused_entry_opens_no_stay(f: Fixture) {
    let raw = refused("AC5000002", "2025-05-01T09:30:00+05:00", "entry_ban");
    let outcome = f.register.record_crossing(&border(), &raw).await.unwrap();
    assert!(outcome.verdict.is_none(), "a refused entry is given no stay verdict");
    assert!(matches!(outcome.outcome, sapar_model::Outcome::Refused { ground: RefusalGround::EntryBan, .. }));
    let found = f.register.person(&officer_reads(), outcome.person_id).await.unwrap();
    assert!(found.record.crossings.is_empty());
    assert_eq!(found.record.refusals.len(), 1, "the refusal is in the person's history");
    let stay = f.register.stay(&officer_reads(), outcome.person_id, None).await.unwrap();
    assert_eq!((stay.present, stay.days_used), (false, 0), "a month after the refusal, no day was spent");
    assert_eq!(f.register.sweep_overstays(&officer(), None).await.unwrap().new_drafts, 0);
    // The same refusal again is a replay.
    assert!(f.register.record_crossing(&border(), &raw).await.unwrap().replayed);
    // Admitted a week later: the stay counts from that day.
    let admitted = f
        .register
        .record_crossing(&border(), &crossing("AC5000002", "entry", "2025-05-08T09:30:00+05:00"))
        .await
        .unwrap();
    assert_eq!(admitted.person_id, outcome.person_id);
    let stay = f.register.stay(&officer_reads(), outcome.person_id, None).await.unwrap();
    assert_eq!((stay.present, stay.days_used), (true, 25), "8 May to 1 June");
}

async fn refused_entry_leaves_the_control_register_as_it_is(f: Fixture) {
    let person = f
        .register
        .record_crossing(&border(), &crossing("AC5000003", "entry", "2025-05-01T09:30:00+05:00"))
        .await
        .unwrap()
        .person_id;
    let inclusion = RawInclusion {
        ground: Some("expulsion".into()),
        decision_ref: Some("Решение УМС № 17-5/2025".into()),
        decided_on: Some("2025-05-02".into()),
        basis: None,
    };
    let again = f.register.include_in_control(&officer(), person, &inclusion).await.unwrap();
    // Refused at the border later: the new entry stays, and no event is added.
    let events = f.register.events_of(&officer_reads(), person).await.unwrap().len();
    f.register
        .record_crossing(&border(), &refused("AC5000003", "2025-05-20T09:30:00+05:00", "control_register"))
        .await
        .unwrap();
    assert!(f.register.control_entry(&officer_reads(), again.id).await.unwrap().entry.is_active());
    let kinds: Vec<_> =
        f.register.events_of(&officer_reads(), person).await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds.len(), events);
    assert_eq!(kinds.last(), Some(&PersonEventKind::ControlIncluded));
}

async fn refused_exit_is_rejected(f: Fixture) {
    f.register.record_crossing(&border(), &crossing("AC5000004", "entry", "2025-05-01T09:30:00+05:00")).await.unwrap();
    let exit =
        RawCrossing { direction: Some("exit".into()), ..refused("AC5000004", "2025-05-10T09:30:00+05:00", "other") };
    assert_eq!(code(f.register.record_crossing(&border(), &exit).await), InputCode::RefusedExit);
    assert_eq!(f.db.store.counts().await.unwrap(), [1, 1, 1], "nothing of the refused exit is stored");
}
