//! The hash-chained message log: appending, checkpoints, and naming the first bad entry.

use sapar_treaty::ids::{ChannelId, MessageId, Sha256Hash};
use sapar_treaty::log::{BadEntryReason, LogDirection, LogEntry, LogRecord, sign_checkpoint, verify_chain};

use crate::fixture::*;

fn record(i: u64) -> LogRecord {
    LogRecord {
        at: now(),
        direction: if i.is_multiple_of(2) { LogDirection::Received } else { LogDirection::Sent },
        channel: ChannelId::parse("KAZ-KGZ-2019:KGZ>KAZ").unwrap(),
        seq: i + 1,
        message_id: MessageId::new_at(now()),
        message_hash: Sha256Hash::of(format!("message {i}").as_bytes()),
    }
}

fn log(n: u64) -> Vec<LogEntry> {
    let mut out: Vec<LogEntry> = Vec::new();
    for i in 0..n {
        let e = LogEntry::append(out.last(), record(i));
        out.push(e);
    }
    out
}

fn node_cert() -> Vec<u8> {
    der(&world().kaz.node.cert_pem)
}

fn checkpoint(e: &LogEntry) -> String {
    sign_checkpoint(e, "sapar-kaz", now(), &node_identity(&world().kaz)).unwrap()
}

#[test]
fn an_untouched_log_verifies_and_counts_its_entries() {
    let entries = log(10);
    let cps = vec![checkpoint(&entries[4]), checkpoint(&entries[9])];
    assert_eq!(verify_chain(&entries, &cps, &node_cert()), Ok(10));
    assert_eq!(verify_chain(&[], &[], &node_cert()), Ok(0));
}

#[test]
fn an_altered_entry_is_named() {
    let mut entries = log(10);
    entries[6].message_hash = Sha256Hash::of(b"forged");
    let bad = verify_chain(&entries, &[], &node_cert()).unwrap_err();
    assert_eq!((bad.index, bad.reason), (6, BadEntryReason::EntryHashMismatch));
}

#[test]
fn a_rehashed_alteration_breaks_the_next_link() {
    let mut entries = log(10);
    entries[6].message_hash = Sha256Hash::of(b"forged");
    entries[6].entry_hash = entries[6].compute_hash();
    let bad = verify_chain(&entries, &[], &node_cert()).unwrap_err();
    assert_eq!((bad.index, bad.reason), (7, BadEntryReason::PrevHashMismatch));
}

#[test]
fn a_rewritten_tail_is_caught_by_a_checkpoint() {
    let original = log(10);
    let cp = checkpoint(&original[8]);
    // Rewrite entries 5.. consistently: links and hashes all valid, but the checkpoint disagrees.
    let mut forged: Vec<LogEntry> = original[..5].to_vec();
    for i in 5..10 {
        let mut r = record(i);
        r.message_hash = Sha256Hash::of(b"other history");
        let e = LogEntry::append(forged.last(), r);
        forged.push(e);
    }
    let bad = verify_chain(&forged, &[cp], &node_cert()).unwrap_err();
    assert_eq!((bad.index, bad.reason), (8, BadEntryReason::CheckpointMismatch));
}

#[test]
fn removed_entries_are_truncation() {
    let entries = log(10);
    let cp = checkpoint(&entries[9]);
    let bad = verify_chain(&entries[..7], &[cp], &node_cert()).unwrap_err();
    assert_eq!((bad.index, bad.reason), (7, BadEntryReason::Truncated));
    let mut gap = entries.clone();
    gap.remove(3);
    let bad = verify_chain(&gap, &[], &node_cert()).unwrap_err();
    assert_eq!((bad.index, bad.reason), (3, BadEntryReason::IndexGap { expected: 3 }));
}

#[test]
fn a_checkpoint_by_another_key_is_invalid() {
    let entries = log(3);
    let foreign = sign_checkpoint(&entries[2], "sapar-kaz", now(), &node_identity(&world().kgz)).unwrap();
    let bad = verify_chain(&entries, &[foreign], &node_cert()).unwrap_err();
    assert_eq!(bad.index, 2);
    assert!(matches!(bad.reason, BadEntryReason::CheckpointInvalid(_)));
}

#[test]
fn the_personal_payload_is_not_in_the_chain() {
    let e = &log(1)[0];
    let text = String::from_utf8(e.canonical_bytes()).unwrap();
    assert_eq!(text.lines().count(), 9);
    assert!(text.starts_with("sapar-log/1\n0\n-\n2025-10-01T08:00:00Z\nreceived\nKAZ-KGZ-2019:KGZ>KAZ\n1\n"));
}
