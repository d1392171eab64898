//! Integration tests of sapar-treaty: agreements, messages, signing, receiver checks, log.

// Helpers shared by the tests panic on bad fixtures by design.
#![allow(clippy::unwrap_used)]

mod agreements;
mod crypto;
mod fixture;
mod log;
mod props;
mod protocol_doc;
mod receive;
mod send;
