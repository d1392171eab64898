//! The barcode signer: its certificate (checked for the VDS-NC profile) and its P-256 key.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _};
use sapar_treaty::pki;
use x509_parser::certificate::X509Certificate;
use x509_parser::oid_registry::{OID_EC_P256, OID_KEY_TYPE_EC_PUBLIC_KEY};
use x509_parser::prelude::FromDer;

use crate::error::CardError;

/// The extended key usage of an ICAO VDS-NC barcode signer (Doc 9303-12).
pub const CARD_SIGNER_EKU_OID: &str = "2.23.136.1.1.14.2";

/// A card signer: the certificate that goes into every seal, and the key that signs.
pub struct CardSigner {
    cert_der: Vec<u8>,
    /// `cer` of the seal: the certificate as base64url, computed once.
    pub(crate) cer: String,
    key: EcdsaKeyPair,
    rng: SystemRandom,
}

impl std::fmt::Debug for CardSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardSigner").field("fingerprint", &pki::fingerprint(&self.cert_der).to_hex()).finish()
    }
}

/// Why a parsed certificate may not sign cards, or `Ok` with its uncompressed P-256 point:
/// an end-entity certificate with the VDS-NC barcode-signer extended key usage and a P-256 key.
pub(crate) fn card_signer_key(cert: &X509Certificate<'_>) -> Result<Vec<u8>, String> {
    if cert.is_ca() {
        return Err("it is a CA certificate".into());
    }
    match cert.extended_key_usage() {
        Ok(Some(eku)) if eku.value.other.iter().any(|oid| oid.to_id_string() == CARD_SIGNER_EKU_OID) => {}
        Ok(_) => return Err(format!("its extended key usage lacks {CARD_SIGNER_EKU_OID}")),
        Err(e) => return Err(format!("bad extended key usage extension: {e}")),
    }
    let spki = cert.public_key();
    let is_ec = spki.algorithm.algorithm == OID_KEY_TYPE_EC_PUBLIC_KEY;
    let is_p256 = spki.algorithm.parameters.as_ref().and_then(|p| p.as_oid().ok()).is_some_and(|o| o == OID_EC_P256);
    let point: &[u8] = spki.subject_public_key.data.as_ref();
    if !(is_ec && is_p256 && point.len() == 65 && point[0] == 4) {
        return Err("its key is not an EC P-256 key".into());
    }
    Ok(point.to_vec())
}

impl CardSigner {
    /// Loads a signer from its certificate PEM and its PKCS#8 key PEM, checking that the
    /// certificate is a card signer ([`CARD_SIGNER_EKU_OID`], P-256) and that the key is its key.
    pub fn from_pem(cert_pem: &str, key_pem: &str) -> Result<CardSigner, CardError> {
        let cert_der =
            pki::pem_decode_one(cert_pem, "CERTIFICATE").map_err(|e| CardError::Certificate(e.to_string()))?;
        let point = match X509Certificate::from_der(&cert_der) {
            Ok(([], cert)) => card_signer_key(&cert).map_err(CardError::NotACardSigner)?,
            Ok(_) => return Err(CardError::Certificate("trailing bytes after the certificate".into())),
            Err(e) => return Err(CardError::Certificate(format!("not a DER X.509 certificate: {e}"))),
        };
        let key_der = pki::pem_decode_one(key_pem, "PRIVATE KEY").map_err(|e| CardError::Key(e.to_string()))?;
        let rng = SystemRandom::new();
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &key_der, &rng)
            .map_err(|e| CardError::Key(format!("not a PKCS#8 P-256 key: {e}")))?;
        if key.public_key().as_ref() != point.as_slice() {
            return Err(CardError::KeyMismatch);
        }
        let cer = URL_SAFE_NO_PAD.encode(&cert_der);
        Ok(CardSigner { cert_der, cer, key, rng })
    }

    /// The signer certificate, DER.
    pub fn certificate_der(&self) -> &[u8] {
        &self.cert_der
    }

    /// ES256 over `bytes`: the raw 64-byte r‖s.
    pub(crate) fn sign(&self, bytes: &[u8]) -> Result<Vec<u8>, CardError> {
        self.key.sign(&self.rng, bytes).map(|s| s.as_ref().to_vec()).map_err(|_| CardError::Signing)
    }
}
