//! X.509 for the exchange: PEM, fingerprints, and verification of a signer's certificate chain
//! against a pinned partner CA (signatures, validity at a given time, CA flags, key usage).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jiff::Timestamp;
use x509_parser::certificate::X509Certificate;
use x509_parser::oid_registry::{OID_EC_P256, OID_KEY_TYPE_EC_PUBLIC_KEY};
use x509_parser::prelude::FromDer;

use crate::error::KeyError;
use crate::ids::Sha256Hash;

/// Encodes DER bytes as a PEM block with `label` (64-character lines).
pub fn pem_encode(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Decodes every PEM block labelled `label` in `text`, in order.
pub fn pem_decode_all(text: &str, label: &str) -> Result<Vec<Vec<u8>>, KeyError> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&begin) {
        let after = &rest[start + begin.len()..];
        let stop = after.find(&end).ok_or_else(|| KeyError::Pem(format!("missing {end}")))?;
        let b64: String = after[..stop].chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let der = STANDARD.decode(b64).map_err(|e| KeyError::Pem(format!("bad base64 in {label}: {e}")))?;
        out.push(der);
        rest = &after[stop + end.len()..];
    }
    Ok(out)
}

/// Decodes the single PEM block labelled `label` in `text`.
pub fn pem_decode_one(text: &str, label: &str) -> Result<Vec<u8>, KeyError> {
    let mut all = pem_decode_all(text, label)?;
    match all.len() {
        1 => Ok(all.remove(0)),
        0 => Err(KeyError::Pem(format!("no {label} block"))),
        n => Err(KeyError::Pem(format!("expected one {label} block, found {n}"))),
    }
}

/// SHA-256 of a certificate's DER bytes: the fingerprint used in signatory lists and TLS pins.
pub fn fingerprint(der: &[u8]) -> Sha256Hash {
    Sha256Hash::of(der)
}

/// The facts about a certificate that the exchange uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertSummary {
    pub fingerprint: Sha256Hash,
    pub subject: String,
    pub issuer: String,
    pub not_before: Timestamp,
    pub not_after: Timestamp,
    pub is_ca: bool,
    /// Uncompressed P-256 point (65 bytes), when the key is P-256.
    pub p256_point: Option<Vec<u8>>,
}

fn parse(der: &[u8]) -> Result<X509Certificate<'_>, KeyError> {
    match X509Certificate::from_der(der) {
        Ok(([], cert)) => Ok(cert),
        Ok(_) => Err(KeyError::Certificate("trailing bytes after certificate".into())),
        Err(e) => Err(KeyError::Certificate(format!("not a DER X.509 certificate: {e}"))),
    }
}

fn p256_point(cert: &X509Certificate<'_>) -> Option<Vec<u8>> {
    let spki = cert.public_key();
    let is_ec = spki.algorithm.algorithm == OID_KEY_TYPE_EC_PUBLIC_KEY;
    let is_p256 = spki.algorithm.parameters.as_ref().and_then(|p| p.as_oid().ok()).is_some_and(|o| o == OID_EC_P256);
    let data: &[u8] = spki.subject_public_key.data.as_ref();
    (is_ec && is_p256 && data.len() == 65 && data[0] == 4).then(|| data.to_vec())
}

fn ts(secs: i64) -> Timestamp {
    Timestamp::from_second(secs).unwrap_or(if secs < 0 { Timestamp::MIN } else { Timestamp::MAX })
}

/// How many certificates [`summarize`] and [`check_signing_usage`] remember.
const REMEMBERED_CERTIFICATES: usize = 1024;

/// What is read off a certificate, remembered by its DER bytes: every message and receipt of a
/// signatory or node carries the same few certificates, and parsing them again for each (the
/// signer, the chain's validity, the key usage) was a twentieth of a node's work.
#[derive(Debug, Clone)]
struct CertFacts {
    summary: CertSummary,
    signing_usage: Result<(), ChainError>,
}

fn facts(der: &[u8]) -> Result<CertFacts, KeyError> {
    static REMEMBERED: OnceLock<Mutex<HashMap<Box<[u8]>, CertFacts>>> = OnceLock::new();
    let remembered = REMEMBERED.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(hit) = remembered.lock().ok().and_then(|m| m.get(der).cloned()) {
        return Ok(hit);
    }
    let cert = parse(der)?;
    let facts = CertFacts { summary: summary_of(der, &cert), signing_usage: signing_usage_of(&cert) };
    if let Ok(mut m) = remembered.lock() {
        if m.len() >= REMEMBERED_CERTIFICATES {
            m.clear();
        }
        m.insert(der.into(), facts.clone());
    }
    Ok(facts)
}

/// Parses a DER certificate into its summary.
pub fn summarize(der: &[u8]) -> Result<CertSummary, KeyError> {
    facts(der).map(|f| f.summary)
}

fn summary_of(der: &[u8], cert: &X509Certificate<'_>) -> CertSummary {
    CertSummary {
        fingerprint: fingerprint(der),
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        not_before: ts(cert.validity().not_before.timestamp()),
        not_after: ts(cert.validity().not_after.timestamp()),
        is_ca: cert.is_ca(),
        p256_point: p256_point(cert),
    }
}

/// Why a signer's chain is not acceptable. Each maps to a receiver error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// The chain does not lead to the pinned CA (bad issuer signature, unknown issuer, bad DER).
    #[error("{0}")]
    Untrusted(String),
    /// A certificate of the chain is not valid at the time of signing.
    #[error("{0}")]
    Expired(String),
    /// The signer certificate may not sign messages (key usage, CA flag, key type).
    #[error("{0}")]
    Usage(String),
}

/// How many verified chains [`verify_chain_to_anchor`] remembers.
const VERIFIED_CHAINS: usize = 1024;

/// Verifies that `chain[0]` (the signer) chains to the pinned `anchor_der`, checking each
/// issuer's signature and CA flags. `chain` may end with the anchor itself or stop before it.
/// Returns the signer's summary. Time is not checked here: see [`check_chain_validity`].
///
/// The answer depends on the bytes alone, and every message of a signatory carries the same
/// chain: a chain that verified is remembered (by SHA-256 of the anchor and the chain), so its
/// issuer signatures are not checked again for each message. Failures are not remembered.
pub fn verify_chain_to_anchor(chain: &[Vec<u8>], anchor_der: &[u8]) -> Result<CertSummary, ChainError> {
    static VERIFIED: OnceLock<Mutex<HashMap<Sha256Hash, CertSummary>>> = OnceLock::new();
    let key = {
        let mut bytes = Vec::with_capacity(anchor_der.len() + chain.iter().map(|c| c.len() + 8).sum::<usize>() + 8);
        for der in std::iter::once(anchor_der).chain(chain.iter().map(Vec::as_slice)) {
            bytes.extend_from_slice(&u64::try_from(der.len()).unwrap_or(u64::MAX).to_be_bytes());
            bytes.extend_from_slice(der);
        }
        Sha256Hash::of(&bytes)
    };
    let verified = VERIFIED.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(hit) = verified.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(hit);
    }
    let summary = verify_chain_uncached(chain, anchor_der)?;
    if let Ok(mut m) = verified.lock() {
        if m.len() >= VERIFIED_CHAINS {
            m.clear();
        }
        m.insert(key, summary.clone());
    }
    Ok(summary)
}

fn verify_chain_uncached(chain: &[Vec<u8>], anchor_der: &[u8]) -> Result<CertSummary, ChainError> {
    let untrusted = |m: String| ChainError::Untrusted(m);
    let anchor = parse(anchor_der).map_err(|e| untrusted(format!("pinned CA: {e}")))?;
    if !anchor.is_ca() {
        return Err(untrusted("pinned CA certificate is not a CA".into()));
    }
    let Some(leaf_der) = chain.first() else {
        return Err(untrusted("x5c is empty".into()));
    };
    // A trailing copy of the anchor is allowed and ignored.
    let path: &[Vec<u8>] = match chain.split_last() {
        Some((last, head)) if chain.len() > 1 && last.as_slice() == anchor_der => head,
        _ => chain,
    };
    let certs: Vec<X509Certificate<'_>> = path
        .iter()
        .enumerate()
        .map(|(i, der)| parse(der).map_err(|e| untrusted(format!("x5c[{i}]: {e}"))))
        .collect::<Result<_, _>>()?;
    for (i, cert) in certs.iter().enumerate() {
        let issuer = certs.get(i + 1).unwrap_or(&anchor);
        if cert.issuer() != issuer.subject() {
            return Err(untrusted(format!("x5c[{i}] is issued by {}, not by {}", cert.issuer(), issuer.subject())));
        }
        if !issuer.is_ca() {
            return Err(untrusted(format!("issuer {} is not a CA", issuer.subject())));
        }
        if let Ok(Some(ku)) = issuer.key_usage()
            && !ku.value.key_cert_sign()
        {
            return Err(untrusted(format!("issuer {} may not sign certificates", issuer.subject())));
        }
        // RFC 5280 pathLenConstraint: at most n intermediate CAs below this issuer.
        if let Ok(Some(bc)) = issuer.basic_constraints()
            && let Some(max) = bc.value.path_len_constraint
            && u32::try_from(i).unwrap_or(u32::MAX) > max
        {
            return Err(untrusted(format!(
                "issuer {} allows {max} intermediate CA(s), the chain has {i}",
                issuer.subject()
            )));
        }
        cert.verify_signature(Some(issuer.public_key()))
            .map_err(|_| untrusted(format!("x5c[{i}] signature does not verify with {}", issuer.subject())))?;
    }
    summarize(leaf_der).map_err(|e| untrusted(e.to_string()))
}

/// Checks that every certificate of the chain and the anchor are valid at `at`.
pub fn check_chain_validity(chain: &[Vec<u8>], anchor_der: &[u8], at: Timestamp) -> Result<(), ChainError> {
    for (i, der) in chain.iter().map(Vec::as_slice).chain(std::iter::once(anchor_der)).enumerate() {
        let s = summarize(der).map_err(|e| ChainError::Untrusted(e.to_string()))?;
        if at < s.not_before || at > s.not_after {
            let which = if i < chain.len() { format!("x5c[{i}]") } else { "pinned CA".to_owned() };
            return Err(ChainError::Expired(format!(
                "{which} ({}) is valid from {} to {}, not at {at}",
                s.subject, s.not_before, s.not_after
            )));
        }
    }
    Ok(())
}

/// Checks that a certificate may sign exchange objects: an end-entity P-256 key with the
/// digitalSignature key usage.
pub fn check_signing_usage(der: &[u8]) -> Result<(), ChainError> {
    facts(der).map_err(|e| ChainError::Untrusted(e.to_string()))?.signing_usage
}

fn signing_usage_of(cert: &X509Certificate<'_>) -> Result<(), ChainError> {
    if cert.is_ca() {
        return Err(ChainError::Usage("a CA certificate may not sign messages".into()));
    }
    match cert.key_usage() {
        Ok(Some(ku)) if ku.value.digital_signature() => {}
        Ok(_) => return Err(ChainError::Usage("key usage lacks digitalSignature".into())),
        Err(e) => return Err(ChainError::Usage(format!("bad key usage extension: {e}"))),
    }
    if p256_point(cert).is_none() {
        return Err(ChainError::Usage("signer key is not an EC P-256 key".into()));
    }
    Ok(())
}
