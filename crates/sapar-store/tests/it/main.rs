//! Storage contract tests: every test runs against SQLite and PostgreSQL.
//!
//! PostgreSQL tests need `SAPAR_TEST_POSTGRES` (a server URL; each test gets its own schema).
//! Without it they are skipped, except under `CI=true`, where a missing or unreachable server fails.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod contract;
mod exchange;
mod identity;
mod support;

macro_rules! contract_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (store, _dir) = crate::support::sqlite().await;
                    crate::contract::$name(store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(store) = crate::support::postgres().await else { return };
                    crate::contract::$name(store).await;
                }
            )*
        }
    };
}

contract_tests!(
    entry_creates_person_and_document,
    same_id_same_content_replays_first_receipt,
    same_id_other_content_is_refused_and_writes_nothing,
    exit_without_entry_is_refused_and_writes_nothing,
    exit_after_entry_is_accepted_and_second_exit_refused,
    late_crossings_are_checked_against_history,
    known_document_reuses_person,
    batch_refuses_rows_individually_and_keeps_counts_consistent,
    names_in_both_scripts_and_zones_round_trip,
    lookup_by_unknown_document_or_id_finds_nothing,
    tokens_are_unique_by_name_and_revocable,
    reopening_applies_no_migration_twice,
    present_persons_are_those_whose_latest_crossing_is_an_entry,
    overstay_drafts_are_recorded_once_per_person_and_stay,
    stay_history_follows_late_and_unordered_crossings_and_is_backfilled,
);
