//! Migration agreements as data, exchange messages, policy checks and signed envelopes.
//!
//! The crate is sans-IO: no network, no database, no clock. Time, node state and keys are
//! parameters. The wire format (`sapar-exchange/1`) is specified in `docs/protocol.md`.
//!
//! * [`agreement::AgreementBook::load_embedded`] loads the agreements shipped with Sapar.
//! * [`send::compose`] checks and signs an outgoing message; [`receive::receive`] applies the
//!   receiver checks to an incoming one; [`receipt`] signs and verifies receipts.
//! * [`log`] chains logged messages and verifies the chain; [`seal`] encrypts stored payloads.
//! * [`keys::init_state_keys`] creates demo keys for a state.

pub mod agreement;
pub mod case;
pub mod category;
pub mod codes;
pub mod error;
pub mod ids;
pub mod jws;
pub mod keys;
pub mod log;
pub mod message;
pub mod pki;
pub mod receipt;
pub mod receive;
pub mod seal;
pub mod send;
pub mod wire;
