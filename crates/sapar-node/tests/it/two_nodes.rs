//! Delivery between two nodes: receipts, retries while the partner is down or its receipts do not
//! verify, replays and forgeries.

use std::collections::HashMap;
use std::time::Duration;

use sapar_model::Country;
use sapar_node::client;
use sapar_node::dispatcher::{self, Backoff, Delivery, Dispatcher, Partner};
use sapar_node::log;
use sapar_store::Store;
use sapar_store::exchange::{ExchangeDirection, OutboxEntry, OutboxStatus};
use sapar_treaty::codes::ErrorCode;
use sapar_treaty::ids::{MessageId, Sha256Hash};
use sapar_treaty::receipt;
use sapar_treaty::send;
use sapar_treaty::wire::ErrorResponse;
use tokio::net::TcpListener;
use uuid::Uuid;

use crate::support::{
    Server, der, eventually, kaz_endpoint, kaz_receiver, keys, kgz_dispatcher, kgz_signer, request_draft, sqlite,
    start_kaz,
};

struct Pair {
    _dir: tempfile::TempDir,
    kgz: Store,
    kaz: Store,
    server: Server,
}

async fn pair() -> Pair {
    let dir = tempfile::tempdir().unwrap();
    let kgz = sqlite(&dir, "kgz.db").await;
    let kaz = sqlite(&dir, "kaz.db").await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = start_kaz(listener, kaz_receiver(kaz.clone()));
    Pair { _dir: dir, kgz, kaz, server }
}

async fn enqueue_request(kgz: &Store) -> OutboxEntry {
    dispatcher::enqueue(kgz, std::sync::Arc::clone(&keys().book), request_draft(), kgz_signer()).await.unwrap()
}

fn spawn(d: Dispatcher) -> tokio::sync::oneshot::Sender<()> {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(d.run(async move {
        let _ = stopped.await;
    }));
    stop
}

async fn status_of(store: &Store, id: Uuid) -> OutboxEntry {
    store.outbox_entry(id).await.unwrap().unwrap()
}

async fn wait_delivered(store: &Store, id: Uuid) -> OutboxEntry {
    eventually("the message is delivered", || async { status_of(store, id).await.status == OutboxStatus::Delivered })
        .await;
    status_of(store, id).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_is_stored_by_the_partner_and_delivered_on_a_verified_receipt() {
    let p = pair().await;
    let sent = enqueue_request(&p.kgz).await;
    assert_eq!((sent.seq, sent.prev_hash.as_deref()), (1, None));
    let _stop = spawn(kgz_dispatcher(p.kgz.clone(), p.server.addr));

    let done = wait_delivered(&p.kgz, sent.message_id).await;
    let k = keys();
    let receipt_jws = done.receipt.unwrap();
    let info = receipt::verify_receipt(&receipt_jws, &der(&k.kaz.ca.cert_pem), &[k.kaz.node.fingerprint]).unwrap();
    assert_eq!(info.message_id, MessageId::from_uuid(sent.message_id).unwrap());
    assert_eq!(info.message_hash, Sha256Hash::parse(&sent.message_hash).unwrap());
    assert_eq!(info.receiver, k.kaz.node_name);

    let stored = p.kaz.inbox_entry(sent.message_id).await.unwrap().unwrap();
    assert_eq!(stored.receipt, receipt_jws, "the receipt returned is the one stored");
    assert_eq!((stored.seq, stored.message_type.as_str()), (1, "request"));
    let sealed = stored.sealed_payload.unwrap();
    assert_eq!(sapar_treaty::seal::key_id_of(&sealed).unwrap(), "kaz-1", "payload is sealed with the node's key");
    let channel = "KAZ-KGZ-2019:KGZ>KAZ";
    assert_eq!(p.kaz.channel_head(channel, ExchangeDirection::Received).await.unwrap().unwrap().seq, 1);
    assert_eq!(p.kgz.channel_head(channel, ExchangeDirection::Sent).await.unwrap().unwrap().seq, 1);

    assert_eq!(log::verify(&p.kaz, &der(&k.kaz.node.cert_pem)).await.unwrap(), 1);
    assert_eq!(log::verify(&p.kgz, &der(&k.kgz.node.cert_pem)).await.unwrap(), 1);
    let kaz_log = p.kaz.log_entries().await.unwrap();
    let kgz_log = p.kgz.log_entries().await.unwrap();
    assert_eq!((kaz_log[0].direction.as_str(), kgz_log[0].direction.as_str()), ("received", "sent"));
    assert_eq!(kaz_log[0].message_hash, kgz_log[0].message_hash);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn message_to_a_partner_that_is_down_is_delivered_after_backoff_once_it_is_up() {
    let dir = tempfile::tempdir().unwrap();
    let kgz = sqlite(&dir, "kgz.db").await;
    let kaz = sqlite(&dir, "kaz.db").await;
    // A port with nobody listening yet.
    let addr = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let sent = enqueue_request(&kgz).await;
    let second = enqueue_request(&kgz).await;
    let _stop = spawn(kgz_dispatcher(kgz.clone(), addr));

    eventually("two attempts have failed", || async { status_of(&kgz, sent.message_id).await.attempts >= 2 }).await;
    let failing = status_of(&kgz, sent.message_id).await;
    assert_eq!(failing.status, OutboxStatus::Pending);
    assert!(failing.last_error.is_some());
    assert_eq!(status_of(&kgz, second.message_id).await.attempts, 0, "the channel's next message waits its turn");

    let listener = loop {
        match TcpListener::bind(addr).await {
            Ok(l) => break l,
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
        }
    };
    let _server = start_kaz(listener, kaz_receiver(kaz.clone()));
    let done = wait_delivered(&kgz, sent.message_id).await;
    assert!(done.attempts >= 3);
    assert_eq!(done.last_error, None);
    wait_delivered(&kgz, second.message_id).await;
    assert_eq!(kaz.inbox_count().await.unwrap(), 2);
    let head = kaz.channel_head("KAZ-KGZ-2019:KGZ>KAZ", ExchangeDirection::Received).await.unwrap().unwrap();
    assert_eq!((head.seq, head.hash), (2, second.message_hash));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replayed_message_is_answered_with_the_same_receipt_and_stored_once() {
    let p = pair().await;
    let sent = enqueue_request(&p.kgz).await;
    let _stop = spawn(kgz_dispatcher(p.kgz.clone(), p.server.addr));
    let done = wait_delivered(&p.kgz, sent.message_id).await;

    let again = client::post_message(&kaz_endpoint(p.server.addr), &sent.jws).await.unwrap();
    assert_eq!(again.status, 200);
    assert_eq!(String::from_utf8(again.body).unwrap(), done.receipt.unwrap());
    assert_eq!(p.kaz.inbox_count().await.unwrap(), 1);
    assert_eq!(p.kaz.log_entries().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_signature_is_refused_with_its_code_and_nothing_is_stored() {
    let p = pair().await;
    let sent = enqueue_request(&p.kgz).await;
    let _stop = spawn(kgz_dispatcher(p.kgz.clone(), p.server.addr));
    wait_delivered(&p.kgz, sent.message_id).await;

    // A valid next message on the channel, whose signature is then altered.
    let draft = request_draft();
    let prev = Sha256Hash::parse(&sent.message_hash).unwrap();
    let signed = send::compose(&keys().book, &draft, 2, Some(prev), &kgz_signer()).unwrap();
    let mut parts: Vec<String> = signed.jws.split('.').map(str::to_owned).collect();
    let mut sig: Vec<char> = parts[2].chars().collect();
    sig[10] = if sig[10] == 'A' { 'B' } else { 'A' };
    parts[2] = sig.into_iter().collect();
    let forged = parts.join(".");

    let answer = client::post_message(&kaz_endpoint(p.server.addr), &forged).await.unwrap();
    assert_eq!(answer.status, ErrorCode::SignatureInvalid.http_status());
    let error: ErrorResponse = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(error.code, "signature_invalid");
    assert_eq!(p.kaz.inbox_entry(draft.id.as_uuid()).await.unwrap(), None);
    assert_eq!(p.kaz.inbox_count().await.unwrap(), 1);
    assert_eq!(p.kaz.log_entries().await.unwrap().len(), 1);
    let head = p.kaz.channel_head("KAZ-KGZ-2019:KGZ>KAZ", ExchangeDirection::Received).await.unwrap().unwrap();
    assert_eq!(head.seq, 1);

    // The same message, correctly signed, is accepted as the channel's next.
    let answer = client::post_message(&kaz_endpoint(p.server.addr), &signed.jws).await.unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(p.kaz.inbox_count().await.unwrap(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn message_whose_receipt_does_not_verify_stays_pending_and_is_retried_until_one_does() {
    let p = pair().await;
    let k = keys();
    // A sender that pins another node certificate than the partner's: no receipt of it verifies.
    let unpinned = Dispatcher::new(
        p.kgz.clone(),
        HashMap::from([(
            Country::KAZ,
            Partner {
                endpoint: kaz_endpoint(p.server.addr),
                ca_cert_der: der(&k.kaz.ca.cert_pem),
                node_cert_fingerprints: vec![k.kgz.node.fingerprint],
            },
        )]),
        Backoff { base: Duration::from_millis(50), max: Duration::from_millis(100) },
    );
    let not_valid = |attempts: &[(MessageId, Delivery)], id: Uuid| match attempts {
        [(got, Delivery::Retry { error, .. })] => {
            *got == MessageId::from_uuid(id).unwrap() && error.starts_with("receipt not valid")
        }
        _ => false,
    };

    // Alone: the partner accepts and stores it, the sender keeps it pending with the reason.
    let sent = enqueue_request(&p.kgz).await;
    let attempts = unpinned.dispatch_due().await.unwrap();
    assert!(not_valid(&attempts, sent.message_id), "{attempts:?}");
    let pending = status_of(&p.kgz, sent.message_id).await;
    assert_eq!((pending.status, pending.attempts, pending.jws.as_str()), (OutboxStatus::Pending, 1, sent.jws.as_str()));
    assert!(pending.last_error.as_deref().is_some_and(|e| e.starts_with("receipt not valid")), "{pending:?}");
    assert!(p.kaz.inbox_entry(sent.message_id).await.unwrap().is_some(), "the partner stored it");

    // In a batch with the channel's next message: the same, and the next one waits behind it.
    let second = enqueue_request(&p.kgz).await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    let attempts = unpinned.dispatch_due().await.unwrap();
    assert!(not_valid(&attempts, sent.message_id), "{attempts:?}");
    assert_eq!(p.kaz.inbox_count().await.unwrap(), 2, "the partner stored the batch");
    assert_eq!(
        (status_of(&p.kgz, sent.message_id).await.attempts, status_of(&p.kgz, second.message_id).await.attempts),
        (2, 0)
    );
    assert_eq!(status_of(&p.kgz, second.message_id).await.status, OutboxStatus::Pending);
    assert!(p.kgz.channel_halts().await.unwrap().is_empty(), "the channel is not halted");
    let head = p.kgz.channel_head("KAZ-KGZ-2019:KGZ>KAZ", ExchangeDirection::Sent).await.unwrap();
    assert!(head.is_none(), "nothing counts as delivered");

    // Once the partner's node certificate is pinned, the retries get the receipts stored the
    // first time, and they verify.
    let _stop = spawn(kgz_dispatcher(p.kgz.clone(), p.server.addr));
    for m in [&sent, &second] {
        let done = wait_delivered(&p.kgz, m.message_id).await;
        let stored = p.kaz.inbox_entry(m.message_id).await.unwrap().unwrap();
        assert_eq!(done.receipt.unwrap(), stored.receipt);
    }
    assert_eq!(p.kaz.inbox_count().await.unwrap(), 2);
}
