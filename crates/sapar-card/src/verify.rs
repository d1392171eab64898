//! Offline verification of a seal against the issuing state's pinned CA, the checks in the
//! order `docs/card.md` gives them.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use ring::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};
use sapar_model::Country;
use sapar_treaty::pki;
use serde_json::{Map, Value};
use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;

use crate::content::CardContent;
use crate::error::VerifyError;
use crate::seal::{CARD_TYPE, CARD_VERSION};
use crate::signer::card_signer_key;

/// JSON read as a `Value`, refusing an object with a repeated member name: RFC 8785 takes
/// I-JSON, where names are unique, and two readers keeping different copies of a repeated name
/// would see different cards under one signature.
struct UniqueNames(Value);

impl<'de> serde::Deserialize<'de> for UniqueNames {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UniqueNamesVisitor).map(UniqueNames)
    }
}

struct UniqueNamesVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueNamesVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(UniqueNames(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(name) = map.next_key::<String>()? {
            let UniqueNames(v) = map.next_value()?;
            if out.contains_key(&name) {
                return Err(serde::de::Error::custom(format!("member {name:?} appears twice in one object")));
            }
            out.insert(name, v);
        }
        Ok(Value::Object(out))
    }
}

/// A card whose seal verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCard {
    pub content: CardContent,
    /// The signer certificate's subject, e.g. `CN=Sapar card signer KAZ`.
    pub signer_subject: String,
    /// SHA-256 of the signer certificate, lower-case hex.
    pub signer_fingerprint: String,
}

fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>, VerifyError> {
    v.as_object().ok_or_else(|| VerifyError::NotASeal(format!("{path} is not an object")))
}

fn member<'a>(obj: &'a Map<String, Value>, key: &str, path: &str) -> Result<&'a Value, VerifyError> {
    obj.get(key).ok_or_else(|| VerifyError::NotASeal(format!("{path}.{key} is missing")))
}

fn string<'a>(obj: &'a Map<String, Value>, key: &str, path: &str) -> Result<&'a str, VerifyError> {
    member(obj, key, path)?.as_str().ok_or_else(|| VerifyError::NotASeal(format!("{path}.{key} is not a string")))
}

/// The calendar day (UTC) of a certificate time.
fn day(secs: i64) -> Date {
    let ts = Timestamp::from_second(secs).unwrap_or(if secs < 0 { Timestamp::MIN } else { Timestamp::MAX });
    ts.to_zoned(TimeZone::UTC).date()
}

/// Verifies a seal (its JSON bytes) against the pinned CA certificate `ca_der` on the day
/// `today`. The checks, in order:
///
/// 1. JSON (`not_json`), shaped as a VDS-NC seal with `alg` ES256 and no member name repeated
///    in an object (`not_a_seal`), of type
///    [`CARD_TYPE`] version 1 (`unknown_type`);
/// 2. `cer` is a base64url DER certificate (`bad_certificate`) that chains to the CA
///    (`foreign_ca`), has the barcode-signer usage and a P-256 key (`not_a_card_signer`), and
///    is, with the CA, valid on `today` (`signer_expired`);
/// 3. `sigvl` is an ES256 signature over the RFC 8785 canonical bytes of `data`
///    (`bad_signature`);
/// 4. the message's fields are well formed and the card number is of the issuing state
///    (`bad_message`);
/// 5. the card's last valid day is not before `today` (`expired`, which keeps the card's data).
pub fn verify(seal_json: &[u8], ca_der: &[u8], today: Date) -> Result<VerifiedCard, VerifyError> {
    // 1. The shape.
    let root: Value = serde_json::from_slice(seal_json).map_err(|e| VerifyError::NotJson(e.to_string()))?;
    serde_json::from_slice::<UniqueNames>(seal_json).map_err(|e| VerifyError::NotASeal(e.to_string()))?;
    let root = object(&root, "the seal")?;
    let data = member(root, "data", "seal")?;
    let data_obj = object(data, "data")?;
    let hdr = object(member(data_obj, "hdr", "data")?, "data.hdr")?;
    let msg = object(member(data_obj, "msg", "data")?, "data.msg")?;
    let sig = object(member(root, "sig", "seal")?, "sig")?;
    let alg = string(sig, "alg", "sig")?;
    if alg != "ES256" {
        return Err(VerifyError::NotASeal(format!("sig.alg is {alg:?}, not \"ES256\"")));
    }
    let cer = string(sig, "cer", "sig")?;
    let sigvl = string(sig, "sigvl", "sig")?;
    let kind = string(hdr, "t", "data.hdr")?;
    if kind != CARD_TYPE {
        return Err(VerifyError::UnknownType(format!("data.hdr.t is {kind:?}, a card is {CARD_TYPE:?}")));
    }
    match member(hdr, "v", "data.hdr")?.as_u64() {
        Some(CARD_VERSION) => {}
        _ => return Err(VerifyError::UnknownType(format!("data.hdr.v is not {CARD_VERSION}"))),
    }
    let issuer_code = string(hdr, "is", "data.hdr")?;

    // 2. The signer.
    let cert_der = URL_SAFE_NO_PAD
        .decode(cer)
        .map_err(|e| VerifyError::BadCertificate(format!("sig.cer is not base64url without padding: {e}")))?;
    let cert = match X509Certificate::from_der(&cert_der) {
        Ok(([], cert)) => cert,
        Ok(_) => return Err(VerifyError::BadCertificate("trailing bytes after the certificate".into())),
        Err(e) => return Err(VerifyError::BadCertificate(format!("not a DER X.509 certificate: {e}"))),
    };
    pki::verify_chain_to_anchor(std::slice::from_ref(&cert_der), ca_der)
        .map_err(|e| VerifyError::ForeignCa(e.to_string()))?;
    let point = card_signer_key(&cert).map_err(VerifyError::NotACardSigner)?;
    let (from, to) = (day(cert.validity().not_before.timestamp()), day(cert.validity().not_after.timestamp()));
    if today < from || today > to {
        return Err(VerifyError::SignerExpired(format!(
            "{} is valid from {from} to {to}, not on {today}",
            cert.subject()
        )));
    }
    if let Ok(ca) = pki::summarize(ca_der) {
        let (from, to) = (ca.not_before.to_zoned(TimeZone::UTC).date(), ca.not_after.to_zoned(TimeZone::UTC).date());
        if today < from || today > to {
            return Err(VerifyError::SignerExpired(format!("the CA is valid from {from} to {to}, not on {today}")));
        }
    }

    // 3. The signature.
    let signature = URL_SAFE_NO_PAD
        .decode(sigvl)
        .map_err(|e| VerifyError::BadSignature(format!("sig.sigvl is not base64url without padding: {e}")))?;
    if signature.len() != 64 {
        return Err(VerifyError::BadSignature(format!("sig.sigvl is {} bytes, ES256 r||s is 64", signature.len())));
    }
    let canonical = serde_jcs::to_vec(data).map_err(|e| VerifyError::BadSignature(format!("canonical form: {e}")))?;
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point)
        .verify(&canonical, &signature)
        .map_err(|_| VerifyError::BadSignature("ES256 over the canonical data does not verify".into()))?;

    // 4. The message.
    let issuing_state = Country::parse(issuer_code)
        .ok()
        .filter(|c| c.is_state() && issuer_code.bytes().all(|b| b.is_ascii_uppercase()))
        .ok_or_else(|| VerifyError::BadMessage(format!("data.hdr.is {issuer_code:?} is not a state code")))?;
    let content = CardContent::from_msg(msg, issuing_state).map_err(VerifyError::BadMessage)?;
    let card = VerifiedCard {
        content,
        signer_subject: cert.subject().to_string(),
        signer_fingerprint: pki::fingerprint(&cert_der).to_hex(),
    };

    // 5. The card's validity.
    if card.content.valid_until < today {
        return Err(VerifyError::Expired(Box::new(card)));
    }
    Ok(card)
}
