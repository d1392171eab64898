//! Migration agreements as data, exchange messages, policy checks and signed envelopes.

pub mod agreement;
pub mod category;
pub mod error;
pub mod ids;
pub mod jws;
pub mod keys;
pub mod pki;
pub mod message;
pub mod wire;
pub mod case;
pub mod codes;
pub mod receipt;
pub mod receive;
pub mod send;
