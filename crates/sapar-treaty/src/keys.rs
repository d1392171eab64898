//! Demo and test keys: a state's exchange CA, the node's TLS certificate (server and client,
//! also used to sign receipts and log checkpoints), signatory certificates for officers and the
//! migrant card's barcode signer (ICAO VDS-NC).
//! Everything is returned as PEM strings; writing files is the caller's job.

use jiff::Timestamp;
use jiff::ToSpan;
use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SerialNumber,
};
use sapar_model::Country;

use crate::agreement::AgreementBook;
use crate::error::KeyError;
use crate::ids::{AuthorityId, Sha256Hash};
use crate::pki;

/// An officer to issue a signatory certificate for (Art. 10.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    pub authority: AuthorityId,
    pub name: String,
    pub position: String,
}

/// A certificate with its private key, as PEM, and the certificate's fingerprint.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedCert {
    pub cert_pem: String,
    /// PKCS#8 `PRIVATE KEY` PEM.
    pub key_pem: String,
    pub fingerprint: Sha256Hash,
}

impl std::fmt::Debug for IssuedCert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IssuedCert({})", self.fingerprint)
    }
}

/// A signatory's certificate and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatoryKeys {
    pub officer: Officer,
    pub cert: IssuedCert,
}

/// A state's exchange keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateKeys {
    pub state: Country,
    /// The node name, also a DNS SAN of the TLS certificate (e.g. `sapar-kaz`).
    pub node_name: String,
    /// The exchange CA (to be pinned by partners).
    pub ca: IssuedCert,
    /// The node certificate: TLS server and client authentication, and signing of receipts and
    /// log checkpoints. SANs: `localhost`, `127.0.0.1` and the node name.
    pub node: IssuedCert,
    pub signatories: Vec<SignatoryKeys>,
    /// The migrant card's barcode signer (ICAO VDS-NC profile, see [`CARD_SIGNER_EKU`]).
    pub card_signer: IssuedCert,
}

/// The extended key usage of an ICAO VDS-NC barcode signer (Doc 9303-12, 2.23.136.1.1.14.2).
pub const CARD_SIGNER_EKU: [u64; 7] = [2, 23, 136, 1, 1, 14, 2];

/// The ICAO document-type-list extension (Doc 9303-12, 2.23.136.1.1.6.2).
pub const DOC_TYPE_LIST_OID: [u64; 7] = [2, 23, 136, 1, 1, 6, 2];

/// The document type a card signer may sign, listed in its document-type-list extension. `NM`
/// is national (ICAO assigns no code to a migrant card): N for a non-travel document as in
/// ICAO's `NV` and `NT`, M for migrant. See `docs/card.md`.
pub const CARD_DOC_TYPE: &str = "NM";

/// DER of `SEQUENCE { version INTEGER 0, docTypeList SET OF PrintableString }` holding one
/// document type (ICAO Doc 9303-12, document type list).
fn doc_type_list_der(doc_type: &str) -> Vec<u8> {
    let bytes = doc_type.as_bytes();
    // Short-form lengths suffice: a document type is a few characters.
    let printable = [&[0x13, bytes.len() as u8][..], bytes].concat();
    let set = [&[0x31, printable.len() as u8][..], &printable].concat();
    let version = [0x02, 0x01, 0x00];
    let body = [&version[..], &set].concat();
    [&[0x30, body.len() as u8][..], &body].concat()
}

/// The node name used for a state's demo node: `sapar-` and the lower-case state code.
pub fn node_name(state: Country) -> String {
    format!("sapar-{}", state.code().to_ascii_lowercase())
}

/// One demo officer per competent authority of `state` in any agreement of the book.
pub fn demo_officers(book: &AgreementBook, state: Country) -> Vec<Officer> {
    let mut out: Vec<Officer> = Vec::new();
    for a in book.iter() {
        for auth in a.authorities().iter().filter(|x| x.state == state) {
            if !out.iter().any(|o| o.authority == auth.id) {
                out.push(Officer {
                    authority: auth.id.clone(),
                    name: format!("Demo Signatory {}", auth.id),
                    position: "authorised signatory (Art. 10.3)".into(),
                });
            }
        }
    }
    out
}

fn gen_err(e: rcgen::Error) -> KeyError {
    KeyError::Generation(e.to_string())
}

fn serial(label: &str, now: Timestamp) -> SerialNumber {
    serial_of_len(label, now, 16)
}

/// A positive serial of `len` bytes (at most 32) derived from `label` and `now`.
fn serial_of_len(label: &str, now: Timestamp, len: usize) -> SerialNumber {
    let h = Sha256Hash::of(format!("{label}\n{now}").as_bytes());
    let mut bytes = h.as_bytes()[..len].to_vec();
    bytes[0] &= 0x7f;
    bytes[0] |= 0x01;
    SerialNumber::from_slice(&bytes)
}

fn ymd(ts: Timestamp) -> Result<(i32, u8, u8), KeyError> {
    let d = ts.to_zoned(jiff::tz::TimeZone::UTC).date();
    let month = u8::try_from(d.month()).map_err(|_| KeyError::Generation("month out of range".into()))?;
    let day = u8::try_from(d.day()).map_err(|_| KeyError::Generation("day out of range".into()))?;
    Ok((i32::from(d.year()), month, day))
}

fn validity(params: &mut CertificateParams, now: Timestamp, years: i64) -> Result<(), KeyError> {
    let range = |_| KeyError::Generation("validity out of range".into());
    let (y, m, d) = ymd(now.checked_sub(24.hours()).map_err(range)?)?;
    params.not_before = rcgen::date_time_ymd(y, m, d);
    let (y, m, d) = ymd(now.checked_add((years * 365 * 24).hours()).map_err(range)?)?;
    params.not_after = rcgen::date_time_ymd(y, m, d);
    Ok(())
}

fn dn(state: Country, common_name: &str, unit: Option<&str>) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, format!("Sapar exchange {}", state.code()));
    if let Some(u) = unit {
        dn.push(DnType::OrganizationalUnitName, u);
    }
    dn.push(DnType::CommonName, common_name);
    dn
}

/// Creates a state's exchange CA, the node certificate and one signatory certificate per officer,
/// valid from the day before `now` (CA 10 years, others 2 years).
pub fn init_state_keys(state: Country, officers: &[Officer], now: Timestamp) -> Result<StateKeys, KeyError> {
    let node = node_name(state);

    let ca_key = KeyPair::generate().map_err(gen_err)?;
    let mut ca_params = CertificateParams::default();
    ca_params.distinguished_name = dn(state, &format!("Sapar exchange CA {}", state.code()), None);
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca_params.serial_number = Some(serial(&format!("ca {state}"), now));
    validity(&mut ca_params, now, 10)?;
    let ca_cert = ca_params.self_signed(&ca_key).map_err(gen_err)?;
    let ca = IssuedCert {
        cert_pem: ca_cert.pem(),
        key_pem: ca_key.serialize_pem(),
        fingerprint: pki::fingerprint(ca_cert.der()),
    };
    let issuer = Issuer::new(ca_params, ca_key);

    let node_key = KeyPair::generate().map_err(gen_err)?;
    let mut node_params =
        CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned(), node.clone()]).map_err(gen_err)?;
    node_params.distinguished_name = dn(state, &node, Some("node"));
    node_params.is_ca = IsCa::ExplicitNoCa;
    node_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    node_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
    node_params.use_authority_key_identifier_extension = true;
    node_params.serial_number = Some(serial(&format!("node {node}"), now));
    validity(&mut node_params, now, 2)?;
    let node_cert = node_params.signed_by(&node_key, &issuer).map_err(gen_err)?;
    let node_issued = IssuedCert {
        cert_pem: node_cert.pem(),
        key_pem: node_key.serialize_pem(),
        fingerprint: pki::fingerprint(node_cert.der()),
    };

    let mut signatories = Vec::with_capacity(officers.len());
    for officer in officers {
        if officer.authority.state_prefix() != state.code() {
            return Err(KeyError::Generation(format!("officer's authority {} is not of {state}", officer.authority)));
        }
        let key = KeyPair::generate().map_err(gen_err)?;
        let mut params = CertificateParams::default();
        params.distinguished_name = dn(state, &officer.name, Some(officer.authority.as_str()));
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::ContentCommitment];
        params.use_authority_key_identifier_extension = true;
        params.serial_number = Some(serial(&format!("signatory {} {}", officer.authority, officer.name), now));
        validity(&mut params, now, 2)?;
        let cert = params.signed_by(&key, &issuer).map_err(gen_err)?;
        signatories.push(SignatoryKeys {
            officer: officer.clone(),
            cert: IssuedCert {
                cert_pem: cert.pem(),
                key_pem: key.serialize_pem(),
                fingerprint: pki::fingerprint(cert.der()),
            },
        });
    }

    let card_signer = issue_card_signer(state, &issuer, now)?;

    Ok(StateKeys { state, node_name: node, ca, node: node_issued, signatories, card_signer })
}

/// Issues the card's barcode signer under `issuer` with the ICAO VDS-NC profile: P-256, the
/// extended key usage [`CARD_SIGNER_EKU`], the document-type list with [`CARD_DOC_TYPE`], an
/// authority key identifier, and no key usage, private key usage period or CRL distribution
/// points. Valid from the day before `now`, for 2 years. The subject is kept short because the
/// certificate travels inside every seal.
fn issue_card_signer(state: Country, issuer: &Issuer<'_, KeyPair>, now: Timestamp) -> Result<IssuedCert, KeyError> {
    let key = KeyPair::generate().map_err(gen_err)?;
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, format!("Sapar card signer {}", state.code()));
    params.distinguished_name = name;
    params.is_ca = IsCa::NoCa;
    params.key_usages = Vec::new();
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::Other(CARD_SIGNER_EKU.to_vec())];
    params.custom_extensions =
        vec![CustomExtension::from_oid_content(&DOC_TYPE_LIST_OID, doc_type_list_der(CARD_DOC_TYPE))];
    params.use_authority_key_identifier_extension = true;
    // 8 bytes, not 16: the certificate is in every seal, and a seal must fit a QR code.
    params.serial_number = Some(serial_of_len(&format!("card signer {state}"), now, 8));
    validity(&mut params, now, 2)?;
    let cert = params.signed_by(&key, issuer).map_err(gen_err)?;
    Ok(IssuedCert { cert_pem: cert.pem(), key_pem: key.serialize_pem(), fingerprint: pki::fingerprint(cert.der()) })
}

impl StateKeys {
    /// The files a `keys init` command writes, as (relative path, contents): `ca.pem`,
    /// `ca.key.pem`, `node.pem`, `node.key.pem`, `card-signer.pem`, `card-signer.key.pem`,
    /// `signatories/<AUTHORITY>-<n>.pem` and
    /// `.key.pem` for each signatory (n from 1 per authority), and `signatories.json` with each
    /// signatory's authority, name, position and certificate fingerprint (the content of the
    /// initial signatory lists exchanged out of band). Private keys are in files ending in
    /// `.key.pem`, which the caller should create readable by the owner only.
    pub fn files(&self) -> Vec<(String, String)> {
        let mut out = vec![
            ("ca.pem".to_owned(), self.ca.cert_pem.clone()),
            ("ca.key.pem".to_owned(), self.ca.key_pem.clone()),
            ("node.pem".to_owned(), self.node.cert_pem.clone()),
            ("node.key.pem".to_owned(), self.node.key_pem.clone()),
            ("card-signer.pem".to_owned(), self.card_signer.cert_pem.clone()),
            ("card-signer.key.pem".to_owned(), self.card_signer.key_pem.clone()),
        ];
        let mut counts: Vec<(&AuthorityId, usize)> = Vec::new();
        let mut listed = Vec::new();
        for s in &self.signatories {
            let n = match counts.iter_mut().find(|(a, _)| *a == &s.officer.authority) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    counts.push((&s.officer.authority, 1));
                    1
                }
            };
            let stem = format!("signatories/{}-{n}", s.officer.authority);
            out.push((format!("{stem}.pem"), s.cert.cert_pem.clone()));
            out.push((format!("{stem}.key.pem"), s.cert.key_pem.clone()));
            listed.push(serde_json::json!({
                "authority": s.officer.authority.as_str(),
                "name": s.officer.name,
                "position": s.officer.position,
                "certificate_sha256": s.cert.fingerprint.to_hex(),
                "certificate": format!("{stem}.pem"),
            }));
        }
        let index = serde_json::json!({
            "state": self.state.code(),
            "node_name": self.node_name,
            "ca_sha256": self.ca.fingerprint.to_hex(),
            "node_sha256": self.node.fingerprint.to_hex(),
            "signatories": listed,
        });
        out.push((
            "signatories.json".to_owned(),
            format!("{}\n", serde_json::to_string_pretty(&index).unwrap_or_default()),
        ));
        out
    }
}
