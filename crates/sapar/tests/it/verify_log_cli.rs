//! `sapar verify-log` on a database whose exchange log is intact, then altered in place.

use std::process::{Command, Output};

use jiff::Timestamp;
use sapar_node::log as node_log;
use sapar_store::Store;
use sapar_store::exchange::{CaseRow, HeadRow, IncomingMessage, IncomingOutcome};
use sapar_treaty::ids::{ChannelId, MessageId, Sha256Hash};
use sapar_treaty::log::LogDirection;

fn verify_log(db: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sapar")).args(["verify-log", "--db", db]).output().unwrap()
}

/// Stores three received messages, each with its log entry.
async fn three_messages(url: &str) {
    let store = Store::open(url).await.unwrap();
    let channel = ChannelId::parse("KAZ-KGZ-2019:KGZ>KAZ").unwrap();
    let mut head: Option<HeadRow> = None;
    for seq in 1..=3u8 {
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
