//! The merge rules as a pure planner over a snapshot each backend reads: which person survives,
//! which violations move, are dropped or stay, what becomes of the pending review items, and
//! when an automatic merge must not happen. Each backend reads the snapshot in the merging
//! transaction, plans, and writes the plan (then rebuilds both persons' derived state).

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use jiff::civil::Date;
use sapar_model::PersonId;
use uuid::Uuid;

use super::{Merge, ReviewStatus, ordered, resolve_in};

/// A person a merge names, resolved through the recorded merges, with their creation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MergeSide {
    pub(crate) person: PersonId,
    pub(crate) created_at: Timestamp,
}

/// A stored review item naming one of the two persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StoredItem {
    pub(crate) id: Uuid,
    pub(crate) a: PersonId,
    pub(crate) b: PersonId,
    pub(crate) status: ReviewStatus,
}

/// A stored violation of one of the two persons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredViolation {
    pub(crate) id: Uuid,
    pub(crate) person: PersonId,
    pub(crate) kind: String,
    /// The overstayed stay's first day; `None` for a violation of another kind, which is not
    /// one per stay.
    pub(crate) stay_entry: Option<Date>,
    /// Confirmed or dismissed by an officer (not a draft).
    pub(crate) decided: bool,
}

/// What a merge of two persons is decided on, read in the merging transaction.
#[derive(Debug, Clone)]
pub(crate) struct MergeSnapshot {
    pub(crate) a: MergeSide,
    pub(crate) b: MergeSide,
    /// Every review item naming either person.
    pub(crate) items: Vec<StoredItem>,
    /// Every violation of either person.
    pub(crate) violations: Vec<StoredViolation>,
}

/// What becomes of a pending review item that named the merged person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repoint {
    /// It would pair the survivor with itself, or repeat a stored pair: it asks nothing new.
    Supersede(Uuid),
    /// It now names the survivor: the pair in stored order.
    Pair(Uuid, PersonId, PersonId),
}

/// What a person's violations become when the person is merged away.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ViolationMoves {
    /// Deleted first.
    pub(crate) delete: Vec<Uuid>,
    /// Then given to the survivor.
    pub(crate) to_survivor: Vec<Uuid>,
}

/// Everything a merge writes besides moving documents, crossings and permits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MergePlan {
    pub(crate) merge: Merge,
    pub(crate) violations: ViolationMoves,
    pub(crate) review: Vec<Repoint>,
}

/// Decides a merge of the persons `a` and `b` stand for today: none when they are the same
/// person, or when the merge is automatic and an officer confirmed the pair different people
/// (after the linking run read the decisions). Otherwise the older person (by creation, then id)
/// survives.
pub(crate) fn plan_merge(snapshot: &MergeSnapshot, automatic: bool) -> Option<MergePlan> {
    let (a, b) = (snapshot.a, snapshot.b);
    if a.person == b.person {
        return None;
    }
    let pair = ordered(a.person, b.person);
    let rejected = snapshot.items.iter().any(|i| (i.a, i.b) == pair && i.status == ReviewStatus::NonMatch);
    if automatic && rejected {
        return None;
    }
    let key = |s: MergeSide| (s.created_at, s.person.as_uuid());
    let (survivor, merged) = if key(a) <= key(b) { (a.person, b.person) } else { (b.person, a.person) };
    Some(MergePlan {
        merge: Merge { merged, survivor },
        violations: plan_violation_moves(&snapshot.violations, merged, survivor),
        review: plan_repoint(&snapshot.items, merged, survivor),
    })
}

/// What `merged`'s violations become when it merges into `survivor`. There is at most one
/// violation per person, kind and stay (entry date). A decided violation is kept over a draft
/// (the survivor's draft is dropped for the merged person's decided one; the merged person's
/// draft is dropped beside any of the survivor's); when both are decided, both stay, the merged
/// person's where it was.
pub(crate) fn plan_violation_moves(
    violations: &[StoredViolation],
    merged: PersonId,
    survivor: PersonId,
) -> ViolationMoves {
    let survivors: HashMap<(&str, Date), &StoredViolation> = violations
        .iter()
        .filter(|v| v.person == survivor)
        .filter_map(|v| Some(((v.kind.as_str(), v.stay_entry?), v)))
        .collect();
    let mut moves = ViolationMoves::default();
    for m in violations.iter().filter(|v| v.person == merged) {
        let Some(stay_entry) = m.stay_entry else {
            // Not tied to a stay (an officer's finding, a failure to register): never a duplicate.
            moves.to_survivor.push(m.id);
            continue;
        };
        match survivors.get(&(m.kind.as_str(), stay_entry)) {
            None => moves.to_survivor.push(m.id),
            Some(s) if !s.decided && m.decided => {
                moves.delete.push(s.id);
                moves.to_survivor.push(m.id);
            }
            Some(_) if !m.decided => moves.delete.push(m.id),
            Some(_) => {}
        }
    }
    moves
}

/// Pending items naming the merged person name the survivor instead; one that would pair the
/// survivor with itself, or repeat a pair stored (or repointed before it), is superseded.
pub(crate) fn plan_repoint(items: &[StoredItem], merged: PersonId, survivor: PersonId) -> Vec<Repoint> {
    let mut taken: HashSet<(PersonId, PersonId)> = items.iter().map(|i| (i.a, i.b)).collect();
    let mut out = Vec::new();
    for item in items.iter().filter(|i| i.status == ReviewStatus::Pending && (i.a == merged || i.b == merged)) {
        let other = if item.a == merged { item.b } else { item.a };
        let (x, y) = ordered(survivor, other);
        if other == survivor || !taken.insert((x, y)) {
            out.push(Repoint::Supersede(item.id));
        } else {
            out.push(Repoint::Pair(item.id, x, y));
        }
    }
    out
}

/// The pair a review proposal stores, its sides resolved through merges: in stored order, and
/// none when a side is unknown or both are by now the same person.
pub(crate) fn proposal_pair(a: Option<PersonId>, b: Option<PersonId>) -> Option<(PersonId, PersonId)> {
    let (a, b) = (a?, b?);
    (a != b).then(|| ordered(a, b))
}

/// Pairs confirmed different people, each side resolved through `merges`, in order and once;
/// a pair whose sides became one person is left out.
pub(crate) fn non_matches(
    merges: &HashMap<PersonId, PersonId>,
    pairs: impl IntoIterator<Item = (PersonId, PersonId)>,
) -> Vec<(PersonId, PersonId)> {
    let mut out: Vec<_> = pairs
        .into_iter()
        .map(|(a, b)| (resolve_in(merges, a), resolve_in(merges, b)))
        .filter(|(a, b)| a != b)
        .map(|(a, b)| ordered(a, b))
        .collect();
    out.sort_unstable_by_key(|(a, b)| (a.as_uuid(), b.as_uuid()));
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn person(n: u128) -> PersonId {
        PersonId::from_uuid(Uuid::from_u128(n))
    }

    fn side(n: u128, created_us: i64) -> MergeSide {
        MergeSide { person: person(n), created_at: Timestamp::from_microsecond(created_us).unwrap() }
    }

    fn item(n: u128, a: PersonId, b: PersonId, status: ReviewStatus) -> StoredItem {
        let (a, b) = ordered(a, b);
        StoredItem { id: Uuid::from_u128(n), a, b, status }
    }

    fn violation(n: u128, p: PersonId, day: i8, decided: bool) -> StoredViolation {
        StoredViolation {
            id: Uuid::from_u128(n),
            person: p,
            kind: "overstay".into(),
            stay_entry: Some(date(2025, 1, day)),
            decided,
        }
    }

    fn snapshot(a: MergeSide, b: MergeSide) -> MergeSnapshot {
        MergeSnapshot { a, b, items: Vec::new(), violations: Vec::new() }
    }

    #[test]
    fn the_older_person_survives_then_the_lower_id() {
        let plan = plan_merge(&snapshot(side(1, 20), side(2, 10)), true).unwrap();
        assert_eq!(plan.merge, Merge { merged: person(1), survivor: person(2) });
        let tie = plan_merge(&snapshot(side(2, 10), side(1, 10)), true).unwrap();
        assert_eq!(tie.merge, Merge { merged: person(2), survivor: person(1) });
        assert_eq!(plan_merge(&snapshot(side(1, 10), side(1, 10)), false), None, "already one person");
    }

    #[test]
    fn a_confirmed_non_match_is_never_merged_automatically() {
        let mut s = snapshot(side(1, 10), side(2, 20));
        s.items.push(item(9, person(1), person(2), ReviewStatus::NonMatch));
        assert_eq!(plan_merge(&s, true), None);
        assert!(plan_merge(&s, false).is_some(), "an officer's match decides");
    }

    #[test]
    fn decided_violations_win_over_drafts_and_two_decided_both_stay() {
        let (merged, survivor) = (person(2), person(1));
        let violations = [
            violation(10, merged, 1, false), // alone: moves
            violation(11, merged, 2, true),  // decided over the survivor's draft: moves, the draft goes
            violation(21, survivor, 2, false),
            violation(12, merged, 3, false), // a draft beside the survivor's draft: dropped
            violation(22, survivor, 3, false),
            violation(13, merged, 4, false), // a draft beside the survivor's decided one: dropped
            violation(23, survivor, 4, true),
            violation(14, merged, 5, true), // both decided: both stay where they are
            violation(24, survivor, 5, true),
        ];
        let moves = plan_violation_moves(&violations, merged, survivor);
        let ids = |v: &[Uuid]| v.iter().map(|u| u.as_u128()).collect::<Vec<_>>();
        assert_eq!(ids(&moves.delete), vec![21, 12, 13]);
        assert_eq!(ids(&moves.to_survivor), vec![10, 11]);
    }

    #[test]
    fn pending_items_follow_the_survivor_unless_they_ask_nothing_new() {
        let (merged, survivor) = (person(2), person(1));
        let items = [
            item(1, merged, survivor, ReviewStatus::Pending),  // the pair itself
            item(2, merged, person(3), ReviewStatus::Pending), // survivor and 3 already stored
            item(3, survivor, person(3), ReviewStatus::NonMatch),
            item(4, merged, person(4), ReviewStatus::Pending), // repointed
            item(5, merged, person(5), ReviewStatus::Match),   // decided: left as it is
        ];
        assert_eq!(
            plan_repoint(&items, merged, survivor),
            vec![Repoint::Supersede(Uuid::from_u128(1)), Repoint::Supersede(Uuid::from_u128(2)), {
                let (x, y) = ordered(survivor, person(4));
                Repoint::Pair(Uuid::from_u128(4), x, y)
            }]
        );
        // Two items of the merged person that become the same pair: the second is superseded.
        let twice =
            [item(6, merged, person(4), ReviewStatus::Pending), item(7, person(4), merged, ReviewStatus::Pending)];
        assert!(matches!(plan_repoint(&twice, merged, survivor)[..], [Repoint::Pair(..), Repoint::Supersede(_)]));
    }

    #[test]
    fn non_matches_are_resolved_through_merges_ordered_and_deduplicated() {
        let merges = HashMap::from([(person(3), person(1)), (person(4), person(2))]);
        let pairs = [(person(2), person(1)), (person(3), person(4)), (person(1), person(3))];
        assert_eq!(non_matches(&merges, pairs), vec![(person(1), person(2))]);
        assert_eq!(proposal_pair(Some(person(2)), Some(person(1))), Some((person(1), person(2))));
        assert_eq!(proposal_pair(Some(person(2)), Some(person(2))), None);
        assert_eq!(proposal_pair(None, Some(person(2))), None);
    }

    #[test]
    fn violations_not_tied_to_a_stay_always_go_to_the_survivor() {
        let (survivor, merged) = (person(1), person(2));
        let untied = |n: u128, p: PersonId| StoredViolation {
            id: Uuid::from_u128(n),
            person: p,
            kind: "registration_failure".into(),
            stay_entry: None,
            decided: false,
        };
        let moves = plan_violation_moves(&[untied(10, survivor), untied(11, merged)], merged, survivor);
        assert_eq!((moves.to_survivor, moves.delete), (vec![Uuid::from_u128(11)], vec![]));
    }
}
