//! Configuration errors name what is wrong.

use sapar_match::LinkConfig;

use crate::support::CONFIG;

#[test]
fn unknown_field_in_a_blocking_rule_is_named() {
    let text = CONFIG.replace("keys = [\"surname:key\"]\n\n[[blocking]]", "keys = [\"surnme:key\"]\n\n[[blocking]]");
    let err = LinkConfig::parse(&text).expect_err("must fail").to_string();
    assert!(err.contains("blocking rule 1") && err.contains("surnme"), "{err}");
}

#[test]
fn date_transform_on_a_name_is_refused() {
    let text = CONFIG.replace("keys = [\"surname:key\"]\n\n[[blocking]]", "keys = [\"surname:year\"]\n\n[[blocking]]");
    let err = LinkConfig::parse(&text).expect_err("must fail").to_string();
    assert!(err.contains("needs a date field"), "{err}");
}

#[test]
fn thresholds_out_of_order_are_refused() {
    let text = CONFIG.replace("match = 0.9\nreview = 0.2", "match = 0.2\nreview = 0.9");
    assert!(LinkConfig::parse(&text).is_err());
}
