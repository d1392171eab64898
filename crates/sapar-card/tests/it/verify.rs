//! Sealing and verification: the round trip, each refusal in its order, and the canonical form.

use jiff::ToSpan;
use jiff::civil::date;
use sapar_card::{CardError, CardSigner, VerifyError, seal, verify};
use serde_json::{Value, json};

use crate::support::{ca_der, card, data_of, forge, keys, keys_at, keys_day, signer, today};

fn code(result: Result<sapar_card::VerifiedCard, VerifyError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

#[test]
fn a_sealed_card_verifies_and_gives_back_its_content() {
    let keys = keys();
    let sealed = seal(&card(), &signer(&keys)).expect("seal");
    let verified = verify(sealed.as_str().as_bytes(), &ca_der(&keys), today()).expect("verifies");
    assert_eq!(verified.content, card());
    assert_eq!(verified.signer_subject, "CN=Sapar card signer KAZ");
    assert_eq!(verified.signer_fingerprint, keys.card_signer.fingerprint.to_hex());
}

#[test]
fn the_seal_is_a_vds_nc_object_of_the_card_type() {
    let keys = keys();
    let sealed = seal(&card(), &signer(&keys)).expect("seal");
    let v: Value = serde_json::from_str(sealed.as_str()).expect("json");
    assert_eq!(v["data"]["hdr"], json!({"t": "sapar.mc", "v": 1, "is": "KAZ"}));
    assert_eq!(v["data"]["msg"]["no"], "KAZ0012345673");
    assert_eq!(v["data"]["msg"]["dob"], "1991-07-14");
    assert_eq!(v["data"]["msg"]["vu"], "2026-04-10");
    assert_eq!(v["sig"]["alg"], "ES256");
    assert_eq!(serde_json::to_string(&v).expect("compact"), sealed.as_str(), "written compactly");
}

#[test]
fn a_seal_with_a_cyrillic_name_fits_qr_version_25_at_level_m() {
    // Version 25 at level M holds 997 bytes in byte mode.
    let sealed = seal(&card(), &signer(&keys())).expect("seal");
    assert!(sealed.len() <= 997, "the seal is {} bytes", sealed.len());
}

#[test]
fn a_tampered_message_is_refused_as_bad_signature() {
    let keys = keys();
    let sealed = seal(&card(), &signer(&keys)).expect("seal").into_string();
    let tampered = sealed.replace("\"vu\":\"2026-04-10\"", "\"vu\":\"2027-04-10\"");
    assert_ne!(tampered, sealed);
    assert_eq!(code(verify(tampered.as_bytes(), &ca_der(&keys), today())), "bad_signature");
}

#[test]
fn a_tampered_signature_is_refused_as_bad_signature() {
    let keys = keys();
    let sealed = seal(&card(), &signer(&keys)).expect("seal").into_string();
    let mut v: Value = serde_json::from_str(&sealed).expect("json");
    let sigvl = v["sig"]["sigvl"].as_str().expect("sigvl").to_owned();
    let flipped = match sigvl.strip_prefix('A') {
        Some(rest) => format!("B{rest}"),
        None => format!("A{}", &sigvl[1..]),
    };
    v["sig"]["sigvl"] = Value::String(flipped);
    assert_eq!(code(verify(v.to_string().as_bytes(), &ca_der(&keys), today())), "bad_signature");
    v["sig"]["sigvl"] = Value::String("AAAA".into());
    assert_eq!(code(verify(v.to_string().as_bytes(), &ca_der(&keys), today())), "bad_signature");
}

#[test]
fn a_card_signed_under_another_states_ca_is_refused_as_foreign_ca() {
    let ours = keys();
    let theirs = keys_at("KGZ", keys_day());
    let sealed = seal(&card(), &signer(&theirs)).expect("seal");
    let err = verify(sealed.as_str().as_bytes(), &ca_der(&ours), today()).expect_err("foreign");
    assert_eq!(err.code(), "foreign_ca", "{err}");
}

#[test]
fn a_signer_without_the_barcode_signer_usage_is_refused() {
    let keys = keys();
    // The node certificate chains to the same CA but has no VDS-NC usage.
    let data = data_of(seal(&card(), &signer(&keys)).expect("seal").as_str());
    let forged = forge(&data, &keys.node.cert_pem, &keys.node.key_pem);
    let err = verify(forged.as_bytes(), &ca_der(&keys), today()).expect_err("not a card signer");
    assert_eq!(err.code(), "not_a_card_signer", "{err}");
    let refused = CardSigner::from_pem(&keys.node.cert_pem, &keys.node.key_pem).expect_err("refused");
    assert!(matches!(refused, CardError::NotACardSigner(_)), "{refused}");
}

#[test]
fn a_signer_key_that_is_not_the_certificates_is_refused() {
    let keys = keys();
    let refused = CardSigner::from_pem(&keys.card_signer.cert_pem, &keys.node.key_pem).expect_err("refused");
    assert_eq!(refused, CardError::KeyMismatch);
}

#[test]
fn an_expired_card_is_refused_but_its_data_is_reported() {
    let keys = keys();
    let sealed = seal(&card(), &signer(&keys)).expect("seal");
    let ca = ca_der(&keys);
    assert_eq!(code(verify(sealed.as_str().as_bytes(), &ca, date(2026, 4, 10))), "ok", "valid on its last day");
    let err = verify(sealed.as_str().as_bytes(), &ca, date(2026, 4, 11)).expect_err("expired");
    assert_eq!(err.code(), "expired");
    assert_eq!(err.expired_card().map(|c| c.content.clone()), Some(card()));
}

#[test]
fn a_signer_certificate_out_of_its_validity_is_refused() {
    // Keys made in 2020 hold a card signer valid until early 2022.
    let old = keys_at("KAZ", "2020-01-10T12:00:00Z".parse().expect("ts"));
    let mut content = card();
    content.issued_on = date(2020, 1, 11);
    content.valid_until = date(2030, 1, 1);
    let sealed = seal(&content, &signer(&old)).expect("seal");
    let ca = ca_der(&old);
    assert_eq!(code(verify(sealed.as_str().as_bytes(), &ca, date(2021, 6, 1))), "ok");
    assert_eq!(code(verify(sealed.as_str().as_bytes(), &ca, date(2023, 1, 1))), "signer_expired");
    assert_eq!(code(verify(sealed.as_str().as_bytes(), &ca, date(2020, 1, 1))), "signer_expired");
}

#[test]
fn another_vds_nc_type_is_refused_as_unknown_type() {
    let keys = keys();
    let data = json!({"hdr": {"t": "icao.vacc", "v": 1, "is": "KAZ"}, "msg": {"pid": {"n": "X"}}});
    let forged = forge(&data, &keys.card_signer.cert_pem, &keys.card_signer.key_pem);
    assert_eq!(code(verify(forged.as_bytes(), &ca_der(&keys), today())), "unknown_type");
    let data = json!({"hdr": {"t": "sapar.mc", "v": 2, "is": "KAZ"}, "msg": {}});
    let forged = forge(&data, &keys.card_signer.cert_pem, &keys.card_signer.key_pem);
    assert_eq!(code(verify(forged.as_bytes(), &ca_der(&keys), today())), "unknown_type");
}

#[test]
fn text_that_is_not_json_or_not_a_seal_is_refused_precisely() {
    let ca = ca_der(&keys());
    assert_eq!(code(verify(b"KAZ0012345673", &ca, today())), "not_json");
    assert_eq!(code(verify(b"", &ca, today())), "not_json");
    assert_eq!(code(verify(b"[1,2]", &ca, today())), "not_a_seal");
    assert_eq!(code(verify(br#"{"data":{"hdr":{},"msg":{}}}"#, &ca, today())), "not_a_seal");
    let no_alg =
        br#"{"data":{"hdr":{"t":"sapar.mc","v":1,"is":"KAZ"},"msg":{}},"sig":{"alg":"RS256","cer":"","sigvl":""}}"#;
    assert_eq!(code(verify(no_alg, &ca, today())), "not_a_seal");
}

#[test]
fn a_seal_with_a_repeated_member_name_is_not_a_seal() {
    let keys = keys();
    let sealed = seal(&card(), &signer(&keys)).expect("seal").into_string();
    // A second `vu` after the signed one: readers keeping the last copy would see another card.
    let doubled = sealed.replace("\"vu\":\"2026-04-10\"", "\"vu\":\"2026-04-10\",\"vu\":\"2030-01-01\"");
    assert_ne!(doubled, sealed);
    let err = verify(doubled.as_bytes(), &ca_der(&keys), today()).expect_err("repeated name");
    assert_eq!(err.code(), "not_a_seal", "{err}");
    assert!(err.to_string().contains("\"vu\" appears twice"), "{err}");
}

#[test]
fn a_certificate_that_does_not_decode_is_bad_certificate() {
    let keys = keys();
    let sealed = seal(&card(), &signer(&keys)).expect("seal").into_string();
    let mut v: Value = serde_json::from_str(&sealed).expect("json");
    v["sig"]["cer"] = Value::String("MIIB".into());
    assert_eq!(code(verify(v.to_string().as_bytes(), &ca_der(&keys), today())), "bad_certificate");
    v["sig"]["cer"] = Value::String("not base64!".into());
    assert_eq!(code(verify(v.to_string().as_bytes(), &ca_der(&keys), today())), "bad_certificate");
}

#[test]
fn a_genuinely_signed_but_malformed_message_is_bad_message() {
    let keys = keys();
    let good = data_of(seal(&card(), &signer(&keys)).expect("seal").as_str());
    let cases: [(&str, Value); 6] = [
        ("dob", json!("1991-13-01")),
        ("dob", json!(19910714)),
        ("sx", json!("Q")),
        ("no", json!("KAZ0012345674")),
        ("vu", json!("2025-01-01")),
        ("extra", json!("x")),
    ];
    for (field, value) in cases {
        let mut data = good.clone();
        data["msg"][field] = value.clone();
        let forged = forge(&data, &keys.card_signer.cert_pem, &keys.card_signer.key_pem);
        let err = verify(forged.as_bytes(), &ca_der(&keys), today()).expect_err("bad message");
        assert_eq!(err.code(), "bad_message", "{field}={value}: {err}");
    }
    let mut data = good.clone();
    data["msg"].as_object_mut().expect("msg").remove("sn");
    let forged = forge(&data, &keys.card_signer.cert_pem, &keys.card_signer.key_pem);
    assert_eq!(code(verify(forged.as_bytes(), &ca_der(&keys), today())), "bad_message");
    let mut data = good;
    data["hdr"]["is"] = json!("KGZ");
    let forged = forge(&data, &keys.card_signer.cert_pem, &keys.card_signer.key_pem);
    assert_eq!(code(verify(forged.as_bytes(), &ca_der(&keys), today())), "bad_message");
}

/// Writes `v` with its object keys in reverse order and with whitespace everywhere JSON allows.
fn reordered(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let parts: Vec<String> =
                m.iter().rev().map(|(k, v)| format!("\n  {} :\t{}", Value::String(k.clone()), reordered(v))).collect();
            format!("{{ {} \n}}", parts.join(" ,"))
        }
        other => other.to_string(),
    }
}

#[test]
fn key_order_and_whitespace_do_not_change_what_is_verified() {
    let keys = keys();
    let sealed = seal(&card(), &signer(&keys)).expect("seal").into_string();
    let v: Value = serde_json::from_str(&sealed).expect("json");
    let rewritten = reordered(&v);
    assert_ne!(rewritten, sealed);
    let verified = verify(rewritten.as_bytes(), &ca_der(&keys), today()).expect("still verifies");
    assert_eq!(verified.content, card());
    // Unicode escapes are the same string in the canonical form.
    let escaped = sealed.replace(
        "Абдурахманова",
        "\\u0410\\u0431\\u0434\\u0443\\u0440\\u0430\\u0445\\u043c\\u0430\\u043d\\u043e\\u0432\\u0430",
    );
    assert_ne!(escaped, sealed);
    assert_eq!(code(verify(escaped.as_bytes(), &ca_der(&keys), today())), "ok");
}

#[test]
fn sealing_refuses_content_that_breaks_the_rules() {
    let s = signer(&keys());
    let mut c = card();
    c.valid_until = c.issued_on.checked_sub(1.day()).expect("date");
    assert!(matches!(seal(&c, &s), Err(CardError::Content(_))));
    let mut c = card();
    c.surname_latin = "Абдурахманова".into();
    assert!(matches!(seal(&c, &s), Err(CardError::Content(_))));
    let mut c = card();
    c.issuing_state = sapar_model::Country::parse("KGZ").expect("KGZ");
    assert!(matches!(seal(&c, &s), Err(CardError::Content(_))));
    let mut c = card();
    c.document_number = "ac 123".into();
    assert!(matches!(seal(&c, &s), Err(CardError::Content(_))));
}

#[test]
fn every_error_code_is_listed_once() {
    let mut codes = VerifyError::CODES.to_vec();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), VerifyError::CODES.len());
    assert!(VerifyError::CODES.iter().all(|c| c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
}
