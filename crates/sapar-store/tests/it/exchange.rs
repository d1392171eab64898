//! Exchange storage contract (inbox, outbox, channel heads, cases, log), on both backends.

use jiff::Timestamp;
use sapar_store::Store;
use sapar_store::exchange::{
    AuthorityChangeRow, CaseRow, ChainFn, ChannelHalt, ChannelState, DeliveredMessage, EnqueueError, ExchangeDirection,
    HeadRow, IncomingMessage, IncomingOutcome, IncomingRecord, LogRow, NewAuthorityRow, OutboxStatus, OutgoingMessage,
    RegistryChange, RegistryConflict, ResequenceError, ResignFn, SignatoryListRow, SignatoryRow,
};
use sapar_test_support::TestDb;
use uuid::Uuid;

sapar_test_support::on_both_backends!(
    accepted_message_is_stored_with_head_case_and_log_entry,
    same_id_again_returns_the_stored_receipt_and_writes_nothing,
    moved_channel_head_writes_nothing,
    outbox_numbers_each_channel_and_links_previous_hashes,
    failed_attempt_holds_back_the_whole_channel_until_due,
    delivery_advances_sent_head_and_appends_log_entry,
    composition_failure_enqueues_nothing,
    concurrent_enqueues_with_failures_among_them_number_only_the_composed_ones,
    rejected_message_is_not_offered_again,
    checkpoints_are_stored_once_per_index,
    enqueued_message_records_its_case_in_the_same_transaction,
    listings_return_the_latest_messages_oldest_first,
    delivery_hands_over_the_channel_s_next_due_run,
    receiver_view_reads_seen_messages_head_and_cases_together,
    a_batch_of_incoming_messages_is_stored_whole_or_not_at_all,
    log_tail_and_last_checkpoint_are_read_back,
    rejected_message_gives_its_number_back_and_later_ones_are_signed_again,
    resequencing_whose_signing_fails_writes_nothing,
    halted_channel_offers_nothing_until_resumed,
    concurrent_enqueues_from_two_openings_number_a_channel_without_gaps_or_repeats,
    registry_changes_are_recorded_with_their_message_in_generation_order,
    message_checked_against_an_older_registry_writes_nothing,
    sent_signatory_list_is_recorded_once_for_several_partners,
    channel_states_show_numbering_queue_and_halt,
    a_destroyed_payload_leaves_its_evidence_and_a_log_entry_and_the_evidence_cannot_be_changed,
);

const CHANNEL: &str = "KAZ-KGZ-2019:KGZ>KAZ";

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// A chain function that links entries by index with a readable stand-in for the hash.
fn chain(direction: ExchangeDirection, channel: &str, seq: i64, id: Uuid, hash: &str) -> ChainFn {
    let (channel, hash) = (channel.to_owned(), hash.to_owned());
    Box::new(move |prev: Option<&LogRow>| {
        let index = prev.map_or(0, |p| p.index + 1);
        LogRow {
            index,
            prev_entry_hash: prev.map(|p| p.entry_hash.clone()),
            at: at("2025-10-01T08:00:00Z"),
            direction: direction.as_str().to_owned(),
            channel,
            seq,
            message_id: id,
            message_hash: hash,
            entry_hash: format!("entry-{index}"),
        }
    })
}

fn incoming(seq: i64, hash: &str) -> IncomingMessage {
    IncomingMessage {
        message_id: Uuid::now_v7(),
        message_hash: hash.to_owned(),
        channel: CHANNEL.to_owned(),
        seq,
        case_id: Uuid::now_v7(),
        agreement: "KAZ-KGZ-2019".to_owned(),
        from_authority: "KGZ-GMS".to_owned(),
        to_authority: "KAZ-MVD".to_owned(),
        message_type: "request".to_owned(),
        created_at: at("2025-10-01T07:59:00Z"),
        received_at: at("2025-10-01T08:00:00Z"),
        signer: "ab".repeat(32),
        signatory_list_version: 1,
        sealed_payload: "k1.sealed".to_owned(),
        receipt: format!("receipt-of-{hash}"),
        case: CaseRow {
            agreement: "KAZ-KGZ-2019".to_owned(),
            opened_by: "KGZ".to_owned(),
            state: "requested".to_owned(),
        },
    }
}

async fn store_in(store: &Store, m: &IncomingMessage, expected: Option<HeadRow>) -> IncomingOutcome {
    let c = chain(ExchangeDirection::Received, &m.channel, m.seq, m.message_id, &m.message_hash);
    store.store_incoming(m.clone(), expected, c).await.unwrap()
}

fn outgoing(id: Uuid, seq: i64, prev: Option<String>) -> OutgoingMessage {
    OutgoingMessage {
        message_id: id,
        message_hash: format!("hash-{seq}"),
        jws: format!("jws-{seq}-after-{}", prev.unwrap_or_default()),
        created_at: at("2025-10-01T08:00:00Z"),
        case_id: id,
        message_type: "request".into(),
    }
}

async fn enqueue(store: &Store, channel: &str) -> Uuid {
    let id = Uuid::now_v7();
    let e = store.enqueue_outgoing(channel, Box::new(move |seq, prev| Ok(outgoing(id, seq, prev)))).await.unwrap();
    assert_eq!(e.message_id, id);
    id
}

pub(crate) async fn accepted_message_is_stored_with_head_case_and_log_entry(db: TestDb) {
    let store = &db.store;
    let m = incoming(1, "h1");
    assert_eq!(store_in(store, &m, None).await, IncomingOutcome::Stored);
    let e = store.inbox_entry(m.message_id).await.unwrap().unwrap();
    assert_eq!((e.seq, e.message_hash.as_str(), e.receipt.as_str()), (1, "h1", "receipt-of-h1"));
    assert_eq!(e.sealed_payload.as_deref(), Some("k1.sealed"));
    assert_eq!(e.received_at, m.received_at);
    assert_eq!(
        store.channel_head(CHANNEL, ExchangeDirection::Received).await.unwrap(),
        Some(HeadRow { seq: 1, hash: "h1".into() })
    );
    assert_eq!(store.channel_head(CHANNEL, ExchangeDirection::Sent).await.unwrap(), None);
    assert_eq!(store.exchange_case(m.case_id).await.unwrap(), Some(m.case.clone()));
    let log = store.log_entries().await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!((log[0].index, log[0].prev_entry_hash.as_deref(), log[0].message_id), (0, None, m.message_id));
    assert_eq!(log[0].direction, "received");

    let second = incoming(2, "h2");
    assert_eq!(store_in(store, &second, Some(HeadRow { seq: 1, hash: "h1".into() })).await, IncomingOutcome::Stored);
    let log = store.log_entries().await.unwrap();
    assert_eq!(log[1].prev_entry_hash.as_deref(), Some("entry-0"));
    assert_eq!(store.last_log_entry().await.unwrap().unwrap().index, 1);
    assert_eq!(store.inbox_count().await.unwrap(), 2);
}

pub(crate) async fn same_id_again_returns_the_stored_receipt_and_writes_nothing(db: TestDb) {
    let store = &db.store;
    let m = incoming(1, "h1");
    store_in(store, &m, None).await;
    let mut again = m.clone();
    again.receipt = "another receipt".into();
    again.seq = 2;
    let outcome = store_in(store, &again, Some(HeadRow { seq: 1, hash: "h1".into() })).await;
    assert_eq!(outcome, IncomingOutcome::AlreadyStored { message_hash: "h1".into(), receipt: "receipt-of-h1".into() });
    assert_eq!(store.inbox_count().await.unwrap(), 1);
    assert_eq!(store.log_entries().await.unwrap().len(), 1);
    assert_eq!(store.channel_head(CHANNEL, ExchangeDirection::Received).await.unwrap().unwrap().seq, 1);
}

pub(crate) async fn moved_channel_head_writes_nothing(db: TestDb) {
    let store = &db.store;
    store_in(store, &incoming(1, "h1"), None).await;
    // Checked against an empty channel, but seq 1 has arrived meanwhile.
    let late = incoming(1, "other");
    assert_eq!(store_in(store, &late, None).await, IncomingOutcome::HeadMoved);
    let stale = incoming(2, "h2");
    assert_eq!(
        store_in(store, &stale, Some(HeadRow { seq: 1, hash: "wrong".into() })).await,
        IncomingOutcome::HeadMoved
    );
    assert_eq!(store.inbox_entry(late.message_id).await.unwrap(), None);
    assert_eq!(store.exchange_case(late.case_id).await.unwrap(), None);
    assert_eq!(store.inbox_count().await.unwrap(), 1);
    assert_eq!(store.log_entries().await.unwrap().len(), 1);
}

pub(crate) async fn outbox_numbers_each_channel_and_links_previous_hashes(db: TestDb) {
    let store = &db.store;
    let a1 = enqueue(store, "KAZ-KGZ-2019:KAZ>KGZ").await;
    let a2 = enqueue(store, "KAZ-KGZ-2019:KAZ>KGZ").await;
    let b1 = enqueue(store, "ARM-KAZ-2020:KAZ>ARM").await;
    let a1 = store.outbox_entry(a1).await.unwrap().unwrap();
    let a2 = store.outbox_entry(a2).await.unwrap().unwrap();
    let b1 = store.outbox_entry(b1).await.unwrap().unwrap();
    assert_eq!((a1.seq, a1.prev_hash.as_deref()), (1, None));
    assert_eq!((a2.seq, a2.prev_hash.as_deref()), (2, Some("hash-1")));
    assert_eq!(a2.jws, "jws-2-after-hash-1");
    assert_eq!((b1.seq, b1.prev_hash.as_deref()), (1, None));
    assert_eq!((a1.status, a1.attempts, a1.receipt.as_deref()), (OutboxStatus::Pending, 0, None));
    let due = store.due_outgoing(at("2025-10-01T08:00:00Z")).await.unwrap();
    let mut ids: Vec<Uuid> = due.iter().map(|e| e.message_id).collect();
    ids.sort();
    let mut expected = vec![a1.message_id, b1.message_id];
    expected.sort();
    assert_eq!(ids, expected, "only the oldest pending message of each channel is offered");
    assert_eq!(store.due_outgoing(at("2025-10-01T07:59:59Z")).await.unwrap(), vec![]);
}

pub(crate) async fn failed_attempt_holds_back_the_whole_channel_until_due(db: TestDb) {
    let store = &db.store;
    let channel = "KAZ-KGZ-2019:KAZ>KGZ";
    let first = enqueue(store, channel).await;
    enqueue(store, channel).await;
    store.record_attempt_failure(first, "connection refused", at("2025-10-01T08:00:05Z")).await.unwrap();
    let e = store.outbox_entry(first).await.unwrap().unwrap();
    assert_eq!((e.attempts, e.last_error.as_deref()), (1, Some("connection refused")));
    assert_eq!(store.next_outgoing_at().await.unwrap(), Some(at("2025-10-01T08:00:00Z")));
    assert_eq!(store.due_outgoing(at("2025-10-01T08:00:04Z")).await.unwrap(), vec![]);
    let due = store.due_outgoing(at("2025-10-01T08:00:05Z")).await.unwrap();
    assert_eq!(due.iter().map(|e| e.message_id).collect::<Vec<_>>(), vec![first]);
}

pub(crate) async fn delivery_advances_sent_head_and_appends_log_entry(db: TestDb) {
    let store = &db.store;
    let channel = "KAZ-KGZ-2019:KAZ>KGZ";
    let first = enqueue(store, channel).await;
    let second = enqueue(store, channel).await;
    let c = chain(ExchangeDirection::Sent, channel, 1, first, "hash-1");
    assert!(store.mark_delivered(first, "receipt-1", c).await.unwrap());
    let e = store.outbox_entry(first).await.unwrap().unwrap();
    assert_eq!((e.status, e.receipt.as_deref(), e.attempts), (OutboxStatus::Delivered, Some("receipt-1"), 1));
    assert_eq!(
        store.channel_head(channel, ExchangeDirection::Sent).await.unwrap(),
        Some(HeadRow { seq: 1, hash: "hash-1".into() })
    );
    let log = store.log_entries().await.unwrap();
    assert_eq!((log.len(), log[0].direction.as_str(), log[0].message_id), (1, "sent", first));
    let c = chain(ExchangeDirection::Sent, channel, 1, first, "hash-1");
    assert!(
        !store.mark_delivered(first, "receipt-again", c).await.unwrap(),
        "a delivered message stays delivered once"
    );
    assert_eq!(store.log_entries().await.unwrap().len(), 1);
    let due = store.due_outgoing(at("2025-10-01T08:00:00Z")).await.unwrap();
    assert_eq!(due.iter().map(|e| e.message_id).collect::<Vec<_>>(), vec![second]);
}

pub(crate) async fn composition_failure_enqueues_nothing(db: TestDb) {
    let store = &db.store;
    let err = store.enqueue_outgoing("KAZ-KGZ-2019:KAZ>KGZ", Box::new(|_, _| Err("no signatory".into()))).await;
    assert!(matches!(err, Err(EnqueueError::Compose(m)) if m.to_string() == "no signatory"));
    assert_eq!(store.next_outgoing_at().await.unwrap(), None);
    let id = enqueue(store, "KAZ-KGZ-2019:KAZ>KGZ").await;
    assert_eq!(store.outbox_entry(id).await.unwrap().unwrap().seq, 1);
}

/// Enqueues that wait for the writer together are committed together; one whose composition
/// fails, or whose case write fails, leaves the others and the numbering intact.
pub(crate) async fn concurrent_enqueues_with_failures_among_them_number_only_the_composed_ones(db: TestDb) {
    let store = &db.store;
    let channel = "KAZ-KGZ-2019:KAZ>KGZ";
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..60u32 {
        let store = store.clone();
        tasks.spawn(async move {
            let id = Uuid::now_v7();
            let result = if i % 7 == 3 {
                store.enqueue_outgoing(channel, Box::new(move |_, _| Err(format!("draft {i} refused").into()))).await
            } else {
                store.enqueue_outgoing(channel, Box::new(move |seq, prev| Ok(outgoing(id, seq, prev)))).await
            };
            (i, id, result)
        });
    }
    let mut composed = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (i, id, result) = done.unwrap();
        match result {
            Ok(e) => {
                assert_ne!(i % 7, 3);
                assert_eq!(e.message_id, id);
                composed.push(e);
            }
            Err(EnqueueError::Compose(m)) => assert_eq!((i % 7, m.to_string()), (3, format!("draft {i} refused"))),
            Err(other) => panic!("enqueue {i} failed: {other}"),
        }
    }
    assert_eq!(composed.len(), 51);
    composed.sort_by_key(|e| e.seq);
    assert_eq!(composed.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=51).collect::<Vec<i64>>());
    for pair in composed.windows(2) {
        assert_eq!(pair[1].prev_hash.as_deref(), Some(pair[0].message_hash.as_str()));
    }
    // What the callers were told is what is stored.
    for e in &composed {
        let stored = store.outbox_entry(e.message_id).await.unwrap().unwrap();
        assert_eq!((stored.seq, stored.prev_hash.as_ref(), &stored.jws), (e.seq, e.prev_hash.as_ref(), &e.jws));
    }
    assert_eq!(store.outbox_entries(100).await.unwrap().len(), 51);
}

pub(crate) async fn rejected_message_is_not_offered_again(db: TestDb) {
    let store = &db.store;
    let id = enqueue(store, "KAZ-KGZ-2019:KAZ>KGZ").await;
    assert!(store.mark_rejected(id, "body_invalid").await.unwrap());
    let e = store.outbox_entry(id).await.unwrap().unwrap();
    assert_eq!((e.status, e.last_error.as_deref()), (OutboxStatus::Rejected, Some("body_invalid")));
    assert_eq!(store.due_outgoing(at("2030-01-01T00:00:00Z")).await.unwrap(), vec![]);
    assert!(!store.mark_rejected(id, "again").await.unwrap());
}

pub(crate) async fn checkpoints_are_stored_once_per_index(db: TestDb) {
    let store = &db.store;
    let m = incoming(1, "h1");
    store_in(store, &m, None).await;
    assert!(store.add_checkpoint(0, "checkpoint-0", at("2025-10-01T08:01:00Z")).await.unwrap());
    assert!(!store.add_checkpoint(0, "other", at("2025-10-01T08:02:00Z")).await.unwrap());
    assert_eq!(store.checkpoints().await.unwrap(), vec!["checkpoint-0".to_owned()]);
}

pub(crate) async fn enqueued_message_records_its_case_in_the_same_transaction(db: TestDb) {
    let store = &db.store;
    let channel = "KAZ-KGZ-2019:KAZ>KGZ";
    let case_id = Uuid::now_v7();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let case = |state: &str| CaseRow {
        agreement: "KAZ-KGZ-2019".to_owned(),
        opened_by: "KAZ".to_owned(),
        state: state.to_owned(),
    };
    for state in ["requested", "answered"] {
        let (id, seen, after) = (Uuid::now_v7(), std::sync::Arc::clone(&seen), case(state));
        store
            .enqueue_outgoing_in_case(
                channel,
                case_id,
                Box::new(move |seq, prev, before| {
                    seen.lock().unwrap().push(before);
                    Ok((outgoing(id, seq, prev), after))
                }),
            )
            .await
            .unwrap();
    }
    assert_eq!(*seen.lock().unwrap(), vec![None, Some(case("requested"))], "compose sees the case as stored");
    assert_eq!(store.exchange_case(case_id).await.unwrap(), Some(case("answered")));

    let refused = store
        .enqueue_outgoing_in_case(channel, case_id, Box::new(|_, _, _| Err("message_type_not_allowed".into())))
        .await;
    assert!(matches!(refused, Err(EnqueueError::Compose(m)) if m.to_string() == "message_type_not_allowed"));
    // The same message id again: the outbox insert fails, and the new case is not written either.
    let (reused, other_case) = (store.outbox_entries(1).await.unwrap()[0].message_id, Uuid::now_v7());
    let failed = store
        .enqueue_outgoing_in_case(
            "KAZ-KGZ-2019:KAZ>ARM",
            other_case,
            Box::new(move |seq, prev, _| Ok((outgoing(reused, seq, prev), case("requested")))),
        )
        .await;
    assert!(matches!(failed, Err(EnqueueError::Store(_))), "{failed:?}");
    assert_eq!(store.exchange_case(other_case).await.unwrap(), None);
    assert_eq!(store.outbox_entries(10).await.unwrap().len(), 2);
}

pub(crate) async fn listings_return_the_latest_messages_oldest_first(db: TestDb) {
    let store = &db.store;
    let mut head = None;
    let mut ids = Vec::new();
    for seq in 1..=3 {
        let mut m = incoming(seq, &format!("h{seq}"));
        m.received_at = at(&format!("2025-10-01T08:00:0{seq}Z"));
        assert_eq!(store_in(store, &m, head.clone()).await, IncomingOutcome::Stored);
        head = Some(HeadRow { seq, hash: m.message_hash.clone() });
        ids.push(m.message_id);
    }
    let listed = store.inbox_messages(2).await.unwrap();
    assert_eq!(listed.iter().map(|m| m.message_id).collect::<Vec<_>>(), ids[1..].to_vec());
    let m = &listed[0];
    assert_eq!((m.seq, m.message_hash.as_str(), m.receipt.as_str()), (2, "h2", "receipt-of-h2"));
    assert_eq!(
        (m.from_authority.as_str(), m.to_authority.as_str(), m.message_type.as_str()),
        ("KGZ-GMS", "KAZ-MVD", "request")
    );
    assert_eq!((m.created_at, m.received_at), (at("2025-10-01T07:59:00Z"), at("2025-10-01T08:00:02Z")));
    assert_eq!(store.inbox_messages(10).await.unwrap().len(), 3);

    let a = enqueue(store, "KAZ-KGZ-2019:KAZ>KGZ").await;
    let b = enqueue(store, "KAZ-KGZ-2019:KAZ>KGZ").await;
    let c = enqueue(store, "KAZ-KGZ-2019:KAZ>KGZ").await;
    let out = store.outbox_entries(2).await.unwrap();
    assert_eq!(out.iter().map(|e| (e.message_id, e.seq)).collect::<Vec<_>>(), vec![(b, 2), (c, 3)]);
    assert_eq!(store.outbox_entries(5).await.unwrap()[0].message_id, a);
}

fn delivered(channel: &str, seq: i64, id: Uuid, receipt: &str) -> DeliveredMessage {
    let c = chain(ExchangeDirection::Sent, channel, seq, id, &format!("hash-{seq}"));
    DeliveredMessage { message_id: id, receipt: receipt.to_owned(), chain: c }
}

pub(crate) async fn delivery_hands_over_the_channel_s_next_due_run(db: TestDb) {
    let store = &db.store;
    let channel = "KAZ-KGZ-2019:KAZ>KGZ";
    let first = enqueue(store, channel).await;
    let other = enqueue(store, "KAZ-ARM-2024:KAZ>ARM").await;
    let second = enqueue(store, channel).await;
    let third = enqueue(store, channel).await;
    let fourth = enqueue(store, channel).await;
    let now = at("2025-10-01T08:00:00Z");

    let run = store.pending_run(channel, 2).await.unwrap();
    assert_eq!(run.iter().map(|e| (e.message_id, e.seq)).collect::<Vec<_>>(), vec![(first, 1), (second, 2)]);

    let (marked, next) =
        store.mark_delivered_run(vec![delivered(channel, 1, first, "receipt-1")], 2, now).await.unwrap();
    assert_eq!(marked, 1);
    let next: Vec<_> = next.iter().map(|e| (e.message_id, e.seq)).collect();
    assert_eq!(next, vec![(second, 2), (third, 3)], "the same channel's next run, not {other}");
    assert_eq!(store.outbox_entry(first).await.unwrap().unwrap().status, OutboxStatus::Delivered);

    // Two at once, in one transaction: both marked, heads and log entries in order.
    let run = vec![delivered(channel, 2, second, "receipt-2"), delivered(channel, 3, third, "receipt-3")];
    let (marked, next) = store.mark_delivered_run(run, 8, now).await.unwrap();
    assert_eq!((marked, next.iter().map(|e| e.message_id).collect::<Vec<_>>()), (2, vec![fourth]));
    let log: Vec<_> = store.log_entries().await.unwrap().iter().map(|e| (e.index, e.seq, e.message_id)).collect();
    assert_eq!(log, vec![(0, 1, first), (1, 2, second), (2, 3, third)]);

    // The next message waits for a retry: nothing is handed over before it is due.
    store.record_attempt_failure(fourth, "not yet", at("2025-10-01T08:00:10Z")).await.unwrap();
    let (marked, next) = store.mark_delivered_run(vec![], 8, now).await.unwrap();
    assert_eq!((marked, next), (0, vec![]));

    let again = vec![delivered(channel, 3, third, "receipt-again")];
    let (marked, next) = store.mark_delivered_run(again, 8, now).await.unwrap();
    assert_eq!((marked, next), (0, vec![]), "a delivered message is not delivered twice");
    assert_eq!(store.outbox_entry(third).await.unwrap().unwrap().receipt.as_deref(), Some("receipt-3"));
    assert_eq!(store.log_entries().await.unwrap().len(), 3);
    assert_eq!(
        store.channel_head(channel, ExchangeDirection::Sent).await.unwrap(),
        Some(HeadRow { seq: 3, hash: "hash-3".into() })
    );
}

pub(crate) async fn receiver_view_reads_seen_messages_head_and_cases_together(db: TestDb) {
    let store = &db.store;
    let m = incoming(1, "h1");
    let unknown = Uuid::now_v7();
    let empty = store.receiver_view(vec![m.message_id], Some(CHANNEL), vec![m.case_id]).await.unwrap();
    assert_eq!((empty.seen, empty.head, empty.cases), (vec![], None, vec![]));

    store_in(store, &m, None).await;
    let view = store.receiver_view(vec![unknown, m.message_id], Some(CHANNEL), vec![m.case_id, unknown]).await.unwrap();
    let seen: Vec<_> = view.seen.iter().map(|s| (s.message_id, s.message_hash.as_str(), s.receipt.as_str())).collect();
    assert_eq!(seen, vec![(m.message_id, "h1", "receipt-of-h1")]);
    assert_eq!(view.head, Some(HeadRow { seq: 1, hash: "h1".into() }));
    assert_eq!(view.cases, vec![(m.case_id, m.case.clone())]);

    let other = store.receiver_view(vec![unknown], Some("KAZ-ARM-2024:ARM>KAZ"), vec![unknown]).await.unwrap();
    assert_eq!((other.seen, other.head, other.cases), (vec![], None, vec![]));
    let no_channel = store.receiver_view(vec![m.message_id], None, vec![m.case_id]).await.unwrap();
    assert_eq!((no_channel.seen.len(), no_channel.head), (1, None));
}

fn record(m: &IncomingMessage, change: Option<RegistryChange>) -> IncomingRecord {
    let c = chain(ExchangeDirection::Received, &m.channel, m.seq, m.message_id, &m.message_hash);
    IncomingRecord { message: m.clone(), change, chain: c }
}

pub(crate) async fn a_batch_of_incoming_messages_is_stored_whole_or_not_at_all(db: TestDb) {
    let store = &db.store;
    let first = incoming(1, "h1");
    let mut second = incoming(2, "h2");
    // The second message goes on with the first one's case.
    second.case_id = first.case_id;
    second.case.state = "answered".into();
    let third = incoming(3, "h3");
    let list = RegistryChange::SignatoryList(list_row(2, &"ab".repeat(32)));
    let batch = vec![record(&first, None), record(&second, None), record(&third, Some(list.clone()))];
    assert_eq!(store.store_incoming_batch(batch, None, Some(0)).await.unwrap(), IncomingOutcome::Stored);
    assert_eq!(store.inbox_count().await.unwrap(), 3);
    assert_eq!(store.channel_head(CHANNEL, ExchangeDirection::Received).await.unwrap().map(|h| h.seq), Some(3));
    assert_eq!(store.exchange_case(first.case_id).await.unwrap().map(|c| c.state), Some("answered".into()));
    let log: Vec<_> = store.log_entries().await.unwrap().iter().map(|e| (e.index, e.message_id)).collect();
    assert_eq!(log, vec![(0, first.message_id), (1, second.message_id), (2, third.message_id)]);
    let registry = store.exchange_registry().await.unwrap();
    assert_eq!(registry.records.iter().map(|r| r.message_id).collect::<Vec<_>>(), vec![third.message_id]);

    // A batch whose second message is stored already writes nothing, not even its first message.
    let fourth = incoming(4, "h4");
    let head = Some(HeadRow { seq: 3, hash: "h3".into() });
    let outcome =
        store.store_incoming_batch(vec![record(&fourth, None), record(&second, None)], head.clone(), None).await;
    assert_eq!(
        outcome.unwrap(),
        IncomingOutcome::AlreadyStored { message_hash: "h2".into(), receipt: "receipt-of-h2".into() }
    );
    // Checked against an older head or registry: nothing either.
    let stale = Some(HeadRow { seq: 2, hash: "h2".into() });
    let outcome = store.store_incoming_batch(vec![record(&fourth, None)], stale, None).await.unwrap();
    assert_eq!(outcome, IncomingOutcome::HeadMoved);
    let outcome = store.store_incoming_batch(vec![record(&fourth, None)], head, Some(0)).await.unwrap();
    assert_eq!(outcome, IncomingOutcome::RegistryMoved);
    assert_eq!(store.inbox_count().await.unwrap(), 3);
    assert_eq!(store.log_entries().await.unwrap().len(), 3);
    assert!(store.inbox_entry(fourth.message_id).await.unwrap().is_none());
}

pub(crate) async fn log_tail_and_last_checkpoint_are_read_back(db: TestDb) {
    let store = &db.store;
    assert_eq!(store.last_checkpoint().await.unwrap(), None);
    assert_eq!(store.log_entries_from(0).await.unwrap(), vec![]);
    let mut head = None;
    for seq in 1..=4 {
        let m = incoming(seq, &format!("h{seq}"));
        assert_eq!(store_in(store, &m, head.clone()).await, IncomingOutcome::Stored);
        head = Some(HeadRow { seq, hash: m.message_hash.clone() });
    }
    let tail = store.log_entries_from(2).await.unwrap();
    assert_eq!(tail.iter().map(|r| (r.index, r.seq)).collect::<Vec<_>>(), vec![(2, 3), (3, 4)]);
    assert_eq!(store.log_entries_from(4).await.unwrap(), vec![]);

    assert!(store.add_checkpoint(1, "checkpoint-1", at("2025-10-01T08:01:00Z")).await.unwrap());
    assert!(store.add_checkpoint(3, "checkpoint-3", at("2025-10-01T08:02:00Z")).await.unwrap());
    let last = store.last_checkpoint().await.unwrap().unwrap();
    assert_eq!((last.index, last.jws.as_str(), last.at), (3, "checkpoint-3", at("2025-10-01T08:02:00Z")));
}

/// Re-signs as `outgoing` does, counting the messages re-signed.
fn resign(count: std::sync::Arc<std::sync::atomic::AtomicUsize>) -> ResignFn {
    Box::new(move |e, seq, prev| {
        count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let m = outgoing(e.message_id, seq, prev);
        Ok((format!("re{}", m.message_hash), m.jws))
    })
}

pub(crate) async fn rejected_message_gives_its_number_back_and_later_ones_are_signed_again(db: TestDb) {
    let store = &db.store;
    let channel = "KAZ-KGZ-2019:KAZ>KGZ";
    let a = enqueue(store, channel).await;
    let b = enqueue(store, channel).await;
    let c = enqueue(store, channel).await;
    let d = enqueue(store, channel).await;
    assert!(
        store.mark_delivered(a, "receipt-a", chain(ExchangeDirection::Sent, channel, 1, a, "hash-1")).await.unwrap()
    );

    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let pending =
        store.resequence_outgoing(channel, Some((b, "body_invalid".into())), resign(count.clone())).await.unwrap();
    let numbered: Vec<_> = pending.iter().map(|e| (e.message_id, e.seq, e.prev_hash.clone())).collect();
    assert_eq!(
        numbered,
        vec![(c, 2, Some("hash-1".into())), (d, 3, Some("rehash-2".into()))],
        "c takes b's number after a, d follows c's new hash"
    );
    assert_eq!(count.load(std::sync::atomic::Ordering::Relaxed), 2);
    let rejected = store.outbox_entry(b).await.unwrap().unwrap();
    assert_eq!(
        (rejected.status, rejected.seq, rejected.last_error.as_deref()),
        (OutboxStatus::Rejected, 2, Some("body_invalid"))
    );
    let stored = store.outbox_entry(c).await.unwrap().unwrap();
    assert_eq!((stored.seq, stored.message_hash.as_str(), stored.jws.as_str()), (2, "rehash-2", "jws-2-after-hash-1"));
    let due = store.due_outgoing(at("2025-10-01T08:00:00Z")).await.unwrap();
    assert_eq!(due.iter().map(|e| e.message_id).collect::<Vec<_>>(), vec![c]);

    // A numbering that already follows the sent head is left as it is.
    let again = store.resequence_outgoing(channel, None, resign(count.clone())).await.unwrap();
    assert_eq!(again, pending);
    assert_eq!(count.load(std::sync::atomic::Ordering::Relaxed), 2);

    // The next message is numbered after the last one that is not rejected.
    let e = enqueue(store, channel).await;
    let e = store.outbox_entry(e).await.unwrap().unwrap();
    assert_eq!((e.seq, e.prev_hash.as_deref()), (4, Some("rehash-3")));
}

pub(crate) async fn resequencing_whose_signing_fails_writes_nothing(db: TestDb) {
    let store = &db.store;
    let channel = "KAZ-KGZ-2019:KAZ>KGZ";
    let a = enqueue(store, channel).await;
    let b = enqueue(store, channel).await;
    let refuse: ResignFn = Box::new(|_, _, _| Err("no key of the signatory".into()));
    let err = store.resequence_outgoing(channel, Some((a, "body_invalid".into())), refuse).await;
    assert!(matches!(err, Err(ResequenceError::Resign(m)) if m.to_string() == "no key of the signatory"));
    assert_eq!(store.outbox_entry(a).await.unwrap().unwrap().status, OutboxStatus::Pending, "not rejected either");
    let b = store.outbox_entry(b).await.unwrap().unwrap();
    assert_eq!((b.seq, b.message_hash.as_str()), (2, "hash-2"));
}

pub(crate) async fn halted_channel_offers_nothing_until_resumed(db: TestDb) {
    let store = &db.store;
    let channel = "KAZ-KGZ-2019:KAZ>KGZ";
    let a = enqueue(store, channel).await;
    let other = enqueue(store, "KAZ-ARM-2024:KAZ>ARM").await;
    let halt = ChannelHalt {
        channel: channel.into(),
        message_id: a,
        code: "sequence_out_of_order".into(),
        detail: "channel expects seq 7, got 1".into(),
        halted_at: at("2025-10-01T08:00:01Z"),
    };
    store.halt_channel(halt.clone()).await.unwrap();
    store.halt_channel(halt.clone()).await.unwrap();
    assert_eq!(store.channel_halts().await.unwrap(), vec![halt]);
    let due = store.due_outgoing(at("2025-10-01T09:00:00Z")).await.unwrap();
    assert_eq!(due.iter().map(|e| e.message_id).collect::<Vec<_>>(), vec![other], "the other channel goes on");
    assert!(
        store
            .mark_delivered(other, "r", chain(ExchangeDirection::Sent, "KAZ-ARM-2024:KAZ>ARM", 1, other, "hash-1"))
            .await
            .unwrap()
    );
    assert_eq!(store.next_outgoing_at().await.unwrap(), None, "a halted channel is not waited for");
    assert_eq!(store.outbox_entry(a).await.unwrap().unwrap().status, OutboxStatus::Pending);

    assert!(store.resume_channel(channel).await.unwrap());
    assert!(!store.resume_channel(channel).await.unwrap());
    assert_eq!(store.channel_halts().await.unwrap(), vec![]);
    let due = store.due_outgoing(at("2025-10-01T09:00:00Z")).await.unwrap();
    assert_eq!(due.iter().map(|e| e.message_id).collect::<Vec<_>>(), vec![a]);
}

pub(crate) async fn concurrent_enqueues_from_two_openings_number_a_channel_without_gaps_or_repeats(db: TestDb) {
    let store = &db.store;
    // Two openings of one database, as two node processes would have.
    let second = Store::open(&db.url).await.unwrap();
    let channel = "KAZ-KGZ-2019:KAZ>KGZ";
    let tasks: Vec<_> = [store.clone(), second, store.clone()]
        .into_iter()
        .map(|s| {
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for _ in 0..20 {
                    ids.push(enqueue(&s, channel).await);
                }
                ids
            })
        })
        .collect();
    let mut ids = Vec::new();
    for t in tasks {
        ids.extend(t.await.unwrap());
    }
    let mut entries = Vec::new();
    for id in ids {
        entries.push(store.outbox_entry(id).await.unwrap().unwrap());
    }
    entries.sort_by_key(|e| e.seq);
    assert_eq!(entries.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=60).collect::<Vec<_>>());
    for pair in entries.windows(2) {
        assert_eq!(pair[1].prev_hash.as_deref(), Some(pair[0].message_hash.as_str()), "each links the one before");
    }
}

fn list_row(version: i64, fingerprint: &str) -> SignatoryListRow {
    SignatoryListRow {
        authority: "KGZ-GMS".into(),
        version,
        effective_from: at("2025-10-01T00:00:00Z"),
        signatories: vec![
            SignatoryRow {
                name: "Бакиев Нурлан".into(),
                position: "заместитель директора".into(),
                certificate_sha256: fingerprint.into(),
            },
            SignatoryRow {
                name: "Осмонова Айгуль".into(),
                position: "начальник управления".into(),
                certificate_sha256: "cd".repeat(32),
            },
        ],
    }
}

fn change_row() -> AuthorityChangeRow {
    AuthorityChangeRow {
        agreement: "KAZ-KGZ-2019".into(),
        state: "KGZ".into(),
        effective_on: jiff::civil::date(2025, 11, 1),
        replaced: Some("KGZ-GMS".into()),
        new: Some(NewAuthorityRow {
            id: "KGZ-MTM".into(),
            name_ru: "Министерство труда и миграции".into(),
            name_en: "Ministry of Labour and Migration".into(),
        }),
        basis: "нота МИД КР № 12/345".into(),
    }
}

async fn store_recorded(
    store: &Store,
    m: &IncomingMessage,
    expected: Option<HeadRow>,
    generation: i64,
    change: RegistryChange,
) -> IncomingOutcome {
    let c = chain(ExchangeDirection::Received, &m.channel, m.seq, m.message_id, &m.message_hash);
    store.store_incoming_recorded(m.clone(), expected, generation, Some(change), c).await.unwrap()
}

pub(crate) async fn registry_changes_are_recorded_with_their_message_in_generation_order(db: TestDb) {
    let store = &db.store;
    assert_eq!(store.registry_generation().await.unwrap(), 0);
    assert!(store.exchange_registry().await.unwrap().records.is_empty());
    let list = incoming(1, "h1");
    let v2 = list_row(2, &"ab".repeat(32));
    let outcome = store_recorded(store, &list, None, 0, RegistryChange::SignatoryList(v2.clone())).await;
    assert_eq!(outcome, IncomingOutcome::Stored);
    let change = incoming(2, "h2");
    let head = Some(HeadRow { seq: 1, hash: "h1".into() });
    let outcome = store_recorded(store, &change, head, 1, RegistryChange::AuthorityChange(change_row())).await;
    assert_eq!(outcome, IncomingOutcome::Stored);

    let registry = store.exchange_registry().await.unwrap();
    assert_eq!(registry.generation(), 2);
    assert_eq!(store.registry_generation().await.unwrap(), 2);
    let records: Vec<_> = registry.records.iter().map(|r| (r.generation, r.direction, r.message_id)).collect();
    assert_eq!(
        records,
        vec![(1, ExchangeDirection::Received, list.message_id), (2, ExchangeDirection::Received, change.message_id)]
    );
    assert_eq!(registry.records[0].change, RegistryChange::SignatoryList(v2));
    assert_eq!(registry.records[0].recorded_at, list.received_at);
    assert_eq!(registry.records[1].change, RegistryChange::AuthorityChange(change_row()));
    let view = store.receiver_view(vec![Uuid::now_v7()], Some(CHANNEL), vec![Uuid::now_v7()]).await.unwrap();
    assert_eq!(view.registry_generation, 2);
    // Recorded with the inbox row, head and log entry of the message that carried it.
    assert_eq!(store.inbox_count().await.unwrap(), 2);
    assert_eq!(store.log_entries().await.unwrap().len(), 2);
}

pub(crate) async fn message_checked_against_an_older_registry_writes_nothing(db: TestDb) {
    let store = &db.store;
    let list = incoming(1, "h1");
    store_recorded(store, &list, None, 0, RegistryChange::SignatoryList(list_row(2, &"ab".repeat(32)))).await;
    // Checked while the registry was at generation 0: the list recorded since may change the verdict.
    let late = incoming(2, "h2");
    let head = Some(HeadRow { seq: 1, hash: "h1".into() });
    let c = chain(ExchangeDirection::Received, &late.channel, late.seq, late.message_id, &late.message_hash);
    let outcome = store.store_incoming_recorded(late.clone(), head.clone(), 0, None, c).await.unwrap();
    assert_eq!(outcome, IncomingOutcome::RegistryMoved);
    let newer = incoming(2, "h3");
    let outcome =
        store_recorded(store, &newer, head.clone(), 0, RegistryChange::SignatoryList(list_row(3, &"ef".repeat(32))))
            .await;
    assert_eq!(outcome, IncomingOutcome::RegistryMoved);
    assert_eq!(store.inbox_count().await.unwrap(), 1);
    assert_eq!(store.log_entries().await.unwrap().len(), 1);
    assert_eq!(store.registry_generation().await.unwrap(), 1);
    // Checked again against generation 1, it is stored.
    let c = chain(ExchangeDirection::Received, &late.channel, late.seq, late.message_id, &late.message_hash);
    assert_eq!(store.store_incoming_recorded(late, head, 1, None, c).await.unwrap(), IncomingOutcome::Stored);
}

fn recorded_compose(id: Uuid) -> sapar_store::exchange::CaseComposeFn {
    Box::new(move |seq, prev, _case| {
        let case = CaseRow { agreement: "KAZ-KGZ-2019".into(), opened_by: "KAZ".into(), state: "closed".into() };
        Ok((outgoing(id, seq, prev), case))
    })
}

pub(crate) async fn sent_signatory_list_is_recorded_once_for_several_partners(db: TestDb) {
    let store = &db.store;
    let mut list = list_row(2, &"ab".repeat(32));
    list.authority = "KAZ-MVD".into();
    let (first, second) = (Uuid::now_v7(), Uuid::now_v7());
    let change = RegistryChange::SignatoryList(list.clone());
    let kgz = "KAZ-KGZ-2019:KAZ>KGZ";
    let arm = "KAZ-ARM-2024:KAZ>ARM";
    store.enqueue_outgoing_recorded(kgz, Uuid::now_v7(), change.clone(), recorded_compose(first)).await.unwrap();
    store.enqueue_outgoing_recorded(arm, Uuid::now_v7(), change, recorded_compose(second)).await.unwrap();
    let registry = store.exchange_registry().await.unwrap();
    assert_eq!(registry.records.len(), 1, "one list, sent twice");
    assert_eq!(
        (registry.records[0].direction, registry.records[0].message_id, &registry.records[0].change),
        (ExchangeDirection::Sent, first, &RegistryChange::SignatoryList(list.clone()))
    );

    // The same version with other content: nothing is enqueued.
    list.signatories.pop();
    let third = Uuid::now_v7();
    let refused = store
        .enqueue_outgoing_recorded(kgz, Uuid::now_v7(), RegistryChange::SignatoryList(list), recorded_compose(third))
        .await;
    let conflict = RegistryConflict { authority: "KAZ-MVD".into(), version: 2 };
    assert!(matches!(&refused, Err(EnqueueError::RegistryConflict(c)) if *c == conflict), "{refused:?}");
    assert_eq!(store.outbox_entry(third).await.unwrap(), None);
    assert_eq!(store.registry_generation().await.unwrap(), 1);
}

pub(crate) async fn channel_states_show_numbering_queue_and_halt(db: TestDb) {
    let store = &db.store;
    assert_eq!(store.channel_states().await.unwrap(), vec![]);
    let first = enqueue(store, CHANNEL).await;
    let second = enqueue(store, CHANNEL).await;
    enqueue(store, CHANNEL).await;
    let other = "KAZ-KGZ-2019:KAZ>KGZ";
    let refused = enqueue(store, other).await;
    assert!(store.mark_rejected(refused, "body_invalid").await.unwrap());
    assert!(
        store
            .mark_delivered(first, "receipt-1", chain(ExchangeDirection::Sent, CHANNEL, 1, first, "hash-1"))
            .await
            .unwrap()
    );
    let halt = ChannelHalt {
        channel: CHANNEL.into(),
        message_id: second,
        code: "sequence_out_of_order".into(),
        detail: "channel expects seq 5, got 2".into(),
        halted_at: at("2025-10-01T09:00:00Z"),
    };
    store.halt_channel(halt.clone()).await.unwrap();
    assert_eq!(
        store.channel_states().await.unwrap(),
        vec![
            ChannelState { channel: other.into(), delivered_seq: None, next_seq: 1, queued: 0, halt: None },
            ChannelState { channel: CHANNEL.into(), delivered_seq: Some(1), next_seq: 4, queued: 2, halt: Some(halt) },
        ]
    );
    assert!(store.resume_channel(CHANNEL).await.unwrap());
    assert_eq!(store.channel_states().await.unwrap()[1].halt, None);
}

/// Everything the exchange tables hold, as read back through the store.
async fn exchange_contents(store: &Store) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        store.inbox_messages(100).await.unwrap(),
        store.outbox_entries(100).await.unwrap(),
        store.log_entries().await.unwrap(),
        store.exchange_registry().await.unwrap(),
        store.channel_states().await.unwrap(),
        store.channel_halts().await.unwrap(),
        store.checkpoints().await.unwrap(),
    )
}

/// Before migration 10, SQLite stored the exchange's ids as hyphenated text; a database written
/// then reads back the same after it, and the migrated ids are found by id again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_exchange_ids_stored_as_text_read_back_the_same_after_migration_10() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("before-10.db");
    let url = format!("sqlite:{}", path.display());
    let store = Store::open(&url).await.unwrap();
    let list = incoming(1, "h1");
    let v2 = list_row(2, &"ab".repeat(32));
    store_recorded(&store, &list, None, 0, RegistryChange::SignatoryList(v2)).await;
    let change = incoming(2, "h2");
    let head = Some(HeadRow { seq: 1, hash: "h1".into() });
    store_recorded(&store, &change, head, 1, RegistryChange::AuthorityChange(change_row())).await;
    let sent = enqueue(&store, "KAZ-KGZ-2019:KAZ>KGZ").await;
    let pending = enqueue(&store, "KAZ-KGZ-2019:KAZ>KGZ").await;
    let c = chain(ExchangeDirection::Sent, "KAZ-KGZ-2019:KAZ>KGZ", 1, sent, "hash-1");
    assert!(store.mark_delivered(sent, "receipt-1", c).await.unwrap());
    let halt = ChannelHalt {
        channel: "KAZ-KGZ-2019:KAZ>KGZ".into(),
        message_id: pending,
        code: "seq_gap".into(),
        detail: "expected 2".into(),
        halted_at: at("2025-10-01T09:00:00Z"),
    };
    store.halt_channel(halt).await.unwrap();
    assert!(store.add_checkpoint(2, "checkpoint-jws", at("2025-10-01T09:00:00Z")).await.unwrap());
    let before = exchange_contents(&store).await;
    drop(store);

    // The database as schema 9 left it: every exchange id as hyphenated lower-case text.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let text = |c: &str| {
        format!(
            "lower(substr(hex({c}), 1, 8) || '-' || substr(hex({c}), 9, 4) || '-' || substr(hex({c}), 13, 4) || '-'
                || substr(hex({c}), 17, 4) || '-' || substr(hex({c}), 21, 12))"
        )
    };
    for (table, column) in [
        ("exchange_inbox", "message_id"),
        ("exchange_inbox", "case_id"),
        ("exchange_outbox", "message_id"),
        ("exchange_cases", "case_id"),
        ("exchange_log", "message_id"),
        ("exchange_channel_halts", "message_id"),
        ("exchange_signatory_lists", "message_id"),
        ("exchange_authority_changes", "message_id"),
    ] {
        let changed = conn.execute(&format!("UPDATE {table} SET {column} = {}", text(column)), []).unwrap();
        assert!(changed > 0, "{table}.{column} has rows to convert");
    }
    let kind: String =
        conn.query_row("SELECT typeof(message_id) FROM exchange_outbox LIMIT 1", [], |r| r.get(0)).unwrap();
    assert_eq!(kind, "text");
    // Back to schema 9: the later migrations forgotten, and the tables they created dropped, so
    // that each runs again at the next open (11 only rebuilds a table).
    conn.execute_batch(
        "DELETE FROM schema_migrations WHERE version >= 10;
         DROP TABLE exchange_destructions;
         DROP TABLE exchange_case_reads; DROP INDEX exchange_outbox_case; DROP INDEX exchange_inbox_case;
         ALTER TABLE exchange_outbox DROP COLUMN case_id; ALTER TABLE exchange_outbox DROP COLUMN message_type;
         DROP TABLE queue_claims; DROP TABLE card_renewals; DROP TABLE cards; DROP TABLE login_events; DROP TABLE web_sessions; DROP TABLE users; DROP TABLE access_log;
         DROP TABLE name_index_pending; DROP TABLE name_index; DROP INDEX documents_by_number;
         DROP INDEX persons_by_birth_date; DROP TABLE removal_applications; DROP TABLE control_notices;
                DROP TABLE control_entries; DROP TABLE expulsions; DROP TABLE person_events; DROP TABLE entry_bans;
         DROP TABLE registration_failures; DROP TABLE registration_events; DROP TABLE registrations;
         DROP TABLE employers;
         DROP TRIGGER crossings_refusal_shape; DROP INDEX crossings_refused;
         ALTER TABLE crossings DROP COLUMN refusal_note; ALTER TABLE crossings DROP COLUMN refusal_ground;
         ALTER TABLE crossings DROP COLUMN outcome;",
    )
    .unwrap();
    drop(conn);

    let store = Store::open(&url).await.unwrap();
    assert_eq!(exchange_contents(&store).await, before);
    assert_eq!(store.inbox_entry(list.message_id).await.unwrap().unwrap().message_hash, "h1");
    assert_eq!(store.outbox_entry(pending).await.unwrap().unwrap().status, OutboxStatus::Pending);
    assert_eq!(store.exchange_case(change.case_id).await.unwrap(), Some(change.case.clone()));
    let view = store.receiver_view(vec![change.message_id], Some(CHANNEL), vec![list.case_id]).await.unwrap();
    assert_eq!((view.seen.len(), view.cases.len()), (1, 1));
}

pub(crate) async fn a_destroyed_payload_leaves_its_evidence_and_a_log_entry_and_the_evidence_cannot_be_changed(
    db: TestDb,
) {
    use sapar_store::exchange::retention::Destruction;
    let store = &db.store;
    let (kept, gone) = (incoming(1, "h1"), incoming(2, "h2"));
    store_in(store, &kept, None).await;
    store_in(store, &gone, Some(HeadRow { seq: 1, hash: "h1".into() })).await;
    assert_eq!(store.held_payloads().await.unwrap().len(), 2);
    let destruction = Destruction {
        message_id: gone.message_id,
        case_id: gone.case_id,
        channel: gone.channel.clone(),
        seq: 2,
        message_type: "request".into(),
        received_at: gone.received_at,
        destroyed_at: at("2028-10-02T00:00:00Z"),
        rule: "ART12.4-STATUS-3Y".into(),
        basis: "Art. 12.4".into(),
        message_hash: "h2".into(),
    };
    let entry = chain(ExchangeDirection::Received, CHANNEL, 2, gone.message_id, "h2");
    let as_destroyed: ChainFn = Box::new(move |prev| LogRow { direction: "destroyed".into(), ..entry(prev) });
    assert!(store.destroy_payload(destruction.clone(), as_destroyed).await.unwrap());
    let held = store.held_payloads().await.unwrap();
    assert_eq!(held.iter().map(|h| h.message_id).collect::<Vec<_>>(), [kept.message_id]);
    assert_eq!(store.inbox_entry(gone.message_id).await.unwrap().unwrap().sealed_payload, None);
    assert_eq!(store.destructions().await.unwrap(), std::slice::from_ref(&destruction));
    let log = store.log_entries().await.unwrap();
    assert_eq!((log.len(), log[2].direction.as_str(), log[2].message_id), (3, "destroyed", gone.message_id));
    // Gone already: nothing is written again.
    let again = chain(ExchangeDirection::Received, CHANNEL, 2, gone.message_id, "h2");
    assert!(!store.destroy_payload(destruction, again).await.unwrap());
    assert_eq!(store.log_entries().await.unwrap().len(), 3);
    crate::support::assert_refused_by_the_database(
        store,
        &["UPDATE exchange_destructions SET rule = 'none'", "DELETE FROM exchange_destructions"],
        &["TRUNCATE exchange_destructions"],
        "append-only",
    )
    .await;
}
