//! Migration agreements as data, exchange messages, policy checks and signed envelopes.

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
