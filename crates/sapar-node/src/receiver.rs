//! The receiving side: `POST /exchange/v1/messages` behind mutual TLS. Each message goes through
//! the treaty's ordered receiver checks against a snapshot of the store and the node's registry
//! (agreements and signatory lists as of the store's registry generation); an accepted message is
//! committed (inbox row with sealed payload and receipt, channel head, case, log entry, and the
//! signatory list or authority change it carries) before its signed receipt is returned, and a
//! duplicate is answered with the stored receipt.

use std::future::Future;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use jiff::{SignedDuration, Timestamp};
use rustls::ServerConfig;
use sapar_model::Country;
use sapar_store::Store;
use sapar_store::exchange::RegistryChange;
use sapar_store::exchange::{CaseRow, HeadRow, IncomingMessage, IncomingOutcome};
use sapar_treaty::case::CaseState;
use sapar_treaty::codes::ErrorCode;
use sapar_treaty::ids::{AuthorityId, CaseId, ChannelId, MessageId, Sha256Hash};
use sapar_treaty::jws::{self, SigningIdentity};
use sapar_treaty::log::LogDirection;
use sapar_treaty::message::{self, Body as MessageBody, Header, SignatoryList};
use sapar_treaty::receive::{
    self, CaseRecord, ChannelHead, Outcome, PartnerConfig, ReceiverConfig, ReceiverState, Rejection, SignatoryBook,
    TlsPeer,
};
use sapar_treaty::seal::{self, PayloadKey};
use sapar_treaty::{pki, receipt, wire};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::registry::{self, Registry};
use crate::{JOSE, MESSAGES_PATH, NodeError, log};

/// The largest accepted request body.
pub const MAX_BODY: usize = 4 * 1024 * 1024;

/// How often a message is checked again when its channel moved while it was being stored.
const HEAD_RETRIES: usize = 3;

/// What the receiving node knows and holds.
pub struct ReceiverNode {
    pub local_state: Country,
    /// The name that goes into receipts (the node certificate's name).
    pub node_name: String,
    /// Agreements and signatory lists, kept up to date with what the store records.
    pub registry: Arc<Registry>,
    pub partners: Vec<PartnerConfig>,
    /// The node key: signs receipts.
    pub node: Arc<SigningIdentity>,
    /// Seals payloads at rest.
    pub payload_key: PayloadKey,
    pub max_clock_skew: SignedDuration,
    pub store: Store,
}

impl std::fmt::Debug for ReceiverNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceiverNode").field("local_state", &self.local_state).finish_non_exhaustive()
    }
}

/// Why a message got no receipt.
#[derive(Debug, thiserror::Error)]
pub enum ReceiveFailure {
    #[error(transparent)]
    Rejected(#[from] Rejection),
    #[error(transparent)]
    Node(#[from] NodeError),
}

impl From<sapar_store::StoreError> for ReceiveFailure {
    fn from(e: sapar_store::StoreError) -> ReceiveFailure {
        ReceiveFailure::Node(e.into())
    }
}

/// The store's view at the moment of checking one message.
struct Snapshot<'a> {
    seen: Option<(MessageId, Sha256Hash)>,
    head: Option<(ChannelId, ChannelHead)>,
    case: Option<(CaseId, CaseRecord)>,
    /// The store's registry generation at the time of the read.
    registry_generation: i64,
    signatories: Option<&'a SignatoryBook>,
}

impl ReceiverState for Snapshot<'_> {
    fn seen(&self, id: &MessageId) -> Option<Sha256Hash> {
        self.seen.as_ref().filter(|(s, _)| s == id).map(|(_, h)| *h)
    }
    fn channel_head(&self, channel: &ChannelId) -> Option<ChannelHead> {
        self.head.as_ref().filter(|(c, _)| c == channel).map(|(_, h)| *h)
    }
    fn case(&self, id: &CaseId) -> Option<CaseRecord> {
        self.case.as_ref().filter(|(c, _)| c == id).map(|(_, r)| *r)
    }
    fn signatory_list(&self, authority: &AuthorityId, at: Timestamp) -> Option<SignatoryList> {
        self.signatories.and_then(|b| b.in_force(authority, at)).cloned()
    }
}

fn state_of(authority: &AuthorityId) -> Option<Country> {
    Country::parse(authority.state_prefix()).ok()
}

/// The channel a header travels on.
pub fn channel_of(header: &Header) -> Option<ChannelId> {
    Some(ChannelId {
        agreement: header.agreement.clone(),
        from_state: state_of(&header.from)?,
        to_state: state_of(&header.to)?,
    })
}

/// The header of a signed message, read without any check (to know what to look up).
fn peek_header(jws_text: &str) -> Option<Header> {
    let parsed = jws::parse_compact(jws_text, wire::TYP_MESSAGE).ok()?;
    message::parse_envelope(&parsed.payload).ok().map(|(h, _, _)| h)
}

fn corrupt(what: &str) -> NodeError {
    NodeError::Corrupt(what.to_owned())
}

impl ReceiverNode {
    async fn snapshot(&self, jws_text: &str) -> Result<Snapshot<'_>, NodeError> {
        let mut snap = Snapshot { seen: None, head: None, case: None, registry_generation: 0, signatories: None };
        let Some(header) = peek_header(jws_text) else {
            snap.registry_generation = self.registry.current().generation;
            return Ok(snap);
        };
        let channel = channel_of(&header);
        let view = self
            .store
            .receiver_view(
                header.id.as_uuid(),
                channel.as_ref().map(ToString::to_string).as_deref(),
                header.case_id.as_uuid(),
            )
            .await?;
        snap.registry_generation = view.registry_generation;
        if let Some(hash) = view.seen_hash {
            let hash = Sha256Hash::parse(&hash).map_err(|_| corrupt("inbox message hash"))?;
            snap.seen = Some((header.id, hash));
        }
        if let (Some(channel), Some(h)) = (channel, view.head) {
            let head = ChannelHead {
                seq: u64::try_from(h.seq).map_err(|_| corrupt("channel head seq"))?,
                hash: Sha256Hash::parse(&h.hash).map_err(|_| corrupt("channel head hash"))?,
            };
            snap.head = Some((channel, head));
        }
        if let Some(c) = view.case {
            let record = CaseRecord {
                state: CaseState::parse(&c.state).ok_or_else(|| corrupt("case state"))?,
                opened_by: Country::parse(&c.opened_by).map_err(|_| corrupt("case opened_by"))?,
            };
            snap.case = Some((header.case_id, record));
        }
        Ok(snap)
    }

    /// Checks and stores one message from `peer`; returns the signed receipt (JWS).
    pub async fn receive(&self, peer: &TlsPeer, jws_text: &str) -> Result<String, ReceiveFailure> {
        for _ in 0..HEAD_RETRIES {
            let now = Timestamp::now();
            let mut snap = self.snapshot(jws_text).await?;
            let registry = self.registry.at(&self.store, snap.registry_generation).await?;
            snap.signatories = Some(&registry.signatories);
            let config = ReceiverConfig {
                local_state: self.local_state,
                book: &registry.book,
                partners: &self.partners,
                max_clock_skew: self.max_clock_skew,
            };
            let accepted = match receive::receive(&config, &snap, peer, jws_text, now)? {
                Outcome::Duplicate { id, .. } => {
                    let e =
                        self.store.inbox_entry(id.as_uuid()).await?.ok_or_else(|| corrupt("duplicate not in inbox"))?;
                    return Ok(e.receipt);
                }
                Outcome::Accepted(a) => a,
            };
            let h = &accepted.message.header;
            let receipt = receipt::sign_receipt(h.id, accepted.hash, now, &self.node_name, &self.node)
                .map_err(|e| NodeError::Key(e.to_string()))?;
            let sealed = seal::seal(&self.payload_key, &accepted.payload, h.id.to_string().as_bytes())
                .map_err(|e| NodeError::Key(e.to_string()))?;
            let expected = snap.head.as_ref().filter(|(c, _)| c == &accepted.channel).map(|(_, head)| HeadRow {
                seq: i64::try_from(head.seq).unwrap_or(i64::MAX),
                hash: head.hash.to_hex(),
            });
            let opened_by = snap.case.as_ref().map_or(accepted.partner, |(_, c)| c.opened_by);
            let row = IncomingMessage {
                message_id: h.id.as_uuid(),
                message_hash: accepted.hash.to_hex(),
                channel: accepted.channel.to_string(),
                seq: i64::try_from(h.seq).map_err(|_| corrupt("seq beyond i64"))?,
                case_id: h.case_id.as_uuid(),
                agreement: h.agreement.to_string(),
                from_authority: h.from.to_string(),
                to_authority: h.to.to_string(),
                message_type: accepted.message.message_type.as_str().to_owned(),
                created_at: h.created_at,
                received_at: now,
                signer: accepted.signer.fingerprint.to_hex(),
                signatory_list_version: i64::from(accepted.signatory_list_version),
                sealed_payload: sealed,
                receipt: receipt.clone(),
                case: CaseRow {
                    agreement: h.agreement.to_string(),
                    opened_by: opened_by.code().to_owned(),
                    state: accepted.case_state.as_str().to_owned(),
                },
            };
            let chain = log::chain_fn(log::record(
                now,
                LogDirection::Received,
                accepted.channel.clone(),
                h.seq,
                h.id,
                accepted.hash,
            ));
            let change = match &accepted.message.body {
                MessageBody::SignatoryList(list) => Some(RegistryChange::SignatoryList(registry::row_of_list(list))),
                MessageBody::AuthorityChange(c) => {
                    Some(RegistryChange::AuthorityChange(registry::row_of_change(&h.agreement, c)))
                }
                _ => None,
            };
            let records = change.is_some();
            match self.store.store_incoming_recorded(row, expected, registry.generation, change, chain).await? {
                IncomingOutcome::Stored => {
                    if records {
                        // The next message would reload it anyway; the officers' side reads it too.
                        if let Err(e) = self.registry.reload(&self.store).await {
                            tracing::error!(error = %e, "registry not reloaded after a change was recorded");
                        }
                        tracing::info!(id = %h.id, r#type = accepted.message.message_type.as_str(), "registry change recorded");
                    }
                    return Ok(receipt);
                }
                IncomingOutcome::AlreadyStored { message_hash, receipt } => {
                    if message_hash == accepted.hash.to_hex() {
                        return Ok(receipt);
                    }
                    return Err(Rejection {
                        code: ErrorCode::ReplayConflict,
                        message: format!("message {} was received before with other content", h.id),
                    }
                    .into());
                }
                IncomingOutcome::HeadMoved | IncomingOutcome::RegistryMoved => continue,
            }
        }
        Err(NodeError::Corrupt("channel head kept moving while storing".into()).into())
    }
}

fn error_response(code: ErrorCode, message: String) -> Response {
    let status = StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(&Rejection { code, message }.to_wire()).unwrap_or_default();
    (status, [(CONTENT_TYPE, "application/json")], body).into_response()
}

fn is_jose(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(JOSE))
}

async fn post_message(
    State(node): State<Arc<ReceiverNode>>,
    Extension(peer): Extension<TlsPeer>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if !is_jose(&headers) {
        return error_response(ErrorCode::UnsupportedMediaType, format!("Content-Type must be {JOSE}"));
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return error_response(ErrorCode::PayloadTooLarge, format!("body exceeds {MAX_BODY} bytes"));
    };
    let text = String::from_utf8_lossy(&bytes);
    match node.receive(&peer, &text).await {
        Ok(receipt) => (StatusCode::OK, [(CONTENT_TYPE, JOSE)], receipt).into_response(),
        Err(ReceiveFailure::Rejected(r)) => {
            tracing::info!(code = r.code.as_str(), peer = %peer.subject, "message rejected");
            error_response(r.code, r.message)
        }
        Err(ReceiveFailure::Node(e)) => {
            tracing::error!(error = %e, "message not stored");
            error_response(ErrorCode::InternalError, "the receiver failed; retry later".into())
        }
    }
}

/// The exchange router. Each connection must carry its [`TlsPeer`] as an extension (as
/// [`serve`] does).
pub fn router(node: Arc<ReceiverNode>) -> Router {
    Router::new().route(MESSAGES_PATH, post(post_message)).with_state(node)
}

/// The TLS peer of an established connection: fingerprint and subject of its leaf certificate.
pub fn peer_of(conn: &rustls::ServerConnection) -> Option<TlsPeer> {
    let leaf = conn.peer_certificates()?.first()?;
    let subject = pki::summarize(leaf).map(|s| s.subject).unwrap_or_default();
    Some(TlsPeer { cert_fingerprint: pki::fingerprint(leaf), subject })
}

/// Accepts mutual-TLS connections on `listener` and serves `router` on each until `shutdown`.
pub async fn serve(
    listener: TcpListener,
    tls: Arc<ServerConfig>,
    router: Router,
    shutdown: impl Future<Output = ()>,
) -> Result<(), NodeError> {
    let acceptor = TlsAcceptor::from(tls);
    tokio::pin!(shutdown);
    loop {
        let (tcp, remote) = tokio::select! {
            accepted = listener.accept() => accepted.map_err(|e| NodeError::Network(e.to_string()))?,
            () = &mut shutdown => return Ok(()),
        };
        let acceptor = acceptor.clone();
        let router = router.clone();
        tokio::spawn(async move {
            let stream = match acceptor.accept(tcp).await {
                Ok(s) => s,
                Err(e) => {
                    tracing::info!(%remote, error = %e, "tls handshake refused");
                    return;
                }
            };
            let Some(peer) = peer_of(stream.get_ref().1) else {
                tracing::info!(%remote, "connection without client certificate");
                return;
            };
            let service = TowerToHyperService::new(router.layer(Extension(peer)));
            if let Err(e) =
                hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await
            {
                tracing::debug!(%remote, error = %e, "connection ended with an error");
            }
        });
    }
}
