//! Integration tests of the exchange node: two nodes (KGZ sending, KAZ receiving) in one process,
//! each with its own store and keys, talking mutual TLS on loopback. The stores are SQLite files;
//! `SAPAR_NODE_TEST_BACKEND=postgres` runs the same suite on PostgreSQL (`.ci/run` does both).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod backoff;
mod batches;
mod checkpoints;
mod registry;
mod resequencing;
mod service;
mod support;
mod tls_pinning;
mod two_nodes;
