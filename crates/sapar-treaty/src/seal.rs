//! Encryption at rest of personal payloads received from partners (Art. 5): AES-256-GCM with a
//! key id, so keys can rotate and a purge can destroy a payload while the log keeps its hash.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};

use crate::error::SealError;

const PREFIX: &str = "sapar-seal/1";

/// A 256-bit payload key with its id.
#[derive(Clone, PartialEq, Eq)]
pub struct PayloadKey {
    id: String,
    key: [u8; 32],
}

impl std::fmt::Debug for PayloadKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PayloadKey({})", self.id)
    }
}

impl PayloadKey {
    /// Wraps key bytes under an id of 1-64 characters `a-z A-Z 0-9 - _`.
    pub fn new(id: &str, key: [u8; 32]) -> Result<PayloadKey, SealError> {
        let ok = (1..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !ok {
            return Err(SealError::BadKeyId(id.to_owned()));
        }
        Ok(PayloadKey { id: id.to_owned(), key })
    }

    /// A fresh random key.
    pub fn generate(id: &str) -> Result<PayloadKey, SealError> {
        let mut key = [0u8; 32];
        SystemRandom::new().fill(&mut key).map_err(|_| SealError::Random)?;
        PayloadKey::new(id, key)
    }

    /// The key id.
    pub fn id(&self) -> &str {
        &self.id
    }
}

fn full_aad(key_id: &str, aad: &[u8]) -> Vec<u8> {
    let mut v = format!("{PREFIX}\n{key_id}\n").into_bytes();
    v.extend_from_slice(aad);
    v
}

/// Encrypts `plaintext` bound to `aad` (e.g. the message id): returns
/// `sapar-seal/1.KEYID.NONCE.CIPHERTEXT` (base64url, ciphertext with its 16-byte tag).
pub fn seal(key: &PayloadKey, plaintext: &[u8], aad: &[u8]) -> Result<String, SealError> {
    let mut nonce = [0u8; 12];
    SystemRandom::new().fill(&mut nonce).map_err(|_| SealError::Random)?;
    seal_with_nonce(key, nonce, plaintext, aad)
}

/// Like [`seal`] with a given nonce (never reuse a nonce with the same key).
pub fn seal_with_nonce(key: &PayloadKey, nonce: [u8; 12], plaintext: &[u8], aad: &[u8]) -> Result<String, SealError> {
    let cipher = Aes256Gcm::new_from_slice(&key.key).map_err(|_| SealError::Encrypt)?;
    let ct = cipher
        .encrypt(Nonce::from_slice(&nonce), Payload { msg: plaintext, aad: &full_aad(&key.id, aad) })
        .map_err(|_| SealError::Encrypt)?;
    Ok(format!("{PREFIX}.{}.{}.{}", key.id, URL_SAFE_NO_PAD.encode(nonce), URL_SAFE_NO_PAD.encode(ct)))
}

/// The key id a sealed payload was encrypted with.
pub fn key_id_of(sealed: &str) -> Result<&str, SealError> {
    let mut parts = sealed.split('.');
    match (parts.next(), parts.next()) {
        (Some(PREFIX), Some(id)) => Ok(id),
        _ => Err(SealError::Malformed(format!("expected {PREFIX}.KEYID.NONCE.CIPHERTEXT"))),
    }
}

/// Decrypts with the key named in the sealed text, found in `keys`.
pub fn open(keys: &[PayloadKey], sealed: &str, aad: &[u8]) -> Result<Vec<u8>, SealError> {
    let parts: Vec<&str> = sealed.split('.').collect();
    let [prefix, id, nonce, ct] = parts.as_slice() else {
        return Err(SealError::Malformed(format!("expected 4 parts, found {}", parts.len())));
    };
    if *prefix != PREFIX {
        return Err(SealError::Malformed(format!("unknown format {prefix:?}")));
    }
    let key = keys.iter().find(|k| k.id == *id).ok_or_else(|| SealError::UnknownKey((*id).to_owned()))?;
    let nonce = URL_SAFE_NO_PAD.decode(nonce).map_err(|e| SealError::Malformed(format!("nonce: {e}")))?;
    if nonce.len() != 12 {
        return Err(SealError::Malformed("nonce must be 12 bytes".into()));
    }
    let ct = URL_SAFE_NO_PAD.decode(ct).map_err(|e| SealError::Malformed(format!("ciphertext: {e}")))?;
    let cipher = Aes256Gcm::new_from_slice(&key.key).map_err(|_| SealError::Decrypt)?;
    cipher
        .decrypt(Nonce::from_slice(&nonce), Payload { msg: &ct, aad: &full_aad(id, aad) })
        .map_err(|_| SealError::Decrypt)
}
