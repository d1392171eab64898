-- Accounts for the officers' web workplace: users with an Argon2id password hash, browser sessions
-- (the SHA-256 of the cookie secret only) and the login log the throttle counts failures in.
-- Ids are UUIDs stored as 16-byte blobs; instants are Unix microseconds.
CREATE TABLE users (
    id              BLOB PRIMARY KEY,
    -- Lowercased by the register: names are unique whatever their case.
    name            TEXT NOT NULL UNIQUE,
    role            TEXT NOT NULL CHECK (role IN ('border', 'officer', 'exchange', 'signatory', 'analyst', 'auditor', 'admin')),
    -- An Argon2id PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash).
    password_hash   TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    created_by      TEXT NOT NULL,
    disabled_at     INTEGER,
    disabled_by     TEXT
) WITHOUT ROWID;

CREATE TABLE web_sessions (
    id              BLOB PRIMARY KEY,
    secret_hash     BLOB NOT NULL UNIQUE,
    user_id         BLOB NOT NULL REFERENCES users (id),
    csrf_token      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    last_seen_at    INTEGER NOT NULL,
    ended_at        INTEGER,
    ended_why       TEXT CHECK (ended_why IN ('logout', 'idle', 'disabled')),
    address         TEXT,
    CHECK ((ended_at IS NULL) = (ended_why IS NULL))
);
-- Ending a disabled user's open sessions.
CREATE INDEX web_sessions_open_by_user ON web_sessions (user_id) WHERE ended_at IS NULL;

-- A rowid table: events append in the order they happen, which also orders events of one instant.
CREATE TABLE login_events (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    name_tried  TEXT NOT NULL,
    user_id     BLOB,
    outcome     TEXT NOT NULL
        CHECK (outcome IN ('success', 'bad_credentials', 'disabled', 'throttled', 'logout', 'idle_timeout')),
    address     TEXT
);
-- The throttle's counts: failures for a name, and from an address, since an instant.
CREATE INDEX login_failures_by_name ON login_events (name_tried, at) WHERE outcome IN ('bad_credentials', 'disabled');
CREATE INDEX login_failures_by_address ON login_events (address, at) WHERE outcome IN ('bad_credentials', 'disabled');
-- The auditors' list, newest first.
CREATE INDEX login_events_by_time ON login_events (at);
