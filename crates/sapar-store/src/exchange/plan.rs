//! The exchange store's rules as pure planners over snapshots each backend reads: the checks an
//! accepted incoming batch must still pass when it is written, the numbering of registry records,
//! the numbering and chaining of an enqueued message, and the renumbering of a channel's queue
//! after a refusal. Each backend reads a snapshot in its transaction, plans, and writes the plan,
//! so SQLite and PostgreSQL apply these rules by construction alike.

use uuid::Uuid;

use super::{
    CaseRow, ComposeError, Enqueue, EnqueueError, HeadRow, IncomingOutcome, IncomingRecord, OutboxEntry, OutboxStatus,
    RegistryChange, RegistryConflict, ResignFn, SignatoryListRow,
};

/// The registry as the changes being recorded meet it.
#[derive(Debug, Default)]
pub(crate) struct RegistrySnapshot {
    /// The generation of the last record (0 when there is none).
    pub(crate) generation: i64,
    /// The stored lists at the (authority, version) of every signatory list being recorded.
    pub(crate) held_lists: Vec<SignatoryListRow>,
}

/// The signatory lists among `changes`, whose stored versions a [`RegistrySnapshot`] holds.
pub(crate) fn lists_of<'a>(changes: impl IntoIterator<Item = &'a RegistryChange>) -> Vec<(&'a str, i64)> {
    changes
        .into_iter()
        .filter_map(|c| match c {
            RegistryChange::SignatoryList(l) => Some((l.authority.as_str(), l.version)),
            RegistryChange::AuthorityChange(_) => None,
        })
        .collect()
}

/// The generation each change is recorded at, in order (None: nothing to record). A signatory
/// list version held already with the same content is not recorded again (a list sent to several
/// partners); with other content it is a conflict and nothing is recorded.
pub(crate) fn plan_changes<'a>(
    changes: impl IntoIterator<Item = Option<&'a RegistryChange>>,
    registry: &'a RegistrySnapshot,
) -> Result<Vec<Option<i64>>, RegistryConflict> {
    let mut generation = registry.generation;
    let mut held: Vec<&SignatoryListRow> = registry.held_lists.iter().collect();
    changes
        .into_iter()
        .map(|change| match change {
            None => Ok(None),
            Some(RegistryChange::SignatoryList(list)) => {
                match held.iter().find(|h| (h.authority.as_str(), h.version) == (list.authority.as_str(), list.version))
                {
                    Some(h) if *h == list => Ok(None),
                    Some(_) => Err(RegistryConflict { authority: list.authority.clone(), version: list.version }),
                    None => {
                        held.push(list);
                        generation += 1;
                        Ok(Some(generation))
                    }
                }
            }
            Some(RegistryChange::AuthorityChange(_)) => {
                generation += 1;
                Ok(Some(generation))
            }
        })
        .collect()
}

/// What an accepted incoming batch is written against, read in the writing transaction.
#[derive(Debug, Default)]
pub(crate) struct IncomingSnapshot {
    /// The first message of the batch (in batch order) already stored: its hash and receipt.
    pub(crate) stored: Option<(String, String)>,
    /// The received head of the batch's channel.
    pub(crate) head: Option<HeadRow>,
    pub(crate) registry: RegistrySnapshot,
}

/// What storing an incoming batch does.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum IncomingPlan {
    /// Nothing is written; the caller is answered with this.
    Answer(IncomingOutcome),
    /// Every record is written, in order, each change at the generation given (None: nothing to
    /// record).
    Write(Vec<Option<i64>>),
}

/// Decides whether an accepted batch is still to be written: none of its ids stored, the
/// channel's received head and (when given) the registry generation still those it was checked
/// against.
pub(crate) fn plan_incoming(
    records: &[IncomingRecord],
    snapshot: &IncomingSnapshot,
    expected_head: Option<&HeadRow>,
    expected_generation: Option<i64>,
) -> Result<IncomingPlan, RegistryConflict> {
    if let Some((message_hash, receipt)) = &snapshot.stored {
        let (message_hash, receipt) = (message_hash.clone(), receipt.clone());
        return Ok(IncomingPlan::Answer(IncomingOutcome::AlreadyStored { message_hash, receipt }));
    }
    if records.is_empty() {
        return Ok(IncomingPlan::Answer(IncomingOutcome::Stored));
    }
    if snapshot.head.as_ref() != expected_head {
        return Ok(IncomingPlan::Answer(IncomingOutcome::HeadMoved));
    }
    if expected_generation.is_some_and(|g| g != snapshot.registry.generation) {
        return Ok(IncomingPlan::Answer(IncomingOutcome::RegistryMoved));
    }
    plan_changes(records.iter().map(|r| r.change.as_ref()), &snapshot.registry).map(IncomingPlan::Write)
}

/// The sequence number and previous hash of the message after `last` on a channel.
pub(crate) fn next_after(last: Option<HeadRow>) -> (i64, Option<String>) {
    last.map_or((1, None), |h| (h.seq + 1, Some(h.hash)))
}

/// What an enqueue is planned against, read in the writing transaction.
#[derive(Debug, Default)]
pub(crate) struct EnqueueSnapshot {
    /// The channel's last message that is not rejected (a rejected message gave its number back).
    pub(crate) last: Option<HeadRow>,
    /// The message's case as stored (None when new, or when the message has no case).
    pub(crate) case: Option<CaseRow>,
    pub(crate) registry: RegistrySnapshot,
}

/// What an enqueue writes.
#[derive(Debug)]
pub(crate) struct EnqueuePlan {
    pub(crate) entry: OutboxEntry,
    /// The message's case and type, stored beside it for the case desk.
    pub(crate) case_id: Uuid,
    pub(crate) message_type: String,
    /// The case after the message.
    pub(crate) case: Option<(Uuid, CaseRow)>,
    /// The generation the message's registry change is recorded at (None: nothing to record).
    pub(crate) generation: Option<i64>,
}

/// Numbers an outgoing message after the channel's last one and chains it to that one's hash,
/// has the caller compose it, and plans its case and registry record. A registry conflict is
/// found before anything is composed (and signed).
pub(crate) fn plan_enqueue(job: Enqueue, snapshot: EnqueueSnapshot) -> Result<EnqueuePlan, EnqueueError> {
    let generation = plan_changes([job.change.as_ref()], &snapshot.registry)?.pop().flatten();
    let (seq, prev_hash) = next_after(snapshot.last);
    let (m, case_after) = (job.compose)(seq, prev_hash.clone(), snapshot.case).map_err(EnqueueError::Compose)?;
    let entry = OutboxEntry {
        message_id: m.message_id,
        channel: job.channel,
        seq,
        prev_hash,
        message_hash: m.message_hash,
        jws: m.jws,
        status: OutboxStatus::Pending,
        attempts: 0,
        next_attempt_at: m.created_at,
        last_error: None,
        receipt: None,
    };
    Ok(EnqueuePlan {
        entry,
        case_id: m.case_id,
        message_type: m.message_type,
        case: job.case_id.zip(case_after),
        generation,
    })
}

/// What renumbering a channel's queue writes.
#[derive(Debug, Default)]
pub(crate) struct ResequencePlan {
    /// The pending message to mark rejected first.
    pub(crate) rejected: Option<Uuid>,
    /// The channel's pending messages afterwards, in order.
    pub(crate) pending: Vec<OutboxEntry>,
    /// Which of them were signed again (their number, previous hash, hash and JWS to write).
    pub(crate) resigned: Vec<usize>,
}

/// Gives the pending messages of a channel (in order) the numbers and previous hashes that follow
/// its sent head, re-signing every message that does not carry them; `reject`, when pending, is
/// rejected first and gives its number back. Pending numbers are above the sent head, so writing
/// the new numbers in ascending order never meets a number still in use.
pub(crate) fn plan_resequence(
    head: Option<HeadRow>,
    mut pending: Vec<OutboxEntry>,
    reject: Option<Uuid>,
    resign: &mut ResignFn,
) -> Result<ResequencePlan, ComposeError> {
    let rejected = reject.filter(|id| pending.iter().any(|e| e.message_id == *id));
    pending.retain(|e| Some(e.message_id) != rejected);
    let (mut seq, mut prev) = next_after(head);
    let mut resigned = Vec::new();
    for (i, e) in pending.iter_mut().enumerate() {
        if e.seq != seq || e.prev_hash != prev {
            let (hash, jws) = resign(e, seq, prev.clone())?;
            (e.seq, e.prev_hash, e.message_hash, e.jws) = (seq, prev.clone(), hash, jws);
            resigned.push(i);
        }
        prev = Some(e.message_hash.clone());
        seq += 1;
    }
    Ok(ResequencePlan { rejected, pending, resigned })
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::exchange::{AuthorityChangeRow, OutgoingMessage, SignatoryRow};

    fn list(version: i64, cert: &str) -> SignatoryListRow {
        SignatoryListRow {
            authority: "KGZ-MVD".into(),
            version,
            effective_from: Timestamp::UNIX_EPOCH,
            signatories: vec![SignatoryRow { name: "A".into(), position: "P".into(), certificate_sha256: cert.into() }],
        }
    }

    fn authority_change() -> RegistryChange {
        RegistryChange::AuthorityChange(AuthorityChangeRow {
            agreement: "KAZ-KGZ-2019".into(),
            state: "KGZ".into(),
            effective_on: jiff::civil::date(2025, 1, 1),
            replaced: Some("KGZ-MVD".into()),
            new: None,
            basis: "b".into(),
        })
    }

    fn pending(seq: i64, prev: Option<&str>, hash: &str) -> OutboxEntry {
        OutboxEntry {
            message_id: Uuid::now_v7(),
            channel: "c".into(),
            seq,
            prev_hash: prev.map(str::to_owned),
            message_hash: hash.into(),
            jws: format!("jws-{seq}"),
            status: OutboxStatus::Pending,
            attempts: 0,
            next_attempt_at: Timestamp::UNIX_EPOCH,
            last_error: None,
            receipt: None,
        }
    }

    #[test]
    fn registry_records_are_numbered_in_order_and_a_held_list_is_recorded_once() {
        let registry = RegistrySnapshot { generation: 4, held_lists: vec![list(2, "aa")] };
        let (held, new, change) = (
            RegistryChange::SignatoryList(list(2, "aa")),
            RegistryChange::SignatoryList(list(3, "bb")),
            authority_change(),
        );
        let planned = plan_changes([Some(&held), None, Some(&new), Some(&change), Some(&new)], &registry);
        assert_eq!(planned.unwrap(), vec![None, None, Some(5), Some(6), None]);
    }

    #[test]
    fn a_held_list_version_with_other_content_is_a_conflict() {
        let registry = RegistrySnapshot { generation: 1, held_lists: vec![list(2, "aa")] };
        let other = RegistryChange::SignatoryList(list(2, "bb"));
        let err = plan_changes([Some(&other)], &registry).unwrap_err();
        assert_eq!((err.authority.as_str(), err.version), ("KGZ-MVD", 2));
        assert_eq!(err.to_string(), "signatory list KGZ-MVD version 2 is recorded already, with other content");
    }

    #[test]
    fn a_batch_is_written_only_against_the_head_and_generation_it_was_checked_against() {
        let head = HeadRow { seq: 3, hash: "h3".into() };
        let record = |seq| IncomingRecord {
            message: crate::exchange::IncomingMessage {
                message_id: Uuid::now_v7(),
                message_hash: format!("h{seq}"),
                channel: "c".into(),
                seq,
                case_id: Uuid::now_v7(),
                agreement: "a".into(),
                from_authority: "f".into(),
                to_authority: "t".into(),
                message_type: "request".into(),
                created_at: Timestamp::UNIX_EPOCH,
                received_at: Timestamp::UNIX_EPOCH,
                signer: "s".into(),
                signatory_list_version: 1,
                sealed_payload: String::new(),
                receipt: String::new(),
                case: CaseRow { agreement: "a".into(), opened_by: "KGZ".into(), state: "open".into() },
            },
            change: (seq == 5).then(authority_change),
            chain: Box::new(|_| unreachable!("not called by the planner")),
        };
        let records = [record(4), record(5)];
        let snapshot = IncomingSnapshot {
            head: Some(head.clone()),
            registry: RegistrySnapshot { generation: 7, ..RegistrySnapshot::default() },
            ..IncomingSnapshot::default()
        };
        let plan = |head: Option<&HeadRow>, generation| plan_incoming(&records, &snapshot, head, generation).unwrap();
        assert_eq!(plan(Some(&head), Some(7)), IncomingPlan::Write(vec![None, Some(8)]));
        assert_eq!(plan(Some(&head), None), IncomingPlan::Write(vec![None, Some(8)]));
        assert_eq!(plan(None, Some(7)), IncomingPlan::Answer(IncomingOutcome::HeadMoved));
        assert_eq!(plan(Some(&head), Some(6)), IncomingPlan::Answer(IncomingOutcome::RegistryMoved));
        let stored = IncomingSnapshot { stored: Some(("h4".into(), "r4".into())), ..IncomingSnapshot::default() };
        assert_eq!(
            plan_incoming(&records, &stored, None, None).unwrap(),
            IncomingPlan::Answer(IncomingOutcome::AlreadyStored { message_hash: "h4".into(), receipt: "r4".into() })
        );
    }

    #[test]
    fn an_enqueued_message_follows_the_last_one_not_rejected() {
        let id = Uuid::now_v7();
        let case_id = Uuid::now_v7();
        let job = Enqueue {
            channel: "c".into(),
            case_id: Some(case_id),
            change: None,
            compose: Box::new(move |seq, prev, case| {
                assert_eq!((seq, prev.as_deref(), case), (8, Some("h7"), None));
                let m = OutgoingMessage {
                    message_id: id,
                    message_hash: "h8".into(),
                    jws: "j".into(),
                    created_at: Timestamp::UNIX_EPOCH,
                    case_id,
                    message_type: "request".into(),
                };
                Ok((m, Some(CaseRow { agreement: "a".into(), opened_by: "KAZ".into(), state: "open".into() })))
            }),
        };
        let snapshot = EnqueueSnapshot { last: Some(HeadRow { seq: 7, hash: "h7".into() }), ..Default::default() };
        let plan = plan_enqueue(job, snapshot).unwrap();
        assert_eq!((plan.entry.seq, plan.entry.prev_hash.as_deref(), plan.entry.message_id), (8, Some("h7"), id));
        assert_eq!(plan.case.map(|(c, _)| c), Some(case_id));
        assert_eq!(plan.generation, None);
    }

    #[test]
    fn a_registry_conflict_is_found_before_the_message_is_composed() {
        let job = Enqueue {
            channel: "c".into(),
            case_id: None,
            change: Some(RegistryChange::SignatoryList(list(1, "bb"))),
            compose: Box::new(|_, _, _| panic!("composed despite the conflict")),
        };
        let snapshot = EnqueueSnapshot {
            registry: RegistrySnapshot { generation: 1, held_lists: vec![list(1, "aa")] },
            ..Default::default()
        };
        assert!(matches!(plan_enqueue(job, snapshot), Err(EnqueueError::RegistryConflict(_))));
    }

    #[test]
    fn a_rejected_message_gives_its_number_back_and_only_misnumbered_ones_are_signed_again() {
        let a = pending(2, Some("h1"), "h2");
        let b = pending(3, Some("h2"), "h3");
        let c = pending(4, Some("h3"), "h4");
        let mut resign: ResignFn =
            Box::new(|e, seq, prev| Ok((format!("re-{}", e.message_hash), format!("{seq}{prev:?}"))));
        let head = Some(HeadRow { seq: 1, hash: "h1".into() });
        let plan =
            plan_resequence(head.clone(), vec![a.clone(), b.clone(), c.clone()], Some(b.message_id), &mut resign)
                .unwrap();
        assert_eq!(plan.rejected, Some(b.message_id));
        assert_eq!(plan.resigned, vec![1]);
        let numbered: Vec<_> = plan.pending.iter().map(|e| (e.message_id, e.seq, e.prev_hash.clone())).collect();
        assert_eq!(numbered, vec![(a.message_id, 2, Some("h1".into())), (c.message_id, 3, Some("h2".into()))]);

        let unknown = plan_resequence(head, vec![a.clone()], Some(Uuid::now_v7()), &mut resign).unwrap();
        assert_eq!((unknown.rejected, unknown.resigned.len()), (None, 0), "a message not pending is left alone");
    }
}
