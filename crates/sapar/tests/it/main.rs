//! Integration tests of the `sapar` binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bench_exchange_cli;
mod card_cli;
mod cli_conventions;
mod exchange_cli;
mod exchange_e2e;
mod identity_cli;
mod import_cli;
mod link_cli;
mod link_register_cli;
mod registrations_cli;
mod serve_cli;
mod stay_eval;
mod sweep_cli;
mod tidy;
mod users_cli;
mod verify_log_cli;
