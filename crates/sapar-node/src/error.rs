//! The node's error type.

use sapar_store::StoreError;

/// A failure of the node (not a treaty rejection, which is an answer to the partner).
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    #[error("tls configuration: {0}")]
    Tls(String),
    #[error("key material: {0}")]
    Key(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("stored exchange data is not valid: {0}")]
    Corrupt(String),
    #[error("network: {0}")]
    Network(String),
    #[error("draft refused: {0}")]
    Draft(String),
    #[error("no endpoint configured for partner state {0}")]
    NoEndpoint(String),
    #[error("a delivery task failed: {0}")]
    Task(String),
}

/// A node failure as the register's use cases report it: storage as storage, the rest internal.
impl From<NodeError> for sapar_register::RegisterError {
    fn from(e: NodeError) -> sapar_register::RegisterError {
        match e {
            NodeError::Store(s) => sapar_register::RegisterError::Store(s),
            other => sapar_register::RegisterError::Internal(other.to_string()),
        }
    }
}
