//! HTTP API tests over real HTTP against a real database (SQLite; PostgreSQL too when
//! `SAPAR_TEST_POSTGRES` is set — required under `CI=true`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod exchange;
mod mrz;
mod permits_violations;
mod review;
mod support;
