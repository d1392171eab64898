//! Integration tests of sapar-identity: golden files for MRZ and names, property tests.

mod check_digit_limits;
mod golden;
mod mrz_emit;
mod mrz_golden;
mod mrz_props;
mod names_golden;
mod names_props;
