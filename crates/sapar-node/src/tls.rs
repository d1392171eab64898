//! TLS configurations for mutual authentication between partner nodes, with ring as the only
//! crypto provider. Trust is pinned: only the partners' exchange CAs are roots, and as a client a
//! node talks only to a server presenting one of the partner's pinned node certificates — a
//! certificate the partner CA issued for another purpose (a signatory's, say) is not enough to
//! receive personal data.

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::server::WebPkiClientVerifier;
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, ServerConfig, SignatureScheme};
use sapar_treaty::ids::Sha256Hash;
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

/// The partner's server certificate: valid under its pinned CA (the WebPKI checks, name
/// included), and one of its pinned node certificates.
#[derive(Debug)]
struct PinnedServer {
    chain: Arc<WebPkiServerVerifier>,
    nodes: Vec<Sha256Hash>,
}

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verified = self.chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)?;
        if self.nodes.contains(&pki::fingerprint(end_entity.as_ref())) {
            Ok(verified)
        } else {
            Err(rustls::Error::InvalidCertificate(CertificateError::ApplicationVerificationFailure))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.chain.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.chain.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.chain.supported_verify_schemes()
    }
}

/// Client side: talks only to a server presenting one of `partner_nodes` (SHA-256 of the node
/// certificates' DER) issued under `partner_ca` (DER), and authenticates with the node
/// certificate. No pinned node is an error: the CA alone does not say which server to trust.
pub fn client_config(
    node_cert_pem: &str,
    node_key_pem: &str,
    partner_ca: &[u8],
    partner_nodes: &[Sha256Hash],
) -> Result<Arc<ClientConfig>, NodeError> {
    if partner_nodes.is_empty() {
        return Err(NodeError::Tls("no pinned node certificate for the partner".into()));
    }
    let (certs, key) = identity(node_cert_pem, node_key_pem)?;
    let chain = WebPkiServerVerifier::builder_with_provider(Arc::new(roots(&[partner_ca.to_vec()])?), provider())
        .build()
        .map_err(tls_err)?;
    let verifier = PinnedServer { chain, nodes: partner_nodes.to_vec() };
    let config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(tls_err)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_client_auth_cert(certs, key)
        .map_err(tls_err)?;
    Ok(Arc::new(config))
}
