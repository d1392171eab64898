//! Setting a node up from files: the keys directory written by `sapar keys init` (exchange CA,
//! node certificate and key, signatory certificates and keys, `signatories.json`), each partner's
//! pinned CA certificate and the signatory lists it handed over out of band, and the key that
//! seals received payloads at rest. Every check names the file and what is wrong with it, so a
//! node with bad configuration refuses to start instead of failing on its first message.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use ring::hkdf;
use rustls::ServerConfig;
use sapar_model::Country;
use sapar_store::Store;
use sapar_treaty::agreement::AgreementBook;
use sapar_treaty::ids::{AuthorityId, Sha256Hash};
use sapar_treaty::jws::SigningIdentity;
use sapar_treaty::message::{SignatoryEntry, SignatoryList};
use sapar_treaty::pki;
use sapar_treaty::receive::PartnerConfig;
use sapar_treaty::seal::PayloadKey;
use serde_json::Value;
use tokio::net::TcpListener;

use crate::client::Endpoint;
use crate::dispatcher::{Backoff, Dispatcher, Partner};
use crate::receiver::{self, ReceiverNode};
use crate::registry::Registry;
use crate::service::ExchangeService;
use crate::{MESSAGES_PATH, NodeError, log, tls};

/// Configuration that does not hold together; the message names the file or key.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SetupError(String);

fn fail<T>(message: impl Into<String>) -> Result<T, SetupError> {
    Err(SetupError(message.into()))
}

fn read(path: &Path) -> Result<String, SetupError> {
    std::fs::read_to_string(path).map_err(|e| SetupError(format!("cannot read {}: {e}", path.display())))
}

/// One certificate (DER) from a PEM file holding exactly one.
fn read_cert(path: &Path) -> Result<Vec<u8>, SetupError> {
    let der = pki::pem_decode_one(&read(path)?, "CERTIFICATE")
        .map_err(|e| SetupError(format!("{} is not a PEM certificate: {e}", path.display())))?;
    pki::summarize(&der).map_err(|e| SetupError(format!("{} does not parse as X.509: {e}", path.display())))?;
    Ok(der)
}

fn identity(cert: &Path, key: &Path) -> Result<SigningIdentity, SetupError> {
    SigningIdentity::from_pem(&read(cert)?, &read(key)?)
        .map_err(|e| SetupError(format!("{} with {}: {e}", cert.display(), key.display())))
}

/// A signatory of this node's state whose key the node holds.
#[derive(Debug, Clone)]
pub struct LocalSignatory {
    /// The file stem in the keys directory, e.g. `KAZ-MVD-1`.
    pub name: String,
    pub authority: AuthorityId,
    /// The officer's name, as in the certificate.
    pub officer: String,
    pub identity: Arc<SigningIdentity>,
}

/// Destroys received payloads whose retention period ended (Art. 12.4, the embedded rules) when
/// the node starts and every day after, until `shutdown`.
async fn purge_daily(service: Arc<ExchangeService>, shutdown: impl Future<Output = ()>) {
    let book = match crate::retention::RetentionBook::embedded() {
        Ok(book) => book,
        Err(e) => {
            tracing::error!(error = %e, "no retention rules: nothing is purged");
            return;
        }
    };
    tokio::pin!(shutdown);
    loop {
        let now = Timestamp::now();
        let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
        if let Err(e) = service.purge(&book, today, now).await {
            tracing::error!(error = %e, "retention purge failed; retried tomorrow");
        }
        tokio::select! {
            () = &mut shutdown => return,
            () = tokio::time::sleep(std::time::Duration::from_secs(24 * 60 * 60)) => {}
        }
    }
}

/// This node's exchange identity, as read from a keys directory.
#[derive(Clone)]
pub struct LocalKeys {
    pub dir: PathBuf,
    pub state: Country,
    pub node_name: String,
    /// This state's exchange CA (DER): partners pin it.
    pub ca_cert_der: Vec<u8>,
    pub node_cert_pem: String,
    pub node_key_pem: String,
    /// The node certificate and key: mutual TLS, receipts and checkpoints.
    pub node: Arc<SigningIdentity>,
    pub signatories: Vec<LocalSignatory>,
    /// The migrant card's barcode signer (`card-signer.pem`, `card-signer.key.pem`), issued by
    /// this state's CA; `None` in a keys directory made before cards existed.
    pub card_signer: Option<CardSignerPem>,
}

/// The card signer's certificate and PKCS#8 key, as PEM; `sapar_card::CardSigner::from_pem`
/// checks its profile.
#[derive(Clone)]
pub struct CardSignerPem {
    pub cert_pem: String,
    pub key_pem: String,
}

impl std::fmt::Debug for CardSignerPem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardSignerPem").finish_non_exhaustive()
    }
}

/// Reads the card signer from `dir` when both its files are there; one without the other is
/// an error, and so is a certificate not issued by the state's CA.
fn load_card_signer(dir: &Path, ca_cert_der: &[u8]) -> Result<Option<CardSignerPem>, SetupError> {
    let cert_path = dir.join("card-signer.pem");
    let key_path = dir.join("card-signer.key.pem");
    match (cert_path.exists(), key_path.exists()) {
        (false, false) => return Ok(None),
        (true, false) => return fail(format!("{} exists without {}", cert_path.display(), key_path.display())),
        (false, true) => return fail(format!("{} exists without {}", key_path.display(), cert_path.display())),
        (true, true) => {}
    }
    let der = read_cert(&cert_path)?;
    pki::verify_chain_to_anchor(&[der], ca_cert_der)
        .map_err(|e| SetupError(format!("{} is not issued by this state's CA: {e}", cert_path.display())))?;
    Ok(Some(CardSignerPem { cert_pem: read(&cert_path)?, key_pem: read(&key_path)? }))
}

impl std::fmt::Debug for LocalKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalKeys")
            .field("dir", &self.dir)
            .field("state", &self.state)
            .field("node_name", &self.node_name)
            .field("signatories", &self.signatories.iter().map(|s| s.name.as_str()).collect::<Vec<_>>())
            .field("card_signer", &self.card_signer.is_some())
            .finish_non_exhaustive()
    }
}

fn text<'a>(v: &'a Value, key: &str, file: &Path) -> Result<&'a str, SetupError> {
    v.get(key).and_then(Value::as_str).ok_or_else(|| SetupError(format!("{}: `{key}` is missing", file.display())))
}

fn json_file(path: &Path) -> Result<Value, SetupError> {
    serde_json::from_str(&read(path)?).map_err(|e| SetupError(format!("{} is not JSON: {e}", path.display())))
}

fn fingerprint(raw: &str, what: &str, file: &Path) -> Result<Sha256Hash, SetupError> {
    Sha256Hash::parse(raw).map_err(|_| SetupError(format!("{}: {what} {raw:?} is not 64 hex digits", file.display())))
}

/// Reads and cross-checks a keys directory: `ca.pem`, `node.pem`, `node.key.pem` (the node
/// certificate must be issued by the CA and match its key) and `signatories.json` with each
/// signatory's `<stem>.pem` and `<stem>.key.pem` (issued by the CA, of this state).
pub fn load_keys(dir: &Path) -> Result<LocalKeys, SetupError> {
    if !dir.is_dir() {
        return fail(format!("keys directory {} does not exist (create it with `sapar keys init`)", dir.display()));
    }
    let index_path = dir.join("signatories.json");
    let index = json_file(&index_path)?;
    let state_code = text(&index, "state", &index_path)?;
    let state = Country::parse(state_code)
        .map_err(|_| SetupError(format!("{}: state {state_code:?} is not a country code", index_path.display())))?;
    let node_name = text(&index, "node_name", &index_path)?.to_owned();

    let ca_cert_der = read_cert(&dir.join("ca.pem"))?;
    let node_cert_path = dir.join("node.pem");
    let node = identity(&node_cert_path, &dir.join("node.key.pem"))?;
    pki::verify_chain_to_anchor(&[node.certificate().to_vec()], &ca_cert_der).map_err(|e| {
        SetupError(format!("{} is not issued by {}: {e}", node_cert_path.display(), dir.join("ca.pem").display()))
    })?;
    let listed_node = fingerprint(text(&index, "node_sha256", &index_path)?, "node_sha256", &index_path)?;
    if listed_node != node.fingerprint() {
        return fail(format!(
            "{} names node certificate {listed_node}, but {} is {}",
            index_path.display(),
            node_cert_path.display(),
            node.fingerprint()
        ));
    }

    let mut signatories = Vec::new();
    for entry in index.get("signatories").and_then(Value::as_array).into_iter().flatten() {
        let cert_rel = text(entry, "certificate", &index_path)?;
        let stem = cert_rel.strip_suffix(".pem").unwrap_or(cert_rel);
        let cert_path = dir.join(cert_rel);
        let key_path = dir.join(format!("{stem}.key.pem"));
        let raw_authority = text(entry, "authority", &index_path)?;
        let authority = AuthorityId::parse(raw_authority)
            .map_err(|e| SetupError(format!("{}: authority {raw_authority:?}: {e}", index_path.display())))?;
        if authority.state_prefix() != state.code() {
            return fail(format!("{}: signatory of {authority} is not of {state}", index_path.display()));
        }
        let signer = identity(&cert_path, &key_path)?;
        pki::verify_chain_to_anchor(&[signer.certificate().to_vec()], &ca_cert_der)
            .map_err(|e| SetupError(format!("{} is not issued by this state's CA: {e}", cert_path.display())))?;
        let name = Path::new(stem).file_name().map_or_else(|| stem.to_owned(), |n| n.to_string_lossy().into_owned());
        signatories.push(LocalSignatory {
            name,
            authority,
            officer: text(entry, "name", &index_path)?.to_owned(),
            identity: Arc::new(signer),
        });
    }
    if signatories.is_empty() {
        return fail(format!("{} lists no signatory: this node could not sign a message", index_path.display()));
    }
    let card_signer = load_card_signer(dir, &ca_cert_der)?;
    Ok(LocalKeys {
        dir: dir.to_owned(),
        state,
        node_name,
        ca_cert_der,
        node_cert_pem: read(&node_cert_path)?,
        node_key_pem: read(&dir.join("node.key.pem"))?,
        node: Arc::new(node),
        signatories,
        card_signer,
    })
}

/// How received payloads are sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayloadKeySource {
    /// Derived from the node's private key (HKDF-SHA256): nothing more to keep, but a new node
    /// key means a new payload key, so set a key file before rotating the node key.
    DerivedFromNodeKey,
    /// A file holding the 32-byte key as 64 hex digits.
    File(PathBuf),
}

/// The payload key, with an id naming where it came from (`node-<8 hex>` or `file-<8 hex>`).
pub fn payload_key(source: &PayloadKeySource, keys: &LocalKeys) -> Result<PayloadKey, SetupError> {
    match source {
        PayloadKeySource::DerivedFromNodeKey => {
            let der = pki::pem_decode_one(&keys.node_key_pem, "PRIVATE KEY")
                .map_err(|e| SetupError(format!("node key of {}: {e}", keys.dir.display())))?;
            let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, b"sapar-payload-key/1").extract(&der);
            let mut key = [0u8; 32];
            prk.expand(&[b"sapar-seal/1"], hkdf::HKDF_SHA256)
                .and_then(|okm| okm.fill(&mut key))
                .map_err(|_| SetupError("cannot derive the payload key".into()))?;
            let id = format!("node-{}", &keys.node.fingerprint().to_hex()[..8]);
            PayloadKey::new(&id, key).map_err(|e| SetupError(e.to_string()))
        }
        PayloadKeySource::File(path) => {
            let raw = read(path)?;
            let hex = raw.trim();
            if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return fail(format!("{} must hold the payload key as 64 hex digits", path.display()));
            }
            let mut key = [0u8; 32];
            for (i, byte) in key.iter_mut().enumerate() {
                *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)
                    .map_err(|_| SetupError(format!("{} must hold 64 hex digits", path.display())))?;
            }
            let id = format!("file-{}", &Sha256Hash::of(&key).to_hex()[..8]);
            PayloadKey::new(&id, key).map_err(|e| SetupError(e.to_string()))
        }
    }
}

/// A partner as configured: state code, endpoint URL, pinned CA certificate, and the
/// signatory lists (the partner's `signatories.json`) exchanged out of band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerSpec {
    pub state: String,
    /// `https://HOST:PORT`, optionally followed by the message path.
    pub endpoint: String,
    pub ca: PathBuf,
    pub signatories: PathBuf,
    /// Pinned node certificate fingerprints; when empty, the `node_sha256` of `signatories`.
    pub node_sha256: Vec<String>,
    /// Name checked against the partner's TLS certificate; default the endpoint's host.
    pub server_name: Option<String>,
}

/// A partner ready to use.
#[derive(Debug, Clone)]
pub struct PartnerNode {
    pub state: Country,
    pub endpoint: String,
    pub addr: SocketAddr,
    pub server_name: String,
    pub ca_cert_der: Vec<u8>,
    pub node_fingerprints: Vec<Sha256Hash>,
    pub signatory_lists: Vec<SignatoryList>,
}

/// Splits `https://HOST[:PORT][/exchange/v1/messages]` into host and port.
fn parse_endpoint(url: &str) -> Result<(String, u16), String> {
    let rest = url.strip_prefix("https://").ok_or("must start with https://")?;
    let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
    let path = format!("/{path}");
    if path != "/" && path != MESSAGES_PATH {
        return Err(format!("path {path} is not {MESSAGES_PATH}"));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']').ok_or("unclosed [ in the host")?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("has no host".into());
    }
    let port = match port {
        Some(p) => p.parse::<u16>().map_err(|_| format!("port {p:?} is not a number from 0 to 65535"))?,
        None => 443,
    };
    Ok((host.to_owned(), port))
}

/// Reads and checks one partner: the state is a party with `local` to an agreement of `book`,
/// the CA parses and is a CA, the signatory lists were issued under that CA's fingerprint and
/// name authorities of that state, and the endpoint resolves.
pub async fn load_partner(spec: &PartnerSpec, local: Country, book: &AgreementBook) -> Result<PartnerNode, SetupError> {
    let state = Country::parse(&spec.state)
        .map_err(|_| SetupError(format!("partner state {:?} is not an ISO 3166-1 alpha-3 code", spec.state)))?;
    if state == local {
        return fail(format!("partner {state} is this node's own state"));
    }
    if book.between(local, state).next().is_none() {
        return fail(format!("partner {state} is not a party to any agreement with {local}"));
    }
    let ca_cert_der = read_cert(&spec.ca)?;
    let ca = pki::summarize(&ca_cert_der).map_err(|e| SetupError(format!("{}: {e}", spec.ca.display())))?;
    if !ca.is_ca {
        return fail(format!("{} ({}) is not a CA certificate", spec.ca.display(), ca.subject));
    }
    let index = json_file(&spec.signatories)?;
    let file = spec.signatories.as_path();
    let listed_state = text(&index, "state", file)?;
    if listed_state != state.code() {
        return fail(format!("{} is {listed_state}'s signatory list, not {state}'s", file.display()));
    }
    let listed_ca = fingerprint(text(&index, "ca_sha256", file)?, "ca_sha256", file)?;
    if listed_ca != ca.fingerprint {
        return fail(format!(
            "{} was issued under CA {listed_ca}, but the pinned CA {} is {}",
            file.display(),
            spec.ca.display(),
            ca.fingerprint
        ));
    }
    let node_fingerprints = if spec.node_sha256.is_empty() {
        vec![fingerprint(text(&index, "node_sha256", file)?, "node_sha256", file)?]
    } else {
        spec.node_sha256
            .iter()
            .map(|f| {
                Sha256Hash::parse(f)
                    .map_err(|_| SetupError(format!("partner {state}: node_sha256 {f:?} is not 64 hex digits")))
            })
            .collect::<Result<Vec<_>, _>>()?
    };
    let mut by_authority: Vec<(AuthorityId, Vec<SignatoryEntry>)> = Vec::new();
    for entry in index.get("signatories").and_then(Value::as_array).into_iter().flatten() {
        let raw = text(entry, "authority", file)?;
        let authority =
            AuthorityId::parse(raw).map_err(|e| SetupError(format!("{}: authority {raw:?}: {e}", file.display())))?;
        if authority.state_prefix() != state.code() {
            return fail(format!("{}: {authority} is not an authority of {state}", file.display()));
        }
        let signatory = SignatoryEntry {
            name: text(entry, "name", file)?.to_owned(),
            position: text(entry, "position", file)?.to_owned(),
            certificate_sha256: fingerprint(text(entry, "certificate_sha256", file)?, "certificate_sha256", file)?,
        };
        match by_authority.iter_mut().find(|(a, _)| *a == authority) {
            Some((_, list)) => list.push(signatory),
            None => by_authority.push((authority, vec![signatory])),
        }
    }
    if by_authority.is_empty() {
        return fail(format!("{} lists no signatory: no message from {state} could be accepted", file.display()));
    }
    // The first lists are exchanged with the CA certificate: version 1, in force from the start;
    // later versions arrive as signatory_list messages.
    let signatory_lists = by_authority
        .into_iter()
        .map(|(authority, signatories)| SignatoryList {
            authority,
            version: 1,
            effective_from: Timestamp::UNIX_EPOCH,
            signatories,
        })
        .collect();

    let (host, port) = parse_endpoint(&spec.endpoint)
        .map_err(|e| SetupError(format!("partner {state}: endpoint {:?} {e}", spec.endpoint)))?;
    let addr = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|e| SetupError(format!("partner {state}: cannot resolve {host}: {e}")))?
        .next()
        .ok_or_else(|| SetupError(format!("partner {state}: {host} resolves to no address")))?;
    Ok(PartnerNode {
        state,
        endpoint: spec.endpoint.clone(),
        addr,
        server_name: spec.server_name.clone().unwrap_or(host),
        ca_cert_der,
        node_fingerprints,
        signatory_lists,
    })
}

/// Everything a node needs besides its store.
#[derive(Debug, Clone)]
pub struct NodeSettings {
    pub keys: LocalKeys,
    pub payload_key: PayloadKey,
    pub partners: Vec<PartnerNode>,
    pub max_clock_skew: SignedDuration,
    pub backoff: Backoff,
    /// When the message log is signed.
    pub checkpoints: log::CheckpointPolicy,
}

/// A node ready to run: receiver, dispatcher and the officers' service over one store.
#[derive(Debug)]
pub struct ExchangeNode {
    pub receiver: Arc<ReceiverNode>,
    pub dispatcher: Dispatcher,
    pub service: Arc<ExchangeService>,
    /// Agreements and signatory lists as amended at runtime, shared by receiver and service.
    pub registry: Arc<Registry>,
    checkpoints: log::CheckpointPolicy,
    server_tls: Arc<ServerConfig>,
    /// The queries the receiver stores, for the hit/no-hit responder.
    queries: tokio::sync::mpsc::UnboundedReceiver<uuid::Uuid>,
    /// The register's hit check and the agreements answered automatically, when configured.
    hits: Option<(Arc<dyn sapar_register::exchange::HitCheck>, std::collections::BTreeSet<String>)>,
}

impl ExchangeNode {
    /// Builds the TLS configurations and the node's parts. Fails when a partner is configured twice.
    pub fn build(settings: NodeSettings, book: Arc<AgreementBook>, store: Store) -> Result<ExchangeNode, SetupError> {
        let keys = &settings.keys;
        let tls_err = |e: NodeError| SetupError(format!("TLS with the keys of {}: {e}", keys.dir.display()));
        let mut initial_lists = Vec::new();
        let mut partner_configs = Vec::new();
        let mut partners = HashMap::new();
        for p in &settings.partners {
            let client =
                tls::client_config(&keys.node_cert_pem, &keys.node_key_pem, &p.ca_cert_der, &p.node_fingerprints)
                    .map_err(tls_err)?;
            let partner = Partner {
                endpoint: Endpoint { addr: p.addr, server_name: p.server_name.clone(), tls: client },
                ca_cert_der: p.ca_cert_der.clone(),
                node_cert_fingerprints: p.node_fingerprints.clone(),
            };
            if partners.insert(p.state, partner).is_some() {
                return fail(format!("partner {} is configured twice", p.state));
            }
            partner_configs.push(PartnerConfig {
                state: p.state,
                ca_cert_der: p.ca_cert_der.clone(),
                node_cert_fingerprints: p.node_fingerprints.clone(),
            });
            initial_lists.extend(p.signatory_lists.iter().cloned());
        }
        let partner_cas: Vec<Vec<u8>> = settings.partners.iter().map(|p| p.ca_cert_der.clone()).collect();
        let server_tls = tls::server_config(&keys.node_cert_pem, &keys.node_key_pem, &partner_cas).map_err(tls_err)?;
        let registry = Arc::new(Registry::new(book, initial_lists));
        let (query_signal, queries) = tokio::sync::mpsc::unbounded_channel();
        let receiver = Arc::new(ReceiverNode {
            queries: Some(query_signal),
            local_state: keys.state,
            node_name: keys.node_name.clone(),
            registry: Arc::clone(&registry),
            partners: partner_configs,
            node: Arc::clone(&keys.node),
            payload_key: settings.payload_key.clone(),
            max_clock_skew: settings.max_clock_skew,
            store: store.clone(),
        });
        let dispatcher = Dispatcher::new(store.clone(), partners.clone(), settings.backoff)
            .with_signatories(keys.signatories.iter().map(|s| Arc::clone(&s.identity)));
        let service = Arc::new(ExchangeService::new(
            keys,
            Arc::clone(&registry),
            store,
            partners,
            dispatcher.clone(),
            settings.payload_key.clone(),
        ));
        Ok(ExchangeNode {
            receiver,
            dispatcher,
            service,
            registry,
            checkpoints: settings.checkpoints,
            server_tls,
            queries,
            hits: None,
        })
    }

    /// Answers partners' hit/no-hit queries under `agreements` automatically with `check` (the
    /// register), as they are stored and, at start, those left unanswered.
    pub fn with_hit_answers(
        mut self,
        check: Arc<dyn sapar_register::exchange::HitCheck>,
        agreements: impl IntoIterator<Item = String>,
    ) -> ExchangeNode {
        let agreements: std::collections::BTreeSet<String> = agreements.into_iter().collect();
        self.hits = (!agreements.is_empty()).then_some((check, agreements));
        self
    }

    /// Serves the mutual-TLS endpoint on `listener`, delivers the outbox and signs checkpoints of
    /// the message log (by the settings' policy, and at shutdown) until `shutdown`. The signatory
    /// lists and authority changes recorded before are loaded first: a registry that does not
    /// load is an error, and nothing is served.
    pub async fn run(self, listener: TcpListener, shutdown: impl Future<Output = ()>) -> Result<(), NodeError> {
        let loaded = self.registry.reload(&self.receiver.store).await?;
        tracing::info!(generation = loaded.generation, "treaty registry loaded");
        let labelled = self.service.label_outbox().await?;
        if labelled > 0 {
            tracing::info!(labelled, "outgoing messages labelled with their case and type");
        }
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let until_stopped = |mut stopped: tokio::sync::watch::Receiver<bool>| async move {
            let _ = stopped.wait_for(|s| *s).await;
        };
        let delivering = tokio::spawn(self.dispatcher.run(until_stopped(stopped.clone())));
        let checkpoints = log::Checkpointer::new(
            self.receiver.store.clone(),
            Arc::clone(&self.receiver.node),
            &self.receiver.node_name,
            self.checkpoints,
        );
        let signing = tokio::spawn(checkpoints.run(until_stopped(stopped.clone())));
        let purging = tokio::spawn(purge_daily(Arc::clone(&self.service), until_stopped(stopped.clone())));
        let answering = self.hits.map(|(check, agreements)| {
            let responder = crate::hits::HitResponder::new(Arc::clone(&self.service), check, agreements, self.queries);
            tokio::spawn(responder.run(until_stopped(stopped)))
        });
        let served = receiver::serve(listener, self.server_tls, receiver::router(self.receiver), shutdown).await;
        let _ = stop.send(true);
        if let Err(e) = delivering.await {
            tracing::error!(error = %e, "the outbox dispatcher ended abnormally");
        }
        if let Err(e) = signing.await {
            tracing::error!(error = %e, "the log checkpointer ended abnormally");
        }
        if let Err(e) = purging.await {
            tracing::error!(error = %e, "the retention purge ended abnormally");
        }
        if let Some(Err(e)) = match answering {
            Some(task) => Some(task.await),
            None => None,
        } {
            tracing::error!(error = %e, "the hit/no-hit responder ended abnormally");
        }
        served
    }
}
