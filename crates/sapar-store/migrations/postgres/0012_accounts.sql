-- Accounts for the officers' web workplace: users with an Argon2id password hash, browser sessions
-- (the SHA-256 of the cookie secret only) and the login log the throttle counts failures in.
CREATE TABLE users (
    id              UUID PRIMARY KEY,
    -- Lowercased by the register: names are unique whatever their case.
    name            TEXT NOT NULL UNIQUE,
    role            TEXT NOT NULL CHECK (role IN ('border', 'officer', 'exchange', 'signatory', 'analyst', 'auditor', 'admin')),
    -- An Argon2id PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash).
    password_hash   TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    created_by      TEXT NOT NULL,
    disabled_at     TIMESTAMPTZ,
    disabled_by     TEXT
);

CREATE TABLE web_sessions (
    id              UUID PRIMARY KEY,
    secret_hash     BYTEA NOT NULL UNIQUE,
    user_id         UUID NOT NULL REFERENCES users (id),
    csrf_token      TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    last_seen_at    TIMESTAMPTZ NOT NULL,
    ended_at        TIMESTAMPTZ,
    ended_why       TEXT CHECK (ended_why IN ('logout', 'idle', 'disabled')),
    address         TEXT,
    CHECK ((ended_at IS NULL) = (ended_why IS NULL))
);
-- Ending a disabled user's open sessions.
CREATE INDEX web_sessions_open_by_user ON web_sessions (user_id) WHERE ended_at IS NULL;

-- Events are numbered in the order they are written, which also orders events of one instant.
CREATE TABLE login_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    name_tried  TEXT NOT NULL,
    user_id     UUID,
    outcome     TEXT NOT NULL
        CHECK (outcome IN ('success', 'bad_credentials', 'disabled', 'throttled', 'logout', 'idle_timeout')),
    address     TEXT
);
-- The throttle's counts: failures for a name, and from an address, since an instant.
CREATE INDEX login_failures_by_name ON login_events (name_tried, at) WHERE outcome IN ('bad_credentials', 'disabled');
CREATE INDEX login_failures_by_address ON login_events (address, at) WHERE outcome IN ('bad_credentials', 'disabled');
-- The auditors' list, newest first.
CREATE INDEX login_events_by_time ON login_events (at);
