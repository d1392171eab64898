//! HTTP API tests over real HTTP against a real database: every test on SQLite and PostgreSQL
//! (`sapar-test-support`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod audit;
mod bans;
mod border;
mod cards;
mod control;
mod exchange;
mod expulsions;
mod hardening;
mod mrz;
mod openapi;
mod permits_violations;
mod refusals;
mod registrations;
mod review;
mod support;
