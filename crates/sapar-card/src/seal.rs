//! Sealing: the VDS-NC object for a card, signed with ES256 over the RFC 8785 form of `data`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use crate::content::CardContent;
use crate::error::CardError;
use crate::signer::CardSigner;

/// The national VDS-NC type of the migrant card (`data.hdr.t`); ICAO defines only `icao.test`
/// and `icao.vacc`.
pub const CARD_TYPE: &str = "sapar.mc";

/// The VDS-NC version of the seal (`data.hdr.v`).
pub(crate) const CARD_VERSION: u64 = 1;

/// A sealed card: the compact JSON text that the QR code carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    json: String,
}

impl Seal {
    /// The seal as compact JSON text.
    pub fn as_str(&self) -> &str {
        &self.json
    }

    /// The seal's size in bytes (UTF-8), what the QR code must hold.
    pub fn len(&self) -> usize {
        self.json.len()
    }

    /// Always false: a seal is never empty (for clippy's `len_without_is_empty`).
    pub fn is_empty(&self) -> bool {
        self.json.is_empty()
    }

    /// The seal's JSON text.
    pub fn into_string(self) -> String {
        self.json
    }
}

/// The `data` object of `content`'s seal.
pub(crate) fn data_of(content: &CardContent) -> Value {
    json!({
        "hdr": {"t": CARD_TYPE, "v": CARD_VERSION, "is": content.issuing_state.code()},
        "msg": Value::Object(content.to_msg()),
    })
}

/// Seals `content` with `signer`: checks the content, signs the RFC 8785 canonical bytes of
/// `data` with ES256, and writes `{"data":…,"sig":{"alg":"ES256","cer":…,"sigvl":…}}` compactly.
pub fn seal(content: &CardContent, signer: &CardSigner) -> Result<Seal, CardError> {
    content.check().map_err(CardError::Content)?;
    let data = data_of(content);
    let canonical = serde_jcs::to_vec(&data).map_err(|e| CardError::Content(format!("canonical form: {e}")))?;
    let signature = signer.sign(&canonical)?;
    let mut sig = Map::new();
    sig.insert("alg".into(), Value::String("ES256".into()));
    sig.insert("cer".into(), Value::String(signer.cer.clone()));
    sig.insert("sigvl".into(), Value::String(URL_SAFE_NO_PAD.encode(signature)));
    // The canonical text is also compact JSON of `data`, so it is written as is.
    let canonical_text =
        String::from_utf8(canonical).map_err(|_| CardError::Content("canonical form is not UTF-8".into()))?;
    let sig_text = serde_json::to_string(&Value::Object(sig)).map_err(|e| CardError::Content(e.to_string()))?;
    Ok(Seal { json: format!("{{\"data\":{canonical_text},\"sig\":{sig_text}}}") })
}
