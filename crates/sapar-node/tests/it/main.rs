//! Integration tests of the exchange node: two nodes (KGZ sending, KAZ receiving) in one process,
//! each with its own SQLite store and keys, talking mutual TLS on loopback.

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
