//! Integration tests of the `sapar` binary.

mod identity_cli;
mod stay_eval;
