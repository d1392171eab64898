//! Keys, a sample card and a way to sign arbitrary `data` with any key, for the tests.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::Timestamp;
use jiff::civil::{Date, date};
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
use sapar_card::{CardContent, CardNumber, CardSigner, Sex};
use sapar_model::Country;
use sapar_treaty::keys::{StateKeys, init_state_keys};
use sapar_treaty::pki;
use serde_json::{Value, json};

pub(crate) fn kaz() -> Country {
    Country::parse("KAZ").expect("KAZ")
}

/// The day the test keys are made: certificates are valid from the day before, for 2 years.
pub(crate) fn keys_day() -> Timestamp {
    "2026-01-10T12:00:00Z".parse().expect("timestamp")
}

/// A day on which the test keys and the sample card are valid.
pub(crate) fn today() -> Date {
    date(2026, 3, 1)
}

pub(crate) fn keys_at(state: &str, at: Timestamp) -> StateKeys {
    init_state_keys(Country::parse(state).expect("state"), &[], at).expect("keys")
}

pub(crate) fn keys() -> StateKeys {
    keys_at("KAZ", keys_day())
}

pub(crate) fn ca_der(keys: &StateKeys) -> Vec<u8> {
    pki::pem_decode_one(&keys.ca.cert_pem, "CERTIFICATE").expect("ca pem")
}

pub(crate) fn signer(keys: &StateKeys) -> CardSigner {
    CardSigner::from_pem(&keys.card_signer.cert_pem, &keys.card_signer.key_pem).expect("card signer")
}

/// A card with a Cyrillic name, valid until 2026-04-10.
pub(crate) fn card() -> CardContent {
    CardContent {
        number: CardNumber::new(kaz(), 1_234_567).expect("number"),
        issuing_state: kaz(),
        surname_latin: "ABDURAKHMANOVA".into(),
        given_names_latin: "GULNARA ZHANYBEKOVNA".into(),
        name_native: Some("Абдурахманова Гульнара Жаныбековна".into()),
        birth_date: date(1991, 7, 14),
        sex: Sex::Female,
        citizenship: Country::parse("KGZ").expect("KGZ"),
        document_number: "AC1234567".into(),
        issued_on: date(2026, 1, 11),
        valid_until: date(2026, 4, 10),
    }
}

/// The seal of `data` signed with any certificate and key: how a forger, or another issuer,
/// would write one.
pub(crate) fn forge(data: &Value, cert_pem: &str, key_pem: &str) -> String {
    let cert = pki::pem_decode_one(cert_pem, "CERTIFICATE").expect("cert");
    let key = pki::pem_decode_one(key_pem, "PRIVATE KEY").expect("key");
    let rng = SystemRandom::new();
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &key, &rng).expect("key pair");
    let canonical = serde_jcs::to_vec(data).expect("jcs");
    let sig = pair.sign(&rng, &canonical).expect("sign");
    json!({"data": data, "sig": {"alg": "ES256", "cer": URL_SAFE_NO_PAD.encode(cert), "sigvl": URL_SAFE_NO_PAD.encode(sig.as_ref())}})
        .to_string()
}

/// The `data` of a seal's JSON text.
pub(crate) fn data_of(seal: &str) -> Value {
    let v: Value = serde_json::from_str(seal).expect("seal json");
    v["data"].clone()
}
