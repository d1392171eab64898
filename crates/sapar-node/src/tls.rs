//! TLS configurations for mutual authentication between partner nodes, with ring as the only
//! crypto provider. Trust is pinned: only the partners' exchange CAs are roots.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{ClientConfig, RootCertStore, ServerConfig};
use sapar_treaty::pki;

use crate::NodeError;

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn tls_err(e: impl std::fmt::Display) -> NodeError {
    NodeError::Tls(e.to_string())
}

/// The node's TLS identity: certificate chain (leaf first) and PKCS#8 key, from PEM.
fn identity(
    cert_pem: &str,
    key_pem: &str,
) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), NodeError> {
    let certs = pki::pem_decode_all(cert_pem, "CERTIFICATE").map_err(|e| NodeError::Key(e.to_string()))?;
    if certs.is_empty() {
        return Err(NodeError::Key("node certificate PEM holds no CERTIFICATE".into()));
    }
    let key = pki::pem_decode_one(key_pem, "PRIVATE KEY").map_err(|e| NodeError::Key(e.to_string()))?;
    Ok((certs.into_iter().map(CertificateDer::from).collect(), PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key))))
}

fn roots(cas: &[Vec<u8>]) -> Result<RootCertStore, NodeError> {
    let mut roots = RootCertStore::empty();
    for ca in cas {
        roots.add(CertificateDer::from(ca.clone())).map_err(tls_err)?;
    }
    Ok(roots)
}

/// Server side: presents the node certificate and requires a client certificate chaining to one
/// of `partner_cas` (DER).
pub fn server_config(
    node_cert_pem: &str,
    node_key_pem: &str,
    partner_cas: &[Vec<u8>],
) -> Result<Arc<ServerConfig>, NodeError> {
    let (certs, key) = identity(node_cert_pem, node_key_pem)?;
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots(partner_cas)?), provider())
        .build()
        .map_err(tls_err)?;
    let config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(tls_err)?
        .with_client_cert_verifier(verifier)
        .with_single_cert(certs, key)
        .map_err(tls_err)?;
    Ok(Arc::new(config))
}

/// Client side: trusts only `partner_ca` (DER) and authenticates with the node certificate.
pub fn client_config(
    node_cert_pem: &str,
    node_key_pem: &str,
    partner_ca: &[u8],
) -> Result<Arc<ClientConfig>, NodeError> {
    let (certs, key) = identity(node_cert_pem, node_key_pem)?;
    let config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(tls_err)?
        .with_root_certificates(roots(&[partner_ca.to_vec()])?)
        .with_client_auth_cert(certs, key)
        .map_err(tls_err)?;
    Ok(Arc::new(config))
}
