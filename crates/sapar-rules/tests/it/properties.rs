//! Properties over random histories: window bounds, order independence, and the longest stay
//! being exactly the border between legal and illegal.

use jiff::civil::{Date, date};
use proptest::prelude::*;
use sapar_model::Country;
use sapar_rules::{Host, Measure, RuleBook, Stay};

fn book() -> &'static RuleBook {
    static BOOK: std::sync::OnceLock<RuleBook> = std::sync::OnceLock::new();
    BOOK.get_or_init(|| RuleBook::load_embedded().expect("data"))
}

fn plus(d: Date, days: i64) -> Date {
    d.checked_add(jiff::Span::new().days(days)).expect("date in range")
}

fn subject(i: u8) -> (Host, Country) {
    match i % 4 {
        0 => (Host::Schengen, usa()),
        1 => (Host::State(Country::KAZ), Country::UZB),
        2 => (Host::State(Country::RUS), Country::UZB),
        _ => (Host::State(Country::KGZ), Country::KAZ),
    }
}

/// Closed stays between 2024 and 2026 (they may overlap or touch), and the last exit.
fn history() -> impl Strategy<Value = (Vec<Stay>, Date)> {
    prop::collection::vec((0i64..700, 0i64..70), 0..12).prop_map(|raw| {
        let base = date(2024, 1, 1);
        let stays: Vec<Stay> =
            raw.iter().map(|&(start, len)| Stay::closed(plus(base, start), plus(base, start + len))).collect();
        let last = stays.iter().filter_map(|s| s.exit).max().unwrap_or(base);
        (stays, last)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn rolling_days_used_never_exceed_the_window((stays, last) in history(), gap in 0i64..200) {
        let on = plus(last, gap);
        let answer = book().evaluate(Host::Schengen, usa(), &stays, &[], on).expect("valid");
        for check in &answer.checks {
            prop_assert!(check.measure != Measure::RollingWindow || check.used <= 180);
        }
        prop_assert!(answer.days_used <= 180);
    }

    #[test]
    fn order_of_records_does_not_matter((stays, last) in history(), gap in 0i64..100, who in 0u8..4) {
        let (host, citizenship) = subject(who);
        let on = plus(last, gap);
        let forward = book().evaluate(host, citizenship, &stays, &[], on).expect("valid");
        let mut reversed = stays.clone();
        reversed.reverse();
        let backward = book().evaluate(host, citizenship, &reversed, &[], on).expect("valid");
        prop_assert_eq!(forward, backward);
    }

    #[test]
    fn one_pass_answer_agrees_with_separate_questions((stays, last) in history(), gap in 0i64..150, who in 0u8..4) {
        let (host, citizenship) = subject(who);
        let entering = plus(last, gap);
        let on = plus(last, gap / 2);
        let full = book().answer(host, citizenship, &stays, &[], on, Some(entering)).expect("valid");
        let alone = book().evaluate(host, citizenship, &stays, &[], on).expect("valid");
        let max = book().max_stay_if_entering(host, citizenship, &stays, &[], on, entering).expect("valid");
        prop_assert_eq!(full.stay, alone);
        prop_assert_eq!(full.max_stay, Some(max));
    }

    #[test]
    fn longest_stay_is_legal_and_one_more_day_is_not((mut stays, last) in history(), gap in 0i64..150, who in 0u8..4) {
        let (host, citizenship) = subject(who);
        let entering = plus(last, gap);
        let max = book().max_stay_if_entering(host, citizenship, &stays, &[], entering, entering).expect("valid");
        let days = i64::from(max.days.expect("every subject here is limited"));
        prop_assert!(days <= 366);
        stays.push(Stay::open(entering));
        if days > 0 {
            let last_day = plus(entering, days - 1);
            prop_assert_eq!(max.last_day, Some(last_day));
            let on_last = book().evaluate(host, citizenship, &stays, &[], last_day).expect("valid");
            prop_assert!(on_last.legal, "last day {} should be legal", last_day);
            prop_assert_eq!(on_last.last_legal_day, Some(last_day));
        }
        let after = book().evaluate(host, citizenship, &stays, &[], plus(entering, days)).expect("valid");
        prop_assert!(!after.legal, "day {} after {} legal days should be illegal", days + 1, days);
        prop_assert!(after.overstay_days >= 1);
    }
}

fn usa() -> Country {
    Country::parse("USA").expect("USA is a country")
}
