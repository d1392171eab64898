//! The card signer's certificate follows the ICAO VDS-NC barcode-signer profile, and
//! `docs/card.md` lists every refusal code.

use sapar_card::VerifyError;
use sapar_treaty::pki;
use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;

use crate::support::keys;

#[test]
fn the_card_signer_has_the_barcode_signer_profile() {
    let keys = keys();
    let der = pki::pem_decode_one(&keys.card_signer.cert_pem, "CERTIFICATE").expect("pem");
    let (_, cert) = X509Certificate::from_der(&der).expect("der");
    let oids: Vec<String> = cert.extensions().iter().map(|e| e.oid.to_id_string()).collect();
    assert!(oids.contains(&"2.5.29.35".to_owned()), "authority key identifier: {oids:?}");
    for absent in ["2.5.29.15", "2.5.29.16", "2.5.29.31"] {
        assert!(!oids.contains(&absent.to_owned()), "{absent} present: {oids:?}");
    }
    let eku = cert.extended_key_usage().expect("eku").expect("eku present");
    assert_eq!(eku.value.other.iter().map(|o| o.to_id_string()).collect::<Vec<_>>(), ["2.23.136.1.1.14.2"]);
    let doc_types = cert.extensions().iter().find(|e| e.oid.to_id_string() == "2.23.136.1.1.6.2").expect("doc types");
    // SEQUENCE { INTEGER 0, SET { PrintableString "NM" } }
    assert_eq!(doc_types.value, [0x30, 0x09, 0x02, 0x01, 0x00, 0x31, 0x04, 0x13, 0x02, b'N', b'M']);
    assert!(!cert.is_ca());
    let ca = pki::pem_decode_one(&keys.ca.cert_pem, "CERTIFICATE").expect("ca");
    assert!(pki::verify_chain_to_anchor(&[der], &ca).is_ok());
}

#[test]
fn docs_card_md_lists_every_refusal_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/card.md");
    let doc = std::fs::read_to_string(&path).expect("docs/card.md");
    for code in VerifyError::CODES {
        assert!(doc.contains(&format!("| `{code}` |")), "docs/card.md does not list `{code}` in its table");
    }
}
