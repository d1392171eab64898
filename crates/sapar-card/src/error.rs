//! The crate's errors: [`CardError`] for issuing, [`VerifyError`] for verifying, each
//! verification failure with a stable code.

use crate::verify::VerifiedCard;

/// Why a card cannot be sealed or a signer loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("card signer certificate: {0}")]
    Certificate(String),
    #[error("card signer key: {0}")]
    Key(String),
    #[error("the certificate is not a card signer: {0}")]
    NotACardSigner(String),
    #[error("the card signer key does not match its certificate")]
    KeyMismatch,
    #[error("card content: {0}")]
    Content(String),
    #[error("signing failed")]
    Signing,
    #[error("the seal does not fit in a QR code: {0}")]
    QrTooLong(String),
}

/// Why a seal is refused. [`VerifyError::code`] is stable; the message says precisely what is
/// wrong. The variants are listed in the order the checks run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The image holds no readable QR code (or is not a PNG).
    #[error("not a readable QR code: {0}")]
    NotAQr(String),
    /// The input is not JSON text.
    #[error("not JSON: {0}")]
    NotJson(String),
    /// JSON, but not a VDS-NC seal (`data.hdr`, `data.msg`, `sig` with `alg` ES256, `cer`, `sigvl`).
    #[error("not a VDS-NC seal: {0}")]
    NotASeal(String),
    /// A VDS-NC seal of another type or version than the card's.
    #[error("not a Sapar migrant card: {0}")]
    UnknownType(String),
    /// `cer` is not a base64url DER X.509 certificate.
    #[error("bad signer certificate: {0}")]
    BadCertificate(String),
    /// The signer certificate does not chain to the pinned CA.
    #[error("the signer is not certified by the pinned CA: {0}")]
    ForeignCa(String),
    /// The signer certificate lacks the VDS-NC barcode-signer usage (or is a CA, or not P-256).
    #[error("the certificate may not sign cards: {0}")]
    NotACardSigner(String),
    /// The signer certificate (or the CA) is not valid on the verification day.
    #[error("the signer certificate is not valid on that day: {0}")]
    SignerExpired(String),
    /// The ES256 signature over the canonical `data` does not verify.
    #[error("the signature does not verify: {0}")]
    BadSignature(String),
    /// Signed, but a message field is missing or malformed.
    #[error("bad card message: {0}")]
    BadMessage(String),
    /// Genuine, but the card's last valid day is before the verification day. The data is kept.
    #[error("the card expired on {}", .0.content.valid_until)]
    Expired(Box<VerifiedCard>),
}

impl VerifyError {
    /// Every code, in the order of the checks (for documentation and tests).
    pub const CODES: [&'static str; 11] = [
        "not_a_qr",
        "not_json",
        "not_a_seal",
        "unknown_type",
        "bad_certificate",
        "foreign_ca",
        "not_a_card_signer",
        "signer_expired",
        "bad_signature",
        "bad_message",
        "expired",
    ];

    /// The stable snake_case code of the failure.
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::NotAQr(_) => "not_a_qr",
            VerifyError::NotJson(_) => "not_json",
            VerifyError::NotASeal(_) => "not_a_seal",
            VerifyError::UnknownType(_) => "unknown_type",
            VerifyError::BadCertificate(_) => "bad_certificate",
            VerifyError::ForeignCa(_) => "foreign_ca",
            VerifyError::NotACardSigner(_) => "not_a_card_signer",
            VerifyError::SignerExpired(_) => "signer_expired",
            VerifyError::BadSignature(_) => "bad_signature",
            VerifyError::BadMessage(_) => "bad_message",
            VerifyError::Expired(_) => "expired",
        }
    }

    /// The card's data when the seal is genuine but expired.
    pub fn expired_card(&self) -> Option<&VerifiedCard> {
        match self {
            VerifyError::Expired(card) => Some(card),
            _ => None,
        }
    }
}
