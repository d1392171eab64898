//! Keys, certificates, receipts and payload sealing.

use sapar_model::Country;
use sapar_treaty::error::{SealError, SignedObjectError};
use sapar_treaty::ids::Sha256Hash;
use sapar_treaty::jws::SigningIdentity;
use sapar_treaty::keys::{demo_officers, init_state_keys};
use sapar_treaty::pki;
use sapar_treaty::receipt::{sign_receipt, verify_receipt};
use sapar_treaty::seal::{PayloadKey, open, seal};

use crate::fixture::*;

#[test]
fn state_keys_chain_to_the_state_ca_with_the_right_usages() {
    let w = world();
    let ca = der(&w.kaz.ca.cert_pem);
    let ca_summary = pki::summarize(&ca).unwrap();
    assert!(ca_summary.is_ca);
    assert_eq!(ca_summary.fingerprint, w.kaz.ca.fingerprint);
    let node = der(&w.kaz.node.cert_pem);
    let s = pki::verify_chain_to_anchor(std::slice::from_ref(&node), &ca).unwrap();
    assert!(!s.is_ca);
    assert!(s.subject.contains("sapar-kaz"), "{}", s.subject);
    let signatory = der(&w.kaz.signatories[0].cert.cert_pem);
    pki::verify_chain_to_anchor(&[signatory.clone(), ca.clone()], &ca).unwrap();
    pki::check_signing_usage(&signatory).unwrap();
    pki::check_chain_validity(std::slice::from_ref(&signatory), &ca, now()).unwrap();
    assert!(pki::check_chain_validity(std::slice::from_ref(&signatory), &ca, ts("2030-01-01T00:00:00Z")).is_err());
    // Another state's CA does not anchor it.
    assert!(pki::verify_chain_to_anchor(&[signatory], &der(&w.kgz.ca.cert_pem)).is_err());
}

#[test]
fn node_certificate_names_localhost_and_the_node() {
    let w = world();
    let text = String::from_utf8_lossy(&der(&w.kaz.node.cert_pem)).into_owned();
    assert!(text.contains("localhost"));
    assert!(text.contains("sapar-kaz"));
    assert_eq!(w.kaz.node_name, "sapar-kaz");
}

#[test]
fn demo_officers_cover_every_authority_of_the_state() {
    let officers = demo_officers(&world().book, Country::KAZ);
    let ids: Vec<&str> = officers.iter().map(|o| o.authority.as_str()).collect();
    assert_eq!(ids, ["KAZ-MVD", "KAZ-MTSZN"]);
    let keys = init_state_keys(Country::KAZ, &officers, now()).unwrap();
    assert_eq!(keys.signatories.len(), 2);
    let foreign = demo_officers(&world().book, Country::KGZ);
    assert!(init_state_keys(Country::KAZ, &foreign, now()).is_err());
}

#[test]
fn a_key_must_match_its_certificate() {
    let w = world();
    let wrong = SigningIdentity::from_pem(&w.kaz.signatories[0].cert.cert_pem, &w.kaz.node.key_pem);
    assert!(wrong.is_err());
    assert!(SigningIdentity::from_pem("no pem here", &w.kaz.node.key_pem).is_err());
}

#[test]
fn receipts_verify_against_the_partner_ca_and_node() {
    let w = world();
    let m = request();
    let jws = sign_receipt(m.header.id, m.hash, now(), "sapar-kaz", &node_identity(&w.kaz)).unwrap();
    let ca = der(&w.kaz.ca.cert_pem);
    let r = verify_receipt(&jws, &ca, &[w.kaz.node.fingerprint]).unwrap();
    assert_eq!((r.message_id, r.message_hash, r.received_at), (m.header.id, m.hash, now()));
    assert_eq!(r.receiver, "sapar-kaz");
    // A receipt signed by a signatory, not the node, is refused; so is one under another CA.
    assert!(matches!(verify_receipt(&jws, &ca, &[Sha256Hash::of(b"x")]), Err(SignedObjectError::Certificate(_))));
    assert!(matches!(
        verify_receipt(&jws, &der(&w.kgz.ca.cert_pem), &[w.kaz.node.fingerprint]),
        Err(SignedObjectError::Certificate(_))
    ));
    // A message is not a receipt.
    assert!(matches!(verify_receipt(&m.jws, &ca, &[w.kaz.node.fingerprint]), Err(SignedObjectError::Header(_))));
}

#[test]
fn sealed_payloads_open_only_with_key_and_context() {
    let k1 = PayloadKey::new("k2025-10", [7u8; 32]).unwrap();
    let k2 = PayloadKey::generate("k2025-11").unwrap();
    let sealed = seal(&k1, "Бакиров Алмаз".as_bytes(), b"message-id-1").unwrap();
    assert!(sealed.starts_with("sapar-seal/1.k2025-10."));
    assert_eq!(open(&[k2.clone(), k1.clone()], &sealed, b"message-id-1").unwrap(), "Бакиров Алмаз".as_bytes());
    assert_eq!(open(std::slice::from_ref(&k1), &sealed, b"message-id-2"), Err(SealError::Decrypt));
    assert_eq!(
        open(std::slice::from_ref(&k2), &sealed, b"message-id-1"),
        Err(SealError::UnknownKey("k2025-10".into()))
    );
    let mut chars: Vec<char> = sealed.chars().collect();
    let i = chars.len() - 10;
    chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
    let tampered: String = chars.into_iter().collect();
    assert_eq!(open(std::slice::from_ref(&k1), &tampered, b"message-id-1"), Err(SealError::Decrypt));
    // Two seals of the same text differ (random nonce).
    assert_ne!(seal(&k1, b"x", b"").unwrap(), seal(&k1, b"x", b"").unwrap());
    assert!(PayloadKey::new("bad id", [0; 32]).is_err());
}

#[test]
fn keys_init_lists_every_file_with_keys_apart() {
    let files = world().kgz.files();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "ca.pem",
            "ca.key.pem",
            "node.pem",
            "node.key.pem",
            "card-signer.pem",
            "card-signer.key.pem",
            "signatories/KGZ-GMS-1.pem",
            "signatories/KGZ-GMS-1.key.pem",
            "signatories/KGZ-GMS-2.pem",
            "signatories/KGZ-GMS-2.key.pem",
            "signatories/KGZ-MVD-1.pem",
            "signatories/KGZ-MVD-1.key.pem",
            "signatories.json",
        ]
    );
    for (name, content) in &files {
        assert_eq!(name.ends_with(".key.pem"), content.contains("PRIVATE KEY"), "{name}");
    }
    let index: serde_json::Value = serde_json::from_str(&files.last().unwrap().1).unwrap();
    assert_eq!(index["signatories"][2]["authority"], "KGZ-MVD");
    assert_eq!(index["node_sha256"], world().kgz.node.fingerprint.to_hex());
}

fn ca_params(name: &str, constraint: rcgen::BasicConstraints) -> rcgen::CertificateParams {
    let mut p = rcgen::CertificateParams::default();
    p.distinguished_name = rcgen::DistinguishedName::new();
    p.distinguished_name.push(rcgen::DnType::CommonName, name);
    p.is_ca = rcgen::IsCa::Ca(constraint);
    p.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign];
    p
}

/// Root -> intermediate -> leaf, the root limited by `root_constraint`.
fn three_level(root_constraint: rcgen::BasicConstraints) -> (Vec<u8>, Vec<Vec<u8>>) {
    let root_key = rcgen::KeyPair::generate().unwrap();
    let root_params = ca_params("root", root_constraint);
    let root = root_params.self_signed(&root_key).unwrap();
    let root_issuer = rcgen::Issuer::new(root_params, root_key);
    let int_key = rcgen::KeyPair::generate().unwrap();
    let int_params = ca_params("intermediate", rcgen::BasicConstraints::Constrained(0));
    let int = int_params.signed_by(&int_key, &root_issuer).unwrap();
    let int_issuer = rcgen::Issuer::new(int_params, int_key);
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let mut leaf_params = rcgen::CertificateParams::default();
    leaf_params.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature];
    let leaf = leaf_params.signed_by(&leaf_key, &int_issuer).unwrap();
    (root.der().to_vec(), vec![leaf.der().to_vec(), int.der().to_vec()])
}

#[test]
fn intermediate_cas_respect_the_roots_path_length() {
    let (root, chain) = three_level(rcgen::BasicConstraints::Unconstrained);
    assert!(pki::verify_chain_to_anchor(&chain, &root).is_ok());
    // The leaf alone does not reach the root.
    assert!(pki::verify_chain_to_anchor(&chain[..1], &root).is_err());
    let (root, chain) = three_level(rcgen::BasicConstraints::Constrained(0));
    let err = pki::verify_chain_to_anchor(&chain, &root).unwrap_err();
    assert!(err.to_string().contains("intermediate"), "{err}");
}
