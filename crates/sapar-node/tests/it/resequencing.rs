//! Sequence numbers after refusals: a refused message gives its number back and the channel's
//! later messages are signed again; a partner whose record of the channel disagrees with the
//! sender's halts the channel instead of being sent the same bytes forever.

use std::sync::Arc;

use sapar_node::client;
use sapar_node::dispatcher::{self, Delivery, Dispatcher, RESIGN_FAILED};
use sapar_node::log;
use sapar_store::Store;
use sapar_store::exchange::{ExchangeDirection, OutboxEntry, OutboxStatus};
use sapar_treaty::ids::MessageId;
use sapar_treaty::message::MessageType;
use sapar_treaty::send::{self, Draft};
use serde_json::json;
use tokio::net::TcpListener;

use crate::support::{
    Server, der, drain, kaz_endpoint, kaz_receiver, keys, kgz_dispatcher, kgz_signer, request_draft, sqlite, start_kaz,
};

const CHANNEL: &str = "KAZ-KGZ-2019:KGZ>KAZ";

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
    let server = start_kaz(TcpListener::bind("127.0.0.1:0").await.unwrap(), kaz_receiver(kaz.clone()));
    Pair { _dir: dir, kgz, kaz, server }
}

/// An acknowledgement in a case the partner does not know: the sender's checks pass (its body is
/// valid), the receiver refuses it with `message_type_not_allowed`.
fn stray_ack() -> Draft {
    Draft {
        message_type: MessageType::Ack,
        body: json!({"received_on": "2025-10-01", "due_on": "2025-10-31"}),
        ..request_draft()
    }
}

async fn enqueue(kgz: &Store, draft: Draft) -> OutboxEntry {
    dispatcher::enqueue(kgz, Arc::clone(&keys().book), draft, kgz_signer()).await.unwrap()
}

async fn entry(store: &Store, e: &OutboxEntry) -> OutboxEntry {
    store.outbox_entry(e.message_id).await.unwrap().unwrap()
}

fn signing(d: Dispatcher) -> Dispatcher {
    d.with_signatories([kgz_signer()])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_message_gives_its_number_to_the_next_which_is_signed_again_and_delivered() {
    let p = pair().await;
    let first = enqueue(&p.kgz, request_draft()).await;
    let refused = enqueue(&p.kgz, stray_ack()).await;
    let third = enqueue(&p.kgz, request_draft()).await;
    assert_eq!((first.seq, refused.seq, third.seq), (1, 2, 3));

    let outcomes = drain(&signing(kgz_dispatcher(p.kgz.clone(), p.server.addr))).await;
    let id = |e: &OutboxEntry| MessageId::from_uuid(e.message_id).unwrap();
    assert_eq!(
        outcomes,
        vec![
            (id(&first), Delivery::Delivered),
            (id(&refused), Delivery::Rejected("message_type_not_allowed".into())),
            (id(&third), Delivery::Delivered),
        ]
    );
    let refused = entry(&p.kgz, &refused).await;
    assert_eq!(
        (refused.status, refused.last_error.as_deref()),
        (OutboxStatus::Rejected, Some("message_type_not_allowed"))
    );
    let third_now = entry(&p.kgz, &third).await;
    assert_eq!(third_now.status, OutboxStatus::Delivered);
    assert_eq!((third_now.seq, third_now.prev_hash.as_deref()), (2, Some(first.message_hash.as_str())));
    assert_ne!(third_now.message_hash, third.message_hash, "signed again: another payload, another hash");

    // The partner holds the two accepted messages as seq 1 and 2, with the hash of the re-signed one.
    let stored = p.kaz.inbox_entry(third.message_id).await.unwrap().unwrap();
    assert_eq!((stored.seq, stored.message_hash.as_str()), (2, third_now.message_hash.as_str()));
    assert_eq!(p.kaz.inbox_entry(refused.message_id).await.unwrap(), None);
    let k = keys();
    assert_eq!(log::verify(&p.kgz, &der(&k.kgz.node.cert_pem)).await.unwrap(), 2);
    assert_eq!(log::verify(&p.kaz, &der(&k.kaz.node.cert_pem)).await.unwrap(), 2);

    // What is enqueued next follows the re-signed message.
    let fourth = enqueue(&p.kgz, request_draft()).await;
    assert_eq!((fourth.seq, fourth.prev_hash.as_deref()), (3, Some(third_now.message_hash.as_str())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queue_numbered_against_an_outdated_record_is_signed_again_on_sequence_out_of_order() {
    let p = pair().await;
    let lost = enqueue(&p.kgz, request_draft()).await;
    let next = enqueue(&p.kgz, request_draft()).await;
    // The first message was refused, but the queue was not renumbered (as after a crash between
    // the two, or by an older version): the next still says seq 2 after the refused one.
    assert!(p.kgz.mark_rejected(lost.message_id, "body_invalid").await.unwrap());

    let outcomes = drain(&signing(kgz_dispatcher(p.kgz.clone(), p.server.addr))).await;
    let id = MessageId::from_uuid(next.message_id).unwrap();
    assert_eq!(outcomes, vec![(id, Delivery::Resequenced), (id, Delivery::Delivered)]);
    let delivered = entry(&p.kgz, &next).await;
    assert_eq!((delivered.seq, delivered.prev_hash), (1, None));
    assert_eq!(p.kaz.inbox_entry(next.message_id).await.unwrap().unwrap().seq, 1);
    assert_eq!(p.kgz.channel_halts().await.unwrap(), vec![]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partner_whose_record_disagrees_halts_the_channel_until_resumed() {
    let p = pair().await;
    // The partner accepted a seq 1 this node has no receipt of (e.g. its database was restored
    // from an older backup): it now expects seq 2.
    let unknown = send::compose(&keys().book, &request_draft(), 1, None, &kgz_signer()).unwrap();
    assert_eq!(client::post_message(&kaz_endpoint(p.server.addr), &unknown.jws).await.unwrap().status, 200);

    let first = enqueue(&p.kgz, request_draft()).await;
    let second = enqueue(&p.kgz, request_draft()).await;
    let d = signing(kgz_dispatcher(p.kgz.clone(), p.server.addr));
    let outcomes = drain(&d).await;
    assert_eq!(
        outcomes,
        vec![(MessageId::from_uuid(first.message_id).unwrap(), Delivery::Halted("sequence_out_of_order".into()))]
    );

    let halts = p.kgz.channel_halts().await.unwrap();
    assert_eq!(halts.len(), 1);
    let halt = &halts[0];
    assert_eq!(
        (halt.channel.as_str(), halt.message_id, halt.code.as_str()),
        (CHANNEL, first.message_id, "sequence_out_of_order")
    );
    assert!(
        halt.detail.contains("expects seq 2") && halt.detail.contains("this node's record: seq 1"),
        "{}",
        halt.detail
    );
    // Nothing more is sent: the messages stay pending, byte for byte, and are not retried.
    assert_eq!(drain(&d).await, vec![]);
    let unchanged = entry(&p.kgz, &first).await;
    assert_eq!((unchanged.status, unchanged.jws.as_str()), (OutboxStatus::Pending, first.jws.as_str()));
    assert_eq!(entry(&p.kgz, &second).await.status, OutboxStatus::Pending);
    assert_eq!(p.kgz.next_outgoing_at().await.unwrap(), None);
    assert_eq!(p.kaz.inbox_count().await.unwrap(), 1);

    // Resumed while the records still disagree, it halts again at the first attempt.
    assert!(d.resume(&sapar_treaty::ids::ChannelId::parse(CHANNEL).unwrap()).await.unwrap());
    assert_eq!(drain(&d).await.len(), 1);
    assert_eq!(p.kgz.channel_halts().await.unwrap().len(), 1);
    assert_eq!(p.kgz.channel_head(CHANNEL, ExchangeDirection::Sent).await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_signatory_s_key_a_refusal_halts_the_channel() {
    let p = pair().await;
    let refused = enqueue(&p.kgz, stray_ack()).await;
    let waiting = enqueue(&p.kgz, request_draft()).await;
    let outcomes = drain(&kgz_dispatcher(p.kgz.clone(), p.server.addr)).await;
    assert_eq!(
        outcomes,
        vec![(
            MessageId::from_uuid(refused.message_id).unwrap(),
            Delivery::Rejected("message_type_not_allowed".into())
        )]
    );
    assert_eq!(entry(&p.kgz, &refused).await.status, OutboxStatus::Rejected);
    let halts = p.kgz.channel_halts().await.unwrap();
    assert_eq!(halts.iter().map(|h| h.code.as_str()).collect::<Vec<_>>(), vec![RESIGN_FAILED]);
    let now = entry(&p.kgz, &waiting).await;
    assert_eq!((now.status, now.seq), (OutboxStatus::Pending, 2), "not renumbered without the key");
    assert_eq!(now.message_hash, waiting.message_hash);
}
