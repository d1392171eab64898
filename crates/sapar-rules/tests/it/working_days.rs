//! Terms in working days on the shipped production calendars: holidays, transferred days off and
//! weekends are skipped, and a date outside the loaded years is refused.

use jiff::civil::date;
use sapar_rules::{RuleBook, StayError};

#[test]
fn ten_working_days_from_the_friday_before_nauryz_skip_the_holidays_and_the_days_off() {
    let book = RuleBook::load_embedded().unwrap();
    // Friday 20 March 2026; 21–23 March Nauryz, 24–25 March days off moved from the weekend.
    // Working days after it: 26, 27, 30, 31 March, 1, 2, 3, 6, 7, 8 April.
    assert_eq!(book.add_working_days("KAZ", date(2026, 3, 20), 10).unwrap(), date(2026, 4, 8));
    // The same ten days from an ordinary Monday are two calendar weeks.
    assert_eq!(book.add_working_days("kaz", date(2026, 2, 2), 10).unwrap(), date(2026, 2, 16));
    assert_eq!(book.add_working_days("KAZ", date(2026, 3, 20), 0).unwrap(), date(2026, 3, 20));
}

#[test]
fn a_term_crosses_the_new_year_on_both_years_calendars() {
    let book = RuleBook::load_embedded().unwrap();
    // Monday 28 December 2026: 29, 30, 31 December, then 1–2 January New Year, 4 January the day
    // off moved from Saturday 2 January, 7 January Orthodox Christmas.
    // Working days: 29, 30, 31 Dec, 5, 6, 8, 11, 12, 13, 14 Jan.
    assert_eq!(book.add_working_days("KAZ", date(2026, 12, 28), 10).unwrap(), date(2027, 1, 14));
}

#[test]
fn a_term_running_past_the_loaded_years_is_refused() {
    let book = RuleBook::load_embedded().unwrap();
    match book.add_working_days("KAZ", date(2027, 12, 28), 10) {
        Err(StayError::NoCalendar { state, year }) => assert_eq!((state.as_str(), year), ("KAZ", 2028)),
        other => panic!("no calendar of 2028 is loaded: {other:?}"),
    }
    assert!(matches!(book.add_working_days("XXX", date(2026, 3, 2), 1), Err(StayError::NoCalendar { .. })));
}
