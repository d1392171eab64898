//! Sapar's exchange node: the mutual-TLS receiver of `POST /exchange/v1/messages` and the outbox
//! dispatcher, wiring the pure treaty engine (`sapar-treaty`) to the store (`sapar-store`).
//!
//! * [`tls`]: rustls server and client configurations pinned to the partners' exchange CAs.
//! * [`receiver`]: the axum router and the TLS accept loop; a message, or a batch of one
//!   channel's messages, is stored (inbox row, channel head, case, log entry) before its signed
//!   receipt is returned.
//! * [`dispatcher`]: the outbox: enqueueing signed messages, and a task delivering each channel's
//!   messages in order (in batches when the partner takes them) with exponential backoff, marking
//!   them delivered on a verified receipt.
//! * [`client`]: one mutual-TLS HTTP/1.1 request to a partner node.
//! * [`registry`]: the agreements and signatory lists the node judges by, from the start-up
//!   files and the signatory lists and authority changes the store recorded since.
//! * [`log`]: conversion between stored log rows and the treaty's hash-chained log entries, and
//!   verification of a stored log.
//! * [`setup`]: a node from files (keys directory, partners' pinned CAs and signatory lists),
//!   and [`setup::ExchangeNode`] running the receiver and the dispatcher over one store.
//! * [`service`]: what officers do: send a message (outbox and case in one transaction) and list
//!   messages with their delivery state and receipts.
//! * [`cases`]: the case desk: cases with their Art. 11.3 deadlines, and one case's messages with
//!   their bodies, each read logged first; answers drafted from the register sent.
//! * [`retention`]: Art. 12.4: received payloads destroyed when their retention period ends,
//!   each destruction recorded and chained into the message log.
//! * [`hits`]: partners' hit/no-hit queries answered automatically from the register, per
//!   agreement.

pub mod cases;
pub mod client;
pub mod dispatcher;
mod error;
pub mod hits;
pub mod log;
pub mod receiver;
pub mod registry;
pub mod retention;
pub mod service;
pub mod setup;
pub mod tls;

pub use error::NodeError;

/// The media type of signed messages and receipts.
pub const JOSE: &str = "application/jose";
/// The path of the message endpoint.
pub const MESSAGES_PATH: &str = "/exchange/v1/messages";
/// The path of the batch endpoint: several messages of one channel in one request.
pub const BATCHES_PATH: &str = "/exchange/v1/batches";
