//! JWS (RFC 7515) compact serialisation with ES256 and an `x5c` certificate chain: signing with
//! a PKCS#8 P-256 key, parsing, and verifying the signature with the leaf certificate's key.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, UnparsedPublicKey};
use serde::{Deserialize, Serialize};

use crate::error::KeyError;
use crate::ids::Sha256Hash;
use crate::pki;

/// The only algorithm accepted.
pub const ALG: &str = "ES256";

/// A private key and the certificate chain that goes into `x5c` (leaf first).
pub struct SigningIdentity {
    key: EcdsaKeyPair,
    chain: Vec<Vec<u8>>,
}

impl std::fmt::Debug for SigningIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        write!(f, "SigningIdentity({})", self.fingerprint())
    }
}

impl SigningIdentity {
    /// Builds an identity from PEM: `certs_pem` holds the leaf certificate first (optionally
    /// followed by its issuers), `key_pem` a PKCS#8 `PRIVATE KEY` for P-256 matching the leaf.
    pub fn from_pem(certs_pem: &str, key_pem: &str) -> Result<SigningIdentity, KeyError> {
        let chain = pki::pem_decode_all(certs_pem, "CERTIFICATE")?;
        if chain.is_empty() {
            return Err(KeyError::Pem("no CERTIFICATE block".into()));
        }
        let key_der = pki::pem_decode_one(key_pem, "PRIVATE KEY")?;
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &key_der, &SystemRandom::new())
            .map_err(|e| KeyError::PrivateKey(format!("not a PKCS#8 P-256 key: {e}")))?;
        let leaf = pki::summarize(&chain[0])?;
        use ring::signature::KeyPair as _;
        if leaf.p256_point.as_deref() != Some(key.public_key().as_ref()) {
            return Err(KeyError::PrivateKey("key does not match the certificate".into()));
        }
        Ok(SigningIdentity { key, chain })
    }

    /// The leaf certificate (DER).
    pub fn certificate(&self) -> &[u8] {
        &self.chain[0]
    }

    /// The chain as given (leaf first).
    pub fn chain(&self) -> &[Vec<u8>] {
        &self.chain
    }

    /// SHA-256 fingerprint of the leaf certificate.
    pub fn fingerprint(&self) -> Sha256Hash {
        pki::fingerprint(&self.chain[0])
    }

    /// Raw ES256 signature (r || s, 64 bytes) over `input`.
    pub fn sign_raw(&self, input: &[u8]) -> Result<Vec<u8>, KeyError> {
        let sig = self.key.sign(&SystemRandom::new(), input).map_err(|_| KeyError::Signing)?;
        Ok(sig.as_ref().to_vec())
    }
}

#[derive(Serialize, Deserialize)]
struct HeaderOut<'a> {
    alg: &'a str,
    typ: &'a str,
    x5c: Vec<String>,
}

/// Signs `payload` as a compact JWS: `b64url(header).b64url(payload).b64url(signature)` with
/// header `{"alg":"ES256","typ":typ,"x5c":[...]}`.
pub fn sign_compact(payload: &[u8], typ: &str, signer: &SigningIdentity) -> Result<String, KeyError> {
    let header = HeaderOut { alg: ALG, typ, x5c: signer.chain.iter().map(|c| STANDARD.encode(c)).collect() };
    let header_json = serde_json::to_vec(&header).map_err(|_| KeyError::Signing)?;
    let mut input = URL_SAFE_NO_PAD.encode(header_json);
    input.push('.');
    input.push_str(&URL_SAFE_NO_PAD.encode(payload));
    let sig = signer.sign_raw(input.as_bytes())?;
    input.push('.');
    input.push_str(&URL_SAFE_NO_PAD.encode(sig));
    Ok(input)
}

/// What is wrong with a JWS before its signature is looked at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwsFormatError {
    /// Not three dot-separated non-empty parts.
    #[error("{0}")]
    Truncated(String),
    /// Bad base64url, header not a JSON object, bad x5c entries.
    #[error("{0}")]
    Malformed(String),
    /// `alg` is not ES256, `typ` unexpected, `crit` present, `x5c` missing.
    #[error("{0}")]
    UnsupportedHeader(String),
}

/// A parsed compact JWS whose signature has not been verified yet.
#[derive(Debug, Clone)]
pub struct ParsedJws<'a> {
    /// `typ` from the protected header.
    pub typ: String,
    /// The certificate chain from `x5c` (DER, leaf first).
    pub x5c: Vec<Vec<u8>>,
    /// The decoded payload: the exact bytes that were signed (after base64url).
    pub payload: Vec<u8>,
    signing_input: &'a str,
    signature: Vec<u8>,
}

/// Largest JWS accepted, in bytes.
pub const MAX_JWS_BYTES: usize = 4 * 1024 * 1024;

fn b64url(part: &str, what: &str) -> Result<Vec<u8>, JwsFormatError> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|e| JwsFormatError::Malformed(format!("{what} is not base64url without padding: {e}")))
}

/// Parses a compact JWS and its protected header, requiring `alg = ES256`, the given `typ`,
/// a non-empty `x5c` and no `crit`.
pub fn parse_compact<'a>(text: &'a str, expected_typ: &str) -> Result<ParsedJws<'a>, JwsFormatError> {
    let text = text.trim_end_matches(['\r', '\n']);
    if text.len() > MAX_JWS_BYTES {
        return Err(JwsFormatError::Malformed(format!("JWS is larger than {MAX_JWS_BYTES} bytes")));
    }
    let parts: Vec<&str> = text.split('.').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(JwsFormatError::Truncated(format!(
            "compact JWS needs three non-empty parts separated by '.', found {} part(s)",
            parts.iter().filter(|p| !p.is_empty()).count()
        )));
    }
    let header_bytes = b64url(parts[0], "protected header")?;
    let header: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&header_bytes)
        .map_err(|e| JwsFormatError::Malformed(format!("protected header is not a JSON object: {e}")))?;
    let alg = header.get("alg").and_then(|v| v.as_str());
    if alg != Some(ALG) {
        return Err(JwsFormatError::UnsupportedHeader(format!("alg must be {ALG}, got {alg:?}")));
    }
    if header.contains_key("crit") {
        return Err(JwsFormatError::UnsupportedHeader("crit is not supported".into()));
    }
    let typ = header.get("typ").and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    // RFC 7515 section 4.1.9: "application/" may be omitted from a media type in typ.
    let bare = if typ.len() > 12 && typ[..12].eq_ignore_ascii_case("application/") { &typ[12..] } else { typ.as_str() };
    if !bare.eq_ignore_ascii_case(expected_typ) {
        return Err(JwsFormatError::UnsupportedHeader(format!("typ must be {expected_typ:?}, got {typ:?}")));
    }
    let x5c_values = header
        .get("x5c")
        .and_then(|v| v.as_array())
        .filter(|a| !a.is_empty())
        .ok_or_else(|| JwsFormatError::UnsupportedHeader("x5c must be a non-empty array".into()))?;
    let mut x5c = Vec::with_capacity(x5c_values.len());
    for (i, v) in x5c_values.iter().enumerate() {
        let s = v.as_str().ok_or_else(|| JwsFormatError::Malformed(format!("x5c[{i}] is not a string")))?;
        let der = STANDARD.decode(s).map_err(|e| JwsFormatError::Malformed(format!("x5c[{i}] is not base64: {e}")))?;
        x5c.push(der);
    }
    let payload = b64url(parts[1], "payload")?;
    let signature = b64url(parts[2], "signature")?;
    let signing_input = &text[..parts[0].len() + 1 + parts[1].len()];
    Ok(ParsedJws { typ, x5c, payload, signing_input, signature })
}

impl ParsedJws<'_> {
    /// Verifies the ES256 signature with the public key of `x5c[0]`. Certificate trust is a
    /// separate step ([`pki::verify_chain_to_anchor`]).
    pub fn verify_signature(&self) -> Result<pki::CertSummary, String> {
        let leaf = pki::summarize(&self.x5c[0]).map_err(|e| format!("x5c[0]: {e}"))?;
        let point = leaf.p256_point.as_deref().ok_or("x5c[0] does not hold an EC P-256 key")?;
        if self.signature.len() != 64 {
            return Err(format!("ES256 signature must be 64 bytes, got {}", self.signature.len()));
        }
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point)
            .verify(self.signing_input.as_bytes(), &self.signature)
            .map_err(|_| "ES256 signature does not verify with the x5c[0] key".to_owned())?;
        Ok(leaf)
    }
}
