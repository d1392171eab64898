//! The overstayer sweep agrees with single answers and reports bad records instead of failing.

use jiff::civil::date;
use sapar_model::Country;
use sapar_rules::{Host, Permit, RuleBook, Stay, StayError, SweepPerson};

fn person(id: u32, host: Host, citizenship: Country, stays: Vec<Stay>, permits: Vec<Permit>) -> SweepPerson<u32> {
    SweepPerson { id, host, citizenship, stays, permits }
}

#[test]
fn sweep_finds_overstayers_and_skips_persons_who_left() {
    let book = RuleBook::load_embedded().expect("data");
    let kaz = Host::State(Country::KAZ);
    let on = date(2025, 6, 1);
    let persons = vec![
        // Day 33 of a 30-day visa-free stay (30 Apr-1 Jun): 3 over.
        person(1, kaz, Country::UZB, vec![Stay::open(date(2025, 4, 30))], vec![]),
        // Day 10: fine.
        person(2, kaz, Country::UZB, vec![Stay::open(date(2025, 5, 23))], vec![]),
        // Left already: not checked.
        person(3, kaz, Country::UZB, vec![Stay::closed(date(2025, 1, 1), date(2025, 5, 1))], vec![]),
        // Schengen 90/180: open since 1 Feb, 121 days on 1 June: 31 over.
        person(4, Host::Schengen, usa(), vec![Stay::open(date(2025, 2, 1))], vec![]),
        // Under a permit: fine.
        person(
            5,
            kaz,
            Country::UZB,
            vec![Stay::open(date(2025, 1, 1))],
            vec![Permit { from: date(2025, 1, 2), to: date(2026, 1, 1) }],
        ),
        // Invalid record: open stay followed by a later entry.
        person(
            6,
            kaz,
            Country::UZB,
            vec![Stay::open(date(2025, 1, 1)), Stay::closed(date(2025, 2, 1), date(2025, 2, 2))],
            vec![],
        ),
        // Visa holder (Afghanistan): cannot be judged without visa data.
        person(7, kaz, Country::parse("AFG").expect("AFG"), vec![Stay::open(date(2025, 5, 1))], vec![]),
    ];
    let report = book.sweep_overstays(&persons, on);
    assert_eq!(report.checked, 6);
    let found: Vec<(u32, u32, &str)> =
        report.overstayers.iter().map(|o| (o.id, o.overstay_days, o.rule.id.as_str())).collect();
    assert_eq!(found, [(1, 3, "KAZ-VISAFREE-30-90-180"), (4, 31, "SCH-90-180")]);
    let errors: Vec<(u32, &str)> = report.errors.iter().map(|(id, e)| (*id, e.code())).collect();
    assert_eq!(errors, [(6, "open_stay_not_last"), (7, "governed_by_visa")]);
}

#[test]
fn sweep_agrees_with_single_answers_on_many_persons() {
    let book = RuleBook::load_embedded().expect("data");
    let on = date(2025, 9, 1);
    let persons: Vec<SweepPerson<u32>> = (0..3000u32)
        .map(|i| {
            let entry = on.checked_sub(jiff::Span::new().days(i64::from(i % 140))).expect("date");
            let earlier = Stay::closed(date(2025, 3, 1), date(2025, 3, 1 + i8::try_from(i % 25).expect("small")));
            let (host, citizenship) = match i % 4 {
                0 => (Host::State(Country::KAZ), Country::UZB),
                1 => (Host::State(Country::RUS), Country::UZB),
                2 => (Host::State(Country::KGZ), Country::KAZ),
                _ => (Host::Schengen, usa()),
            };
            person(i, host, citizenship, vec![earlier, Stay::open(entry)], vec![])
        })
        .collect();
    let report = book.sweep_overstays(&persons, on);
    assert!(report.errors.is_empty(), "{:?}", report.errors.first());
    let mut expected = Vec::new();
    for p in &persons {
        let answer = book.evaluate(p.host, p.citizenship, &p.stays, &p.permits, on).expect("valid");
        if !answer.legal {
            expected.push((p.id, answer.overstay_days, answer.last_legal_day));
        }
    }
    let mut found: Vec<_> = report.overstayers.iter().map(|o| (o.id, o.overstay_days, o.last_legal_day)).collect();
    found.sort_unstable();
    assert!(!expected.is_empty() && expected.len() < persons.len());
    assert!(expected.iter().any(|e| e.2.is_some()), "some overstayers had legal days");
    assert_eq!(found, expected);
}

#[test]
fn sweep_agrees_with_single_answers_on_a_generated_register() {
    let book = RuleBook::load_embedded().expect("data");
    let on = date(2025, 9, 1);
    let persons = sapar_rules::synth::open_stay_register(5000, on, 7);
    let report = book.sweep_overstays(&persons, on);
    assert!(report.errors.is_empty(), "{:?}", report.errors.first());
    let mut expected = Vec::new();
    for p in &persons {
        let answer = book.evaluate(p.host, p.citizenship, &p.stays, &p.permits, on).expect("valid");
        if !answer.legal {
            expected.push((p.id, answer.overstay_days, answer.rules[0].id.clone(), answer.last_legal_day));
        }
    }
    let mut found: Vec<_> =
        report.overstayers.iter().map(|o| (o.id, o.overstay_days, o.rule.id.clone(), o.last_legal_day)).collect();
    found.sort_unstable();
    assert!(expected.len() > 100, "the generated register has overstayers");
    assert_eq!(found, expected);
}

#[test]
fn sweep_reports_unknown_hosts() {
    let book = RuleBook::load_embedded().expect("data");
    let persons = [person(9, Host::State(Country::UZB), Country::KAZ, vec![Stay::open(date(2025, 1, 1))], vec![])];
    let report = book.sweep_overstays(&persons, date(2025, 2, 1));
    assert_eq!(report.errors, [(9, StayError::UnknownHost(Host::State(Country::UZB)))]);
}

fn usa() -> Country {
    Country::parse("USA").expect("USA is a country")
}
