//! Storage contract tests: every test runs against SQLite and PostgreSQL.
//!
//! Each test gets a fresh database from `sapar-test-support` (a SQLite file, or a PostgreSQL
//! schema of its own); see that crate for how the PostgreSQL server is found.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access_log;
mod accounts;
mod bans;
mod cards;
mod contract;
mod control;
mod exchange;
mod identity;
mod refusals;
mod registrations;
mod search;
mod support;
