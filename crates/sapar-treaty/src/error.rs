//! Error types of the crate: identifiers, agreement files, keys and certificates, log and sealing.

/// An identifier or enumerated value that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("agreement id must be 3-64 characters of A-Z, 0-9 and '-', starting with a letter, got {0:?}")]
    Agreement(String),
    #[error("authority id must be a state code, '-' and 1-32 characters of A-Z, 0-9, '-', got {0:?}")]
    Authority(String),
    #[error("message id must be a lower-case hyphenated UUID version 7, got {0:?}")]
    Message(String),
    #[error("case id must be a lower-case hyphenated UUID, got {0:?}")]
    Case(String),
    #[error("hash must be 64 lower-case hex digits, got {0:?}")]
    Hash(String),
    #[error("channel must be AGREEMENT:FROM>TO with two different state codes, got {0:?}")]
    Channel(String),
    #[error("unknown data category {0:?}")]
    Category(String),
    #[error("unknown personal-data field {0:?}")]
    Field(String),
    #[error("unknown message type {0:?}")]
    MessageType(String),
}

/// An embedded or supplied agreement file that cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct AgreementFileError {
    /// File name as embedded (e.g. `kaz-kgz-2019.toml`).
    pub file: String,
    /// 1-based line of the offending value (1 when the problem concerns the whole file).
    pub line: usize,
    /// What is wrong, precisely.
    pub reason: String,
}

/// A certificate, key or PEM document that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("PEM: {0}")]
    Pem(String),
    #[error("certificate: {0}")]
    Certificate(String),
    #[error("private key: {0}")]
    PrivateKey(String),
    #[error("certificate generation failed: {0}")]
    Generation(String),
    #[error("signing failed")]
    Signing,
}

/// A signed object (receipt, checkpoint) that fails to verify or decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignedObjectError {
    #[error("malformed JWS: {0}")]
    Malformed(String),
    #[error("unsupported JWS header: {0}")]
    Header(String),
    #[error("signature does not verify")]
    Signature,
    #[error("signer certificate: {0}")]
    Certificate(String),
    #[error("payload: {0}")]
    Payload(String),
}

/// Encryption or decryption of a stored payload failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("sealed payload is malformed: {0}")]
    Malformed(String),
    #[error("no key with id {0:?}")]
    UnknownKey(String),
    #[error("key id must be 1-64 characters of a-z, A-Z, 0-9, '-', '_', got {0:?}")]
    BadKeyId(String),
    #[error("decryption failed: wrong key, wrong context or altered ciphertext")]
    Decrypt,
    #[error("encryption failed")]
    Encrypt,
    #[error("random number generator failed")]
    Random,
}
