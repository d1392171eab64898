//! Batches (`POST /exchange/v1/batches`): each message is judged as if posted alone after the
//! ones before it, taking stops at the first refusal (or after a registry change), the accepted
//! ones are stored and a batch sent again gets the same receipts; a batch of the wrong shape is
//! refused as a whole with nothing stored. The dispatcher sends a channel's pending run as one
//! batch, records its receipts, signs the run again after a refusal in its middle, and falls back
//! to one message at a time for a partner without the batch endpoint.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post_service};
use http_body_util::{BodyExt, Full};
use hyper::header::{CONNECTION, CONTENT_TYPE, HOST};
use hyper_util::rt::TokioIo;
use jiff::{SignedDuration, Timestamp};
use rustls::pki_types::ServerName;
use sapar_node::dispatcher::{self, Delivery};
use sapar_node::{BATCHES_PATH, MESSAGES_PATH, client, log, receiver};
use sapar_store::Store;
use sapar_store::exchange::{ExchangeDirection, OutboxEntry, OutboxStatus};
use sapar_treaty::ids::{MessageId, Sha256Hash};
use sapar_treaty::message::{self, MessageType};
use sapar_treaty::receipt;
use sapar_treaty::send::{self, Draft, SignedMessage};
use sapar_treaty::wire::{BatchResponse, BatchResult, ErrorResponse};
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};

use crate::support::{
    Server, der, drain, kaz_endpoint, kaz_receiver, keys, kgz_dispatcher, kgz_signer, request_draft, sqlite,
    start_kaz_router,
};

const CHANNEL: &str = "KAZ-KGZ-2019:KGZ>KAZ";

/// The paths of the requests a partner was sent, in order.
type Paths = Arc<Mutex<Vec<String>>>;

/// KGZ's store and the KAZ node serving a router built from its own, with every request's path
/// recorded.
struct Pair {
    _dir: tempfile::TempDir,
    kgz: Store,
    kaz: Store,
    server: Server,
    paths: Paths,
}

impl Pair {
    fn paths(&self) -> Vec<String> {
        self.paths.lock().unwrap().clone()
    }
}

/// What a partner serves, made from the KAZ node's router: the node itself, or a node that does
/// not take batches.
type Partner = fn(Router) -> Router;

/// Fresh stores for KGZ and KAZ, and KAZ serving `partner`.
async fn pair(partner: Partner) -> Pair {
    let dir = tempfile::tempdir().unwrap();
    let kgz = sqlite(&dir, "kgz.db").await;
    let kaz = sqlite(&dir, "kaz.db").await;
    let paths: Paths = Arc::default();
    let seen = Arc::clone(&paths);
    let router = partner(receiver::router(kaz_receiver(kaz.clone()))).layer(middleware::from_fn(
        move |request: Request, next: Next| {
            let seen = Arc::clone(&seen);
            async move {
                seen.lock().unwrap().push(request.uri().path().to_owned());
                next.run(request).await
            }
        },
    ));
    let server = start_kaz_router(TcpListener::bind("127.0.0.1:0").await.unwrap(), router);
    Pair { _dir: dir, kgz, kaz, server, paths }
}

/// The KAZ node as it is.
fn the_node(router: Router) -> Router {
    router
}

// ---------------------------------------------------------------------------------------------
// Composing and posting.

fn compose(draft: &Draft, seq: u64, prev: Option<Sha256Hash>) -> SignedMessage {
    send::compose(&keys().book, draft, seq, prev, &kgz_signer()).unwrap()
}

/// `n` requests opening a channel: seq 1 to `n`, each after the one before.
fn requests(n: u64) -> Vec<SignedMessage> {
    let mut out: Vec<SignedMessage> = Vec::new();
    for seq in 1..=n {
        let m = compose(&request_draft(), seq, out.last().map(|m| m.hash));
        out.push(m);
    }
    out
}

/// The HTTP status and code of a refusal.
type Refusal = (u16, &'static str);

/// A message made from a valid first message of the channel (and the draft it was made from).
type Forge = fn(&Draft, &SignedMessage) -> String;

fn texts(messages: &[&SignedMessage]) -> Vec<String> {
    messages.iter().map(|m| m.jws.clone()).collect()
}

/// An acknowledgement in a case the partner does not know: valid for the sender, refused by the
/// receiver with `message_type_not_allowed`.
fn stray_ack() -> Draft {
    Draft {
        message_type: MessageType::Ack,
        body: json!({"received_on": "2025-10-01", "due_on": "2025-10-31"}),
        ..request_draft()
    }
}

/// The answer to a request on the mutual-TLS connection KGZ's node would open.
struct Reply {
    status: u16,
    content_type: Option<String>,
    body: Vec<u8>,
}

async fn post(p: &Pair, path: &str, content_type: Option<&str>, body: Vec<u8>) -> Reply {
    let endpoint = kaz_endpoint(p.server.addr);
    let tcp = TcpStream::connect(p.server.addr).await.unwrap();
    let name = ServerName::try_from("localhost").unwrap();
    let tls = tokio_rustls::TlsConnector::from(Arc::clone(&endpoint.tls)).connect(name, tcp).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls)).await.unwrap();
    tokio::spawn(connection);
    let mut request = hyper::Request::post(path).header(HOST, "localhost");
    if let Some(t) = content_type {
        request = request.header(CONTENT_TYPE, t);
    }
    let response = sender.send_request(request.body(Full::new(Bytes::from(body))).unwrap()).await.unwrap();
    let status = response.status().as_u16();
    let content_type = response.headers().get(CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned());
    let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply { status, content_type, body }
}

async fn post_batch(p: &Pair, messages: &[String]) -> Reply {
    let body = serde_json::to_vec(&json!({ "messages": messages })).unwrap();
    post(p, BATCHES_PATH, Some("application/json"), body).await
}

/// The results of a batch that was taken (200, JSON).
fn results_of(reply: &Reply) -> Vec<BatchResult> {
    assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(&reply.body));
    assert_eq!(reply.content_type.as_deref(), Some("application/json"));
    serde_json::from_slice::<BatchResponse>(&reply.body).unwrap().results
}

/// The error of a batch refused as a whole.
fn whole_refusal(reply: &Reply) -> (u16, String) {
    assert_eq!(reply.content_type.as_deref(), Some("application/json"), "{}", String::from_utf8_lossy(&reply.body));
    let error: ErrorResponse = serde_json::from_slice(&reply.body)
        .unwrap_or_else(|e| panic!("not an error body ({e}): {}", String::from_utf8_lossy(&reply.body)));
    assert!(!error.message.is_empty());
    (reply.status, error.code)
}

fn receipt_of(result: &BatchResult) -> &str {
    match result {
        BatchResult::Accepted(a) => &a.receipt,
        BatchResult::Refused(r) => panic!("refused: {r:?}"),
    }
}

fn refusal_of(result: &BatchResult) -> (u16, &str) {
    match result {
        BatchResult::Refused(r) => {
            assert!(!r.error.message.is_empty());
            (r.status, r.error.code.as_str())
        }
        BatchResult::Accepted(_) => panic!("accepted"),
    }
}

/// A receipt that verifies against KAZ's CA and node certificate and names `m`.
fn assert_receipt_names(receipt_jws: &str, m: &SignedMessage) {
    let k = keys();
    let info = receipt::verify_receipt(receipt_jws, &der(&k.kaz.ca.cert_pem), &[k.kaz.node.fingerprint]).unwrap();
    assert_eq!((info.message_id, info.message_hash), (m.header.id, m.hash));
    assert_eq!(info.receiver, k.kaz.node_name);
}

fn seq_of(m: &SignedMessage) -> i64 {
    i64::try_from(m.header.seq).unwrap()
}

/// The KAZ store holds exactly `accepted`, in this order: inbox rows, channel head and a log
/// that verifies.
async fn assert_holds(kaz: &Store, accepted: &[&SignedMessage]) {
    assert_eq!(kaz.inbox_count().await.unwrap(), i64::try_from(accepted.len()).unwrap());
    for m in accepted {
        let stored = kaz.inbox_entry(m.header.id.as_uuid()).await.unwrap().expect("message stored");
        assert_eq!(
            (stored.channel.as_str(), stored.seq, stored.message_hash.as_str()),
            (CHANNEL, seq_of(m), m.hash.to_hex().as_str())
        );
    }
    let head = kaz.channel_head(CHANNEL, ExchangeDirection::Received).await.unwrap().map(|h| (h.seq, h.hash));
    assert_eq!(head, accepted.last().map(|m| (seq_of(m), m.hash.to_hex())));
    let log: Vec<_> = kaz
        .log_entries()
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.direction, r.channel, r.seq, r.message_id, r.message_hash))
        .collect();
    let expected: Vec<_> = accepted
        .iter()
        .map(|m| ("received".to_owned(), CHANNEL.to_owned(), seq_of(m), m.header.id.as_uuid(), m.hash.to_hex()))
        .collect();
    assert_eq!(log, expected);
    let verified = log::verify(kaz, &der(&keys().kaz.node.cert_pem)).await.unwrap();
    assert_eq!(verified, u64::try_from(accepted.len()).unwrap());
}

// ---------------------------------------------------------------------------------------------
// The receiver.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_of_consecutive_messages_is_stored_with_a_receipt_for_each() {
    let p = pair(the_node).await;
    let m = requests(3);
    let results = results_of(&post_batch(&p, &texts(&[&m[0], &m[1], &m[2]])).await);

    assert_eq!(results.len(), 3);
    for (result, message) in results.iter().zip(&m) {
        assert_receipt_names(receipt_of(result), message);
        let stored = p.kaz.inbox_entry(message.header.id.as_uuid()).await.unwrap().unwrap();
        assert_eq!(stored.receipt, receipt_of(result), "the receipt returned is the one stored");
    }
    assert_holds(&p.kaz, &[&m[0], &m[1], &m[2]]).await;
    assert_eq!(p.paths(), vec![BATCHES_PATH]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_message_ends_the_batch_and_only_the_messages_before_it_are_stored() {
    fn altered_signature(jws: &str) -> String {
        let mut parts: Vec<String> = jws.split('.').map(str::to_owned).collect();
        let mut sig: Vec<char> = parts[2].chars().collect();
        sig[10] = if sig[10] == 'A' { 'B' } else { 'A' };
        parts[2] = sig.into_iter().collect();
        parts.join(".")
    }
    // Each forgery follows a valid seq 1, and is followed by a valid seq 2 that would be accepted
    // if the receiver went on after the refusal.
    let forgeries: [(&str, Forge, Refusal); 5] = [
        (
            "signature altered",
            |_, first| altered_signature(&compose(&request_draft(), 2, Some(first.hash)).jws),
            (403, "signature_invalid"),
        ),
        (
            "seq 3 after seq 1",
            |_, first| compose(&request_draft(), 3, Some(first.hash)).jws,
            (409, "sequence_out_of_order"),
        ),
        (
            "prev_hash of no message",
            |_, _| compose(&request_draft(), 2, Some(Sha256Hash::of(b"no message"))).jws,
            (409, "chain_hash_mismatch"),
        ),
        ("id of the first, other content", |d, first| compose(d, 2, Some(first.hash)).jws, (409, "replay_conflict")),
        (
            "ack in an unknown case",
            |_, first| compose(&stray_ack(), 2, Some(first.hash)).jws,
            (409, "message_type_not_allowed"),
        ),
    ];
    for (what, forge, (status, code)) in forgeries {
        let p = pair(the_node).await;
        let first_draft = request_draft();
        let first = compose(&first_draft, 1, None);
        let forged = forge(&first_draft, &first);
        let later = compose(&request_draft(), 2, Some(first.hash));

        let results = results_of(&post_batch(&p, &[first.jws.clone(), forged.clone(), later.jws.clone()]).await);
        assert_eq!(results.len(), 2, "{what}: the third message is not taken");
        assert_receipt_names(receipt_of(&results[0]), &first);
        assert_eq!(refusal_of(&results[1]), (status, code), "{what}");
        assert_holds(&p.kaz, &[&first]).await;

        // Posted alone after the first, the forgery is answered with that very refusal.
        let alone = client::post_message(&kaz_endpoint(p.server.addr), &forged).await.unwrap();
        let error: ErrorResponse = serde_json::from_slice(&alone.body).unwrap();
        assert_eq!((alone.status, error.code.as_str()), (status, code), "{what}");
        assert_holds(&p.kaz, &[&first]).await;

        // The third message was valid: alone, it is accepted as the channel's next.
        let results = results_of(&post_batch(&p, std::slice::from_ref(&later.jws)).await);
        assert_receipt_names(receipt_of(&results[0]), &later);
        assert_holds(&p.kaz, &[&first, &later]).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_sent_again_gets_the_same_receipts_and_nothing_is_stored_twice() {
    let p = pair(the_node).await;
    let m = requests(5);
    let batch = texts(&[&m[0], &m[1], &m[2]]);
    let receipts = |r: &[BatchResult]| r.iter().map(|r| receipt_of(r).to_owned()).collect::<Vec<_>>();
    let first = receipts(&results_of(&post_batch(&p, &batch).await));
    assert_eq!(first.len(), 3);

    let again = receipts(&results_of(&post_batch(&p, &batch).await));
    assert_eq!(again, first, "byte for byte the receipts given the first time");
    assert_holds(&p.kaz, &[&m[0], &m[1], &m[2]]).await;

    // Sent again with a new message after them: the stored receipts, then a new one.
    let longer = receipts(&results_of(&post_batch(&p, &texts(&[&m[0], &m[1], &m[2], &m[3]])).await));
    assert_eq!(longer[..3], first[..]);
    assert_receipt_names(&longer[3], &m[3]);
    assert_holds(&p.kaz, &[&m[0], &m[1], &m[2], &m[3]]).await;

    // The same message twice in one batch: accepted once, the same receipt twice.
    let twice = receipts(&results_of(&post_batch(&p, &texts(&[&m[4], &m[4]])).await));
    assert_eq!(twice.len(), 2);
    assert_eq!(twice[0], twice[1]);
    assert_receipt_names(&twice[0], &m[4]);
    assert_holds(&p.kaz, &[&m[0], &m[1], &m[2], &m[3], &m[4]]).await;

    // The message endpoint answers a message taken in a batch with the receipt of the batch, and
    // a batch answers a message taken alone with the receipt given then.
    let alone = client::post_message(&kaz_endpoint(p.server.addr), &m[1].jws).await.unwrap();
    assert_eq!((alone.status, String::from_utf8(alone.body).unwrap()), (200, first[1].clone()));
    let sixth = compose(&request_draft(), 6, Some(m[4].hash));
    let alone = client::post_message(&kaz_endpoint(p.server.addr), &sixth.jws).await.unwrap();
    assert_eq!(alone.status, 200);
    let batched = receipts(&results_of(&post_batch(&p, &texts(&[&m[4], &sixth])).await));
    assert_eq!(batched, vec![twice[0].clone(), String::from_utf8(alone.body).unwrap()]);
    assert_holds(&p.kaz, &[&m[0], &m[1], &m[2], &m[3], &m[4], &sixth]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_batch_posted_twice_at_once_is_stored_once_with_one_set_of_receipts() {
    let p = pair(the_node).await;
    let m = requests(4);
    let batch = texts(&[&m[0], &m[1], &m[2], &m[3]]);
    let (a, b) = tokio::join!(post_batch(&p, &batch), post_batch(&p, &batch));
    let (a, b) = (results_of(&a), results_of(&b));
    assert_eq!(a.len(), 4);
    assert_eq!(a, b, "the later request answers with the receipts the earlier one stored");
    for (result, message) in a.iter().zip(&m) {
        assert_receipt_names(receipt_of(result), message);
    }
    assert_holds(&p.kaz, &[&m[0], &m[1], &m[2], &m[3]]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_of_the_wrong_shape_is_refused_as_a_whole_and_nothing_is_stored() {
    let p = pair(the_node).await;
    let first = compose(&request_draft(), 1, None);
    let second = compose(&request_draft(), 2, Some(first.hash));
    // A message of the channel KAZ>KGZ (signed without any check: only its header is read).
    let reverse = {
        let d = request_draft();
        let mut header = compose(&d, 1, None).header;
        (header.from, header.to) = (header.to, header.from);
        send::sign_header(header, d.message_type, &d.body, &kgz_signer()).unwrap().jws
    };
    let (a, b) = (first.jws.as_str(), second.jws.as_str());
    const JSON: Option<&str> = Some("application/json");
    let json = |v: serde_json::Value| serde_json::to_vec(&v).unwrap();
    let shape = |what, content_type, body| (what, content_type, body, (400, "batch_invalid"));
    let media = |what, content_type, body| (what, content_type, body, (415, "unsupported_media_type"));
    let cases: Vec<(&str, Option<&str>, Vec<u8>, Refusal)> = vec![
        shape("two channels", JSON, json(json!({"messages": [a, reverse]}))),
        shape("two channels after a message of one", JSON, json(json!({"messages": [a, b, reverse]}))),
        shape("no message", JSON, json(json!({"messages": []}))),
        shape("257 messages", JSON, json(json!({"messages": vec![a; 257]}))),
        shape("not JSON", JSON, format!("messages: {a}").into_bytes()),
        shape("JSON cut short", JSON, format!("{{\"messages\": [\"{a}\"").into_bytes()),
        shape("unknown member", JSON, json(json!({"messages": [a], "priority": 1}))),
        shape("messages twice", JSON, format!("{{\"messages\": [\"{a}\"], \"messages\": [\"{b}\"]}}").into_bytes()),
        shape("no messages member", JSON, json(json!({"message": [a]}))),
        shape("messages not an array", JSON, json(json!({"messages": a}))),
        shape("a message not a string", JSON, json(json!({"messages": [a, 2]}))),
        shape("messages null", JSON, json(json!({"messages": null}))),
        media("content type of a message", Some("application/jose"), json(json!({"messages": [a]}))),
        media("text content type", Some("text/plain"), json(json!({"messages": [a]}))),
        media("no content type", None, json(json!({"messages": [a]}))),
    ];
    for (what, content_type, body, (status, code)) in cases {
        let reply = post(&p, BATCHES_PATH, content_type, body).await;
        assert_eq!(whole_refusal(&reply), (status, code.to_owned()), "{what}");
        assert_holds(&p.kaz, &[]).await;
    }

    // The messages themselves were fine: in a batch of the right shape they are accepted, also
    // with a parameter on the content type.
    let body = json(json!({"messages": [a, b]}));
    let reply = post(&p, BATCHES_PATH, Some("application/json; charset=utf-8"), body).await;
    assert_eq!(results_of(&reply).len(), 2);
    assert_holds(&p.kaz, &[&first, &second]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_body_that_is_a_json_array_is_refused_as_batch_invalid() {
    // Protocol section 2: the body must be a JSON object whose only member is `messages`.
    let p = pair(the_node).await;
    let first = compose(&request_draft(), 1, None);
    let body = serde_json::to_vec(&json!([[first.jws]])).unwrap();
    let reply = post(&p, BATCHES_PATH, Some("application/json"), body).await;
    assert_eq!(whole_refusal(&reply), (400, "batch_invalid".to_owned()), "{}", String::from_utf8_lossy(&reply.body));
    assert_holds(&p.kaz, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_body_over_4_mib_is_refused_with_payload_too_large() {
    let p = pair(the_node).await;
    let first = compose(&request_draft(), 1, None);
    let filler = "A".repeat(receiver::MAX_BODY);
    let body = serde_json::to_vec(&json!({"messages": [first.jws, filler]})).unwrap();
    let reply = post(&p, BATCHES_PATH, Some("application/json"), body).await;
    assert_eq!(whole_refusal(&reply), (413, "payload_too_large".to_owned()));
    assert_holds(&p.kaz, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_of_256_messages_is_taken() {
    let p = pair(the_node).await;
    let first = compose(&request_draft(), 1, None);
    let results = results_of(&post_batch(&p, &vec![first.jws.clone(); 256]).await);
    assert_eq!(results.len(), 256);
    let receipt = receipt_of(&results[0]);
    assert_receipt_names(receipt, &first);
    assert!(results.iter().all(|r| receipt_of(r) == receipt), "a duplicate is answered with the stored receipt");
    assert_holds(&p.kaz, &[&first]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn message_whose_header_cannot_be_read_is_refused_in_its_turn() {
    let p = pair(the_node).await;
    let m = requests(3);

    let results_1 = results_of(&post_batch(&p, &[m[0].jws.clone(), "abc".into(), m[1].jws.clone()]).await);
    assert_eq!(results_1.len(), 2);
    assert_receipt_names(receipt_of(&results_1[0]), &m[0]);
    assert_eq!(refusal_of(&results_1[1]), (400, "envelope_truncated"));
    assert_holds(&p.kaz, &[&m[0]]).await;

    // First in its batch: nothing after it is taken.
    let results_2 = results_of(&post_batch(&p, &["a.b".into(), m[1].jws.clone()]).await);
    assert_eq!(results_2.len(), 1);
    assert_eq!(refusal_of(&results_2[0]), (400, "envelope_truncated"));
    assert_holds(&p.kaz, &[&m[0]]).await;

    // Last: the messages before it are stored.
    let results_3 = results_of(&post_batch(&p, &[m[1].jws.clone(), m[2].jws.clone(), String::new()]).await);
    assert_eq!(results_3.len(), 3);
    assert_eq!(refusal_of(&results_3[2]), (400, "envelope_truncated"));
    assert_holds(&p.kaz, &[&m[0], &m[1], &m[2]]).await;
}

/// KGZ-GMS's signatory list version 2, in force since a minute ago, naming the same signatory.
fn signatory_list_v2() -> Draft {
    let k = keys();
    let now = Timestamp::now();
    Draft {
        message_type: MessageType::SignatoryList,
        body: json!({
            "authority": "KGZ-GMS",
            "version": 2,
            "effective_from": message::format_utc(now.checked_sub(SignedDuration::from_mins(1)).unwrap()),
            "signatories": [{
                "name": k.kgz.signatories[0].officer.name,
                "position": "deputy head",
                "certificate_sha256": k.kgz.signatories[0].cert.fingerprint.to_hex(),
            }],
        }),
        ..request_draft()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_ends_after_a_message_that_changes_the_registry() {
    let p = pair(the_node).await;
    let list = compose(&signatory_list_v2(), 1, None);
    let request = compose(&request_draft(), 2, Some(list.hash));
    let generation = p.kaz.registry_generation().await.unwrap();

    let results_1 = results_of(&post_batch(&p, &[list.jws.clone(), request.jws.clone()]).await);
    assert_eq!(results_1.len(), 1, "the request is left for the next batch");
    assert_receipt_names(receipt_of(&results_1[0]), &list);
    assert_holds(&p.kaz, &[&list]).await;
    assert_eq!(p.kaz.registry_generation().await.unwrap(), generation + 1);

    let results_2 = results_of(&post_batch(&p, &[list.jws.clone(), request.jws.clone()]).await);
    assert_eq!(results_2.len(), 2);
    assert_eq!(receipt_of(&results_2[0]), receipt_of(&results_1[0]));
    assert_receipt_names(receipt_of(&results_2[1]), &request);
    assert_holds(&p.kaz, &[&list, &request]).await;
}

// ---------------------------------------------------------------------------------------------
// The dispatcher.

async fn enqueue(kgz: &Store, draft: Draft) -> OutboxEntry {
    dispatcher::enqueue(kgz, Arc::clone(&keys().book), draft, kgz_signer()).await.unwrap()
}

async fn enqueue_requests(kgz: &Store, n: usize) -> Vec<OutboxEntry> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(enqueue(kgz, request_draft()).await);
    }
    out
}

async fn entry(store: &Store, e: &OutboxEntry) -> OutboxEntry {
    store.outbox_entry(e.message_id).await.unwrap().unwrap()
}

fn id(e: &OutboxEntry) -> MessageId {
    MessageId::from_uuid(e.message_id).unwrap()
}

fn all_delivered(entries: &[OutboxEntry]) -> Vec<(MessageId, Delivery)> {
    entries.iter().map(|e| (id(e), Delivery::Delivered)).collect()
}

/// Every outbox entry (as it is now) delivered with a receipt that verifies, names it and is
/// the one KAZ stored; KGZ's log holds them in order and verifies; KAZ holds them in order.
async fn assert_delivered_in_order(p: &Pair, queued: &[OutboxEntry]) {
    let k = keys();
    let mut now = Vec::new();
    for e in queued {
        now.push(entry(&p.kgz, e).await);
    }
    for e in &now {
        assert_eq!((e.status, e.last_error.as_deref()), (OutboxStatus::Delivered, None), "{}", e.message_id);
        let receipt_jws = e.receipt.as_deref().expect("receipt recorded");
        let info = receipt::verify_receipt(receipt_jws, &der(&k.kaz.ca.cert_pem), &[k.kaz.node.fingerprint]).unwrap();
        assert_eq!((info.message_id, info.message_hash), (id(e), Sha256Hash::parse(&e.message_hash).unwrap()));
        let stored = p.kaz.inbox_entry(e.message_id).await.unwrap().unwrap();
        assert_eq!((stored.receipt.as_str(), stored.seq), (receipt_jws, e.seq));
    }
    let seqs: Vec<i64> = (1..=i64::try_from(now.len()).unwrap()).collect();
    assert_eq!(now.iter().map(|e| e.seq).collect::<Vec<_>>(), seqs);
    let sent = p.kgz.channel_head(CHANNEL, ExchangeDirection::Sent).await.unwrap().map(|h| (h.seq, h.hash));
    assert_eq!(sent, now.last().map(|e| (e.seq, e.message_hash.clone())));
    let log: Vec<_> =
        p.kgz.log_entries().await.unwrap().into_iter().map(|r| (r.direction, r.seq, r.message_id)).collect();
    assert_eq!(log, now.iter().map(|e| ("sent".to_owned(), e.seq, e.message_id)).collect::<Vec<_>>());
    let n = u64::try_from(now.len()).unwrap();
    assert_eq!(log::verify(&p.kgz, &der(&k.kgz.node.cert_pem)).await.unwrap(), n);
    assert_eq!(p.kaz.inbox_count().await.unwrap(), i64::try_from(now.len()).unwrap());
    let received = p.kaz.channel_head(CHANNEL, ExchangeDirection::Received).await.unwrap().map(|h| (h.seq, h.hash));
    assert_eq!(received, sent);
    assert_eq!(log::verify(&p.kaz, &der(&k.kaz.node.cert_pem)).await.unwrap(), n);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pending_run_goes_out_as_one_batch_and_every_receipt_is_recorded() {
    let p = pair(the_node).await;
    let queued = enqueue_requests(&p.kgz, 5).await;
    let d = kgz_dispatcher(p.kgz.clone(), p.server.addr);
    let mut events = d.subscribe();

    let outcomes = drain(&d).await;
    assert_eq!(outcomes, all_delivered(&queued));
    assert_eq!(p.paths(), vec![BATCHES_PATH], "one request for the five messages");
    let mut published = Vec::new();
    while let Ok(event) = events.try_recv() {
        published.push(event);
    }
    assert_eq!(published, outcomes);
    assert_delivered_in_order(&p, &queued).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partner_without_batches_is_sent_one_message_at_a_time_in_order() {
    async fn refuse_batches(request: Request, next: Next) -> Response {
        if request.uri().path() == BATCHES_PATH {
            let error = ErrorResponse { code: "batch_invalid".into(), message: "batches are turned off".into() };
            return (StatusCode::BAD_REQUEST, axum::Json(error)).into_response();
        }
        next.run(request).await
    }
    let partners: [(&str, Partner); 3] = [
        ("no batch endpoint: 404", |node| Router::new().route(MESSAGES_PATH, post_service(node))),
        ("batch endpoint without POST: 405", |node| {
            Router::new().route(MESSAGES_PATH, post_service(node)).route(BATCHES_PATH, get(|| async { "" }))
        }),
        ("the batch refused as a whole: 400", |node| node.layer(middleware::from_fn(refuse_batches))),
    ];
    for (what, partner) in partners {
        let p = pair(partner).await;
        let queued = enqueue_requests(&p.kgz, 4).await;
        let d = kgz_dispatcher(p.kgz.clone(), p.server.addr);
        assert_eq!(drain(&d).await, all_delivered(&queued), "{what}");
        let mut expected = vec![BATCHES_PATH, MESSAGES_PATH, MESSAGES_PATH, MESSAGES_PATH, MESSAGES_PATH];
        assert_eq!(p.paths(), expected, "{what}");
        assert_delivered_in_order(&p, &queued).await;

        // The dispatcher remembers: no batch is tried again.
        let more = enqueue_requests(&p.kgz, 2).await;
        assert_eq!(drain(&d).await, all_delivered(&more), "{what}");
        expected.extend([MESSAGES_PATH, MESSAGES_PATH]);
        assert_eq!(p.paths(), expected, "{what}");
        assert_delivered_in_order(&p, &[queued, more].concat()).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_answered_with_a_server_error_is_retried_as_a_batch() {
    fn unavailable_once(node: Router) -> Router {
        let failed = Arc::new(AtomicBool::new(false));
        node.layer(middleware::from_fn(move |request: Request, next: Next| {
            let failed = Arc::clone(&failed);
            async move {
                if request.uri().path() == BATCHES_PATH && !failed.swap(true, Ordering::SeqCst) {
                    return (StatusCode::SERVICE_UNAVAILABLE, "overloaded").into_response();
                }
                next.run(request).await
            }
        }))
    }
    let p = pair(unavailable_once).await;
    let queued = enqueue_requests(&p.kgz, 3).await;
    let d = kgz_dispatcher(p.kgz.clone(), p.server.addr);

    let first = d.dispatch_due().await.unwrap();
    assert_eq!(first.len(), 1);
    assert!(
        matches!(&first[0], (m, Delivery::Retry { error, .. }) if *m == id(&queued[0]) && error.contains("503")),
        "{first:?}"
    );
    let waiting = entry(&p.kgz, &queued[0]).await;
    assert_eq!((waiting.status, waiting.attempts), (OutboxStatus::Pending, 1));
    assert_eq!(entry(&p.kgz, &queued[1]).await.attempts, 0);

    // A hang guard, not a timing check: the head becomes due again after the test backoff.
    let mut later = Vec::new();
    for _ in 0..600 {
        later.extend(d.dispatch_due().await.unwrap());
        if later.len() >= queued.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(later, all_delivered(&queued));
    assert_eq!(p.paths(), vec![BATCHES_PATH, BATCHES_PATH]);
    assert_delivered_in_order(&p, &queued).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusal_in_the_middle_of_a_run_frees_its_number_for_the_later_messages() {
    let p = pair(the_node).await;
    let first = enqueue(&p.kgz, request_draft()).await;
    let refused = enqueue(&p.kgz, stray_ack()).await;
    let third = enqueue(&p.kgz, request_draft()).await;
    let fourth = enqueue(&p.kgz, request_draft()).await;
    assert_eq!((first.seq, refused.seq, third.seq, fourth.seq), (1, 2, 3, 4));

    let d = kgz_dispatcher(p.kgz.clone(), p.server.addr).with_signatories([kgz_signer()]);
    let outcomes = drain(&d).await;
    assert_eq!(
        outcomes,
        vec![
            (id(&first), Delivery::Delivered),
            (id(&refused), Delivery::Rejected("message_type_not_allowed".into())),
            (id(&third), Delivery::Delivered),
            (id(&fourth), Delivery::Delivered),
        ]
    );
    // The run [1, 2, 3, 4] as one batch (taken up to the refusal), then [3, 4] signed again.
    assert_eq!(p.paths(), vec![BATCHES_PATH, BATCHES_PATH]);

    let refused_now = entry(&p.kgz, &refused).await;
    assert_eq!(
        (refused_now.status, refused_now.last_error.as_deref(), refused_now.receipt.as_deref()),
        (OutboxStatus::Rejected, Some("message_type_not_allowed"), None)
    );
    assert_eq!(p.kaz.inbox_entry(refused.message_id).await.unwrap(), None);
    let (third_now, fourth_now) = (entry(&p.kgz, &third).await, entry(&p.kgz, &fourth).await);
    assert_eq!((third_now.seq, third_now.prev_hash.as_deref()), (2, Some(first.message_hash.as_str())));
    assert_eq!((fourth_now.seq, fourth_now.prev_hash.as_deref()), (3, Some(third_now.message_hash.as_str())));
    assert_ne!(third_now.message_hash, third.message_hash, "signed again");
    assert_ne!(fourth_now.message_hash, fourth.message_hash, "signed again");
    assert_delivered_in_order(&p, &[first, third, fourth]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_after_a_registry_change_go_out_in_the_next_batch() {
    let p = pair(the_node).await;
    let mut queued = vec![enqueue(&p.kgz, signatory_list_v2()).await];
    queued.extend(enqueue_requests(&p.kgz, 3).await);
    let generation = p.kaz.registry_generation().await.unwrap();

    let outcomes = drain(&kgz_dispatcher(p.kgz.clone(), p.server.addr)).await;
    assert_eq!(outcomes, all_delivered(&queued));
    // The partner took the list alone; the requests went in a second batch.
    assert_eq!(p.paths(), vec![BATCHES_PATH, BATCHES_PATH]);
    assert_eq!(p.kaz.registry_generation().await.unwrap(), generation + 1);
    assert_delivered_in_order(&p, &queued).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_content_type_keeps_the_connection_and_an_oversized_body_says_it_closes_it() {
    // Protocol section 2: a 415 leaves a kept-alive connection usable; a 413 says it ends it.
    let p = pair(the_node).await;
    let endpoint = kaz_endpoint(p.server.addr);
    let tcp = TcpStream::connect(p.server.addr).await.unwrap();
    let name = ServerName::try_from("localhost").unwrap();
    let tls = tokio_rustls::TlsConnector::from(Arc::clone(&endpoint.tls)).connect(name, tcp).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls)).await.unwrap();
    tokio::spawn(connection);
    let request = |content_type: &str, body: Vec<u8>| {
        hyper::Request::post(MESSAGES_PATH)
            .header(HOST, "localhost")
            .header(CONTENT_TYPE, content_type)
            .body(Full::new(Bytes::from(body)))
            .unwrap()
    };
    let first = compose(&request_draft(), 1, None);

    let refused = sender.send_request(request("text/plain", first.jws.clone().into_bytes())).await.unwrap();
    assert_eq!(refused.status().as_u16(), 415);
    assert!(refused.headers().get(CONNECTION).is_none(), "a 415 closes the connection");
    refused.into_body().collect().await.unwrap();
    // The same connection carries the corrected message.
    sender.ready().await.unwrap();
    let taken = sender.send_request(request("application/jose", first.jws.clone().into_bytes())).await.unwrap();
    assert_eq!(taken.status().as_u16(), 200);
    taken.into_body().collect().await.unwrap();
    assert_holds(&p.kaz, &[&first]).await;

    sender.ready().await.unwrap();
    let oversized = sender.send_request(request("application/jose", vec![b'A'; receiver::MAX_BODY + 1])).await.unwrap();
    assert_eq!(oversized.status().as_u16(), 413);
    assert_eq!(oversized.headers().get(CONNECTION).map(|v| v.to_str().unwrap()), Some("close"));
}
