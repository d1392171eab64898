//! The receiving side: `POST /exchange/v1/messages` (one message) and `POST /exchange/v1/batches`
//! (several messages of one channel) behind mutual TLS. Each message goes through the treaty's
//! ordered receiver checks against a snapshot of the store and the node's registry (agreements
//! and signatory lists as of the store's registry generation), the snapshot advancing as the
//! messages of a batch are accepted; accepted messages are committed (inbox row with sealed
//! payload and receipt, channel head, case, log entry, and the signatory list or authority change
//! carried) in one transaction before their signed receipts are returned, and a duplicate is
//! answered with the stored receipt.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{CONNECTION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use jiff::{SignedDuration, Timestamp};
use rustls::ServerConfig;
use sapar_model::Country;
use sapar_store::Store;
use sapar_store::exchange::{CaseRow, HeadRow, IncomingMessage, IncomingOutcome, IncomingRecord, RegistryChange};
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
use crate::{BATCHES_PATH, JOSE, MESSAGES_PATH, NodeError, log};

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
    /// Told the case of each `query` stored, for the automatic hit/no-hit answers.
    pub queries: Option<crate::hits::QuerySignal>,
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

/// What a batch of messages is checked against: the store's view at the moment of reading,
/// advanced as each message of the batch is accepted (so that the next one is judged as if it
/// was posted after it).
struct Snapshot<'a> {
    /// Stored or just accepted messages among those of the batch: hash and receipt.
    seen: HashMap<MessageId, (Sha256Hash, String)>,
    head: Option<(ChannelId, ChannelHead)>,
    cases: HashMap<CaseId, CaseRecord>,
    /// The store's registry generation at the time of the read.
    registry_generation: i64,
    signatories: Option<&'a SignatoryBook>,
}

impl ReceiverState for Snapshot<'_> {
    fn seen(&self, id: &MessageId) -> Option<Sha256Hash> {
        self.seen.get(id).map(|(h, _)| *h)
    }
    fn channel_head(&self, channel: &ChannelId) -> Option<ChannelHead> {
        self.head.as_ref().filter(|(c, _)| c == channel).map(|(_, h)| *h)
    }
    fn case(&self, id: &CaseId) -> Option<CaseRecord> {
        self.cases.get(id).copied()
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

/// What became of one message of a batch: its signed receipt, or why it was refused.
pub type MessageResult = Result<String, Rejection>;

/// Why a batch was refused as a whole, before any of its messages was looked at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BatchInvalid(pub String);

/// Checks the shape of a batch: 1 to [`wire::MAX_BATCH_MESSAGES`] messages, and every message
/// whose header can be read on one channel (a message whose header cannot be read is refused in
/// its turn, by the receiver checks).
pub fn check_batch(messages: &[String]) -> Result<(), BatchInvalid> {
    if messages.is_empty() || messages.len() > wire::MAX_BATCH_MESSAGES {
        return Err(BatchInvalid(format!(
            "a batch carries 1 to {} messages, not {}",
            wire::MAX_BATCH_MESSAGES,
            messages.len()
        )));
    }
    let mut channels = messages.iter().filter_map(|m| peek_header(m)).filter_map(|h| channel_of(&h));
    if let Some(first) = channels.next()
        && let Some(other) = channels.find(|c| c != &first)
    {
        return Err(BatchInvalid(format!("a batch travels on one channel, not on {first} and {other}")));
    }
    Ok(())
}

/// Reads a batch body: a JSON object whose only member `messages` is an array of strings.
fn parse_batch(body: &[u8]) -> Result<wire::BatchRequest, BatchInvalid> {
    wire::from_json_object(body).map_err(|e| BatchInvalid(format!("the body is not a batch: {e}")))
}

impl ReceiverNode {
    async fn snapshot(&self, headers: &[Option<Header>]) -> Result<Snapshot<'_>, NodeError> {
        let mut snap = Snapshot {
            seen: HashMap::new(),
            head: None,
            cases: HashMap::new(),
            registry_generation: 0,
            signatories: None,
        };
        let known: Vec<&Header> = headers.iter().flatten().collect();
        let Some(channel) = known.iter().find_map(|h| channel_of(h)) else {
            snap.registry_generation = self.registry.current().generation;
            return Ok(snap);
        };
        let ids = known.iter().map(|h| h.id.as_uuid()).collect();
        let case_ids = known.iter().map(|h| h.case_id.as_uuid()).collect();
        let view = self.store.receiver_view(ids, Some(&channel.to_string()), case_ids).await?;
        snap.registry_generation = view.registry_generation;
        for seen in view.seen {
            let id = MessageId::from_uuid(seen.message_id).map_err(|_| corrupt("inbox message id"))?;
            let hash = Sha256Hash::parse(&seen.message_hash).map_err(|_| corrupt("inbox message hash"))?;
            snap.seen.insert(id, (hash, seen.receipt));
        }
        if let Some(h) = view.head {
            let head = ChannelHead {
                seq: u64::try_from(h.seq).map_err(|_| corrupt("channel head seq"))?,
                hash: Sha256Hash::parse(&h.hash).map_err(|_| corrupt("channel head hash"))?,
            };
            snap.head = Some((channel, head));
        }
        for (id, c) in view.cases {
            let record = CaseRecord {
                state: CaseState::parse(&c.state).ok_or_else(|| corrupt("case state"))?,
                opened_by: Country::parse(&c.opened_by).map_err(|_| corrupt("case opened_by"))?,
            };
            snap.cases.insert(CaseId::from_uuid(id), record);
        }
        Ok(snap)
    }

    /// Checks and stores one message from `peer`; returns the signed receipt (JWS).
    pub async fn receive(&self, peer: &TlsPeer, jws_text: &str) -> Result<String, ReceiveFailure> {
        let mut results = self.receive_batch(peer, &[jws_text.to_owned()]).await?;
        match results.pop() {
            Some(result) => Ok(result?),
            None => Err(NodeError::Corrupt("a message was not taken".into()).into()),
        }
    }

    /// Checks and stores messages of one channel from `peer`, in order, each judged as if it was
    /// posted alone after the ones before it. Returns one result per message taken: taking stops
    /// after the first refusal, and after a message that changes the registry (the next ones are
    /// judged by the changed registry when they are sent again). Every accepted message is
    /// committed, in one transaction, before any result is returned.
    pub async fn receive_batch(&self, peer: &TlsPeer, messages: &[String]) -> Result<Vec<MessageResult>, NodeError> {
        let headers: Vec<Option<Header>> = messages.iter().map(|m| peek_header(m)).collect();
        for _ in 0..HEAD_RETRIES {
            let now = Timestamp::now();
            let mut snap = self.snapshot(&headers).await?;
            let registry = self.registry.at(&self.store, snap.registry_generation).await?;
            snap.signatories = Some(&registry.signatories);
            let config = ReceiverConfig {
                local_state: self.local_state,
                book: &registry.book,
                partners: &self.partners,
                max_clock_skew: self.max_clock_skew,
            };
            let expected = snap.head.as_ref().map(|(_, head)| HeadRow {
                seq: i64::try_from(head.seq).unwrap_or(i64::MAX),
                hash: head.hash.to_hex(),
            });
            let mut results = Vec::with_capacity(messages.len());
            let mut records = Vec::new();
            for text in messages {
                let accepted = match receive::receive(&config, &snap, peer, text, now) {
                    Err(rejection) => {
                        results.push(Err(rejection));
                        break;
                    }
                    Ok(Outcome::Duplicate { id, .. }) => {
                        let (_, receipt) = snap.seen.get(&id).ok_or_else(|| corrupt("duplicate not in inbox"))?;
                        results.push(Ok(receipt.clone()));
                        continue;
                    }
                    Ok(Outcome::Accepted(a)) => a,
                };
                let record = self.record(&snap, &accepted, now)?;
                let receipt = record.message.receipt.clone();
                let changes_registry = record.change.is_some();
                let h = &accepted.message.header;
                snap.seen.insert(h.id, (accepted.hash, receipt.clone()));
                snap.head = Some((accepted.channel.clone(), ChannelHead { seq: h.seq, hash: accepted.hash }));
                let opened_by = snap.cases.get(&h.case_id).map_or(accepted.partner, |c| c.opened_by);
                snap.cases.insert(h.case_id, CaseRecord { state: accepted.case_state, opened_by });
                records.push(record);
                results.push(Ok(receipt));
                if changes_registry {
                    break;
                }
            }
            if records.is_empty() {
                return Ok(results);
            }
            let changes = records.iter().filter(|r| r.change.is_some()).count();
            let queries: Vec<uuid::Uuid> = records
                .iter()
                .filter(|r| r.message.message_type == message::MessageType::Query.as_str())
                .map(|r| r.message.case_id)
                .collect();
            match self.store.store_incoming_batch(records, expected, Some(registry.generation)).await? {
                IncomingOutcome::Stored => {
                    if let Some(signal) = &self.queries {
                        for case_id in queries {
                            // No responder listening (no agreement answers automatically): the
                            // query waits for an officer.
                            let _ = signal.send(case_id);
                        }
                    }
                    if changes > 0 {
                        // The next message would reload it anyway; the officers' side reads it too.
                        if let Err(e) = self.registry.reload(&self.store).await {
                            tracing::error!(error = %e, "registry not reloaded after a change was recorded");
                        }
                        tracing::info!(changes, "registry change recorded");
                    }
                    return Ok(results);
                }
                // Another request stored some of these messages, or moved the channel or the
                // registry, since the read: judged again against the store as it is now.
                IncomingOutcome::AlreadyStored { .. } | IncomingOutcome::HeadMoved | IncomingOutcome::RegistryMoved => {
                    continue;
                }
            }
        }
        Err(NodeError::Corrupt("channel head kept moving while storing".into()))
    }

    /// What is stored for an accepted message: inbox row with sealed payload and signed
    /// receipt, case, registry change and log entry.
    fn record(
        &self,
        snap: &Snapshot<'_>,
        accepted: &receive::Accepted,
        now: Timestamp,
    ) -> Result<IncomingRecord, NodeError> {
        let h = &accepted.message.header;
        let receipt = receipt::sign_receipt(h.id, accepted.hash, now, &self.node_name, &self.node)
            .map_err(|e| NodeError::Key(e.to_string()))?;
        let sealed = seal::seal(&self.payload_key, &accepted.payload, h.id.to_string().as_bytes())
            .map_err(|e| NodeError::Key(e.to_string()))?;
        let opened_by = snap.cases.get(&h.case_id).map_or(accepted.partner, |c| c.opened_by);
        let message = IncomingMessage {
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
            receipt,
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
        Ok(IncomingRecord { message, change, chain })
    }
}

fn error_response(code: ErrorCode, message: String) -> Response {
    let status = StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(&Rejection { code, message }.to_wire()).unwrap_or_default();
    (status, [(CONTENT_TYPE, "application/json")], body).into_response()
}

fn has_media_type(headers: &HeaderMap, expected: &str) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(expected))
}

/// The body, read whole before anything is answered, so that a refusal of its content type leaves
/// a kept-alive connection usable for the sender's next request. A body over [`MAX_BODY`] is not
/// read to its end: its `413` says `Connection: close`, and the connection ends after it.
async fn read_body(headers: &HeaderMap, body: Body, media_type: &str) -> Result<axum::body::Bytes, Response> {
    let bytes = axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| {
        let mut response = error_response(ErrorCode::PayloadTooLarge, format!("body exceeds {MAX_BODY} bytes"));
        response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
        response
    })?;
    if !has_media_type(headers, media_type) {
        return Err(error_response(ErrorCode::UnsupportedMediaType, format!("Content-Type must be {media_type}")));
    }
    Ok(bytes)
}

async fn post_message(
    State(node): State<Arc<ReceiverNode>>,
    Extension(peer): Extension<TlsPeer>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let bytes = match read_body(&headers, body, JOSE).await {
        Ok(b) => b,
        Err(response) => return response,
    };
    let text = String::from_utf8_lossy(&bytes);
    match node.receive(&peer, &text).await {
        Ok(receipt) => (StatusCode::OK, [(CONTENT_TYPE, JOSE)], receipt).into_response(),
        Err(ReceiveFailure::Rejected(r)) => {
            tracing::info!(code = r.code.as_str(), peer = %peer.subject, "message rejected");
            error_response(r.code, r.message)
        }
        Err(ReceiveFailure::Node(e)) => node_failure(&e),
    }
}

fn node_failure(e: &NodeError) -> Response {
    tracing::error!(error = %e, "message not stored");
    error_response(ErrorCode::InternalError, "the receiver failed; retry later".into())
}

async fn post_batch(
    State(node): State<Arc<ReceiverNode>>,
    Extension(peer): Extension<TlsPeer>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let bytes = match read_body(&headers, body, wire::MEDIA_TYPE_JSON).await {
        Ok(b) => b,
        Err(response) => return response,
    };
    let batch = match parse_batch(&bytes) {
        Ok(b) => b,
        Err(BatchInvalid(why)) => return error_response(ErrorCode::BatchInvalid, why),
    };
    if let Err(BatchInvalid(why)) = check_batch(&batch.messages) {
        return error_response(ErrorCode::BatchInvalid, why);
    }
    let results = match node.receive_batch(&peer, &batch.messages).await {
        Ok(r) => r,
        Err(e) => return node_failure(&e),
    };
    let results = results
        .into_iter()
        .map(|r| match r {
            Ok(receipt) => wire::BatchResult::Accepted(wire::BatchReceipt { receipt }),
            Err(r) => {
                tracing::info!(code = r.code.as_str(), peer = %peer.subject, "message of a batch rejected");
                wire::BatchResult::Refused(wire::BatchRefusal { status: r.code.http_status(), error: r.to_wire() })
            }
        })
        .collect();
    match serde_json::to_vec(&wire::BatchResponse { results }) {
        Ok(body) => (StatusCode::OK, [(CONTENT_TYPE, wire::MEDIA_TYPE_JSON)], body).into_response(),
        Err(e) => node_failure(&NodeError::Corrupt(format!("batch answer not serialised: {e}"))),
    }
}

/// The exchange router. Each connection must carry its [`TlsPeer`] as an extension (as
/// [`serve`] does).
pub fn router(node: Arc<ReceiverNode>) -> Router {
    Router::new().route(MESSAGES_PATH, post(post_message)).route(BATCHES_PATH, post(post_batch)).with_state(node)
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
