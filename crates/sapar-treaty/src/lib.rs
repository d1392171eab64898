//! Migration agreements as data, exchange messages, policy checks and signed envelopes.

pub mod agreement;
pub mod category;
pub mod error;
pub mod ids;
