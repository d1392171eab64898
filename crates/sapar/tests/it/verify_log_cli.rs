//! `sapar verify-log` on a database whose exchange log is intact, then altered in place.

use std::process::{Command, Output};

use jiff::Timestamp;
use sapar_node::log as node_log;
use sapar_store::Store;
use sapar_store::exchange::{CaseRow, ExchangeDirection, HeadRow, IncomingMessage, IncomingOutcome};
use sapar_treaty::ids::{ChannelId, MessageId, Sha256Hash};
use sapar_treaty::log::LogDirection;

fn verify_log(db: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sapar")).args(["verify-log", "--db", db]).output().unwrap()
}

fn verify_log_with_cert(db: &str, cert: &std::path::Path) -> Output {
    let cert = cert.to_str().unwrap();
    Command::new(env!("CARGO_BIN_EXE_sapar")).args(["verify-log", "--db", db, "--node-cert", cert]).output().unwrap()
}

/// Stores three received messages, each with its log entry.
async fn three_messages(url: &str) {
    messages(&Store::open(url).await.unwrap(), 1..=3).await;
}

/// Stores received messages with sequence numbers `seqs` (continuing the channel), each with its
/// log entry.
async fn messages(store: &Store, seqs: std::ops::RangeInclusive<u8>) {
    let channel = ChannelId::parse("KAZ-KGZ-2019:KGZ>KAZ").unwrap();
    let mut head: Option<HeadRow> =
        store.channel_head(&channel.to_string(), ExchangeDirection::Received).await.unwrap();
    for seq in seqs {
        let now = Timestamp::now();
        let id = MessageId::new_at(now);
        let hash = Sha256Hash::of(&[seq]);
        let row = IncomingMessage {
            message_id: id.as_uuid(),
            message_hash: hash.to_hex(),
            channel: channel.to_string(),
            seq: i64::from(seq),
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
        let chain = node_log::chain_fn(node_log::record(
            now,
            LogDirection::Received,
            channel.clone(),
            u64::from(seq),
            id,
            hash,
        ));
        assert_eq!(store.store_incoming(row, head.clone(), chain).await.unwrap(), IncomingOutcome::Stored);
        head = Some(HeadRow { seq: i64::from(seq), hash: hash.to_hex() });
    }
}

#[test]
fn verify_log_counts_an_intact_log_and_names_the_first_altered_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kaz.db");
    let url = format!("sqlite:{}", path.display());
    tokio::runtime::Runtime::new().unwrap().block_on(three_messages(&url));

    let ok = verify_log(&url);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert_eq!(String::from_utf8_lossy(&ok.stdout).trim(), "log intact: 3 entries");

    let conn = rusqlite::Connection::open(&path).unwrap();
    let forged = Sha256Hash::of(b"another message").to_hex();
    assert_eq!(conn.execute("UPDATE exchange_log SET message_hash = ?1 WHERE idx = 1", [&forged]).unwrap(), 1);
    drop(conn);

    let bad = verify_log(&url);
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("log entry 1 is bad: EntryHashMismatch"), "{stderr}");
}

/// A log of five entries with checkpoints signed by a node key at entries 1 and 3; the node
/// certificate is written to `kaz-node.pem`.
async fn checkpointed_log(dir: &std::path::Path, url: &str) -> std::path::PathBuf {
    let keys = sapar_treaty::keys::init_state_keys(sapar_model::Country::KAZ, &[], Timestamp::now()).unwrap();
    let cert = dir.join("kaz-node.pem");
    std::fs::write(&cert, &keys.node.cert_pem).unwrap();
    let node = std::sync::Arc::new(
        sapar_treaty::jws::SigningIdentity::from_pem(&keys.node.cert_pem, &keys.node.key_pem).unwrap(),
    );
    let store = Store::open(url).await.unwrap();
    let signer = node_log::Checkpointer::new(store.clone(), node, "sapar-kaz", node_log::CheckpointPolicy::default());
    messages(&store, 1..=2).await;
    assert_eq!(signer.checkpoint(Timestamp::now()).await.unwrap(), Some(1));
    messages(&store, 3..=4).await;
    assert_eq!(signer.checkpoint(Timestamp::now()).await.unwrap(), Some(3));
    messages(&store, 5..=5).await;
    cert
}

/// Rewrites the log from entry `from` on so that it is consistent again: the message hash of
/// `from` is replaced, and every later entry is re-linked and re-hashed.
async fn rewrite_tail(path: &std::path::Path, url: &str, from: i64) {
    let store = Store::open(url).await.unwrap();
    let rows = store.log_entries().await.unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut prev: Option<sapar_treaty::log::LogEntry> = None;
    for row in &rows {
        let mut e = node_log::entry_of(row).unwrap();
        if row.index >= from {
            if row.index == from {
                e.message_hash = Sha256Hash::of(b"another message");
            }
            e.prev_entry_hash = prev.as_ref().map(|p| p.entry_hash);
            e.entry_hash = e.compute_hash();
            let r = node_log::row_of(&e);
            let n = conn
                .execute(
                    "UPDATE exchange_log SET prev_entry_hash = ?1, message_hash = ?2, entry_hash = ?3 WHERE idx = ?4",
                    rusqlite::params![r.prev_entry_hash, r.message_hash, r.entry_hash, r.index],
                )
                .unwrap();
            assert_eq!(n, 1);
        }
        prev = Some(e);
    }
}

#[test]
fn verify_log_checks_signed_checkpoints_and_names_a_rewritten_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kaz.db");
    let url = format!("sqlite:{}", path.display());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let cert = rt.block_on(checkpointed_log(dir.path(), &url));

    let ok = verify_log_with_cert(&url, &cert);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert_eq!(String::from_utf8_lossy(&ok.stdout).trim(), "log intact: 5 entries");
    let unsigned = verify_log(&url);
    assert_eq!(unsigned.status.code(), Some(1), "checkpoints need the node certificate to verify");
    assert_eq!(
        String::from_utf8_lossy(&unsigned.stderr),
        "error: the log has 2 signed checkpoints, and checking them needs the certificate of the node that \
         signed them: pass --node-cert with that node's node.pem, from the keys directory its [exchange] keys \
         setting (or --keys) names; `sapar keys init --out DIR` wrote it as DIR/node.pem\n"
    );
    assert_eq!(String::from_utf8_lossy(&unsigned.stdout), "");

    // Entry 2 rewritten, and every later entry re-hashed so that the chain itself is consistent:
    // the checkpoint signed over entry 3 no longer matches.
    rt.block_on(rewrite_tail(&path, &url, 2));
    let bad = verify_log_with_cert(&url, &cert);
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("log entry 3 is bad: CheckpointMismatch"), "{stderr}");
}

#[test]
fn verify_log_names_an_entry_altered_in_place_before_its_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kaz.db");
    let url = format!("sqlite:{}", path.display());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let cert = rt.block_on(checkpointed_log(dir.path(), &url));

    let conn = rusqlite::Connection::open(&path).unwrap();
    let forged = Sha256Hash::of(b"another message").to_hex();
    assert_eq!(conn.execute("UPDATE exchange_log SET message_hash = ?1 WHERE idx = 2", [&forged]).unwrap(), 1);
    drop(conn);
    let bad = verify_log_with_cert(&url, &cert);
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("log entry 2 is bad: EntryHashMismatch"), "{stderr}");
}

#[test]
fn verify_log_names_the_end_of_a_log_cut_short_below_a_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kaz.db");
    let url = format!("sqlite:{}", path.display());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let cert = rt.block_on(checkpointed_log(dir.path(), &url));

    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = OFF; DELETE FROM exchange_log WHERE idx >= 3;").unwrap();
    drop(conn);
    let bad = verify_log_with_cert(&url, &cert);
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("log entry 3 is bad: Truncated"), "{stderr}");
}
