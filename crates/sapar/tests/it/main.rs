//! Integration tests of the `sapar` binary.

mod identity_cli;
mod import_cli;
mod link_cli;
mod serve_cli;
mod stay_eval;
mod tidy;
