//! Signed receipts: the receiver's statement that it accepted message `id` with hash `h` at
//! time `t`, signed with its node key so that the sender can prove delivery.

use jiff::Timestamp;

use crate::error::{KeyError, SignedObjectError};
use crate::ids::{MessageId, Sha256Hash};
use crate::jws::{self, SigningIdentity};
use crate::message::{format_utc, parse_utc};
use crate::pki;
use crate::wire;

/// A verified receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptInfo {
    pub message_id: MessageId,
    pub message_hash: Sha256Hash,
    pub received_at: Timestamp,
    pub receiver: String,
    /// Fingerprint of the certificate that signed the receipt.
    pub signer: Sha256Hash,
}

/// Signs a receipt for message `id` with hash `hash`, received at `received_at` by node `receiver`.
pub fn sign_receipt(
    id: MessageId,
    hash: Sha256Hash,
    received_at: Timestamp,
    receiver: &str,
    node: &SigningIdentity,
) -> Result<String, KeyError> {
    let r = wire::Receipt {
        protocol: wire::PROTOCOL.to_owned(),
        kind: "receipt".to_owned(),
        message_id: id.to_string(),
        message_hash: hash.to_hex(),
        received_at: format_utc(received_at),
        receiver: receiver.to_owned(),
    };
    let payload = serde_json::to_vec(&r).map_err(|_| KeyError::Signing)?;
    jws::sign_compact(&payload, wire::TYP_RECEIPT, node)
}

/// Verifies a receipt: ES256 signature, chain to the partner's pinned CA, validity at
/// `received_at`, signer among the partner node certificates `node_fingerprints`.
pub fn verify_receipt(
    jws_text: &str,
    partner_ca_der: &[u8],
    node_fingerprints: &[Sha256Hash],
) -> Result<ReceiptInfo, SignedObjectError> {
    let parsed = jws::parse_compact(jws_text, wire::TYP_RECEIPT).map_err(|e| match e {
        jws::JwsFormatError::UnsupportedHeader(m) => SignedObjectError::Header(m),
        other => SignedObjectError::Malformed(other.to_string()),
    })?;
    parsed.verify_signature().map_err(|_| SignedObjectError::Signature)?;
    let signer = pki::verify_chain_to_anchor(&parsed.x5c, partner_ca_der)
        .map_err(|e| SignedObjectError::Certificate(e.to_string()))?;
    if !node_fingerprints.contains(&signer.fingerprint) {
        return Err(SignedObjectError::Certificate(format!(
            "{} is not a partner node certificate",
            signer.fingerprint
        )));
    }
    let r: wire::Receipt =
        wire::from_json_object(&parsed.payload).map_err(|e| SignedObjectError::Payload(e.to_string()))?;
    if r.protocol != wire::PROTOCOL || r.kind != "receipt" {
        return Err(SignedObjectError::Payload("not a sapar-exchange/1 receipt".into()));
    }
    let received_at = parse_utc(&r.received_at)
        .ok_or_else(|| SignedObjectError::Payload("received_at is not RFC 3339 UTC".into()))?;
    pki::check_chain_validity(&parsed.x5c, partner_ca_der, received_at)
        .map_err(|e| SignedObjectError::Certificate(e.to_string()))?;
    Ok(ReceiptInfo {
        message_id: MessageId::parse(&r.message_id).map_err(|e| SignedObjectError::Payload(e.to_string()))?,
        message_hash: Sha256Hash::parse(&r.message_hash).map_err(|e| SignedObjectError::Payload(e.to_string()))?,
        received_at,
        receiver: r.receiver,
        signer: signer.fingerprint,
    })
}
