//! Integration tests of the `sapar` binary.

mod stay_eval;
