//! `sapar exchange channels` and `sapar exchange resume` on a node's database: the outgoing
//! channels with their numbering, queue and halt, and lifting a halt.

use std::process::{Command, Output};

use jiff::Timestamp;
use sapar_store::Store;
use sapar_store::exchange::{ChannelHalt, OutgoingMessage};
use serde_json::Value;
use uuid::Uuid;

const CHANNEL: &str = "KAZ-KGZ-2019:KAZ>KGZ";

fn exchange(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sapar")).arg("exchange").args(args).output().unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Two messages queued on [`CHANNEL`], the channel halted on the first.
async fn halted_channel(url: &str) -> Uuid {
    let store = Store::open(url).await.unwrap();
    let mut first = None;
    for _ in 0..2 {
        let id = Uuid::now_v7();
        first.get_or_insert(id);
        let compose = Box::new(move |seq: i64, prev: Option<String>| {
            Ok(OutgoingMessage {
                message_id: id,
                message_hash: format!("{seq:064x}"),
                jws: format!("signed-{seq}-after-{}", prev.unwrap_or_default()),
                created_at: Timestamp::now(),
                case_id: id,
                message_type: "request".into(),
            })
        });
        store.enqueue_outgoing(CHANNEL, compose).await.unwrap();
    }
    let first = first.unwrap();
    let halt = ChannelHalt {
        channel: CHANNEL.into(),
        message_id: first,
        code: "chain_hash_mismatch".into(),
        detail: "channel expects prev_hash 9f…, got null (this node's record: seq 1 after null)".into(),
        halted_at: "2025-10-01T09:30:00Z".parse().unwrap(),
    };
    store.halt_channel(halt).await.unwrap();
    first
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_list_halted_channels_and_resume_them_on_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("kaz.db").display());
    let first = halted_channel(&url).await;

    let table = stdout(&exchange(&["channels", "--db", &url]));
    let row = table.lines().find(|l| l.starts_with(CHANNEL)).unwrap_or_else(|| panic!("{table}"));
    assert!(row.contains("KGZ") && row.contains("halted since 2025-10-01T09:30:00Z (chain_hash_mismatch)"), "{row}");
    let json: Value = serde_json::from_str(stdout(&exchange(&["channels", "--db", &url, "--json"])).trim()).unwrap();
    assert_eq!(
        (json["channel"].as_str(), json["partner"].as_str(), json["delivered_seq"].as_i64()),
        (Some(CHANNEL), Some("KGZ"), None)
    );
    assert_eq!((json["next_seq"].as_i64(), json["queued"].as_i64()), (Some(3), Some(2)));
    assert_eq!(json["halted"]["message_id"].as_str(), Some(first.to_string().as_str()));

    let resumed = stdout(&exchange(&["resume", CHANNEL, "--db", &url]));
    assert_eq!(
        resumed.trim(),
        format!("channel {CHANNEL} resumed: 2 queued message(s) go out on the node's next pass")
    );
    let json: Value = serde_json::from_str(stdout(&exchange(&["channels", "--db", &url, "--json"])).trim()).unwrap();
    assert!(json["halted"].is_null(), "{json}");
    assert_eq!(Store::open(&url).await.unwrap().channel_halts().await.unwrap(), vec![]);

    let again = exchange(&["resume", CHANNEL, "--db", &url]);
    assert!(!again.status.success());
    assert_eq!(String::from_utf8_lossy(&again.stderr).trim(), format!("channel {CHANNEL} is not halted"));
    let bad = exchange(&["resume", "KAZ-KGZ-2019", "--db", &url]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a channel name (AGREEMENT:FROM>TO)"));
    let missing = exchange(&["channels", "--db", &format!("sqlite:{}", dir.path().join("none.db").display())]);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("does not exist"));
}
