//! Embedded schema migrations, one list per backend with the same versions and names.

/// A schema step: version, name, SQL.
pub(crate) struct Migration {
    pub(crate) version: i64,
    pub(crate) name: &'static str,
    pub(crate) sql: &'static str,
}

pub(crate) const SQLITE: &[Migration] = &[
    Migration { version: 1, name: "register", sql: include_str!("../migrations/sqlite/0001_register.sql") },
    Migration { version: 2, name: "violations", sql: include_str!("../migrations/sqlite/0002_violations.sql") },
    Migration { version: 3, name: "exchange", sql: include_str!("../migrations/sqlite/0003_exchange.sql") },
    Migration { version: 4, name: "stay_history", sql: include_str!("../migrations/sqlite/0004_stay_history.sql") },
    Migration { version: 5, name: "identity", sql: include_str!("../migrations/sqlite/0005_identity.sql") },
    Migration {
        version: 6,
        name: "outbox_resequencing",
        sql: include_str!("../migrations/sqlite/0006_outbox_resequencing.sql"),
    },
    Migration { version: 7, name: "permits", sql: include_str!("../migrations/sqlite/0007_permits.sql") },
    Migration {
        version: 8,
        name: "treaty_registry",
        sql: include_str!("../migrations/sqlite/0008_treaty_registry.sql"),
    },
    Migration { version: 9, name: "attribution", sql: include_str!("../migrations/sqlite/0009_attribution.sql") },
    Migration {
        version: 10,
        name: "exchange_blob_ids",
        sql: include_str!("../migrations/sqlite/0010_exchange_blob_ids.sql"),
    },
    Migration { version: 11, name: "roles", sql: include_str!("../migrations/sqlite/0011_roles.sql") },
    Migration { version: 12, name: "accounts", sql: include_str!("../migrations/sqlite/0012_accounts.sql") },
    Migration { version: 13, name: "access_log", sql: include_str!("../migrations/sqlite/0013_access_log.sql") },
    Migration { version: 14, name: "name_index", sql: include_str!("../migrations/sqlite/0014_name_index.sql") },
    Migration { version: 15, name: "entry_bans", sql: include_str!("../migrations/sqlite/0015_entry_bans.sql") },
    Migration {
        version: 16,
        name: "control_register",
        sql: include_str!("../migrations/sqlite/0016_control_register.sql"),
    },
    Migration { version: 17, name: "expulsions", sql: include_str!("../migrations/sqlite/0017_expulsions.sql") },
    Migration {
        version: 18,
        name: "offences_and_employers",
        sql: include_str!("../migrations/sqlite/0018_offences_and_employers.sql"),
    },
    Migration {
        version: 19,
        name: "refused_entries",
        sql: include_str!("../migrations/sqlite/0019_refused_entries.sql"),
    },
    Migration { version: 20, name: "registrations", sql: include_str!("../migrations/sqlite/0020_registrations.sql") },
    Migration { version: 21, name: "cards", sql: include_str!("../migrations/sqlite/0021_cards.sql") },
    Migration { version: 22, name: "queue_claims", sql: include_str!("../migrations/sqlite/0022_queue_claims.sql") },
    Migration { version: 23, name: "case_desk", sql: include_str!("../migrations/sqlite/0023_case_desk.sql") },
    Migration { version: 24, name: "retention", sql: include_str!("../migrations/sqlite/0024_retention.sql") },
];

pub(crate) const POSTGRES: &[Migration] = &[
    Migration { version: 1, name: "register", sql: include_str!("../migrations/postgres/0001_register.sql") },
    Migration { version: 2, name: "violations", sql: include_str!("../migrations/postgres/0002_violations.sql") },
    Migration { version: 3, name: "exchange", sql: include_str!("../migrations/postgres/0003_exchange.sql") },
    Migration { version: 4, name: "stay_history", sql: include_str!("../migrations/postgres/0004_stay_history.sql") },
    Migration { version: 5, name: "identity", sql: include_str!("../migrations/postgres/0005_identity.sql") },
    Migration {
        version: 6,
        name: "outbox_resequencing",
        sql: include_str!("../migrations/postgres/0006_outbox_resequencing.sql"),
    },
    Migration { version: 7, name: "permits", sql: include_str!("../migrations/postgres/0007_permits.sql") },
    Migration {
        version: 8,
        name: "treaty_registry",
        sql: include_str!("../migrations/postgres/0008_treaty_registry.sql"),
    },
    Migration { version: 9, name: "attribution", sql: include_str!("../migrations/postgres/0009_attribution.sql") },
    Migration {
        version: 10,
        name: "exchange_blob_ids",
        sql: include_str!("../migrations/postgres/0010_exchange_blob_ids.sql"),
    },
    Migration { version: 11, name: "roles", sql: include_str!("../migrations/postgres/0011_roles.sql") },
    Migration { version: 12, name: "accounts", sql: include_str!("../migrations/postgres/0012_accounts.sql") },
    Migration { version: 13, name: "access_log", sql: include_str!("../migrations/postgres/0013_access_log.sql") },
    Migration { version: 14, name: "name_index", sql: include_str!("../migrations/postgres/0014_name_index.sql") },
    Migration { version: 15, name: "entry_bans", sql: include_str!("../migrations/postgres/0015_entry_bans.sql") },
    Migration {
        version: 16,
        name: "control_register",
        sql: include_str!("../migrations/postgres/0016_control_register.sql"),
    },
    Migration { version: 17, name: "expulsions", sql: include_str!("../migrations/postgres/0017_expulsions.sql") },
    Migration {
        version: 18,
        name: "offences_and_employers",
        sql: include_str!("../migrations/postgres/0018_offences_and_employers.sql"),
    },
    Migration {
        version: 19,
        name: "refused_entries",
        sql: include_str!("../migrations/postgres/0019_refused_entries.sql"),
    },
    Migration {
        version: 20,
        name: "registrations",
        sql: include_str!("../migrations/postgres/0020_registrations.sql"),
    },
    Migration { version: 21, name: "cards", sql: include_str!("../migrations/postgres/0021_cards.sql") },
    Migration { version: 22, name: "queue_claims", sql: include_str!("../migrations/postgres/0022_queue_claims.sql") },
    Migration { version: 23, name: "case_desk", sql: include_str!("../migrations/postgres/0023_case_desk.sql") },
    Migration { version: 24, name: "retention", sql: include_str!("../migrations/postgres/0024_retention.sql") },
];

/// The newest schema version this binary knows.
pub(crate) fn latest(list: &[Migration]) -> i64 {
    list.iter().map(|m| m.version).max().unwrap_or(0)
}
