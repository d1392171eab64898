//! Integration tests of sapar-treaty: agreements, messages, signing, receiver checks, log.

mod agreements;
mod fixture;
mod receive;
