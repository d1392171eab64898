//! Incremental linking against a register.

use sapar_match::{LinkOutcome, NonMatches, Record, Register};

use crate::support::{config, model, table};

fn incoming(id: &str, s: &str, g: &str, d: &str) -> Record {
    Record { id: id.into(), values: vec![id.into(), s.into(), g.into(), d.into()] }
}

fn register() -> Register {
    let known = table(&[
        ("p1", "Петров", "Иван", "1990-03-04"),
        ("p2", "Сидорова", "Анна", "1985-12-01"),
        ("p3", "Ким", "Алексей", "2000-01-01"),
    ]);
    Register::new(config(), model(), &known).expect("register")
}

#[test]
fn incoming_record_of_a_known_person_is_a_match() {
    let reg = register();
    let out = reg.link(&incoming("n1", "PETROV", "IVAN", "04.03.1990"), &NonMatches::new()).expect("link");
    match out {
        LinkOutcome::Match(c) => assert_eq!(c.record_id, "p1"),
        other => panic!("expected a match, got {other:?}"),
    }
}

#[test]
fn confirmed_non_match_is_never_proposed_again() {
    let reg = register();
    let rec = incoming("n1", "PETROV", "IVAN", "04.03.1990");
    let mut non_matches = NonMatches::new();
    non_matches.confirm("p1", "n1");
    match reg.link(&rec, &non_matches).expect("link") {
        LinkOutcome::Match(c) => assert_ne!(c.record_id, "p1"),
        LinkOutcome::Uncertain(cs) => assert!(cs.iter().all(|c| c.record_id != "p1")),
        LinkOutcome::NewPerson { nearest } => assert!(nearest.is_none_or(|c| c.record_id != "p1")),
    }
}

#[test]
fn weak_evidence_is_uncertain_and_none_is_a_new_person() {
    let mut reg = register();
    // Same surname and birth date, another given name: for review, not automatic.
    match reg.link(&incoming("n2", "Петров", "Пётр", "1990-03-04"), &NonMatches::new()).expect("link") {
        LinkOutcome::Uncertain(cs) => assert_eq!(cs[0].record_id, "p1"),
        other => panic!("expected review, got {other:?}"),
    }
    let stranger = incoming("n3", "Ахметов", "Нурлан", "1970-07-07");
    assert!(matches!(reg.link(&stranger, &NonMatches::new()).expect("link"), LinkOutcome::NewPerson { .. }));
    reg.insert(&stranger).expect("insert");
    let again = incoming("n4", "AKHMETOV", "NURLAN", "07.07.1970");
    match reg.link(&again, &NonMatches::new()).expect("link") {
        LinkOutcome::Match(c) => assert_eq!(c.record_id, "n3"),
        other => panic!("expected the inserted person, got {other:?}"),
    }
}
