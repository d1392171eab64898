//! Card numbers: format, check digit, limits.

use sapar_card::{CardNumber, CardNumberError};
use sapar_model::Country;

use crate::support::kaz;

#[test]
fn card_number_is_state_nine_digits_and_check_digit() {
    let n = CardNumber::new(kaz(), 1_234_567).expect("number");
    // Check digit of "KAZ001234567": K=20 A=10 Z=35 then the digits, weights 7-3-1:
    // 140+30+35 + 0+0+1 + 14+9+4 + 35+18+7 = 293 -> 3.
    assert_eq!(n.to_string(), "KAZ0012345673");
    assert_eq!(CardNumber::parse("KAZ0012345673"), Ok(n));
    assert_eq!(n.serial(), 1_234_567);
    assert_eq!(n.state(), kaz());
}

#[test]
fn a_wrong_check_digit_is_refused() {
    let err = CardNumber::parse("KAZ0012345674").expect_err("wrong check digit");
    assert!(matches!(err, CardNumberError::CheckDigit { expected: '3', found: '4', .. }), "{err}");
}

#[test]
fn a_changed_state_code_is_caught_by_the_check_digit() {
    assert!(matches!(CardNumber::parse("KGZ0012345673"), Err(CardNumberError::CheckDigit { .. })));
}

#[test]
fn malformed_numbers_are_refused() {
    for bad in ["", "KAZ001234567", "KAZ00123456733", "KAZ00123A5673", "kaz0012345673", "123001234567"] {
        assert!(CardNumber::parse(bad).is_err(), "{bad:?} parsed");
    }
}

#[test]
fn serial_must_fit_nine_digits_and_issuer_be_a_state() {
    assert!(CardNumber::new(kaz(), 999_999_999).is_ok());
    assert_eq!(CardNumber::new(kaz(), 1_000_000_000), Err(CardNumberError::SerialTooLarge(1_000_000_000)));
    let stateless = Country::parse("XXA").expect("XXA");
    assert!(matches!(CardNumber::new(stateless, 1), Err(CardNumberError::NotAState(_))));
}

#[test]
fn every_serial_round_trips() {
    for serial in [0, 1, 9, 10, 99_999, 123_456_789, 999_999_999] {
        let n = CardNumber::new(kaz(), serial).expect("number");
        assert_eq!(CardNumber::parse(&n.to_string()), Ok(n));
    }
}
