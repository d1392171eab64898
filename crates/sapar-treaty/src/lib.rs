//! Migration agreements as data, exchange messages, policy checks and signed envelopes.
