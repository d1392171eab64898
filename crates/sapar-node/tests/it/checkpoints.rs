//! Periodic signed checkpoints of the message log.

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use sapar_node::log::{self, CheckpointPolicy, Checkpointer};
use sapar_store::Store;
use sapar_store::exchange::{CaseRow, ChainFn, HeadRow, IncomingMessage, IncomingOutcome, LogRow};
use sapar_treaty::ids::{ChannelId, MessageId, Sha256Hash};
use sapar_treaty::jws::SigningIdentity;
use sapar_treaty::log::{BadEntryReason, LogDirection};

use crate::support::{der, keys, sqlite};

const CHANNEL: &str = "KAZ-KGZ-2019:KGZ>KAZ";

fn kaz_node() -> Arc<SigningIdentity> {
    let k = keys();
    Arc::new(SigningIdentity::from_pem(&k.kaz.node.cert_pem, &k.kaz.node.key_pem).unwrap())
}

/// Stores the next received message of the channel with the log entry `chain` makes of it.
async fn receive_with(store: &Store, chain: impl FnOnce(LogRowRecord) -> ChainFn) {
    let head = store.channel_head(CHANNEL, sapar_store::exchange::ExchangeDirection::Received).await.unwrap();
    let seq = head.as_ref().map_or(1, |h| h.seq + 1);
    let now = Timestamp::now();
    let id = MessageId::new_at(now);
    let hash = Sha256Hash::of(format!("message {seq}").as_bytes());
    let row = IncomingMessage {
        message_id: id.as_uuid(),
        message_hash: hash.to_hex(),
        channel: CHANNEL.into(),
        seq,
        case_id: uuid::Uuid::now_v7(),
        agreement: "KAZ-KGZ-2019".into(),
        from_authority: "KGZ-GMS".into(),
        to_authority: "KAZ-MVD".into(),
        message_type: "request".into(),
        created_at: now,
        received_at: now,
        signer: hash.to_hex(),
        signatory_list_version: 1,
        sealed_payload: "k.sealed".into(),
        receipt: "receipt".into(),
        case: CaseRow { agreement: "KAZ-KGZ-2019".into(), opened_by: "KGZ".into(), state: "requested".into() },
    };
    let record = LogRowRecord { at: now, seq: u64::try_from(seq).unwrap(), id, hash };
    let expected = head.map(|h| HeadRow { seq: h.seq, hash: h.hash });
    assert_eq!(store.store_incoming(row, expected, chain(record)).await.unwrap(), IncomingOutcome::Stored);
}

struct LogRowRecord {
    at: Timestamp,
    seq: u64,
    id: MessageId,
    hash: Sha256Hash,
}

fn honest(r: LogRowRecord) -> ChainFn {
    log::chain_fn(log::record(r.at, LogDirection::Received, ChannelId::parse(CHANNEL).unwrap(), r.seq, r.id, r.hash))
}

async fn receive(store: &Store, n: usize) {
    for _ in 0..n {
        receive_with(store, honest).await;
    }
}

fn policy(every: u64) -> CheckpointPolicy {
    CheckpointPolicy { every, max_wait: Duration::from_secs(3600), poll: Duration::from_millis(20) }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checkpoints_are_signed_every_n_entries_and_after_the_longest_wait() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir, "kaz.db").await;
    let cert = der(&keys().kaz.node.cert_pem);
    let signer = Checkpointer::new(store.clone(), kaz_node(), "sapar-kaz", policy(3));
    let now = Timestamp::now();

    assert_eq!(signer.checkpoint_if_due(now).await.unwrap(), None, "an empty log has nothing to sign");
    receive(&store, 2).await;
    assert_eq!(signer.checkpoint_if_due(now).await.unwrap(), None, "two entries are fewer than three");
    receive(&store, 1).await;
    assert_eq!(signer.checkpoint_if_due(now).await.unwrap(), Some(2));
    assert_eq!(signer.checkpoint_if_due(now).await.unwrap(), None, "the head is signed already");
    assert_eq!(log::verify(&store, &cert).await.unwrap(), 3);

    receive(&store, 1).await;
    assert_eq!(signer.checkpoint_if_due(now).await.unwrap(), None);
    let later = now.checked_add(SignedDuration::from_hours(2)).unwrap();
    assert_eq!(signer.checkpoint_if_due(later).await.unwrap(), Some(3), "one entry, but it waited too long");
    assert_eq!(store.checkpoints().await.unwrap().len(), 2);
    assert_eq!(log::verify(&store, &cert).await.unwrap(), 4);

    // Verified against another node's certificate, the checkpoints do not hold.
    let other = der(&keys().kgz.node.cert_pem);
    let Err(log::VerifyError::Bad(bad)) = log::verify(&store, &other).await else { panic!("verified") };
    assert!(matches!(bad.reason, BadEntryReason::CheckpointInvalid(_)), "{bad:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_checkpoint_is_signed_over_an_entry_that_does_not_verify() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir, "kaz.db").await;
    let signer = Checkpointer::new(store.clone(), kaz_node(), "sapar-kaz", policy(1));
    receive(&store, 2).await;
    assert_eq!(signer.checkpoint(Timestamp::now()).await.unwrap(), Some(1));

    // An entry whose stored hash is not the hash of its content.
    receive_with(&store, |r| {
        let honest = honest(r);
        Box::new(move |prev: Option<&LogRow>| LogRow { entry_hash: Sha256Hash::of(b"forged").to_hex(), ..honest(prev) })
    })
    .await;
    receive(&store, 1).await;
    let refused = signer.checkpoint(Timestamp::now()).await.unwrap_err().to_string();
    assert!(refused.contains("log entry 2"), "{refused}");
    assert_eq!(store.checkpoints().await.unwrap().len(), 1, "nothing signed over the altered entry");
    let Err(log::VerifyError::Bad(bad)) = log::verify(&store, &der(&keys().kaz.node.cert_pem)).await else {
        panic!("verified")
    };
    assert_eq!(bad.index, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_running_checkpointer_signs_the_head_at_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir, "kaz.db").await;
    let signer = Checkpointer::new(store.clone(), kaz_node(), "sapar-kaz", policy(1000));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(signer.run(async move {
        let _ = stopped.await;
    }));
    receive(&store, 5).await;
    drop(stop);
    running.await.unwrap();
    let last = store.last_checkpoint().await.unwrap().unwrap();
    assert_eq!(last.index, 4);
    assert_eq!(log::verify(&store, &der(&keys().kaz.node.cert_pem)).await.unwrap(), 5);
}
